"""Analysts' own data (ACLED, GTD, CSV, GeoJSON) read into the atlas's event model.

Every importer returns an :class:`geo.imports.model.ImportResult`: the events it
could map, in the same columns as the curated events (so one filter serves both)
plus what only imported events have, and every refused row with its reason.

Start with :func:`import_file` (in the calling process) or :func:`import_file_contained` (in a
process of its own, held to the limits of :mod:`geo.imports.limits`: what the page and the
command line use); :func:`read_table_preview` and
:func:`guess_column_mapping` serve a page that lets the user confirm a CSV's columns.
"""

from geo.imports.contained import import_file_contained
from geo.imports.limits import MAX_DATASET_NAME, MAX_FILE_BYTES, dataset_name_problem, size_limit_in_words
from geo.imports.model import IMPORT_FORMATS, ImportResult, RefusedRow
from geo.imports.read import import_file, read_table_preview
from geo.imports.tabular import TABLE_FIELDS, guess_column_mapping

__all__ = [
    "import_file",
    "import_file_contained",
    "read_table_preview",
    "guess_column_mapping",
    "TABLE_FIELDS",
    "IMPORT_FORMATS",
    "ImportResult",
    "RefusedRow",
    "MAX_FILE_BYTES",
    "MAX_DATASET_NAME",
    "size_limit_in_words",
    "dataset_name_problem",
]
