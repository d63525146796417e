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

__all__ = ["MAP_KEY", "take_range_from_map", "map_drawn", "chosen_dates", "every_year", "in_years"]

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
    # Steps finer than a year (imported data): the days are kept, and the link holds them.
    dates = (str(sent.get("from")), str(sent.get("to")))
    st.session_state.time_dates = None if sent.get("whole") else dates
    return True


def map_drawn() -> bool:
    """Whether this session's map has drawn its first marks: it says so once (layers/time_filter.js),
    and what lies under the map waits for it, so that the browser draws the map first."""
    # Anything the map sent (a click, a range) says it was drawn: a click may come before the run
    # that reads its message.
    if (st.session_state.get(MAP_KEY) or {}).get("last_active_drawing"):
        st.session_state.map_drawn = True
    return bool(st.session_state.get("map_drawn"))


def chosen_dates(years) -> tuple[str, str] | None:
    """The days the map's slider chose within ``years``; None once the years were changed otherwise."""
    dates = st.session_state.get("time_dates")
    if not dates:
        return None
    try:
        within = (int(dates[0][:4]), int(dates[1][:4])) == tuple(years)
    except (TypeError, ValueError):
        within = False
    return tuple(dates) if within else None


def every_year(event_filter: EventFilter) -> EventFilter:
    """The filter without its years: what the map is sent, for the slider to filter in the browser."""
    return replace(event_filter, year_from=None, year_to=None)


def in_years(events, event_filter: EventFilter, dates: tuple[str, str] | None = None):
    """The rows of ``events`` (all years) inside ``event_filter``'s years, in their order; with ``dates``
    (first and last day, ISO), those whose days overlap them (events without days: by their years)."""
    if events is None:
        return None
    years = EventFilter(year_from=event_filter.year_from, year_to=event_filter.year_to)
    keep = years.mask(events)
    if dates and {"date_start", "date_end"} <= set(events.columns):
        start, end = events["date_start"], events["date_end"].fillna(events["date_start"])
        dated = start.notna()
        keep &= ~dated | ((end.astype("string") >= dates[0]) & (start.astype("string") <= dates[1])).fillna(False)
    return events[keep]
