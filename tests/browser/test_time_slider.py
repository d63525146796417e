"""The map's time slider on the reports' events, in headless Chromium: the map follows the hand with no
run of the app, the page runs once when the hand is lifted, and Play steps through the years on the map."""

from __future__ import annotations

import pytest

from geo.filters import EventFilter, events_matching, with_earlier_background

from .conftest import screenshot
from .test_dashboard import IDLE, atlas, open_app, summary_count  # noqa: F401  (atlas: a fixture)
from .time_slider import count_runs, drag, record_steps, runs, steps

pytestmark = pytest.mark.browser


def expected(atlas, year_from: int, year_to: int) -> int:
    located = atlas.events[atlas.events.geometry.notna()]
    return len(
        events_matching(located, with_earlier_background(EventFilter(year_from=year_from, year_to=year_to), 2003))
    )


def test_dragging_redraws_the_map_with_no_run_and_one_run_on_release(page, app_url, atlas):
    frame = open_app(page, app_url, "?from=2005&to=2006")
    count_runs(page)
    record_steps(frame)
    drag(page, frame, "to", 9)  # 2003 + 9: 2012
    during = steps(frame)
    assert runs(page) == 0, "the page ran while the slider moved"
    assert during and during[-1][0] == "2005-01-01/2012-12-31"
    for shown, marks, _, badge, _ in during:  # every range drawn shows exactly its events
        first, last = int(shown[:4]), int(shown[11:15])
        assert marks == expected(atlas, first, last), shown
        assert badge == (str(first) if first == last else f"{first} – {last}")
    screenshot(page, "time-slider-dragged-1440")
    page.mouse.up()
    page.wait_for_function("() => window.atlasRuns >= 1", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(500)
    assert runs(page) == 1
    assert "from=2005" in page.url and "to=2012" in page.url
    assert summary_count(page) == expected(atlas, 2005, 2012)
    assert steps(frame)[-1][1] == expected(atlas, 2005, 2012)  # the run after release leaves the map as drawn


def test_play_steps_through_the_years_on_the_map_and_gives_the_range_back(page, app_url, atlas):
    frame = open_app(page, app_url, "?from=2003&to=2005")
    count_runs(page)
    record_steps(frame)
    frame.locator(".atlas-time-options summary").click()
    frame.get_by_label("Speed").select_option("5")
    frame.get_by_role("button", name="Play").click()
    page.wait_for_function("() => true")
    frame.get_by_role("button", name="Play").wait_for(timeout=30_000)  # Pause turns back into Play at the end
    played = steps(frame)
    ranges = [step[0] for step in played]
    assert ranges[-4:] == [
        "2003-01-01/2003-12-31",
        "2004-01-01/2004-12-31",
        "2005-01-01/2005-12-31",
        "2003-01-01/2005-12-31",
    ], ranges
    for shown, marks, _, badge, _ in played[-4:-1]:  # each year with its own events, the year large on the map
        year = int(shown[:4])
        assert marks == expected(atlas, year, year) and badge == str(year)
    assert played[-1][1] == expected(atlas, 2003, 2005) and played[-1][3] == ""
    page.wait_for_timeout(500)
    assert runs(page) == 0  # the chosen range is given back: the page has it already


def test_pause_keeps_the_year_and_tells_the_page_once(page, app_url, atlas):
    frame = open_app(page, app_url, "?from=2003&to=2013")
    count_runs(page)
    record_steps(frame)
    frame.locator(".atlas-time-options summary").click()
    frame.get_by_label("Speed").select_option("2")
    frame.get_by_role("button", name="Play").click()
    page.wait_for_function("() => true")
    frame.locator(".leaflet-container").evaluate(
        "() => new Promise(done => { const wait = () => window.atlasSteps.length >= 2 ? done() : setTimeout(wait, 50); wait(); })"
    )
    frame.get_by_role("button", name="Pause").click()
    year = int(steps(frame)[-1][0][:4])
    page.wait_for_function("() => window.atlasRuns >= 1", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(500)
    assert runs(page) == 1
    assert summary_count(page) == len(
        events_matching(atlas.events, with_earlier_background(EventFilter(year_from=year, year_to=year), 2003))
    )
    assert f"to={year}" in page.url


# The towns drawn with a dot, and the map labels shown, by name.
_TOWNS_AND_LABELS = """() => {
    const dots = [];
    window.map.eachLayer((layer) => {
        const props = layer.feature && layer.feature.properties;
        if (props && props.mark === 'town' && layer._path && layer._path.isConnected) {
            dots.push(props.tooltip.replace(/<[^>]*>/g, ''));
        }
    });
    const labels = Array.from(document.querySelectorAll('.atlas-label-town, .atlas-label-capital, .atlas-map-label'))
        .filter((label) => getComputedStyle(label).display !== 'none').map((label) => label.textContent);
    return [dots.sort(), Array.from(new Set(labels)).sort()];
}"""


def test_a_range_shows_each_town_with_its_dot_whether_dragged_to_or_linked(page, app_url):
    frame = open_app(page, app_url, "?from=2003&to=2013")
    drag(page, frame, "from", 6)  # 2003 + 6: 2009
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('from=2009')", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(1000)
    map_page = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    dragged_dots, dragged_labels = map_page.evaluate(_TOWNS_AND_LABELS)
    screenshot(page, "time-slider-towns-dragged")
    frame = open_app(page, app_url, "?from=2009&to=2013")
    page.wait_for_timeout(1500)
    map_page = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    linked_dots, linked_labels = map_page.evaluate(_TOWNS_AND_LABELS)
    screenshot(page, "time-slider-towns-linked")
    # Towns whose events all lie outside the range keep their dot beside their name.
    assert {"Aleg", "Niamey"} <= set(linked_dots)
    assert [name for name in ("Aleg", "Niamey") if name in linked_labels and name not in linked_dots] == []
    assert dragged_dots == linked_dots
    assert set(dragged_labels) & set(dragged_dots) == set(linked_labels) & set(linked_dots)


# The events whose route line is drawn on the map (its arrowhead goes with it).
_ROUTES_DRAWN = """() => {
    const events = new Set();
    window.map.eachLayer((layer) => {
        const props = layer.feature && layer.feature.properties;
        if (props && /^route-/.test(props.id || '') && layer._path && layer._path.isConnected) { events.add(props.event); }
    });
    return Array.from(events).sort();
}"""


def test_routes_follow_the_slider_with_their_events(page, app_url, atlas):
    from geo.routes import route_lines

    def routes_of(year_from, year_to):
        shown = events_matching(atlas.events, EventFilter(year_from=year_from, year_to=year_to))
        return set(route_lines(shown, atlas.places)["id"])

    frame = open_app(page, app_url, "?from=2003&to=2013&layers=events,routes")
    map_page = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    assert set(map_page.evaluate(_ROUTES_DRAWN)) == set(route_lines(atlas.events, atlas.places)["id"]) != set()
    count_runs(page)
    drag(page, frame, "from", 7)  # 2003 + 7: 2010, the hand still down
    in_range = set(map_page.evaluate(_ROUTES_DRAWN))
    assert in_range == routes_of(2010, 2013) and 0 < len(in_range) < len(routes_of(2003, 2013))
    assert runs(page) == 0
    page.mouse.up()
