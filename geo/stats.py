"""Counts behind the charts, as plain tables that can be checked without drawing anything.

An event that runs over several years (a camp, an alliance, a captivity) counts
in each year it spans, so a chart of 2008-2010 shows what was going on in those
years, not only what began in them.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["OTHER_GROUPS", "NO_GROUP", "years_spanned", "events_by_year_and_group"]

OTHER_GROUPS = "Other groups"
NO_GROUP = "None named"


def years_spanned(event, year_from: int, year_to: int) -> range:
    """The years from ``year_from`` to ``year_to`` that the event overlaps (maybe none)."""
    return range(max(int(event.year_start), year_from), min(int(event.year_end), year_to) + 1)


def _first_group(group_ids, group_names: dict[str, str]) -> str:
    # One group per event keeps a year's bar as tall as its number of events.
    return group_names.get(group_ids[0], group_ids[0]) if len(group_ids) else NO_GROUP


def _most_frequent(groups: pd.Series, top: int) -> list[str]:
    """The ``top`` named groups with the most event-years, most frequent first (ties by name)."""
    counts = groups[groups != NO_GROUP].value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    return [group for group, _ in ranked[:top]]


def events_by_year_and_group(
    events: pd.DataFrame, year_from: int, year_to: int, *, top: int = 10, group_names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Events in each year of ``year_from``-``year_to``, by group: columns Year, Group, Events.

    Each event counts once in every year of the range it overlaps (``year_start`` to
    ``year_end``), under the first group that carried it out (see geo.catalog.leading_groups) (``group_names`` maps group ids to
    display names), or under :data:`NO_GROUP` if it names none. The ``top`` most
    frequent groups keep their names; the rest are summed as :data:`OTHER_GROUPS`.
    Every year of the range and every group shown has a row, zero included; rows go
    by year, then by group: most frequent first, then ``NO_GROUP``, then ``OTHER_GROUPS``.
    """
    if year_from > year_to:
        raise ValueError(f"year_from should not be after year_to, got {year_from} and {year_to}")
    group_names = group_names or {}
    # The group that carried it out where the roles say (geo.catalog.leading_groups); else the first named.
    leading = events["leading_groups"] if "leading_groups" in events.columns else events["groups"]
    frame = events[["year_start", "year_end"]].assign(groups=list(leading))
    rows = [
        (year, _first_group(event.groups, group_names))
        for event in frame.itertuples(index=False)
        for year in years_spanned(event, year_from, year_to)
    ]
    counted = pd.DataFrame(rows, columns=["Year", "Group"])
    shown = _most_frequent(counted["Group"], top)
    counted.loc[~counted["Group"].isin([*shown, NO_GROUP]), "Group"] = OTHER_GROUPS
    order = shown + [group for group in (NO_GROUP, OTHER_GROUPS) if group in set(counted["Group"])]
    every_cell = pd.MultiIndex.from_product([range(year_from, year_to + 1), order], names=["Year", "Group"])
    counts = counted.groupby(["Year", "Group"]).size().reindex(every_cell, fill_value=0)
    return counts.rename("Events").reset_index()
