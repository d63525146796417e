"""Dashboard speed on the bundled data. Prints numbers; the last line is one JSON object.

- rerun_ms_median: server time of a script rerun after a filter change (AppTest, in process)
- payload_bytes: the map's HTML, JS and GeoJSON sent to the browser (st_folium arguments)
- cold_start_s: `streamlit run` start to the first event drawn on the map in headless Chromium
  (median of the rounds)
- floor_s: the same for the framework floor (bench/floor_app.py: a bare Streamlit page with
  one st_folium map of 30 markers, Leaflet served locally), measured alternately with the app
  in the same run; cold_start_ratio = cold_start_s / floor_s
- where the app's cold start goes: server (process start to health, the page's imports, its
  first script run), transfer (bytes and time of what the page loads, websocket included) and
  browser (from the map's frame opening to the marker drawn)
Goals on a 2-core machine: rerun under 300 ms, payload under 1.5 MB, cold start at most 1.3x
the floor.

    python bench/dashboard.py [--rounds 3] [--cold-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, block_outside, launch_browser, rerun_times, start_app, stop_app  # noqa: E402

YEAR_RANGES = [(2003, 2013), (2008, 2010), (2010, 2010), (2012, 2013), (2003, 2006)]
FLOOR_APP = ROOT / "bench" / "floor_app.py"
# What "the first drawn map" is for each page: a mark of its own inside the map's frame.
DRAWN = {"floor": (FLOOR_APP, "path.floor-marker"), "app": (ROOT / "app.py", "path.atlas-event")}


def basemap_bytes() -> int:
    """The basemap GeoJSON the browser fetches once from the app (published on first run)."""
    return sum(path.stat().st_size for path in (ROOT / "static" / "basemap").glob("*.geojson"))


def start_server(script: Path):
    """The app as users start it (`sahel-atlas app`, what `./atlas app` runs), the floor with
    `streamlit run`; returns (process, url, when it started)."""
    process, url = start_app(script=str(script), poll_s=0.05, as_users_start_it=script == DRAWN["app"][0])
    return process, url, process.started


# Resource timing of a document: what it loaded, how many bytes, when (ms from its own time origin).
RESOURCES_JS = """() => ({origin: performance.timeOrigin,
  navigation: performance.getEntriesByType('navigation').map(e => ({end: e.responseEnd, dom: e.domContentLoadedEventEnd,
      bytes: e.transferSize}))[0] || null,
  resources: performance.getEntriesByType('resource').map(e => ({name: e.name, start: e.startTime, end: e.responseEnd,
      bytes: e.transferSize, body: e.decodedBodySize, kind: e.initiatorType}))})"""


def one_cold_start(browser, kind: str) -> dict:
    """Start the server, open the page in a fresh browser context, wait for the first mark drawn."""
    script, drawn = DRAWN[kind]
    context = browser.new_context(viewport={"width": 1500, "height": 1000})  # empty cache: a first visit
    outside, socket_bytes = block_outside(context), [0]
    page = context.new_page()
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: socket_bytes.__setitem__(0, socket_bytes[0] + len(payload))),
    )
    process, url, started = start_server(script)
    times = {"health": time.perf_counter() - started}
    try:
        page.goto(url)
        times["page_loaded"] = time.perf_counter() - started
        page.wait_for_selector("iframe[title*='st_folium']", state="attached", timeout=60_000)
        times["frame_attached"] = time.perf_counter() - started
        frame = page.frame_locator("iframe[title*='st_folium']").first
        frame.locator(drawn).first.wait_for(state="attached", timeout=60_000)
        times["drawn"] = time.perf_counter() - started
        top = page.evaluate(RESOURCES_JS)
        framed = page.query_selector("iframe[title*='st_folium']").content_frame().evaluate(RESOURCES_JS)
        times["socket_bytes"] = socket_bytes[0]
    finally:
        stop_app(process)
        context.close()
    return {**times, "top": top, "frame": framed, "outside": outside}


def transfer_summary(run: dict) -> dict:
    """Bytes and time of what the page and the map's frame load, on the page's clock (seconds from goto)."""
    top, framed = run["top"], run["frame"]
    shift = framed["origin"] - top["origin"]  # the frame's clock starts later
    rows = [
        (
            r["name"].split("?")[0].rsplit("/", 1)[-1] or r["name"],
            r["bytes"],
            r["body"],
            (r["start"]) / 1000,
            r["end"] / 1000,
            "page",
        )
        for r in top["resources"]
    ]
    rows += [
        (
            r["name"].split("?")[0].rsplit("/", 1)[-1] or r["name"],
            r["bytes"],
            r["body"],
            (r["start"] + shift) / 1000,
            (r["end"] + shift) / 1000,
            "map",
        )
        for r in framed["resources"]
    ]
    return {
        "files": len(rows),
        "bytes": sum(r[1] for r in rows)
        + (top["navigation"] or {}).get("bytes", 0)
        + (framed["navigation"] or {}).get("bytes", 0),
        "socket_bytes": run["socket_bytes"],
        "largest": sorted(rows, key=lambda r: -r[2])[:6],
        "page_dom_s": (top["navigation"] or {}).get("dom", 0) / 1000,
        "frame_opened_s": shift / 1000 + (framed["navigation"] or {}).get("end", 0) / 1000,
        "last_file_s": max((r[4] for r in rows), default=0),
    }


SCRIPT_RUN = """
import json, sys, time
sys.path.insert(0, {root!r})
from streamlit.testing.v1 import AppTest
app = AppTest.from_file({script!r}, default_timeout=120)
print("FIRST-RUN", file=sys.stderr, flush=True)
started = time.perf_counter()
app.run()
first = time.perf_counter() - started
started = time.perf_counter()
app.run()
print(json.dumps({{"first_run_s": first, "second_run_s": time.perf_counter() - started,
                   "errors": [e.value for e in app.exception]}}))
"""


def script_run(script: Path) -> dict:
    """A fresh process runs the page once, as the server's first session does: its imports and its work.

    `python -X importtime` lists what the run imported; the top packages are returned with their seconds.
    """
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", SCRIPT_RUN.format(root=str(ROOT), script=str(script))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    during = done.stderr.split("FIRST-RUN", 1)[-1]
    packages: dict[str, float] = {}
    for line in during.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if name.startswith("  "):
            continue  # counted in the module that imported it
        top = name.strip().split(".")[0]
        packages[top] = packages.get(top, 0) + int(cumulative) / 1e6
    result["import_s"] = sum(packages.values())
    result["imports"] = sorted(packages.items(), key=lambda item: -item[1])[:8]
    return result


def cold_starts(rounds: int) -> dict[str, list[dict]]:
    from playwright.sync_api import sync_playwright

    from ui.assets import ensure_leaflet

    ensure_leaflet(FLOOR_APP.parent / "static" / "vendor" / "leaflet")
    runs: dict[str, list[dict]] = {"floor": [], "app": []}
    with sync_playwright() as playwright:
        # The browser is up before the clock starts: the page's start is what is measured.
        browser = launch_browser(playwright)
        one_cold_start(browser, "app")  # not counted: the basemap published, files in the disk cache
        for _ in range(rounds):
            for kind in ("floor", "app"):
                runs[kind].append(one_cold_start(browser, kind))
        browser.close()
    return runs


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report_cold_start(runs: dict[str, list[dict]]) -> dict:
    for kind in ("floor", "app"):
        print(f"{kind}: " + ", ".join(f"{run['drawn']:.2f} s" for run in runs[kind]) + " to the first mark drawn")
        outside = sorted({url for run in runs[kind] for url in run["outside"]})
        if outside:
            print(f"  requests outside localhost (blocked): {outside[:5]}")
    for kind in ("floor", "app"):
        run = sorted(runs[kind], key=lambda r: r["drawn"])[len(runs[kind]) // 2]  # the median round
        moved = transfer_summary(run)
        print(
            f"{kind} (median round): health {run['health']:.2f} s · page loaded {run['page_loaded']:.2f} s · "
            f"map frame in the page {run['frame_attached']:.2f} s · drawn {run['drawn']:.2f} s"
        )
        print(
            f"  transfer: {moved['files']} files, {moved['bytes'] / 1e6:.2f} MB over HTTP, "
            f"{moved['socket_bytes'] / 1e6:.2f} MB over the websocket; the page's DOM ready at "
            f"{moved['page_dom_s']:.2f} s after goto, the map's frame loaded at {moved['frame_opened_s']:.2f} s, "
            f"last file in at {moved['last_file_s']:.2f} s"
        )
        for name, sent, body, start, end, where in moved["largest"]:
            print(
                f"    {where:4} {name[:48]:48} {body / 1e3:8.0f} kB ({sent / 1e3:.0f} kB sent) "
                f"{start:5.2f}-{end:5.2f} s"
            )
        print(
            f"  browser: from the map's frame in the page to its first mark drawn "
            f"{run['drawn'] - run['frame_attached']:.2f} s"
        )
    return {
        kind: {key: round(median(runs[kind], key), 2) for key in ("health", "page_loaded", "frame_attached", "drawn")}
        for kind in ("floor", "app")
    }


def report_script_runs() -> dict:
    figures = {}
    for kind in ("floor", "app"):
        run = script_run(DRAWN[kind][0])
        if run["errors"]:
            print(f"{kind}: the page raised {run['errors']}")
        print(
            f"{kind} first script run (fresh process): {run['first_run_s']:.2f} s, of which imports "
            f"{run['import_s']:.2f} s; a second run {run['second_run_s'] * 1000:.0f} ms"
        )
        print("  imports: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in run["imports"]))
        figures[kind] = run
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="cold starts of each page, alternately (default 3)")
    parser.add_argument("--cold-only", action="store_true", help="skip the reruns and the payload")
    arguments = parser.parse_args()
    figures: dict = {}
    if not arguments.cold_only:
        timings, page_bytes = rerun_times(ROOT / "app.py", YEAR_RANGES, (2003, 2013), rounds=3)
        fetched = basemap_bytes()
        print(
            f"reruns after a year change: {len(timings)}, median {statistics.median(timings):.0f} ms, "
            f"max {max(timings):.0f} ms"
        )
        print(
            f"map payload: {(page_bytes + fetched) / 1e6:.2f} MB "
            f"({page_bytes / 1e6:.2f} MB in the page, {fetched / 1e6:.2f} MB of basemap fetched once)"
        )
        figures.update(
            {
                "rerun_ms_median": round(statistics.median(timings), 1),
                "rerun_ms_max": round(max(timings), 1),
                "payload_bytes": page_bytes + fetched,
                "page_bytes": page_bytes,
                "basemap_bytes": fetched,
            }
        )
    runs = cold_starts(arguments.rounds)
    steps = report_cold_start(runs)
    script_runs = report_script_runs()
    cold, floor = steps["app"]["drawn"], steps["floor"]["drawn"]
    print(
        f"cold start: server answering after {steps['app']['health']:.1f} s, map drawn after {cold:.1f} s; "
        f"the floor {floor:.1f} s: {cold / floor:.2f}x"
    )
    figures.update(
        {
            "server_ready_s": steps["app"]["health"],
            "cold_start_s": cold,
            "floor_s": floor,
            "cold_start_ratio": round(cold / floor, 2),
            "floor_server_ready_s": steps["floor"]["health"],
            "app_frame_in_page_s": steps["app"]["frame_attached"],
            "first_run_s": round(script_runs["app"]["first_run_s"], 2),
            "first_run_imports_s": round(script_runs["app"]["import_s"], 2),
            "floor_first_run_s": round(script_runs["floor"]["first_run_s"], 2),
            "rounds": arguments.rounds,
        }
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
