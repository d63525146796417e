"""The offline page: one file that needs nothing else, names no web address, and keeps data as text."""

from __future__ import annotations

import html
import re

import pytest

from briefing.offline_html import WEB_ADDRESS, script_json, story_html, view_html
from geo.filters import EventFilter
from geo.stories import STORIES_DIR, load_story
from view import CREDITS, load_context, map_view, step_view

STORY_LIMIT_BYTES = 3_000_000
HOSTILE = "Look <script>alert(1)</script> & then </script><!-- at this."


@pytest.fixture(scope="module")
def context():
    return load_context()


@pytest.fixture(scope="module")
def story():
    return load_story(STORIES_DIR / "sahel-2003-2013.yaml")


@pytest.fixture(scope="module")
def story_page(story, context) -> str:
    return story_html(story, context)


@pytest.fixture(scope="module")
def view_page(context) -> str:
    """The dashboard's first view: every year, every group."""
    return view_html(map_view(context, EventFilter()), context)


@pytest.fixture(scope="module")
def hostile_page(story, context) -> str:
    """A story whose first step says things a page must never run."""
    first = story.steps[0].model_copy(update={"heading": "<b>Bold</b> & </script> heading", "caption": HOSTILE})
    return story_html(story.model_copy(update={"steps": [first, *story.steps[1:3]]}), context)


def test_the_story_page_names_no_web_address(story_page):
    found = WEB_ADDRESS.findall(story_page)
    assert found == [], found[:5]


def test_a_single_view_names_no_web_address(view_page):
    assert WEB_ADDRESS.search(view_page) is None


def test_the_story_page_is_under_3_mb(story_page):
    size = len(story_page.encode("utf-8"))
    print(f"story page: {size:,} bytes")
    assert size < STORY_LIMIT_BYTES


def test_leaflet_and_the_basemap_are_in_the_page(view_page, story_page):
    for page in (view_page, story_page):
        assert re.search(r"<script[^>]*\ssrc=", page) is None
        assert re.search(r"<link[^>]*\shref=", page) is None
        assert re.search(r"fetch\(\s*[\"']", page) is None  # the basemap is written in, never fetched from an address
        assert 'version="1.9.4"' in page  # Leaflet itself
        assert ".leaflet-container" in page and "data:image/png;base64," in page  # its style sheet and images
        assert "map.atlas" in page  # the map engine
        assert '"country-ML"' in page  # the basemap


def test_each_step_shows_heading_caption_and_sources_escaped(story_page, story, context):
    from view import Names

    reports = Names(context.atlas).sources
    for step in story.steps:
        assert f"<h2>{html.escape(step.heading)}</h2>" in story_page
        assert html.escape(step.caption) in story_page
        for citation in step.citations:
            assert f"{html.escape(reports[citation.source])}: “{html.escape(citation.locator)}”" in story_page
    assert html.escape(story.title) in story_page and html.escape(story.summary) in story_page


def test_a_caption_with_markup_stays_text(hostile_page):
    assert "<script>alert(1)" not in hostile_page
    assert "<b>Bold</b>" not in hostile_page
    assert html.escape(HOSTILE) in hostile_page  # in the panel, as text
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;/script&gt; heading" in hostile_page
    # In the step data the heading is JSON in which no '<' survives, so no script can be ended early.
    assert script_json("<b>Bold</b> & </script> heading") in hostile_page
    assert hostile_page.count("</script>") == len(re.findall(r"<script[\s>]", hostile_page))


def test_script_json_cannot_end_a_script():
    text = script_json({"caption": "</script><!-- <script>"})
    assert "<" not in text and ">" not in text
    assert text == '{"caption": "\\u003c/script\\u003e\\u003c!-- \\u003cscript\\u003e"}'


def test_the_view_page_has_its_title_filters_legend_and_credits(context):
    view = step_view(load_story(STORIES_DIR / "sahel-2003-2013.yaml").steps[7], context)
    page = view_html(view, context)
    assert f"<h1>{html.escape(view.title)}</h1>" in page
    assert html.escape(view.filters_in_words) in page
    assert "\\u003cdetails\\u003e\\u003csummary\\u003eLegend" in page  # folded (written by Leaflet from JSON)
    assert "\\u003cdetails open" not in page
    assert html.escape(CREDITS) in page


def test_the_story_page_credits_the_sources(story_page):
    assert html.escape(CREDITS) in story_page


def test_an_address_in_the_data_is_written_so_it_is_not_one(story, context):
    step = story.steps[0].model_copy(update={"caption": "See https://example.org/report for more. It says so."})
    page = story_html(story.model_copy(update={"steps": [step]}), context)
    assert WEB_ADDRESS.search(page) is None
    assert "https:&#47;&#47;example.org/report" in page  # still reads as the address
