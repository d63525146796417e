"""Helpers to use the map's time slider as a user does, and to watch what the page does meanwhile."""

from __future__ import annotations

SCRIPT_STATE = "[data-testid=stApp]"


def count_runs(page) -> None:
    """From now on, count the page's runs in ``window.atlasRuns`` (each start of a run of the app)."""
    page.evaluate("""() => {
        window.atlasRuns = 0;
        const app = document.querySelector("[data-testid=stApp]");
        new MutationObserver(() => {
            if (app.getAttribute("data-test-script-state") === "running") { window.atlasRuns += 1; }
        }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
    }""")


def runs(page) -> int:
    return page.evaluate("() => window.atlasRuns")


def record_steps(frame) -> None:
    """From now on, keep each range the map draws with its marks in the frame's ``window.atlasSteps``:
    [range, reports' marks drawn, imported events in range, the large date on the map, the events the
    gathered layer's marks count (a disc its count, a single event one)]."""
    frame.locator(".leaflet-container").evaluate("""map => {
        window.atlasSteps = [];
        new MutationObserver(() => {
            const grid = map.querySelector("canvas.atlas-event-grid"), badge = map.querySelector(".atlas-time-badge");
            window.atlasSteps.push([map.getAttribute("data-time-range"), map.querySelectorAll("path.atlas-event").length,
                                    grid ? Number(grid.getAttribute("data-in-range")) : null,
                                    badge && badge.style.display !== "none" ? badge.textContent : "",
                                    grid ? grid.atlasMarks.reduce((sum, mark) => sum + (mark.n || 1), 0) : null]);
        }).observe(map, {attributes: true, attributeFilter: ["data-time-range"]});
    }""")


def steps(frame) -> list:
    return frame.locator(".leaflet-container").evaluate("() => window.atlasSteps")


def drag(page, frame, handle: str, to_step: int, moves: int = 8) -> None:
    """Press the mouse on the slider's ``handle`` ('from' or 'to'), move it to ``to_step`` in a few
    moves, keeping the button down (release with ``page.mouse.up()``)."""
    thumb = frame.locator(f".atlas-time-{handle}")
    box = thumb.bounding_box()
    value, maximum = (int(v) for v in thumb.evaluate("e => [e.value, e.max]"))
    thumb_px = 20  # the thumb's width in time_filter.js: its centre runs from half of it to the end less half

    def x_of(step):
        return box["x"] + thumb_px / 2 + (box["width"] - thumb_px) * step / max(1, maximum)

    y = box["y"] + box["height"] / 2
    page.mouse.move(x_of(value), y)
    page.mouse.down()
    for k in range(1, moves + 1):
        page.mouse.move(x_of(value + (to_step - value) * k / moves), y)
        page.wait_for_timeout(30)
