"""Labels placed most important first, none overlapping each other, the marks or the furniture."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.lines import Line2D

from briefing.picture.frame import (
    EVENT_TITLE_CHARACTERS,
    FONT_SIZES,
    HALO_WIDTH,
    INK,
    LEADER,
    PAPER,
    Frame,
    Mark,
    PlacedLabel,
)
from briefing.picture.scene import Scene
from style import BASEMAP, HIGHLIGHT, LABEL_PRIORITY
from view import MapView

__all__ = ["measure_text", "place_labels", "label_requests"]

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
_MEASURED: dict[tuple, tuple[float, float]] = {}


def measure_text(text, renderer) -> tuple[float, float]:
    """Width and height in pixels of a text artist as it will be drawn."""
    key = (
        text.get_text(),
        text.get_fontsize(),
        text.get_fontweight(),
        text.get_fontstyle(),
        tuple(text.get_fontfamily()),
        text.get_linespacing(),
        renderer.dpi,
    )
    size = _MEASURED.get(key)
    if size is None:
        extent = text.get_window_extent(renderer)
        size = (extent.width, extent.height)
        if len(_MEASURED) > 20_000:
            _MEASURED.clear()
        _MEASURED[key] = size
    return size


def _overlaps(box, boxes: np.ndarray) -> bool:
    if not len(boxes):
        return False
    return bool(
        ((box[0] < boxes[:, 2]) & (boxes[:, 0] < box[2]) & (box[1] < boxes[:, 3]) & (boxes[:, 1] < box[3])).any()
    )


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
        spots += [
            (x + d, y - half, ring > 0),
            (x - d - width, y - half, ring > 0),
            (x + d - 2 * unit, y + d - 4 * unit, ring > 0),
            (x + d - 2 * unit, y - d + 4 * unit - height, ring > 0),
            (x - d - width + 2 * unit, y + d - 4 * unit, ring > 0),
            (x - d - width + 2 * unit, y - d + 4 * unit - height, ring > 0),
            (x - width / 2, y + d, ring > 0),
            (x - width / 2, y - d - height, ring > 0),
        ]
    return spots


def place_labels(
    axes, renderer, frame: Frame, requests: list[_LabelRequest], obstacles: list, furniture: list
) -> tuple[list[PlacedLabel], list[str]]:
    """Greedy placement: most important first, each at the first free candidate, or left out."""
    unit = frame.scale
    edge = 2 * unit
    taken = np.array(furniture, dtype=float).reshape(-1, 4)
    blocked = np.array(obstacles, dtype=float).reshape(-1, 4)
    placed, dropped = [], []
    for request in sorted(requests, key=lambda item: -item.priority):
        text = axes.text(0, 0, request.text, ha="left", va="bottom", parse_math=False, usetex=False, **request.style)
        text_width, text_height = measure_text(text, renderer)
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
            axes.add_line(
                Line2D([request.x, end_x], [request.y, end_y], color=LEADER, linewidth=frame.points(1.2), zorder=0.5)
            )
    return placed, dropped


def _shorten(title: str, limit: int = EVENT_TITLE_CHARACTERS) -> str:
    if len(title) <= limit:
        return title
    cut = title[: limit - 1].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):  # never leave a bracket open
        cut = cut[: cut.rindex("(")]
    return f"{cut.rstrip(',;:–—- ')}…"


def _text_style(
    frame: Frame,
    size: str,
    colour: str = INK,
    weight: str = "normal",
    style: str = "normal",
    alpha: float = 1.0,
    halo: bool = True,
) -> dict:
    effects = [patheffects.withStroke(linewidth=frame.points(HALO_WIDTH), foreground=PAPER)] if halo else []
    return {
        "fontsize": frame.points(FONT_SIZES[size]),
        "color": colour,
        "fontweight": weight,
        "fontstyle": style,
        "alpha": alpha,
        "path_effects": effects,
        "zorder": 1,
    }


def _focus_box(frame: Frame) -> dict:
    return {
        "boxstyle": f"round,pad={frame.points(4) / frame.points(FONT_SIZES['focus']):.3f}",
        "facecolor": PAPER,
        "edgecolor": HIGHLIGHT["ring"],
        "linewidth": frame.points(2.5),
    }


def _spaced(text: str) -> str:
    """Upper case with a hair space between letters: the quiet, tracked look of a country name."""
    return "\u200a".join(text.upper())


def label_requests(view: MapView, frame: Frame, scene: Scene, base: dict) -> list[_LabelRequest]:
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
        requests.append(
            _LabelRequest(
                name,
                "focus-region",
                x,
                y,
                100,
                _text_style(frame, "focus_region", weight="bold", style="italic"),
                anchor="centre",
            )
        )
    for mark in scene.marks:
        if not mark.ringed:
            continue
        ident = mark.ref.partition(":")[2]
        if mark.kind == "event":
            requests.append(
                _LabelRequest(
                    _shorten(scene.event_titles.get(ident, ident)),
                    "focus-event",
                    mark.x,
                    mark.y,
                    80 + (mark.y / frame.height) / 10,
                    {**_text_style(frame, "focus", halo=False), "bbox": _focus_box(frame)},
                    radius=mark.radius + 6 * unit,
                    rings=4,
                    boxed=True,
                    key=mark.ref,
                )
            )
        elif ident not in named_places:
            named_places.add(ident)
            anchor = marks_by_place.get(ident, mark)
            requests.append(
                _LabelRequest(
                    scene.place_names.get(ident, ident),
                    "focus-place",
                    anchor.x,
                    anchor.y,
                    90,
                    {**_text_style(frame, "focus_place", weight="bold", halo=False), "bbox": _focus_box(frame)},
                    radius=anchor.radius + 6 * unit,
                    rings=3,
                    boxed=True,
                    key=mark.ref,
                )
            )
    for area in scene.areas:
        if not area.labelled:
            continue
        visible = shapely.clip_by_rect(area.shape, *frame.extent)
        if visible.is_empty:
            continue
        point = max(shapely.get_parts(visible), key=lambda part: part.area).representative_point()
        x, y = frame.px(point.x, point.y)
        if area.ringed:
            requests.append(
                _LabelRequest(
                    area.name,
                    "focus-area",
                    float(x),
                    float(y),
                    70,
                    _text_style(frame, "focus_area", colour=area.colour, weight="bold", style="italic"),
                    anchor="centre",
                )
            )
        else:
            requests.append(
                _LabelRequest(
                    area.name,
                    "region",
                    float(x),
                    float(y),
                    LABEL_PRIORITY["region"],
                    _text_style(
                        frame, "region", colour=area.colour, weight="bold", style="italic", alpha=max(area.opacity, 0.6)
                    ),
                    anchor="centre",
                )
            )

    # Reference names: capitals, towns by how often the reports name them, then countries.
    town_names = {name for place, name in scene.place_names.items() if place in scene.town_kinds}
    for name, lon, lat in base["capitals"]:
        if name in town_names:
            continue  # the town's own label names it
        x, y = frame.px(lon, lat)
        requests.append(
            _LabelRequest(
                name,
                "capital",
                float(x),
                float(y),
                40,
                _text_style(frame, "capital", colour=BASEMAP["capital"]),
                radius=frame.size(3.5),
                rings=1,
            )
        )
    capital_names = {name for name, _, _ in base["capitals"]}
    for place, kind in scene.town_kinds.items():
        if place in named_places or place not in marks_by_place:
            continue
        mark = marks_by_place[place]
        name = scene.place_names[place]
        rank = LABEL_PRIORITY.get(kind, LABEL_PRIORITY["town"]) + min(scene.town_weights.get(place, 0), 99) / 100
        if name in capital_names:
            rank += 10
        requests.append(
            _LabelRequest(
                name,
                kind,
                mark.x,
                mark.y,
                rank,
                _text_style(frame, "town", weight="bold", style="italic" if kind in ("site", "mountain") else "normal"),
                radius=mark.radius + unit,
                rings=2,
            )
        )
    for name, lon, lat, width, height in base["country_names"]:
        x, y = frame.px(lon, lat)
        requests.append(
            _LabelRequest(
                _spaced(name),
                "country",
                float(x),
                float(y),
                LABEL_PRIORITY["country"],
                _text_style(frame, "country", colour=BASEMAP["label"], alpha=0.8),
                anchor="centre",
                fits=(width * frame.x_per_degree, height * frame.y_per_degree),
            )
        )
    return requests
