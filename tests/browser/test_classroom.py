"""The map quiz played in a real headless Chromium, outside requests blocked: a round by clicking
on a laptop, the zoom kept from question to question, and the quiz on a phone by touch."""

from __future__ import annotations

import re

import pytest

from geo import basemap
from geo.classroom import SCREEN_TOLERANCE_PX, new_round
from layers.classroom import TOUCH_HINT
from style import BASEMAP

from .conftest import offline_page, screenshot
from .test_dashboard import IDLE

pytestmark = pytest.mark.browser


def _map_frame(page):
    handle = page.locator("iframe[title*='st_folium']").first.element_handle()
    frame = handle.content_frame()
    frame.wait_for_function("() => window.map && window.map.getSize().x > 0", timeout=30_000, polling=100)
    return handle, frame


def on_screen(page, lon: float, lat: float, east_px: float = 0) -> tuple[float, float]:
    """Where (lon, lat) is drawn on the page, moved ``east_px`` screen pixels east."""
    handle, frame = _map_frame(page)
    # Scrolling is made instant, so the point measured is the point clicked.
    page.add_style_tag(content="* { scroll-behavior: auto !important; }")
    handle.scroll_into_view_if_needed()
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }", [lat, lon]
    )
    box = handle.bounding_box()
    return box["x"] + x + east_px, box["y"] + y


def click_on(page, lon: float, lat: float, east_px: float = 0) -> None:
    """Click the quiz map where (lon, lat) is drawn, or ``east_px`` pixels east of it."""
    page.mouse.click(*on_screen(page, lon, lat, east_px))


def map_view(page) -> dict:
    _, frame = _map_frame(page)
    return frame.evaluate(
        "() => ({zoom: map.getZoom(), x: map.latLngToContainerPoint(map.getCenter()).x,"
        " lat: map.getCenter().lat, lng: map.getCenter().lng, kept: window.keptMark === 1})"
    )


def question_text(page) -> str:
    return page.locator(".atlas-quiz-question").inner_text()


def test_a_quiz_round_played_by_clicking_on_the_map(page, app_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app_url}/classroom")
    page.wait_for_selector(IDLE, timeout=60_000)
    questions = new_round("easy", seed=0)  # the class code 0 plays this round
    # The map shows no names while the quiz is on.
    _, frame = _map_frame(page)
    assert frame.evaluate(
        "() => Array.from(document.querySelectorAll('.atlas-map-label'))"
        ".every(l => getComputedStyle(l).display === 'none')"
    )
    for number, question in enumerate(questions, start=1):
        assert question_text(page) == f"Question {number} of 10: Click on {question.name}"
        point = question.geometry.representative_point()
        if number == 1:  # a wrong answer first, far to the north: the distance is given
            click_on(page, point.x, point.y + 3)
            page.get_by_text(re.compile(rf"Not quite: {re.escape(question.name)} is \d[\d,]* km")).wait_for(
                timeout=30_000
            )
        else:
            click_on(page, point.x, point.y)
            page.get_by_text(f"Right: {question.name}.").wait_for(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        if number == 3:
            screenshot(page, "classroom-quiz-1440x900")
    page.get_by_text("Round over: 9 / 10 right.").wait_for(timeout=30_000)
    assert page.outside == []


def test_lakes_rivers_and_capitals_show_over_the_countries_whichever_arrives_last(page, app_url):
    # The countries' file, the largest, is held back until the rest are drawn: it must not cover them.
    held = []

    def hold(route):
        held.append(route)

    page.route("**/basemap/countries.geojson", hold)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app_url}/classroom")
    page.wait_for_selector(IDLE, timeout=60_000)
    _, frame = _map_frame(page)
    page.wait_for_timeout(1000)  # the lakes, rivers and capitals are in by now
    assert held, "the map did not ask for the countries"
    held[0].continue_()
    drawn = " && ".join(f"document.querySelector('path[fill=\"{BASEMAP[part]}\"]')" for part in ("land", "lake"))
    frame.wait_for_function(f"() => !!({drawn})", timeout=30_000, polling=100)
    page.wait_for_timeout(300)
    lakes, capitals = basemap.lakes(), basemap.capitals()
    lake_chad = lakes[lakes["name"] == "Lake Chad"].geometry.union_all().representative_point()
    niamey = capitals[capitals["name"] == "Niamey"].geometry.iloc[0]
    on_top = frame.evaluate(
        """(points) => points.map(([lat, lon]) => {
            const p = map.latLngToContainerPoint([lat, lon]);
            const mark = document.elementFromPoint(p.x, p.y);
            return mark ? mark.getAttribute('fill') : null;
        })""",
        [[lake_chad.y, lake_chad.x], [niamey.y, niamey.x]],
    )
    assert on_top == [BASEMAP["lake"], "#ffffff"], on_top  # the lake's blue, the capital's white dot
    screenshot(page, "classroom-quiz-water-and-capitals")


def test_far_out_a_click_counts_within_20_pixels_and_the_zoom_is_kept_between_questions(page, app_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app_url}/classroom")
    page.wait_for_selector(IDLE, timeout=60_000)
    first, second, third = new_round("easy", seed=0)[:3]
    # At the opening zoom 40 km is a few pixels: a click 14 pixels off the town counts, and says why.
    point = first.geometry
    click_on(page, point.x, point.y, east_px=14)
    page.get_by_text(
        re.compile(
            rf"Right: {re.escape(first.name)}\. Your click was \d+ km away; at this zoom a "
            rf"click counts within {SCREEN_TOLERANCE_PX} pixels \(\d+ km\)"
        )
    ).wait_for(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    # The pupil zooms in twice and drags the next town to the middle of the map.
    handle, frame = _map_frame(page)
    frame.evaluate("() => { window.keptMark = 1; }")  # gone if the map were drawn again
    for _ in range(2):  # each press once the zoom before it has ended, as a person would
        frame.evaluate("() => { window.zoomEnded = false; map.once('zoomend', () => { window.zoomEnded = true; }); }")
        frame.locator(".leaflet-control-zoom-in").click()
        frame.wait_for_function("() => window.zoomEnded", polling=100)
    box = handle.bounding_box()
    start = on_screen(page, second.geometry.x, second.geometry.y)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    frame.evaluate("() => { window.moveEnded = false; map.once('moveend', () => { window.moveEnded = true; }); }")
    page.mouse.up()
    frame.wait_for_function("() => window.moveEnded", polling=100)  # after the drag's glide
    page.wait_for_selector(IDLE, timeout=60_000)
    zoomed = map_view(page)
    assert zoomed["zoom"] >= 5 and zoomed["kept"]
    for number, question in ((2, second), (3, third)):
        assert question_text(page).startswith(f"Question {number} of 10")
        click_on(page, question.geometry.x, question.geometry.y) if number == 2 else click_on(
            page, *second.geometry.coords[0]
        )  # a wrong answer: the town of the question before
        page.get_by_text(f"Question {number + 1} of 10").wait_for(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        now = map_view(page)
        assert now["kept"], "the map was drawn again"
        assert now["zoom"] == zoomed["zoom"]
        assert (now["lat"], now["lng"]) == pytest.approx((zoomed["lat"], zoomed["lng"]), abs=0.01)
    # The answers are drawn on the kept map: the second and third clicks are there.
    assert (
        frame.evaluate(
            "() => { let n = 0; map.eachLayer(l => { if (l.feature && "
            "String(l.feature.id).startsWith('quiz-click-')) n++; }); return n; }"
        )
        == 3
    )
    page.get_by_text("Round 1: 2 / 3 right").wait_for(timeout=10_000)
    assert page.outside == []


@pytest.fixture
def phone(browser):
    """A phone, 390 x 844, touch only; requests outside localhost blocked and listed in phone.outside."""
    page = offline_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def _swipe(page, fingers: list[tuple[float, float]], dx: float, dy: float) -> None:
    """A swipe by one or more fingers, sent as touch events through the browser's input pipeline."""
    cdp = page.context.new_cdp_session(page)
    points = [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(fingers)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points})
    for step in range(1, 11):
        cdp.send(
            "Input.dispatchTouchEvent",
            {
                "type": "touchMove",
                "touchPoints": [
                    {"x": x + dx * step / 10, "y": y + dy * step / 10, "id": n} for n, (x, y) in enumerate(fingers)
                ],
            },
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def _page_scroll(page) -> float:
    return page.evaluate("() => document.querySelector('section.stMain, [data-testid=stMain]').scrollTop")


def test_the_quiz_on_a_phone(phone, app_url):
    page = phone
    page.goto(f"{app_url}/classroom")
    page.wait_for_selector(IDLE, timeout=60_000)
    handle, frame = _map_frame(page)
    first = new_round("easy", seed=0)[0]
    # The question and the whole map on one screen, without scrolling.
    assert _page_scroll(page) == 0
    question, map_box = page.locator(".atlas-quiz-question").bounding_box(), handle.bounding_box()
    assert question["y"] >= 0 and question["y"] + question["height"] <= map_box["y"]
    assert map_box["y"] + map_box["height"] <= 844 and map_box["height"] >= 300
    screenshot(page, "classroom-quiz-390x844")
    # Everything a finger taps is at least 44 px: activities, list answers, help icons, buttons, zoom.
    targets = {
        "activity buttons": page.locator("[data-testid=stButtonGroup] button"),
        "list answers": page.locator(".stRadio [role=radiogroup] label"),
        "help icons": page.locator("[data-testid=stTooltipHoverTarget]"),
        "buttons": page.locator(".stButton button, .stFormSubmitButton button"),
        "zoom buttons": frame.locator(".leaflet-bar a"),
    }
    for name, locator in targets.items():
        boxes = [element.bounding_box() for element in locator.all()]
        assert boxes, name
        assert all(box["width"] >= 44 and box["height"] >= 44 for box in boxes), (name, boxes)
    # One finger on the map scrolls the page and leaves the map where it was, with a hint.
    before = map_view(page)
    middle = (map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    _swipe(page, [middle], dx=30, dy=-200)
    page.wait_for_function(
        "() => document.querySelector('section.stMain, [data-testid=stMain]').scrollTop > 50", polling=100
    )
    assert frame.locator(".atlas-touch-hint").inner_text() == TOUCH_HINT
    after = map_view(page)
    assert (after["lat"], after["lng"], after["zoom"]) == (before["lat"], before["lng"], before["zoom"])
    # Two fingers move the map.
    page.evaluate("() => { document.querySelector('section.stMain, [data-testid=stMain]').scrollTop = 0; }")
    map_box = handle.bounding_box()
    middle = (map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    _swipe(page, [(middle[0] - 40, middle[1]), (middle[0] + 40, middle[1])], dx=60, dy=80)
    frame.wait_for_function(
        "([lat, lng]) => Math.abs(map.getCenter().lat - lat) > 1 || Math.abs(map.getCenter().lng - lng) > 1",
        arg=[before["lat"], before["lng"]],
        polling=100,
    )
    # A tap on the town answers.
    page.touchscreen.tap(*on_screen(page, first.geometry.x, first.geometry.y))
    page.get_by_text(f"Right: {first.name}.").wait_for(timeout=30_000)
    assert page.outside == []


def test_an_answer_chosen_from_the_list_brings_its_result_into_view(phone, app_url):
    page = phone
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/classroom")
    page.wait_for_selector(IDLE, timeout=60_000)
    _map_frame(page)
    first = question_text(page)
    # The list is below the map on a phone: the pupil scrolls down to it and answers there.
    choice = page.locator(".stRadio [role=radiogroup] label").first
    choice.scroll_into_view_if_needed()
    choice.tap()
    page.get_by_role("button", name="Answer").tap()
    page.wait_for_function("text => !document.body.innerText.includes(text)", arg=first, timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    result = page.locator(".atlas-quiz-result")
    result.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => { const box = document.querySelector('.atlas-quiz-result').getBoundingClientRect();"
        " return box.top >= 0 && box.top < window.innerHeight; }",
        timeout=10_000,
    )
    assert re.match(r"(Right|Not quite)", result.inner_text())
    assert errors == [] and page.outside == []
