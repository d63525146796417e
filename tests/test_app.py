"""The dashboard under Streamlit's AppTest: filters, links, the map's arguments, bad input."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.catalog import load_atlas
from geo.filters import EventFilter, events_matching

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def run(query: dict | None = None, **state) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    for key, value in state.items():
        app.session_state[key] = value
    if state:
        app.run()
    assert not app.exception, app.exception
    return app


def map_args(app: AppTest) -> dict:
    [component] = [c for c in app.get("component_instance") if "st_folium" in c.proto.component_name]
    return json.loads(component.proto.json_args)


def drawn_events(app: AppTest) -> int:
    """Event markers in the layers sent to the map."""
    return len(re.findall(r'"layer": "events"', map_args(app)["feature_group"] or ""))


def summary_count(app: AppTest) -> int:
    summary = next(m.value for m in app.markdown if re.match(r"\*\*\d+ events?", m.value))
    return int(re.match(r"\*\*(\d+)", summary).group(1))


def expected(atlas, **filters) -> int:
    return len(events_matching(atlas.events, EventFilter(**filters), atlas.groups))


def test_opens_on_all_events_with_an_offline_map(atlas):
    app = run()
    assert summary_count(app) == len(atlas.events) > 60
    assert drawn_events(app) == len(atlas.events[atlas.events.geometry.notna()])
    args = map_args(app)
    links = args["js_links"] + args["css_links"]
    assert links and not [link for link in links if link.startswith("http")], links
    assert not re.search(r"(src|href)=.https?://", args["header"] + args["html"] + args["script"])


def test_year_range_filters_map_and_summary(atlas):
    app = run(years=(2010, 2010))
    count = expected(atlas, year_from=2010, year_to=2010)
    assert 0 < summary_count(app) == count < len(atlas.events)
    assert drawn_events(app) == count


def test_group_with_and_without_its_brigades(atlas):
    alone = run(groups=["aqim"], related=False)
    with_units = run(groups=["aqim"], related=True)
    assert summary_count(alone) == expected(atlas, groups=("aqim",))
    assert summary_count(with_units) == expected(atlas, groups=("aqim",), include_related=True)
    assert summary_count(with_units) > summary_count(alone)
    assert "AQIM and its brigades and successors" in next(m.value for m in with_units.markdown if "events" in m.value)


@pytest.mark.parametrize("widget, value, filters", [
    ("types", ["kidnapping"], {"types": ("kidnapping",)}),
    ("people", ["mokhtar-belmokhtar"], {"people": ("mokhtar-belmokhtar",)}),
    ("sources", ["001_f2bd6db9d75cc368.txt"], {"sources": ("001_f2bd6db9d75cc368.txt",)}),
    ("text", "Timbuktu", {"text": "Timbuktu"}),
])
def test_each_filter_narrows_the_events(atlas, widget, value, filters):
    app = run(**{widget: value})
    count = expected(atlas, **filters)
    assert 0 < summary_count(app) == count < len(atlas.events)
    assert drawn_events(app) == count


def test_link_restores_filters_and_selection(atlas):
    event_id = atlas.events["id"].iloc[0]
    app = run({"from": "2008", "to": "2010", "type": "kidnapping", "select": f"event:{event_id}"})
    assert app.slider(key="years").value == (2008, 2010)
    assert app.multiselect(key="types").value == ["kidnapping"]
    assert summary_count(app) == expected(atlas, year_from=2008, year_to=2010, types=("kidnapping",))
    assert not app.warning


def test_bad_link_shows_a_notice_and_the_rest_still_works(atlas):
    app = run({"from": "abc", "group": "aqim,<b>nobody</b>"})
    notices = [w.value for w in app.warning]
    assert "Ignored 'from=abc': not a year." in notices
    assert "Ignored unknown group in the link: <b>nobody</b>." in notices
    assert app.multiselect(key="groups").value == ["aqim"]


def test_filter_changes_reach_the_url(atlas):
    app = run(years=(2009, 2011), types=["release"])
    assert (app.query_params["from"], app.query_params["to"], app.query_params["type"]) == ("2009", "2011", "release")


def test_selected_event_details_show_sources_escaped(atlas):
    event = atlas.events.iloc[0]
    app = run(selected=f"event:{event['id']}")
    panel = "".join(h.proto.body for h in app.get("html"))
    assert "Sources" in panel
    for citation in event["sources"]:
        assert citation["locator"].replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;") in panel \
            or citation["locator"].replace("’", "’") in panel


def test_search_with_html_is_harmless(atlas):
    app = run(text="<script>alert(1)</script>")
    assert summary_count(app) == 0
    assert drawn_events(app) == 0


def test_selected_place_lists_every_shown_event_there(atlas):
    app = run(selected="place:timbuktu", years=(2012, 2013))
    panel = "".join(h.proto.body for h in app.get("html"))
    at_timbuktu = events_matching(atlas.events, EventFilter(year_from=2012, year_to=2013))
    at_timbuktu = at_timbuktu[at_timbuktu["places"].map(lambda ids: "timbuktu" in ids)]
    assert "<h3>Timbuktu</h3>" in panel
    assert f"{len(at_timbuktu)} events</b> here" in panel
    for title in at_timbuktu["title"]:
        assert title.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;") in panel


def test_online_basemap_only_when_chosen(atlas):
    offline = run()
    assert "tile.openstreetmap.org" not in map_args(offline)["script"]
    online = run(basemap="OpenStreetMap (online)")
    assert "tile.openstreetmap.org" in map_args(online)["script"]
    assert any("tiles are loaded from the internet" in c.value for c in online.caption)


def test_every_report_has_a_readable_label(atlas):
    from ui.details import Names

    labels = Names(atlas).sources
    assert set(labels) == set(atlas.sources["id"])
    assert not [label for label in labels.values() if label.startswith(("nan", "None"))]


def test_areas_and_distances_for_the_classroom(atlas):
    from geo.measure import great_circle_km

    app = run(distance_from="algiers", distance_to="timbuktu")
    points = atlas.places.set_index("id").geometry
    kilometres = great_circle_km(points["algiers"].x, points["algiers"].y, points["timbuktu"].x, points["timbuktu"].y)
    texts = [m.value for m in app.markdown]
    assert any(f"Algiers → Timbuktu: {kilometres:,.0f} km" in t for t in texts)
    assert any("times France and Belgium combined" in t for t in texts)


@pytest.mark.parametrize("breakage, message", [
    ("events.yaml", "not valid YAML"),
    ("places.yaml", "unknown place"),
])
def test_broken_data_files_give_a_message_not_a_traceback(tmp_path, monkeypatch, breakage, message):
    import shutil

    from streamlit import cache_resource

    from geo.catalog import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    target = data / breakage
    if breakage == "events.yaml":
        target.write_text("- id: [unclosed\n")
    else:  # drop Timbuktu: every event there now points at nothing
        text = target.read_text()
        start = text.index("- id: timbuktu\n")
        end = text.index("\n- id: ", start + 1)
        target.write_text(text[:start] + text[end + 1:])
    monkeypatch.setenv("SAHEL_ATLAS_DATA", str(data))
    cache_resource.clear()
    try:
        app = AppTest.from_file(APP, default_timeout=60).run()
        assert not app.exception
        assert "could not be loaded" in app.error[0].value
        assert message in app.code[0].value
    finally:
        cache_resource.clear()
