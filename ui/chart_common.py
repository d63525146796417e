"""What the analysts' charts share: shapes that carry meaning beside colour, dates written for
people, every mark's citations, and one text style."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from geo.charts_data import NOT_RECORDED
from geo.stats import NO_GROUP, OTHER_GROUPS
from style import CHART_NONE_COLOUR, CHART_OTHER_COLOUR, chart_group_colours
from view import Names

if TYPE_CHECKING:  # altair is imported by the chart tabs when they are opened, not with the page
    import altair as alt

# The parameter a page reads back (st.altair_chart(..., on_select="rerun")) to filter the map.
GROUP_SELECTION = "lineage_group"

# Shapes carry the same meaning as the colours (Vega-Lite symbol names).
OUTCOME_SHAPES = {
    "released": "circle",
    "killed": "cross",
    "escaped": "triangle-up",
    "mixed": "diamond",
    NOT_RECORDED: "square",
}
STATUS_SHAPES = {"demanded": "triangle-up", "paid": "circle", "reported": "diamond"}
RELATION_SHAPES = {
    "renamed-from": "diamond",
    "split-from": "triangle-down",
    "formed-from": "triangle-up",
    "merged-into": "square",
    "allied-with": "circle",
    "rival-of": "cross",
    "subordinate-to": "triangle-right",
}
_NEUTRAL_COLOURS = {OTHER_GROUPS: CHART_OTHER_COLOUR, NO_GROUP: CHART_NONE_COLOUR}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FONT = 13


def citations_text(citations, names: Names) -> str:
    """'Reuters, 12 Aug 2010: “locator”; ...': each report by its short label, with the locator."""
    return "; ".join(f"{names.sources.get(c['source'], c['source'])}: “{c['locator']}”" for c in citations or [])


def when(date, precision: str = "day") -> str:
    """A date as precisely as it is known: '12 Sep 2010', 'Sep 2010', '2010', 'c. 2010'."""
    if date is None or (isinstance(date, float) and pd.isna(date)):
        return "not recorded"
    date = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date)[:10])
    month = f"{MONTHS[date.month - 1]} {date.year}"
    return {"day": f"{date.day} {month}", "month": month, "season": f"c. {month}", "year": str(date.year)}.get(
        precision, f"c. {month}"
    )


def iso(date) -> str | None:
    return None if date is None else str(date)[:10]


def styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Type large enough to read on a wall screen, as the dashboard's chart."""
    return (
        chart.configure_axis(labelFontSize=FONT, titleFontSize=FONT)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT, symbolSize=140, labelLimit=320, titleLimit=0)
        .configure_title(fontSize=FONT + 5, subtitleFontSize=FONT, anchor="start")
        .configure_view(strokeWidth=0)
    )


def group_colours(groups: list[str], group_names: dict[str, str]) -> list[str]:
    """Each group shown (by its display name) in its family's colour on the map; 'other' and 'none' in greys."""
    ids = {name: group_id for group_id, name in group_names.items()}
    named = iter(chart_group_colours([ids.get(group, group) for group in groups if group not in _NEUTRAL_COLOURS]))
    return [_NEUTRAL_COLOURS[group] if group in _NEUTRAL_COLOURS else next(named) for group in groups]
