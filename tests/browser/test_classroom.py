"""A round of the map quiz played in a real headless Chromium by clicking on the map, outside requests blocked."""

from __future__ import annotations

import re

import pytest

from geo.classroom import new_round

from .conftest import screenshot
from .test_dashboard import IDLE

pytestmark = pytest.mark.browser


def _map_frame(page):
    handle = page.locator("iframe[title*='st_folium']").first.element_handle()
    frame = handle.content_frame()
    frame.wait_for_function("() => window.map && window.map.getSize().x > 0", timeout=30_000)
    return handle, frame


def click_on(page, lon: float, lat: float) -> None:
    """Click the quiz map where (lon, lat) is drawn."""
    handle, frame = _map_frame(page)
    # The page scrolls smoothly: bring the whole map into view first and let the scroll end, so the
    # point measured is the point clicked.
    handle.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [lat, lon])
    box = handle.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def question_text(page) -> str:
    return page.locator(".atlas-quiz-question").inner_text()


def test_a_quiz_round_played_by_clicking_on_the_map(page, app_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app_url}/classroom")
    page.wait_for_selector(IDLE, timeout=60_000)
    questions = new_round("easy", seed=0)  # the class code 0 plays this round
    # The map shows no names while the quiz is on.
    _, frame = _map_frame(page)
    assert frame.evaluate("() => Array.from(document.querySelectorAll('.atlas-map-label'))"
                          ".every(l => getComputedStyle(l).display === 'none')")
    for number, question in enumerate(questions, start=1):
        assert question_text(page) == f"Question {number} of 10: Click on {question.name}"
        point = question.geometry.representative_point()
        if number == 1:  # a wrong answer first, far to the north: the distance is given
            click_on(page, point.x, point.y + 3)
            page.get_by_text(re.compile(rf"Not quite: {re.escape(question.name)} is \d[\d,]* km")).wait_for(
                timeout=30_000)
        else:
            click_on(page, point.x, point.y)
            page.get_by_text(f"Right: {question.name}.").wait_for(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        if number == 3:
            screenshot(page, "classroom-quiz-1440x900")
    page.get_by_text("Round over: 9 / 10 right.").wait_for(timeout=30_000)
    assert page.outside == []
