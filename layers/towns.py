"""Towns the reports name: a reference layer of dots and labels, the same whatever the filters.

It is the map's anchor for teachers and briefers: Timbuktu, Kidal, Ménaka, In Amenas,
Arlit... stay labelled while events come and go. The dots sit above every other
mark, so a click on a town's centre always selects that town.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.common import check_columns, escape, feature_collection, geojson_layer
from layers.labels import PRIORITY, LabelLayer, label_item
from style import MARKS, TOWN_KINDS
from style import TOWN_DOT_RADIUS as DOT_RADIUS  # the dot the town labels sit beside

LAYER_ID = "towns"
TITLE = "Towns named in the reports"
REQUIRED_COLUMNS = ("id", "name", "kind", "event_count", "geometry")


def build(towns: gpd.GeoDataFrame, style: dict | None = None) -> folium.FeatureGroup:
    """Every located town, site and mountain; ``event_count`` (all events, not the shown ones) ranks the labels."""
    check_columns(towns, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=TITLE)
    shown = towns[towns.geometry.notna() & towns["kind"].isin(TOWN_KINDS)]
    if shown.empty:
        return group
    data = feature_collection(
        shown,
        lambda row: {
            "id": f"town-{row.id}",
            "kind": "place",
            "layer": LAYER_ID,
            "place": row.id,
            "mark": "town",
            "select": f"place:{row.id}",
            "weight": int(row.event_count),
            "town_kind": row.kind,
            "tooltip": f"<b>{escape(row.name)}</b>",
        },
    )
    geojson_layer(
        data,
        TITLE,
        style=lambda feature: {
            "radius": DOT_RADIUS,
            "color": MARKS["town_edge"],
            "weight": 1.5,
            "fillColor": MARKS["town_fill"],
            "fillOpacity": 1,
            "pane": "atlas-towns",
            "className": f"atlas-town atlas-town-{feature['properties']['town_kind']}",
        },
        marker=folium.CircleMarker(radius=DOT_RADIUS, fill=True),
    ).add_to(group)
    labels = [
        label_item(
            row.geometry.y,
            row.geometry.x,
            row.name,
            row.kind if row.kind in PRIORITY else "town",
            # Better-known places (more events in the whole atlas) win a crowded spot.
            priority=PRIORITY.get(row.kind, PRIORITY["town"]) + min(int(row.event_count), 99) / 100,
            radius=DOT_RADIUS + 1,
        )
        for row in shown.itertuples(index=False)
    ]
    LabelLayer("towns", labels).add_to(group)
    return group
