"""Events: one marker per event, coloured by type, outlined by the family of the groups that carried it out.

Markers sit in their own pane above places, routes, halos and areas, so nothing
but another point can take their clicks. Where several events share a spot the
map spaces them on screen (map_engine.js), oldest nearest the spot; an imprecise
location gets a translucent halo as wide as the uncertainty of its point, which
is drawn only and never takes a click.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.common import check_columns, escape, feature_collection, geojson_layer
from style import (
    GROUP_FAMILY_COLOURS,
    HIGHLIGHT,
    MARKER_RADIUS,
    MARKS,
    PRECISION_HALO_METRES,
    event_colour,
    event_shape,
    group_family,
)

LAYER_ID = "events"
TITLE = "Events"
REQUIRED_COLUMNS = (
    "id",
    "date_start",
    "date_precision",
    "type",
    "type_label",
    "title",
    "groups",
    "location_precision",
    "place",
    "geometry",
)
SELECTED_OUTLINE = MARKS["selected"]


def _leading(row) -> list:
    # Outlined by who carried it out (geo.catalog.leading_groups); a frame without roles by all its groups.
    return getattr(row, "leading_groups", None) or row.groups


def _tooltip(row) -> str:
    return (
        f"<b>{escape(row.title)}</b><br>{escape(row.date_start)}"
        f" ({escape(row.date_precision)}) · {escape(row.type_label)}"
    )


def _marker_style(feature) -> dict:
    properties = feature["properties"]
    chosen, stands_out = properties["selected"], properties["highlighted"]
    faded = HIGHLIGHT["dimmed_opacity"] if properties["dimmed"] else 1
    outline = SELECTED_OUTLINE if chosen else HIGHLIGHT["ring"] if stands_out else properties["outline"]
    classes = (
        "atlas-event"
        + (" atlas-selected" if chosen else "")
        + (" atlas-highlighted" if stands_out else "")
        + (" atlas-dimmed" if properties["dimmed"] else "")
    )
    return {
        "radius": MARKER_RADIUS + (2 if stands_out else 0),
        "fillColor": properties["colour"],
        "fillOpacity": 0.95 * faded,
        "opacity": faded,
        "color": outline,
        "weight": 5 if stands_out else 4.5 if chosen else 2.5,
        # A story step's focus lies above the labels: no name may hide it.
        "pane": "atlas-focus" if stands_out else "atlas-events",
        "className": classes,
    }


def build(
    events: gpd.GeoDataFrame,
    style: dict | None = None,
    selected: str | None = None,
    highlighted: frozenset[str] | None = None,
) -> folium.FeatureGroup:
    """The events layer: markers plus uncertainty halos for imprecise places; ``selected`` is an event id.

    ``highlighted`` (event ids), when given, rings those events and dims the rest: a story step's focus.
    """
    check_columns(events, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=TITLE)
    located = events[events.geometry.notna()]
    if located.empty:
        return group

    imprecise = located[located["location_precision"].isin(list(PRECISION_HALO_METRES))]
    halos = imprecise.drop_duplicates("place")
    if not halos.empty:
        # With a step's focus, halos fade with the marks they belong to.
        faded = HIGHLIGHT["dimmed_opacity"] if highlighted else 1
        halo_data = feature_collection(
            halos,
            lambda row: {
                "id": f"halo-{row.place}",
                "kind": "halo",
                "place": row.place,
                "radius": PRECISION_HALO_METRES[row.location_precision],
            },
        )
        geojson_layer(
            halo_data,
            "Location uncertainty",
            style=lambda feature: {
                "radius": feature["properties"]["radius"],
                "color": MARKS["halo_edge"],
                "weight": 0.8,
                "opacity": 0.7 * faded,
                "dashArray": "2 4",
                "fillColor": MARKS["halo_fill"],
                "fillOpacity": 0.08 * faded,
                "pane": "atlas-halos",
                "interactive": False,
            },
            marker=folium.Circle(radius=1, fill=True),
        ).add_to(group)

    marker_data = feature_collection(
        located.sort_values(["date_start", "id"]),
        lambda row: {
            "id": row.id,
            "kind": "event",
            "layer": LAYER_ID,
            "type": row.type,
            "date": row.date_start,
            "mark": "event",
            "select": f"event:{row.id}",
            "order": f"{row.date_start} {row.id}",
            "colour": event_colour(row.type),
            "shape": event_shape(row.type),
            "outline": GROUP_FAMILY_COLOURS[group_family(_leading(row))],
            "selected": row.id == selected,
            "highlighted": bool(highlighted) and row.id in highlighted,
            "dimmed": bool(highlighted) and row.id not in highlighted and row.id != selected,
            "tooltip": _tooltip(row),
        },
    )
    geojson_layer(
        marker_data, TITLE, style=_marker_style, marker=folium.CircleMarker(radius=MARKER_RADIUS, fill=True)
    ).add_to(group)
    return group
