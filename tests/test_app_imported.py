"""Imported data on the dashboard (AppTest): drawn apart, filtered like the reports, details, links, files."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.catalog import load_atlas
from geo.event_grid import mercator_positions
from geo.filters import EventFilter, events_matching, with_earlier_background
from geo.imports.read import import_file
from geo.workspace import open_workspace
from layers.event_grid import TYPES
from tests.apptest import map_args, map_drawn, run, shown
from ui.published import COMPONENT, events_dir

ACLED_SAMPLE = Path(__file__).parent / "fixtures" / "imports" / "acled_mali_niger.csv"
DATASET = "ACLED Mali & Niger <sample>"


@pytest.fixture(scope="module", params=["gpkg", "postgis"])
def workspace(request, tmp_path_factory):
    """A workspace holding the ACLED sample, for every test of this module: the GeoPackage file,
    then a PostGIS database (the dashboard is the same on both)."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "gpkg":
            path = tmp_path_factory.mktemp("imported") / "workspace.gpkg"
            patch.delenv("SAHEL_ATLAS_DATABASE_URL", raising=False)
            patch.setenv("SAHEL_ATLAS_WORKSPACE", str(path))
        else:
            patch.setenv("SAHEL_ATLAS_DATABASE_URL", request.getfixturevalue("postgis_server").new_database())
        workspace = open_workspace()
        result = import_file(ACLED_SAMPLE, "acled", dataset=DATASET, file_name=ACLED_SAMPLE.name)
        workspace.save_dataset(DATASET, result, file_name=ACLED_SAMPLE.name, format="acled")
        yield workspace


def map_script(app: AppTest) -> str:
    return map_args(app)["feature_group"] or ""


def grid_layer(app: AppTest) -> dict | None:
    """The gathered layer's settings as the map got them (None when no imported event is drawn)."""
    found = re.search(r"map\.atlas\.eventGrid\((\{.*?\})\); \}", map_script(app), re.S)
    return json.loads(found.group(1)) if found else None


def grid_data(app: AppTest) -> dict | None:
    """The imported events the map fetches, from where the app published them."""
    settings = grid_layer(app)
    if settings is None:
        return None
    assert settings["points"].startswith(f"/component/ui.published.{COMPONENT}/")
    return json.loads((events_dir() / settings["points"].rsplit("/", 1)[1]).read_text())


def imported_drawn(app: AppTest) -> list[tuple]:
    """The imported events drawn, as (position, type) pairs in the order the map got them."""
    data = grid_data(app)
    if data is None:
        return []
    unpack = lambda key, kind: np.frombuffer(base64.b64decode(data[key]), dtype=np.dtype(kind).newbyteorder("<"))
    return list(
        zip(
            unpack("x", np.uint32).tolist(),
            unpack("y", np.uint32).tolist(),
            [TYPES[k] for k in unpack("type", np.uint8)],
        )
    )


def expected_imported(workspace, **filters) -> list[tuple]:
    events = workspace.events()
    shown = events_matching(events, with_earlier_background(EventFilter(**filters), 2003), load_atlas().groups)
    shown = shown[shown.geometry.notna()]
    x, y = mercator_positions(shown.geometry.x, shown.geometry.y)
    return list(zip(x.tolist(), y.tolist(), shown["type"]))


def drawn_ids(app: AppTest, workspace) -> set[str]:
    """The ids of the imported events drawn, found from their positions and types."""
    events = workspace.events()
    x, y = mercator_positions(events.geometry.x, events.geometry.y)
    ids = {}
    for key, event_id in zip(zip(x.tolist(), y.tolist(), events["type"]), events["id"]):
        ids.setdefault(key, []).append(event_id)
    return {event_id for key in imported_drawn(app) for event_id in ids[key]}


def test_imported_events_are_drawn_apart_and_counted(workspace):
    app = run()
    drawn = imported_drawn(app)
    assert drawn == expected_imported(workspace, year_from=2003, year_to=2018) and len(drawn) >= 5
    summary = next(m.value for m in app.markdown if m.value.startswith("**151 events"))
    assert f"and {len(workspace.events())} of your imported events" in summary
    # The years slide up to the imported data's last year, but the reports' part keeps the reports' own.
    assert shown(summary).startswith("**151 events, up to 2013 · and") and "2018" not in summary
    assert grid_layer(app)["pane"] == "atlas-imported"  # their own pane, under the reports' marks
    html = "".join(h.proto.body for h in app.get("html"))
    assert "Your data" in html and "ACLED Mali &amp; Niger &lt;sample&gt;" in html  # the legend, escaped
    assert app.slider(key="years").max == 2018  # the slider reaches the imported data's last year


def test_the_legend_lists_your_data_only_where_the_range_shows_some(workspace):
    """The map holds every year for its slider, but the legend tells what the chosen range shows."""

    def legend(app) -> str:
        return "".join(h.proto.body for h in app.get("html"))

    empty_years = run({"from": "2003", "to": "2009"})  # the sample's events are from 2010 on
    assert "Your data" not in legend(empty_years) and "Events close together" not in legend(empty_years)
    some_years = run({"from": "2010", "to": "2010"})
    assert "Your data" in legend(some_years) and "Events close together" in legend(some_years)


def test_the_groups_filter_finds_imported_events_through_the_curated_aliases(workspace):
    app = run({"group": "aqim"})
    assert imported_drawn(app) == expected_imported(
        workspace, year_from=2003, year_to=2018, groups=("aqim",), include_related=True
    )
    drawn = drawn_ids(app, workspace)
    assert any(i.endswith("NIG1001") for i in drawn)  # Arlit, 2010: "AQIM: Al Qaeda in the Islamic Maghreb"
    assert not any(i.endswith("MLI2005") for i in drawn)  # a protest in Bamako


def test_the_country_filter_and_a_dataset_switched_off(workspace):
    niger = run({"country": "Niger"})
    assert niger.multiselect(key="countries").value == ["Niger"]
    assert imported_drawn(niger) == expected_imported(workspace, year_from=2003, year_to=2018, countries=("Niger",))
    off = run(datasets=[])
    assert imported_drawn(off) == []


def test_an_imported_event_opens_with_its_original_row_escaped_and_the_reports_account(workspace):
    arlit = next(i for i in workspace.events()["id"] if i.endswith("NIG1001"))
    app = run({"select": f"imported:{arlit}"})
    panel = "".join(h.proto.body for h in app.get("html"))
    assert "Imported event" in panel and "not from the reports" in panel
    assert "The reports tell this event too" in panel
    accounts = [b for b in app.button if b.label.startswith("Read the reports' account")]
    assert any("Arlit" in b.label for b in accounts), [b.label for b in accounts]
    accounts[0].click().run()
    assert app.session_state["selected"].startswith("event:") and "arlit" in app.session_state["selected"]
    bamako = next(i for i in workspace.events()["id"] if i.endswith("MLI2005"))
    protest = run({"select": f"imported:{bamako}"})
    panel = "".join(h.proto.body for h in protest.get("html"))
    assert "<script>alert" not in panel and "&lt;script&gt;alert" in panel


def test_downloads_and_the_table_hold_the_imported_events_with_their_dataset(workspace):
    app = run()
    # The table comes once the map says it has drawn its marks: the browser draws the map first.
    assert not app.dataframe and any("once the map is drawn" in c.value for c in app.caption)
    [table] = [d for d in map_drawn(app).dataframe]
    frame = table.value
    assert set(frame["Dataset"]) == {"Sahel Atlas (reports)", DATASET}
    assert (frame["Dataset"] == DATASET).sum() == len(workspace.events())
    assert any(f"Download the {151 + len(workspace.events()):,} events shown" in m.value for m in app.markdown)


def test_the_data_page_lists_the_datasets_and_offers_rename_and_delete(workspace):
    app = run(page="app_pages/data.py")
    table = next(frame.value for frame in app.dataframe if "Name" in frame.value.columns)
    assert list(table["Name"]) == [DATASET] and int(table["Events"].iloc[0]) == len(workspace.events())
    assert app.selectbox(key="rename_old").options == [DATASET] and app.selectbox(key="delete_name").options == [
        DATASET
    ]
    if workspace.shared:  # the team's store, and nobody signed in: read-only
        assert app.button(key="delete_go").disabled
        return
    # Deleting needs the box ticked: without it, nothing changes.
    app.selectbox(key="delete_name").set_value(DATASET)
    app.button(key="delete_go").click().run()
    assert any("Tick the box" in w.value for w in app.warning)
    assert [info.name for info in workspace.datasets()] == [DATASET]


def test_a_gathered_mark_opens_a_list_of_the_events_it_counts(workspace):
    from geo.event_grid import cell_of

    events = workspace.events()
    x, y = mercator_positions(events.geometry.x, events.geometry.y)
    columns, rows = cell_of(x, y, 4)  # at zoom 4 a cell is ~5.6 degrees: a few of the sample share one
    busiest = pd.Series(list(zip(columns.tolist(), rows.tolist()))).value_counts()
    (column, row), count = busiest.index[0], int(busiest.iloc[0])
    assert count > 1
    app = run({"select": f"cell:4:{column}:{row}", "from": "2003", "to": "2018"})
    panel = "".join(h.proto.body for h in app.get("html"))
    assert f"{count:,} events of your data here" in panel and "imported, not from the reports" in panel
    listed = next(
        d
        for d in app.dataframe
        if "Dataset" in d.value.columns and "Event" in d.value.columns and len(d.value) == count
    )
    inside = events[(columns == column) & (rows == row)]
    assert set(listed.value["Event"]) == set(inside["title"])
    assert listed.value["Date"].tolist() == sorted(listed.value["Date"], reverse=True)  # the latest first
    bad = run({"select": "cell:4:<b>:1"})
    assert bad.session_state["selected"] is None
    assert any("Ignored 'select=" in shown(w.value) for w in bad.warning)


def test_a_range_of_months_from_the_maps_slider_filters_the_imported_events_and_stays_in_the_link(workspace):
    app = run()
    app.session_state["atlas-map"] = {
        "last_active_drawing": {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "action": "time-range",
                "years": [2012, 2012],
                "from": "2012-01-01",
                "to": "2012-05-31",
                "step": "month",
                "whole": False,
                "at": 7,
            },
        }
    }
    app.run()
    assert not app.exception, app.exception
    assert app.slider(key="years").value == (2012, 2012)
    summary = next(m.value for m in app.markdown if m.value.startswith("**"))
    assert "and 2 of your imported events" in summary  # 24 January and 22 March, not 27 June
    assert app.query_params["dates"] == "2012-01-01..2012-05-31"
    groups = map_script(app)
    start = groups.index("atlas.time.configure(") + len("atlas.time.configure(")
    data = json.JSONDecoder().raw_decode(groups[start:])[0]
    assert data["range"] == [15340, 15491]  # the days the map opens on again
    assert data["steps"] == ["year", "quarter", "month", "week", "day"]
    # The years slider moved by hand: the days go.
    app.slider(key="years").set_value((2012, 2013)).run()
    assert "dates" not in app.query_params
