"""Files a user takes away from the pages: pictures, slides and offline pages, made when asked.

Each is drawn from the same map view as the page shows; the slow ones are kept per
story, so a second press of the button costs nothing.
"""

from __future__ import annotations

import dataclasses
import threading

import streamlit as st

from geo.stories import Story
from view import AtlasContext, MapView, fitted_bbox

__all__ = ["view_picture", "view_page", "story_slides", "slides_button", "story_page", "for_export"]


def for_export(view: MapView, title: str = "Sahel Atlas") -> MapView:
    """The dashboard's view framed on what it draws: the extent on screen stays in the browser."""
    return dataclasses.replace(view, bbox=fitted_bbox(view), title=title)


def view_picture(view: MapView) -> bytes:
    from briefing.picture import render_png

    return render_png(view, size=(1920, 1080))


def view_page(
    view: MapView, context: AtlasContext, every_year: MapView | None = None, years: tuple[int, int] | None = None
) -> str:
    """The offline map of ``view``; with ``every_year`` and ``years``, with its own time slider."""
    from briefing.offline_html import view_html

    if every_year is not None:
        every_year = dataclasses.replace(every_year, bbox=view.bbox, title=view.title)
    return view_html(view, context, every_year, years)


# Decks made, by version of the story, the latest few: kept here rather than by st.cache_data, which
# would record (and fail to replay) the progress bar the making updates.
_DECKS: dict[str, bytes] = {}
_DECKS_LOCK = threading.Lock()
_DECKS_KEPT = 8


def _slides(key: str, story: Story, context: AtlasContext, progress=None) -> bytes:
    with _DECKS_LOCK:
        deck = _DECKS.get(key)
    if deck is not None:
        return deck
    from briefing.picture import render_png
    from briefing.slides import PICTURE_SIZE, story_deck

    drawn = []

    def picture(view: MapView) -> bytes:  # one map after another, each told as it is done
        image = render_png(view, size=PICTURE_SIZE)
        drawn.append(view)
        progress(len(drawn), len(story.steps))
        return image

    deck = story_deck(story, context, pictures=picture if progress is not None else None)
    with _DECKS_LOCK:
        while len(_DECKS) >= _DECKS_KEPT:
            _DECKS.pop(next(iter(_DECKS)))
        _DECKS[key] = deck
    return deck


@st.cache_data(show_spinner=False, max_entries=8)
def _page(key: str, _story: Story, _context: AtlasContext) -> str:
    from briefing.offline_html import story_html

    return story_html(_story, _context)


def story_slides(story: Story, context: AtlasContext, progress=None) -> bytes:
    """The story as a PowerPoint deck, made once per version of the story.

    ``progress(done, total)`` is told as each step's map is drawn (the most of the time it takes).
    """
    return _slides(story.model_dump_json(), story, context, progress)


def slides_button(story: Story, context: AtlasContext) -> None:
    """'Make the slides', with a bar that follows the maps as they are drawn, then the file to download.

    Drawing a map a step takes about a second and a half: a deck of 11 steps takes some 17 s,
    too long to wait on a button that says nothing.
    """
    key = story.model_dump_json()
    made = st.session_state.get("present_slides")
    if made and made[0] == key:
        st.download_button(
            "Slides (PowerPoint)",
            made[1],
            file_name=f"{story.id}.pptx",
            icon=":material/slideshow:",
            key="download_pptx",
            width="stretch",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            help="A 16:9 deck: a title slide, then each step's map, caption and sources (full "
            "citations in the speaker notes).",
        )
        return
    if not st.button(
        "Make the slides (PowerPoint)",
        icon=":material/slideshow:",
        key="make_pptx",
        width="stretch",
        help=f"A 16:9 deck of {len(story.steps)} steps; its maps take about "
        f"{max(5, round(len(story.steps) * 1.6))} s to draw.",
    ):
        return
    total = len(story.steps)
    bar = st.progress(0.0, text=f"Drawing the maps: 0 of {total}")
    data = story_slides(
        story,
        context,
        progress=lambda done, count: bar.progress(done / (count + 1), text=f"Drawing the maps: {done} of {count}"),
    )
    bar.progress(1.0, text="The slides are ready")
    st.session_state.present_slides = (key, data)
    st.rerun()


def story_page(story: Story, context: AtlasContext) -> str:
    """The story as one offline HTML file, made once per version of the story."""
    return _page(story.model_dump_json(), story, context)
