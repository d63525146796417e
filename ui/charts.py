"""The table, the chart and the disagreements list shown under the map."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from geo.catalog import Atlas
from geo.filters import disagreements_about
from geo.stats import events_by_year_and_group
from style import CHART_GROUP_COLOURS as GROUP_COLOURS
from ui.chart_common import group_colours
from ui.details import disagreement_html, with_roles
from view import Names

if TYPE_CHECKING:
    import altair as alt

__all__ = [
    "EVENT_TABLE_COLUMNS",
    "event_table_rows",
    "event_table",
    "events_per_year",
    "disagreements_html",
    "disagreement_counts",
]


# The event table's columns, for the reports' events and imported ones alike (imported rows
# add their dataset in front).
EVENT_TABLE_COLUMNS = ("Date", "Until", "Precision", "Type", "Event", "Place", "Groups", "People", "Sources")


def event_table_rows(events: pd.DataFrame, groups, people, sources) -> pd.DataFrame:
    """``events`` in the event table's columns, with ``groups``, ``people`` and ``sources`` as the caller writes them."""
    # Long-running events (camps, alliances) show in every year they span.
    until = events["date_end"].where(events["date_end"] != events["date_start"], "")
    values = (
        events["date_start"],
        until,
        events["date_precision"],
        events["type_label"],
        events["title"],
        events["place_name"],
        groups,
        people,
        sources,
    )
    return pd.DataFrame(dict(zip(EVENT_TABLE_COLUMNS, values, strict=True)))


def event_table(events: pd.DataFrame, names: Names) -> pd.DataFrame:
    """One row per event with readable names and its sources with locators."""

    def sources(citations):
        return "; ".join(f"{names.sources.get(c['source'], c['source'])}: “{c['locator']}”" for c in citations)

    return event_table_rows(
        events,
        groups=[with_roles(ids, roles, names.groups) for ids, roles in zip(events["groups"], events["roles"])],
        people=[with_roles(ids, roles, names.people) for ids, roles in zip(events["people"], events["roles"])],
        sources=events["sources"].map(sources),
    )


def events_per_year(
    events: pd.DataFrame, names: Names, year_from: int | None = None, year_to: int | None = None
) -> alt.Chart:
    """Stacked bars over every year of the range: events by group, the most frequent groups in colour.

    The range is the filter's years; without them, the years the events span.
    """
    import altair as alt  # only when the chart is drawn: the table needs no altair

    year_from = int(events["year_start"].min()) if year_from is None else year_from
    year_to = int(events["year_end"].max()) if year_to is None else year_to
    counts = events_by_year_and_group(events, year_from, year_to, top=len(GROUP_COLOURS), group_names=names.groups)
    groups = list(dict.fromkeys(counts["Group"]))
    counts["Stack"] = counts["Group"].map(groups.index)  # stack in legend order
    title = alt.Title(
        f"Events per year by group, {year_from}–{year_to}"
        if year_from != year_to
        else f"Events in {year_from} by group",
        subtitle="An event counts in every year it spans, under the group that carried it out (for a state's act, the state).",
    )
    return (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(
            x=alt.X(
                "Year:O",
                title=None,
                axis=alt.Axis(labelAngle=0),
                scale=alt.Scale(domain=list(range(year_from, year_to + 1))),
            ),
            y=alt.Y("Events:Q", title="Events"),
            color=alt.Color(
                "Group:N",
                sort=groups,
                legend=alt.Legend(orient="right"),
                scale=alt.Scale(domain=groups, range=group_colours(groups, names.groups)),
            ),
            order=alt.Order("Stack:Q"),
            tooltip=["Year", "Group", "Events"],
        )
        .properties(height=320)
    )


def _shown_disagreements(atlas: Atlas, events: pd.DataFrame | None) -> pd.DataFrame:
    return atlas.disagreements if events is None else disagreements_about(atlas.disagreements, events)


def disagreement_counts(atlas: Atlas, events: pd.DataFrame | None = None) -> tuple[int, int]:
    """(shown, total): how many disagreements bear on ``events`` (all when None), of how many."""
    return len(_shown_disagreements(atlas, events)), len(atlas.disagreements)


def disagreements_html(atlas: Atlas, names: Names, events: pd.DataFrame | None = None) -> str:
    """Disagreements and corrected errors, each claim with its source side by side.

    With ``events`` (the events shown), only those bearing on one of them; without, every one.
    """
    rows = list(_shown_disagreements(atlas, events).itertuples(index=False))
    if not rows:
        return (
            "<p>No disagreements recorded.</p>"
            if events is None
            else "<p>No disagreements bear on the events shown.</p>"
        )
    return "<div class='atlas-details'>" + "".join(disagreement_html(row, names) for row in rows) + "</div>"
