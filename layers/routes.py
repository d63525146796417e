"""Routes from the reports (hostage transfers, release routes, corridors, moves of fighters).

Each is a line through its places with an arrowhead at the end, drawn as
geometry so the direction shows without any extra Leaflet plugin.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.routes import arrowhead
from layers.common import check_columns, escape, feature_collection, geojson_layer
from style import ROUTE_COLOUR

LAYER_ID = "routes"
TITLE = "Routes"
REQUIRED_COLUMNS = ("id", "title", "date_start", "type_label", "route")


def build(routes: gpd.GeoDataFrame, style: dict | None = None) -> folium.FeatureGroup:
    """Directed lines; ``routes`` as made by :func:`geo.routes.route_lines`."""
    check_columns(routes, REQUIRED_COLUMNS[:-1] + ("geometry",), LAYER_ID)
    group = folium.FeatureGroup(name=TITLE)
    if routes.empty:
        return group

    def properties(row):
        return {
            "id": f"route-{row.id}",
            "kind": "event",
            "event": row.id,
            "tooltip": f"<b>{escape(row.title)}</b><br>{escape(row.date_start)} · route",
        }

    lines = feature_collection(routes, properties)
    heads = feature_collection(
        routes.assign(geometry=routes.geometry.map(arrowhead)), lambda row: {**properties(row), "id": f"arrow-{row.id}"}
    )
    line_style = {"color": ROUTE_COLOUR, "weight": 3, "opacity": 0.85, "dashArray": "8 6"}
    geojson_layer(lines, TITLE, style=lambda feature: line_style).add_to(group)
    geojson_layer(
        heads,
        "Route directions",
        style=lambda feature: {"color": ROUTE_COLOUR, "weight": 1, "fillColor": ROUTE_COLOUR, "fillOpacity": 0.9},
    ).add_to(group)
    return group
