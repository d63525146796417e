"""Reading an analyst's file into a table of strings, whatever its encoding or delimiter.

Every cell is read as text (nothing is guessed as a number or a missing value):
the importers decide what a value means. Problems with the file as a whole (too
big, empty, a spreadsheet where a CSV was promised, undecodable) raise
:class:`FileProblem` with a message for the user; the importers turn it into
``ImportResult.problems``.

Encodings tried, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-16
without a mark when every other byte is NUL, UTF-8, then Windows-1252 (a superset
of Latin-1 for printable text; the five bytes it leaves undefined fall back to
Latin-1). Delimiters sniffed: comma, semicolon, tab and '|'.

Hostile files are answered before they cost much (limits in :mod:`geo.imports.limits`):
a workbook is measured from its zip directory before anything is unpacked, the header is
read and checked (``header_problem``) before the rows, reading stops past the row limit,
and a cell longer than any spreadsheet holds refuses its row, not the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.imports.limits import (
    MAX_CELL_CHARS,
    MAX_EXPANDED_BYTES,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_RATIO,
    describe_size,
    size_limit_in_words,
)

__all__ = [
    "MAX_FILE_BYTES",
    "FileProblem",
    "Table",
    "read_source",
    "decode_text",
    "spreadsheet_kind",
    "read_csv_table",
    "read_excel_table",
    "clean_text",
    "describe_size",
    "check_zip",
    "HeaderCheck",
]

# Given the file's column names, what is missing (a message for the user), or None.
HeaderCheck = Callable[[list[str]], "str | None"]

_DELIMITERS = ",;\t|"
# NUL and the other C0/C1 control characters except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


def read_source(source: Path | str | bytes, file_name: str = "", max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refused when missing, over ``max_bytes`` or empty."""
    label = file_name or (Path(source).name if not isinstance(source, (bytes, bytearray)) else "the file")
    if isinstance(source, (bytes, bytearray)):
        size = len(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise FileProblem(f"{label}: no such file")
        size = path.stat().st_size
    if size > max_bytes:
        raise FileProblem(
            f"{label} is {describe_size(size)}; a file may be at most {size_limit_in_words(max_bytes)}: "
            "split the file or filter it to the area and years you need"
        )
    data = bytes(source) if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    if not data.strip():
        raise FileProblem(f"{label} is empty")
    return data


def spreadsheet_kind(data: bytes) -> str | None:
    """'xlsx' (a zip, as Office Open XML workbooks are), 'xls' (an OLE2 workbook) or None."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return "xls"
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise FileProblem(
                    f"the file starts with a {encoding.upper()} byte-order mark but is not "
                    f"{encoding.upper()} ({error.reason} at byte {error.start})"
                ) from None
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(b"\x00") * 3 >= len(sample):
        # UTF-16 without a mark: ASCII text has a NUL in every other byte.
        encoding = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text[:20000].splitlines() if line.strip()][:30]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        pass
    # The Sniffer gives up on ragged samples: count delimiters outside quotes in the header.
    header = lines[0] if lines else ""
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


@dataclass
class Table:
    """A file's rows as strings: ``frame``'s index is the row number a user counts (1 = first data row)."""

    frame: pd.DataFrame
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # rows that could not be split into the columns
    encoding: str = ""
    delimiter: str = ""


def check_zip(data: bytes, file_name: str = "", what: str = "workbook") -> None:
    """Refuse a zip-based file (.xlsx, .docx) that would unpack too large, or that is packed too tightly.

    Only the zip's directory is read: a zip bomb is answered before anything is unpacked.
    Python's zip reader never gives more than a part's declared size, so the declared
    sizes bound what reading can cost.
    """
    label = file_name or "the file"
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileProblem(f"{label} is not a readable {what} (a damaged zip: {_first_line(error)})") from None
    if len(parts) > MAX_ZIP_MEMBERS:
        raise FileProblem(
            f"{label} holds {len(parts):,} parts; a {what} with more than {MAX_ZIP_MEMBERS:,} is not read"
        )
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    tightest = max(parts, key=lambda part: part.file_size / max(part.compress_size, 1), default=None)
    ratio = tightest.file_size / max(tightest.compress_size, 1) if tightest else 0
    if unpacked > MAX_EXPANDED_BYTES:
        raise FileProblem(
            f"{label} would unpack to {describe_size(unpacked)} from {describe_size(packed)}; "
            f"a {what} may unpack to at most {describe_size(MAX_EXPANDED_BYTES)}: split it, or "
            "save the sheet as CSV"
        )
    if ratio > MAX_ZIP_RATIO:
        raise FileProblem(
            f"{label} is packed {ratio:,.0f} times smaller than it unpacks ({tightest.filename}: "
            f"{describe_size(tightest.file_size)} from {describe_size(tightest.compress_size)}); "
            f"ordinary {what}s are under {MAX_ZIP_RATIO} times, so it is not read (a zip bomb?)"
        )


def _refuse_binary(text: str, label: str) -> None:
    """A file that is not text (a picture, an archive, a program) is refused rather than read as rows of garbage."""
    sample = text[:1_000_000]
    controls = len(sample) - len(_CONTROL.sub("", sample))
    if controls > max(8, len(sample) // 100):
        raise FileProblem(
            f"{label} is not a text file ({controls:,} control characters in its first "
            f"{len(sample):,}); a CSV file is text: export the table as CSV (UTF-8)"
        )


def read_csv_table(
    data: bytes,
    file_name: str = "",
    excel_hint: str = "",
    header_problem: HeaderCheck | None = None,
    max_rows: int = MAX_ROWS,
    preview_rows: int | None = None,
) -> Table:
    """A delimited text file as a table of strings (header names stripped of spaces).

    A workbook given here is refused with ``excel_hint`` (what to do instead) in the message.
    ``header_problem`` checks the column names before any row is read. A row with more
    filled cells than the header has columns, or a cell over ``MAX_CELL_CHARS``, is set
    aside in ``bad_rows``; a short row is padded with empty cells. More than ``max_rows``
    rows refuse the file; ``preview_rows`` reads only that many.
    """
    label = file_name or "the file"
    kind = spreadsheet_kind(data)
    if kind:
        what = "an Excel workbook" if kind == "xlsx" else "an old Excel (.xls) workbook"
        instead = excel_hint or "save it as CSV (UTF-8) and import that"
        raise FileProblem(f"{label} is {what}, not a CSV file; {instead}")
    text, encoding = decode_text(data)
    if not text.strip():
        raise FileProblem(f"{label} is empty")
    _refuse_binary(text, label)
    if text.lstrip()[:1] in "{[":
        raise FileProblem(f"{label} looks like JSON, not CSV; choose GeoJSON if it is a FeatureCollection")
    delimiter = _sniff_delimiter(text)
    # Python's reader stops the whole file at a cell over 131,072 characters; long cells are
    # refused row by row below instead.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    lines = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((cells for cells in lines if any(cell.strip() for cell in cells)), None)
        if header is None:
            raise FileProblem(f"{label} is empty")
        if any(len(cell) > MAX_CELL_CHARS for cell in header):
            raise FileProblem(f"{label}: the first line is not a header (a cell of over {MAX_CELL_CHARS:,} characters)")
        names = _unique_names(header)
        if header_problem and (problem := header_problem(names)):
            raise FileProblem(problem)
        width = len(header)
        rows, numbers, bad_rows = [], [], []
        for number, cells in enumerate(lines, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if preview_rows is not None and len(numbers) >= preview_rows:
                break
            if len(numbers) + len(bad_rows) >= max_rows:
                raise FileProblem(_too_many_rows(label, max_rows))
            if len(cells) > width:
                if any(cell.strip() for cell in cells[width:]):
                    bad_rows.append(
                        (
                            number,
                            f"has {len(cells)} fields, the header has {width} columns "
                            f"(a '{delimiter_name(delimiter)}' inside an unquoted value?)",
                        )
                    )
                    continue
                cells = cells[:width]
            if (long := _long_cell(cells, names)) is not None:
                bad_rows.append((number, long + " (a quote left open?)"))
                continue
            rows.append(cells + [""] * (width - len(cells)))
            numbers.append(number)
    except csv.Error as error:
        raise FileProblem(f"{label} is not a readable CSV file ({_first_line(error)})") from None
    frame = pd.DataFrame(rows, columns=names, index=pd.Index(numbers, name="row"), dtype=object)
    table = Table(_tidy(frame), bad_rows, encoding, delimiter)
    return _without_hxl_row(table)


def _too_many_rows(label: str, max_rows: int) -> str:
    return (
        f"{label} has more than {max_rows:,} rows; a file may hold at most {max_rows:,}: split it or filter "
        "it to the area and years you need"
    )


def _long_cell(cells, names: list[str]) -> str | None:
    """Why a row is refused for a cell longer than a spreadsheet holds, or None."""
    for position, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            column = names[position] if position < len(names) else f"column {position + 1}"
            return (
                f"the cell in column '{column}' is {len(cell):,} characters long; a cell may hold at most "
                f"{MAX_CELL_CHARS:,} (as in Excel), so the row was not read"
            )
    return None


def delimiter_name(delimiter: str) -> str:
    return {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(delimiter, delimiter)


def _unique_names(header: list[str]) -> list[str]:
    """Column names as written, with a blank or repeated one made unique ('column 7', 'notes (2)')."""
    names, seen = [], set()
    for position, name in enumerate(header, start=1):
        name = clean_text(name).strip().lstrip("\ufeff") or f"column {position}"
        unique, copy = name, 2
        while unique in seen:
            unique, copy = f"{name} ({copy})", copy + 1
        seen.add(unique)
        names.append(unique)
    return names


def read_excel_table(
    data: bytes,
    file_name: str = "",
    header_problem: HeaderCheck | None = None,
    max_rows: int = MAX_ROWS,
    preview_rows: int | None = None,
) -> Table:
    """The first sheet of an .xlsx workbook as a table of strings.

    The zip is measured first (:func:`check_zip`), then the header alone is read and
    checked (``header_problem``), then at most ``max_rows`` rows (``preview_rows``: only that many).
    """
    label = file_name or "the file"
    kind = spreadsheet_kind(data)
    if kind == "xls":
        raise FileProblem(f"{label} is an old Excel (.xls) workbook; open it and save it as .xlsx or CSV")
    if kind != "xlsx":
        raise FileProblem(f"{label} is not an Excel workbook")
    check_zip(data, label)
    try:
        names = _unique_names([str(column) for column in _sheet(data, rows=0).columns])
        if header_problem and (problem := header_problem(names)):
            raise FileProblem(problem)
        frame = _sheet(data, rows=preview_rows if preview_rows is not None else max_rows + 1)
    except FileProblem:
        raise
    except ImportError:
        raise FileProblem(
            "Excel workbooks cannot be read here: the openpyxl package is missing; save the sheet as CSV"
        ) from None
    except Exception as error:  # a damaged zip, a workbook without sheets, ...: one problem to the user
        raise FileProblem(f"{label} is not a readable Excel workbook ({_first_line(error)})") from None
    frame.columns = names
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame = frame.astype(object).where(frame.notna(), "")
    blank = (frame.astype(str).apply(lambda column: column.str.strip()) == "").all(axis=1)
    frame = frame[~blank]
    if preview_rows is None and len(frame) > max_rows:
        raise FileProblem(_too_many_rows(label, max_rows))
    long = {
        number: reason
        for number, cells in zip(frame.index, frame.itertuples(index=False))
        if (reason := _long_cell([str(cell) for cell in cells], names)) is not None
    }
    return _without_hxl_row(Table(_tidy(frame.drop(index=list(long))), sorted(long.items()), "xlsx", ""))


def _sheet(data: bytes, rows: int) -> pd.DataFrame:
    # pandas reads the workbook in openpyxl's streaming mode and stops after ``rows``.
    return pd.read_excel(
        io.BytesIO(data), sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl", nrows=rows
    )


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def clean_text(value: str) -> str:
    """Text without NUL and other control characters (HTML and the like are kept as written)."""
    return _CONTROL.sub("", value) if value else value


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        frame[column] = frame[column].astype(str).str.replace(_CONTROL, "", regex=True)
    return frame


def _without_hxl_row(table: Table) -> Table:
    """Without the humanitarian portal's hashtag row ('#event+code', '#date+occurred', ...) under the header;
    the rows keep being counted from 1 after it."""
    frame = table.frame
    if frame.empty:
        return table
    first = [value.strip() for value in frame.iloc[0] if value.strip()]
    if first and all(value.startswith("#") for value in first):
        frame = frame.iloc[1:]
        frame.index = frame.index - 1
        table.frame = frame
        table.bad_rows = [(number - 1, reason) for number, reason in table.bad_rows]
    return table
