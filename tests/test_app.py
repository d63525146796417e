"""The dashboard under Streamlit's AppTest: filters, links, the map's arguments, bad input."""

import datetime
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.basemap import regions
from geo.boundaries import boundaries_in_force, load_boundaries
from geo.filters import EventFilter, events_matching
from geo.routes import route_lines
from layers.atlas_map import LABEL_SIZES
from style import TOWN_KINDS
from tests.apptest import map_args, page_html, run, shown
from ui.charts import disagreement_counts


@pytest.fixture(scope="module")
def first_view():
    """The page as a first-time visitor sees it (read it, do not click in it)."""
    return run()


def time_data(app: AppTest) -> dict:
    """What the map's time slider was sent: its range and the spans of the features."""
    groups = map_args(app)["feature_group"] or ""
    start = groups.index("atlas.time.configure(") + len("atlas.time.configure(")
    return json.JSONDecoder().raw_decode(groups[start:])[0]


def on_map(app: AppTest, kind: str) -> set[str]:
    """The ids of the ``kind`` features ('event', 'boundary') the map shows for its slider's range,
    as its time filter (layers/time_filter.js) decides."""
    data = time_data(app)
    low, high = data["range"]
    if data["earlierBackground"] and low <= data["axis"][0]:
        low = float("-inf")
    if kind == "boundary":
        year = data["boundaryYear"] or (datetime.date(1970, 1, 1) + datetime.timedelta(days=high)).year
        return {
            key.split(":", 1)[1]
            for key, (first, last) in data["boundaries"].items()
            if key in {f"boundary:{i}" for i in drawn_ids(app, "boundary")}
            and (first is None or first <= year)
            and (last is None or last >= year)
        }
    return {
        key.split(":", 1)[1]
        for key, (first, last) in data["events"].items()
        if first <= high and last >= low and key.split(":", 1)[1] in drawn_ids(app, "event")
    }


def drawn_events(app: AppTest) -> int:
    """Event markers the map shows for its slider's range (it is sent those of every year)."""
    return len(on_map(app, "event"))


def summary_count(app: AppTest) -> int:
    summary = next(m.value for m in app.markdown if re.match(r"\*\*\d+ events?", m.value))
    return int(re.match(r"\*\*(\d+)", summary).group(1))


def expected(atlas, **filters) -> int:
    return len(events_matching(atlas.events, EventFilter(**filters), atlas.groups))


def drawn_ids(app: AppTest, kind: str) -> set[str]:
    """The ids of the ``kind`` features ('boundary', 'region', 'place', 'event') a click on the map can select."""
    return set(re.findall(rf'"select": "{kind}:([^"]+)"', map_args(app)["feature_group"] or ""))


def button_labels(app: AppTest) -> list[str]:
    return [b.label for b in app.button]


def last_year(atlas) -> int:
    return max(2013, int(atlas.events["year_end"].max()))


def test_opens_on_all_events_with_an_offline_map(atlas, first_view):
    app = first_view
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


@pytest.mark.parametrize(
    "widget, value, filters",
    [
        ("types", ["kidnapping"], {"types": ("kidnapping",)}),
        ("people", ["mokhtar-belmokhtar"], {"people": ("mokhtar-belmokhtar",)}),
        ("sources", ["001_f2bd6db9d75cc368.txt"], {"sources": ("001_f2bd6db9d75cc368.txt",)}),
        ("text", "Timbuktu", {"text": "Timbuktu"}),
    ],
)
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
    notices = [shown(w.value) for w in app.warning]
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
        assert (
            citation["locator"].replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;") in panel
            or citation["locator"].replace("’", "’") in panel
        )


def test_search_finds_a_place_by_any_of_its_names(atlas):
    timbuktu = summary_count(run(text="Timbuktu"))
    assert timbuktu > 0
    assert summary_count(run(text="Tombouctou")) == summary_count(run(text="tombouctou ")) == timbuktu
    assert summary_count(run(text="In Aménas")) == summary_count(run(text="in amenas")) > 0


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


def test_online_basemap_only_when_chosen(atlas, first_view):
    offline = first_view
    assert "tile.openstreetmap.org" not in map_args(offline)["script"]
    online = run(basemap="OpenStreetMap (online)")
    assert "tile.openstreetmap.org" in map_args(online)["script"]
    assert any("tiles are loaded from the internet" in c.value for c in online.caption)


def test_every_report_has_a_readable_label(atlas):
    from view import Names

    labels = Names(atlas).sources
    assert set(labels) == set(atlas.sources["id"])
    assert not [label for label in labels.values() if label.startswith(("nan", "None"))]


def test_areas_and_distances_for_the_classroom(atlas):
    from geo.measure import great_circle_km

    app = run(below_map="Areas and distances", measure_from="algiers", measure_to="timbuktu")
    points = atlas.places.set_index("id").geometry
    kilometres = great_circle_km(points["algiers"].x, points["algiers"].y, points["timbuktu"].x, points["timbuktu"].y)
    texts = [m.value for m in app.markdown]
    assert any(f"Algiers → Timbuktu: {kilometres:,.0f} km" in t for t in texts)
    from geo.measure import LETTERS_REGION_READING  # which region the letters' comparison most plausibly meant

    assert any(LETTERS_REGION_READING in caption.value for caption in app.caption)
    assert any("times France and Belgium combined" in t for t in texts)


@pytest.mark.parametrize(
    "breakage, message",
    [
        ("events.yaml", "not valid YAML"),
        ("places.yaml", "unknown place"),
    ],
)
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
        target.write_text(text[:start] + text[end + 1 :])
    monkeypatch.setenv("SAHEL_ATLAS_DATA", str(data))
    cache_resource.clear()
    try:
        app = run()
        assert "could not be loaded" in app.error[0].value
        assert message in app.code[0].value
    finally:
        cache_resource.clear()


def test_first_view_spans_2003_to_2013_with_reference_layers(atlas, first_view):
    app, end = first_view, last_year(atlas)
    slider = app.slider(key="years")
    assert (slider.min, slider.max) == (2003, end) and slider.value == (2003, end)
    assert atlas.events["year_start"].min() < 2003  # events that began earlier ...
    assert summary_count(app) == expected(atlas, year_from=None, year_to=end)  # ... are counted
    assert summary_count(app) > expected(atlas, year_from=2003, year_to=end)  # even those over by 2003
    assert app.multiselect(key="layers").value == ["events", "places", "towns", "boundaries"]
    groups = map_args(app)["feature_group"]
    assert not re.search(r'"id": "route-', groups)
    assert not drawn_ids(app, "region")
    towns = atlas.places[atlas.places.geometry.notna() & atlas.places["kind"].isin(TOWN_KINDS)]
    assert set(re.findall(r'"id": "town-([^"]+)"', groups)) == set(towns["id"])
    assert groups.count('"mark": "town"') == len(towns) > 0
    assert 'addLabels("towns"' in groups
    # With no boundary year chosen, the boundaries drawn are those of the last year shown.
    assert on_map(app, "boundary") == set(boundaries_in_force(load_boundaries(), end, end)["id"])
    assert "boundaries" not in app.query_params


def test_boundaries_of_the_chosen_year_reach_map_and_link(atlas):
    boundaries = load_boundaries()
    app = run(years=(2003, 2008))
    assert on_map(app, "boundary") == set(boundaries_in_force(boundaries, 2008, 2008)["id"])
    app.selectbox(key="boundary_year").set_value(2005).run()
    in_2005 = set(boundaries_in_force(boundaries, 2005, 2005)["id"])
    assert in_2005 and on_map(app, "boundary") == in_2005 != set(boundaries_in_force(boundaries, 2008, 2008)["id"])
    assert app.query_params["boundaries"] == "2005"


def test_reset_filters_gives_back_every_event_and_the_full_range(atlas):
    app = run(groups=["aqim"], types=["kidnapping"], text="Timbuktu", years=(2008, 2010))
    everything = expected(atlas, year_to=last_year(atlas))
    assert summary_count(app) < everything
    app.button(key="reset").click().run()
    assert not app.exception, app.exception
    assert summary_count(app) == everything
    assert drawn_events(app) == len(atlas.events[atlas.events.geometry.notna()])
    assert app.slider(key="years").value == (2003, last_year(atlas))
    assert (app.multiselect(key="groups").value, app.multiselect(key="types").value) == ([], [])
    assert app.text_input(key="text").value == ""
    assert not {"from", "to", "group", "type", "q"} & set(app.query_params)


def test_link_notices_can_be_dismissed_and_repeated_types_combine(atlas):
    app = run({"colour": "red", "type": ["kidnapping", "meeting"]})
    assert [shown(w.value) for w in app.warning] == ["Ignored unknown link parameter: colour."]
    assert app.multiselect(key="types").value == ["kidnapping", "meeting"]
    both = expected(atlas, year_to=last_year(atlas), types=("kidnapping", "meeting"))
    assert summary_count(app) == both > expected(atlas, year_to=last_year(atlas), types=("kidnapping",))
    assert "colour" not in app.query_params
    app.button(key="dismiss_notices").click().run()
    assert not app.warning
    assert not [b for b in app.button if b.key == "dismiss_notices"]
    app.run()  # and they stay dismissed
    assert not app.warning


def test_disagreements_follow_the_filters_unless_all_are_asked_for(atlas):
    app = run(years=(2008, 2008), below_map="Disagreements")
    shown_events = events_matching(atlas.events, EventFilter(year_from=2008, year_to=2008))
    shown, total = disagreement_counts(atlas, shown_events)
    captions = [c.value for c in app.caption]
    assert 0 < shown < total
    assert f"{shown} of {total} disagreements bear on the events shown" in captions
    assert page_html(app).count("class='atlas-claims'") == shown
    app.toggle(key="all_disagreements").set_value(True).run()
    assert f"{total} of {total} disagreements" in [c.value for c in app.caption]
    assert page_html(app).count("class='atlas-claims'") == total


def test_events_per_year_chart_covers_exactly_the_selected_years(atlas):
    import pyarrow as pa

    app = run(years=(2008, 2010), below_map="Events per year")
    [chart] = app.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [2008, 2009, 2010]
    tables = [pa.ipc.open_stream(dataset.data.data).read_all().to_pandas() for dataset in chart.proto.datasets]
    [totals] = [table for table in tables if "Total" in table.columns]  # the label over each bar
    shown = events_matching(atlas.events, EventFilter(year_from=2008, year_to=2010))
    # An event counts in every selected year it spans.
    assert dict(zip(totals["Year"], totals["Total"])) == {
        year: int(((shown["year_start"] <= year) & (shown["year_end"] >= year)).sum()) for year in (2008, 2009, 2010)
    }
    [parts] = [table for table in tables if "Part" in table.columns]  # the stacked bars add up to the totals
    assert parts.groupby("Year")["Count"].sum().to_dict() == dict(zip(totals["Year"], totals["Total"]))


def _lift_hand(app: AppTest, years, at: int) -> AppTest:
    """What the map sends when the hand is lifted off its time slider (layers/time_filter.js)."""
    app.session_state["atlas-map"] = {
        "last_active_drawing": {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "action": "time-range",
                "years": list(years),
                "from": f"{years[0]}-01-01",
                "to": f"{years[1]}-12-31",
                "step": "year",
                "at": at,
            },
        }
    }
    app.run()
    assert not app.exception, app.exception
    return app


def test_the_range_the_map_sends_on_release_updates_the_page_and_link(atlas):
    app = run(years=(2003, 2013))
    assert not [b for b in app.button if b.label.startswith("Play")]  # Play is on the map
    _lift_hand(app, (2008, 2009), at=1)
    assert app.slider(key="years").value == (2008, 2009)
    assert summary_count(app) == expected(atlas, year_from=2008, year_to=2009)
    assert (app.query_params["from"], app.query_params["to"]) == ("2008", "2009")
    assert time_data(app)["range"] == [13879, 14609]  # 2008-01-01 to 2009-12-31, days since 1970
    assert drawn_events(app) == summary_count(app)
    # The same message read again (a later run) changes nothing: the user may have moved the widget since.
    app.slider(key="years").set_value((2010, 2011)).run()
    _lift_hand(app, (2008, 2009), at=1)
    assert app.slider(key="years").value == (2010, 2011)


def test_the_map_is_sent_every_year_with_the_spans_its_slider_filters_by(atlas):
    app = run(years=(2010, 2010))
    data = time_data(app)
    located = atlas.events[atlas.events.geometry.notna()]
    assert drawn_ids(app, "event") == set(located["id"])  # every year's events, to filter in the browser
    assert len(data["boundaries"]) == len(load_boundaries())  # every version of the boundaries
    assert data["steps"] == ["year"]  # finer steps are for imported data, dated to the day
    assert data["earlierBackground"] and data["send"]


def test_clicking_a_boundary_shows_its_details_and_reports(atlas):
    from view import Names

    boundary = load_boundaries().set_index("id").loc["jihadist-held-northern-mali"]
    app = run(selected="boundary:jihadist-held-northern-mali", years=(2012, 2012))
    panel = page_html(app)
    assert f"<h3>{boundary['name']}</h3>" in panel
    titles = Names(atlas).source_titles
    for citation in boundary["sources"]:
        assert f"“{citation['locator']}”" in panel.replace("&#x27;", "'")
        assert titles[citation["source"]].replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;") in panel
    assert app.query_params["select"] == "boundary:jihadist-held-northern-mali"


def test_label_size_and_the_layers_off_at_first(atlas):
    app = run(label_size="Wall screen", layers=["events", "places", "towns", "boundaries", "routes", "regions"])
    groups = map_args(app)["feature_group"]
    assert f"setLabelSize({LABEL_SIZES['Wall screen']})" in groups
    assert f"setLabelSize({LABEL_SIZES['Normal']})" not in groups
    routes = route_lines(atlas.events, atlas.places)
    assert set(re.findall(r'"id": "route-([^"]+)"', groups)) == set(routes["id"]) != set()
    assert drawn_ids(app, "region") == set(regions()["id"])
    assert 'addLabels("region-names"' in groups


def test_only_named_events_join_a_person_filter_when_asked(atlas):
    deeds = run(people=["abdelhamid-abu-zeid"])
    mentions = run(people=["abdelhamid-abu-zeid"], named=True)
    assert summary_count(deeds) == expected(atlas, people=("abdelhamid-abu-zeid",))
    assert summary_count(mentions) == expected(atlas, people=("abdelhamid-abu-zeid",), include_named=True)
    assert summary_count(mentions) > summary_count(deeds)
    assert mentions.query_params["named"] == ["1"] or mentions.query_params["named"] == "1"


def test_the_data_shown_can_be_downloaded(atlas):
    app = run(years=(2012, 2012))
    buttons = {button.proto.label: button for button in app.get("download_button")}
    assert {"CSV", "GeoJSON", "GeoPackage", "Picture (PNG)", "Offline map (HTML)"} <= set(buttons)
    assert any(
        f"Download the {expected(atlas, year_from=2012, year_to=2012)} events shown" in m.value for m in app.markdown
    )


def test_one_event_shown_is_downloaded_as_one(atlas):
    app = run(text="In Amenas")
    assert summary_count(app) == 1
    assert any("Download the event shown" in m.value for m in app.markdown)
    assert not any("1 events" in m.value for m in app.markdown)


def test_boundary_year_box_says_what_it_shows_by_default():
    app = run()
    box = app.selectbox(key="boundary_year")
    # The box names its choice (not an empty "Choose an option"): the last year of the range.
    assert box.options[box.index] == "the last year shown"
