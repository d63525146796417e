"""The one entry point: a file, its format and a dataset name in; an :class:`ImportResult` out.

:func:`import_file` never raises on bad input. A problem with the whole file
(too big, empty, undecodable, a workbook given as CSV, missing columns) is in
``result.problems`` with no events; a bad row is in ``result.refused`` with its
number (1 = the first data row) and the reason; every other row is imported.

Formats (:data:`geo.imports.model.IMPORT_FORMATS`):

- ``acled``: an ACLED export (:mod:`geo.imports.acled`), CSV;
- ``gtd``: the Global Terrorism Database (:mod:`geo.imports.gtd`), CSV or Excel (.xlsx);
- ``csv``: any table of events with a column mapping (:mod:`geo.imports.tabular`);
- ``geojson``: a FeatureCollection (:mod:`geo.imports.geojson`), properties mapped as a CSV's columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.catalog import Atlas, load_atlas
from geo.imports.common import empty_result, refuse_unexpected
from geo.imports.files import (
    MAX_FILE_BYTES,
    FileProblem,
    Table,
    decode_text,
    read_csv_table,
    read_excel_table,
    read_source,
    spreadsheet_kind,
)
from geo.imports.limits import dataset_name_problem
from geo.imports.model import IMPORT_FORMATS, ImportResult, RefusedRow

__all__ = ["import_file", "read_table_preview"]

_EXCEL_HINTS = {
    "acled": "ACLED files are read as CSV: save the sheet as CSV (UTF-8), or choose GTD (Excel) for a GTD workbook",
    "csv": "save the sheet as CSV (UTF-8), or choose GTD (Excel) for a GTD workbook",
}


def import_file(
    source: Path | str | bytes,
    format: str,
    dataset: str,
    file_name: str = "",
    column_mapping: dict[str, str] | None = None,
    *,
    atlas: Atlas | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> ImportResult:
    """Read ``source`` (a path or the file's bytes) as ``format`` into dataset ``dataset``.

    ``column_mapping`` (atlas field -> the file's column) serves the csv and geojson formats;
    without it the mapping is guessed from the column names. ``atlas`` gives the curated
    groups and places names are resolved against (the bundled data by default).
    """
    if format not in IMPORT_FORMATS:
        return empty_result(str(format), [f"unknown format {format!r}; expected one of {', '.join(IMPORT_FORMATS)}"])
    if problem := dataset_name_problem(dataset):
        return empty_result(format, [problem])
    if not file_name and isinstance(source, (str, Path)):
        file_name = Path(source).name
    try:
        data = read_source(source, file_name, max_bytes)
        atlas = atlas or load_atlas()
        if format == "geojson":
            from geo.imports.geojson import import_geojson

            return import_geojson(data, dataset, atlas, column_mapping, file_name)
        table = _read_table(data, format, file_name)
        result = _import_table(table, format, dataset, atlas, column_mapping)
    except FileProblem as problem:
        return empty_result(format, [str(problem)])
    except MemoryError:  # the import's process says so (geo.imports.contained)
        raise
    except Exception as error:  # never a traceback for the user; the message says what failed
        return empty_result(format, [f"the file could not be read: {refuse_unexpected(error)}"])
    if table.bad_rows:
        # Rows the CSV reader could not split count as read and refused.
        result.refused = sorted(
            [*result.refused, *(RefusedRow(number, reason) for number, reason in table.bad_rows)],
            key=lambda refusal: refusal.row,
        )
        result.read += len(table.bad_rows)
    if result.read == 0 and not result.problems:
        result.problems.append(f"{file_name or 'the file'} has a header but no data rows")
    return result


def _read_table(data: bytes, format: str, file_name: str) -> Table:
    header_problem = _header_checks().get(format)
    if format == "gtd" and spreadsheet_kind(data):
        return read_excel_table(data, file_name, header_problem=header_problem)
    return read_csv_table(data, file_name, excel_hint=_EXCEL_HINTS.get(format, ""), header_problem=header_problem)


def _header_checks() -> dict:
    """Format -> the check of its column names, made before any row is read (ACLED and GTD need columns)."""
    from geo.imports import acled, gtd

    return {"acled": acled.header_problem, "gtd": gtd.header_problem}


def _import_table(
    table: Table, format: str, dataset: str, atlas: Atlas, column_mapping: dict[str, str] | None
) -> ImportResult:
    if format == "acled":
        from geo.imports.acled import import_acled

        return import_acled(table.frame, dataset, atlas)
    if format == "gtd":
        from geo.imports.gtd import import_gtd

        return import_gtd(table.frame, dataset, atlas)
    from geo.imports.tabular import import_table

    return import_table(table.frame, dataset, atlas, column_mapping, origin="csv")


def read_table_preview(
    source: Path | str | bytes, file_name: str = "", rows: int = 5, max_bytes: int = MAX_FILE_BYTES
) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """(header, the first rows as dicts, problems): what a page shows before the user confirms a mapping.

    Reads CSV (any encoding and delimiter), an .xlsx workbook, or a GeoJSON's feature properties; of a
    table only the header and the first ``rows`` rows are read, so a page can show it at once.
    """
    if not file_name and isinstance(source, (str, Path)):
        file_name = Path(source).name
    try:
        data = read_source(source, file_name, max_bytes)
        if spreadsheet_kind(data):
            frame = read_excel_table(data, file_name, preview_rows=rows).frame
        elif _looks_like_json(data, file_name):
            from geo.imports.geojson import _text, read_features

            features = read_features(data, file_name)
            records = [
                {key: _text(value) for key, value in ((feature or {}).get("properties") or {}).items()}
                for feature in features
                if isinstance(feature, dict)
            ]
            frame = pd.DataFrame(records, dtype=object).fillna("")
        else:
            frame = read_csv_table(data, file_name, preview_rows=rows).frame
    except FileProblem as problem:
        return [], [], [str(problem)]
    except Exception as error:
        return [], [], [f"the file could not be read: {refuse_unexpected(error)}"]
    header = [str(column) for column in frame.columns]
    return header, frame.head(rows).to_dict("records"), []


def _looks_like_json(data: bytes, file_name: str) -> bool:
    if file_name.lower().endswith((".geojson", ".json")):
        return True
    text, _encoding = decode_text(data[:2000])
    return text.lstrip()[:1] == "{"
