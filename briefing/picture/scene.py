"""The scene: what the picture draws, where, how it stands out, and the legend of what is drawn."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from briefing.picture.clipped import clipped_basemap, extent_key
from briefing.picture.frame import (
    A4_DPI,
    FAMILY_SWATCH_FILL,
    GAP,
    HALO_EDGE,
    HALO_FILL,
    INK,
    LARGEST_SIDE,
    PAPER,
    PICTURE_SIZES,
    PLACE_EDGE,
    PLACE_FILL,
    PLACE_SPREAD_RADIUS,
    RING_GAP,
    RING_WIDTH,
    SCREEN_DPI,
    SLIDE,
    TOWN_EDGE,
    TOWN_FILL,
    TYPE_SWATCH_EDGE,
    Frame,
    LegendEntry,
    Mark,
    frame_for,
)
from geo.schema import EVENT_TYPES
from style import (
    BASEMAP,
    GROUP_FAMILY_COLOURS,
    HIGHLIGHT,
    LABELLED_KINDS,
    MARKER_RADIUS,
    PRECISION_HALO_METRES,
    ROUTE_COLOUR,
    TOWN_DOT_RADIUS,
    TOWN_KINDS,
    event_colour,
    event_shape,
    group_family,
    outline_styles,
    place_radius,
)
from view import MapView

__all__ = ["Area", "Scene", "ring_reach", "scene_for", "legend_for", "default_dpi", "checked_size", "legend_entries"]

# ---- the scene: what is drawn, where, and how it stands out --------------------------------------


@dataclass
class Area:
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
class Scene:
    marks: list[Mark]
    leaders: list[tuple[tuple[float, float], tuple[float, float], float]]
    halos: list[tuple[float, float, float, float]]  # lon, lat, metres, opacity
    routes: list[tuple[object, float]]  # line, opacity
    areas: list[Area]
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


def ring_reach(frame: Frame) -> float:
    """How far a focus ring reaches beyond its mark's rim."""
    return frame.size(RING_GAP + RING_WIDTH + 1.25)


def _spread(marks: list[Mark], frame: Frame) -> list[tuple]:
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
                placed_radius[index] = max(
                    placed_radius[index], mark.radius + ring_reach(frame) + frame.size(MARKER_RADIUS)
                )
            continue
        room = frame.size(PLACE_SPREAD_RADIUS) if mark.kind == "place" else mark.radius
        if mark.ringed:  # a ringed mark needs room for its ring (the web map draws it larger)
            room += ring_reach(frame)
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
            clear = (distances >= np.maximum(room, others_radius)[None, :] + frame.size(GAP)).all(axis=1)
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


def _clip_box(frame: Frame, pad_degrees: float = 1.0) -> tuple[float, float, float, float]:
    return frame.west - pad_degrees, frame.south - pad_degrees, frame.east + pad_degrees, frame.north + pad_degrees


def _areas(view: MapView, frame: Frame) -> list[Area]:
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
            areas.append(
                Area(
                    ref=key,
                    name=str(row.name),
                    colour=getattr(row, "colour", None) or INK,
                    approximate=bool(row.approximate),
                    outline=style,
                    shape=shape,
                    ringed=chosen,
                    opacity=opacity,
                    labelled=prefix == "region" or chosen,
                    section=section,
                )
            )
    return areas


def scene_for(view: MapView, frame: Frame) -> Scene:
    marks: list[Mark] = []
    kind, selected_ref = _selected(view)

    towns, town_x, town_y = _located(
        frame, view.towns[view.towns["kind"].isin(TOWN_KINDS)] if not view.towns.empty else view.towns
    )
    town_kinds, town_weights, place_names = {}, {}, {}
    for row, x, y in zip(towns.itertuples(index=False), town_x, town_y):
        key = f"place:{row.id}"
        marks.append(
            Mark(
                ref=key,
                kind="town",
                home=(x, y),
                radius=frame.size(TOWN_DOT_RADIUS),
                order=(-int(row.event_count), row.id),
                colour=TOWN_FILL,
                outline=TOWN_EDGE,
            )
        )
        town_kinds[row.id], town_weights[row.id], place_names[row.id] = row.kind, int(row.event_count), row.name

    places = view.places[view.places["kind"].isin(LABELLED_KINDS)] if not view.places.empty else view.places
    places, place_x, place_y = _located(frame, places)
    for row, x, y in zip(places.itertuples(index=False), place_x, place_y):
        key = f"place:{row.id}"
        marks.append(
            Mark(
                ref=key,
                kind="place",
                home=(x, y),
                radius=frame.size(place_radius(int(row.event_count))),
                order=(-int(row.event_count), row.id),
                opacity=_opacity(view, key),
                colour=PLACE_FILL,
                outline=PLACE_EDGE,
            )
        )
        place_names.setdefault(row.id, row.name)

    events, event_x, event_y = _located(frame, view.events)
    halos, event_titles, event_types, families = [], {}, [], []
    seen_halo_places = set()
    for row, x, y in zip(events.itertuples(index=False), event_x, event_y):
        key = f"event:{row.id}"
        family = group_family(getattr(row, "leading_groups", None) or row.groups)
        marks.append(
            Mark(
                ref=key,
                kind="event",
                home=(x, y),
                radius=frame.size(MARKER_RADIUS),
                order=(0, f"{row.date_start} {row.id}"),
                opacity=_opacity(view, key),
                colour=event_colour(row.type),
                outline=GROUP_FAMILY_COLOURS[family],
                shape=event_shape(row.type),
            )
        )
        event_titles[row.id] = row.title
        event_types.append(row.type)
        families.append(family)
        if row.location_precision in PRECISION_HALO_METRES and row.place not in seen_halo_places:
            seen_halo_places.add(row.place)
            halos.append(
                (
                    row.geometry.x,
                    row.geometry.y,
                    PRECISION_HALO_METRES[row.location_precision],
                    HIGHLIGHT["dimmed_opacity"] if view.dims_the_rest else 1.0,
                )
            )

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

    return Scene(
        marks=marks,
        leaders=leaders,
        halos=halos,
        routes=routes,
        areas=_areas(view, frame),
        focus_places=focus_places,
        place_names=place_names,
        town_kinds=town_kinds,
        town_weights=town_weights,
        event_titles=event_titles,
        event_types=event_types,
        group_families=families,
        rings_used=any(mark.ringed for mark in marks),
    )


# ---- the legend ------------------------------------------------------------------------------------


def legend_for(scene: Scene, capitals_drawn: bool, dims_the_rest: bool) -> list[LegendEntry]:
    """Rows for what the picture draws, in the web legend's order (layers/legend.py)."""
    entries = []
    types = set(scene.event_types)
    entries += [
        LegendEntry(
            "Event type", label, "event", colour=event_colour(code), outline=TYPE_SWATCH_EDGE, shape=event_shape(code)
        )
        for code, label in EVENT_TYPES.items()
        if code in types
    ]
    families = set(scene.group_families)
    entries += [
        LegendEntry("Outline: who carried it out", family, "family", colour=FAMILY_SWATCH_FILL, outline=colour)
        for family, colour in GROUP_FAMILY_COLOURS.items()
        if family in families
    ]
    symbols = "Symbols"
    kinds = {mark.kind for mark in scene.marks}
    if scene.rings_used or any(area.ringed for area in scene.areas):
        entries.append(
            LegendEntry(
                symbols,
                "This step's focus (the rest faded)" if dims_the_rest else "Selected",
                "ring",
                colour=PAPER,
                outline=HIGHLIGHT["ring"],
            )
        )
    if "town" in kinds:
        entries.append(LegendEntry(symbols, "Town named in the reports", "town", colour=TOWN_FILL, outline=TOWN_EDGE))
    if capitals_drawn:
        entries.append(LegendEntry(symbols, "National capital", "capital", colour=PAPER, outline=BASEMAP["capital"]))
    if scene.halos:
        entries.append(
            LegendEntry(
                symbols,
                f"Imprecise location (± {PRECISION_HALO_METRES['approximate'] // 1000}–"
                f"{PRECISION_HALO_METRES['centroid'] // 1000} km)",
                "halo",
                colour=HALO_FILL,
                outline=HALO_EDGE,
                dashed=True,
            )
        )
    if "place" in kinds:
        entries.append(
            LegendEntry(symbols, "Place (size: events shown)", "place", colour=PLACE_FILL, outline=PLACE_EDGE)
        )
    if scene.routes:
        entries.append(LegendEntry(symbols, "Route", "route", colour=ROUTE_COLOUR, dashed=True))
    for area in scene.areas:
        entries.append(
            LegendEntry(
                "Boundaries and regions (dashed: approximate)",
                area.name,
                "band" if area.outline == "band" else "line",
                colour=area.colour,
                dashed=area.approximate and area.outline != "band",
            )
        )
    return entries


def default_dpi(size: tuple[int, int]) -> int:
    return A4_DPI if tuple(size) == PICTURE_SIZES["a4"] else SCREEN_DPI


def checked_size(size) -> tuple[int, int]:
    width, height = (int(value) for value in size)
    if not (200 <= width <= LARGEST_SIDE and 200 <= height <= LARGEST_SIDE):
        raise ValueError(f"picture size should be 200 to {LARGEST_SIDE} pixels a side; got {width}x{height}")
    return width, height


def legend_entries(view: MapView, size: tuple[int, int] = SLIDE) -> list[LegendEntry]:
    """The legend of ``view``'s picture at ``size``: only what is drawn inside the picture."""
    size = checked_size(size)
    frame = frame_for(view, size, default_dpi(size))
    return legend_for(scene_for(view, frame), bool(clipped_basemap(extent_key(frame))["capitals"]), view.dims_the_rest)
