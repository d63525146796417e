"""Dashboard speed on the bundled data. Prints numbers; the last line is one JSON object.

- rerun_ms_median: server time of a script rerun after a filter change (AppTest, in process)
- payload_bytes: the map's HTML, JS and GeoJSON sent to the browser (st_folium arguments)
- cold_start_s: `streamlit run` start to the rendered map in headless Chromium
Goals on a 2-core machine: rerun under 300 ms, payload under 1.5 MB, cold start under 5 s.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from streamlit.testing.v1 import AppTest  # noqa: E402

YEAR_RANGES = [(2003, 2013), (2008, 2010), (2010, 2010), (2012, 2013), (2003, 2006)]


def rerun_times(rounds: int = 3) -> tuple[list[float], int]:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    timings = []
    for _ in range(rounds):
        for years in YEAR_RANGES:
            app.session_state["years"] = years
            started = time.perf_counter()
            app.run()
            timings.append((time.perf_counter() - started) * 1000)
    [component] = [c for c in app.get("component_instance") if "st_folium" in c.proto.component_name]
    app.session_state["years"] = (2003, 2013)
    app.run()
    [component] = [c for c in app.get("component_instance") if "st_folium" in c.proto.component_name]
    return timings, len(component.proto.json_args.encode())


def basemap_bytes() -> int:
    """The basemap GeoJSON the browser fetches once from the app (published on first run)."""
    return sum(path.stat().st_size for path in (ROOT / "static" / "basemap").glob("*.geojson"))


def cold_start() -> tuple[float, float]:
    from conftest import CHROMIUM, start_app, stop_app
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The browser is up before the clock starts: the app's start is what is measured.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        started = time.perf_counter()
        process, url = start_app()
        healthy = time.perf_counter() - started
        try:
            page.goto(url)
            page.frame_locator("iframe[title*='st_folium']").first.locator("path.atlas-event").first.wait_for(
                timeout=60_000)
            elapsed = time.perf_counter() - started
        finally:
            stop_app(process)
        browser.close()
    return healthy, elapsed


def main() -> None:
    timings, page_bytes = rerun_times()
    fetched = basemap_bytes()
    print(f"reruns after a year change: {len(timings)}, median {statistics.median(timings):.0f} ms, "
          f"max {max(timings):.0f} ms")
    print(f"map payload: {(page_bytes + fetched) / 1e6:.2f} MB "
          f"({page_bytes / 1e6:.2f} MB in the page, {fetched / 1e6:.2f} MB of basemap fetched once)")
    healthy, cold = cold_start()
    print(f"cold start: server answering after {healthy:.1f} s, map rendered after {cold:.1f} s")
    print(json.dumps({"rerun_ms_median": round(statistics.median(timings), 1), "rerun_ms_max": round(max(timings), 1),
                      "payload_bytes": page_bytes + fetched, "page_bytes": page_bytes, "basemap_bytes": fetched,
                      "server_ready_s": round(healthy, 2), "cold_start_s": round(cold, 2)}))


if __name__ == "__main__":
    main()
