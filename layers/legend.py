"""A legend drawn in HTML from the style catalogue, for what is actually on the map.

It rides in the same feature group as the layers it explains, so it is
replaced whenever they are, and it never pulls a colour-map script from a CDN.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.schema import EVENT_TYPES
from layers.common import escape
from style import (
    EVENT_TYPE_COLOURS,
    EVENT_TYPE_SHAPES,
    GATHERED,
    GROUP_FAMILY_COLOURS,
    HIGHLIGHT,
    IMPORTED,
    MARKS,
    PRECISION_HALO_METRES,
    ROUTE_COLOUR,
)

# Shapes drawn with CSS alone: the side panel's HTML keeps inline styles but not inline SVG.
_SHAPE_CSS = {
    "square": "border-radius:1px",
    "diamond": "transform:rotate(45deg) scale(.82)",
    "triangle": "clip-path:polygon(50% 0,100% 100%,0 100%)",
    "triangle-down": "clip-path:polygon(0 0,100% 0,50% 100%)",
}


def _shape_swatch(fill: str, outline: str, shape: str) -> str:
    """An event type's mark in the legend, in its own shape."""
    if shape not in _SHAPE_CSS:
        return _swatch(fill, outline)
    if shape.startswith("triangle"):  # a clipped shape loses its border: the outline is a larger shape behind
        return (
            f'<span class="atlas-swatch atlas-shape" style="position:relative;width:13px;height:13px;'
            f'background:{escape(outline)};{_SHAPE_CSS[shape]}"><span style="position:absolute;'
            f'inset:2px;background:{escape(fill)};{_SHAPE_CSS[shape]}"></span></span>'
        )
    return (
        f'<span class="atlas-swatch atlas-shape" style="background:{escape(fill)};border:1.5px solid '
        f'{escape(outline)};{_SHAPE_CSS[shape]}"></span>'
    )


def _swatch(fill: str, outline: str = "#333", shape: str = "circle") -> str:
    radius = "50%" if shape == "circle" else "2px"
    return (
        f'<span class="atlas-swatch" style="background:{fill};border:2.5px solid {outline};'
        f'border-radius:{radius}"></span>'
    )


def legend_html(
    event_types=(),
    group_families=(),
    show_places=False,
    show_routes=False,
    areas=(),
    show_halo=False,
    show_towns=False,
    show_highlight=False,
    imported=(),
    imported_types=(),
    unfolded: bool = False,
    from_reports=(),
) -> str:
    """Legend rows for the event types, group families and layers given (in catalogue order).

    ``areas`` holds (name, colour, approximate, outline) for each boundary or region drawn,
    ``outline`` being 'band' or 'line' (layers.boundaries.outline_styles). The legend starts
    folded unless ``unfolded``: on the map it opens only when the user asks. ``imported`` names the
    user's datasets drawn; those of them in ``from_reports`` were read from the user's own reports.
    """
    rows = []
    event_types = [*event_types, *imported_types]  # a type drawn only in the user's data is listed too
    if event_types:
        types = [
            f"<div>{_shape_swatch(EVENT_TYPE_COLOURS[t], MARKS['type_swatch_edge'], EVENT_TYPE_SHAPES[t])} "
            f"{escape(EVENT_TYPES[t])}</div>"
            for t in EVENT_TYPES
            if t in set(event_types)
        ]
        # Long lists go in two columns so the legend covers less of the map.
        columns = " atlas-two-columns" if len(types) > 6 else ""
        rows.append(f"<b>Event type</b><div class='atlas-legend-block{columns}'>{''.join(types)}</div>")
    if group_families:
        rows.append("<b>Outline: who carried it out</b>")
        rows += [
            f"{_swatch(MARKS['family_swatch_fill'], colour)} {escape(family)}"
            for family, colour in GROUP_FAMILY_COLOURS.items()
            if family in set(group_families)
        ]
    if show_halo or show_places or show_routes or show_towns or show_highlight:
        rows.append("<b>Symbols</b>")
    if show_highlight:  # a story step's focus; everything else is drawn faded
        rows.append(f"{_swatch(MARKS['place_fill'], HIGHLIGHT['ring'])} This step's focus (the rest faded)")
    if show_towns:
        rows.append(f"{_swatch(MARKS['town_fill'], MARKS['town_edge'])} Town named in the reports")
    if show_halo:
        rows.append(
            f"{_swatch('rgba(150,150,150,.25)', '#888')} Imprecise location "
            f"(± {PRECISION_HALO_METRES['approximate'] // 1000}–{PRECISION_HALO_METRES['centroid'] // 1000} km)"
        )
    if show_places:
        rows.append(f"{_swatch(MARKS['place_fill'], MARKS['place_edge'])} Place (size: events shown)")
    if show_routes:
        rows.append(f'<span class="atlas-line" style="border-top:3px dashed {ROUTE_COLOUR}"></span>&#9654; Route')
    if imported:  # the user's own datasets: never to be read as the reports' events
        swatch = (
            f'<span class="atlas-swatch" style="background:#bbbbbb;border:1.5px dashed {IMPORTED["edge"]};'
            'border-radius:50%"></span>'
        )
        read = [name for name in imported if name in set(from_reports)]
        others = [name for name in imported if name not in set(from_reports)]
        if others:
            rows.append("<b>Your data</b> (imported, not from the reports)")
            rows += [f"{swatch} {escape(name)}" for name in others]
        if read:  # read on 'Read a report': the user's reports, not the atlas's own
            rows.append("<b>Your data</b> (from your reports)")
            rows += [f"{swatch} {escape(name)}" for name in read]
        ring = " ".join(EVENT_TYPE_COLOURS[kind] for kind in ("attack", "killing", "protest", "raid"))
        rows.append(
            f'<span class="atlas-swatch" style="width:12px;height:12px;border-radius:50%;'
            f'background:{GATHERED["fill"]};border:3px solid;border-color:{ring}"></span> '
            "Events close together: the number of events, ringed by their types"
        )
    if areas:
        rows.append("<b>Boundaries and regions</b> (dashed: approximate)")
        rows += [_area_row(*area) for area in areas]
    if not rows:
        return ""
    state = " open" if unfolded else ""
    return f"<details{state}><summary>Legend</summary>{'<br>'.join(rows)}</details>"


def _area_row(name: str, colour: str, approximate: bool, outline: str = "line") -> str:
    if outline == "band":  # drawn wide and pale, under the outline that repeats it
        line = f"border-top:8px solid {escape(colour)};opacity:.45"
    else:
        line = f"border-top:3px {'dashed' if approximate else 'solid'} {escape(colour)}"
    return f'<span class="atlas-line" style="{line}"></span> {escape(name)}'


class MapBox(MacroElement):
    """A box on the map (a Leaflet control) that lives and dies with its parent layer group.

    ``html`` must be escaped markup (the legend); ``text`` is shown as plain text (the year).
    """

    _template = Template("""
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = (function () {
        var control = L.control({position: {{ this.position|tojson }}});
        control.onAdd = function () {
            var box = L.DomUtil.create("div", {{ this.css_class|tojson }});
            {%- if this.html is not none %}
            box.innerHTML = {{ this.html|tojson }};
            {%- else %}
            box.textContent = {{ this.text|tojson }};
            {%- endif %}
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            return box;
        };
        var holder = L.layerGroup();
        holder.onAdd = function (map) { control.addTo(map); };
        holder.onRemove = function (map) { control.remove(); };
        return holder;
    })();
    {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self, css_class: str, position: str, html: str | None = None, text: str | None = None):
        super().__init__()
        self._name = "MapBox"
        self.css_class, self.position, self.html, self.text = css_class, position, html, text


def legend_group(html: str, year_badge: str | None = None) -> folium.FeatureGroup:
    """A feature group holding the legend (and the year while playing), passed along with the data layers."""
    holder = folium.FeatureGroup(name="Legend", control=False)
    MapBox("atlas-legend", "bottomright", html=html).add_to(holder)
    if year_badge:  # the year being played, large, so a room can follow the playback
        MapBox("atlas-year-badge", "topright", text=year_badge).add_to(holder)
    return holder
