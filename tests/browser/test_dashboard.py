"""The dashboard in a real headless Chromium, with every request outside localhost blocked."""

from __future__ import annotations

import re

import pytest

from geo.catalog import load_atlas
from geo.filters import EventFilter, events_matching

from .conftest import screenshot

pytestmark = pytest.mark.browser
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def open_app(page, url: str, query: str = ""):
    page.goto(f"{url}/{query}")
    page.wait_for_selector(IDLE, timeout=60_000)
    return map_drawn(page)


# Under the map while it is first drawn (ui/dashboard_tabs.py); the table replaces it after.
TABLE_WAITING = "The table of the events shown comes once the map is drawn."


def map_drawn(page):
    """The map's frame, once the map has told the page it has drawn its marks and the run that
    follows (it sends the table under the map) has finished."""
    frame = map_frame(page)
    frame.locator(".leaflet-container[data-told-drawn]").wait_for(timeout=30_000)
    page.wait_for_function(
        "text => ![...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
        ".some(caption => caption.innerText.includes(text))",
        arg=TABLE_WAITING,
        timeout=30_000,
    )
    page.wait_for_selector(IDLE, timeout=60_000)
    return frame


def map_frame(page):
    page.wait_for_selector("iframe[title*='st_folium']", timeout=30_000)
    frame = page.frame_locator("iframe[title*='st_folium']").first
    frame.locator(".leaflet-container").wait_for(timeout=30_000)
    return frame


def summary_count(page) -> int:
    text = page.get_by_text(re.compile(r"^\d+ events?\b")).first.inner_text()
    return int(text.split()[0])


def wait_for_events(page, frame, count: int) -> None:
    """Until the map draws ``count`` event markers (the map updates after the script)."""
    page.wait_for_selector(IDLE, timeout=60_000)
    locator = frame.locator("path.atlas-event")
    for _ in range(100):
        if locator.count() == count:
            return
        page.wait_for_timeout(200)
    assert locator.count() == count


def test_map_renders_offline_with_every_filtered_event(page, app_url, atlas):
    frame = open_app(page, app_url)
    located = atlas.events[atlas.events.geometry.notna()]
    assert summary_count(page) == len(atlas.events)
    wait_for_events(page, frame, len(located))
    # Countries of the bundled basemap are drawn, and their names are labelled.
    assert frame.locator("path.leaflet-interactive").count() > len(located)
    assert frame.locator(".atlas-label-country", has_text="Mali").count() == 1
    assert page.outside == [], page.outside
    screenshot(page, "dashboard-default")


def test_year_slider_changes_the_events_drawn(page, app_url, atlas):
    frame = open_app(page, app_url)
    before = summary_count(page)
    upper = page.get_by_role("slider").nth(1)
    upper.focus()
    for _ in range(4):  # 2013 -> 2009
        upper.press("ArrowLeft")
    page.wait_for_timeout(500)
    page.wait_for_selector(IDLE, timeout=60_000)
    expected = len(events_matching(atlas.events, EventFilter(year_to=2009)))
    assert summary_count(page) == expected < before
    wait_for_events(page, frame, expected)
    assert "to=2009" in page.url
    screenshot(page, "dashboard-2003-2009")


def test_clicking_an_event_shows_its_sources(page, app_url, atlas):
    frame = open_app(page, app_url, "?from=2010&to=2010&type=raid")
    raids = events_matching(atlas.events, EventFilter(year_from=2010, year_to=2010, types=("raid",)))
    wait_for_events(page, frame, len(raids))
    frame.locator("path.atlas-event").first.click(force=True)
    page.get_by_text("Clear selection").wait_for(timeout=30_000)
    panel = page.locator(".atlas-details").first
    panel.get_by_text("Sources").wait_for()
    text = panel.inner_text()
    assert any(citation["locator"] in text for event in raids.itertuples() for citation in event.sources)
    # The link is written at the end of the run that draws the panel: wait for it, not for a time.
    page.wait_for_function("() => location.search.includes('select=event')", timeout=30_000)
    assert "select=event" in page.url
    screenshot(page, "dashboard-event-selected")


def test_link_restores_filters(page, app_url, atlas):
    frame = open_app(page, app_url, "?from=2008&to=2010&group=aqim&type=kidnapping")
    expected = events_matching(
        atlas.events,
        EventFilter(year_from=2008, year_to=2010, groups=("aqim",), include_related=True, types=("kidnapping",)),
        atlas.groups,
    )
    assert summary_count(page) == len(expected)
    wait_for_events(page, frame, len(expected))
    assert page.get_by_text("2008–2010").count() >= 1


def test_bad_parameter_shows_a_notice(page, app_url, atlas):
    open_app(page, app_url, "?from=abc&basemap=%3Cscript%3Ealert(1)%3C/script%3E")
    page.get_by_text("Ignored 'from=abc': not a year.").wait_for(timeout=30_000)
    page.get_by_text("Ignored unknown basemap '<script>alert(1)</script>'.").wait_for()
    assert summary_count(page) == len(atlas.events)
    assert page.locator("text=Traceback").count() == 0
    screenshot(page, "dashboard-bad-link")


def test_boundaries_follow_the_years(page, app_url):
    from geo.boundaries import boundaries_in_force, load_boundaries

    boundaries = load_boundaries()
    drawn = {}
    for year in (2005, 2012):
        frame = open_app(page, app_url, f"?from={year}&to={year}&layers=boundaries,regions")
        expected = len(boundaries_in_force(boundaries, year, year))
        locator = frame.locator("path.atlas-boundary")
        for _ in range(50):
            if locator.count() == expected:
                break
            page.wait_for_timeout(200)
        drawn[year] = locator.count()
        assert drawn[year] == expected
        assert frame.locator("path.atlas-region").count() > 0
        screenshot(page, f"boundaries-{year}")
    assert drawn[2005] != drawn[2012]
