"""Exports carry what the data says: arrays stay arrays, dates are ISO, filters apply."""

import json

import geopandas as gpd
import pandas as pd
import pytest

from cli import main


def export(mini_data, tmp_path, *args):
    out = tmp_path / "out"
    status = main(["--data", str(mini_data), "export", *args, "--out", str(out)])
    return status, out


def test_events_geojson_has_arrays_iso_dates_and_points(mini_data, tmp_path):
    status, out = export(mini_data, tmp_path, "events", "--format", "geojson")
    assert status == 0
    features = json.loads(out.read_text())["features"]
    seizure = next(f for f in features if f["id"] == "2008-seizure")
    assert seizure["geometry"] == {"type": "Point", "coordinates": [-3.0, 16.7]}
    assert seizure["properties"]["date_start"] == "2008-03-01"
    assert seizure["properties"]["groups"] == ["child-brigade"]
    assert seizure["properties"]["sources"] == [
        {"source": "report-a.txt", "locator": "In March 2008 the brigade crossed"}
    ]


def test_filters_narrow_events_and_the_places_they_touch(mini_data, tmp_path):
    status, out = export(mini_data, tmp_path, "places", "--format", "geojson", "--type", "kidnapping")
    assert status == 0
    features = json.loads(out.read_text())["features"]
    assert [(f["id"], f["properties"]["event_count"]) for f in features] == [("townville", 1)]


def test_group_name_and_related_units(mini_data, tmp_path):
    status, out = export(
        mini_data,
        tmp_path,
        "events",
        "--format",
        "csv",
        "--group",
        "The Parents",
        "--with-related",
        "--from",
        "2008",
        "--to",
        "2008",
    )
    assert status == 0
    table = pd.read_csv(out)
    assert list(table["id"]) == ["2008-seizure", "2008-release"]
    assert json.loads(table.loc[0, "people"]) == ["traveller-one"]
    assert table.loc[0, "lon"] == -3.0


def test_gpkg_round_trip(mini_data, tmp_path):
    status, out = export(mini_data, tmp_path, "places", "--format", "gpkg")
    assert status == 0
    places = gpd.read_file(out)
    assert sorted(places["id"]) == ["otherton", "townville"]
    assert places.crs.to_epsg() == 4326


def test_people_without_geometry_export(mini_data, tmp_path):
    status, out = export(mini_data, tmp_path, "people", "--format", "geojson", "--person", "traveller-one")
    assert status == 0
    [feature] = json.loads(out.read_text())["features"]
    assert feature["geometry"] is None and feature["properties"]["aliases"] == ["T. One"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--group", "Nobody"], "unknown group: 'Nobody'"),
        (["--type", "picnic"], "unknown event type picnic"),
        (["--from", "2012", "--to", "2003"], "--from 2012 is after --to 2003"),
    ],
)
def test_bad_usage_is_a_message_not_a_traceback(mini_data, tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        export(mini_data, tmp_path, "events", "--format", "csv", *args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_every_export_layer_is_documented():
    from pathlib import Path

    from geo.export import EXPORT_LAYERS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert [layer for layer in EXPORT_LAYERS if f"`{layer}`" not in readme] == []


def test_a_package_holds_each_layer_as_its_own_table(tmp_path):
    import pyogrio

    from geo.boundaries import boundaries_in_force, load_boundaries
    from geo.catalog import load_atlas
    from geo.export import file_bytes, places_with_event_counts
    from geo.filters import EventFilter, events_matching

    atlas = load_atlas()
    events = events_matching(atlas.events, EventFilter(year_from=2012, year_to=2012))
    places = places_with_event_counts(atlas.places, events)
    frames = {
        "events": events,
        "places": places[places["event_count"] > 0],
        "boundaries": boundaries_in_force(load_boundaries(), 2012, 2012),
    }
    path = tmp_path / "view.gpkg"
    path.write_bytes(file_bytes(frames, "gpkg"))
    tables = {name: pyogrio.read_info(path, layer=name)["features"] for name, _ in pyogrio.list_layers(path)}
    assert tables == {name: len(frame) for name, frame in frames.items()}
    csv = file_bytes(frames, "csv").decode("utf-8").splitlines()
    assert len(csv) == len(events) + 1 and csv[0].startswith("id,")
    assert json.loads(file_bytes(frames, "geojson"))["features"][0]["properties"]["roles"]


def test_the_command_line_filters_by_country_and_takes_brigades_by_default_as_the_dashboard_does(tmp_path):
    from geo.catalog import load_atlas
    from geo.filters import EventFilter, events_matching

    atlas = load_atlas()
    out = tmp_path / "events.csv"
    assert main(["export", "events", "--format", "csv", "--out", str(out), "--country", "mali", "--group", "aqim"]) == 0
    written = set(pd.read_csv(out)["id"])
    # The dashboard's filter for the same choice: AQIM with its brigades and successors, in Mali.
    expected = events_matching(
        atlas.events, EventFilter(groups=("aqim",), include_related=True, countries=("Mali",)), atlas.groups
    )
    assert written == set(expected["id"]) and written
    assert (
        main(
            [
                "export",
                "events",
                "--format",
                "csv",
                "--out",
                str(out),
                "--country",
                "Mali",
                "--group",
                "aqim",
                "--without-related",
            ]
        )
        == 0
    )
    assert set(pd.read_csv(out)["id"]) < written  # the brigades' own events drop out
