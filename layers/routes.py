"""Routes from the reports (hostage transfers, release routes, corridors, moves of fighters).

Each is a line through its places with an arrowhead at the end, drawn as
geometry so the direction shows without any extra Leaflet plugin.
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd
from shapely.geometry import LineString, Polygon

from layers.common import check_columns, escape, feature_collection, geojson_layer
from layers.style import ROUTE_COLOUR

LAYER_ID = "routes"
TITLE = "Routes"
REQUIRED_COLUMNS = ("id", "title", "date_start", "type_label", "route")

_ARROW_DEGREES = 0.45


def arrowhead(line: LineString, size: float = _ARROW_DEGREES) -> Polygon:
    """A triangle at the end of ``line`` pointing along its last segment."""
    (x0, y0), (x1, y1) = line.coords[-2], line.coords[-1]
    angle = math.atan2(y1 - y0, x1 - x0)
    left = (x1 - size * math.cos(angle - 0.4), y1 - size * math.sin(angle - 0.4))
    right = (x1 - size * math.cos(angle + 0.4), y1 - size * math.sin(angle + 0.4))
    return Polygon([(x1, y1), left, right])


def route_lines(events, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One line per event with a route of two or more located places."""
    points = dict(zip(places["id"], places.geometry))
    rows = []
    for event in events.itertuples(index=False):
        stops = [points[p] for p in (event.route or []) if p in points and points[p] is not None]
        if len(stops) < 2:
            continue
        rows.append({"id": event.id, "title": event.title, "date_start": event.date_start,
                     "type_label": event.type_label, "geometry": LineString([(p.x, p.y) for p in stops])})
    return gpd.GeoDataFrame(rows, columns=["id", "title", "date_start", "type_label", "geometry"],
                            geometry="geometry", crs="EPSG:4326")


def build(routes: gpd.GeoDataFrame, style: dict | None = None) -> folium.FeatureGroup:
    """Directed lines; ``routes`` as made by :func:`route_lines`."""
    check_columns(routes, REQUIRED_COLUMNS[:-1] + ("geometry",), LAYER_ID)
    group = folium.FeatureGroup(name=TITLE)
    if routes.empty:
        return group

    def properties(row):
        return {"id": f"route-{row.id}", "kind": "event", "event": row.id,
                "tooltip": f"<b>{escape(row.title)}</b><br>{escape(row.date_start)} · route"}

    lines = feature_collection(routes, properties)
    heads = feature_collection(routes.assign(geometry=routes.geometry.map(arrowhead)),
                               lambda row: {**properties(row), "id": f"arrow-{row.id}"})
    line_style = {"color": ROUTE_COLOUR, "weight": 3, "opacity": 0.85, "dashArray": "8 6"}
    geojson_layer(lines, TITLE, style=lambda feature: line_style).add_to(group)
    geojson_layer(heads, "Route directions",
                  style=lambda feature: {"color": ROUTE_COLOUR, "weight": 1, "fillColor": ROUTE_COLOUR,
                                         "fillOpacity": 0.9}).add_to(group)
    return group
