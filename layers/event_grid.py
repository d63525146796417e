"""The user's data when it is large: every event shown, gathered into marks by the browser.

One layer for all the imported events shown, never one folium object per event:
the events travel as packed integer positions and type numbers
(:func:`geo.event_grid.packed`, about 14 bytes an event), inline or from an address
the app published them at (then the page itself stays small and the browser's cache
keeps each set it fetched), and the map's engine
(``atlas.eventGrid`` in map_engine.js) gathers them into cells of 64 screen
pixels at the zoom on screen and draws them on one canvas: a disc with its count
where a cell holds several, the event itself where it holds one, and every event
when the view holds few. Panning and zooming regather them in the browser with no
round trip to the app. Colours come from the style catalogue (``IMPORTED``,
``GATHERED``, the event types').
"""

from __future__ import annotations

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.event_grid import CELL_BITS, POSITION_BITS, packed
from geo.schema import EVENT_TYPES
from layers.common import check_columns
from style import GATHERED, IMPORTED, MARKS, event_colour

__all__ = ["points", "build", "LAYER_ID", "INDIVIDUAL_LIMIT", "DETAIL_ZOOM", "TYPES"]

LAYER_ID = "imported-grid"
REQUIRED_COLUMNS = ("dataset", "type", "x", "y")
# A view holding at most this many events shows each one, whatever the zoom; from DETAIL_ZOOM
# on (a town and its surroundings), every event is shown, however many.
INDIVIDUAL_LIMIT = 2500
DETAIL_ZOOM = 9
# Type numbers as the browser gets them: the atlas's types, then one for any other.
TYPES = (*EVENT_TYPES, "other")


class _EventGrid(MacroElement):
    _template = Template("""
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = new (L.Layer.extend({
        onAdd: function (map) { if (map.atlas) { this._grid = map.atlas.eventGrid({{ this.data|tojson }}); } },
        onRemove: function () { if (this._grid) { this._grid.remove(); this._grid = null; } }
    }))();
    {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self, data: dict):
        super().__init__()
        self._name = "EventGrid"
        self.data = data


def points(shown: pd.DataFrame, datasets: list[str]) -> dict:
    """The events of ``shown`` (imported events with lon/lat in ``x``/``y``) as the browser gathers them:
    packed positions and type and dataset numbers, with the types' labels and colours."""
    check_columns(shown, REQUIRED_COLUMNS, LAYER_ID)
    if not (shown["x"].notna() & shown["y"].notna()).all():
        raise ValueError("the gathered layer needs every event located; drop the others first")
    data = packed(shown, list(TYPES), list(datasets))
    data["datasets"] = list(datasets)
    data["types"] = [{"label": EVENT_TYPES.get(name, "Other"), "colour": event_colour(name)} for name in TYPES]
    return data


def build(
    events: dict | str, token: str, selected_index: int | None = None, selected_cell: str | None = None
) -> folium.FeatureGroup:
    """One gathered layer of ``events``: :func:`points`, or the address where they are published.

    ``token`` names this set of events: a click on one event sends it back with the event's
    position in it, so the app can tell a click on what it drew from a stale one.
    """
    group = folium.FeatureGroup(name="Your data (gathered)", control=False)
    data = {
        "points": events,
        "token": token,
        "pane": "atlas-imported",
        "positionBits": POSITION_BITS,
        "cellBits": CELL_BITS,
        "individualLimit": INDIVIDUAL_LIMIT,
        "detailZoom": DETAIL_ZOOM,
        "selectedIndex": -1 if selected_index is None else int(selected_index),
        "selectedCell": selected_cell,
        "style": {
            "radius": IMPORTED["radius"],
            "fillOpacity": IMPORTED["fill_opacity"],
            "edge": IMPORTED["edge"],
            "dash": [float(part) for part in IMPORTED["dash"].split()],
            "weight": IMPORTED["weight"],
            "selected": MARKS["selected"],
            "minRadius": GATHERED["min_radius"],
            "growth": GATHERED["growth"],
            "maxRadius": GATHERED["max_radius"],
            "clusterOpacity": GATHERED["fill_opacity"],
            "clusterFill": GATHERED["fill"],
            "clusterEdge": GATHERED["edge"],
            "ring": GATHERED["ring"],
            "labelInk": GATHERED["label_ink"],
            "labelHalo": GATHERED["label_halo"],
            "labelSize": GATHERED["label_size"],
        },
    }
    _EventGrid(data).add_to(group)
    return group
