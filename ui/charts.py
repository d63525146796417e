"""The table, the chart and the disagreements list shown under the map."""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.catalog import Atlas
from ui.details import Names, disagreement_html

__all__ = ["event_table", "events_per_year", "disagreements_html"]

_MAX_GROUPS_IN_CHART = 10


def event_table(events: pd.DataFrame, names: Names) -> pd.DataFrame:
    """One row per event with readable names and its sources with locators."""
    def sources(citations):
        return "; ".join(f"{names.sources.get(c['source'], c['source'])}: “{c['locator']}”" for c in citations)

    return pd.DataFrame({
        "Date": events["date_start"],
        # Long-running events (camps, alliances) show in every year they span.
        "Until": events["date_end"].where(events["date_end"] != events["date_start"], ""),
        "Precision": events["date_precision"],
        "Type": events["type_label"],
        "Event": events["title"],
        "Place": events["place_name"],
        "Groups": events["groups"].map(lambda ids: ", ".join(names.groups.get(g, g) for g in ids)),
        "People": events["people"].map(lambda ids: ", ".join(names.people.get(p, p) for p in ids)),
        "Sources": events["sources"].map(sources),
    })


def events_per_year(events: pd.DataFrame, names: Names) -> alt.Chart:
    """Stacked bars: events per year by group (the most frequent groups, the rest as 'Other')."""
    rows = events[["id", "year_start", "groups"]].explode("groups")
    rows["Group"] = rows["groups"].map(lambda g: names.groups.get(g, "None named") if isinstance(g, str) else "None named")
    top = rows["Group"].value_counts().index[:_MAX_GROUPS_IN_CHART]
    rows.loc[~rows["Group"].isin(top), "Group"] = "Other groups"
    counts = rows.groupby(["year_start", "Group"])["id"].nunique().reset_index(name="Events")
    counts["Year"] = counts["year_start"].astype(int).astype(str)
    return (alt.Chart(counts, title="Events per year by group (an event counts once for each group involved)")
            .mark_bar()
            .encode(x=alt.X("Year:O", title=None), y=alt.Y("Events:Q"),
                    color=alt.Color("Group:N", legend=alt.Legend(orient="right")),
                    tooltip=["Year", "Group", "Events"])
            .properties(height=320))


def disagreements_html(atlas: Atlas, names: Names) -> str:
    """Every disagreement and corrected error, each claim with its source side by side."""
    rows = list(atlas.disagreements.itertuples(index=False))
    if not rows:
        return "<p>No disagreements recorded.</p>"
    return ("<div class='atlas-details'>" + "".join(disagreement_html(row, names) for row in rows) + "</div>")
