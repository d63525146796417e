"""The dashboard's side of the map's time slider (layers/time_filter.py).

The map gets the events of every year the other filters allow and filters them by time
itself; the page runs once when the hand is lifted (or Play pauses), with the range the map
sends as it sends a click. That range is read here, at the top of the run, before the years
widget is drawn, so the run that follows is the only one.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from geo.filters import EventFilter

__all__ = ["MAP_KEY", "take_range_from_map", "every_year", "in_years"]

MAP_KEY = "atlas-map"  # the map's widget key: its value holds what the map last sent


def take_range_from_map(first_year: int, last_year: int) -> bool:
    """Put the range the map sent (once per release) into the years widget; True when it did."""
    sent = ((st.session_state.get(MAP_KEY) or {}).get("last_active_drawing") or {}).get("properties") or {}
    if sent.get("action") != "time-range" or sent.get("at") == st.session_state.get("time_range_at"):
        return False
    st.session_state.time_range_at = sent.get("at")
    try:
        low, high = (int(year) for year in sent.get("years"))
    except (TypeError, ValueError):
        return False
    low, high = max(first_year, min(low, last_year)), max(first_year, min(high, last_year))
    if low > high:
        return False
    st.session_state.years = (low, high)
    return True


def every_year(event_filter: EventFilter) -> EventFilter:
    """The filter without its years: what the map is sent, for the slider to filter in the browser."""
    return replace(event_filter, year_from=None, year_to=None)


def in_years(events, event_filter: EventFilter):
    """The rows of ``events`` (all years) inside ``event_filter``'s years, in their order."""
    if events is None:
        return None
    years = EventFilter(year_from=event_filter.year_from, year_to=event_filter.year_to)
    return events[years.mask(events)]
