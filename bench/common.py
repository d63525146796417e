"""What the benchmarks share: the app's server (the browser tests' own start), a headless browser
that reaches only this machine, and the timing of script reruns after a change of years."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.app_server import CHROMIUM, ROOT, is_local, start_app, stop_app

__all__ = ["ROOT", "CHROMIUM", "start_app", "stop_app", "launch_browser", "block_outside", "rerun_times"]


def launch_browser(playwright):
    """Headless Chromium (Debian's), without background traffic of its own."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def block_outside(context) -> list[str]:
    """Block every request of ``context`` that leaves this machine; returns the list of those blocked."""
    outside: list[str] = []

    def only_local(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    return outside


def rerun_times(
    script: Path,
    year_ranges,
    every_year: tuple[int, int],
    rounds: int,
    timeout_s: float = 120,
    workspace: Path | None = None,
) -> tuple[list[float], int]:
    """Server times (ms) of the page's reruns after each change of years, ``rounds`` times over
    ``year_ranges`` (AppTest, in process), and the map component's payload in bytes over ``every_year``.

    ``workspace``: the user's imported data the page reads (else the environment's).
    """
    from streamlit.testing.v1 import AppTest

    if workspace is not None:
        os.environ["SAHEL_ATLAS_WORKSPACE"] = str(workspace)
    app = AppTest.from_file(str(script), default_timeout=timeout_s)
    app.run()
    if app.exception:
        raise RuntimeError(f"{script.name} failed: {app.exception[0].message}")
    timings = []
    for _ in range(rounds):
        for years in year_ranges:
            app.session_state["years"] = years
            started = time.perf_counter()
            app.run()
            timings.append((time.perf_counter() - started) * 1000)
    app.session_state["years"] = every_year
    app.run()
    [component] = [c for c in app.get("component_instance") if "st_folium" in c.proto.component_name]
    return timings, len(component.proto.json_args.encode())
