"""Importers on bad input: every problem is a message (whole file) or a refused row (number and reason),
the valid rows are still imported, and nothing raises."""

import codecs
import csv
import io
from pathlib import Path

import pytest

from geo.imports import import_file, read_table_preview

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
ACLED = FIXTURES / "acled_mali_niger.csv"


def acled_rows() -> tuple[list[str], list[dict]]:
    with ACLED.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def acled_bytes(edit=None, drop: tuple[str, ...] = (), encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """The ACLED fixture with rows changed by ``edit(number, row)`` (number 1 = first data row)."""
    header, rows = acled_rows()
    header = [name for name in header if name not in drop]
    for number, row in enumerate(rows, start=1):
        if edit:
            edit(number, row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def refusals(result) -> list[tuple[int, str]]:
    return [(refusal.row, refusal.reason) for refusal in result.refused]


def test_missing_columns_are_named():
    result = import_file(acled_bytes(drop=("event_date", "latitude")), "acled", "Broken", file_name="broken.csv")
    assert result.imported == 0 and result.events.empty
    assert len(result.problems) == 1
    assert result.problems[0].startswith("missing column(s) event_date, latitude: an ACLED file needs")


def test_a_gtd_file_given_as_acled_says_so():
    result = import_file(FIXTURES / "gtd_sahel.csv", "acled", "Wrong")
    assert result.imported == 0 and "this looks like a GTD file: choose GTD" in result.problems[0]
    result = import_file(ACLED, "gtd", "Wrong")
    assert result.imported == 0 and "missing column(s) eventid, iyear" in result.problems[0]
    assert "this looks like an ACLED file: choose ACLED" in result.problems[0]


def test_latin1_semicolon_file():
    data = (
        "date;type;place;country;notes\n"
        "2012-04-01;attack;Tombouctou;Mali;Attaque à l'aéroport\n"
        "2012-03-30;occupation;Ménaka;Mali;Prise de Ménaka\n"
    ).encode("latin-1")
    result = import_file(
        data,
        "csv",
        "Latin",
        column_mapping={"date": "date", "type": "type", "place": "place", "country": "country", "summary": "notes"},
    )
    assert (result.read, result.imported, result.refused, result.problems) == (2, 2, [], [])
    events = {row["row"]: row for row in result.events.to_dict("records")}
    assert events[1]["summary"] == "Attaque à l'aéroport"
    assert events[2]["place"] == "menaka" and events[2]["place_name"] == "Ménaka"


def test_cp1252_quotes_and_tab_delimiter():
    data = "date\ttype\tlatitude\tlongitude\ttitle\n2012-04-01\tattack\t16.77\t-3.0\t\u201cTimbuktu\u201d\n"
    result = import_file(data.encode("cp1252"), "csv", "Tabs")
    assert result.imported == 1 and result.events["title"].iloc[0] == "\u201cTimbuktu\u201d"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-16-le"])
def test_utf16_and_byte_order_marks(encoding):
    data = acled_bytes(encoding=encoding)
    if encoding == "utf-16":
        assert data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    result = import_file(data, "acled", "Encoded")
    assert (result.read, result.imported, result.problems) == (8, 8, [])
    assert result.events["original"].iloc[0]["event_id_cnty"].startswith(("NIG", "MLI"))  # no BOM in the name


def test_bad_dates_are_refused_with_the_row_and_the_value():
    def edit(number, row):
        if number == 2:
            row["event_date"] = "31/02/2010"
        if number == 4:
            row["event_date"] = ""
        if number == 6:
            row["event_date"] = "sometime in 2012"

    result = import_file(acled_bytes(edit), "acled", "Dates")
    assert refusals(result) == [
        (2, "date '31/02/2010' is not a date"),
        (4, "no date"),
        (6, "date 'sometime in 2012' is not a date"),
    ]
    assert result.imported == 5


def test_coordinates_off_the_globe():
    def edit(number, row):
        if number == 1:
            row["latitude"] = "123.5"
        if number == 3:
            row["longitude"] = "-200"
        if number == 5:
            row["latitude"] = "north"

    result = import_file(acled_bytes(edit), "acled", "Coordinates")
    assert refusals(result) == [
        (1, "latitude 123.5 is outside -90..90"),
        (3, "longitude -200 is outside -180..180"),
        (5, "latitude 'north' is not a number"),
    ]
    assert result.imported == 5


def test_coordinates_far_outside_their_own_country():
    def edit(number, row):
        if number == 3:  # Gao, Mali, given the coordinates of Algiers
            row["latitude"], row["longitude"] = "36.7538", "3.0588"
        if number == 7:  # Bamako with latitude and longitude swapped
            row["latitude"], row["longitude"] = "-8.0000", "12.6500"
        if number == 2:  # just across the border (Aguelhok moved ~30 km into Algeria): kept
            row["latitude"] = "19.95"

    result = import_file(acled_bytes(edit), "acled", "Outside")
    reasons = dict(refusals(result))
    assert sorted(reasons) == [3, 7]
    assert reasons[3].startswith("the point (36.7538, 3.0588) is ")
    assert " km outside Mali (more than 100 km" in reasons[3]
    distance = int(reasons[3].split(" is ")[1].split(" km")[0].replace(",", ""))
    assert 1_200 < distance < 1_700  # the northern tip of Mali is some 1,500 km from Algiers
    assert "outside Mali" in reasons[7]
    assert result.imported == 6


def test_duplicate_ids_refuse_the_second():
    def edit(number, row):
        if number == 4:
            row["event_id_cnty"] = "NIG1001"

    result = import_file(acled_bytes(edit), "acled", "Duplicates")
    assert refusals(result) == [(4, "duplicate id NIG1001, first seen on row 1")]
    assert result.imported == 7


@pytest.mark.parametrize("data", [b"", b"   \n\n"])
def test_empty_file(data):
    result = import_file(data, "acled", "Empty", file_name="empty.csv")
    assert result.problems == ["empty.csv is empty"] and result.imported == 0 and result.read == 0


def test_header_only():
    header, _rows = acled_rows()
    result = import_file((",".join(header) + "\n").encode(), "acled", "Header", file_name="header.csv")
    assert result.problems == ["header.csv has a header but no data rows"]


def test_over_the_size_limit():
    data = acled_bytes()
    result = import_file(data, "acled", "Big", file_name="big.csv", max_bytes=1024)
    assert result.imported == 0
    assert result.problems == [
        f"big.csv is {len(data) / 1000:.0f} KB; a file may be at most 1 KB (1,024 bytes): "
        "split the file or filter it to the area and years you need"
    ]


def test_a_missing_path():
    result = import_file(FIXTURES / "nothing-here.csv", "acled", "Missing")
    assert result.problems == ["nothing-here.csv: no such file"]


def test_a_spreadsheet_given_as_csv(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["event_id_cnty", "event_date"])
    path = tmp_path / "acled.xlsx"
    workbook.save(path)
    for fmt in ("acled", "csv"):
        result = import_file(path, fmt, "Workbook")
        assert result.imported == 0
        assert result.problems[0].startswith("acled.xlsx is an Excel workbook, not a CSV file;")
        assert "choose GTD (Excel)" in result.problems[0] and "save the sheet as CSV" in result.problems[0]
    old = import_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "csv", "Old", file_name="old.xls")
    assert old.problems[0].startswith("old.xls is an old Excel (.xls) workbook, not a CSV file")
    gtd_old = import_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "gtd", "Old", file_name="old.xls")
    assert gtd_old.problems == ["old.xls is an old Excel (.xls) workbook; open it and save it as .xlsx or CSV"]


def test_html_and_script_kept_verbatim_and_control_characters_stripped():
    def edit(number, row):
        if number == 1:
            row["notes"] = "<img src=x onerror=alert(1)> <script>alert('x')</script>\x00 done\x07"
            row["location"] = "Arlit<b>"

    result = import_file(acled_bytes(edit), "acled", "Markup")
    assert result.refused == [] and result.imported == 8
    arlit = result.events.set_index("original_id").loc["NIG1001"]
    assert arlit["summary"] == "<img src=x onerror=alert(1)> <script>alert('x')</script> done"
    assert arlit["title"] == "Abduction/forced disappearance in Arlit<b>"
    bamako = result.events.set_index("original_id").loc["MLI2005"]
    assert "<script>alert('x')</script>" in bamako["summary"]


def test_a_row_split_into_too_many_fields():
    data = acled_bytes().decode().splitlines()
    data[3] = data[3] + ",surplus,values"
    result = import_file("\n".join(data).encode(), "acled", "Ragged")
    assert result.read == 8 and result.imported == 7
    assert refusals(result) == [(3, "has 33 fields, the header has 31 columns (a 'comma' inside an unquoted value?)")]


def test_an_unexpected_error_refuses_only_its_row(monkeypatch):
    from geo.imports import acled

    real = acled.participants

    def failing(resolver, actors, targets=()):
        if any("JNIM" in name for name in actors):
            raise KeyError("boom")
        return real(resolver, actors, targets)

    monkeypatch.setattr(acled, "participants", failing)
    result = import_file(ACLED, "acled", "Unexpected")
    assert refusals(result) == [(8, "could not be read (KeyError: 'boom')")]
    assert result.imported == 7


def test_unknown_acled_type_and_bad_fatalities():
    def edit(number, row):
        if number == 2:
            row["event_type"], row["sub_event_type"] = "Picnics", "Outdoor lunch"
        if number == 3:
            row["fatalities"] = "many"

    result = import_file(acled_bytes(edit), "acled", "Types")
    assert refusals(result) == [
        (2, "event type 'Picnics / Outdoor lunch' is not an ACLED type this importer knows"),
        (3, "fatalities 'many' is not a number"),
    ]


def test_gtd_bad_dates_and_missing_coordinates():
    text = (FIXTURES / "gtd_sahel.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0]["imonth"] = "13"
    rows[3]["latitude"], rows[3]["longitude"], rows[3]["city"] = "", "", "Nowhere-at-all"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    result = import_file(out.getvalue().encode(), "gtd", "GTD broken")
    assert refusals(result) == [
        (1, "date 2010-13-16 (iyear-imonth-iday) is not a date"),
        (4, "no latitude and longitude, and the city 'Nowhere-at-all' was not found"),
    ]
    assert result.imported == 4


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"{not json", "events.geojson is not valid JSON"),
        (
            b'{"type": "Point", "coordinates": [1, 2]}',
            "events.geojson is not a GeoJSON FeatureCollection (it is 'Point')",
        ),
        (b"[1, 2]", "events.geojson is not a GeoJSON FeatureCollection (it is 'list')"),
    ],
)
def test_geojson_file_problems(data, problem):
    result = import_file(data, "geojson", "Shapes", file_name="events.geojson")
    assert result.imported == 0 and result.problems[0].startswith(problem)


def test_generic_csv_file_problems():
    data = b"when,what,where\n2012-01-01,attack,Gao\n"
    result = import_file(data, "csv", "Unmapped")
    assert result.imported == 0
    assert any("no column is mapped to type" in problem for problem in result.problems)
    result = import_file(data, "csv", "Mapped", column_mapping={"date": "when", "type": "what", "place": "town"})
    assert result.problems == ["column(s) not in the file: place -> 'town'; its columns are when, what, where"]
    result = import_file(data, "csv", "Mapped", column_mapping={"date": "when", "type": "what", "place": "where"})
    assert result.imported == 1 and result.problems == []


def test_generic_csv_rows():
    data = (
        "id,date,end,type,lat,lon,country\n"
        "1,2012-01-01,2011-12-01,attack,16.3,-0.05,Mali\n"
        "2,2012-01-01,,,16.3,-0.05,Mali\n"
        "3,01/02/2012,,attack,,,Mali\n"
        "4,2012,,attack,16.3,-0.05,Mali\n"
        "1,2012-02-01,,attack,16.3,-0.05,Mali\n"
    ).encode()
    mapping = {
        "id": "id",
        "date": "date",
        "date_end": "end",
        "type": "type",
        "latitude": "lat",
        "longitude": "lon",
        "country": "country",
    }
    result = import_file(data, "csv", "Rows", column_mapping=mapping)
    assert refusals(result) == [
        (1, "the end date '2011-12-01' is before the date '2012-01-01'"),
        (2, "no type"),
        (3, "no latitude and longitude"),
        (5, "duplicate id 1, first seen on row 1"),
    ]
    assert result.imported == 1 and result.events["date_precision"].iloc[0] == "year"


def test_unknown_format_and_no_name():
    assert import_file(ACLED, "kml", "X").problems == ["unknown format 'kml'; expected one of acled, gtd, csv, geojson"]
    assert import_file(ACLED, "acled", "  ").problems == ["give the dataset a name"]


def test_preview_of_bad_files():
    assert read_table_preview(b"", "empty.csv") == ([], [], ["empty.csv is empty"])
    header, rows, problems = read_table_preview(acled_bytes(encoding="utf-16"), "acled.csv")
    assert problems == [] and header[0] == "event_id_cnty" and len(rows) == 5
    header, rows, problems = read_table_preview((FIXTURES / "events.geojson").read_bytes(), "events.geojson")
    assert problems == [] and "date" in header and rows[0]["id"] == "g1"
