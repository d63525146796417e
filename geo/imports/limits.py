"""The limits every import keeps, from the page or the command line, and how they are said.

One definition each: the page's uploader and the command line take the file size
limit from here, and both say it in the words :func:`size_limit_in_words` gives.
Sizes are in decimal units (1 MB = 1,000,000 bytes), as Streamlit's uploader,
browsers and file managers count them.

A file over a limit is refused as a whole with a message, except an over-long cell,
which refuses only its row: the other rows are still the analyst's data.
"""

from __future__ import annotations

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_CELL_CHARS",
    "MAX_EXPANDED_BYTES",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_MEMBERS",
    "MAX_NESTING",
    "MAX_DATASET_NAME",
    "IMPORT_CPU_SECONDS",
    "IMPORT_MEMORY_BYTES",
    "IMPORT_WAIT_SECONDS",
    "describe_size",
    "size_limit_in_words",
    "dataset_name_problem",
]

# A whole ACLED region export is well under this, and the app keeps every imported row in memory.
MAX_FILE_BYTES = 50_000_000
# Rows in one file: the map stays interactive with 100,000 imported events (bench/scale.py).
MAX_ROWS = 200_000
# Characters in one cell: Excel's own limit, so any cell a spreadsheet can hold is read.
MAX_CELL_CHARS = 32_767
# A workbook (.xlsx, .docx: a zip) unpacked: its parts together, and how much smaller than
# unpacked any part may be. Workbooks of real tables shrink 5 to 30 times; a zip bomb
# shrinks hundreds or thousands of times.
MAX_EXPANDED_BYTES = 400_000_000
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 10_000
# Levels of arrays and objects in a GeoJSON file: a MultiPolygon's coordinates in a feature
# in a collection are 7 deep; properties holding a few nested objects add a few more.
MAX_NESTING = 32
# A dataset's name: the page's box and the command line keep the same length.
MAX_DATASET_NAME = 80
# What one import may use (it runs in its own process, see geo.imports.contained): a 50 MB
# ACLED export takes about 20 s and 1.5 GB on a 2-core machine.
IMPORT_CPU_SECONDS = 300
IMPORT_MEMORY_BYTES = 3_000_000_000
IMPORT_WAIT_SECONDS = 600


def describe_size(size: int) -> str:
    """'61.2 MB', '12 KB', '300 bytes' (decimal units)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".0 MB", " MB")
    if size >= 1_000:
        return f"{size / 1_000:.0f} KB"
    return f"{size} bytes"


def size_limit_in_words(max_bytes: int = MAX_FILE_BYTES) -> str:
    """'50 MB (50,000,000 bytes)': the same words on the page and on the command line."""
    return f"{describe_size(max_bytes)} ({max_bytes:,} bytes)"


def dataset_name_problem(name: str | None) -> str | None:
    """What is wrong with a dataset's name as given (a message for the user), or None.

    A name is never shortened or replaced: the user chose it, and says what to change.
    """
    name = (name or "").strip()
    if not name:
        return "give the dataset a name"
    if len(name) > MAX_DATASET_NAME:
        return (
            f"the dataset's name is {len(name):,} characters long; a name may have at most {MAX_DATASET_NAME}: "
            "give a shorter one"
        )
    return None
