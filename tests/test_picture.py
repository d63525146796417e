"""The PNG picture of a map view: size, legend, labels, highlights and scale bar."""

from __future__ import annotations

import dataclasses
import io
import math
import threading

import numpy as np
import pytest
from PIL import Image

from briefing.picture import PICTURE_SIZES, draw_picture, legend_entries, parse_size, render_png
from geo.filters import EventFilter
from geo.measure import great_circle_km
from geo.schema import EVENT_TYPES
from geo.stories import STORIES_DIR, load_story
from style import HIGHLIGHT
from view import load_context, map_view, story_views

NORTHERN_MALI_TAKEN = 7  # the story step with a town, events and two boundaries highlighted


@pytest.fixture(scope="module")
def context():
    return load_context()


@pytest.fixture(scope="module")
def default_view(context):
    return map_view(context, EventFilter(year_from=2003, year_to=2013))


@pytest.fixture(scope="module")
def story(context):
    return story_views(load_story(STORIES_DIR / "sahel-2003-2013.yaml"), context)


@pytest.fixture(scope="module")
def default_picture(default_view):
    return draw_picture(default_view)


@pytest.fixture(scope="module")
def default_png(default_picture):
    return Image.open(io.BytesIO(default_picture.png())).convert("RGB")


@pytest.fixture(scope="module")
def story_pictures(story):
    """Every step drawn once (not encoded): labels are placed when the picture is drawn."""
    return [draw_picture(view) for view in story]


@pytest.fixture(scope="module")
def highlighted_picture(story_pictures):
    picture = story_pictures[NORTHERN_MALI_TAKEN]
    return picture, Image.open(io.BytesIO(picture.png())).convert("RGB")


def _intersect(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _assert_labels_apart(picture, name: str):
    labels = picture.labels
    assert labels, f"{name}: no label placed"
    width, height = picture.figure.canvas.get_width_height()
    for index, label in enumerate(labels):
        x0, y0, x1, y1 = label.box
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, f"{name}: {label.text!r} leaves the picture"
        for other in labels[index + 1 :]:
            assert not _intersect(label.box, other.box), f"{name}: {label.text!r} overlaps {other.text!r}"
        for box in picture.furniture:
            assert not _intersect(label.box, box), f"{name}: {label.text!r} lies under the title, legend or scale"


def test_slide_picture_is_1920_by_1080(default_png):
    assert default_png.size == (1920, 1080)


def test_a4_picture_is_3508_by_2480_at_300_dpi(default_view):
    picture = Image.open(io.BytesIO(render_png(default_view, PICTURE_SIZES["a4"])))
    assert picture.size == (3508, 2480)
    assert round(picture.info["dpi"][0]) == 300


def test_dpi_sets_the_printed_size_not_the_pixels(story):
    picture = Image.open(io.BytesIO(render_png(story[5], (800, 450), dpi=72)))
    assert picture.size == (800, 450)
    assert round(picture.info["dpi"][0]) == 72


@pytest.mark.parametrize(
    "text, size",
    [("1920x1080", (1920, 1080)), (" 1280 X 720 ", (1280, 720)), ("A4", (3508, 2480)), ("a4", (3508, 2480))],
)
def test_parse_size_reads_pixels_and_names(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize(
    "text, says",
    [("huge", "WIDTHxHEIGHT"), ("1920x", "1920x1080"), ("", "a4"), ("10x10", "200 to"), ("99999x1080", "200 to")],
)
def test_parse_size_says_what_it_expects(text, says):
    with pytest.raises(ValueError, match=says):
        parse_size(text)


def test_legend_lists_only_the_event_types_drawn(context):
    kidnappings = map_view(context, EventFilter(year_from=2003, year_to=2013, types=("kidnapping",)))
    entries = legend_entries(kidnappings)
    assert [entry.label for entry in entries if entry.section == "Event type"] == ["Kidnapping"]


def test_legend_matches_the_events_inside_the_picture(default_view, default_picture):
    west, south, east, north = default_picture.extent
    events = default_view.events[default_view.events.geometry.notna()]
    inside = events[events.geometry.x.between(west, east) & events.geometry.y.between(south, north)]
    types = [entry.label for entry in default_picture.legend if entry.section == "Event type"]
    assert types == [label for code, label in EVENT_TYPES.items() if code in set(inside["type"])]
    areas = [entry.label for entry in default_picture.legend if entry.section.startswith("Boundaries")]
    assert areas == list(default_view.boundaries["name"])
    assert not any(entry.symbol == "ring" for entry in default_picture.legend)  # nothing highlighted
    assert len(inside) < len(events)  # some events lie outside (Paris, New York): not in the legend's count


def test_a_selected_event_is_ringed_without_fading_the_rest(context, default_view):
    chosen = dataclasses.replace(default_view, selected="event:2013-01-in-amenas-attack")
    picture = draw_picture(chosen, (960, 540))
    ringed = [mark for mark in picture.marks if mark.ringed]
    assert [mark.ref for mark in ringed] == ["event:2013-01-in-amenas-attack"]
    assert all(mark.opacity == 1 for mark in picture.marks)
    assert [entry.label for entry in picture.legend if entry.symbol == "ring"] == ["Selected"]


def test_legend_without_events_has_no_event_rows(context):
    towns_only = map_view(context, EventFilter(year_from=2003, year_to=2013), layers=("towns",))
    entries = legend_entries(towns_only)
    assert {entry.section for entry in entries} == {"Symbols"}
    assert "Town named in the reports" in [entry.label for entry in entries]


def test_labels_never_overlap_on_the_default_view(default_picture):
    _assert_labels_apart(default_picture, "default view")
    names = {label.text for label in default_picture.labels}
    assert {"Timbuktu", "Kidal", "Algiers"} <= names


def test_labels_never_overlap_in_any_step_of_the_story(story, story_pictures):
    for number, (view, picture) in enumerate(zip(story, story_pictures)):
        _assert_labels_apart(picture, f"step {number + 1} ({view.title})")


def test_highlighted_marks_are_ringed_and_the_rest_faded(story, highlighted_picture):
    view = story[NORTHERN_MALI_TAKEN]
    picture, image = highlighted_picture
    events = [mark for mark in picture.marks if mark.kind == "event"]
    assert {mark.ref for mark in events if mark.ringed} == {key for key in view.highlighted if key.startswith("event:")}
    for mark in events:
        assert mark.opacity == (1.0 if mark.ringed else HIGHLIGHT["dimmed_opacity"]), mark.ref
    assert any(mark.ringed and mark.ref == "place:timbuktu" for mark in picture.marks)

    ring = np.array([int(HIGHLIGHT["ring"][i : i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image).astype(int)
    scale = picture.figure.canvas.get_width_height()[0] / 1920
    for mark in (mark for mark in picture.marks if mark.ringed):
        radius = mark.radius + (3 + 3.5 / 2) * scale  # on the ring
        hits = 0
        for angle in np.linspace(0, 2 * math.pi, 24, endpoint=False):
            column = int(round(mark.x + radius * math.cos(angle)))
            row = int(round(image.height - (mark.y + radius * math.sin(angle))))
            if np.abs(pixels[row, column] - ring).max() < 40:
                hits += 1
        assert hits >= 6, f"{mark.ref}: ring colour found at {hits} of 24 points round it"


def test_highlighted_features_are_named(story_pictures, highlighted_picture):
    picture, _ = highlighted_picture
    kinds = {label.kind for label in picture.labels}
    assert {"focus-event", "focus-place", "focus-area"} <= kinds
    assert any(label.text == "Timbuktu" and label.kind == "focus-place" for label in picture.labels)
    first = story_pictures[0]  # Azawad is a region: no mark, its name written large
    assert any(label.text == "Azawad" and label.kind == "focus-region" for label in first.labels)


def test_scale_bar_matches_the_map(default_picture):
    bar = default_picture.scale_bar
    to_degrees = default_picture.map_axes.transData.inverted()
    (lon0, _), (lon1, _) = to_degrees.transform([(bar.x0, bar.y), (bar.x1, bar.y)])
    measured = great_circle_km(lon0, bar.latitude, lon1, bar.latitude)
    assert measured == pytest.approx(bar.km, rel=0.02)
    leading = bar.km / 10 ** math.floor(math.log10(bar.km))
    assert leading in (1, 2, 5)  # a round number a reader can use
    south, north = default_picture.extent[1], default_picture.extent[3]
    assert south < bar.latitude < north


def test_text_from_data_is_never_read_as_mathtext(default_view):
    priced = dataclasses.replace(
        default_view,
        title="Ransoms of $5 million and $7.3 million",
        layers=("towns",),
        events=default_view.events.iloc[0:0],
        places=default_view.places.iloc[0:0],
        boundaries=default_view.boundaries.iloc[0:0],
    )
    picture = draw_picture(priced, (960, 540))
    titles = [text.get_text() for text in picture.figure.axes[1].texts]
    assert "Ransoms of $5 million and $7.3 million" in titles
    assert Image.open(io.BytesIO(picture.png())).size == (960, 540)


def test_pictures_can_be_drawn_from_two_threads(default_view, story):
    results = {}

    def draw(name, view):
        results[name] = Image.open(io.BytesIO(render_png(view, (640, 360)))).size

    threads = [
        threading.Thread(target=draw, args=(name, view))
        for name, view in (("default", default_view), ("step", story[0]))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"default": (640, 360), "step": (640, 360)}
