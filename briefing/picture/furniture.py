"""The picture's furniture: title, legend, scale bar, credits."""

from __future__ import annotations

import math
import textwrap

from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyBboxPatch, Polygon, Rectangle

from briefing.picture.frame import (
    BOX_PAD,
    FONT_SIZES,
    INK,
    MARGIN,
    MARKERS,
    PANEL_WIDTH,
    PAPER,
    Frame,
    LegendEntry,
    ScaleBar,
    title_block_height,
)
from briefing.picture.labels import measure_text
from geo.measure import great_circle_km
from style import HIGHLIGHT, TOWN_DOT_RADIUS
from view import CREDITS

__all__ = ["draw_title", "draw_legend", "draw_scale", "draw_credits"]

# ---- furniture ------------------------------------------------------------------------------------------


def _box(axes, frame: Frame, box, alpha: float = 0.93):
    x0, y0, x1, y1 = box
    axes.add_patch(
        FancyBboxPatch(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            boxstyle=f"round,pad=0,rounding_size={frame.size(6)}",
            facecolor=PAPER,
            edgecolor="#b9b2a6",
            linewidth=frame.points(1),
            alpha=alpha,
            zorder=9,
        )
    )


def draw_title(axes, renderer, frame: Frame) -> tuple:
    unit, pad = frame.scale, frame.size(BOX_PAD)
    left, top = frame.size(MARGIN), frame.height - frame.size(MARGIN)
    y = top - pad
    widths = []
    for line in frame.title_lines:
        text = axes.text(
            left + pad,
            y,
            line,
            ha="left",
            va="top",
            fontsize=frame.points(FONT_SIZES["title"]),
            fontweight="bold",
            color=INK,
            parse_math=False,
            usetex=False,
            zorder=10,
        )
        widths.append(measure_text(text, renderer)[0])
        y -= FONT_SIZES["title"] * 1.2 * unit
    if frame.subtitle_lines:
        y -= 6 * unit
        for line in frame.subtitle_lines:
            text = axes.text(
                left + pad,
                y,
                line,
                ha="left",
                va="top",
                fontsize=frame.points(FONT_SIZES["subtitle"]),
                color="#444444",
                parse_math=False,
                usetex=False,
                zorder=10,
            )
            widths.append(measure_text(text, renderer)[0])
            y -= FONT_SIZES["subtitle"] * 1.3 * unit
    box = (
        left,
        top - title_block_height(len(frame.title_lines), len(frame.subtitle_lines)) * unit,
        left + max(widths) + 2 * pad,
        top,
    )
    _box(axes, frame, box)
    return box


def _swatch(axes, frame: Frame, entry: LegendEntry, x: float, y: float, size: float):
    """The entry's symbol centred at (x, y), ``size`` pixels wide."""
    r = size * 0.36
    z = 11
    if entry.symbol == "family" and sum(to_rgba(entry.outline)[:3]) > 2.7:
        # A white outline (no family) needs a thin grey rim to show on the white legend.
        axes.add_patch(
            Circle(
                (x, y), r + frame.size(2), facecolor="none", edgecolor="#999999", linewidth=frame.points(0.8), zorder=z
            )
        )
    if entry.symbol == "event" and entry.shape != "circle":
        marker, scale = MARKERS.get(entry.shape, MARKERS["circle"])
        axes.scatter(
            [x],
            [y],
            s=[(2 * r * scale * 72 / frame.dpi) ** 2],
            marker=marker,
            c=[entry.colour],
            edgecolors=[entry.outline],
            linewidths=frame.points(1.5),
            zorder=z,
        )
    elif entry.symbol in ("event", "family"):
        axes.add_patch(
            Circle(
                (x, y),
                r,
                facecolor=entry.colour,
                edgecolor=entry.outline,
                linewidth=frame.points(2.5 if entry.symbol == "family" else 1.5),
                zorder=z,
            )
        )
    elif entry.symbol == "ring":
        axes.add_patch(
            Circle((x, y), r, facecolor=PAPER, edgecolor=HIGHLIGHT["ring_outline"], linewidth=frame.points(5), zorder=z)
        )
        axes.add_patch(
            Circle((x, y), r, facecolor="none", edgecolor=HIGHLIGHT["ring"], linewidth=frame.points(3), zorder=z)
        )
    elif entry.symbol == "town":
        axes.add_patch(
            Circle(
                (x, y),
                frame.size(TOWN_DOT_RADIUS),
                facecolor=entry.colour,
                edgecolor=entry.outline,
                linewidth=frame.points(1.5),
                zorder=z,
            )
        )
    elif entry.symbol == "capital":
        axes.add_patch(
            Circle(
                (x, y),
                frame.size(3.5),
                facecolor=entry.colour,
                edgecolor=entry.outline,
                linewidth=frame.points(1.5),
                zorder=z,
            )
        )
    elif entry.symbol == "halo":
        axes.add_patch(
            Circle(
                (x, y),
                r * 1.2,
                facecolor=to_rgba(entry.colour, 0.25),
                edgecolor=entry.outline,
                linewidth=frame.points(1),
                linestyle=(0, (2.5, 3)),
                zorder=z,
            )
        )
    elif entry.symbol == "place":
        axes.add_patch(
            Circle(
                (x, y),
                r * 1.1,
                facecolor=to_rgba(entry.colour, 0.55),
                edgecolor=entry.outline,
                linewidth=frame.points(1.5),
                zorder=z,
            )
        )
    elif entry.symbol == "route":
        axes.add_line(
            Line2D(
                [x - size * 0.6, x + size * 0.35],
                [y, y],
                color=entry.colour,
                linewidth=frame.points(3),
                linestyle=(0, (2.7, 2)),
                zorder=z,
            )
        )
        head = [(x + size * 0.65, y), (x + size * 0.3, y + size * 0.22), (x + size * 0.3, y - size * 0.22)]
        axes.add_patch(Polygon(head, closed=True, facecolor=entry.colour, edgecolor="none", zorder=z))
    elif entry.symbol == "band":
        axes.add_line(
            Line2D(
                [x - size * 0.6, x + size * 0.6],
                [y, y],
                color=entry.colour,
                alpha=0.45,
                linewidth=frame.points(9),
                solid_capstyle="butt",
                zorder=z,
            )
        )
    else:  # line
        axes.add_line(
            Line2D(
                [x - size * 0.6, x + size * 0.6],
                [y, y],
                color=entry.colour,
                linewidth=frame.points(3),
                linestyle=(0, (2.4, 1.6)) if entry.dashed else "-",
                solid_capstyle="butt",
                zorder=z,
            )
        )


def _wrapped(axes, renderer, frame: Frame, text: str, width: float, fontsize: float) -> str:
    probe = axes.text(0, 0, text, fontsize=fontsize, parse_math=False, usetex=False)
    measured = measure_text(probe, renderer)[0]
    probe.remove()
    if measured <= width:
        return text
    return "\n".join(textwrap.wrap(text, max(8, int(len(text) * width / measured))))


def draw_legend(axes, renderer, frame: Frame, entries: list[LegendEntry], bottom_limit: float) -> tuple | None:
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


def _layout_legend(axes, renderer, frame: Frame, entries: list[LegendEntry], shrink: float) -> tuple[tuple, list]:
    unit = frame.scale * shrink
    pad = frame.size(BOX_PAD)
    right = frame.width - frame.size(MARGIN)
    left = right - frame.size(PANEL_WIDTH)
    top = frame.height - frame.size(MARGIN)
    body, heading = frame.points(FONT_SIZES["body"]) * shrink, frame.points(FONT_SIZES["heading"]) * shrink
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
        title = axes.text(
            left + pad,
            y,
            _wrapped(axes, renderer, frame, section, right - left - 2 * pad, heading),
            ha="left",
            va="top",
            fontsize=heading,
            fontweight="bold",
            color=INK,
            parse_math=False,
            usetex=False,
            zorder=11,
        )
        y -= measure_text(title, renderer)[1] + 5 * unit
        columns = 2 if section == "Event type" and len(rows) > 6 else 1
        column_width = (right - left - 2 * pad) / columns
        per_column = math.ceil(len(rows) / columns)
        lowest = y
        for column in range(columns):  # each column flows on its own, as in the web legend
            row_top = y
            for entry in rows[column * per_column : (column + 1) * per_column]:
                x = left + pad + column * column_width
                label = _wrapped(axes, renderer, frame, entry.label, column_width - swatch - 12 * unit, body)
                text = axes.text(
                    x + swatch + 6 * unit,
                    row_top - swatch / 2,
                    label,
                    ha="left",
                    va="center",
                    fontsize=body,
                    color=INK,
                    parse_math=False,
                    usetex=False,
                    zorder=11,
                    linespacing=1.05,
                )
                height = measure_text(text, renderer)[1]
                if height > swatch:  # a wrapped label: its first line level with the swatch
                    text.set_va("top")
                    text.set_y(row_top - 1 * unit)
                _swatch(axes, frame, entry, x + swatch / 2, row_top - swatch / 2, swatch)
                row_top -= max(swatch, height + 2 * unit) + 3 * unit
            lowest = min(lowest, row_top)
        y = lowest
    box = (left, y - pad + 3 * unit, right, top)
    _box(axes, frame, box)
    return box, [
        artist for artist in list(axes.texts) + list(axes.patches) + list(axes.lines) if id(artist) not in before
    ]


def _nice_length(most_km: float) -> float:
    """The longest 1, 2 or 5 x 10^n kilometres not over ``most_km``."""
    exponent = math.floor(math.log10(most_km))
    for step in (5, 2, 1):
        if step * 10**exponent <= most_km:
            return float(step * 10**exponent)
    return float(10**exponent)


def draw_scale(axes, frame: Frame) -> tuple[tuple, ScaleBar]:
    """Scale bar (true at the frame's latitude) and north arrow, in a box at the bottom right."""
    unit, pad = frame.scale, frame.size(BOX_PAD)
    right = frame.width - frame.size(MARGIN)
    left = right - frame.size(PANEL_WIDTH)
    bottom = frame.size(MARGIN)
    top = bottom + 84 * unit
    _box(axes, frame, (left, bottom, right, top))

    # North: longitudes are meridians, straight up everywhere on this map.
    arrow_x, arrow_bottom = left + pad + 16 * unit, bottom + pad + 4 * unit
    axes.add_patch(
        Polygon(
            [
                (arrow_x, arrow_bottom + 40 * unit),
                (arrow_x - 11 * unit, arrow_bottom),
                (arrow_x, arrow_bottom + 10 * unit),
            ],
            closed=True,
            facecolor=INK,
            edgecolor=INK,
            linewidth=frame.points(1),
            zorder=11,
        )
    )
    axes.add_patch(
        Polygon(
            [
                (arrow_x, arrow_bottom + 40 * unit),
                (arrow_x + 11 * unit, arrow_bottom),
                (arrow_x, arrow_bottom + 10 * unit),
            ],
            closed=True,
            facecolor=PAPER,
            edgecolor=INK,
            linewidth=frame.points(1),
            zorder=11,
        )
    )
    axes.text(
        arrow_x,
        arrow_bottom + 44 * unit,
        "N",
        ha="center",
        va="bottom",
        fontsize=frame.points(FONT_SIZES["scale"]),
        fontweight="bold",
        color=INK,
        parse_math=False,
        usetex=False,
        zorder=11,
    )

    # How many km one pixel is along the true parallel, measured on the ellipsoid.
    latitude = frame.latitude
    km_per_pixel = great_circle_km(0.0, latitude, 1.0, latitude) / frame.x_per_degree
    bar_left = arrow_x + 40 * unit
    room = right - pad - bar_left - 40 * unit  # leave room for the last number
    km = _nice_length(room * km_per_pixel)
    length = km / km_per_pixel
    bar_y, bar_height = bottom + 44 * unit, 8 * unit
    for index, colour in enumerate((INK, PAPER, INK, PAPER)):
        axes.add_patch(
            Rectangle(
                (bar_left + index * length / 4, bar_y),
                length / 4,
                bar_height,
                facecolor=colour,
                edgecolor=INK,
                linewidth=frame.points(1),
                zorder=11,
            )
        )
    number = lambda value: f"{value:g}"
    for fraction in (0, 0.5, 1):
        label = number(km * fraction) + (" km" if fraction == 1 else "")
        axes.text(
            bar_left + fraction * length,
            bar_y + bar_height + 4 * unit,
            label,
            ha="center",
            va="bottom",
            fontsize=frame.points(FONT_SIZES["scale"]),
            color=INK,
            parse_math=False,
            usetex=False,
            zorder=11,
        )
    hemisphere = "N" if latitude >= 0 else "S"
    axes.text(
        bar_left,
        bar_y - 6 * unit,
        f"Scale true at {abs(latitude):.0f}° {hemisphere}",
        ha="left",
        va="top",
        fontsize=frame.points(FONT_SIZES["credits"]),
        color="#444444",
        parse_math=False,
        usetex=False,
        zorder=11,
    )
    return (left, bottom, right, top), ScaleBar(km=km, x0=bar_left, x1=bar_left + length, y=bar_y, latitude=latitude)


def draw_credits(axes, renderer, frame: Frame, right_limit: float) -> tuple:
    unit = frame.scale
    left, bottom = frame.size(MARGIN), frame.size(MARGIN)
    fontsize = frame.points(FONT_SIZES["credits"])
    text = _wrapped(axes, renderer, frame, CREDITS, right_limit - left - 20 * unit, fontsize)
    artist = axes.text(
        left + 8 * unit,
        bottom + 6 * unit,
        text,
        ha="left",
        va="bottom",
        fontsize=fontsize,
        color="#333333",
        parse_math=False,
        usetex=False,
        zorder=10,
    )
    width, height = measure_text(artist, renderer)
    box = (left, bottom, left + width + 16 * unit, bottom + height + 12 * unit)
    _box(axes, frame, box, alpha=0.85)
    return box
