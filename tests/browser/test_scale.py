"""100,000 imported events in a real headless Chromium: drawn as gathered marks, a mark opens the
list of the events it counts, a town's zoom shows events one by one. Screenshots to look at."""

from __future__ import annotations

import re

import pytest

from geo.synthetic import synthetic_events
from geo.workspace import Workspace

from .conftest import screenshot, start_app, stop_app
from .test_dashboard import IDLE

pytestmark = pytest.mark.browser
EVENTS = 100_000
DATASET = "Synthetic ACLED-like"
GRID = "canvas.atlas-event-grid"
PAYLOAD_BUDGET = 5_000_000  # bytes sent to the browser for 100,000 events


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    """An app server of its own over a workspace of 100,000 made-up events."""
    path = tmp_path_factory.mktemp("scale") / "workspace.gpkg"
    workspace = Workspace(path)
    workspace.save_dataset(DATASET, synthetic_events(EVENTS, seed=2013, dataset=DATASET), "synthetic.csv", "acled")
    process, url = start_app(environment={"SAHEL_ATLAS_WORKSPACE": str(path)})
    yield url, workspace
    stop_app(process)


def shown_count(workspace, year_from: int, year_to: int) -> int:
    from geo.filters import EventFilter

    return len(workspace.shown_events(EventFilter(year_from=year_from, year_to=year_to), [DATASET]))


def open_map(page, url: str, expected: int = EVENTS, size=(1440, 900)):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=120_000)
    frame = page.frame_locator("iframe[title*='st_folium']").first
    # The map is sent every year's events and draws those in the slider's range.
    grid = frame.locator(f"{GRID}[data-events='{EVENTS}'][data-in-range='{expected}']")
    grid.wait_for(state="attached", timeout=120_000)
    return frame, grid


def free_mark(grid, gathered: bool) -> dict | None:
    """The biggest gathered mark (or a single event's) with nothing of the reports' over its centre
    (those lie on top) and clear of the map's buttons."""
    return grid.evaluate(
        """(canvas, gathered) => {
        const box = canvas.closest('.leaflet-container').getBoundingClientRect();
        return canvas.atlasMarks.filter(m => !!m.cell === gathered).sort((a, b) => (b.n || 1) - (a.n || 1))
            .find(m => {
                const under = document.elementFromPoint(box.left + m.x, box.top + m.y);
                return m.x > 60 && m.y > 60 && under && !under.matches('path[class*="atlas-"]')
                    && !under.closest('.leaflet-control');
            });
    }""",
        gathered,
    )


def test_100000_events_are_gathered_at_the_operating_areas_zoom(page, big_app):
    url, _ = big_app
    received, fetched = [], []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: received.append(len(payload))))
    page.on(
        "response",
        lambda response: (
            fetched.append(response) if "/component/ui.published.imported_events/" in response.url else None
        ),
    )
    frame, grid = open_map(page, f"{url}/?from=2003&to=2026")
    page.wait_for_timeout(500)
    # Everything the page got for the data: the app's messages and the events the map fetched.
    sent = sum(received) + sum(len(response.body()) for response in fetched)
    assert len(fetched) == 1 and sent < PAYLOAD_BUDGET, sent
    marks = grid.evaluate("canvas => canvas.atlasMarks.map(m => m.n || 1)")
    assert int(grid.get_attribute("data-gathered")) > 20
    assert sum(marks) == EVENTS  # every event is counted by one mark, none twice
    assert len(marks) < 2000  # a readable map, not 100,000 dots
    assert frame.locator("path.atlas-event").count() > 100  # the reports' events still drawn over them
    screenshot(page, "scale-100k-operating-area-1440x900")
    assert page.outside == []


def test_a_gathered_mark_opens_the_list_of_its_events(page, big_app):
    url, workspace = big_app
    frame, grid = open_map(
        page, f"{url}/?from=2020&to=2026&lat=14.5&lon=-2.0&zoom=6", shown_count(workspace, 2020, 2026)
    )
    mark = free_mark(grid, gathered=True)  # the biggest
    assert mark is not None and mark["n"] > 100
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + mark["x"], box["y"] + mark["y"])
    heading = page.get_by_text(re.compile(r"events? of your data here"))
    heading.wait_for(timeout=60_000)
    assert heading.inner_text().startswith(f"{mark['n']:,} event")
    page.get_by_text(re.compile(r"The 200 latest of these|Click an event to read it")).wait_for(timeout=30_000)
    page.wait_for_url(re.compile(f"select=cell%3A{mark['cell'].replace(':', '%3A')}"))  # the link opens the list
    screenshot(page, "scale-100k-cell-details-1440x900")


def test_a_towns_zoom_shows_events_one_by_one(page, big_app):
    url, workspace = big_app
    # Ouagadougou, close up.
    frame, grid = open_map(
        page,
        f"{url}/?from=2024&to=2026&lat=12.37&lon=-1.52&zoom=10",
        shown_count(workspace, 2024, 2026),
        size=(1920, 1080),
    )
    marks = grid.evaluate("canvas => canvas.atlasMarks.map(m => m.n || 1)")
    assert int(grid.get_attribute("data-gathered")) == 0 and len(marks) > 100  # each event its own mark
    assert set(marks) == {1}
    screenshot(page, "scale-100k-town-1920x1080")


def test_a_click_on_one_event_at_a_towns_zoom_opens_it(page, big_app):
    url, workspace = big_app
    frame, grid = open_map(
        page, f"{url}/?from=2025&to=2026&lat=13.5&lon=-2.1&zoom=9", shown_count(workspace, 2025, 2026)
    )
    mark = free_mark(grid, gathered=False)
    assert mark is not None and "cell" not in mark
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + mark["x"], box["y"] + mark["y"])
    page.get_by_text("Imported event · row").wait_for(timeout=60_000)
    page.wait_for_url(re.compile("select=imported%3Asynthetic-acled-like%3ASYN[0-9]+"))


def in_range(workspace, first: str, last: str, located: bool = True) -> int:
    """Imported events the page shows for a range of days ('2012-01-01/2014-12-31' as the map says it),
    from 2003 with what began earlier: asked of the store, as the app asks it."""
    from geo.filters import EventFilter, with_earlier_background

    year_from, year_to = int(first[:4]), int(last[:4])
    shown = workspace.shown_events(
        with_earlier_background(EventFilter(year_from=year_from, year_to=year_to), 2003), [DATASET]
    )
    return int((shown["x"].notna() & shown["y"].notna()).sum()) if located else len(shown)


def test_dragging_the_slider_over_100000_events_draws_exactly_the_range_with_no_run(page, big_app):
    from .time_slider import count_runs, drag, record_steps, runs, steps

    url, workspace = big_app
    frame, grid = open_map(page, f"{url}/?from=2015&to=2020", in_range(workspace, "2015", "2020"))
    count_runs(page)
    record_steps(frame)
    drag(page, frame, "from", 3)  # 2003 + 3: 2006
    during = steps(frame)
    assert runs(page) == 0, "the page ran while the slider moved"
    assert len(during) >= 3 and during[-1][0] == "2006-01-01/2020-12-31"
    for shown, _, imported, _, counted in during:  # every range drawn, exactly its events, each counted once
        first, last = shown.split("/")
        assert imported == counted == in_range(workspace, first, last), shown
    screenshot(page, "scale-100k-slider-dragged-1440x900")
    page.mouse.up()
    page.wait_for_function("() => window.atlasRuns >= 1", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_timeout(500)
    assert runs(page) == 1
    assert "from=2006" in page.url and "to=2020" in page.url
    # The run after release counts the same events the map drew.
    total = in_range(workspace, "2006", "2020", located=False)
    page.get_by_text(f"and {total:,} of your imported events").first.wait_for(timeout=30_000)


def test_play_over_100000_events_draws_each_year_exactly(page, big_app):
    from .time_slider import count_runs, record_steps, runs, steps

    url, workspace = big_app
    frame, grid = open_map(page, f"{url}/?from=2021&to=2026", in_range(workspace, "2021", "2026"))
    count_runs(page)
    record_steps(frame)
    frame.locator(".atlas-time-options summary").click()
    frame.get_by_label("Speed").select_option("10")
    frame.get_by_role("button", name="Play").click()
    frame.get_by_role("button", name="Pause").wait_for(timeout=10_000)
    frame.get_by_role("button", name="Play").wait_for(timeout=60_000)
    played = steps(frame)
    years = [step[0] for step in played]
    assert years[-7:] == [f"{y}-01-01/{y}-12-31" for y in range(2021, 2027)] + ["2021-01-01/2026-12-31"], years
    for shown, _, imported, badge, counted in played[-7:-1]:
        first, last = shown.split("/")
        assert imported == counted == in_range(workspace, first, last) and badge == first[:4], shown
    assert played[-1][2] == played[-1][4] == in_range(workspace, "2021", "2026")
    assert runs(page) == 0


def test_months_of_imported_events_on_the_slider_stay_in_the_link(page, big_app):
    from .time_slider import count_runs, drag, runs

    url, workspace = big_app
    frame, grid = open_map(page, f"{url}/?from=2024&to=2024", in_range(workspace, "2024", "2024"))
    frame.locator(".atlas-time-options summary").click()
    frame.get_by_label("Step", exact=True).select_option("month")
    count_runs(page)
    last = int(frame.locator(".atlas-time-to").evaluate("e => e.value"))
    drag(page, frame, "to", last - 7)  # December back to about May
    container = frame.locator(".leaflet-container")
    first, final = container.get_attribute("data-time-range").split("/")  # as the hand left it
    assert first == "2024-01-01" and "2024-04-30" <= final <= "2024-06-30"
    page.mouse.up()
    page.wait_for_function("() => window.atlasRuns >= 1", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_url(re.compile(rf"dates={first}\.\.{final}"))
    assert runs(page) == 1
    from geo.filters import EventFilter

    shown = workspace.shown_events(EventFilter(year_from=2024, year_to=2024), [DATASET])
    in_months = shown[shown["date_start"] <= final]
    page.wait_for_timeout(500)
    assert container.get_attribute("data-time-range") == f"{first}/{final}"  # the run left the days as chosen
    assert int(frame.locator(GRID).get_attribute("data-in-range")) == len(in_months) > 0
    page.get_by_text(f"and {len(in_months):,} of your imported events").first.wait_for(timeout=30_000)
    screenshot(page, "scale-100k-months-1440x900")
