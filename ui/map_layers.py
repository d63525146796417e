"""Which map layers to draw for the dashboard's state, and what the legend must explain.

Filtering stays in geo/ and drawing in layers/; this only picks the layers the
user switched on and feeds each the rows it needs.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.boundaries import boundaries_in_force
from geo.catalog import Atlas
from geo.export import places_with_event_counts
from layers import boundaries as boundary_layer
from layers import events as event_layer
from layers import places as place_layer
from layers import routes as route_layer
from layers import towns as town_layer
from layers.style import PRECISION_HALO_METRES, group_family
from ui.state import DashboardState

__all__ = ["data_layers", "boundary_year"]


def boundary_year(state: DashboardState) -> int:
    """The year whose boundaries are drawn: the one the user picked, else the last year shown."""
    return state.boundary_year if state.boundary_year is not None else state.year_to


def _areas(frame: gpd.GeoDataFrame) -> list[tuple]:
    return list(zip(frame["name"], frame["colour"], frame["approximate"], boundary_layer.outline_styles(frame)))


def data_layers(state: DashboardState, shown_events: gpd.GeoDataFrame, atlas: Atlas,
                boundaries: gpd.GeoDataFrame, regions: gpd.GeoDataFrame,
                towns: gpd.GeoDataFrame | None = None) -> tuple[list[folium.FeatureGroup], dict]:
    """Feature groups in drawing order (areas under lines under points) and the legend's arguments.

    ``boundaries`` and ``regions`` carry their ``colour`` (see ``layers.boundaries.with_colours``);
    ``towns`` are the places with their counts over all events (the reference layer ignores filters).
    """
    groups, areas = [], []
    legend: dict = {}
    kind, _, ref = (state.selected or "").partition(":")
    if "regions" in state.layers:
        groups.append(boundary_layer.build(regions, prefix="region", title="Regions", labelled=True,
                                           selected=ref if kind == "region" else None))
        areas += _areas(regions)
    if "boundaries" in state.layers:
        year = boundary_year(state)
        in_force = boundaries_in_force(boundaries, year, year)
        groups.append(boundary_layer.build(in_force, selected=ref if kind == "boundary" else None))
        areas += _areas(in_force)
    legend["areas"] = areas
    if "routes" in state.layers:
        routes = route_layer.route_lines(shown_events, atlas.places)
        groups.append(route_layer.build(routes))
        legend["show_routes"] = not routes.empty
    if "places" in state.layers:
        counted = places_with_event_counts(atlas.places, shown_events)
        groups.append(place_layer.build(counted[counted["event_count"] > 0], selected=ref if kind == "place" else None))
        legend["show_places"] = True
    if "events" in state.layers:
        groups.append(event_layer.build(shown_events, selected=ref if kind == "event" else None))
        legend.update(event_types=set(shown_events["type"]),
                      group_families={group_family(g) for g in shown_events["leading_groups"]},
                      show_halo=bool(shown_events["location_precision"].isin(list(PRECISION_HALO_METRES)).any()))
    if "towns" in state.layers and towns is not None:
        groups.append(town_layer.build(towns))
        legend["show_towns"] = True
    return groups, legend
