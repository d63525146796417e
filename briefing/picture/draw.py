"""Drawing the picture: areas, marks, labels and furniture on one matplotlib figure."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, PathPatch, Polygon

from briefing.picture.clipped import clipped_basemap, extent_key, polygon_path
from briefing.picture.frame import (
    HALO_EDGE,
    HALO_FILL,
    LEADER,
    MARGIN,
    MARKERS,
    PAPER,
    RING_GAP,
    RING_WIDTH,
    SLIDE,
    Frame,
    MapPicture,
    Mark,
    frame_for,
)
from briefing.picture.furniture import draw_credits, draw_legend, draw_scale, draw_title
from briefing.picture.labels import label_requests, place_labels
from briefing.picture.scene import Area, Scene, checked_size, default_dpi, legend_for, ring_reach, scene_for
from geo.routes import arrowhead
from style import BASEMAP, HIGHLIGHT, ROUTE_COLOUR
from view import MapView

__all__ = ["draw_picture", "render_png"]

# ---- drawing ---------------------------------------------------------------------------------------------


def _draw_areas(axes, frame: Frame, areas: list[Area]):
    # Bands under lines; a ringed outline gets a casing in the highlight colour under its own line.
    for area in sorted(areas, key=lambda item: (item.outline != "band", item.ringed)):
        path = polygon_path(area.shape)
        if path is None:
            continue
        band = area.outline == "band"
        weight = 10 if band else 2.5 + (2 if area.ringed else 0)  # a band is wide enough already
        axes.add_artist(
            PathPatch(path, facecolor=to_rgba(area.colour, 0.03 * area.opacity), edgecolor="none", zorder=5)
        )
        if area.ringed:
            casing = weight + 4
            axes.add_artist(
                PathPatch(
                    path,
                    facecolor="none",
                    edgecolor=HIGHLIGHT["ring_outline"],
                    alpha=0.8,
                    linewidth=frame.points(casing + 2),
                    joinstyle="round",
                    zorder=5.1,
                )
            )
            axes.add_artist(
                PathPatch(
                    path,
                    facecolor="none",
                    edgecolor=HIGHLIGHT["ring"],
                    linewidth=frame.points(casing),
                    joinstyle="round",
                    zorder=5.2,
                )
            )
        opacity = (0.75 if area.ringed and band else 0.35 if band else 0.95) * area.opacity
        if area.ringed:
            opacity = 1.0
        dashes = (0, (2.8, 2.4)) if area.approximate and not band else "-"
        axes.add_artist(
            PathPatch(
                path,
                facecolor="none",
                edgecolor=to_rgba(area.colour, opacity),
                linewidth=frame.points(weight),
                linestyle=dashes,
                joinstyle="round",
                capstyle="butt",
                zorder=5.3 + (0.1 if area.ringed else 0),
            )
        )


def _scatter(
    axes, frame: Frame, marks: list[Mark], radius, fill, edge, width: float, zorder: float, shaped: bool = False
):
    if not marks:
        return None
    groups = {}
    for mark in marks:  # one scatter per shape; the order within a shape is kept
        groups.setdefault(mark.shape if shaped else "circle", []).append(mark)
    for shape, members in groups.items():
        marker, scale = MARKERS.get(shape, MARKERS["circle"])
        lon, lat = frame.lonlat([m.x for m in members], [m.y for m in members])
        sizes = [(2 * radius(m) * scale * 72 / frame.dpi) ** 2 for m in members]
        axes.scatter(
            lon,
            lat,
            s=sizes,
            marker=marker,
            c=[fill(m) for m in members],
            edgecolors=[edge(m) for m in members],
            linewidths=frame.points(width),
            zorder=zorder,
        )
    return None


def _draw_marks(axes, frame: Frame, scene: Scene):
    if scene.halos:
        ellipses = []
        colours = []
        for lon, lat, metres, opacity in scene.halos:
            km = metres / 1000
            ellipses.append(Ellipse((lon, lat), 2 * km / (111.32 * math.cos(math.radians(lat))), 2 * km / 110.57))
            colours.append(opacity)
        opacity = min(colours)
        axes.add_collection(
            PatchCollection(
                ellipses,
                facecolor=to_rgba(HALO_FILL, 0.08 * opacity),
                edgecolor=to_rgba(HALO_EDGE, 0.7 * opacity),
                linewidth=frame.points(0.8),
                linestyle=(0, (2.5, 5)),
                zorder=6,
            )
        )
    for line, opacity in scene.routes:
        coords = np.asarray(line.coords)
        axes.add_line(
            Line2D(
                coords[:, 0],
                coords[:, 1],
                color=ROUTE_COLOUR,
                alpha=0.85 * opacity,
                linewidth=frame.points(3),
                linestyle=(0, (2.67, 2)),
                zorder=7,
            )
        )
        head = np.asarray(arrowhead(line).exterior.coords)
        axes.add_patch(
            Polygon(
                head,
                closed=True,
                facecolor=to_rgba(ROUTE_COLOUR, 0.9 * opacity),
                edgecolor=to_rgba(ROUTE_COLOUR, opacity),
                linewidth=frame.points(1),
                zorder=7,
            )
        )
    if scene.leaders:
        segments = []
        alphas = []
        for home, spot, opacity in scene.leaders:
            segments.append(np.array(frame.lonlat([home[0], spot[0]], [home[1], spot[1]])).T)
            alphas.append(0.7 * opacity)
        axes.add_collection(
            LineCollection(segments, colors=[to_rgba(LEADER, a) for a in alphas], linewidths=frame.points(1), zorder=8)
        )

    places = sorted((m for m in scene.marks if m.kind == "place"), key=lambda m: -m.radius)  # small over big
    _scatter(
        axes,
        frame,
        places,
        lambda m: m.radius,
        lambda m: to_rgba(m.colour, 0.55 * m.opacity),
        lambda m: to_rgba(m.outline, m.opacity),
        1.5,
        9,
    )
    events = [m for m in scene.marks if m.kind == "event"]
    events.sort(key=lambda m: (m.opacity, m.ringed, m.order))  # faded ones under the rest
    _scatter(
        axes,
        frame,
        events,
        lambda m: m.radius,
        lambda m: to_rgba(m.colour, 0.95 * m.opacity),
        lambda m: to_rgba(m.outline, m.opacity),
        2.5,
        10,
        shaped=True,
    )
    ringed = [m for m in scene.marks if m.ringed]
    ring_radius = lambda m: m.radius + frame.size(RING_GAP + RING_WIDTH / 2)
    _scatter(
        axes, frame, ringed, ring_radius, lambda m: "none", lambda m: HIGHLIGHT["ring_outline"], RING_WIDTH + 2.5, 11
    )
    _scatter(axes, frame, ringed, ring_radius, lambda m: "none", lambda m: HIGHLIGHT["ring"], RING_WIDTH, 11.1)
    towns = [m for m in scene.marks if m.kind == "town"]
    _scatter(axes, frame, towns, lambda m: m.radius, lambda m: m.colour, lambda m: m.outline, 1.5, 12)


def _mark_boxes(frame: Frame, scene: Scene) -> list[tuple]:
    boxes = []
    for mark in scene.marks:
        reach = mark.radius + (ring_reach(frame) if mark.ringed else frame.size(1.5))
        boxes.append((mark.x - reach, mark.y - reach, mark.x + reach, mark.y + reach))
    return boxes


def draw_picture(view: MapView, size: tuple[int, int] = SLIDE, dpi: int | None = None) -> MapPicture:
    """Draw ``view`` on a new figure of ``size`` pixels (not yet encoded): see :func:`render_png`."""
    size = checked_size(size)
    dpi = float(dpi or default_dpi(size))
    frame = frame_for(view, size, dpi)
    scene = scene_for(view, frame)
    base = clipped_basemap(extent_key(frame))

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
        axes.add_artist(
            PathPatch(
                base["land"],
                facecolor=BASEMAP["land"],
                edgecolor=BASEMAP["border"],
                linewidth=frame.points(1.2),
                joinstyle="round",
                zorder=1,
            )
        )
    if base["lakes"] is not None:
        axes.add_artist(
            PathPatch(
                base["lakes"],
                facecolor=BASEMAP["lake"],
                edgecolor=BASEMAP["river"],
                linewidth=frame.points(0.6),
                zorder=2,
            )
        )
    if base["rivers"]:
        axes.add_collection(
            LineCollection(
                base["rivers"],
                colors=BASEMAP["river"],
                alpha=0.9,
                linewidths=frame.points(1.6),
                capstyle="round",
                zorder=3,
            )
        )
    if base["coasts"]:
        axes.add_collection(
            LineCollection(base["coasts"], colors=BASEMAP["coast"], linewidths=frame.points(0.9), zorder=4)
        )
    _draw_areas(axes, frame, scene.areas)
    if base["capitals"]:
        lon = [item[1] for item in base["capitals"]]
        lat = [item[2] for item in base["capitals"]]
        axes.scatter(
            lon,
            lat,
            s=(2 * frame.size(3.5) * 72 / dpi) ** 2,
            c=PAPER,
            edgecolors=BASEMAP["capital"],
            linewidths=frame.points(1.5),
            zorder=5.8,
        )
    _draw_marks(axes, frame, scene)

    # Furniture and labels live in pixels, on an axes over the map.
    overlay = figure.add_axes((0, 0, 1, 1))
    overlay.set_axis_off()
    overlay.set_xlim(0, size[0])
    overlay.set_ylim(0, size[1])
    overlay.set_autoscale_on(False)
    entries = legend_for(scene, bool(base["capitals"]), view.dims_the_rest)
    title_box = draw_title(overlay, renderer, frame)
    scale_box, scale_bar = draw_scale(overlay, frame)
    legend_box = draw_legend(overlay, renderer, frame, entries, scale_box[3] + frame.size(MARGIN))
    credits_box = draw_credits(overlay, renderer, frame, scale_box[0] - frame.size(MARGIN))
    furniture = [box for box in (title_box, legend_box, scale_box, credits_box) if box is not None]
    labels, dropped = place_labels(
        overlay, renderer, frame, label_requests(view, frame, scene, base), _mark_boxes(frame, scene), furniture
    )
    return MapPicture(
        figure=figure,
        map_axes=axes,
        extent=frame.extent,
        dpi=dpi,
        legend=entries,
        labels=labels,
        furniture=furniture,
        marks=scene.marks,
        scale_bar=scale_bar,
        dropped_labels=dropped,
    )


def render_png(view: MapView, size: tuple[int, int] = SLIDE, dpi: int | None = None) -> bytes:
    """The map ``view`` as PNG bytes of exactly ``size`` (width, height) pixels.

    ``dpi`` only sets the resolution written in the file (and so the printed size):
    the drawing is the same in pixels. By default 300 for A4 and 100 otherwise.
    """
    return draw_picture(view, size, dpi).png()
