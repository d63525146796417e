"""Files a user takes away from the pages: pictures, slides and offline pages, made when asked.

Each is drawn from the same map view as the page shows; the slow ones are kept per
story, so a second press of the button costs nothing.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from view import AtlasContext, MapView, fitted_bbox
from geo.stories import Story

__all__ = ["view_picture", "view_page", "story_slides", "story_page", "for_export"]


def for_export(view: MapView, title: str = "Sahel Atlas") -> MapView:
    """The dashboard's view framed on what it draws: the extent on screen stays in the browser."""
    return dataclasses.replace(view, bbox=fitted_bbox(view), title=title)


def view_picture(view: MapView) -> bytes:
    from briefing.picture import render_png

    return render_png(view, size=(1920, 1080))


def view_page(view: MapView, context: AtlasContext) -> str:
    from briefing.offline_html import view_html

    return view_html(view, context)


@st.cache_data(show_spinner=False, max_entries=8)
def _slides(key: str, _story: Story, _context: AtlasContext) -> bytes:
    from briefing.slides import story_deck

    return story_deck(_story, _context)


@st.cache_data(show_spinner=False, max_entries=8)
def _page(key: str, _story: Story, _context: AtlasContext) -> str:
    from briefing.offline_html import story_html

    return story_html(_story, _context)


def story_slides(story: Story, context: AtlasContext) -> bytes:
    """The story as a PowerPoint deck, made once per version of the story."""
    return _slides(story.model_dump_json(), story, context)


def story_page(story: Story, context: AtlasContext) -> str:
    """The story as one offline HTML file, made once per version of the story."""
    return _page(story.model_dump_json(), story, context)
