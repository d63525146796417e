"""A link full of markdown links and images, in a real browser: shown as text, no link made, nothing fetched."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from .conftest import screenshot
from .test_dashboard import IDLE, open_app

pytestmark = pytest.mark.browser
TRACKER = "![t](https://tracker.example/px.png)"
LINK = "[x](https://evil.example)"
AUTOLINK = "<https://evil.example>"
BARE = "https://evil.example/page"


def page_text(page) -> str:
    """The page's text as a reader sees it (the invisible word joiners that keep addresses from being
    linked left out)."""
    return page.evaluate("() => document.body.innerText").replace("\u2060", "")


def outside_marks(page) -> list[str]:
    """Links to and images from anywhere but this machine, in the page (the map's own frame aside)."""
    return page.evaluate("""() => [
        ...[...document.querySelectorAll('a[href]')].map(a => a.href),
        ...[...document.querySelectorAll('img')].map(img => img.src),
    ].filter(address => address && !/^(https?:\\/\\/(127\\.0\\.0\\.1|localhost)[:\\/]|data:|blob:|about:)/.test(address))""")


def test_markdown_in_a_dashboard_link_is_text_and_fetches_nothing(page, app_url):
    query = urlencode({"q": TRACKER, LINK: "1", "from": AUTOLINK, "basemap": BARE, "select": f"<img src={BARE}>"})
    open_app(page, app_url, f"?{query}")
    page.get_by_text("Ignored unknown link parameter:").wait_for(timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    text = page_text(page)
    for written in (f"Ignored unknown link parameter: {LINK}.", TRACKER, AUTOLINK, BARE):
        assert written in text, written
    page.wait_for_timeout(500)  # an image would be asked for as soon as it is in the page
    assert outside_marks(page) == []
    assert page.outside == []
    screenshot(page, "dashboard-markdown-in-link")


def test_markdown_in_a_story_link_is_text_and_fetches_nothing(page, app_url):
    page.goto(f"{app_url}/present?{urlencode({'story': TRACKER, 'step': LINK})}")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("showing the first one").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    assert TRACKER in page_text(page)
    assert outside_marks(page) == []
    assert page.outside == []
