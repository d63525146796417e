"""Places: circles sized by how many of the shown events happened there.

The circles lie under the events (their own pane), largest first so a small
place is never hidden under a big one; a place's name comes from the towns
layer, which labels every town whatever the filters.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.common import check_columns, escape, feature_collection, geojson_layer
from style import HIGHLIGHT, LABELLED_KINDS, MARKS, place_radius

LAYER_ID = "places"
TITLE = "Places"
REQUIRED_COLUMNS = ("id", "name", "kind", "event_count", "precision", "geometry")


def _style(feature) -> dict:
    properties = feature["properties"]
    chosen, stands_out = properties["selected"], properties["highlighted"]
    faded = HIGHLIGHT["dimmed_opacity"] if properties["dimmed"] else 1
    return {
        "radius": properties["radius"],
        "fillColor": MARKS["place_fill"],
        "fillOpacity": 0.55 * faded,
        "opacity": faded,
        "color": MARKS["selected"] if chosen else HIGHLIGHT["ring"] if stands_out else MARKS["place_edge"],
        "weight": 4 if chosen or stands_out else 1.5,
        "pane": "atlas-places",
        "className": "atlas-place" + (" atlas-highlighted" if stands_out else ""),
    }


def build(
    places: gpd.GeoDataFrame,
    style: dict | None = None,
    selected: str | None = None,
    highlighted: frozenset[str] | None = None,
) -> folium.FeatureGroup:
    """Located places with their shown-event counts; ``selected`` is a place id.

    ``highlighted`` (place ids), when given, rings those places and dims the rest.
    """
    check_columns(places, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=TITLE)
    points = places[places.geometry.notna() & places["kind"].isin(LABELLED_KINDS)]
    if points.empty:
        return group
    data = feature_collection(
        points.sort_values("event_count", ascending=False),
        lambda row: {
            "id": row.id,
            "kind": "place",
            "layer": LAYER_ID,
            "event_count": int(row.event_count),
            "mark": "place",
            "place": row.id,
            "select": f"place:{row.id}",
            "weight": int(row.event_count),
            "radius": place_radius(int(row.event_count)),
            "selected": row.id == selected,
            "highlighted": bool(highlighted) and row.id in highlighted,
            "dimmed": bool(highlighted) and row.id not in highlighted and row.id != selected,
            "tooltip": f"<b>{escape(row.name)}</b><br>{int(row.event_count)} event(s) shown",
        },
    )
    geojson_layer(data, TITLE, style=_style, marker=folium.CircleMarker(radius=5, fill=True)).add_to(group)
    return group
