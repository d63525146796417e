"""Every page passes axe-core (the accessibility engine, bundled by axe-playwright-python: nothing is fetched), in the
page and inside the map's frame; the map's marks are named and reached from the keyboard; each page at 200% zoom."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import offline_page, screenshot

pytestmark = pytest.mark.browser
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
MAP_FRAME = "iframe[title*='st_folium']"
BLOCKING = ("critical", "serious")


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _settled(page) -> None:
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(1500)  # the pages' second run (restored state, the map's first answer)
    page.wait_for_selector(IDLE, timeout=90_000)


def _pages(page, app_url) -> list[str]:
    """Every page the navigation offers, as its address."""
    page.goto(app_url)
    _settled(page)
    links = page.locator("[data-testid=stTopNavLink], [data-testid=stSidebarNavLink]")
    addresses = sorted({link.get_attribute("href") for link in links.all()})
    assert len(addresses) >= 4, addresses
    return addresses


def _blocking(results) -> list[str]:
    return [
        f"{violation['impact']} {violation['id']}: {violation['help']} at "
        f"{[node['target'] for node in violation['nodes'][:3]]}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def test_every_page_and_its_map_pass_axe(browser, app_url, axe):
    page = offline_page(browser, viewport={"width": 1500, "height": 1000})
    try:
        found = {}
        for address in _pages(page, app_url):
            page.goto(address)
            _settled(page)
            found[address] = _blocking(axe.run(page))
            maps = [frame for frame in page.frames if "st_folium" in frame.url]
            if page.locator(MAP_FRAME).count():
                page.frame_locator(MAP_FRAME).first.locator(".leaflet-container").wait_for(timeout=30_000)
                maps = [frame for frame in page.frames if "st_folium" in frame.url]
                assert maps, address
            for frame in maps:
                found[f"{address} (map)"] = _blocking(axe.run(frame))
        assert not any(found.values()), found
        assert page.outside == [], page.outside
    finally:
        page.context.close()


def test_marks_are_named_and_open_from_the_keyboard(browser, app_url):
    page = offline_page(browser, viewport={"width": 1500, "height": 1000})
    try:
        page.goto(f"{app_url}/?from=2010&to=2010&type=raid")
        _settled(page)
        frame = page.frame_locator(MAP_FRAME).first
        mark = frame.locator("path.atlas-event").first
        mark.wait_for(timeout=30_000)
        name = mark.get_attribute("aria-label")
        assert mark.get_attribute("role") == "button" and mark.get_attribute("tabindex") == "0"
        assert name and "2010" in name, name  # the event's title and date
        mark.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"select=event"), timeout=30_000)  # the event chosen, as a click chooses it
        # The map itself is reached with Tab from the page, and a mark with Tab from the map.
        page.goto(f"{app_url}/?from=2010&to=2010&type=raid")
        _settled(page)
        frame.locator(".leaflet-container").focus()
        for _ in range(40):
            page.keyboard.press("Tab")
            if frame.locator("path.atlas-keyed:focus").count():
                break
        assert frame.locator("path.atlas-keyed:focus").count() == 1
    finally:
        page.context.close()


def test_each_page_at_200_percent_zoom(browser, app_url):
    """Half the CSS pixels at twice the density is what a browser's 200% zoom gives: pictures to look at."""
    page = offline_page(browser, viewport={"width": 750, "height": 500}, device_scale_factor=2)
    try:
        for address in _pages(page, app_url):
            page.goto(address)
            _settled(page)
            assert page.locator("[data-testid=stException]").count() == 0, address
            name = address.rstrip("/").rsplit("/", 1)[-1] or "dashboard"
            screenshot(page, f"zoom-200-{name if ':' not in name else 'dashboard'}")
    finally:
        page.context.close()
