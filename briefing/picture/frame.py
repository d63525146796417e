"""The picture's sizes, what a picture holds, and the frame: where the view's extent goes on it."""

from __future__ import annotations

import io
import math
import re
import textwrap
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure

from style import ENGINE, MARKS
from view import MapView

__all__ = [
    "PICTURE_SIZES",
    "SLIDE",
    "A4_DPI",
    "SCREEN_DPI",
    "LARGEST_SIDE",
    "TOWN_FILL",
    "TOWN_EDGE",
    "PLACE_FILL",
    "PLACE_EDGE",
    "HALO_FILL",
    "HALO_EDGE",
    "LEADER",
    "TYPE_SWATCH_EDGE",
    "FAMILY_SWATCH_FILL",
    "INK",
    "PAPER",
    "MARGIN",
    "PANEL_WIDTH",
    "BOX_PAD",
    "FONT_SIZES",
    "HALO_WIDTH",
    "GAP",
    "PLACE_SPREAD_RADIUS",
    "EVENT_TITLE_CHARACTERS",
    "RING_GAP",
    "RING_WIDTH",
    "parse_size",
    "LegendEntry",
    "PlacedLabel",
    "Mark",
    "ScaleBar",
    "MapPicture",
    "Frame",
    "frame_for",
    "slide_extent",
    "title_block_height",
    "MARKERS",
]

PICTURE_SIZES: dict[str, tuple[int, int]] = {
    "1920x1080": (1920, 1080),  # a 16:9 slide
    "a4": (3508, 2480),  # A4 landscape at 300 dpi
}
SLIDE = PICTURE_SIZES["1920x1080"]
A4_DPI, SCREEN_DPI = 300, 100
LARGEST_SIDE = 10_000  # a bigger picture is a typo, and would take minutes

TOWN_FILL, TOWN_EDGE = MARKS["town_fill"], MARKS["town_edge"]
PLACE_FILL, PLACE_EDGE = MARKS["place_fill"], MARKS["place_edge"]
HALO_FILL, HALO_EDGE = MARKS["halo_fill"], MARKS["halo_edge"]
LEADER = MARKS["leader"]
TYPE_SWATCH_EDGE, FAMILY_SWATCH_FILL = MARKS["type_swatch_edge"], MARKS["family_swatch_fill"]
INK = MARKS["label_ink"]  # label text, as the web map's labels
PAPER = "#ffffff"  # furniture boxes and label halos

# Sizes in pixels of a 1920x1080 slide; scaled with the picture.
MARGIN = 16
PANEL_WIDTH = 470  # the legend column on the right
BOX_PAD = 12
FONT_SIZES = {
    "title": 36,
    "subtitle": 20,
    "heading": 17,
    "body": 16,
    "credits": 14,
    "scale": 15,
    "town": 17,
    "capital": 15,
    "country": 15,
    "region": 18,
    "focus": 16,
    "focus_place": 18,
    "focus_region": 30,
    "focus_area": 20,
}
HALO_WIDTH = 3.5  # the white edge round map labels
GAP = ENGINE["gap"]  # between a mark's rim and the next mark's centre, as the web map spaces them
PLACE_SPREAD_RADIUS = ENGINE["place_spread_radius"]  # the room a place takes when marks are spread
EVENT_TITLE_CHARACTERS = 38
RING_GAP, RING_WIDTH = 3, 3.5  # a focus ring: its distance from the mark's rim and its width


def parse_size(text: str) -> tuple[int, int]:
    """A picture size from the command line: ``"1920x1080"`` (width x height in pixels) or a named size (``"a4"``)."""
    cleaned = str(text).strip().lower()
    if cleaned in PICTURE_SIZES:
        return PICTURE_SIZES[cleaned]
    match = re.fullmatch(r"(\d+)\s*[x×]\s*(\d+)", cleaned)
    if not match:
        raise ValueError(
            f"picture size should be WIDTHxHEIGHT in pixels (e.g. 1920x1080) or one of "
            f"{', '.join(sorted(PICTURE_SIZES))}; got {text!r}"
        )
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= LARGEST_SIDE and 200 <= height <= LARGEST_SIDE):
        raise ValueError(f"picture size should be 200 to {LARGEST_SIDE} pixels a side; got {width}x{height}")
    return width, height


# ---- what the picture holds -------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    """One row of the legend: ``symbol`` is how its swatch is drawn."""

    section: str
    label: str
    symbol: str  # event, family, ring, town, capital, halo, place, route, line, band
    colour: str = ""
    outline: str = ""
    dashed: bool = False
    shape: str = "circle"  # event types: their mark's shape (style.EVENT_TYPE_SHAPES)


@dataclass(frozen=True)
class PlacedLabel:
    """A label on the picture; ``box`` is (x0, y0, x1, y1) in pixels from the bottom left."""

    text: str
    kind: str
    box: tuple[float, float, float, float]


@dataclass
class Mark:
    """A point mark as drawn: ``x``, ``y`` (pixels from the bottom left) after spreading, ``home`` before."""

    ref: str  # "event:<id>", "place:<id>", "town:<id>"
    kind: str  # event, place, town
    home: tuple[float, float]
    radius: float
    x: float = 0.0
    y: float = 0.0
    ringed: bool = False
    opacity: float = 1.0
    colour: str = ""
    outline: str = ""
    order: tuple = ()
    shape: str = "circle"


@dataclass(frozen=True)
class ScaleBar:
    """The scale bar: ``km`` long, from ``x0`` to ``x1`` at height ``y`` (pixels), true at ``latitude``."""

    km: float
    x0: float
    x1: float
    y: float
    latitude: float


@dataclass
class MapPicture:
    """A drawn picture, before it is encoded: the figure and what a test or a caller may check."""

    figure: Figure
    map_axes: object  # matplotlib Axes in longitude and latitude
    extent: tuple[float, float, float, float]  # west, south, east, north actually shown
    dpi: float
    legend: list[LegendEntry]
    labels: list[PlacedLabel]
    furniture: list[tuple[float, float, float, float]]  # title, legend, scale and credits boxes
    marks: list[Mark]
    scale_bar: ScaleBar | None
    dropped_labels: list[str] = field(default_factory=list)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        # The figure's own canvas: its renderer has already measured every text.
        self.figure.canvas.print_png(buffer, metadata={"Software": "Sahel Atlas"})
        return buffer.getvalue()


# ---- the frame: where the view's extent goes on the picture --------------------------------------


@dataclass(frozen=True)
class Frame:
    """The picture's geometry: the extent shown, pixels per degree and the furniture's room."""

    width: int
    height: int
    dpi: float
    scale: float
    west: float
    south: float
    east: float
    north: float
    latitude: float  # the map is true to scale along this parallel
    x_per_degree: float
    y_per_degree: float
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    clear: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # left, bottom, right, top: no furniture over it

    def px(self, lon, lat):
        return (np.asarray(lon, float) - self.west) * self.x_per_degree, (
            np.asarray(lat, float) - self.south
        ) * self.y_per_degree

    def lonlat(self, x, y):
        return np.asarray(x, float) / self.x_per_degree + self.west, np.asarray(
            y, float
        ) / self.y_per_degree + self.south

    def size(self, slide_pixels: float) -> float:
        """Pixels here for a length given in pixels of the 1920x1080 slide."""
        return slide_pixels * self.scale

    def points(self, slide_pixels: float) -> float:
        """Points (font sizes, line widths) for a length given in pixels of the slide."""
        return slide_pixels * self.scale * 72 / self.dpi

    def inside(self, x, y, margin: float = 0.0):
        return (x >= -margin) & (x <= self.width + margin) & (y >= -margin) & (y <= self.height + margin)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return self.west, self.south, self.east, self.north


def _subtitle(view: MapView) -> str:
    parts = []
    if view.filters_in_words and (len(view.events) or len(view.places)):
        parts.append(f"Events: {view.filters_in_words}")
    elif view.filters_in_words:
        parts.append(view.filters_in_words[:1].upper() + view.filters_in_words[1:])
    if len(view.boundaries):
        parts.append(f"Boundaries in force in {view.boundary_year}")
    return " · ".join(parts)


def frame_for(view: MapView, size: tuple[int, int], dpi: float) -> Frame:
    """Fit ``view.bbox`` into the part of the picture no furniture covers, and extend it to the edges."""
    width, height = size
    scale = min(width / SLIDE[0], height / SLIDE[1])
    margin, pad = MARGIN * scale, BOX_PAD * scale
    clear_right = width - (PANEL_WIDTH + 2 * MARGIN) * scale
    # Wrap the title and subtitle to the room beside the legend (an average glyph is ~0.58 em wide).
    room = clear_right - margin - 2 * pad
    title_lines = tuple(
        textwrap.wrap(view.title or "Sahel Atlas", max(12, int(room / (0.62 * FONT_SIZES["title"] * scale)))) or [""]
    )
    subtitle_lines = tuple(textwrap.wrap(_subtitle(view), max(20, int(room / (0.56 * FONT_SIZES["subtitle"] * scale)))))
    title_height = title_block_height(len(title_lines), len(subtitle_lines)) * scale
    credits_height = (FONT_SIZES["credits"] * 1.3 + 2 * 6) * scale
    left, right = margin, clear_right
    bottom, top = margin + credits_height + margin, height - margin - title_height - margin
    clear = (left, bottom, right, top)

    west, south, east, north = view.bbox
    latitude = (south + north) / 2
    stretch = math.cos(math.radians(latitude))
    y_per_degree = min((right - left) / ((east - west) * stretch), (top - bottom) / (north - south))
    x_per_degree = y_per_degree * stretch
    centre_lon, centre_lat = (west + east) / 2, (south + north) / 2
    shown_west = centre_lon - (left + right) / 2 / x_per_degree
    shown_south = centre_lat - (bottom + top) / 2 / y_per_degree
    return Frame(
        width=width,
        height=height,
        dpi=dpi,
        scale=scale,
        west=shown_west,
        south=shown_south,
        east=shown_west + width / x_per_degree,
        north=shown_south + height / y_per_degree,
        latitude=latitude,
        x_per_degree=x_per_degree,
        y_per_degree=y_per_degree,
        title_lines=title_lines,
        subtitle_lines=subtitle_lines,
        clear=clear,
    )


def slide_extent(view: MapView) -> tuple[float, float, float, float]:
    """The extent (west, south, east, north) a step's slide and picture show clear of their title, legend
    and credits: the presented page fits its map to it, so the page and the slide frame a step alike."""
    frame = frame_for(view, SLIDE, SCREEN_DPI)
    left, bottom, right, top = frame.clear
    (west, east), (south, north) = frame.lonlat([left, right], [bottom, top])
    return float(west), float(south), float(east), float(north)


def title_block_height(title_lines: int, subtitle_lines: int) -> float:
    return (
        2 * BOX_PAD
        + title_lines * FONT_SIZES["title"] * 1.2
        + (6 + subtitle_lines * FONT_SIZES["subtitle"] * 1.3 if subtitle_lines else 0)
    )


# Matplotlib's markers for the marks' shapes, each drawn inside the circle it replaces, as the web
# map draws them (map_engine.js): the number scales the marker's size to that circle.
MARKERS = {
    "circle": ("o", 1.0),
    "square": ("s", 0.75),
    "diamond": ("D", 0.71),
    "triangle": ("^", 1.0),
    "triangle-down": ("v", 1.0),
}
