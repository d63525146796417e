"""End-to-end fixtures: the real app under `streamlit run`, driven by headless Chromium.

Every request that does not go to localhost is blocked and recorded, so a
test fails if the page reaches for a CDN or a tile server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Pictures for people to look at, in an ignored folder; `./atlas screenshots` writes the README's instead.
SCREENSHOTS = Path(os.environ.get("SAHEL_ATLAS_SCREENSHOTS") or ROOT / "tests" / "screenshots")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(data_dir: str | None = None, port: int | None = None, script: str = "app.py",
              environment: dict[str, str] | None = None):
    """Start `streamlit run <script>` (the app by default) and wait until its health endpoint answers."""
    port = port or _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(environment or {})}
    if data_dir:
        env["SAHEL_ATLAS_DATA"] = str(data_dir)
    # Output goes to a file: an unread pipe fills up and freezes the server mid-suite.
    log = tempfile.NamedTemporaryFile(prefix="sahel-atlas-server-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log.name
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    stop_app(process)
    raise RuntimeError(f"the app did not start: {Path(log.name).read_text(errors='replace')[-2000:]}")


def stop_app(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def app_url():
    process, url = start_app()
    yield url
    stop_app(process)


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is not installed (./atlas test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page whose requests outside localhost are blocked and listed in page.outside."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.outside = []

    def only_local(route):
        host = urlparse(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Labels are placed once the fonts are in and the map has drawn its frames.
    page.evaluate("() => document.fonts.ready")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=False)
    return path
