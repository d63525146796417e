"""The line over the map that says what is shown: the reports' years apart from the user's data.

With imported data reaching 2020, the year range reaches 2020 too; but the reports stop
at their last year, and a headline saying "151 events, up to 2020" of the reports'
events would claim years they do not cover. The reports' part names their own years;
the imported part follows.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from geo.filters import EventFilter, summary_line

__all__ = ["reports_filter", "headline"]


def reports_filter(event_filter: EventFilter, reports_last_year: int) -> EventFilter:
    """``event_filter`` with its years cut to those the reports cover (a range wholly after them is kept)."""
    low, high = event_filter.year_from, event_filter.year_to
    if high is None or high <= reports_last_year or (low is not None and low > reports_last_year):
        return event_filter
    return replace(event_filter, year_to=reports_last_year)


def headline(
    shown_events: pd.DataFrame,
    event_filter: EventFilter,
    names: dict[str, str],
    reports_last_year: int,
    imported_count: int | None = None,
) -> str:
    """'151 events, up to 2013 · and 2,730 of your imported events'."""
    line = summary_line(shown_events, reports_filter(event_filter, reports_last_year), names)
    if imported_count is not None:
        line += f" · and {imported_count:,} of your imported events"
    return line
