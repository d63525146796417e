"""Map labels placed in the browser by the map's label routine (see map_engine.js).

A label layer rides in a feature group like any other layer: when the group is
added its labels join the map's single layout, and when it is removed they go.
The layout tries several positions round each anchor, keeps labels inside the
map and off each other, and drops the least important label rather than overlap.
Label text is set as text in the browser, never as markup.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from style import LABEL_PRIORITY as PRIORITY

__all__ = ["LabelLayer", "label_item", "MapSettings"]


def label_item(
    lat: float,
    lon: float,
    text: str,
    kind: str,
    priority: float | None = None,
    radius: float = 4,
    anchor: str = "point",
    colour: str | None = None,
) -> dict:
    """One label: ``anchor='point'`` sets it beside a mark of ``radius`` px, ``'centre'`` over the spot."""
    item = {
        "latlng": [round(lat, 4), round(lon, 4)],
        "text": str(text),
        "kind": kind,
        "priority": PRIORITY.get(kind, 0) if priority is None else priority,
        "radius": radius,
        "anchor": anchor,
    }
    if colour:
        item["colour"] = colour
    return item


class LabelLayer(MacroElement):
    """A set of labels (``key`` names the set) that lives and dies with its parent feature group."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = new (L.Layer.extend({
        onAdd: function (map) { if (map.atlas) { map.atlas.addLabels({{ this.key|tojson }}, {{ this.items|tojson }}); } },
        onRemove: function (map) { if (map.atlas) { map.atlas.removeLabels({{ this.key|tojson }}); map.atlas.relayout(); } }
    }))();
    {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self, key: str, items: list[dict]):
        super().__init__()
        self._name = "LabelLayer"
        self.key, self.items = key, items


class MapSettings(MacroElement):
    """Per-rerun map settings (label size) and a new layout of points and labels once layers changed."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = new (L.Layer.extend({
        onAdd: function (map) { if (map.atlas) { map.atlas.setLabelSize({{ this.label_size|tojson }}); } },
        onRemove: function () {}
    }))();
    {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self, label_size: int):
        super().__init__()
        self._name = "MapSettings"
        self.label_size = label_size


def settings_group(label_size: int) -> folium.FeatureGroup:
    holder = folium.FeatureGroup(name="Settings", control=False)
    MapSettings(label_size).add_to(holder)
    return holder
