"""Places: circles sized by how many of the shown events happened there, with labels."""

from __future__ import annotations

import math

import folium
import geopandas as gpd

from layers.common import check_columns, escape, feature_collection, geojson_layer

LAYER_ID = "places"
TITLE = "Places"
REQUIRED_COLUMNS = ("id", "name", "kind", "event_count", "precision", "geometry")
LABELLED_KINDS = ("city", "town", "site", "mountain")


def radius_for(event_count: int) -> float:
    """Area grows with the count, so a place with 9 events looks 3x as wide as one with 1."""
    return 4 + 4 * math.sqrt(max(event_count, 0))


def build(places: gpd.GeoDataFrame, style: dict | None = None) -> folium.FeatureGroup:
    """Located places that the shown events touch (or all, when ``event_count`` is all zero)."""
    check_columns(places, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=TITLE)
    points = places[places.geometry.notna() & places["kind"].isin(LABELLED_KINDS)]
    if points.empty:
        return group
    data = feature_collection(points, lambda row: {
        "id": row.id, "kind": "place", "layer": LAYER_ID, "event_count": int(row.event_count),
        "radius": radius_for(int(row.event_count)),
        "tooltip": f"<b>{escape(row.name)}</b><br>{int(row.event_count)} event(s) shown",
    })
    geojson_layer(
        data, TITLE,
        style=lambda feature: {"radius": feature["properties"]["radius"], "color": "#3b3b3b", "weight": 1.5,
                               "fillColor": "#ffffff", "fillOpacity": 0.55, "className": "atlas-place"},
        marker=folium.CircleMarker(radius=5, fill=True),
    ).add_to(group)

    # Permanent labels for the places with events, so a wall map reads without hovering.
    labelled = points[points["event_count"] > 0]
    if not labelled.empty:
        labels = feature_collection(labelled, lambda row: {
            "id": f"label-{row.id}", "kind": "place", "place": row.id, "tooltip": escape(row.name)})
        geojson_layer(
            labels, "Place labels",
            style=lambda feature: {"radius": 0, "opacity": 0, "fillOpacity": 0},
            marker=folium.CircleMarker(radius=0),
            tooltip_options={"permanent": True, "direction": "right", "offset": [8, 0],
                             "className": "atlas-label"},
        ).add_to(group)
    return group
