"""The dashboard map's layers for every year, built once for what they draw and kept for the session.

The map is sent the reports' events of every year the other filters allow, and the slider
in it filters them by time (layers/time_filter.js). So a run after the hand is lifted, a
row picked in the table or a click on a tab changes nothing these layers draw: they are
kept, with the spans the slider needs, until the filters, the layers, the selection or the
boundary year chosen change. Each run draws a copy (streamlit-folium renames a layer's parts
as it renders it into the run's map; a copy takes a tenth of the time of building), and
they are kept per session: two sessions' runs may render at once.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import streamlit as st

from layers import time_filter
from layers.view_layers import view_layers
from ui.data import atlas_context
from ui.state import DashboardState
from view import MapView, map_view

__all__ = ["EveryYearLayers", "every_year_layers"]

_KEPT = "every_year_layers"  # session state: (what they were built for, the layers)


@dataclass(frozen=True)
class EveryYearLayers:
    """The view of every year, its layers in drawing order, their legend, and the slider's spans."""

    view: MapView
    groups: tuple
    legend: dict
    spans: dict


def every_year_layers(map_filter, map_events, state: DashboardState) -> EveryYearLayers:
    """The layers of ``map_events`` (every year ``map_filter`` allows), built only when what they draw
    changed; a copy of them, for this run's map."""
    context = atlas_context()
    key = (id(context), map_filter, state.layers, state.selected, state.boundary_year)
    kept = st.session_state.get(_KEPT)
    if kept is None or kept[0] != key:
        view = map_view(
            context,
            state.event_filter(),
            layers=state.layers,
            boundary_year=state.boundary_year,
            selected=state.selected,
            events=map_events,
            every_year=True,
        )
        groups, legend = view_layers(view)
        kept = (key, EveryYearLayers(view=view, groups=tuple(groups), legend=legend, spans=time_filter.spans(view)))
        st.session_state[_KEPT] = kept
    return replace(kept[1], groups=_copy_sharing_data(kept[1].groups))


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
