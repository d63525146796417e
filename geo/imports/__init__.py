"""Analysts' own data (ACLED, GTD, CSV, GeoJSON) read into the atlas's event model.

Every importer returns an :class:`geo.imports.model.ImportResult`: the events it
could map, in the same columns as the curated events (so one filter serves both)
plus what only imported events have, and every refused row with its reason.

Start with :func:`import_file`; :func:`read_table_preview` and
:func:`guess_column_mapping` serve a page that lets the user confirm a CSV's columns.
"""

from geo.imports.files import MAX_FILE_BYTES
from geo.imports.model import IMPORT_FORMATS, ImportResult, RefusedRow
from geo.imports.read import import_file, read_table_preview
from geo.imports.tabular import TABLE_FIELDS, guess_column_mapping

__all__ = ["import_file", "read_table_preview", "guess_column_mapping", "TABLE_FIELDS", "IMPORT_FORMATS",
           "ImportResult", "RefusedRow", "MAX_FILE_BYTES"]
