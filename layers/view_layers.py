"""The folium layers of one map view, in drawing order, and what the legend must explain.

The dashboard, the presentation page and the offline page all draw a
:class:`view.MapView` through here, so a step looks the same in each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium

from layers import boundaries as boundary_layer
from layers import events as event_layer
from layers import places as place_layer
from layers import routes as route_layer
from layers import towns as town_layer
from layers.labels import LabelLayer, label_item
from style import LABELLED_KINDS, PRECISION_HALO_METRES, group_family

if TYPE_CHECKING:
    from view import MapView

__all__ = ["view_layers"]


def _areas(frame) -> list[tuple]:
    return list(zip(frame["name"], frame["colour"], frame["approximate"], boundary_layer.outline_styles(frame)))


def _highlighted_names(view: MapView, places_drawn: set[str]) -> folium.FeatureGroup | None:
    """Names of the step's highlighted places, large: a region (Azawad) has no mark of its own to label."""
    places = view.highlighted_places[~view.highlighted_places["id"].isin(places_drawn)]
    if places.empty:
        return None
    holder = folium.FeatureGroup(name="Highlighted places", control=False)
    LabelLayer(
        "highlighted-places",
        [
            label_item(
                row.geometry.y, row.geometry.x, row.name, "region", priority=100, anchor="centre", colour="#1f1f1f"
            )
            for row in places.itertuples(index=False)
            if row.geometry is not None
        ],
    ).add_to(holder)
    return holder


def view_layers(view: MapView) -> tuple[list[folium.FeatureGroup], dict]:
    """Feature groups in drawing order (areas under lines under points) and the legend's arguments."""
    groups, areas = [], []
    legend: dict = {}
    kind, _, ref = (view.selected or "").partition(":")
    # With highlights, only they stand out; None leaves everything as drawn.
    focus = (lambda ids: frozenset(ids)) if view.dims_the_rest else (lambda ids: None)
    if "regions" in view.layers:
        groups.append(
            boundary_layer.build(
                view.regions,
                prefix="region",
                title="Regions",
                labelled=True,
                selected=ref if kind == "region" else None,
                highlighted=focus(()),
            )
        )
        areas += _areas(view.regions)
    if "boundaries" in view.layers:
        groups.append(
            boundary_layer.build(
                view.boundaries,
                selected=ref if kind == "boundary" else None,
                highlighted=focus(view.highlight.boundaries),
            )
        )
        areas += _areas(view.boundaries)
    legend["areas"] = areas
    if "routes" in view.layers:
        groups.append(route_layer.build(view.routes))
        legend["show_routes"] = not view.routes.empty
    places_drawn: set[str] = set()
    if "places" in view.layers:
        groups.append(
            place_layer.build(
                view.places, selected=ref if kind == "place" else None, highlighted=focus(view.highlight.places)
            )
        )
        places_drawn = set(view.places.loc[view.places["kind"].isin(LABELLED_KINDS), "id"])
        legend["show_places"] = True
    if "events" in view.layers:
        events = view.events
        groups.append(
            event_layer.build(
                events, selected=ref if kind == "event" else None, highlighted=focus(view.highlight.events)
            )
        )
        legend.update(
            event_types=set(events["type"]),
            group_families={group_family(g) for g in events["leading_groups"]},
            show_halo=bool(events["location_precision"].isin(list(PRECISION_HALO_METRES)).any()),
        )
    if "towns" in view.layers:
        groups.append(town_layer.build(view.towns))
        legend["show_towns"] = True
    names = _highlighted_names(view, places_drawn)
    if names is not None:
        groups.append(names)
    legend["show_highlight"] = view.dims_the_rest
    return groups, legend
