"""The dashboard with many imported events, against a naive app. Prints numbers; the last line is
the 100,000-event result as one JSON object.

For each size (1k, 10k, 100k made-up ACLED-like events, ``geo.synthetic``, saved as one dataset
in a workspace of their own):

- rerun_ms_median: server time of a script rerun after a change of years (AppTest, in process),
  median over a few ranges;
- map_payload_bytes: what the map component carries after a rerun over every year (its
  arguments: the layers' script and data);
- bytes_to_browser: every websocket byte the browser receives while the page opens on every
  year (the script run's messages: map, table, charts, widgets), plus the imported events the
  map fetches beside them (the app's scripts, styles and basemap, the same whatever the data
  and cached by the browser, are not counted);
- map_drawn_s: headless Chromium, from opening the page to the map drawn with every event
  shown (the gathered layer's canvas holding them all);
- filter_change_drawn_s: then, from moving the years slider's first thumb one year on (the
  arrow key, as a user may) to the map drawn with the events of the new range.

At the largest size, on the map's own time slider (layers/time_filter.js), with no run of the app:

- slider_to_drawn_ms: median, from an input event of the slider (a move of the hand) to the next
  frame after the map is redrawn (marks, gathered discs, counts, places, boundaries, the date);
- play_steps_per_s: steps a second Play reaches when asked for its fastest speed (one year a step
  over every year), and play_step_ms the median time of drawing one step (what a step costs).

The naive app (bench/naive_app.py: one folium CircleMarker per event) is measured the same way
at 1k, 5k and 20k events in the same run; its 100k figures are extrapolated with a straight line
through those three (building and drawing 100,000 SVG markers takes minutes), and say so.
``speedup_vs_naive`` is the naive app's time from a filter change to the map drawn over the
dashboard's, at 100k (``page_open_speedup_vs_naive`` the same from opening the page, where
Streamlit's own page, heavier on the dashboard, weighs on both).

Goals at 100k on a 2-core machine: rerun under 1.5 s, under 5 MB sent, at least 20x faster
than the naive app.

    python bench/scale.py [--sizes 1000,10000,100000] [--naive-sizes 1000,5000,20000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, block_outside, launch_browser, rerun_times, start_app, stop_app  # noqa: E402

DATASET = "Synthetic ACLED-like"
# Year ranges a user would pick over 1997-2026 (the dashboard's slider starts in 2003).
YEAR_RANGES = [(2003, 2026), (2015, 2026), (2020, 2026), (2003, 2013), (2024, 2026)]
FIRST, LAST = 2003, 2026


def make_workspace(count: int, folder: Path) -> Path:
    from geo.synthetic import synthetic_events
    from geo.workspace import Workspace

    path = folder / f"workspace-{count}.gpkg"
    if not path.exists():
        result = synthetic_events(count, seed=2013, dataset=DATASET)
        Workspace(path).save_dataset(DATASET, result, file_name="synthetic.csv", format="acled")
    return path


def expected_count(workspace: Path, year_from: int = FIRST) -> int:
    """Events the page draws from ``year_from`` to the last year (from 2003, what began earlier too)."""
    from geo.filters import EventFilter, with_earlier_background
    from geo.workspace import Workspace

    shown_filter = with_earlier_background(EventFilter(year_from=year_from, year_to=LAST), FIRST)
    shown = Workspace(workspace).shown_events(shown_filter, [DATASET])
    return int((shown["x"].notna() & shown["y"].notna()).sum())


def wait_until(drawn, page, started: float, timeout_s: float, what: str) -> float:
    deadline = started + timeout_s
    while time.perf_counter() < deadline:
        try:
            if drawn(page.frame_locator("iframe[title*='st_folium']").first):
                return time.perf_counter() - started
        except Exception:  # the frame is being replaced by a newer run
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{what} was not drawn within {timeout_s:.0f} s")


def page_load(browser, url: str, drawn, timeout_s: float, changed=None) -> tuple[float, int, float | None]:
    """Seconds from opening ``url`` until ``drawn(map frame)`` is true; bytes received; and, with
    ``changed``, seconds from moving the years slider's first thumb one year on until
    ``changed(map frame)`` is true (a filter change as a user makes it)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    block_outside(context)
    received = [0]

    def on_socket(socket):
        socket.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

    page.on("websocket", on_socket)
    # The imported events the map fetches beside the page (the app's own scripts, styles and the
    # basemap are the same whatever the data, and cached: not counted).
    fetched = []
    page.on(
        "response",
        lambda response: (
            fetched.append(response) if "/component/ui.published.imported_events/" in response.url else None
        ),
    )
    try:
        started = time.perf_counter()
        page.goto(url)
        elapsed = wait_until(drawn, page, started, timeout_s, f"the map at {url}")
        page.wait_for_timeout(500)  # messages still arriving for the rest of the page
        opened = received[0] + sum(len(response.body()) for response in fetched)
        change_s = None
        if changed is not None:
            thumb = page.get_by_role("slider").first
            thumb.focus()
            started = time.perf_counter()
            thumb.press("ArrowRight")
            change_s = wait_until(changed, page, started, timeout_s, "the map after a change of years")
    finally:
        context.close()
    return elapsed, opened, change_s


def measure(script: str, sizes, folder: Path, browser, drawn_js) -> dict[int, dict]:
    results = {}
    for count in sizes:
        workspace = make_workspace(count, folder)
        expected, after_change = expected_count(workspace), expected_count(workspace, FIRST + 1)
        # Rerun times after a change of years, and the map component's payload over every year.
        timings, payload = rerun_times(
            ROOT / script, YEAR_RANGES, (FIRST, LAST), rounds=2, timeout_s=600, workspace=workspace
        )
        process, url = start_app(script=script, environment={"SAHEL_ATLAS_WORKSPACE": str(workspace)})
        try:
            page_load(browser, f"{url}/?from={FIRST}&to={LAST}", drawn_js(expected), 600)  # warm the caches
            drawn_s, received, change_s = page_load(
                browser, f"{url}/?from={FIRST}&to={LAST}", drawn_js(expected), 600, drawn_js(after_change)
            )
        finally:
            stop_app(process)
        results[count] = {
            "events": count,
            "events_drawn": expected,
            "rerun_ms_median": round(statistics.median(timings), 1),
            "map_payload_bytes": payload,
            "bytes_to_browser": received,
            "map_drawn_s": round(drawn_s, 2),
            "filter_change_drawn_s": round(change_s, 2),
        }
        print(
            f"{script}: {count:,} events: rerun median {results[count]['rerun_ms_median']:.0f} ms, map payload "
            f"{payload / 1e6:.2f} MB, {received / 1e6:.2f} MB to the browser, map drawn in {drawn_s:.2f} s from "
            f"opening the page, {change_s:.2f} s after a change of years",
            flush=True,
        )
    return results


def ours_drawn(expected: int):
    """The gathered layer's canvas draws every event in the range and has drawn its marks."""

    def check(frame) -> bool:
        canvas = frame.locator(f"canvas.atlas-event-grid[data-in-range='{expected}']")
        return canvas.count() == 1 and int(canvas.get_attribute("data-marks") or 0) > 0

    return check


def naive_drawn(expected: int):
    """One SVG marker drawn per event."""
    return lambda frame: frame.locator("path.leaflet-interactive").count() == expected


def extrapolated(naive: dict[int, dict], count: int) -> dict:
    """A straight line through the naive figures, read at ``count``."""
    sizes = sorted(naive)

    def line(key):
        xs, ys = sizes, [naive[size][key] for size in sizes]
        mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
        return mean_y + slope * (count - mean_x)

    return {
        "events": count,
        "extrapolated_from": sizes,
        "rerun_ms_median": round(line("rerun_ms_median"), 1),
        "map_payload_bytes": int(line("map_payload_bytes")),
        "bytes_to_browser": int(line("bytes_to_browser")),
        "map_drawn_s": round(line("map_drawn_s"), 2),
        "filter_change_drawn_s": round(line("filter_change_drawn_s"), 2),
    }


_SLIDER_MOVES = """async (map) => {
    const from = map.querySelector(".atlas-time-from"), to = map.querySelector(".atlas-time-to");
    const last = Number(to.max), times = [];
    const frame = () => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
    for (let k = 0; k < 40; k++) {
        const input = k % 2 ? to : from;
        const value = k % 2 ? last - (k % 7) : (k % 9);
        const started = performance.now();
        input.value = String(value);
        input.dispatchEvent(new Event("input", {bubbles: true}));
        await frame();
        times.push(performance.now() - started);
        await new Promise(done => setTimeout(done, 20));
    }
    return times;
}"""

_PLAY = """async (map) => {
    const time = window.map.atlas.time, speed = map.querySelector(".atlas-time-settings select:nth-of-type(1)");
    const selects = map.querySelectorAll(".atlas-time-settings select");
    selects[1].value = selects[1].options[selects[1].options.length - 1].value;  // the fastest
    selects[2].value = "one";
    const from = map.querySelector(".atlas-time-from"), to = map.querySelector(".atlas-time-to");
    from.value = "0"; to.value = to.max; from.dispatchEvent(new Event("input", {bubbles: true}));
    const steps = [];
    const original = time.apply;
    time.apply = function () { const t = performance.now(); original(); steps.push(performance.now() - t); };
    map.querySelector(".atlas-time-play").click();
    await new Promise(done => { const wait = () => time.playing ? setTimeout(wait, 50) : done(); wait(); });
    time.apply = original;
    return {steps: time.playStats.steps, elapsed: time.playStats.elapsed, step_ms: steps};
}"""


def slider_in_map(browser, url: str, drawn, timeout_s: float) -> dict:
    """The map's own slider, in the page: a move to the map redrawn, and Play's steps a second."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    block_outside(context)
    try:
        started = time.perf_counter()
        page.goto(url)
        wait_until(drawn, page, started, timeout_s, f"the map at {url}")
        container = page.frame_locator("iframe[title*='st_folium']").first.locator(".leaflet-container")
        moves = container.evaluate(_SLIDER_MOVES)
        played = container.evaluate(_PLAY)
    finally:
        context.close()
    return {
        "slider_to_drawn_ms": round(statistics.median(moves), 1),
        "play_steps_per_s": round(played["steps"] / (played["elapsed"] / 1000), 1),
        "play_step_ms": round(statistics.median(played["step_ms"]), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--naive-sizes", default="1000,5000,20000")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    naive_sizes = [int(size) for size in arguments.naive_sizes.split(",")]

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="sahel-atlas-scale-") as folder, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        ours = measure("app.py", sizes, Path(folder), browser, ours_drawn)
        largest = max(sizes)
        workspace = make_workspace(largest, Path(folder))
        process, url = start_app(environment={"SAHEL_ATLAS_WORKSPACE": str(workspace)})
        try:
            in_map = slider_in_map(
                browser, f"{url}/?from={FIRST}&to={LAST}", ours_drawn(expected_count(workspace)), 600
            )
        finally:
            stop_app(process)
        print(
            f"app.py: {largest:,} events: the map's slider, a move to the map drawn "
            f"{in_map['slider_to_drawn_ms']:.0f} ms (median); Play {in_map['play_steps_per_s']:.1f} steps a "
            f"second at its fastest, {in_map['play_step_ms']:.0f} ms a step",
            flush=True,
        )
        naive = measure("bench/naive_app.py", naive_sizes, Path(folder), browser, naive_drawn)
        browser.close()
    largest = max(sizes)
    naive_largest = naive.get(largest) or extrapolated(naive, largest)
    if "extrapolated_from" in naive_largest:
        print(
            f"naive app at {largest:,} events: extrapolated from {naive_largest['extrapolated_from']}: rerun "
            f"{naive_largest['rerun_ms_median']:.0f} ms, {naive_largest['bytes_to_browser'] / 1e6:.1f} MB, "
            f"drawn in {naive_largest['map_drawn_s']:.1f} s from opening the page, "
            f"{naive_largest['filter_change_drawn_s']:.1f} s after a change of years"
        )
    result = dict(ours[largest])
    result.update(in_map)
    result.update(
        {
            "speedup_vs_naive": round(naive_largest["filter_change_drawn_s"] / result["filter_change_drawn_s"], 1),
            "page_open_speedup_vs_naive": round(naive_largest["map_drawn_s"] / result["map_drawn_s"], 1),
            "rerun_speedup_vs_naive": round(naive_largest["rerun_ms_median"] / result["rerun_ms_median"], 1),
            "naive": naive_largest,
            "by_size": {str(size): ours[size] for size in sizes},
            "naive_by_size": {str(size): naive[size] for size in naive_sizes},
        }
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
