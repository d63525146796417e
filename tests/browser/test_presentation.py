"""The story presented in a real headless Chromium, every request outside localhost blocked.

A briefer steps through the bundled story with the keyboard; each step's map draws the
events the step shows, its focus ringed. From the dashboard, views saved with '+ Step'
come back as a story file that the presentation page takes.
"""

from __future__ import annotations

import pytest

from briefing.picture import slide_extent
from geo.stories import STORIES_DIR, load_story
from view import load_context, step_view

from .conftest import screenshot
from .test_dashboard import IDLE, open_app

pytestmark = pytest.mark.browser
STORY = load_story(STORIES_DIR / "sahel-2003-2013.yaml")

_DRAWN = """() => ({
    events: document.querySelectorAll("path.atlas-event").length,
    ringed: document.querySelectorAll("path.atlas-event.atlas-highlighted").length,
    countries: document.querySelectorAll(".leaflet-atlas-basemap-pane path").length,
    bounds: window.map.getBounds().toBBoxString().split(",").map(Number),
})"""


def drawn_on_map(page, heading: str) -> dict:
    """What the step's map draws, once the page shows ``heading`` and its map has its marks."""
    page.locator(".atlas-step-heading", has_text=heading).wait_for(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    handle = page.locator("iframe[title*='st_folium']").first.element_handle()
    frame = handle.content_frame()
    frame.wait_for_function(
        "() => window.map && document.querySelectorAll('.leaflet-atlas-basemap-pane path')"
        ".length > 0 && !window.map.atlasFlying",
        timeout=30_000,
    )
    page.wait_for_timeout(500)
    return frame.evaluate(_DRAWN)


def test_the_story_steps_through_with_the_keyboard(page, app_url):
    context = load_context()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/present?story={STORY.id}&step=1")
    page.wait_for_selector(IDLE, timeout=60_000)
    for number, step in enumerate(STORY.steps, start=1):
        drawn = drawn_on_map(page, step.heading)
        view = step_view(step, context)
        assert drawn["events"] == int(view.events.geometry.notna().sum()), step.heading
        assert drawn["ringed"] == len(step.highlight.events), step.heading
        assert drawn["countries"] > 10
        # The page frames the step as its slide does: it shows all the slide's map shows (so the step's
        # extent too), and along one axis little more.
        west, south, east, north = drawn["bounds"]
        slide = slide_extent(view)
        assert west <= slide[0] + 0.2 and east >= slide[2] - 0.2, (step.heading, drawn["bounds"], slide)
        assert south <= slide[1] + 0.2 and north >= slide[3] - 0.2, (step.heading, drawn["bounds"], slide)
        # (zoom moves in quarter steps: a fit may be up to a fifth wider than the slide's along its tight axis)
        assert min((east - west) / (slide[2] - slide[0]), (north - south) / (slide[3] - slide[1])) < 1.3, (
            step.heading,
            drawn["bounds"],
            slide,
        )
        assert f"step={number}" in page.url
        if number in (1, 8):
            screenshot(page, f"present-step-{number}-1920x1080")
        if number < len(STORY.steps):
            page.locator(".atlas-step-caption").click()  # focus on the page, not in the map
            page.keyboard.press("ArrowRight")
    assert page.outside == []


def test_views_saved_on_the_dashboard_are_presented_from_the_file(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 900})
    frame = open_app(page, app_url, "?from=2012&to=2012&group=aqim")
    frame.locator(".atlas-save-view a").click()
    page.wait_for_selector("text=Story draft: 1 step", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    frame.locator(".atlas-save-view a").click()
    page.wait_for_selector("text=Story draft: 2 steps", timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Story file (YAML)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("story-draft-") and "group: [aqim]" in saved.read_text(encoding="utf-8")

    page.goto(f"{app_url}/present")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("button", name="Choose or upload a story").click()
    page.get_by_test_id("stSelectbox").filter(has_text="Story").click()
    page.get_by_role("option", name="A story file I upload").click()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.locator("input[type=file]").set_input_files(str(saved))
    drawn = drawn_on_map(page, "2012, AQIM and its brigades and successors")
    assert drawn["events"] == 24 and drawn["ringed"] == 0
    assert page.get_by_text("A draft of 2 step(s)").count() == 1
    assert page.outside == []


def _heading_shown(page, number: int) -> None:
    page.locator(".atlas-step-heading", has_text=STORY.steps[number - 1].heading).wait_for(timeout=30_000)
    page.wait_for_function(f"() => location.search.includes('step={number}')", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)


def test_clicker_keys_turn_the_steps_wherever_the_focus_is(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/present?story={STORY.id}&step=2")
    drawn_on_map(page, STORY.steps[1].heading)
    frame = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    frame.evaluate("() => { window.keptFromStepTwo = true; }")
    box = page.locator("iframe[title*='st_folium']").first.bounding_box()

    def click_the_map():  # the sea off the coast: nothing to select there, but the focus goes into the map
        page.mouse.click(box["x"] + 40, box["y"] + box["height"] - 80)
        assert frame.evaluate("() => document.hasFocus()")

    click_the_map()
    page.keyboard.press("PageDown")  # what a clicker sends
    _heading_shown(page, 3)
    click_the_map()
    page.keyboard.press("ArrowRight")  # the map does not pan: the step turns
    _heading_shown(page, 4)
    page.keyboard.press("PageUp")
    _heading_shown(page, 3)
    page.get_by_role("button", name="Next").click()  # the focus is on the button now
    _heading_shown(page, 4)
    page.keyboard.press(" ")  # one step, not two (the button pressed by Space as well)
    _heading_shown(page, 5)
    page.wait_for_timeout(1500)
    assert "step=5" in page.url

    # The map was kept and flew: the same frame, now showing step 5's extent.
    frame = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    assert frame.evaluate("() => window.keptFromStepTwo === true")
    west, south, east, north = slide_extent(step_view(STORY.steps[4], load_context()))
    frame.wait_for_function(
        f"""() => {{ const b = window.map.getBounds();
        return b.getWest() <= {west + 0.5} && b.getEast() >= {east - 0.5}
            && b.getSouth() <= {south + 0.5} && b.getNorth() >= {north - 0.5}; }}""",
        timeout=10_000,
    )

    # Keys typed while choosing a story are the user's.
    page.get_by_role("button", name="Choose or upload a story").click()
    page.get_by_test_id("stSelectbox").filter(has_text="Story").click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    page.wait_for_timeout(800)
    assert "step=5" in page.url
    assert page.outside == []
