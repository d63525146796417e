"""A picture of one map view, for slides and print: a PNG drawn offline with matplotlib.

The picture draws what the web map draws, from the same style catalogue
(:mod:`style`) and with the same symbols: an event is filled with its
type's colour and outlined in the colour of the family of groups that carried
it out, places are circles sized like the web map's, towns are dark dots,
boundaries and regions are outlined in their own colour, dashed when
approximate, and drawn as a wide band when a later outline repeats them.
Marks sharing a spot are spread on a spiral round it with a thin line back to
where they belong, as on the web map; labels are placed most important first
and a label that finds no free spot is left out, so none overlap.

The map is drawn in plain longitude and latitude with longitudes stretched by
cos(mid-latitude of the view's extent): shapes are true at that latitude and
the scale bar is exact there. Every size is given in pixels of a 1920x1080
slide and scaled with the picture, so an A4 print at 300 dpi looks like the slide.

Matplotlib is used through a ``Figure`` and its own Agg canvas, never pyplot,
so a Streamlit server can draw pictures from several threads at once.
"""

from __future__ import annotations

import functools
import io
import math
import re
import textwrap
from dataclasses import dataclass, field

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path

from view import CREDITS, MapView
from geo import basemap
from geo.measure import great_circle_km
from geo.routes import arrowhead
from geo.schema import EVENT_TYPES
from style import (BASEMAP, ENGINE, GROUP_FAMILY_COLOURS, HIGHLIGHT, LABELLED_KINDS, LABEL_PRIORITY, MARKER_RADIUS,
                   MARKS, PRECISION_HALO_METRES, ROUTE_COLOUR, TOWN_DOT_RADIUS, TOWN_KINDS, event_colour,
                   event_shape, group_family, outline_styles, place_radius)

__all__ = ["PICTURE_SIZES", "parse_size", "render_png", "draw_picture", "legend_entries", "label_boxes",
           "MapPicture", "LegendEntry", "PlacedLabel", "Mark", "ScaleBar"]

PICTURE_SIZES: dict[str, tuple[int, int]] = {
    "1920x1080": (1920, 1080),  # a 16:9 slide
    "a4": (3508, 2480),  # A4 landscape at 300 dpi
}
_SLIDE = PICTURE_SIZES["1920x1080"]
_A4_DPI, _SCREEN_DPI = 300, 100
_LARGEST_SIDE = 10_000  # a bigger picture is a typo, and would take minutes

_TOWN_FILL, _TOWN_EDGE = MARKS["town_fill"], MARKS["town_edge"]
_PLACE_FILL, _PLACE_EDGE = MARKS["place_fill"], MARKS["place_edge"]
_HALO_FILL, _HALO_EDGE = MARKS["halo_fill"], MARKS["halo_edge"]
_LEADER = MARKS["leader"]
_TYPE_SWATCH_EDGE, _FAMILY_SWATCH_FILL = MARKS["type_swatch_edge"], MARKS["family_swatch_fill"]
_INK = MARKS["label_ink"]  # label text, as the web map's labels
_PAPER = "#ffffff"  # furniture boxes and label halos

# Sizes in pixels of a 1920x1080 slide; scaled with the picture.
_MARGIN = 16
_PANEL_WIDTH = 470  # the legend column on the right
_BOX_PAD = 12
_TEXT = {"title": 36, "subtitle": 20, "heading": 17, "body": 16, "credits": 14, "scale": 15,
         "town": 17, "capital": 15, "country": 15, "region": 18, "focus": 16, "focus_place": 18,
         "focus_region": 30, "focus_area": 20}
_HALO_WIDTH = 3.5  # the white edge round map labels
_GAP = ENGINE["gap"]  # between a mark's rim and the next mark's centre, as the web map spaces them
_PLACE_SPREAD_RADIUS = ENGINE["place_spread_radius"]  # the room a place takes when marks are spread
_EVENT_TITLE_CHARACTERS = 38
_RING_GAP, _RING_WIDTH = 3, 3.5  # a focus ring: its distance from the mark's rim and its width


def parse_size(text: str) -> tuple[int, int]:
    """A picture size from the command line: ``"1920x1080"`` (width x height in pixels) or a named size (``"a4"``)."""
    cleaned = str(text).strip().lower()
    if cleaned in PICTURE_SIZES:
        return PICTURE_SIZES[cleaned]
    match = re.fullmatch(r"(\d+)\s*[x×]\s*(\d+)", cleaned)
    if not match:
        raise ValueError(f"picture size should be WIDTHxHEIGHT in pixels (e.g. 1920x1080) or one of "
                         f"{', '.join(sorted(PICTURE_SIZES))}; got {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= _LARGEST_SIDE and 200 <= height <= _LARGEST_SIDE):
        raise ValueError(f"picture size should be 200 to {_LARGEST_SIDE} pixels a side; got {width}x{height}")
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
class _Frame:
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

    def px(self, lon, lat):
        return (np.asarray(lon, float) - self.west) * self.x_per_degree, \
            (np.asarray(lat, float) - self.south) * self.y_per_degree

    def lonlat(self, x, y):
        return np.asarray(x, float) / self.x_per_degree + self.west, \
            np.asarray(y, float) / self.y_per_degree + self.south

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


def _frame(view: MapView, size: tuple[int, int], dpi: float) -> _Frame:
    """Fit ``view.bbox`` into the part of the picture no furniture covers, and extend it to the edges."""
    width, height = size
    scale = min(width / _SLIDE[0], height / _SLIDE[1])
    margin, pad = _MARGIN * scale, _BOX_PAD * scale
    clear_right = width - (_PANEL_WIDTH + 2 * _MARGIN) * scale
    # Wrap the title and subtitle to the room beside the legend (an average glyph is ~0.58 em wide).
    room = clear_right - margin - 2 * pad
    title_lines = tuple(textwrap.wrap(view.title or "Sahel Atlas", max(12, int(room / (0.62 * _TEXT["title"] * scale))))
                        or [""])
    subtitle_lines = tuple(textwrap.wrap(_subtitle(view), max(20, int(room / (0.56 * _TEXT["subtitle"] * scale)))))
    title_height = _title_height(len(title_lines), len(subtitle_lines)) * scale
    credits_height = (_TEXT["credits"] * 1.3 + 2 * 6) * scale
    left, right = margin, clear_right
    bottom, top = margin + credits_height + margin, height - margin - title_height - margin

    west, south, east, north = view.bbox
    latitude = (south + north) / 2
    stretch = math.cos(math.radians(latitude))
    y_per_degree = min((right - left) / ((east - west) * stretch), (top - bottom) / (north - south))
    x_per_degree = y_per_degree * stretch
    centre_lon, centre_lat = (west + east) / 2, (south + north) / 2
    shown_west = centre_lon - (left + right) / 2 / x_per_degree
    shown_south = centre_lat - (bottom + top) / 2 / y_per_degree
    return _Frame(width=width, height=height, dpi=dpi, scale=scale, west=shown_west, south=shown_south,
                  east=shown_west + width / x_per_degree, north=shown_south + height / y_per_degree,
                  latitude=latitude, x_per_degree=x_per_degree, y_per_degree=y_per_degree,
                  title_lines=title_lines, subtitle_lines=subtitle_lines)


def _title_height(title_lines: int, subtitle_lines: int) -> float:
    return (2 * _BOX_PAD + title_lines * _TEXT["title"] * 1.2
            + (6 + subtitle_lines * _TEXT["subtitle"] * 1.3 if subtitle_lines else 0))


# ---- the scene: what is drawn, where, and how it stands out --------------------------------------


@dataclass
class _Area:
    ref: str
    name: str
    colour: str
    approximate: bool
    outline: str  # line or band
    shape: object  # clipped to the picture, shapely
    ringed: bool
    opacity: float
    labelled: bool
    section: str


@dataclass
class _Scene:
    marks: list[Mark]
    leaders: list[tuple[tuple[float, float], tuple[float, float], float]]
    halos: list[tuple[float, float, float, float]]  # lon, lat, metres, opacity
    routes: list[tuple[object, float]]  # line, opacity
    areas: list[_Area]
    focus_places: list[tuple[str, float, float]]  # name, x, y: highlighted places without a mark of their own
    place_names: dict[str, str]
    town_kinds: dict[str, str]
    town_weights: dict[str, int]
    event_titles: dict[str, str]
    event_types: list[str]
    group_families: list[str]
    rings_used: bool


def _selected(view: MapView) -> tuple[str, str]:
    kind, _, ref = (view.selected or "").partition(":")
    return kind, ref


def _stands_out(view: MapView, key: str) -> bool:
    return key in view.highlighted or key == view.selected


def _opacity(view: MapView, key: str) -> float:
    return HIGHLIGHT["dimmed_opacity"] if view.dims_the_rest and not _stands_out(view, key) else 1.0


def _spiral(count: int, step: float) -> np.ndarray:
    """Offsets on hexagonal rings round a spot, nearest first (map_engine.js ``spiral``)."""
    offsets = [(0.0, 0.0)]
    ring, first = 1, 1
    for index in range(1, count):
        while index >= first + 6 * ring:
            first += 6 * ring
            ring += 1
        angle = 2 * math.pi * (index - first) / (6 * ring) + ring * 0.5
        offsets.append((ring * step * math.cos(angle), ring * step * math.sin(angle)))
    return np.array(offsets)


_SPIRAL = _spiral(400, 1.0)


def _ring_reach(frame: _Frame) -> float:
    """How far a focus ring reaches beyond its mark's rim."""
    return frame.size(_RING_GAP + _RING_WIDTH + 1.25)


def _spread(marks: list[Mark], frame: _Frame) -> list[tuple]:
    """Give every mark a spot of its own near its home, as the web map does; return leader lines.

    Towns first (reference marks move least), then places without a town, then events by date;
    a place at a town stays on the town's dot.
    """
    rank = {"town": 0, "place": 1, "event": 2}
    marks.sort(key=lambda mark: (rank[mark.kind], *mark.order))
    placed = np.empty((0, 2))
    placed_radius = np.empty(0)
    town_spot: dict[str, tuple[float, float]] = {}
    town_index: dict[str, int] = {}
    leaders = []
    for mark in marks:
        place = mark.ref.partition(":")[2]
        if mark.kind == "place" and place in town_spot:
            mark.x, mark.y = town_spot[place]
            if mark.ringed:  # keep other marks off a focus place's ring
                index = town_index[place]
                placed_radius[index] = max(placed_radius[index],
                                           mark.radius + _ring_reach(frame) + frame.size(MARKER_RADIUS))
            continue
        room = frame.size(_PLACE_SPREAD_RADIUS) if mark.kind == "place" else mark.radius
        if mark.ringed:  # a ringed mark needs room for its ring (the web map draws it larger)
            room += _ring_reach(frame)
        step = (max(room, frame.size(MARKER_RADIUS)) * 2 + frame.size(1)) / 1.6
        candidates = np.asarray(mark.home) + _SPIRAL * step
        spot = candidates[0]
        # Only marks within reach of the spiral can be in the way.
        reach = 13 * step + 2 * room + frame.size(40)
        near = np.hypot(placed[:, 0] - mark.home[0], placed[:, 1] - mark.home[1]) < reach
        others, others_radius = placed[near], placed_radius[near]
        for first, last in ((0, 19), (19, 91), (91, len(candidates))):  # the first rings are usually enough
            if not len(others):
                break
            chunk = candidates[first:last]
            distances = np.hypot(chunk[:, None, 0] - others[None, :, 0], chunk[:, None, 1] - others[None, :, 1])
            clear = (distances >= np.maximum(room, others_radius)[None, :] + frame.size(_GAP)).all(axis=1)
            if clear.any():
                spot = chunk[int(np.argmax(clear))]
                break
        mark.x, mark.y = float(spot[0]), float(spot[1])
        placed = np.vstack([placed, spot])
        placed_radius = np.append(placed_radius, room)
        if mark.kind == "town":
            town_spot[place] = (mark.x, mark.y)
            town_index[place] = len(placed) - 1
        if math.hypot(mark.x - mark.home[0], mark.y - mark.home[1]) > room:
            leaders.append((mark.home, (mark.x, mark.y), mark.opacity))
    return leaders


def _located(frame, table):
    """Rows with a point inside the picture, and their pixel positions."""
    if table.empty:
        return table, np.empty(0), np.empty(0)
    table = table[table.geometry.notna()]
    table = table[~table.geometry.is_empty]
    if table.empty:
        return table, np.empty(0), np.empty(0)
    x, y = frame.px(table.geometry.x.to_numpy(), table.geometry.y.to_numpy())
    keep = frame.inside(x, y)
    return table[keep], x[keep], y[keep]


def _clip_box(frame: _Frame, pad_degrees: float = 1.0) -> tuple[float, float, float, float]:
    return frame.west - pad_degrees, frame.south - pad_degrees, frame.east + pad_degrees, frame.north + pad_degrees


def _areas(view: MapView, frame: _Frame) -> list[_Area]:
    areas = []
    box = _clip_box(frame)
    kind, ref = _selected(view)
    for table, prefix, section in ((view.regions, "region", "Regions"), (view.boundaries, "boundary", "Boundaries")):
        if table is None or table.empty:
            continue
        styles = outline_styles(table)
        for row, style in zip(table.itertuples(index=False), styles):
            if row.geometry is None:
                continue
            shape = shapely.clip_by_rect(row.geometry, *box)
            if shape.is_empty or shape.area == 0:
                continue
            key = f"{prefix}:{row.id}"
            chosen = key in view.highlighted or (kind == prefix and ref == row.id)
            # Regions are never a step's focus: with highlights they fade, as on the web map.
            opacity = HIGHLIGHT["dimmed_opacity"] if view.dims_the_rest and not chosen else 1.0
            areas.append(_Area(ref=key, name=str(row.name), colour=getattr(row, "colour", None) or _INK,
                               approximate=bool(row.approximate), outline=style, shape=shape, ringed=chosen,
                               opacity=opacity, labelled=prefix == "region" or chosen, section=section))
    return areas


def _scene(view: MapView, frame: _Frame) -> _Scene:
    marks: list[Mark] = []
    kind, selected_ref = _selected(view)

    towns, town_x, town_y = _located(frame, view.towns[view.towns["kind"].isin(TOWN_KINDS)]
                                     if not view.towns.empty else view.towns)
    town_kinds, town_weights, place_names = {}, {}, {}
    for row, x, y in zip(towns.itertuples(index=False), town_x, town_y):
        key = f"place:{row.id}"
        marks.append(Mark(ref=key, kind="town", home=(x, y), radius=frame.size(TOWN_DOT_RADIUS),
                          order=(-int(row.event_count), row.id), colour=_TOWN_FILL, outline=_TOWN_EDGE))
        town_kinds[row.id], town_weights[row.id], place_names[row.id] = row.kind, int(row.event_count), row.name

    places = view.places[view.places["kind"].isin(LABELLED_KINDS)] if not view.places.empty else view.places
    places, place_x, place_y = _located(frame, places)
    for row, x, y in zip(places.itertuples(index=False), place_x, place_y):
        key = f"place:{row.id}"
        marks.append(Mark(ref=key, kind="place", home=(x, y), radius=frame.size(place_radius(int(row.event_count))),
                          order=(-int(row.event_count), row.id), opacity=_opacity(view, key),
                          colour=_PLACE_FILL, outline=_PLACE_EDGE))
        place_names.setdefault(row.id, row.name)

    events, event_x, event_y = _located(frame, view.events)
    halos, event_titles, event_types, families = [], {}, [], []
    seen_halo_places = set()
    for row, x, y in zip(events.itertuples(index=False), event_x, event_y):
        key = f"event:{row.id}"
        family = group_family(getattr(row, "leading_groups", None) or row.groups)
        marks.append(Mark(ref=key, kind="event", home=(x, y), radius=frame.size(MARKER_RADIUS),
                          order=(0, f"{row.date_start} {row.id}"), opacity=_opacity(view, key),
                          colour=event_colour(row.type), outline=GROUP_FAMILY_COLOURS[family],
                          shape=event_shape(row.type)))
        event_titles[row.id] = row.title
        event_types.append(row.type)
        families.append(family)
        if row.location_precision in PRECISION_HALO_METRES and row.place not in seen_halo_places:
            seen_halo_places.add(row.place)
            halos.append((row.geometry.x, row.geometry.y, PRECISION_HALO_METRES[row.location_precision],
                          HIGHLIGHT["dimmed_opacity"] if view.dims_the_rest else 1.0))

    # Rings: the highlighted or selected events and places; a highlighted town without a place circle.
    with_circle = {mark.ref for mark in marks if mark.kind == "place"}
    for mark in marks:
        if mark.kind in ("event", "place") or (mark.kind == "town" and mark.ref not in with_circle):
            mark.ringed = _stands_out(view, mark.ref)
    leaders = _spread(marks, frame)

    routes = []
    if view.routes is not None and not view.routes.empty:
        box = shapely.box(*_clip_box(frame, 0))
        for row in view.routes.itertuples(index=False):
            if row.geometry is not None and row.geometry.intersects(box):
                routes.append((row.geometry, _opacity(view, f"event:{row.id}")))

    # Highlighted places with no mark of their own (a region such as Azawad) are named large at their point.
    marked = {mark.ref.partition(":")[2] for mark in marks if mark.kind in ("place", "town")}
    highlighted = getattr(view, "highlighted_places", None)
    if highlighted is None:
        highlighted = view.places
    focus_places = []
    wanted = set(view.highlight.places) | ({selected_ref} if kind == "place" else set())
    if highlighted is not None and not highlighted.empty:
        rows, xs, ys = _located(frame, highlighted[highlighted["id"].isin(wanted)].drop_duplicates("id"))
        for row, x, y in zip(rows.itertuples(index=False), xs, ys):
            if row.id not in marked:
                focus_places.append((row.name, float(x), float(y)))

    return _Scene(marks=marks, leaders=leaders, halos=halos, routes=routes, areas=_areas(view, frame),
                  focus_places=focus_places, place_names=place_names, town_kinds=town_kinds,
                  town_weights=town_weights, event_titles=event_titles, event_types=event_types,
                  group_families=families, rings_used=any(mark.ringed for mark in marks))


# ---- the legend ------------------------------------------------------------------------------------


def _legend(scene: _Scene, capitals_drawn: bool, dims_the_rest: bool) -> list[LegendEntry]:
    """Rows for what the picture draws, in the web legend's order (layers/legend.py)."""
    entries = []
    types = set(scene.event_types)
    entries += [LegendEntry("Event type", label, "event", colour=event_colour(code), outline=_TYPE_SWATCH_EDGE,
                            shape=event_shape(code))
                for code, label in EVENT_TYPES.items() if code in types]
    families = set(scene.group_families)
    entries += [LegendEntry("Outline: who carried it out", family, "family", colour=_FAMILY_SWATCH_FILL,
                            outline=colour)
                for family, colour in GROUP_FAMILY_COLOURS.items() if family in families]
    symbols = "Symbols"
    kinds = {mark.kind for mark in scene.marks}
    if scene.rings_used or any(area.ringed for area in scene.areas):
        entries.append(LegendEntry(symbols, "This step's focus (the rest faded)" if dims_the_rest else "Selected",
                                   "ring", colour=_PAPER, outline=HIGHLIGHT["ring"]))
    if "town" in kinds:
        entries.append(LegendEntry(symbols, "Town named in the reports", "town", colour=_TOWN_FILL, outline=_TOWN_EDGE))
    if capitals_drawn:
        entries.append(LegendEntry(symbols, "National capital", "capital", colour=_PAPER, outline=BASEMAP["capital"]))
    if scene.halos:
        entries.append(LegendEntry(symbols, f"Imprecise location (± {PRECISION_HALO_METRES['approximate'] // 1000}–"
                                            f"{PRECISION_HALO_METRES['centroid'] // 1000} km)", "halo",
                                   colour=_HALO_FILL, outline=_HALO_EDGE, dashed=True))
    if "place" in kinds:
        entries.append(LegendEntry(symbols, "Place (size: events shown)", "place", colour=_PLACE_FILL,
                                   outline=_PLACE_EDGE))
    if scene.routes:
        entries.append(LegendEntry(symbols, "Route", "route", colour=ROUTE_COLOUR, dashed=True))
    for area in scene.areas:
        entries.append(LegendEntry("Boundaries and regions (dashed: approximate)", area.name,
                                   "band" if area.outline == "band" else "line", colour=area.colour,
                                   dashed=area.approximate and area.outline != "band"))
    return entries


def _default_dpi(size: tuple[int, int]) -> int:
    return _A4_DPI if tuple(size) == PICTURE_SIZES["a4"] else _SCREEN_DPI


def _checked_size(size) -> tuple[int, int]:
    width, height = (int(value) for value in size)
    if not (200 <= width <= _LARGEST_SIDE and 200 <= height <= _LARGEST_SIDE):
        raise ValueError(f"picture size should be 200 to {_LARGEST_SIDE} pixels a side; got {width}x{height}")
    return width, height


def legend_entries(view: MapView, size: tuple[int, int] = _SLIDE) -> list[LegendEntry]:
    """The legend of ``view``'s picture at ``size``: only what is drawn inside the picture."""
    size = _checked_size(size)
    frame = _frame(view, size, _default_dpi(size))
    return _legend(_scene(view, frame), bool(_basemap(_extent_key(frame))["capitals"]), view.dims_the_rest)


# ---- the basemap, clipped once per extent --------------------------------------------------------


def _extent_key(frame: _Frame) -> tuple[float, float, float, float]:
    return tuple(round(value, 3) for value in frame.extent)


def _polygon_path(shape) -> Path | None:
    """One compound path for the polygons in ``shape`` (holes included)."""
    vertices, codes = [], []
    for part in shapely.get_parts(shape):
        if part.geom_type == "MultiPolygon" or part.geom_type == "GeometryCollection":
            sub = _polygon_path(part)
            if sub is not None:
                vertices.append(sub.vertices)
                codes.append(sub.codes)
            continue
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        for ring in (part.exterior, *part.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            if len(coords) < 3:
                continue
            ring_codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(coords)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _line_parts(shape) -> list[np.ndarray]:
    lines = []
    for part in shapely.get_parts(shape):
        if part.geom_type in ("LineString", "LinearRing") and not part.is_empty:
            lines.append(np.asarray(part.coords)[:, :2])
        elif part.geom_type in ("MultiLineString", "GeometryCollection"):
            lines += _line_parts(part)
    return lines


@functools.lru_cache(maxsize=32)
def _basemap(extent: tuple[float, float, float, float]) -> dict:
    """The basemap clipped to an extent (with a degree to spare), ready to draw; cached per process."""
    west, south, east, north = extent
    box = (west - 1, south - 1, east + 1, north + 1)
    countries = basemap.countries()
    clipped = shapely.clip_by_rect(countries.geometry.to_numpy(), *box)
    land = _polygon_path(shapely.GeometryCollection([shape for shape in clipped if not shape.is_empty]))
    visible = shapely.clip_by_rect(countries.geometry.to_numpy(), west, south, east, north)
    names = []
    for name, shape in zip(countries["name"], visible):
        if shape.is_empty or shape.area == 0:
            continue
        largest = max(shapely.get_parts(shape), key=lambda part: part.area)
        point = largest.representative_point()
        minx, miny, maxx, maxy = largest.bounds
        names.append((str(name), point.x, point.y, maxx - minx, maxy - miny))
    lakes = basemap.lakes()
    lake_path = _polygon_path(shapely.GeometryCollection(
        [shape for shape in shapely.clip_by_rect(lakes.geometry.to_numpy(), *box) if not shape.is_empty]))
    rivers = [line for shape in shapely.clip_by_rect(basemap.rivers().geometry.to_numpy(), *box)
              for line in _line_parts(shape)]
    coasts = [line for shape in shapely.clip_by_rect(basemap.coastlines().geometry.to_numpy(), *box)
              for line in _line_parts(shape)]
    capitals = basemap.capitals()
    inside = capitals[capitals.geometry.x.between(west, east) & capitals.geometry.y.between(south, north)]
    return {"land": land, "lakes": lake_path, "rivers": rivers, "coasts": coasts, "country_names": names,
            "capitals": [(str(name), point.x, point.y) for name, point in zip(inside["name"], inside.geometry)]}


# ---- labels ------------------------------------------------------------------------------------------


@dataclass
class _LabelRequest:
    text: str
    kind: str
    x: float
    y: float
    priority: float
    style: dict
    radius: float = 4.0
    anchor: str = "point"  # point: beside a mark; centre: over the spot
    rings: int = 0  # further rings of positions, with a leader line back to the spot
    boxed: bool = False
    fits: tuple[float, float] | None = None  # the most room (width, height) a country's name may take
    key: str = ""


# Text sizes by text and font: towns, capitals, countries and legend rows come back in every picture,
# and measuring a text costs milliseconds. Shared between threads; a lost race only measures twice.
_TEXT_SIZES: dict[tuple, tuple[float, float]] = {}


def _measure(text, renderer) -> tuple[float, float]:
    """Width and height in pixels of a text artist as it will be drawn."""
    key = (text.get_text(), text.get_fontsize(), text.get_fontweight(), text.get_fontstyle(),
           tuple(text.get_fontfamily()), text.get_linespacing(), renderer.dpi)
    size = _TEXT_SIZES.get(key)
    if size is None:
        extent = text.get_window_extent(renderer)
        size = (extent.width, extent.height)
        if len(_TEXT_SIZES) > 20_000:
            _TEXT_SIZES.clear()
        _TEXT_SIZES[key] = size
    return size


def _overlaps(box, boxes: np.ndarray) -> bool:
    if not len(boxes):
        return False
    return bool(((box[0] < boxes[:, 2]) & (boxes[:, 0] < box[2])
                 & (box[1] < boxes[:, 3]) & (boxes[:, 1] < box[3])).any())


def _candidates(request: _LabelRequest, width: float, height: float, unit: float):
    """Lower-left corners to try, best first, with whether a leader line is needed (map_engine.js order)."""
    x, y, half = request.x, request.y, height / 2
    if request.anchor == "centre":
        spots = [(x - width / 2, y - half, False)]
        for step in range(1, 6):
            for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)):
                spots.append((x - width / 2 + dx * step * width / 4, y - half + dy * step * height * 0.7, False))
        return spots
    spots = []
    for ring in range(request.rings + 1):
        d = request.radius + 3 * unit + ring * (16 + 8 * ring) * unit
        spots += [(x + d, y - half, ring > 0), (x - d - width, y - half, ring > 0),
                  (x + d - 2 * unit, y + d - 4 * unit, ring > 0),
                  (x + d - 2 * unit, y - d + 4 * unit - height, ring > 0),
                  (x - d - width + 2 * unit, y + d - 4 * unit, ring > 0),
                  (x - d - width + 2 * unit, y - d + 4 * unit - height, ring > 0),
                  (x - width / 2, y + d, ring > 0), (x - width / 2, y - d - height, ring > 0)]
    return spots


def _place_labels(axes, renderer, frame: _Frame, requests: list[_LabelRequest], obstacles: list,
                  furniture: list) -> tuple[list[PlacedLabel], list[str]]:
    """Greedy placement: most important first, each at the first free candidate, or left out."""
    unit = frame.scale
    edge = 2 * unit
    taken = np.array(furniture, dtype=float).reshape(-1, 4)
    blocked = np.array(obstacles, dtype=float).reshape(-1, 4)
    placed, dropped = [], []
    for request in sorted(requests, key=lambda item: -item.priority):
        text = axes.text(0, 0, request.text, ha="left", va="bottom", parse_math=False, usetex=False,
                         **request.style)
        text_width, text_height = _measure(text, renderer)
        pad = (6 if request.boxed else 1.5) * unit  # the box round a focus label, or the white halo
        width, height = text_width + 2 * pad, text_height + 2 * pad
        if request.fits and (width > request.fits[0] * 1.15 or height > request.fits[1]):
            text.remove()  # a country too small on this map to hold its name
            dropped.append(request.text)
            continue
        chosen = None
        for left, bottom, leader in _candidates(request, width, height, unit):
            box = (left, bottom, left + width, bottom + height)
            if box[0] < edge or box[1] < edge or box[2] > frame.width - edge or box[3] > frame.height - edge:
                continue
            if _overlaps(box, taken) or _overlaps(box, blocked):
                continue
            chosen = (box, leader)
            break
        if chosen is None:
            text.remove()
            dropped.append(request.text)
            continue
        box, leader = chosen
        text.set_position((box[0] + pad, box[1] + pad))
        taken = np.vstack([taken, box])
        placed.append(PlacedLabel(text=request.text, kind=request.kind, box=tuple(float(v) for v in box)))
        if leader:
            end_x = min(max(request.x, box[0]), box[2])
            end_y = min(max(request.y, box[1]), box[3])
            axes.add_line(Line2D([request.x, end_x], [request.y, end_y], color=_LEADER,
                                 linewidth=frame.points(1.2), zorder=0.5))
    return placed, dropped


def _shorten(title: str, limit: int = _EVENT_TITLE_CHARACTERS) -> str:
    if len(title) <= limit:
        return title
    cut = title[:limit - 1].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):  # never leave a bracket open
        cut = cut[:cut.rindex("(")]
    return f"{cut.rstrip(',;:–—- ')}…"


def _text_style(frame: _Frame, size: str, colour: str = _INK, weight: str = "normal", style: str = "normal",
                alpha: float = 1.0, halo: bool = True) -> dict:
    effects = [patheffects.withStroke(linewidth=frame.points(_HALO_WIDTH), foreground=_PAPER)] if halo else []
    return {"fontsize": frame.points(_TEXT[size]), "color": colour, "fontweight": weight, "fontstyle": style,
            "alpha": alpha, "path_effects": effects, "zorder": 1}


def _focus_box(frame: _Frame) -> dict:
    return {"boxstyle": f"round,pad={frame.points(4) / frame.points(_TEXT['focus']):.3f}",
            "facecolor": _PAPER, "edgecolor": HIGHLIGHT["ring"], "linewidth": frame.points(2.5)}


def _spaced(text: str) -> str:
    """Upper case with a hair space between letters: the quiet, tracked look of a country name."""
    return "\u200a".join(text.upper())


def _label_requests(view: MapView, frame: _Frame, scene: _Scene, base: dict) -> list[_LabelRequest]:
    requests = []
    named_places = set()
    marks_by_place: dict[str, Mark] = {}
    for mark in scene.marks:
        if mark.kind in ("town", "place"):
            place = mark.ref.partition(":")[2]
            current = marks_by_place.get(place)
            marks_by_place[place] = mark if current is None or mark.radius > current.radius else current
    unit = frame.scale

    # The step's focus first: regions named large, then ringed places and events.
    for name, x, y in scene.focus_places:
        requests.append(_LabelRequest(name, "focus-region", x, y, 100,
                                      _text_style(frame, "focus_region", weight="bold", style="italic"),
                                      anchor="centre"))
    for mark in scene.marks:
        if not mark.ringed:
            continue
        ident = mark.ref.partition(":")[2]
        if mark.kind == "event":
            requests.append(_LabelRequest(_shorten(scene.event_titles.get(ident, ident)), "focus-event",
                                          mark.x, mark.y, 80 + (mark.y / frame.height) / 10,
                                          {**_text_style(frame, "focus", halo=False), "bbox": _focus_box(frame)},
                                          radius=mark.radius + 6 * unit, rings=4, boxed=True, key=mark.ref))
        elif ident not in named_places:
            named_places.add(ident)
            anchor = marks_by_place.get(ident, mark)
            requests.append(_LabelRequest(scene.place_names.get(ident, ident), "focus-place", anchor.x, anchor.y, 90,
                                          {**_text_style(frame, "focus_place", weight="bold", halo=False),
                                           "bbox": _focus_box(frame)},
                                          radius=anchor.radius + 6 * unit, rings=3, boxed=True, key=mark.ref))
    for area in scene.areas:
        if not area.labelled:
            continue
        visible = shapely.clip_by_rect(area.shape, *frame.extent)
        if visible.is_empty:
            continue
        point = max(shapely.get_parts(visible), key=lambda part: part.area).representative_point()
        x, y = frame.px(point.x, point.y)
        if area.ringed:
            requests.append(_LabelRequest(area.name, "focus-area", float(x), float(y), 70,
                                          _text_style(frame, "focus_area", colour=area.colour, weight="bold",
                                                      style="italic"), anchor="centre"))
        else:
            requests.append(_LabelRequest(area.name, "region", float(x), float(y), LABEL_PRIORITY["region"],
                                          _text_style(frame, "region", colour=area.colour, weight="bold",
                                                      style="italic", alpha=max(area.opacity, 0.6)),
                                          anchor="centre"))

    # Reference names: capitals, towns by how often the reports name them, then countries.
    town_names = {name for place, name in scene.place_names.items() if place in scene.town_kinds}
    for name, lon, lat in base["capitals"]:
        if name in town_names:
            continue  # the town's own label names it
        x, y = frame.px(lon, lat)
        requests.append(_LabelRequest(name, "capital", float(x), float(y), 40,
                                      _text_style(frame, "capital", colour=BASEMAP["capital"]),
                                      radius=frame.size(3.5), rings=1))
    capital_names = {name for name, _, _ in base["capitals"]}
    for place, kind in scene.town_kinds.items():
        if place in named_places or place not in marks_by_place:
            continue
        mark = marks_by_place[place]
        name = scene.place_names[place]
        rank = LABEL_PRIORITY.get(kind, LABEL_PRIORITY["town"]) + min(scene.town_weights.get(place, 0), 99) / 100
        if name in capital_names:
            rank += 10
        requests.append(_LabelRequest(name, kind, mark.x, mark.y, rank,
                                      _text_style(frame, "town", weight="bold",
                                                  style="italic" if kind in ("site", "mountain") else "normal"),
                                      radius=mark.radius + unit, rings=2))
    for name, lon, lat, width, height in base["country_names"]:
        x, y = frame.px(lon, lat)
        requests.append(_LabelRequest(_spaced(name), "country", float(x), float(y), LABEL_PRIORITY["country"],
                                      _text_style(frame, "country", colour=BASEMAP["label"], alpha=0.8),
                                      anchor="centre",
                                      fits=(width * frame.x_per_degree, height * frame.y_per_degree)))
    return requests


# ---- furniture ------------------------------------------------------------------------------------------


def _box(axes, frame: _Frame, box, alpha: float = 0.93):
    x0, y0, x1, y1 = box
    axes.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle=f"round,pad=0,rounding_size={frame.size(6)}",
                                  facecolor=_PAPER, edgecolor="#b9b2a6", linewidth=frame.points(1), alpha=alpha,
                                  zorder=9))


def _draw_title(axes, renderer, frame: _Frame) -> tuple:
    unit, pad = frame.scale, frame.size(_BOX_PAD)
    left, top = frame.size(_MARGIN), frame.height - frame.size(_MARGIN)
    y = top - pad
    widths = []
    for line in frame.title_lines:
        text = axes.text(left + pad, y, line, ha="left", va="top", fontsize=frame.points(_TEXT["title"]),
                         fontweight="bold", color=_INK, parse_math=False, usetex=False, zorder=10)
        widths.append(_measure(text, renderer)[0])
        y -= _TEXT["title"] * 1.2 * unit
    if frame.subtitle_lines:
        y -= 6 * unit
        for line in frame.subtitle_lines:
            text = axes.text(left + pad, y, line, ha="left", va="top", fontsize=frame.points(_TEXT["subtitle"]),
                             color="#444444", parse_math=False, usetex=False, zorder=10)
            widths.append(_measure(text, renderer)[0])
            y -= _TEXT["subtitle"] * 1.3 * unit
    box = (left, top - _title_height(len(frame.title_lines), len(frame.subtitle_lines)) * unit,
           left + max(widths) + 2 * pad, top)
    _box(axes, frame, box)
    return box


def _swatch(axes, frame: _Frame, entry: LegendEntry, x: float, y: float, size: float):
    """The entry's symbol centred at (x, y), ``size`` pixels wide."""
    r = size * 0.36
    z = 11
    if entry.symbol == "family" and sum(to_rgba(entry.outline)[:3]) > 2.7:
        # A white outline (no family) needs a thin grey rim to show on the white legend.
        axes.add_patch(Circle((x, y), r + frame.size(2), facecolor="none", edgecolor="#999999",
                              linewidth=frame.points(0.8), zorder=z))
    if entry.symbol == "event" and entry.shape != "circle":
        marker, scale = _MARKERS.get(entry.shape, _MARKERS["circle"])
        axes.scatter([x], [y], s=[(2 * r * scale * 72 / frame.dpi) ** 2], marker=marker, c=[entry.colour],
                     edgecolors=[entry.outline], linewidths=frame.points(1.5), zorder=z)
    elif entry.symbol in ("event", "family"):
        axes.add_patch(Circle((x, y), r, facecolor=entry.colour, edgecolor=entry.outline,
                              linewidth=frame.points(2.5 if entry.symbol == "family" else 1.5), zorder=z))
    elif entry.symbol == "ring":
        axes.add_patch(Circle((x, y), r, facecolor=_PAPER, edgecolor=HIGHLIGHT["ring_outline"],
                              linewidth=frame.points(5), zorder=z))
        axes.add_patch(Circle((x, y), r, facecolor="none", edgecolor=HIGHLIGHT["ring"], linewidth=frame.points(3),
                              zorder=z))
    elif entry.symbol == "town":
        axes.add_patch(Circle((x, y), frame.size(TOWN_DOT_RADIUS), facecolor=entry.colour, edgecolor=entry.outline,
                              linewidth=frame.points(1.5), zorder=z))
    elif entry.symbol == "capital":
        axes.add_patch(Circle((x, y), frame.size(3.5), facecolor=entry.colour, edgecolor=entry.outline,
                              linewidth=frame.points(1.5), zorder=z))
    elif entry.symbol == "halo":
        axes.add_patch(Circle((x, y), r * 1.2, facecolor=to_rgba(entry.colour, 0.25), edgecolor=entry.outline,
                              linewidth=frame.points(1), linestyle=(0, (2.5, 3)), zorder=z))
    elif entry.symbol == "place":
        axes.add_patch(Circle((x, y), r * 1.1, facecolor=to_rgba(entry.colour, 0.55), edgecolor=entry.outline,
                              linewidth=frame.points(1.5), zorder=z))
    elif entry.symbol == "route":
        axes.add_line(Line2D([x - size * 0.6, x + size * 0.35], [y, y], color=entry.colour,
                             linewidth=frame.points(3), linestyle=(0, (2.7, 2)), zorder=z))
        head = [(x + size * 0.65, y), (x + size * 0.3, y + size * 0.22), (x + size * 0.3, y - size * 0.22)]
        axes.add_patch(Polygon(head, closed=True, facecolor=entry.colour, edgecolor="none", zorder=z))
    elif entry.symbol == "band":
        axes.add_line(Line2D([x - size * 0.6, x + size * 0.6], [y, y], color=entry.colour, alpha=0.45,
                             linewidth=frame.points(9), solid_capstyle="butt", zorder=z))
    else:  # line
        axes.add_line(Line2D([x - size * 0.6, x + size * 0.6], [y, y], color=entry.colour,
                             linewidth=frame.points(3), linestyle=(0, (2.4, 1.6)) if entry.dashed else "-",
                             solid_capstyle="butt", zorder=z))


def _wrapped(axes, renderer, frame: _Frame, text: str, width: float, fontsize: float) -> str:
    probe = axes.text(0, 0, text, fontsize=fontsize, parse_math=False, usetex=False)
    measured = _measure(probe, renderer)[0]
    probe.remove()
    if measured <= width:
        return text
    return "\n".join(textwrap.wrap(text, max(8, int(len(text) * width / measured))))


def _draw_legend(axes, renderer, frame: _Frame, entries: list[LegendEntry], bottom_limit: float) -> tuple | None:
    """The legend column at the top right; its type shrinks if the column would run into the scale box."""
    if not entries:
        return None
    for shrink in (1.0, 0.92, 0.84, 0.76):
        box, artists = _layout_legend(axes, renderer, frame, entries, shrink)
        if box[1] >= bottom_limit or shrink == 0.76:
            return box
        for artist in artists:
            artist.remove()
    return None


def _layout_legend(axes, renderer, frame: _Frame, entries: list[LegendEntry], shrink: float) -> tuple[tuple, list]:
    unit = frame.scale * shrink
    pad = frame.size(_BOX_PAD)
    right = frame.width - frame.size(_MARGIN)
    left = right - frame.size(_PANEL_WIDTH)
    top = frame.height - frame.size(_MARGIN)
    body, heading = frame.points(_TEXT["body"]) * shrink, frame.points(_TEXT["heading"]) * shrink
    swatch = 22 * unit
    y = top - pad
    before = set(map(id, list(axes.texts) + list(axes.patches) + list(axes.lines)))
    sections = []
    for entry in entries:
        if not sections or sections[-1][0] != entry.section:
            sections.append((entry.section, []))
        sections[-1][1].append(entry)
    for index, (section, rows) in enumerate(sections):
        if index:
            y -= 8 * unit
        title = axes.text(left + pad, y, _wrapped(axes, renderer, frame, section, right - left - 2 * pad, heading),
                          ha="left", va="top", fontsize=heading, fontweight="bold", color=_INK, parse_math=False,
                          usetex=False, zorder=11)
        y -= _measure(title, renderer)[1] + 5 * unit
        columns = 2 if section == "Event type" and len(rows) > 6 else 1
        column_width = (right - left - 2 * pad) / columns
        per_column = math.ceil(len(rows) / columns)
        lowest = y
        for column in range(columns):  # each column flows on its own, as in the web legend
            row_top = y
            for entry in rows[column * per_column:(column + 1) * per_column]:
                x = left + pad + column * column_width
                label = _wrapped(axes, renderer, frame, entry.label, column_width - swatch - 12 * unit, body)
                text = axes.text(x + swatch + 6 * unit, row_top - swatch / 2, label, ha="left", va="center",
                                 fontsize=body, color=_INK, parse_math=False, usetex=False, zorder=11, linespacing=1.05)
                height = _measure(text, renderer)[1]
                if height > swatch:  # a wrapped label: its first line level with the swatch
                    text.set_va("top")
                    text.set_y(row_top - 1 * unit)
                _swatch(axes, frame, entry, x + swatch / 2, row_top - swatch / 2, swatch)
                row_top -= max(swatch, height + 2 * unit) + 3 * unit
            lowest = min(lowest, row_top)
        y = lowest
    box = (left, y - pad + 3 * unit, right, top)
    _box(axes, frame, box)
    return box, [artist for artist in list(axes.texts) + list(axes.patches) + list(axes.lines)
                 if id(artist) not in before]


def _nice_length(most_km: float) -> float:
    """The longest 1, 2 or 5 x 10^n kilometres not over ``most_km``."""
    exponent = math.floor(math.log10(most_km))
    for step in (5, 2, 1):
        if step * 10 ** exponent <= most_km:
            return float(step * 10 ** exponent)
    return float(10 ** exponent)


def _draw_scale(axes, frame: _Frame) -> tuple[tuple, ScaleBar]:
    """Scale bar (true at the frame's latitude) and north arrow, in a box at the bottom right."""
    unit, pad = frame.scale, frame.size(_BOX_PAD)
    right = frame.width - frame.size(_MARGIN)
    left = right - frame.size(_PANEL_WIDTH)
    bottom = frame.size(_MARGIN)
    top = bottom + 84 * unit
    _box(axes, frame, (left, bottom, right, top))

    # North: longitudes are meridians, straight up everywhere on this map.
    arrow_x, arrow_bottom = left + pad + 16 * unit, bottom + pad + 4 * unit
    axes.add_patch(Polygon([(arrow_x, arrow_bottom + 40 * unit), (arrow_x - 11 * unit, arrow_bottom),
                            (arrow_x, arrow_bottom + 10 * unit)], closed=True, facecolor=_INK, edgecolor=_INK,
                           linewidth=frame.points(1), zorder=11))
    axes.add_patch(Polygon([(arrow_x, arrow_bottom + 40 * unit), (arrow_x + 11 * unit, arrow_bottom),
                            (arrow_x, arrow_bottom + 10 * unit)], closed=True, facecolor=_PAPER, edgecolor=_INK,
                           linewidth=frame.points(1), zorder=11))
    axes.text(arrow_x, arrow_bottom + 44 * unit, "N", ha="center", va="bottom", fontsize=frame.points(_TEXT["scale"]),
              fontweight="bold", color=_INK, parse_math=False, usetex=False, zorder=11)

    # How many km one pixel is along the true parallel, measured on the ellipsoid.
    latitude = frame.latitude
    km_per_pixel = great_circle_km(0.0, latitude, 1.0, latitude) / frame.x_per_degree
    bar_left = arrow_x + 40 * unit
    room = right - pad - bar_left - 40 * unit  # leave room for the last number
    km = _nice_length(room * km_per_pixel)
    length = km / km_per_pixel
    bar_y, bar_height = bottom + 44 * unit, 8 * unit
    for index, colour in enumerate((_INK, _PAPER, _INK, _PAPER)):
        axes.add_patch(Rectangle((bar_left + index * length / 4, bar_y), length / 4, bar_height, facecolor=colour,
                                 edgecolor=_INK, linewidth=frame.points(1), zorder=11))
    number = (lambda value: f"{value:g}")
    for fraction in (0, 0.5, 1):
        label = number(km * fraction) + (" km" if fraction == 1 else "")
        axes.text(bar_left + fraction * length, bar_y + bar_height + 4 * unit, label, ha="center", va="bottom",
                  fontsize=frame.points(_TEXT["scale"]), color=_INK, parse_math=False, usetex=False, zorder=11)
    hemisphere = "N" if latitude >= 0 else "S"
    axes.text(bar_left, bar_y - 6 * unit, f"Scale true at {abs(latitude):.0f}° {hemisphere}", ha="left", va="top",
              fontsize=frame.points(_TEXT["credits"]), color="#444444", parse_math=False, usetex=False, zorder=11)
    return (left, bottom, right, top), ScaleBar(km=km, x0=bar_left, x1=bar_left + length, y=bar_y,
                                               latitude=latitude)


def _draw_credits(axes, renderer, frame: _Frame, right_limit: float) -> tuple:
    unit = frame.scale
    left, bottom = frame.size(_MARGIN), frame.size(_MARGIN)
    fontsize = frame.points(_TEXT["credits"])
    text = _wrapped(axes, renderer, frame, CREDITS, right_limit - left - 20 * unit, fontsize)
    artist = axes.text(left + 8 * unit, bottom + 6 * unit, text, ha="left", va="bottom", fontsize=fontsize,
                       color="#333333", parse_math=False, usetex=False, zorder=10)
    width, height = _measure(artist, renderer)
    box = (left, bottom, left + width + 16 * unit, bottom + height + 12 * unit)
    _box(axes, frame, box, alpha=0.85)
    return box


# ---- drawing ---------------------------------------------------------------------------------------------


def _draw_areas(axes, frame: _Frame, areas: list[_Area]):
    # Bands under lines; a ringed outline gets a casing in the highlight colour under its own line.
    for area in sorted(areas, key=lambda item: (item.outline != "band", item.ringed)):
        path = _polygon_path(area.shape)
        if path is None:
            continue
        band = area.outline == "band"
        weight = 10 if band else 2.5 + (2 if area.ringed else 0)  # a band is wide enough already
        axes.add_artist(PathPatch(path, facecolor=to_rgba(area.colour, 0.03 * area.opacity), edgecolor="none",
                                 zorder=5))
        if area.ringed:
            casing = weight + 4
            axes.add_artist(PathPatch(path, facecolor="none", edgecolor=HIGHLIGHT["ring_outline"], alpha=0.8,
                                      linewidth=frame.points(casing + 2), joinstyle="round", zorder=5.1))
            axes.add_artist(PathPatch(path, facecolor="none", edgecolor=HIGHLIGHT["ring"],
                                      linewidth=frame.points(casing), joinstyle="round", zorder=5.2))
        opacity = (0.75 if area.ringed and band else 0.35 if band else 0.95) * area.opacity
        if area.ringed:
            opacity = 1.0
        dashes = (0, (2.8, 2.4)) if area.approximate and not band else "-"
        axes.add_artist(PathPatch(path, facecolor="none", edgecolor=to_rgba(area.colour, opacity),
                                 linewidth=frame.points(weight), linestyle=dashes, joinstyle="round",
                                 capstyle="butt", zorder=5.3 + (0.1 if area.ringed else 0)))


# Matplotlib's markers for the marks' shapes, each drawn inside the circle it replaces, as the web
# map draws them (map_engine.js): the number scales the marker's size to that circle.
_MARKERS = {"circle": ("o", 1.0), "square": ("s", 0.75), "diamond": ("D", 0.71), "triangle": ("^", 1.0),
            "triangle-down": ("v", 1.0)}


def _scatter(axes, frame: _Frame, marks: list[Mark], radius, fill, edge, width: float, zorder: float,
             shaped: bool = False):
    if not marks:
        return None
    groups = {}
    for mark in marks:  # one scatter per shape; the order within a shape is kept
        groups.setdefault(mark.shape if shaped else "circle", []).append(mark)
    for shape, members in groups.items():
        marker, scale = _MARKERS.get(shape, _MARKERS["circle"])
        lon, lat = frame.lonlat([m.x for m in members], [m.y for m in members])
        sizes = [(2 * radius(m) * scale * 72 / frame.dpi) ** 2 for m in members]
        axes.scatter(lon, lat, s=sizes, marker=marker, c=[fill(m) for m in members],
                     edgecolors=[edge(m) for m in members], linewidths=frame.points(width), zorder=zorder)
    return None


def _draw_marks(axes, frame: _Frame, scene: _Scene):
    if scene.halos:
        ellipses = []
        colours = []
        for lon, lat, metres, opacity in scene.halos:
            km = metres / 1000
            ellipses.append(Ellipse((lon, lat), 2 * km / (111.32 * math.cos(math.radians(lat))), 2 * km / 110.57))
            colours.append(opacity)
        opacity = min(colours)
        axes.add_collection(PatchCollection(ellipses, facecolor=to_rgba(_HALO_FILL, 0.08 * opacity),
                                            edgecolor=to_rgba(_HALO_EDGE, 0.7 * opacity),
                                            linewidth=frame.points(0.8), linestyle=(0, (2.5, 5)), zorder=6))
    for line, opacity in scene.routes:
        coords = np.asarray(line.coords)
        axes.add_line(Line2D(coords[:, 0], coords[:, 1], color=ROUTE_COLOUR, alpha=0.85 * opacity,
                             linewidth=frame.points(3), linestyle=(0, (2.67, 2)), zorder=7))
        head = np.asarray(arrowhead(line).exterior.coords)
        axes.add_patch(Polygon(head, closed=True, facecolor=to_rgba(ROUTE_COLOUR, 0.9 * opacity),
                               edgecolor=to_rgba(ROUTE_COLOUR, opacity), linewidth=frame.points(1), zorder=7))
    if scene.leaders:
        segments = []
        alphas = []
        for home, spot, opacity in scene.leaders:
            segments.append(np.array(frame.lonlat([home[0], spot[0]], [home[1], spot[1]])).T)
            alphas.append(0.7 * opacity)
        axes.add_collection(LineCollection(segments, colors=[to_rgba(_LEADER, a) for a in alphas],
                                           linewidths=frame.points(1), zorder=8))

    places = sorted((m for m in scene.marks if m.kind == "place"), key=lambda m: -m.radius)  # small over big
    _scatter(axes, frame, places, lambda m: m.radius, lambda m: to_rgba(m.colour, 0.55 * m.opacity),
             lambda m: to_rgba(m.outline, m.opacity), 1.5, 9)
    events = [m for m in scene.marks if m.kind == "event"]
    events.sort(key=lambda m: (m.opacity, m.ringed, m.order))  # faded ones under the rest
    _scatter(axes, frame, events, lambda m: m.radius, lambda m: to_rgba(m.colour, 0.95 * m.opacity),
             lambda m: to_rgba(m.outline, m.opacity), 2.5, 10, shaped=True)
    ringed = [m for m in scene.marks if m.ringed]
    ring_radius = (lambda m: m.radius + frame.size(_RING_GAP + _RING_WIDTH / 2))
    _scatter(axes, frame, ringed, ring_radius, lambda m: "none", lambda m: HIGHLIGHT["ring_outline"],
             _RING_WIDTH + 2.5, 11)
    _scatter(axes, frame, ringed, ring_radius, lambda m: "none", lambda m: HIGHLIGHT["ring"], _RING_WIDTH, 11.1)
    towns = [m for m in scene.marks if m.kind == "town"]
    _scatter(axes, frame, towns, lambda m: m.radius, lambda m: m.colour, lambda m: m.outline, 1.5, 12)


def _mark_boxes(frame: _Frame, scene: _Scene) -> list[tuple]:
    boxes = []
    for mark in scene.marks:
        reach = mark.radius + (_ring_reach(frame) if mark.ringed else frame.size(1.5))
        boxes.append((mark.x - reach, mark.y - reach, mark.x + reach, mark.y + reach))
    return boxes


def draw_picture(view: MapView, size: tuple[int, int] = _SLIDE, dpi: int | None = None) -> MapPicture:
    """Draw ``view`` on a new figure of ``size`` pixels (not yet encoded): see :func:`render_png`."""
    size = _checked_size(size)
    dpi = float(dpi or _default_dpi(size))
    frame = _frame(view, size, dpi)
    scene = _scene(view, frame)
    base = _basemap(_extent_key(frame))

    figure = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor=BASEMAP["background"])
    canvas = FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(frame.west, frame.east)
    axes.set_ylim(frame.south, frame.north)
    axes.set_autoscale_on(False)

    # Basemap: land with its borders, lakes, rivers, the coast, capitals.
    if base["land"] is not None:
        axes.add_artist(PathPatch(base["land"], facecolor=BASEMAP["land"], edgecolor=BASEMAP["border"],
                                 linewidth=frame.points(1.2), joinstyle="round", zorder=1))
    if base["lakes"] is not None:
        axes.add_artist(PathPatch(base["lakes"], facecolor=BASEMAP["lake"], edgecolor=BASEMAP["river"],
                                 linewidth=frame.points(0.6), zorder=2))
    if base["rivers"]:
        axes.add_collection(LineCollection(base["rivers"], colors=BASEMAP["river"], alpha=0.9,
                                           linewidths=frame.points(1.6), capstyle="round", zorder=3))
    if base["coasts"]:
        axes.add_collection(LineCollection(base["coasts"], colors=BASEMAP["coast"],
                                           linewidths=frame.points(0.9), zorder=4))
    _draw_areas(axes, frame, scene.areas)
    if base["capitals"]:
        lon = [item[1] for item in base["capitals"]]
        lat = [item[2] for item in base["capitals"]]
        axes.scatter(lon, lat, s=(2 * frame.size(3.5) * 72 / dpi) ** 2, c=_PAPER, edgecolors=BASEMAP["capital"],
                     linewidths=frame.points(1.5), zorder=5.8)
    _draw_marks(axes, frame, scene)

    # Furniture and labels live in pixels, on an axes over the map.
    overlay = figure.add_axes((0, 0, 1, 1))
    overlay.set_axis_off()
    overlay.set_xlim(0, size[0])
    overlay.set_ylim(0, size[1])
    overlay.set_autoscale_on(False)
    entries = _legend(scene, bool(base["capitals"]), view.dims_the_rest)
    title_box = _draw_title(overlay, renderer, frame)
    scale_box, scale_bar = _draw_scale(overlay, frame)
    legend_box = _draw_legend(overlay, renderer, frame, entries, scale_box[3] + frame.size(_MARGIN))
    credits_box = _draw_credits(overlay, renderer, frame, scale_box[0] - frame.size(_MARGIN))
    furniture = [box for box in (title_box, legend_box, scale_box, credits_box) if box is not None]
    labels, dropped = _place_labels(overlay, renderer, frame, _label_requests(view, frame, scene, base),
                                    _mark_boxes(frame, scene), furniture)
    return MapPicture(figure=figure, map_axes=axes, extent=frame.extent, dpi=dpi, legend=entries, labels=labels,
                      furniture=furniture, marks=scene.marks, scale_bar=scale_bar, dropped_labels=dropped)


def render_png(view: MapView, size: tuple[int, int] = _SLIDE, dpi: int | None = None) -> bytes:
    """The map ``view`` as PNG bytes of exactly ``size`` (width, height) pixels.

    ``dpi`` only sets the resolution written in the file (and so the printed size):
    the drawing is the same in pixels. By default 300 for A4 and 100 otherwise.
    """
    return draw_picture(view, size, dpi).png()


def label_boxes(view: MapView, size: tuple[int, int] = _SLIDE) -> list[PlacedLabel]:
    """The labels ``view``'s picture places, with their boxes in pixels: none overlap each other or the furniture."""
    return draw_picture(view, size).labels
