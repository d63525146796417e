"""The offline story file opened from disk in headless Chromium, with every request blocked.

One page load serves most tests: they walk the story in order (title screen, step 1,
Next, the arrow keys), then a second page opens the file at ``#step-3``.
"""

from __future__ import annotations

import pytest

from briefing.offline_html import WEB_ADDRESS, story_html, view_html
from geo.stories import STORIES_DIR, load_story
from view import load_context, map_view, step_view

from .conftest import screenshot

pytestmark = pytest.mark.browser

HEADING = "#atlas-steps .atlas-step:not([hidden]) h2"
# The event marks drawn (halos are not interactive, and carry no atlas-event class).
LAYERS = ("events", "places", "boundaries")
EVENT_MARK_COUNT = "document.querySelectorAll('path.atlas-event.leaflet-interactive').length"


@pytest.fixture(scope="module")
def context():
    return load_context()


@pytest.fixture(scope="module")
def story():
    return load_story(STORIES_DIR / "sahel-2003-2013.yaml")


@pytest.fixture(scope="module")
def files(tmp_path_factory, story, context):
    folder = tmp_path_factory.mktemp("offline")
    story_file, view_file = folder / "story.html", folder / "view.html"
    story_file.write_text(story_html(story, context), encoding="utf-8")
    view_file.write_text(view_html(step_view(story.steps[7], context), context), encoding="utf-8")
    return {"story": story_file, "view": view_file}


@pytest.fixture(scope="module")
def offline(browser, files):
    """A browser context where only the files themselves load; anything else is refused and listed."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.attempted = []
    context.errors = []
    allowed = {path.as_uri() for path in files.values()}

    def only_the_file(route):
        url = route.request.url
        if url.split("#")[0] in allowed or url.startswith(("data:", "about:")):
            route.continue_()
        else:
            context.attempted.append(url)
            route.abort()

    context.route("**/*", only_the_file)
    context.on("page", lambda page: page.on("pageerror", lambda error: context.errors.append(str(error))))
    yield context
    context.close()


@pytest.fixture(scope="module")
def story_page(offline, files):
    page = offline.new_page()
    page.goto(files["story"].as_uri())
    page.wait_for_selector("#atlas-title-screen:not([hidden])")
    return page


def located_events(story, context, number: int) -> int:
    events = step_view(story.steps[number - 1], context).events
    return int((events.geometry.notna() & ~events.geometry.is_empty).sum())


def wait_for_step(page, number: int, marks: int) -> None:
    page.wait_for_function("(n) => location.hash === '#step-' + n", arg=number)
    page.wait_for_function(f"(n) => {EVENT_MARK_COUNT} === n", arg=marks, timeout=10_000)


def test_the_file_opens_on_its_title_screen(story_page, story):
    title = story_page.locator("#atlas-title-screen")
    assert title.locator("h1").inner_text() == story.title
    assert story.byline in title.inner_text()
    screenshot(story_page, "offline-story-title")


def test_the_basemap_is_drawn_from_the_file(story_page):
    countries = story_page.evaluate("""() => {
        const map = window[document.querySelector('.folium-map').id];
        return Array.from(document.querySelectorAll('.leaflet-atlas-basemap-pane path')).filter((path) => {
            const layer = map._targets[path._leaflet_id];
            return layer && layer.feature && String(layer.feature.id).startsWith('country-');
        }).length;
    }""")
    assert countries > 20


def test_start_shows_step_1_with_its_events(story_page, story, context):
    story_page.get_by_role("button", name="Start").click()
    wait_for_step(story_page, 1, located_events(story, context, 1))
    assert story_page.locator("#atlas-title-screen").is_hidden()
    assert story_page.locator(HEADING).inner_text() == story.steps[0].heading
    assert story_page.locator("#atlas-step-counter").inner_text().lower() == f"step 1 of {len(story.steps)}"
    assert story_page.locator("#atlas-previous").is_disabled()
    screenshot(story_page, "offline-story-step-1")


def test_next_moves_to_step_2(story_page, story, context):
    story_page.get_by_role("button", name="Next").click()
    wait_for_step(story_page, 2, located_events(story, context, 2))
    assert story_page.locator(HEADING).inner_text() == story.steps[1].heading


def test_the_arrow_keys_turn_the_steps(story_page, story, context):
    story_page.keyboard.press("ArrowRight")
    wait_for_step(story_page, 3, located_events(story, context, 3))
    assert story_page.locator(HEADING).inner_text() == story.steps[2].heading
    story_page.keyboard.press("ArrowLeft")
    wait_for_step(story_page, 2, located_events(story, context, 2))
    assert story_page.locator(HEADING).inner_text() == story.steps[1].heading


def test_the_map_is_fitted_to_the_step(offline, files, story, context):
    page = offline.new_page()
    page.goto(files["story"].as_uri() + "#step-2")
    wait_for_step(page, 2, located_events(story, context, 2))
    west, south, east, north = story.steps[1].bbox
    # Once the zoom has settled the whole extent is in view, and the map is not zoomed far out of it.
    page.wait_for_function("() => !window[document.querySelector('.folium-map').id]._animatingZoom")
    shown_west, shown_south, shown_east, shown_north = page.evaluate(
        "() => window[document.querySelector('.folium-map').id].getBounds().toBBoxString().split(',').map(Number)"
    )
    page.close()
    assert shown_west <= west + 0.01 and shown_south <= south + 0.01
    assert shown_east >= east - 0.01 and shown_north >= north - 0.01
    assert shown_east - shown_west < 2.5 * (east - west) or shown_north - shown_south < 2.5 * (north - south)


def test_a_file_opened_at_step_3_starts_there(offline, files, story, context):
    page = offline.new_page()
    page.goto(files["story"].as_uri() + "#step-3")
    wait_for_step(page, 3, located_events(story, context, 3))
    assert page.locator("#atlas-title-screen").is_hidden()
    assert page.locator(HEADING).inner_text() == story.steps[2].heading
    page.goto(files["story"].as_uri() + "#step-8")  # same document: the address change alone moves the story
    wait_for_step(page, 8, located_events(story, context, 8))
    assert page.locator(HEADING).inner_text() == story.steps[7].heading
    screenshot(page, "offline-story-step-8")
    page.close()


def _legend_opens_on_a_click_inside_the_map_uncut(page) -> None:
    assert page.locator(".atlas-legend details").count() == 1
    assert page.locator(".atlas-legend details[open]").count() == 0  # folded at first, as on the web map
    page.locator(".atlas-legend summary").click()
    assert page.locator(".atlas-legend details[open]").count() == 1
    legend, frame = page.locator(".atlas-legend").bounding_box(), page.locator(".folium-map").bounding_box()
    assert legend["x"] >= frame["x"] and legend["x"] + legend["width"] <= frame["x"] + frame["width"] + 0.5
    assert legend["y"] >= frame["y"] and legend["y"] + legend["height"] <= frame["y"] + frame["height"] + 0.5
    cut = page.evaluate(
        "() => Array.from(document.querySelectorAll('.atlas-legend details div, .atlas-legend details b'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right >"
        " document.querySelector('.atlas-legend').getBoundingClientRect().right + 1).map(e => e.textContent)"
    )
    assert cut == []


def test_a_single_view_draws_with_its_legend_folded_and_opening_on_a_click(offline, files, story, context):
    page = offline.new_page()
    page.goto(files["view"].as_uri())
    page.wait_for_function(f"(n) => {EVENT_MARK_COUNT} === n", arg=located_events(story, context, 8))
    assert page.locator(".leaflet-atlas-basemap-pane path").count() > 20
    _legend_opens_on_a_click_inside_the_map_uncut(page)
    page.close()


def test_on_a_phone_the_story_legend_opens_inside_the_map_with_no_name_cut(browser, files, story, context):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(files["story"].as_uri() + "#step-5")
    wait_for_step(page, 5, located_events(story, context, 5))
    _legend_opens_on_a_click_inside_the_map_uncut(page)
    screenshot(page, "offline-story-legend-390x844")
    page.context.close()


def test_nothing_was_requested_and_nothing_failed(offline, story_page):
    assert offline.attempted == []
    assert offline.errors == []


def test_the_offline_map_of_a_view_has_a_time_slider_that_works_from_the_file(browser, context, tmp_path):
    """The dashboard's offline map opens on the years chosen; moving its slider redraws the marks, offline."""
    from geo.filters import EventFilter

    def view_of(low: int, high: int, every_year: bool = False):
        return map_view(context, EventFilter(year_from=low, year_to=high), layers=LAYERS, every_year=every_year)

    def located(view) -> int:
        return int((view.events.geometry.notna() & ~view.events.geometry.is_empty).sum())

    path = tmp_path / "view-with-slider.html"
    path.write_text(view_html(view_of(2008, 2010), context, view_of(2008, 2010, True), (2008, 2010)), encoding="utf-8")
    assert not WEB_ADDRESS.search(path.read_text(encoding="utf-8"))
    page_context = browser.new_context(viewport={"width": 1440, "height": 900})
    attempted, errors = [], []

    def only_the_file(route):
        url = route.request.url
        if url.split("#")[0] == path.as_uri() or url.startswith(("data:", "about:")):
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    page_context.route("**/*", only_the_file)
    page = page_context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("(n) => " + EVENT_MARK_COUNT + " === n", arg=located(view_of(2008, 2010)), timeout=10_000)
    # The hand takes the slider's start back to the first year: 2003-2010, what began earlier too.
    start = page.locator(".atlas-time-from")
    start.evaluate("e => { e.value = e.min; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    wider = located(view_of(2003, 2010))
    assert wider != located(view_of(2008, 2010))
    page.wait_for_function("(n) => " + EVENT_MARK_COUNT + " === n", arg=wider, timeout=10_000)
    start.evaluate("e => e.dispatchEvent(new Event('change', {bubbles: true}))")  # the hand lifted
    page.wait_for_timeout(300)
    screenshot(page, "offline-view-time-slider")
    assert page.evaluate(EVENT_MARK_COUNT) == wider
    assert not attempted, attempted
    assert not errors, errors
    page_context.close()
