"""Events per year by type and by group, with how many of them the reports dispute."""

from __future__ import annotations

import pandas as pd

from geo.schema import EVENT_TYPES
from geo.stats import OTHER_GROUPS, events_by_year_and_group, years_spanned

__all__ = ["disputed_event_ids", "events_per_year_by_type", "disputed_events_by_year_and_group"]


def disputed_event_ids(disagreements: pd.DataFrame | None) -> set[str]:
    """Events a disagreement, an error or an interpretation in disagreements.yaml bears on."""
    if disagreements is None or disagreements.empty or "event" not in disagreements.columns:
        return set()
    return {event for event in disagreements["event"] if isinstance(event, str)}


def events_per_year_by_type(
    events: pd.DataFrame, year_from: int, year_to: int, disagreements: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Events in each year of ``year_from``-``year_to`` by type: Year, Type, Type label, Events, Disputed.

    Each event counts once in every year of the range it overlaps, as in
    :func:`geo.stats.events_by_year_and_group`. ``Disputed`` counts those of them a record of
    ``disagreements`` bears on (0 without it). Every year and every type present has a row,
    zero included; types go in the schema's order.
    """
    if year_from > year_to:
        raise ValueError(f"year_from should not be after year_to, got {year_from} and {year_to}")
    disputed = disputed_event_ids(disagreements)
    rows = [
        (year, event.type, event.id in disputed)
        for event in events[["id", "type", "year_start", "year_end"]].itertuples(index=False)
        for year in years_spanned(event, year_from, year_to)
    ]
    counted = pd.DataFrame(rows, columns=["Year", "Type", "Disputed"])
    present = set(counted["Type"])
    types = [kind for kind in EVENT_TYPES if kind in present] + sorted(present - set(EVENT_TYPES))
    every_cell = pd.MultiIndex.from_product([range(year_from, year_to + 1), types], names=["Year", "Type"])
    grouped = counted.groupby(["Year", "Type"])["Disputed"]
    table = pd.DataFrame({"Events": grouped.size(), "Disputed": grouped.sum()}).reindex(every_cell, fill_value=0)
    table = table.astype(int).reset_index()
    table.insert(2, "Type label", table["Type"].map(lambda kind: EVENT_TYPES.get(kind, kind)))
    return table


def disputed_events_by_year_and_group(
    events: pd.DataFrame,
    year_from: int,
    year_to: int,
    disagreements: pd.DataFrame | None,
    *,
    top: int = 10,
    group_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """:func:`geo.stats.events_by_year_and_group` with a ``Disputed`` column: of which disputed.

    The disputed events are counted under the same groups as the whole (a group folded
    into 'Other groups' in the whole is folded there too).
    """
    counts = events_by_year_and_group(events, year_from, year_to, top=top, group_names=group_names)
    disputed = disputed_event_ids(disagreements)
    subset = events[events["id"].isin(disputed)]
    counts["Disputed"] = 0
    if subset.empty:
        return counts
    # Count the subset with every group kept, then fold into the whole's groups.
    sub = events_by_year_and_group(subset, year_from, year_to, top=len(events), group_names=group_names)
    shown = set(counts["Group"])
    sub["Group"] = sub["Group"].where(sub["Group"].isin(shown), OTHER_GROUPS)
    folded = sub.groupby(["Year", "Group"])["Events"].sum()
    counts["Disputed"] = [int(folded.get((year, group), 0)) for year, group in zip(counts["Year"], counts["Group"])]
    return counts
