"""The user's data when it is large: every event shown, gathered into marks by the browser.

One layer for all the imported events shown, never one folium object per event:
the events travel as packed integer positions and type numbers
(:func:`geo.event_grid.packed`, about 14 bytes an event) and the map's engine
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
from layers.style import GATHERED, IMPORTED, MARKS, event_colour

__all__ = ["build", "LAYER_ID", "INDIVIDUAL_LIMIT", "DETAIL_ZOOM", "TYPES"]

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


def build(shown: pd.DataFrame, datasets: list[str], token: str, selected_index: int | None = None,
          selected_cell: str | None = None) -> folium.FeatureGroup:
    """All of ``shown`` (imported events with lon/lat in ``x``/``y``) as one gathered layer.

    ``token`` names this set of events: a click on one event sends it back with the event's
    position in ``shown``, so the app can tell a click on what it drew from a stale one.
    """
    check_columns(shown, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name="Your data (gathered)", control=False)
    located = shown["x"].notna() & shown["y"].notna()
    if not located.all():
        raise ValueError("the gathered layer needs every event located; drop the others first")
    data = packed(shown, list(TYPES), list(datasets))
    data.update({
        "token": token, "pane": "atlas-imported", "positionBits": POSITION_BITS, "cellBits": CELL_BITS,
        "individualLimit": INDIVIDUAL_LIMIT, "detailZoom": DETAIL_ZOOM, "datasets": list(datasets),
        "selectedIndex": -1 if selected_index is None else int(selected_index), "selectedCell": selected_cell,
        "types": [{"label": EVENT_TYPES.get(name, "Other"), "colour": event_colour(name)} for name in TYPES],
        "style": {"radius": IMPORTED["radius"], "fillOpacity": IMPORTED["fill_opacity"], "edge": IMPORTED["edge"],
                  "dash": [float(part) for part in IMPORTED["dash"].split()], "weight": IMPORTED["weight"],
                  "selected": MARKS["selected"], "minRadius": GATHERED["min_radius"],
                  "growth": GATHERED["growth"], "maxRadius": GATHERED["max_radius"],
                  "clusterOpacity": GATHERED["fill_opacity"], "clusterFill": GATHERED["fill"],
                  "clusterEdge": GATHERED["edge"], "ring": GATHERED["ring"],
                  "labelInk": GATHERED["label_ink"], "labelHalo": GATHERED["label_halo"],
                  "labelSize": GATHERED["label_size"]},
    })
    _EventGrid(data).add_to(group)
    return group
