"""Events from the user's own data: one layer per dataset, drawn apart from the reports' events.

Imported events are smaller, paler and dashed-edged (``layers.style.IMPORTED``),
in a pane under the reports' marks, and are never spaced apart on screen: a
dataset may hold thousands. One GeoJson layer per dataset, never one folium
object per event.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.common import check_columns, escape, feature_collection, geojson_layer
from layers.style import IMPORTED, MARKS, event_colour

__all__ = ["build", "LAYER_ID"]

LAYER_ID = "imported"
REQUIRED_COLUMNS = ("id", "dataset", "date_start", "type", "title", "geometry")


def _tooltip(row) -> str:
    kind = row.original_type if isinstance(row.original_type, str) and row.original_type else row.type
    return (f"<b>{escape(row.title)}</b><br>{escape(row.date_start)} · {escape(kind)}"
            f"<br><i>{escape(row.dataset)} (imported, not from the reports)</i>")


def _style(feature) -> dict:
    properties = feature["properties"]
    chosen = properties["selected"]
    return {"radius": IMPORTED["radius"] + (2 if chosen else 0), "fillColor": properties["colour"],
            "fillOpacity": IMPORTED["fill_opacity"], "color": MARKS["selected"] if chosen else IMPORTED["edge"],
            "weight": 3.5 if chosen else IMPORTED["weight"], "dashArray": None if chosen else IMPORTED["dash"],
            "pane": "atlas-imported", "className": "atlas-imported"}


def build(events: gpd.GeoDataFrame, dataset: str, selected: str | None = None) -> folium.FeatureGroup:
    """The events of one imported dataset; ``selected`` is an event id."""
    check_columns(events, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=f"{dataset} (imported)")
    located = events[events.geometry.notna()]
    if located.empty:
        return group
    data = feature_collection(located, lambda row: {
        "id": row.id, "kind": "imported", "layer": LAYER_ID, "mark": "imported", "select": f"imported:{row.id}",
        "colour": event_colour(row.type), "selected": row.id == selected, "tooltip": _tooltip(row),
    }, digits=3)
    geojson_layer(data, f"{dataset} (imported)", style=_style,
                  marker=folium.CircleMarker(radius=IMPORTED["radius"], fill=True)).add_to(group)
    return group
