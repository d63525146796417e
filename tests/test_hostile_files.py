"""Hostile and careless files answered quickly, with a message a user can act on.

A workbook that unpacks to a hundred times its size, a file without the needed columns,
too many rows, one endless cell, a binary file given as CSV, GeoJSON nested without end
or drawn off the globe, markup as a country, a story of nested aliases: each is refused
(the file, or only its row) at once, and an import that runs away is stopped by the
limits of its own process.
"""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from geo.imports import MAX_FILE_BYTES, import_file, import_file_contained, read_table_preview, size_limit_in_words
from geo.imports.limits import MAX_CELL_CHARS, MAX_NESTING, MAX_ROWS

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
ACLED = FIXTURES / "acled_mali_niger.csv"
PROJECT = Path(__file__).resolve().parent.parent
GTD_HEADER = [
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "country_txt",
    "city",
    "latitude",
    "longitude",
    "attacktype1_txt",
    "gname",
    "summary",
]


def acled_with(edit) -> bytes:
    """The ACLED sample with rows changed by ``edit(number, row)`` (1 = the first data row)."""
    with ACLED.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames), list(reader)
    for number, row in enumerate(rows, start=1):
        edit(number, row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def refusals(result) -> dict[int, str]:
    return {refusal.row: refusal.reason for refusal in result.refused}


# --- Workbooks that unpack too large ---------------------------------------------------------------

_WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="events" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"
    ),
}


def _cells(values: list[str]) -> str:
    # Without cell references (optional in the format): every row is the same bytes, as in a bomb.
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values) + "</row>"


def write_workbook(path: Path, header: list[str], row: list[str], rows: int, same: bool = False) -> Path:
    """An .xlsx whose one sheet has ``header`` and ``rows`` rows like ``row``, streamed into the zip.

    Each row's first cell is its number, as in a real table; ``same`` repeats one row exactly (a bomb).
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as workbook:
        for name, text in _WORKBOOK_PARTS.items():
            workbook.writestr(name, text)
        with workbook.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(_cells(header).encode())
            if same:
                block = _cells(row).encode() * 10_000
                for start in range(0, rows, 10_000):
                    sheet.write(block if start + 10_000 <= rows else _cells(row).encode() * (rows - start))
            else:
                sheet.write("".join(_cells([str(number), *row[1:]]) for number in range(1, rows + 1)).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A GTD-looking workbook of a few hundred KB whose sheet unpacks to about 100 MB."""
    path = tmp_path_factory.mktemp("bomb") / "gtd_extract.xlsx"
    row = ["201201010001", "2012", "1", "1", "Mali", "Gao", "16.27", "-0.04", "Armed Assault", "MUJAO", "x"]
    write_workbook(path, GTD_HEADER, row, rows=210_000, same=True)
    sheet = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert 90_000_000 < sheet.file_size < 130_000_000 and path.stat().st_size < 1_000_000
    return path


_MEASURED_IMPORT = """
import json, resource, sys, time
from geo.catalog import load_atlas
from geo.imports.read import import_file
atlas = load_atlas()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
result = import_file(sys.argv[1], "gtd", "Bomb", atlas=atlas)
seconds = time.perf_counter() - started
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
print(json.dumps({"seconds": seconds, "grown_bytes": grown, "problems": result.problems, "read": result.read}))
"""


def test_a_zip_bomb_is_refused_within_2_s_and_100_mb(zip_bomb):
    # Measured in a fresh process: its peak resident memory (every allocation, C libraries' too)
    # grows by what the import itself takes; the modules and the curated data are loaded before.
    finished = subprocess.run(
        [sys.executable, "-c", _MEASURED_IMPORT, str(zip_bomb)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=120,
        check=True,
    )
    measured = json.loads(finished.stdout.strip().splitlines()[-1])
    assert measured["seconds"] < 2.0
    assert measured["grown_bytes"] < 100_000_000
    assert measured["read"] == 0
    [problem] = measured["problems"]
    assert problem.startswith("gtd_extract.xlsx is packed ")
    assert "times smaller than it unpacks (xl/worksheets/sheet1.xml: " in problem
    assert "ordinary workbooks are under 100 times, so it is not read (a zip bomb?)" in problem


def test_a_zip_bomb_is_refused_by_the_page_and_command_line_path_and_by_the_preview(zip_bomb):
    result = import_file_contained(zip_bomb, "gtd", "Bomb")
    assert result.imported == 0 and "so it is not read (a zip bomb?)" in result.problems[0]
    assert "(a zip bomb?)" in read_table_preview(zip_bomb)[2][0]


def test_a_workbook_that_would_unpack_over_the_limit_is_refused(tmp_path, monkeypatch):
    from geo.imports import files

    path = write_workbook(tmp_path / "wide.xlsx", GTD_HEADER, [str(n) for n in range(11)], rows=2_000)
    monkeypatch.setattr(files, "MAX_EXPANDED_BYTES", 100_000)
    [problem] = import_file(path, "gtd", "Wide").problems
    assert problem.startswith("wide.xlsx would unpack to ") and "a workbook may unpack to at most 100 KB" in problem


def test_an_ordinary_workbook_is_read(tmp_path):
    path = write_workbook(
        tmp_path / "gtd.xlsx",
        GTD_HEADER,
        ["201201010001", "2012", "1", "1", "Mali", "Gao", "16.27", "-0.04", "Armed Assault", "MUJAO", "x"],
        rows=1,
    )
    result = import_file(path, "gtd", "Ordinary")
    assert (result.read, result.imported, result.problems) == (1, 1, [])


# --- The header first, then at most so many rows ---------------------------------------------------


def test_a_workbook_without_the_needed_columns_is_refused_before_its_rows_are_read(tmp_path, monkeypatch):
    from geo.imports import files

    path = write_workbook(tmp_path / "not_gtd.xlsx", ["id", "when", "what"], ["1", "2012", "attack"], rows=5_000)
    asked = []
    real = files._sheet
    monkeypatch.setattr(files, "_sheet", lambda data, rows: asked.append(rows) or real(data, rows))
    result = import_file(path, "gtd", "Not GTD")
    assert result.problems == [
        "missing column(s) eventid, iyear, imonth, iday, latitude, longitude, "
        "attacktype1_txt: a GTD file needs eventid, iyear, imonth, iday, latitude, longitude "
        "and attacktype1_txt"
    ]
    assert result.read == 0 and asked == [0]  # only the header row was read


def test_a_csv_without_the_needed_columns_is_refused_before_its_rows():
    # Over the row limit and without ACLED's columns: the columns are what the user hears about.
    data = ("when,what\n" + "2012-01-01,attack\n" * (MAX_ROWS + 10)).encode()
    started = time.perf_counter()
    result = import_file(data, "acled", "Not ACLED", file_name="not_acled.csv")
    assert time.perf_counter() - started < 2.0
    assert result.read == 0 and result.problems[0].startswith("missing column(s) event_id_cnty, event_date")


def test_a_file_over_the_row_limit_is_refused_with_the_limit():
    data = (
        "event_id_cnty,event_date,event_type,latitude,longitude\n"
        + "MLI1,2012-01-17,Battles,18.1,1.3\n" * (MAX_ROWS + 1)
    ).encode()
    result = import_file(data, "acled", "Many", file_name="many.csv")
    assert result.imported == 0
    assert result.problems == [
        f"many.csv has more than {MAX_ROWS:,} rows; a file may hold at most {MAX_ROWS:,}: "
        "split it or filter it to the area and years you need"
    ]


def test_one_endless_cell_refuses_its_row_not_the_file():
    def edit(number, row):
        if number == 2:
            row["notes"] = "a" * 200_000  # over Python's own 131,072-character limit too

    result = import_file(acled_with(edit), "acled", "Long cell")
    assert (result.read, result.imported) == (8, 7)
    assert refusals(result) == {
        2: f"the cell in column 'notes' is 200,000 characters long; a cell may hold at most "
        f"{MAX_CELL_CHARS:,} (as in Excel), so the row was not read (a quote left open?)"
    }


# --- Not a text file -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        random.Random(17).randbytes(60_000),
        b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(20_000),
        b"\x7fELF\x02\x01\x01" + bytes(4_000) + random.Random(5).randbytes(4_000),
    ],
)
def test_a_binary_file_given_as_csv_is_not_a_text_file(data):
    result = import_file(data, "csv", "Binary", file_name="events.csv")
    assert (result.read, result.imported, result.refused) == (0, 0, [])
    assert result.problems[0].startswith("events.csv is not a text file (")
    assert read_table_preview(data, "events.csv")[2][0].startswith("events.csv is not a text file (")


def test_text_with_a_stray_control_character_is_still_text():
    def edit(number, row):
        row["notes"] += "\x07"

    assert import_file(acled_with(edit), "acled", "Bells").imported == 8


# --- GeoJSON: nesting and the globe ----------------------------------------------------------------


def feature(number: int, geometry) -> dict:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"id": f"f{number}", "date": "2012-04-01", "type": "attack"},
    }


def test_every_geometry_kind_is_checked_on_the_globe():
    square = [[[500, 500], [501, 500], [501, 501], [500, 500]]]
    features = [
        feature(1, {"type": "Point", "coordinates": [-0.04, 16.27]}),
        feature(2, {"type": "Polygon", "coordinates": square}),
        feature(3, {"type": "MultiPoint", "coordinates": [[1, 15], [1000, -1000]]}),
        feature(4, {"type": "LineString", "coordinates": [[1e308, 1e308], [-1e308, -1e308]]}),
        feature(5, {"type": "Point", "coordinates": [-1e308, 16]}),
        feature(6, {"type": "MultiPolygon", "coordinates": [[[[0, 15], [1, 15], [1, 16], [0, 15]]], square]}),
        feature(7, {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [2, 200]}]}),
        feature(8, {"type": "Polygon", "coordinates": [[[0, 15], [1, 15], [1, 16], [0, 15]]]}),
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    result = import_file(data, "geojson", "Off the globe")
    globe = "is outside the globe (latitude -90..90, longitude -180..180)"
    assert refusals(result) == {
        2: f"the Polygon has a point (500.0, 500.0) {globe}",
        3: f"the MultiPoint has a point (-1000.0, 1000.0) {globe}",
        4: f"the LineString has a point (1e+308, 1e+308) {globe}",
        5: f"the point (16.0, -1e+308) {globe}",
        6: f"the MultiPolygon has a point (500.0, 500.0) {globe}",
        7: f"the GeometryCollection has a point (200.0, 2.0) {globe}",
    }
    assert sorted(result.events["original_id"]) == ["f1", "f8"]
    assert result.events.geometry.x.abs().max() <= 180 and result.events.geometry.y.abs().max() <= 90


@pytest.mark.parametrize("depth", [MAX_NESTING + 5, 100_000])
def test_geojson_nested_without_end_is_refused(depth):
    properties = "[" * depth + "]" * depth
    data = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
        f'"properties": {{"deep": {properties}}}}}]}}'
    ).encode()
    started = time.perf_counter()
    result = import_file(data, "geojson", "Deep", file_name="deep.geojson")
    assert time.perf_counter() - started < 2.0
    assert result.problems == [
        f"deep.geojson nests arrays and objects more than {MAX_NESTING} levels deep; GeoJSON events need far fewer"
    ]


def test_markup_as_a_country_is_refused_and_never_offered_as_a_country():
    def edit(number, row):
        if number == 3:
            row["country"] = "<script>alert('x')</script>"
        if number == 5:
            row["country"] = "Mali<img src=x onerror=alert(1)>"

    result = import_file(acled_with(edit), "acled", "Markup")
    assert refusals(result) == {
        3: "country '<script>alert('x')</script>' is not a country name (it holds markup: '<' or '>')",
        5: "country 'Mali<img src=x onerror=alert(1)>' is not a country name (it holds markup: '<' or '>')",
    }
    assert result.imported == 6
    assert not any("<" in country for country in result.events["country"].dropna())


def uploaders(page: str) -> list:
    """The file uploaders a page shows, as Streamlit sends them to the browser (limit in MB, help text)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(PROJECT / page), default_timeout=60).run()
    assert not app.exception
    return [element.proto for element in app.get("file_uploader")]


# --- One size limit, in the same words --------------------------------------------------------------


def test_the_page_and_the_command_line_share_one_size_limit_in_the_same_words(capsys):
    from cli.main import main

    assert MAX_FILE_BYTES == 50_000_000 and size_limit_in_words() == "50 MB (50,000,000 bytes)"
    [uploader] = uploaders("app_pages/data.py")
    assert uploader.max_upload_size_mb * 1_000_000 == MAX_FILE_BYTES  # Streamlit's MB: 1,000,000 bytes
    assert uploader.help == "Up to 50 MB (50,000,000 bytes)."
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "A file may be at most 50 MB (50,000,000 bytes)" in " ".join(capsys.readouterr().out.split())
    too_big = import_file(b"x" * (MAX_FILE_BYTES + 1), "csv", "Big", file_name="big.csv").problems
    assert too_big == [
        "big.csv is 50 MB; a file may be at most 50 MB (50,000,000 bytes): split the file or "
        "filter it to the area and years you need"
    ]


# --- Dataset names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("", "--name: give the dataset a name"),
        ("   ", "--name: give the dataset a name"),
        (
            "N" * 500,
            "--name: the dataset's name is 500 characters long; a name may have at most 80: give a shorter one",
        ),
    ],
)
def test_the_command_line_refuses_an_empty_or_overlong_name(tmp_path, capsys, name, expected):
    from cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["import", str(ACLED), "--format", "acled", "--name", name, "--out", str(tmp_path / "out.geojson")])
    assert stopped.value.code == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "out.geojson").exists()


def test_the_page_says_a_pasted_name_is_too_long_instead_of_replacing_it():
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st

        import app_pages.data as data_page

        class Upload:
            name = "acled_mali_niger.csv"

            def getvalue(self):
                return b"event_id_cnty\n"

        data_page.run_import(Upload(), "acled", st.session_state.get("typed", ""), None)

    app = AppTest.from_function(page, default_timeout=60)
    app.session_state["typed"] = "N" * 500
    app.run()
    assert not app.exception
    assert [error.value for error in app.error] == [
        "The dataset's name is 500 characters long; a name may have at most 80: give a shorter one."
    ]


# --- Stories: nested aliases and the uploader's size -------------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
id: bomb
steps: [*i]
"""


def test_a_story_of_nested_aliases_is_refused_at_once(tmp_path):
    from geo.stories import StoryError, load_story, story_problems

    assert len(BILLION_LAUGHS) < 450
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    problems = story_problems(path, None)
    assert time.perf_counter() - started < 0.2
    assert problems == [
        f"{path}:1: '&a': a story may not use YAML anchors or aliases (&name, *name); write each value out"
    ]
    with pytest.raises(StoryError):
        load_story(path)


def test_an_uploaded_story_of_nested_aliases_is_refused_at_once():
    from ui.story_files import check_upload
    from view import load_context

    context = load_context()
    started = time.perf_counter()
    checked = check_upload("laughs.yaml", BILLION_LAUGHS.encode(), context)
    assert time.perf_counter() - started < 0.5
    assert checked.story is None
    assert checked.problems == [
        "laughs.yaml:1: '&a': a story may not use YAML anchors or aliases (&name, *name); write each value out"
    ]


def test_the_story_uploader_states_its_size_cap():
    from ui.story_files import UPLOAD_LIMIT_BYTES, UPLOAD_LIMIT_IN_WORDS, UPLOAD_LIMIT_MB

    assert UPLOAD_LIMIT_MB * 1_000_000 == UPLOAD_LIMIT_BYTES and UPLOAD_LIMIT_IN_WORDS == "1 MB (1,000,000 bytes)"
    [uploader] = uploaders("app_pages/present.py")
    assert uploader.max_upload_size_mb * 1_000_000 == UPLOAD_LIMIT_BYTES
    assert uploader.help.endswith("; at most 1 MB (1,000,000 bytes).")


def test_a_word_document_that_is_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    from geo.reading import ReadingError, text_from_bytes

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as document:
        with document.open("word/document.xml", "w") as body:
            for _ in range(100):
                body.write(b"<w:p><w:r><w:t>lol</w:t></w:r></w:p>" * 10_000)
    started = time.perf_counter()
    with pytest.raises(ReadingError) as refused:
        text_from_bytes(packed.getvalue(), "report.docx")
    assert time.perf_counter() - started < 1.0
    assert str(refused.value).startswith("report.docx is packed ")
    assert "ordinary Word documents are under 100 times, so it is not read (a zip bomb?)" in str(refused.value)


def test_a_100_kb_link_that_reaches_the_app_opens_the_dashboard_with_a_notice():
    # A link whose request arrives in one piece (a browser on the same machine) reaches the app; one
    # over 16 KB that arrives in pieces is refused by the web server first (see the README).
    from tests.apptest import run, shown

    app = run({"q": "<b>" + "a" * 100_000})
    notices = [shown(warning.value) for warning in app.warning]
    assert "Shortened the search text in the link to 200 characters." in notices
