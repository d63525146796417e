"""The story as a PowerPoint deck: 16:9, a title slide, a slide a step (map, heading, caption, sources,
full citations in the notes) and the reports cited, all read back with python-pptx."""

import io
import re

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from briefing.slides import clean_text, story_deck
from geo.stories import STORIES_DIR, load_story
from view import Names, load_context

BUNDLED = STORIES_DIR / "sahel-2003-2013.yaml"
WIDE = (Emu(12192000), Emu(6858000))  # 13.333 in x 7.5 in


def small_map(view) -> bytes:
    """A cheap stand-in for a step's map: a real 16:9 PNG."""
    out = io.BytesIO()
    Image.new("RGB", (160, 90), (200, 215, 230)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def story():
    return load_story(BUNDLED)


@pytest.fixture(scope="module")
def context():
    return load_context()


@pytest.fixture(scope="module")
def names(context):
    return Names(context.atlas)


@pytest.fixture(scope="module")
def deck(story, context):
    return Presentation(io.BytesIO(story_deck(story, context, pictures=small_map)))


@pytest.fixture(scope="module")
def drawn_deck(story, context):
    """The deck with the real maps (briefing.picture.render_png)."""
    return Presentation(io.BytesIO(story_deck(story, context)))


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def text_shape(slide, text: str):
    return next(shape for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text == text)


def pictures(slide):
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_the_deck_is_widescreen_with_a_title_slide_a_slide_a_step_and_the_reports(deck, story):
    assert (deck.slide_width, deck.slide_height) == WIDE
    assert len(deck.slides) == 1 + len(story.steps) + 1


def test_the_title_slide_has_the_title_byline_and_summary(deck, story):
    first = deck.slides[0]
    assert first.shapes.title.text == clean_text(story.title)
    shown = texts(first)
    assert clean_text(story.byline) in shown
    assert clean_text(story.summary) in shown
    assert not pictures(first)


def test_each_step_slide_has_its_map_heading_caption_and_position(deck, story):
    for number, step in enumerate(story.steps, start=1):
        slide = deck.slides[number]
        assert slide.shapes.title.text == step.heading
        shown = texts(slide)
        assert f"Step {number} of {len(story.steps)}" in shown
        caption = text_shape(slide, " ".join(step.caption.split()))
        sizes = {run.font.size.pt for paragraph in caption.text_frame.paragraphs for run in paragraph.runs}
        assert sizes and min(sizes) >= 16, f"step {number}: caption at {sizes} pt"
        [picture] = pictures(slide)
        assert picture.width / picture.height == pytest.approx(16 / 9, rel=0.01)
        assert picture.width >= 0.5 * deck.slide_width  # the map takes most of the slide


def test_step_slide_shapes_stay_on_the_slide_and_off_the_map(deck, story):
    for number in range(1, len(story.steps) + 1):
        slide = deck.slides[number]
        [picture] = pictures(slide)
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= deck.slide_width + 1, shape.name
            assert shape.top + shape.height <= deck.slide_height + 1, shape.name
            if shape.has_text_frame and shape.text_frame.text:
                apart = (
                    shape.left >= picture.left + picture.width
                    or shape.left + shape.width <= picture.left
                    or shape.top >= picture.top + picture.height
                    or shape.top + shape.height <= picture.top
                )
                assert apart, f"step {number}: '{shape.text_frame.text[:30]}' covers the map"


def test_each_step_slide_has_a_sources_footnote_with_labels_and_locators(deck, story, names):
    for number, step in enumerate(story.steps, start=1):
        [footnote] = [text for text in texts(deck.slides[number]) if text.startswith("Sources: ")]
        for citation in step.citations:
            assert names.sources[citation.source] in footnote
            assert f"“{citation.locator}”" in footnote


def test_the_notes_hold_the_full_citations(deck, story, names, context):
    reports = context.atlas.sources.set_index("id")
    for number, step in enumerate(story.steps, start=1):
        notes = deck.slides[number].notes_slide.notes_text_frame.text
        for citation in step.citations:
            report = reports.loc[citation.source]
            assert names.source_titles[citation.source] in notes  # author or outlet, title, date
            assert f"“{citation.locator}”" in notes
            for who in ("author", "outlet"):
                if isinstance(report[who], str):
                    assert report[who] in notes
        assert "Map: " in notes


def test_the_last_slide_lists_every_report_the_story_cites(deck, story, names):
    last = deck.slides[-1]
    assert last.shapes.title.text == "Reports cited"
    listed = "\n".join(texts(last))
    cited = {citation.source for step in story.steps for citation in step.citations}
    for source in cited:
        assert names.source_titles[source] in listed
    assert listed.count("Cited in step") == len(cited)


def test_no_slide_or_note_names_a_report_by_its_file(deck, context):
    files = set(context.atlas.sources["id"])
    for slide in deck.slides:
        shown = "\n".join(texts(slide))
        if slide.has_notes_slide:
            shown += slide.notes_slide.notes_text_frame.text
        assert not [name for name in files if name in shown or name.removesuffix(".txt") in shown]


def test_the_deck_with_the_real_maps(drawn_deck, story):
    assert len(drawn_deck.slides) == len(story.steps) + 2
    for number in range(1, len(story.steps) + 1):
        [picture] = pictures(drawn_deck.slides[number])
        assert picture.image.content_type == "image/png"
        assert Image.open(io.BytesIO(picture.image.blob)).size == (1920, 1080)
        descr = picture._element.nvPicPr.cNvPr.get("descr")
        assert descr.startswith(f"Map: {story.steps[number - 1].heading}")


def test_markup_ampersands_and_control_characters_come_through_as_text(story, context):
    first = story.steps[0]
    odd = first.model_copy(
        update={
            "heading": "Tom & Jerry <i>raid</i>",
            "caption": "Ransom & <b>bold</b> claims\x0b here.\tThen\x01 more &amp; less.",
        }
    )
    deck = Presentation(
        io.BytesIO(story_deck(story.model_copy(update={"steps": [odd, *story.steps[1:]]}), context, pictures=small_map))
    )
    slide = deck.slides[1]
    assert slide.shapes.title.text == "Tom & Jerry <i>raid</i>"
    assert "Ransom & <b>bold</b> claims here. Then more &amp; less." in texts(slide)


def test_clean_text_drops_what_xml_forbids_and_joins_lines():
    assert clean_text("a\x00b\x0c c\u0085 \ufffe") == "ab c"
    assert clean_text("one\n  two\tthree") == "one two three"
    assert clean_text("one\n two", one_line=False) == "one\ntwo"
    assert clean_text(None) == ""
    assert not re.search("[\x00-\x08]", clean_text("".join(map(chr, range(32)))))
