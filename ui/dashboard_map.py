"""What the dashboard's map is made of, built once per filter for every session of the server.

The map is sent the reports' events of every year the other filters allow, and the slider
in it filters them by time (layers/time_filter.js). So a run after the hand is lifted, a
row picked in the table or a click on a tab changes nothing these layers draw: they are
kept, with the spans the slider needs, until the filters, the layers, the selection or the
boundary year chosen change. They are kept for the whole server, not per session: twenty
people on the same filters share one build, and each run draws a copy (streamlit-folium
renames a layer's parts as it renders it into the run's map; a copy takes a tenth of the
time of building, and two sessions may render at once).

What is kept here is shared: read it, never change it in place.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import streamlit as st

from geo.filters import EventFilter, events_matching
from layers import time_filter
from layers.view_layers import view_layers
from ui import time_slider
from ui.data import atlas_context, atlas_data
from ui.state import DashboardState
from view import MapView, map_view

__all__ = ["EveryYearLayers", "curated_events", "curated_events_in_range", "range_view", "every_year_layers"]

# Filters kept at once: a team's ranges and choices; each entry is a few hundred rows or layers.
FILTERS_KEPT = 128


@dataclass(frozen=True)
class EveryYearLayers:
    """The view of every year, its layers in drawing order, their legend, and the slider's spans."""

    view: MapView
    groups: tuple
    legend: dict
    spans: dict


@st.cache_resource(max_entries=FILTERS_KEPT, show_spinner=False)
def curated_events(event_filter: EventFilter):
    """The reports' events passing ``event_filter`` (its groups widened as it asks)."""
    atlas = atlas_data()
    return events_matching(atlas.events, event_filter, atlas.groups)


@st.cache_resource(max_entries=FILTERS_KEPT, show_spinner=False)
def curated_events_in_range(event_filter: EventFilter):
    """The reports' events of ``event_filter``'s years: those of every year, then their range."""
    return time_slider.in_years(curated_events(time_slider.every_year(event_filter)), event_filter)


@st.cache_resource(max_entries=FILTERS_KEPT, show_spinner=False)
def range_view(
    event_filter: EventFilter, layers: tuple, boundary_year: int | None, selected: str | None, _events
) -> MapView:
    """The view of the chosen range (the legend, the details, the downloads read it).

    ``_events`` are the events ``event_filter`` shows; they follow from it, so they are not part
    of the key.
    """
    return map_view(
        atlas_context(), event_filter, layers=layers, boundary_year=boundary_year, selected=selected, events=_events
    )


@st.cache_resource(max_entries=FILTERS_KEPT // 4, show_spinner=False)
def _every_year_layers(
    map_filter: EventFilter, event_filter: EventFilter, layers: tuple, selected, boundary_year, _map_events
) -> EveryYearLayers:
    view = map_view(
        atlas_context(),
        event_filter,
        layers=layers,
        boundary_year=boundary_year,
        selected=selected,
        events=_map_events,
        every_year=True,
    )
    groups, legend = view_layers(view)
    return EveryYearLayers(view=view, groups=tuple(groups), legend=legend, spans=time_filter.spans(view))


def every_year_layers(map_filter, map_events, state: DashboardState) -> EveryYearLayers:
    """The layers of ``map_events`` (every year ``map_filter`` allows), built only when what they draw
    changed; a copy of them, for this run's map."""
    event_filter = time_slider.every_year(state.event_filter())  # the years are the browser's
    kept = _every_year_layers(map_filter, event_filter, state.layers, state.selected, state.boundary_year, map_events)
    return replace(kept, groups=_copy_sharing_data(kept.groups))


def _copy_sharing_data(groups: tuple) -> tuple:
    """The layers copied, their GeoJSON shared: rendering reads it and never changes it."""
    shared: dict = {}
    todo = list(groups)
    while todo:
        element = todo.pop()
        data = getattr(element, "data", None)
        if isinstance(data, (dict, list)):
            shared[id(data)] = data
        todo.extend(getattr(element, "_children", {}).values())
    return copy.deepcopy(groups, shared)
