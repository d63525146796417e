"""Events: one marker per event, coloured by type, outlined by group family.

Events at the same place are fanned out on a small ring so each stays
clickable; an imprecise location gets a translucent halo as wide as the
uncertainty of its point.
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd
from shapely.geometry import Point

from layers.common import check_columns, escape, feature_collection, geojson_layer
from layers.style import GROUP_FAMILY_COLOURS, PRECISION_HALO_METRES, event_colour, group_family

LAYER_ID = "events"
TITLE = "Events"
REQUIRED_COLUMNS = ("id", "date_start", "date_precision", "type", "type_label", "title", "groups",
                    "location_precision", "place", "geometry")

_RING_DEGREES = 0.18  # spread of events sharing a place at zoom 5-6


def _fanned_points(events: gpd.GeoDataFrame) -> list:
    """Points moved onto a small ring around their place when several events share it."""
    points = list(events.geometry)
    for place, positions in events.groupby("place", sort=False).indices.items():
        if len(positions) < 2:
            continue
        radius = _RING_DEGREES * (1 + len(positions) / 12)
        for step, position in enumerate(positions):
            angle = 2 * math.pi * step / len(positions)
            centre = points[position]
            points[position] = Point(centre.x + radius * math.cos(angle), centre.y + radius * math.sin(angle))
    return points


def _tooltip(row) -> str:
    return (f"<b>{escape(row.title)}</b><br>{escape(row.date_start)}"
            f" ({escape(row.date_precision)}) · {escape(row.type_label)}")


def build(events: gpd.GeoDataFrame, style: dict | None = None) -> folium.FeatureGroup:
    """The events layer: markers plus uncertainty halos for imprecise places."""
    check_columns(events, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=TITLE)
    located = events[events.geometry.notna()]
    if located.empty:
        return group

    imprecise = located[located["location_precision"].isin(list(PRECISION_HALO_METRES))]
    halos = imprecise.drop_duplicates("place")
    if not halos.empty:
        halo_data = feature_collection(halos, lambda row: {
            "id": f"halo-{row.place}", "kind": "halo", "place": row.place,
            "radius": PRECISION_HALO_METRES[row.location_precision],
            "tooltip": f"Location {escape(row.location_precision)}: drawn at a representative point",
        })
        geojson_layer(
            halo_data, "Location uncertainty",
            style=lambda feature: {"radius": feature["properties"]["radius"], "color": "#777777", "weight": 0.8,
                                   "opacity": 0.7, "dashArray": "2 4", "fillColor": "#999999",
                                   "fillOpacity": 0.08},
            marker=folium.Circle(radius=1, fill=True),
        ).add_to(group)

    fanned = located.assign(geometry=_fanned_points(located))
    marker_data = feature_collection(fanned, lambda row: {
        "id": row.id, "kind": "event", "layer": LAYER_ID, "type": row.type, "date": row.date_start,
        "colour": event_colour(row.type), "outline": GROUP_FAMILY_COLOURS[group_family(row.groups)],
        "tooltip": _tooltip(row),
    })
    geojson_layer(
        marker_data, TITLE,
        style=lambda feature: {"radius": 7, "fillColor": feature["properties"]["colour"], "fillOpacity": 0.95,
                               "color": feature["properties"]["outline"], "weight": 2.5,
                               "className": "atlas-event"},
        marker=folium.CircleMarker(radius=7, fill=True),
    ).add_to(group)
    return group
