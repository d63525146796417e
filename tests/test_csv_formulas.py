"""CSV files are safe to open in a spreadsheet: a text cell that starts like a formula gets a leading quote.

Numbers stay numbers (a longitude of -3.0), and GeoJSON and GeoPackage keep every value as it is.
"""

from __future__ import annotations

import csv
import importlib
import io
import json

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from geo.export import FORMULA_STARTS, file_bytes, formula_safe, formulas_neutralised, write_layer
from geo.imports import import_file
from ui.imported import combined_for_download

FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_starting_like_a_formula_gets_a_quote(start):
    assert formula_safe(f"{start}cmd") == f"'{start}cmd"


@pytest.mark.parametrize("value", ["Gao", "2012-06-27", "", "'=already quoted", " =after a space", -3.0, 7, None])
def test_other_cells_and_numbers_are_left_alone(value):
    assert formula_safe(value) == value or (value is None and formula_safe(value) is None)


def test_numeric_columns_stay_numeric_and_text_columns_are_neutralised():
    frame = pd.DataFrame({"title": [FORMULA, "-", "Gao"], "lon": [-3.0, -0.0447, 1.5], "hostages": [-1, 2, 0]})
    safe = formulas_neutralised(frame)
    assert safe["title"].tolist() == [f"'{FORMULA}", "'-", "Gao"]
    assert safe["lon"].dtype == float and safe["lon"].tolist() == [-3.0, -0.0447, 1.5]
    assert safe["hostages"].tolist() == [-1, 2, 0]
    assert frame["title"][0] == FORMULA  # the frame given is not changed


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture
def imported_with_formulas(tmp_path):
    """An imported CSV whose event name and notes are formulas, at a negative longitude."""
    source = tmp_path / "incidents.csv"
    source.write_text(
        "date,latitude,longitude,type,title,notes\n"
        f'2012-04-01,16.27,-3.0,kidnapping,"{FORMULA.replace(chr(34), 2 * chr(34))}","@SUM(1+1)"\n',
        encoding="utf-8",
    )
    result = import_file(source, "csv", dataset="=Incidents", file_name=source.name)
    assert result.imported == 1, result.summary()
    return result.events


def test_an_imported_formula_reaches_the_dashboard_csv_neutralised(imported_with_formulas, atlas):
    curated = atlas.events.head(3)
    events = combined_for_download(curated, gpd.GeoDataFrame(imported_with_formulas.assign(dataset="=Incidents")))
    rows = list(csv.DictReader(io.StringIO(file_bytes({"events": events}, "csv").decode("utf-8"))))
    mine = next(row for row in rows if row["dataset"] == "'=Incidents")
    assert f"'{FORMULA}" in mine.values() and any(value.startswith("'@SUM(1+1)") for value in mine.values())
    assert not [
        value for row in rows for value in row.values() if value.startswith(FORMULA_STARTS) and not _is_number(value)
    ]
    assert float(mine["lon"]) == -3.0  # written as a number, no quote


def test_geojson_and_geopackage_keep_the_values_as_they_are(tmp_path):
    frame = gpd.GeoDataFrame({"title": [FORMULA], "lon": [-3.0]}, geometry=[Point(-3.0, 16.27)], crs="EPSG:4326")
    document = json.loads(write_layer(frame, "geojson", tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert document["features"][0]["properties"]["title"] == FORMULA
    assert pyogrio.read_dataframe(write_layer(frame, "gpkg", tmp_path / "e.gpkg"))["title"][0] == FORMULA
    assert (
        next(csv.DictReader(open(write_layer(frame, "csv", tmp_path / "e.csv"), encoding="utf-8")))["title"]
        == f"'{FORMULA}"
    )


def test_the_command_line_export_writes_the_same_safe_csv(tmp_path, monkeypatch):
    commands = importlib.import_module("cli.main")
    monkeypatch.setattr(commands, "layer_frame", lambda *args, **kwargs: pd.DataFrame({"title": [FORMULA]}))
    out = tmp_path / "events.csv"
    assert commands.main(["export", "events", "--format", "csv", "--out", str(out)]) in (0, None)
    assert next(csv.DictReader(out.open(encoding="utf-8")))["title"] == f"'{FORMULA}"
