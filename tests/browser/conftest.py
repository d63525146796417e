"""End-to-end fixtures: the real app under `streamlit run`, driven by headless Chromium.

Every request that does not go to localhost is blocked and recorded, so a
test fails if the page reaches for a CDN or a tile server.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

# The server's start is shared with the benchmarks; the tests import start_app and stop_app from here.
from tests.app_server import CHROMIUM, LOCAL_HOSTS, ROOT, start_app, stop_app

# Pictures for people to look at, in an ignored folder; `./atlas screenshots` writes the README's instead.
SCREENSHOTS = Path(os.environ.get("SAHEL_ATLAS_SCREENSHOTS") or ROOT / "tests" / "screenshots")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def app_url():
    process, url = start_app(as_users_start_it=True)  # as `./atlas app` starts it
    yield url
    stop_app(process)


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is not installed (./atlas test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def offline_page(browser, **options):
    """A new page (``options`` as Playwright's ``new_context`` takes them) whose requests outside
    localhost are blocked and listed in ``page.outside``; close it with ``page.context.close()``."""
    context = browser.new_context(**options)
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
    return page


@pytest.fixture
def page(browser):
    """A fresh page whose requests outside localhost are blocked and listed in page.outside."""
    page = offline_page(browser, viewport={"width": 1500, "height": 1000})
    yield page
    page.context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Labels are placed once the fonts are in and the map has drawn its frames.
    page.evaluate("() => document.fonts.ready")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=False)
    return path
