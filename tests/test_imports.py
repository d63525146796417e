"""Importers: each real layout (ACLED current and old, the HXL export, GTD as CSV and Excel, any CSV,
GeoJSON) into the atlas's event model, the real Burkina Faso export whole, filtering, the CLI."""

import csv
import json
import time
from pathlib import Path

import pandas as pd
import pytest

from cli import main
from geo.filters import EventFilter, events_matching
from geo.imports import guess_column_mapping, import_file, read_table_preview
from geo.imports.acled import ACLED_EVENT_TYPES, ACLED_TYPES
from geo.imports.actors import group_resolver
from geo.imports.gtd import GTD_TYPES
from geo.imports.model import IMPORTED_COLUMNS
from geo.imports.tabular import table_type
from geo.schema import EVENT_TYPES

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
PLACES_MAPPING = {"date": "Date", "type": "Event", "place": "Town", "country": "Country", "actors": "Perpetrator"}


def by_original_id(result):
    return {row["original_id"]: row for row in result.events.to_dict("records")}


# --- ACLED ------------------------------------------------------------------------------------------


def test_acled_current_codebook():
    result = import_file(FIXTURES / "acled_mali_niger.csv", "acled", "ACLED Mali Niger")
    assert (result.read, result.imported, result.refused, result.problems) == (8, 8, [], [])
    assert list(result.events.columns) == list(IMPORTED_COLUMNS)
    events = by_original_id(result)
    arlit = events["NIG1001"]
    assert arlit["id"] == "acled-mali-niger:NIG1001"
    assert (arlit["date_start"], arlit["date_end"], arlit["date_precision"]) == ("2010-09-16", "2010-09-16", "day")
    assert arlit["type"] == "kidnapping"
    assert arlit["original_type"] == "Violence against civilians / Abduction/forced disappearance"
    assert arlit["groups"] == ["aqim"] and arlit["roles"] == {"aqim": "actor"}
    assert arlit["actors"] == [
        "AQIM: Al Qaeda in the Islamic Maghreb",
        "Civilians (France)",
        "Civilians (Togo)",
        "Civilians (Madagascar)",
    ]
    assert arlit["title"] == "Abduction/forced disappearance in Arlit"
    assert arlit["summary"].startswith("Overnight, gunmen abducted seven employees")
    assert (arlit["country"], arlit["admin1"], arlit["source_text"]) == ("Niger", "Agadez", "AFP; Reuters")
    assert arlit["fatalities"] == 0 and arlit["location_precision"] == "exact" and arlit["geocode"] == "coordinates"
    assert (round(arlit["geometry"].x, 4), round(arlit["geometry"].y, 4)) == (7.3853, 18.7369)
    assert arlit["original"]["event_id_cnty"] == "NIG1001" and arlit["row"] == 1
    assert arlit["dataset"] == "ACLED Mali Niger" and arlit["origin"] == "acled"
    assert arlit["sources"] == [] and arlit["source_ids"] == []

    # actor1 side acts, actor2 side is the target; ACLED's names resolve to curated groups
    aguelhok = events["MLI2001"]
    assert aguelhok["roles"] == {"ansar-eddine": "actor", "malian-armed-forces": "target"}
    assert "MNLA: National Movement for the Liberation of Azawad" in aguelhok["actors"]
    assert events["MLI2002"]["type"] == "occupation" and events["MLI2002"]["groups"] == ["mujao"]
    konna = events["MLI2003"]["roles"]
    assert konna["french-armed-forces"] == "actor" and konna["aqim"] == "target" and konna["mujao"] == "target"
    assert events["NIG1002"]["roles"] == {"mujao": "actor", "al-murabitun": "actor"}
    # time_precision 2: the month of the date; geo_precision 3: a centroid
    founding = events["MLI2004"]
    assert (founding["date_start"], founding["date_end"], founding["date_precision"]) == (
        "2013-08-01",
        "2013-08-31",
        "month",
    )
    assert founding["type"] == "founding" and founding["location_precision"] == "centroid"
    assert events["MLI2005"]["type"] == "protest"
    # JNIM is not curated: no group, the name stays as text
    jnim = events["MLI3001"]
    assert jnim["groups"] == [] and jnim["actors"][0] == "JNIM: Group for Support of Islam and Muslims"
    assert jnim["location_precision"] == "approximate"


def test_acled_old_layout_upper_case_ally_actors_and_old_dates():
    result = import_file(FIXTURES / "acled_old_layout.csv", "acled", "ACLED old")
    assert (result.read, result.imported, result.refused, result.problems) == (4, 4, [], [])
    events = by_original_id(result)
    assert events["NIR20"]["date_start"] == "2010-09-16"  # dd/mm/yyyy
    assert events["NIR20"]["groups"] == ["aqim"]
    assert events["MLI10"]["date_start"] == "2012-01-17"
    assert events["MLI10"]["roles"] == {"malian-armed-forces": "target"}  # 'Military Forces of Mali (1992-2012)'
    # "12 August 2010" with time_precision 2: the month
    assert (events["MLI11"]["date_start"], events["MLI11"]["date_end"], events["MLI11"]["date_precision"]) == (
        "2010-08-01",
        "2010-08-31",
        "month",
    )
    assert events["MLI11"]["type"] == "decision"
    # ALLY_ACTOR_1 is the actor side
    assert events["MLI12"]["roles"] == {"ansar-eddine": "actor", "aqim": "actor"}
    assert events["MLI12"]["type"] == "occupation"
    assert events["MLI12"]["original"]["GWNO"] == "432"


def test_acled_hxl_row_is_skipped_and_rows_counted_after_it():
    text = (FIXTURES / "acled_mali_niger.csv").read_text(encoding="utf-8").splitlines()
    hxl = ",".join(
        "#event+code" if name == "event_id_cnty" else "#date+occurred" if name == "event_date" else ""
        for name in text[0].split(",")
    )
    data = "\n".join([text[0], hxl, text[1], text[2].replace("MLI2001", "NIG1001")]).encode()
    result = import_file(data, "acled", "HXL")
    assert result.read == 2 and result.imported == 1
    assert [(refusal.row, refusal.reason) for refusal in result.refused] == [
        (2, "duplicate id NIG1001, first seen on row 1")
    ]


def test_every_acled_type_maps_to_an_atlas_type():
    assert set(ACLED_TYPES.values()) <= set(EVENT_TYPES)
    assert set(ACLED_EVENT_TYPES.values()) <= set(EVENT_TYPES)
    assert set(GTD_TYPES.values()) <= set(EVENT_TYPES)


@pytest.mark.parametrize(
    "name, group",
    [
        ("AQIM: Al Qaeda in the Islamic Maghreb", "aqim"),
        ("Al-Qaida in the Islamic Maghreb (AQIM)", "aqim"),
        ("MUJAO: Movement for Unity and Jihad in West Africa", "mujao"),
        ("Movement for Oneness and Jihad in West Africa (MUJAO)", "mujao"),
        ("Al Mourabitoune", "al-murabitun"),
        ("Al-Mourabitoun", "al-murabitun"),
        ("Ansar Dine", "ansar-eddine"),
        ("Ansar al-Dine (Mali)", "ansar-eddine"),
        ("Signed-in-Blood Battalion", "signers-in-blood"),
        ("Military Forces of Mali (2002-2012)", "malian-armed-forces"),
        ("Military Forces of France (2012-2017)", "french-armed-forces"),
        ("Government of Burkina Faso (2015-)", "burkinabe-government"),
        ("JNIM: Group for Support of Islam and Muslims", None),
        ("Islamic State (Greater Sahara)", None),
        ("Tuareg extremists", None),
        ("Civilians (Mali)", None),
    ],
)
def test_dataset_actor_names_resolve_to_curated_groups(atlas, name, group):
    assert group_resolver(atlas.groups).resolve(name) == group


# --- The real Burkina Faso export ------------------------------------------------------------------


def test_the_burkina_faso_export_whole(acled_burkina):
    with acled_burkina.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    hxl_row, data_rows = rows[0], rows[1:]
    assert hxl_row["event_id_cnty"].startswith("#")
    ids = [row["event_id_cnty"] for row in data_rows]
    duplicates = len(ids) - len(set(ids))

    started = time.perf_counter()
    result = import_file(acled_burkina, "acled", "ACLED Burkina Faso")
    seconds = time.perf_counter() - started

    assert result.problems == []
    assert result.read == len(data_rows)
    assert len(result.refused) == duplicates
    assert result.imported == len(data_rows) - duplicates
    assert seconds < 3, f"import took {seconds:.2f} s"
    events = result.events
    assert set(events["type"]) <= set(EVENT_TYPES)
    assert {"attack", "kidnapping", "protest"} <= set(events["type"])
    assert events["original_id"].tolist() != [] and events["row"].min() == 1
    # JNIM rows: no curated group, the name kept as text and found by a text filter on actors
    jnim = events[events["actors"].map(lambda names: any(name.startswith("JNIM:") for name in names))]
    expected = sum(
        1 for row in data_rows if "JNIM:" in row["actor1"] + row["actor2"] + row["assoc_actor_1"] + row["assoc_actor_2"]
    )
    assert len(jnim) == expected > 0
    assert not any("jnim" in " ".join(groups) for groups in jnim["groups"])
    # every time_precision 2 row is a month span
    months = events[events["original"].map(lambda row: row["time_precision"] == "2")]
    assert (months["date_precision"] == "month").all()
    assert (months["date_start"].str[8:] == "01").all()


# --- GTD ---------------------------------------------------------------------------------------------


def gtd_checks(result):
    assert (result.read, result.imported, result.refused, result.problems) == (6, 6, [], [])
    events = by_original_id(result)
    arlit = events["201009160010"]
    assert arlit["type"] == "kidnapping" and arlit["groups"] == ["aqim"] and arlit["roles"] == {"aqim": "actor"}
    assert arlit["hostage_count"] == 7
    assert arlit["hostage_nationalities"] == ["FR", "TG", "MG"]
    assert arlit["ransom"] == "ransom demanded"
    assert arlit["source_text"].startswith('"Seven kidnapped in Niger uranium town,"') and " | " in arlit["source_text"]
    assert arlit["location_precision"] == "exact"
    in_amenas = events["201301160001"]
    assert in_amenas["type"] == "kidnapping" and in_amenas["groups"] == ["signers-in-blood"]
    assert (in_amenas["date_start"], in_amenas["date_end"]) == ("2013-01-16", "2013-01-19")  # extended to resolution
    assert in_amenas["fatalities"] == 69 and in_amenas["ransom"] == "no ransom demanded"
    gao = events["201206000003"]  # iday 0: the month
    assert (gao["date_start"], gao["date_end"], gao["date_precision"]) == ("2012-06-01", "2012-06-30", "month")
    assert gao["groups"] == ["mujao", "ansar-eddine"] and gao["fatalities"] is None  # -99 is unknown
    tessalit = events["201100000004"]  # imonth 0: the year; specificity 2
    assert (tessalit["date_start"], tessalit["date_end"], tessalit["date_precision"]) == (
        "2011-01-01",
        "2011-12-31",
        "year",
    )
    assert tessalit["groups"] == [] and tessalit["actors"] == ["Tuareg extremists"]
    assert tessalit["location_precision"] == "approximate"
    kidal = events["201203150005"]  # no coordinates: placed by its city
    assert kidal["type"] == "killing" and kidal["actors"] == []
    assert kidal["geocode"] == "gazetteer: Kidal (exact name)" and kidal["place"] == "kidal"
    bomb = events["201312140006"]
    assert bomb["groups"] == ["al-murabitun"]
    assert bomb["money"] == [
        {"amount": 3000000.0, "currency": "USD", "status": "demanded"},
        {"amount": 1000000.0, "currency": "USD", "status": "paid"},
    ]
    assert bomb["ransom"].startswith("ransom demanded: 3,000,000 USD; paid: 1,000,000 USD")


def test_gtd_csv():
    gtd_checks(import_file(FIXTURES / "gtd_sahel.csv", "gtd", "GTD Sahel"))


def test_gtd_excel_workbook(tmp_path):
    from openpyxl import Workbook

    with (FIXTURES / "gtd_sahel.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        # numbers as numbers, as GTD's own workbook has them
        sheet.append(
            [
                int(value)
                if value.lstrip("-").isdigit()
                else float(value)
                if value.replace(".", "", 1).lstrip("-").isdigit()
                else value or None
                for value in row
            ]
        )
    path = tmp_path / "gtd.xlsx"
    workbook.save(path)
    result = import_file(path, "gtd", "GTD Sahel")
    gtd_checks(result)
    header, first_rows, problems = read_table_preview(path)
    assert problems == [] and len(header) == 135 and first_rows[0]["city"] == "Arlit"


# --- Any CSV, GeoJSON -----------------------------------------------------------------------------


def test_generic_csv_with_coordinates_and_a_guessed_mapping():
    header, first_rows, problems = read_table_preview(FIXTURES / "generic_latlon.csv")
    assert problems == [] and header[:3] == ["ref", "date", "category"] and first_rows[0]["ref"] == "A1"
    mapping = guess_column_mapping(header)
    assert mapping == {
        "id": "ref",
        "date": "date",
        "type": "category",
        "latitude": "lat",
        "longitude": "lon",
        "country": "country",
        "title": "title",
        "summary": "notes",
        "actors": "group",
        "fatalities": "killed",
        "source": "source",
    }
    result = import_file(FIXTURES / "generic_latlon.csv", "csv", "My table", column_mapping=mapping)
    assert (result.read, result.imported) == (5, 4)
    assert [refusal.row for refusal in result.refused] == [5]
    assert result.refused[0].reason.startswith("type 'picnic' is not one the atlas can read: use one of kidnapping,")
    events = by_original_id(result)
    assert events["A1"]["type"] == "kidnapping" and events["A1"]["groups"] == ["aqim"]
    assert events["A2"]["type"] == "release" and events["A2"]["groups"] == ["aqim"]
    assert events["A3"]["type"] == "attack" and events["A3"]["actors"] == ["MUJAO", "Local militia"]
    assert events["A3"]["fatalities"] == 4 and events["A4"]["type"] == "attack"
    assert events["A1"]["id"] == "my-table:A1" and events["A1"]["origin"] == "csv"


def test_generic_csv_with_place_names_only():
    result = import_file(FIXTURES / "generic_places.csv", "csv", "Places", column_mapping=PLACES_MAPPING)
    assert (result.read, result.imported) == (5, 4)
    assert [(refusal.row, refusal.reason) for refusal in result.refused] == [
        (
            5,
            "place 'Xyzzyville' was not found in Mali (neither in the atlas's gazetteer nor among GeoNames towns); "
            "give its latitude and longitude",
        )
    ]
    events = {row["row"]: row for row in result.events.to_dict("records")}
    assert events[1]["geocode"] == "gazetteer: Timbuktu (alias 'Tombouctou')" and events[1]["place"] == "timbuktu"
    assert events[1]["place_name"] == "Tombouctou" and events[1]["location_precision"] == "exact"
    assert events[2]["geocode"] == "GeoNames: Gao (exact name)" and pd.isna(events[2]["place"])
    assert events[3]["geocode"] == "gazetteer: Kidal (exact name)" and events[3]["country"] == "Mali"  # from the point
    assert events[4]["geocode"].startswith("gazetteer: Timbuktu (fuzzy ")
    assert events[4]["location_precision"] == "approximate"
    assert events[1]["id"] == "places:1"  # no id column: the row number


def test_a_fixed_value_in_the_mapping():
    mapping = {**PLACES_MAPPING, "type": "=attack"}
    result = import_file(FIXTURES / "generic_places.csv", "csv", "Places", column_mapping=mapping)
    assert set(result.events["type"]) == {"attack"}


@pytest.mark.parametrize(
    "written, expected",
    [
        ("Kidnapping", "kidnapping"),
        ("Hostage release", "release"),
        ("Abduction/forced disappearance", "kidnapping"),
        ("Hostage Taking (Kidnapping)", "kidnapping"),
        ("Assassination", "killing"),
        ("IED attack", "attack"),
        ("hostages freed", "release"),
        ("Ransom demand or payment", "ransom"),
        ("Arrests", "arrest"),
        ("cigarette smuggling", "trafficking"),
        ("picnic", None),
    ],
)
def test_free_text_types(written, expected):
    assert table_type(written) == expected


def test_geojson():
    result = import_file(FIXTURES / "events.geojson", "geojson", "Shapes")
    assert (result.read, result.imported) == (5, 3)
    reasons = {refusal.row: refusal.reason for refusal in result.refused}
    assert reasons[4].startswith("geometry cannot be read")
    assert reasons[5] == "the point (95.0, 2.4) is outside the globe (latitude -90..90, longitude -180..180)"
    events = by_original_id(result)
    assert events["g1"]["type"] == "kidnapping" and events["g1"]["groups"] == ["aqim"]
    assert events["g1"]["fatalities"] == 0
    # a polygon: a point inside it, an area's precision, said in geocode
    assert events["g2"]["location_precision"] == "centroid"
    assert events["g2"]["geocode"] == "a point inside the feature's Polygon"
    assert events["g2"]["date_precision"] == "month"
    # no geometry: its place name
    assert events["g3"]["place"] == "timbuktu" and events["g3"]["groups"] == ["ansar-eddine", "aqim"]


# --- Imported events with the curated ones' filter ---------------------------------------------------


def test_imported_events_pass_through_the_group_filter(atlas):
    result = import_file(FIXTURES / "acled_mali_niger.csv", "acled", "ACLED Mali Niger")
    shown = events_matching(result.events, EventFilter(groups=("aqim",), include_related=True), atlas.groups)
    # AQIM acting (Arlit) or targeted (Konna); MUJAO (a split from AQIM) and Al-Murabitun count as its successors
    assert set(shown["original_id"]) == {"NIG1001", "MLI2002", "MLI2003", "NIG1002", "MLI2004"}
    actors_only = events_matching(result.events, EventFilter(groups=("aqim",), roles=("actor",)), atlas.groups)
    assert set(actors_only["original_id"]) == {"NIG1001"}
    years = events_matching(result.events, EventFilter(year_from=2013, year_to=2013, types=("attack",)))
    assert set(years["original_id"]) == {"MLI2003", "NIG1002"}
    text = events_matching(result.events, EventFilter(text="Konna"))
    assert set(text["original_id"]) == {"MLI2003"}


# --- The command line ---------------------------------------------------------------------------------


def test_cli_import_to_geojson(tmp_path, capsys):
    out = tmp_path / "events.geojson"
    code = main(
        ["import", str(FIXTURES / "generic_latlon.csv"), "--format", "csv", "--name", "My table", "--out", str(out)]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "5 rows read, 4 imported, 1 refused" in printed
    assert "row 5: type 'picnic' is not one the atlas can read" in printed
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["features"]) == 4
    first = document["features"][0]
    assert first["geometry"]["type"] == "Point"
    assert isinstance(first["properties"]["groups"], list) and isinstance(first["properties"]["original"], dict)


def test_cli_import_acled(tmp_path, capsys):
    out = tmp_path / "acled.geojson"
    code = main(["import", str(FIXTURES / "acled_mali_niger.csv"), "--format", "acled", "--out", str(out)])
    assert code == 0
    assert "8 rows read, 8 imported, 0 refused" in capsys.readouterr().out
    ids = [feature["properties"]["id"] for feature in json.loads(out.read_text())["features"]]
    assert "acled-mali-niger:NIG1001" in ids


def test_cli_import_with_a_mapping_and_usage_errors(tmp_path, capsys):
    out = tmp_path / "places.geojson"
    arguments = ["import", str(FIXTURES / "generic_places.csv"), "--format", "csv", "--out", str(out)]
    mapping = [part for field, column in PLACES_MAPPING.items() for part in ("--map", f"{field}={column}")]
    assert main(arguments + mapping) == 0
    assert "5 rows read, 4 imported, 1 refused" in capsys.readouterr().out
    # nothing imported: exit 1, the problem said
    assert main(arguments) == 1
    assert "no column is mapped to type" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(arguments + ["--map", "colour=Town"])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:
        main(["import", str(tmp_path / "missing.csv"), "--format", "csv", "--out", str(out)])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:
        main(["import", str(FIXTURES / "generic_places.csv"), "--format", "xml", "--out", str(out)])
    assert usage.value.code == 2


def test_cli_import_into_the_workspace(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    arguments = ["import", str(FIXTURES / "acled_mali_niger.csv"), "--format", "acled", "--name", "Mali Niger"]
    assert main(arguments) == 0
    assert "saved 8 events as dataset 'Mali Niger' in the workspace" in capsys.readouterr().out
    assert main(arguments) == 1  # the name is taken
    assert "already in the workspace" in capsys.readouterr().err
    assert main(arguments + ["--replace"]) == 0
    from geo.workspace import Workspace

    assert Workspace.default().names() == ["Mali Niger"]


def test_cli_import_without_a_workspace(monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "geo.workspace", None)  # as if the module were not there
    code = main(["import", str(FIXTURES / "acled_mali_niger.csv"), "--format", "acled"])
    assert code == 1
    assert "the workspace is not available yet; use --out" in capsys.readouterr().err
