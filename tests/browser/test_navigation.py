"""Going from page to page and back in one tab, as users do: each page comes back as it was left.

The pages are reached by the top bar's links, never by typing a URL, so the session is the
one the user had and the link no longer carries the page's state.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from geo.catalog import load_atlas
from geo.filters import EventFilter, events_matching, with_earlier_background

from .test_dashboard import IDLE, open_app, summary_count, wait_for_events

pytestmark = pytest.mark.browser

OTHER_PAGES = ("Present a story", "Classroom", "Your data")
# Filters, a selection and a view that are not the defaults, so a reset would show.
LINK = "?from=2008&to=2011&group=aqim&related=0&lat=20.0&lon=2.0&zoom=6"


PATHS = {"Dashboard": "/", "Present a story": "/present", "Classroom": "/classroom", "Your data": "/data"}


def go_to(page, title: str) -> None:
    """Click a page in the top bar and wait until that page is shown and has run."""
    page.get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_function("(path) => location.pathname === path", arg=PATHS[title], timeout=30_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)


def no_exception(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0, page.locator(
        "[data-testid=stException]"
    ).first.inner_text()


def link(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def map_centre(page) -> tuple[float, float, int]:
    frame = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    frame.wait_for_function("() => window.map && window.map.getSize().x > 0", timeout=30_000)
    return tuple(
        frame.evaluate("() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }")
    )


@pytest.fixture(scope="module")
def shown():
    atlas = load_atlas()
    event_filter = with_earlier_background(
        EventFilter(year_from=2008, year_to=2011, groups=("aqim",), include_related=False), 2003
    )
    return events_matching(atlas.events, event_filter, atlas.groups)


@pytest.mark.parametrize("other", OTHER_PAGES)
def test_the_dashboard_comes_back_as_it_was_left(page, app_url, shown, other):
    selected = shown[shown.geometry.notna()]["id"].iloc[-1]
    frame = open_app(page, app_url, f"{LINK}&select=event:{selected}")
    wait_for_events(page, frame, int(shown.geometry.notna().sum()))
    before = link(page)
    go_to(page, other)
    no_exception(page)
    assert urlparse(page.url).path == PATHS[other]
    go_to(page, "Dashboard")
    no_exception(page)
    frame = page.frame_locator("iframe[title*='st_folium']").first
    wait_for_events(page, frame, int(shown.geometry.notna().sum()))
    assert summary_count(page) == len(shown)
    assert link(page) == before  # filters, selection and view, as the link had them
    # The widgets say so too: two handles on the slider, the box unticked, the event's details open.
    assert page.get_by_role("slider").count() == 2
    assert page.get_by_label("Include their brigades and successors").is_checked() is False
    assert page.locator(".atlas-details").count() == 1
    lat, lon, zoom = map_centre(page)
    assert (round(lat), round(lon), zoom) == (20, 2, 6)


def test_a_panned_map_comes_back_where_it_was_left(page, app_url):
    open_app(page, app_url)
    frame = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    frame.wait_for_function("() => window.map && window.map.getSize().x > 0", timeout=30_000)
    frame.evaluate("() => window.map.setView([16.77, -3.01], 8)")  # over Timbuktu, as a user zooms in
    page.wait_for_function("() => new URL(location.href).searchParams.get('zoom') === '8'", timeout=10_000)
    go_to(page, "Classroom")
    go_to(page, "Dashboard")
    no_exception(page)
    lat, lon, zoom = map_centre(page)
    assert (round(lat, 1), round(lon, 1), zoom) == (16.8, -3.0, 8)
    # The map puts its view back into the link as it reopens there (layers/atlas_map.py).
    page.wait_for_function("() => new URL(location.href).searchParams.get('zoom') === '8'", timeout=10_000)
    assert round(float(link(page)["lat"][0]), 1) == 16.8


def test_the_story_step_comes_back_after_another_page(page, app_url):
    page.goto(f"{app_url}/present?story=sahel-2003-2013&step=3")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("step 3 of", exact=False).first.wait_for()
    go_to(page, "Classroom")
    no_exception(page)
    go_to(page, "Present a story")
    no_exception(page)
    page.get_by_text("step 3 of", exact=False).first.wait_for(timeout=30_000)
    assert link(page).get("step") == ["3"]
    go_to(page, "Dashboard")
    no_exception(page)
    page.get_by_role("slider").nth(1).wait_for(timeout=60_000)  # the first dashboard of a session loads the data
    assert page.get_by_role("slider").count() == 2


def test_a_kept_view_that_makes_no_sense_is_ignored(page, app_url):
    open_app(page, app_url, "?lat=20.0&lon=2.0&zoom=6")
    frame = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    frame.wait_for_function("() => window.map && window.map.getSize().x > 0", timeout=30_000)
    frame.evaluate("() => window.map.setView([16.77, -3.01], 8)")  # a pan keeps the view in the tab
    frame.wait_for_function(
        "() => Object.keys(sessionStorage).some((key) => key.startsWith('atlas-view:'))", timeout=30_000
    )
    # Storage the user (or another page) wrote over: the map must still open, on the link's view.
    frame.evaluate(
        "() => { for (const key of Object.keys(sessionStorage)) { if (key.startsWith('atlas-view:')) {"
        " sessionStorage.setItem(key, JSON.stringify({lat: 95, lon: 500, zoom: 6})); } } }"
    )
    go_to(page, "Classroom")
    go_to(page, "Dashboard")
    no_exception(page)
    lat, lon, zoom = map_centre(page)
    assert (round(lat), round(lon), zoom) == (20, 2, 6)
