"""A story as a PowerPoint deck: a title slide, one slide a step, and the reports cited.

Each step slide shows the step's map (a :class:`view.MapView` drawn by
:func:`briefing.picture.render_png`) on the left, the heading and caption on the
right, and under the map a footnote with the passages the step rests on. The
speaker notes hold the full citations: report, author, outlet, date and the
verbatim locator, so the presenter can answer "where does that come from?".

Text is sized to fit its box before it is placed: widths are measured with
DejaVu Sans (shipped with matplotlib, so the measure is the same on every
machine), scaled to the widest of the fonts a deck is shown with (Calibri, or
its stand-ins Carlito, Arial and Liberation Sans), so nothing measured to fit
overflows on screen.
"""

from __future__ import annotations

import functools
import io
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from geo.stories import Story
from style import BRIEFING
from view import CREDITS, AtlasContext, MapView, story_views

__all__ = ["story_deck", "render_views", "clean_text", "report_reference", "SLIDE_SIZE", "PICTURE_SIZE"]

# 16:9 at PowerPoint's widescreen size, in inches; the step maps are drawn at full HD.
SLIDE_SIZE = (13.333, 7.5)
PICTURE_SIZE = (1920, 1080)

FONT = "Calibri"
# The deck's colours come from the style catalogue, as the maps' do.
NAVY = RGBColor.from_string(BRIEFING["title_background"][1:])
OCHRE = RGBColor.from_string(BRIEFING["accent"][1:])  # the accent: step numbers and rules
INK = RGBColor.from_string(BRIEFING["ink"][1:])
GREY = RGBColor.from_string(BRIEFING["muted"][1:])
PALE = RGBColor.from_string(BRIEFING["on_title"][1:])  # text on the navy title slide
FRAME = RGBColor.from_string(BRIEFING["frame"][1:])
WHITE = RGBColor.from_string(BRIEFING["white"][1:])
PANEL = RGBColor.from_string(BRIEFING["panel"][1:])  # behind the caption

MARGIN = 0.4  # inches, around the slide
GUTTER = 0.3  # between the map and the caption panel
# The map's widths to try, widest first; from WIDE_MAP up it takes most of the slide.
PICTURE_WIDTHS = (8.4, 8.2, 8.0, 7.8, 7.6, 7.4, 7.2, 7.0)
WIDE_MAP = 7.6
CAPTION_SIZES = (20, 19, 18)  # points; readable from the back of a room
SMALLEST_CAPTION = 16  # a caption never goes below this
CAPTION_SPACING = 1.1  # line spacing, a multiple of single
HEADING_SIZES = (30, 28, 26, 24)  # on one line
TWO_LINE_HEADING_SIZES = (28, 26, 24, 22)
FOOTNOTE_SIZES = (13, 12, 11, 10)
MAX_DRAWING_PROCESSES = 4
TEXT_BOTTOM = SLIDE_SIZE[1] - 0.55  # the caption's bottom: room for the footer line under it

# Characters XML 1.0 does not allow (and C1 controls, which no report means to write).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: object, one_line: bool = True) -> str:
    """``text`` safe to put on a slide: no character XML forbids; with ``one_line``, whitespace runs made one space.

    Captions come from folded YAML and may hold line breaks and tabs where the
    file wrapped; on a slide they read as one paragraph.
    """
    text = _NOT_XML.sub("", "" if text is None else str(text))
    if one_line:
        return " ".join(text.split())
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


# --- Measuring text -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _measuring_font(bold: bool):
    """DejaVu Sans from matplotlib's own files (always there, and wider than the fonts shown), at 100 pt."""
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name), 100)


# Calibri sets text about 0.80 times as wide as DejaVu Sans, Arial and Liberation Sans (the usual
# stand-ins where Calibri is missing) about 0.88: measured at 0.9, text fits in any of them.
_WIDTH_SCALE = 0.9


def _text_width(text: str, size: float, bold: bool) -> float:
    """Width of ``text`` in points at ``size`` points, in the widest of the fonts a deck is shown with."""
    return _measuring_font(bold).getlength(text) * size / 100 * _WIDTH_SCALE


def _line_count(text: str, size: float, width: float, bold: bool = False) -> int:
    """Lines ``text`` wraps to in a box ``width`` points wide, breaking at spaces as PowerPoint does."""
    lines, current = 0, ""
    for paragraph in text.split("\n"):
        lines += 1
        current = ""
        for word in paragraph.split(" "):
            trial = f"{current} {word}" if current else word
            if current and _text_width(trial, size, bold) > width:
                lines += 1
                current = word
            else:
                current = trial
        # A single word wider than the box wraps inside itself.
        lines += int(_text_width(current, size, bold) // max(width, 1))
    return lines


# A line at single spacing takes about 1.2 times the font size in PowerPoint, 1.27 in LibreOffice.
_LINE_HEIGHT = 1.27
_INSET = 0.05  # inches of inner margin on each side of a text box


def _text_height(
    paragraphs: Sequence[str],
    size: float,
    width_in: float,
    spacing: float = 1.0,
    space_after: float = 0.0,
    bold: bool = False,
) -> float:
    """Height in inches that ``paragraphs`` take at ``size`` points in a box ``width_in`` wide."""
    width = (width_in - 2 * _INSET) * 72
    lines = sum(_line_count(paragraph, size, width, bold) for paragraph in paragraphs)
    points = lines * size * _LINE_HEIGHT * spacing + space_after * max(len(paragraphs) - 1, 0)
    return points / 72 + 2 * _INSET


# --- Citations -----------------------------------------------------------------------------------------


def _field(value) -> str:
    return clean_text(value) if isinstance(value, str) else ""


def _reference_parts(source_id: str, context: AtlasContext, titles: dict[str, str]) -> tuple[str, str]:
    """A report's citation label and, after it, its author and outlet (readers know reports by these, not by files)."""
    sources = context.atlas.sources
    rows = sources[sources["id"] == source_id]
    label = clean_text(titles.get(source_id, source_id))
    if rows.empty:
        return label, "(not in the atlas's list of reports)"
    row = rows.iloc[0]
    details = [
        f"author: {_field(row['author'])}" if _field(row["author"]) else "",
        f"outlet: {_field(row['outlet'])}" if _field(row["outlet"]) else "",
    ]
    text = "; ".join(detail for detail in details if detail)
    return f"{label}.", f"{text[0].upper()}{text[1:]}." if text else ""


def report_reference(source_id: str, context: AtlasContext, titles: dict[str, str]) -> str:
    """The full reference of one report: its citation label, then author and outlet.

    'Reuters, “Al Qaeda gets help from Mali officials: ex-rebel”, 12 Aug 2010. Author:
    Lamine Chikhi; outlet: Reuters.' Attributed
    outlets keep their note ('Res Militaris (attributed; ...)'). ``titles`` are the
    full labels of ``ui.Names.source_titles``.
    """
    return " ".join(part for part in _reference_parts(source_id, context, titles) if part)


def _by_report(citations) -> dict[str, list[str]]:
    """Locators grouped by report, reports in the order the step first cites them."""
    grouped: dict[str, list[str]] = {}
    for citation in citations:
        grouped.setdefault(citation.source, []).append(clean_text(citation.locator))
    return grouped


def _footnote_text(citations, labels: dict[str, str], with_locators: bool = True) -> str:
    """'Reuters, 12 Aug 2010 — “locator”; Mathieu Guidère, c. 2014 — “a”, “b”'."""
    parts = []
    for source, locators in _by_report(citations).items():
        label = clean_text(labels.get(source, source))
        quoted = ", ".join(f"“{locator}”" for locator in locators)
        parts.append(f"{label} — {quoted}" if with_locators else label)
    return "; ".join(parts)


def _step_notes(view: MapView, step, context: AtlasContext, labels: dict[str, str], titles: dict[str, str]) -> str:
    lines = [f"Map: {clean_text(view.filters_in_words)}."]
    if "boundaries" in view.layers:
        lines.append(f"Boundaries in force in {view.boundary_year}.")
    lines += ["", "Sources for this step (verbatim passages of each report):"]
    for number, (source, locators) in enumerate(_by_report(step.citations).items(), start=1):
        lines.append(f"{number}. {report_reference(source, context, titles)}")
        lines += [f"   – “{locator}”" for locator in locators]
    return "\n".join(lines)


# --- Drawing ----------------------------------------------------------------------------------------


def _text_box(
    slide,
    left: float,
    top: float,
    width: float,
    height: float,
    paragraphs: Sequence[str | Sequence[tuple[str, bool]]],
    size: float,
    colour: RGBColor = INK,
    bold: bool = False,
    spacing: float = 1.0,
    space_after: float = 0.0,
    align=PP_ALIGN.LEFT,
    shape=None,
    anchor=MSO_ANCHOR.TOP,
):
    """A text box (or ``shape``, a placeholder) at the given place in inches.

    A paragraph is a string (one run, bold or not as ``bold`` says) or a list of
    ``(text, bold)`` runs.
    """
    box = (
        shape
        if shape is not None
        else slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    )
    box.left, box.top, box.width, box.height = Inches(left), Inches(top), Inches(width), Inches(height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Inches(_INSET)
    frame.text = ""
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = spacing
        paragraph.space_after = Pt(space_after)
        for part, part_bold in [(text, bold)] if isinstance(text, str) else text:
            run = paragraph.add_run()
            run.text = part
            run.font.name, run.font.size, run.font.bold = FONT, Pt(size), part_bold
            run.font.color.rgb = colour
    return box


def _rectangle(slide, left: float, top: float, width: float, height: float, colour: RGBColor):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height))
    shape.fill.solid()
    shape.fill.fore_color.rgb = colour
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def _footer(slide, text: str, colour: RGBColor = GREY) -> None:
    width = SLIDE_SIZE[0] - 2 * MARGIN
    _text_box(slide, MARGIN, SLIDE_SIZE[1] - 0.4, width, 0.3, [text], 10, colour, align=PP_ALIGN.RIGHT)


def _fitting_size(sizes: Sequence[float], fits: Callable[[float], bool]) -> float | None:
    return next((size for size in sizes if fits(size)), None)


def _title_slide(deck, story: Story, report_count: int) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[0])  # 'Title Slide': title and subtitle placeholders
    slide.background.fill.solid()
    slide.background.fill.fore_color.rgb = NAVY
    width, left = SLIDE_SIZE[0] - 2.2, 1.1
    _rectangle(slide, 0.75, 1.55, 0.09, 4.1, OCHRE)
    title = clean_text(story.title)
    title_size = _fitting_size((44, 40, 36, 32, 28), lambda s: _text_height([title], s, width, bold=True) <= 1.9)
    title_size = title_size or 28
    title_height = _text_height([title], title_size, width, bold=True)
    _text_box(slide, left, 1.5, width, title_height, [title], title_size, WHITE, bold=True, shape=slide.shapes.title)
    top = 1.5 + title_height + 0.2
    byline = clean_text(story.byline)
    _text_box(slide, left, top, width, 0.5, [byline], 20, OCHRE, bold=True, shape=slide.placeholders[1])
    top += 0.7
    summary = clean_text(story.summary)
    room = 6.35 - top
    summary_size = _fitting_size((22, 20, 18, 16), lambda s: _text_height([summary], s, width, 1.1) <= room) or 16
    _text_box(slide, left, top, width, room, [summary], summary_size, PALE, spacing=1.1)
    steps = len(story.steps)
    facts = f"{steps} step{'s' if steps != 1 else ''} · {report_count} report{'s' if report_count != 1 else ''} cited"
    _text_box(slide, left, 6.4, width, 0.4, [facts], 14, PALE)
    _text_box(slide, left, 6.85, width, 0.4, [CREDITS], 10, FRAME)


@dataclass(frozen=True)
class _DeckLayout:
    """Where a step slide's parts go, the same on every step so the deck does not jump between slides.

    Left: the heading, the map and the footnote under it. Right: a tinted panel the
    height of the slide with 'Step n of N' and the caption.
    """

    picture_width: float
    caption_size: float
    heading_size: float
    heading_height: float

    @property
    def picture_top(self) -> float:
        return _HEADING_TOP + self.heading_height + 0.1

    @property
    def picture_height(self) -> float:
        return self.picture_width * PICTURE_SIZE[1] / PICTURE_SIZE[0]

    @property
    def panel_left(self) -> float:
        return MARGIN + self.picture_width + GUTTER

    @property
    def caption_left(self) -> float:
        return self.panel_left + PANEL_PADDING

    @property
    def caption_width(self) -> float:
        return _caption_width(self.picture_width)


_HEADING_TOP = 0.3
_KICKER_TOP, _KICKER_HEIGHT = 0.3, 0.4  # 'Step 3 of 12', at the top of the panel
_CAPTION_TOP = 0.95  # in the panel, under its accent rule
PANEL_PADDING = 0.3


def _caption_width(picture_width: float) -> float:
    return SLIDE_SIZE[0] - PANEL_PADDING - (MARGIN + picture_width + GUTTER + PANEL_PADDING)


def _deck_layout(story: Story) -> _DeckLayout:
    """The widest map beside which every step's caption fits at a size read from the back of a room.

    A map at least ``WIDE_MAP`` inches wide with 18-point captions comes first, then
    17 and 16 points, and only then a narrower map. The headings take one size: the
    largest at which each fits on one line over the map, or else on two lines.
    """
    headings = [clean_text(step.heading) for step in story.steps]
    captions = [clean_text(step.caption) for step in story.steps]

    def heading_fit(width: float) -> tuple[float, float]:
        for lines, sizes in ((1, HEADING_SIZES), (2, TWO_LINE_HEADING_SIZES)):
            for size in sizes:
                height = lines * size * _LINE_HEIGHT / 72 + 2 * _INSET + 0.01
                if all(_text_height([heading], size, width, bold=True) <= height for heading in headings):
                    return size, height
        size = TWO_LINE_HEADING_SIZES[-1]
        return size, max(_text_height([heading], size, width, bold=True) for heading in headings)

    def layout(width: float, sizes: Sequence[float]) -> _DeckLayout | None:
        room = TEXT_BOTTOM - _CAPTION_TOP
        size = _fitting_size(
            sizes,
            lambda s: all(
                _text_height([caption], s, _caption_width(width), CAPTION_SPACING) <= room for caption in captions
            ),
        )
        return None if size is None else _DeckLayout(width, size, *heading_fit(width))

    wide = tuple(width for width in PICTURE_WIDTHS if width >= WIDE_MAP)
    narrow = tuple(width for width in PICTURE_WIDTHS if width < WIDE_MAP)
    smaller = tuple(range(CAPTION_SIZES[-1] - 1, SMALLEST_CAPTION - 1, -1))
    tiers = [(wide, CAPTION_SIZES), *((wide, (size,)) for size in smaller), (narrow, CAPTION_SIZES + smaller)]
    for widths, sizes in tiers:
        for width in widths:
            found = layout(width, sizes)
            if found is not None:
                return found
    # Captions longer than a story's should be: the narrowest map and the smallest readable size.
    return _DeckLayout(PICTURE_WIDTHS[-1], SMALLEST_CAPTION, *heading_fit(PICTURE_WIDTHS[-1]))


def _step_slide(
    deck,
    story: Story,
    layout: _DeckLayout,
    number: int,
    view: MapView,
    picture: bytes,
    context: AtlasContext,
    labels: dict[str, str],
    titles: dict[str, str],
) -> None:
    step = story.steps[number - 1]
    heading, caption = clean_text(step.heading), clean_text(step.caption)
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # 'Title Only': the heading is the slide's title

    _rectangle(slide, layout.panel_left, 0, SLIDE_SIZE[0] - layout.panel_left, SLIDE_SIZE[1], PANEL)
    _text_box(
        slide,
        layout.caption_left,
        _KICKER_TOP,
        layout.caption_width,
        _KICKER_HEIGHT,
        [f"Step {number} of {len(story.steps)}"],
        16,
        OCHRE,
        bold=True,
    )
    # Anchored at the bottom: a one-line heading sits on its map whatever the band's height.
    _text_box(
        slide,
        MARGIN,
        _HEADING_TOP,
        layout.picture_width,
        layout.heading_height,
        [heading],
        layout.heading_size,
        NAVY,
        bold=True,
        shape=slide.shapes.title,
        anchor=MSO_ANCHOR.BOTTOM,
    )

    image = slide.shapes.add_picture(
        io.BytesIO(picture),
        Inches(MARGIN),
        Inches(layout.picture_top),
        Inches(layout.picture_width),
        Inches(layout.picture_height),
    )
    image.line.color.rgb = FRAME
    image.line.width = Pt(0.75)
    image.name = f"Map, step {number}"
    # Alternative text, read out by screen readers.
    image._element.nvPicPr.cNvPr.set("descr", f"Map: {heading}. {clean_text(view.filters_in_words)}.")

    _rectangle(slide, layout.caption_left + _INSET, _CAPTION_TOP - 0.17, 0.9, 0.05, OCHRE)
    _text_box(
        slide,
        layout.caption_left,
        _CAPTION_TOP,
        layout.caption_width,
        TEXT_BOTTOM - _CAPTION_TOP,
        [caption],
        layout.caption_size,
        INK,
        spacing=CAPTION_SPACING,
    )

    # The footnote under the map: report labels and locators, smaller until it fits.
    note_top = layout.picture_top + layout.picture_height + 0.08
    note_room = SLIDE_SIZE[1] - 0.25 - note_top

    def fitting(text: str) -> float | None:
        return _fitting_size(FOOTNOTE_SIZES, lambda s: _text_height([text], s, layout.picture_width) <= note_room)

    footnote = f"Sources: {_footnote_text(step.citations, labels)}"
    size = fitting(footnote)
    if size is None:  # too many passages to quote under the map: name the reports, the notes quote them
        footnote = f"Sources: {_footnote_text(step.citations, labels, with_locators=False)} (passages in the notes)"
        size = fitting(footnote) or FOOTNOTE_SIZES[-1]
    _text_box(slide, MARGIN, note_top, layout.picture_width, note_room, [footnote], size, GREY)
    footer = f"Sahel Atlas  ·  {clean_text(story.title)}"
    footer_height = _text_height([footer], 10, layout.caption_width)
    _text_box(
        slide,
        layout.caption_left,
        SLIDE_SIZE[1] - 0.12 - footer_height,
        layout.caption_width,
        footer_height,
        [footer],
        10,
        GREY,
    )

    slide.notes_slide.notes_text_frame.text = _step_notes(view, step, context, labels, titles)


def _sources_slide(deck, story: Story, context: AtlasContext, titles: dict[str, str]) -> None:
    """Every report the story cites, with the steps that cite it."""
    steps_citing: dict[str, list[int]] = {}
    for number, step in enumerate(story.steps, start=1):
        for citation in step.citations:
            cited_in = steps_citing.setdefault(citation.source, [])
            if number not in cited_in:
                cited_in.append(number)
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    width = SLIDE_SIZE[0] - 2 * MARGIN - 0.4
    _text_box(
        slide, MARGIN + 0.2, MARGIN + 0.1, width, 0.8, ["Reports cited"], 32, NAVY, bold=True, shape=slide.shapes.title
    )
    _rectangle(slide, MARGIN + 0.2 + _INSET, MARGIN + 0.95, 1.2, 0.04, OCHRE)
    entries = []
    for source, numbers in steps_citing.items():
        label, details = _reference_parts(source, context, titles)
        which = "step" if len(numbers) == 1 else "steps"
        entries.append([(label, True), (f" {details} Cited in {which} {', '.join(map(str, numbers))}.", False)])
    measured = ["".join(part for part, _ in entry) for entry in entries]
    top = MARGIN + 1.2
    room = TEXT_BOTTOM - top
    size = (
        _fitting_size(
            (18, 17, 16, 15, 14, 13, 12, 11),
            lambda s: _text_height(measured, s, width, 1.05, space_after=s * 0.6, bold=True) <= room,
        )
        or 11
    )
    _text_box(slide, MARGIN + 0.2, top, width, room, entries, size, INK, spacing=1.05, space_after=size * 0.6)
    _footer(slide, f"{clean_text(story.title)}  ·  Sahel Atlas  ·  {CREDITS}")
    slide.notes_slide.notes_text_frame.text = "\n".join(
        f"{n}. {report_reference(source, context, titles)}" for n, source in enumerate(steps_citing, start=1)
    )


# --- The deck ------------------------------------------------------------------------------------------


def _render(view: MapView, size: tuple[int, int] = PICTURE_SIZE) -> bytes:
    from briefing.picture import render_png  # matplotlib only when a map is drawn

    return render_png(view, size=size)


def render_views(views: Sequence[MapView], size: tuple[int, int] = PICTURE_SIZE) -> list[bytes]:
    """The maps of ``views`` as PNG bytes (``briefing.picture.render_png``), two or more at a time where it helps.

    Each map is drawn in a process of its own (matplotlib is not thread-safe). On Linux the
    processes come from a fork server that has imported the drawing modules once; elsewhere
    (macOS, Windows) they are started afresh. A process with other threads running (a web
    server, whose sessions share the cores) and one core draw the maps one after the other.
    """
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    draw = functools.partial(_render, size=tuple(size))
    workers = min(os.cpu_count() or 1, len(views), MAX_DRAWING_PROCESSES)
    if workers < 2 or threading.active_count() > 1:
        return [draw(view) for view in views]
    # No plain fork: it copies locks other threads may hold, and macOS's system libraries refuse it.
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["briefing.picture"])
    else:
        context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(draw, views))
    except (BrokenProcessPool, OSError):  # no processes to be had: draw them here
        return [draw(view) for view in views]


def story_deck(story: Story, context: AtlasContext, pictures: Callable[[MapView], bytes] | None = None) -> bytes:
    """The story as a 16:9 PowerPoint deck (the bytes of a .pptx file).

    Parameters
    ----------
    story
        A story read with :func:`geo.stories.load_story` (check it with
        :func:`geo.stories.story_problems` first: a step naming unknown ids draws
        without them).
    context
        The atlas the story is drawn from (:func:`view.load_context`).
    pictures
        Draws one step's map as PNG bytes; by default
        ``briefing.picture.render_png(view, size=(1920, 1080))``.
    """
    from view import Names

    names = Names(context.atlas)
    labels, titles = names.sources, names.source_titles
    views = story_views(story, context)
    images = [pictures(view) for view in views] if pictures is not None else render_views(views)

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 in x 7.5 in
    deck.core_properties.title = clean_text(story.title)[:255]
    deck.core_properties.author = clean_text(story.byline)[:255]
    deck.core_properties.subject = clean_text(story.summary)[:255]

    cited = {citation.source for step in story.steps for citation in step.citations}
    _title_slide(deck, story, len(cited))
    layout = _deck_layout(story)
    for number, (view, image) in enumerate(zip(views, images), start=1):
        _step_slide(deck, story, layout, number, view, image, context, labels, titles)
    _sources_slide(deck, story, context, titles)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
