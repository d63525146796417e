"""The analysts' charts: group lineage, the kidnapping economy, events by type; PNG and SVG export.

Pure functions from the tables of :mod:`geo.charts_data` to Altair charts (no Streamlit), so
a page, a test or a script draws the same thing. Every mark's tooltip names its reports
(short label and locator, as the details panel does); colours come from
:mod:`style`, and outcomes and statuses also differ by shape, so no meaning rests on
colour alone.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from geo.catalog import Atlas
from geo.charts_data import (
    RELATION_WORDS,
    disputed_events_by_year_and_group,
    events_per_year_by_type,
    lineage_leaders,
    lineage_relations,
    lineage_table,
)
from geo.schema import EVENT_TYPES
from style import (
    CHART_GROUP_COLOURS,
    CHART_OTHER_COLOUR,
    EVENT_TYPE_COLOURS,
    GROUP_FAMILIES,
    GROUP_RELATION_COLOURS,
    OTHER_FAMILY,
    chart_family_colour,
    group_family,
)
from ui.chart_common import GROUP_SELECTION, RELATION_SHAPES, citations_text, group_colours, iso, styled, when
from ui.kidnapping_charts import kidnapping_chart, ransom_chart
from view import Names

__all__ = [
    "GROUP_SELECTION",
    "lineage_chart",
    "kidnapping_chart",
    "ransom_chart",
    "events_by_type_chart",
    "events_by_group_chart",
    "chart_png",
    "chart_svg",
    "citations_text",
]

# --- 1. lineage -------------------------------------------------------------------------------------


def _family_colours(table: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Each group family in the colour of its outline on the map, in the catalogue's order."""
    families = [*GROUP_FAMILIES, OTHER_FAMILY]
    present = [family for family in families if family in set(table["family"])]
    return present, [chart_family_colour(family) for family in present]


def lineage_chart(
    atlas: Atlas,
    names: Names | None = None,
    year_from: int = 2003,
    year_to: int = 2013,
    *,
    width: int = 1100,
    selectable: bool = True,
) -> alt.LayerChart:
    """One bar per group of the GSPC/AQIM family and its neighbours over its active period.

    Renamings, splits, formations and mergers are connectors between the two bars at their
    date; alliances, rivalries and subordination are marks on the bar; leaders by period are
    written under each bar. An open start is a faded stub before the first date the data gives
    the group, an open end a faded tail past ``year_to``. Every mark carries ``group`` (the
    group id); with ``selectable`` a click on a bar selects it (parameter
    :data:`GROUP_SELECTION`, field ``group``) for a page to filter the map by.
    """
    names = names or Names(atlas)
    table = lineage_table(atlas, year_from, year_to)
    table["family"] = [group_family([gid]) for gid in table["group"]]
    order = list(table["name"])
    range_start, range_end = dt.date(year_from, 1, 1), dt.date(year_to, 12, 31)
    tail_end = dt.date(year_to + 1, 6, 30)  # room for the faded 'still active' tails
    families, family_colours = _family_colours(table)

    bars = pd.DataFrame(
        {
            "group": table["group"],
            "Group": table["name"],
            "Name": table["full_name"],
            "family": table["family"],
            "Kind": table["kind"],
            "Part of": [names.groups.get(p, p) if p else "" for p in table["parent"]],
            "start": [
                iso(r.drawn_start + dt.timedelta(days=180)) if _stub_inside_bar(r, range_start) else iso(r.drawn_start)
                for r in table.itertuples(index=False)
            ],
            "end": table["drawn_end"].map(iso),
            "Active": [
                f"{when(r.active_start, r.precision)} – "
                f"{when(r.active_end, r.precision) if r.end_known else 'open'}"
                + (f" (precision: {r.precision})" if r.precision != "day" else "")
                for r in table.itertuples(index=False)
            ],
            "Open ends": [
                "; ".join(note for note in (r.open_start_note, r.open_end_note) if isinstance(note, str))
                or "both ends recorded"
                for r in table.itertuples(index=False)
            ],
            "Sources": [citations_text(s, names) for s in table["sources"]],
        }
    )
    # Faded stubs where the data does not say when a group began or ended.
    stubs = []
    for r in table.itertuples(index=False):
        if not r.start_known:
            stub_start = max(range_start, r.drawn_start - dt.timedelta(days=365))
            stub_end = r.drawn_start + dt.timedelta(days=180) if _stub_inside_bar(r, range_start) else r.drawn_start
            stubs.append(
                {
                    "group": r.group,
                    "Group": r.name,
                    "family": r.family,
                    "start": iso(stub_start),
                    "end": iso(stub_end),
                    "Open end": r.open_start_note,
                }
            )
        if not r.end_known and r.open_end_note and "merger" not in r.open_end_note:
            stubs.append(
                {
                    "group": r.group,
                    "Group": r.name,
                    "family": r.family,
                    "start": iso(range_end),
                    "end": iso(tail_end),
                    "Open end": r.open_end_note,
                }
            )
    stubs = pd.DataFrame(stubs, columns=["group", "Group", "family", "start", "end", "Open end"])

    x = alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(domain=[iso(range_start), iso(tail_end)]),
        axis=alt.Axis(
            format="%Y", tickCount={"interval": "year", "step": 1}, grid=True, gridOpacity=0.35, orient="top"
        ),
    )
    y = alt.Y("Group:N", sort=order, title=None, axis=alt.Axis(labelFontWeight="bold", labelLimit=260))
    colour = alt.Color(
        "family:N",
        title="Group family",
        scale=alt.Scale(domain=families, range=family_colours),
        legend=alt.Legend(orient="bottom", columns=3),
    )
    pick = alt.selection_point(name=GROUP_SELECTION, fields=["group"], on="click", clear="dblclick")

    bar_layer = (
        alt.Chart(bars)
        .mark_bar(size=16, yOffset=-12, cornerRadius=2)
        .encode(
            x=x,
            x2="end:T",
            y=y,
            color=colour,
            tooltip=["Group", "Name", "Kind", "Part of", "Active", "Open ends", "Sources"],
        )
    )
    if selectable:
        bar_layer = bar_layer.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)))
    stub_layer = (
        alt.Chart(stubs)
        .mark_bar(size=16, yOffset=-12, opacity=0.25, strokeDash=[3, 2], strokeWidth=1)
        .encode(
            x=x,
            x2="end:T",
            y=y,
            color=alt.Color("family:N", scale=alt.Scale(domain=families, range=family_colours), legend=None),
            stroke=alt.Color("family:N", legend=None, scale=alt.Scale(domain=families, range=family_colours)),
            tooltip=["Group", "Open end"],
        )
    )

    # Leaders: a thin line and the name under the bar, one line per overlapping leader.
    leaders = lineage_leaders(table, year_from, year_to)
    leaders = leaders.sort_values(["group", "drawn_start"], kind="stable").reset_index(drop=True)
    leaders["lane"] = _lanes(leaders)
    leader_rows = pd.DataFrame(
        {
            "group": leaders["group"],
            "Group": leaders["group_name"],
            "Leader": leaders["name"],
            "Role": leaders["role"],
            "Period": [
                f"{when(r.start, r.precision)} – {when(r.end, r.precision) if r.end else 'open'}"
                for r in leaders.itertuples(index=False)
            ],
            "start": leaders["drawn_start"].map(iso),
            "end": leaders["drawn_end"].map(iso),
            "lane": leaders["lane"],
            "Sources": [citations_text(s, names) for s in leaders["sources"]],
        }
    )
    leader_layers = []
    for lane in sorted(set(leader_rows["lane"])):
        rows = leader_rows[leader_rows["lane"] == lane]
        offset = 2 + 12 * lane
        tooltip = ["Leader", "Role", "Group", "Period", "Sources"]
        leader_layers.append(
            alt.Chart(rows)
            .mark_rule(yOffset=offset, strokeWidth=2, color="#555555")
            .encode(x=x, x2="end:T", y=y, tooltip=tooltip)
        )
        # A name starting near the right edge is written back from its line's end, so it is never cut.
        near_the_edge = rows["start"] > iso(tail_end - dt.timedelta(days=2 * 365))
        for part, align, at, dx in ((rows[~near_the_edge], "left", x, 2), (rows[near_the_edge], "right", "end:T", -2)):
            if len(part):
                leader_layers.append(
                    alt.Chart(part)
                    .mark_text(yOffset=offset + 6, align=align, baseline="middle", dx=dx, fontSize=11, color="#333333")
                    .encode(x=at, y=y, text="Leader:N", tooltip=tooltip)
                )

    # Relations: connectors for the lineage, marks for the ties, each with its reports.
    relations = lineage_relations(table)
    relations["nth"] = relations.groupby(["group", "date"]).cumcount()
    relation_rows = pd.DataFrame(
        {
            "group": relations["group"],
            "Group": relations["name"],
            "Other": relations["other_name"],
            "other_group": relations["other"],
            "kind": relations["kind"],
            "Relation": [
                f"{r.name} {RELATION_WORDS[r.kind]} {r.other_name}" for r in relations.itertuples(index=False)
            ],
            "When": [when(d, p) for d, p in zip(relations["date"], relations["precision"])],
            # Marks at the same spot are set side by side; the tooltip keeps the true date.
            "at": [iso(d + dt.timedelta(days=int(40 * n))) for d, n in zip(relations["date"], relations["nth"])],
            "Note": relations["note"].fillna(""),
            "lineage": relations["lineage"],
            "Sources": [citations_text(s, names) for s in relations["sources"]],
        }
    )
    kinds = [kind for kind in RELATION_WORDS if kind in set(relation_rows["kind"])]
    kind_legend = alt.Legend(
        title="Relation (on the group that holds it)",
        orient="bottom",
        columns=4,
        labelExpr="replace(datum.label, '-', ' ')",
    )
    relation_tooltip = ["Relation", "When", "Note", "Sources"]
    connectors = (
        alt.Chart(relation_rows[relation_rows["lineage"]])
        .mark_rule(strokeWidth=2, strokeDash=[4, 2], yOffset=-12)
        .encode(
            x=alt.X("at:T"),
            y=y,
            y2=alt.Y2("Other:N"),
            color=alt.Color(
                "kind:N", scale=alt.Scale(domain=kinds, range=[GROUP_RELATION_COLOURS[k] for k in kinds]), legend=None
            ),
            tooltip=relation_tooltip,
        )
    )
    marks = (
        alt.Chart(relation_rows)
        .mark_point(filled=True, size=150, yOffset=-12, stroke="white", strokeWidth=1, opacity=1)
        .encode(
            x=alt.X("at:T"),
            y=y,
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=[GROUP_RELATION_COLOURS[k] for k in kinds]),
                legend=kind_legend,
            ),
            shape=alt.Shape(
                "kind:N", scale=alt.Scale(domain=kinds, range=[RELATION_SHAPES[k] for k in kinds]), legend=kind_legend
            ),
            tooltip=relation_tooltip,
        )
    )

    title = alt.Title(
        f"The GSPC/AQIM family and its neighbours, {year_from}–{year_to}",
        subtitle=[
            "Bars: active period as curated. Faded: where the start or end is not recorded "
            "(drawn from the first date the data gives the group, or past "
            f"{year_to} for a group still active). Lines under a bar: its leaders.",
            "Dashed connectors: renamings, splits, formations and mergers. "
            "Hover for dates and reports; click a bar to pick a group.",
        ],
    )
    chart = alt.layer(stub_layer, bar_layer, *leader_layers, connectors, marks, title=title).resolve_scale(
        color="independent", shape="independent"
    )
    return styled(chart.properties(width=width, height=alt.Step(60)))


def _stub_inside_bar(row, range_start: dt.date) -> bool:
    """An open start at the left edge has no room before the bar: its first half year is faded instead."""
    return not row.start_known and (row.drawn_start - range_start).days <= 90


def _lanes(leaders: pd.DataFrame) -> list[int]:
    """The line under its group's bar each leader is written on: overlapping periods go apart."""
    lanes: list[int] = []
    busy: dict[tuple[str, int], dt.date] = {}  # (group, lane) -> where the last name there ends
    for row in leaders.itertuples(index=False):
        lane = 0
        # A name needs about a year of room to be read; leave a line free until then.
        while (row.group, lane) in busy and busy[(row.group, lane)] > row.drawn_start:
            lane += 1
        busy[(row.group, lane)] = max(row.drawn_end, row.drawn_start + dt.timedelta(days=400))
        lanes.append(lane)
    return lanes


# --- 3. events per year by type and by group, with what is disputed ------------------------------------

_PARTS = ("not disputed", "disputed")


def _split_disputed(counts: pd.DataFrame, key: str) -> pd.DataFrame:
    """Each (year, key) count as two stacked parts: undisputed below, disputed above."""
    rows = []
    for row in counts.itertuples(index=False):
        row = row._asdict()
        for part, value in zip(_PARTS, (row["Events"] - row["Disputed"], row["Disputed"])):
            rows.append(
                {
                    "Year": row["Year"],
                    key: row[key],
                    "Part": part,
                    "Count": value,
                    "Events": row["Events"],
                    "Of which disputed": row["Disputed"],
                }
            )
    return pd.DataFrame(rows)


def _disputed_stack(
    parts: pd.DataFrame,
    key: str,
    domain: list[str],
    colours: list[str],
    title: alt.Title,
    year_from: int,
    year_to: int,
    legend_title: str,
) -> alt.LayerChart:
    parts = parts.copy()
    parts["Stack"] = [domain.index(value) * 2 + _PARTS.index(part) for value, part in zip(parts[key], parts["Part"])]
    years = list(range(year_from, year_to + 1))
    tooltip = ["Year", key, "Events", "Of which disputed"]
    # Above the chart: under a long list of groups on the right it ran past the chart's foot and was cut.
    part_legend = alt.Legend(orient="top", direction="horizontal", symbolFillColor="#888888", symbolType="square")
    bars = (
        alt.Chart(parts)
        .mark_bar()
        .encode(
            x=alt.X("Year:O", title=None, axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=years)),
            y=alt.Y("sum(Count):Q", title="Events"),
            color=alt.Color(
                f"{key}:N",
                sort=domain,
                title=legend_title,
                scale=alt.Scale(domain=domain, range=colours),
                legend=alt.Legend(orient="right"),
            ),
            opacity=alt.Opacity(
                "Part:N", title="Reports", scale=alt.Scale(domain=list(_PARTS), range=[1.0, 0.45]), legend=part_legend
            ),
            stroke=alt.Stroke(
                "Part:N",
                title="Reports",
                scale=alt.Scale(domain=list(_PARTS), range=["#ffffff", "#111111"]),
                legend=part_legend,
            ),
            strokeWidth=alt.StrokeWidth(
                "Part:N", title="Reports", scale=alt.Scale(domain=list(_PARTS), range=[0.5, 1.5]), legend=part_legend
            ),
            strokeDash=alt.StrokeDash(
                "Part:N",
                title="Reports",
                scale=alt.Scale(domain=list(_PARTS), range=[[1, 0], [3, 2]]),
                legend=part_legend,
            ),
            order=alt.Order("Stack:Q"),
            tooltip=tooltip,
        )
    )
    totals = (
        parts[parts["Part"] == "disputed"]
        .groupby("Year", as_index=False)["Count"]
        .sum()
        .rename(columns={"Count": "Disputed"})
        .merge(parts.groupby("Year", as_index=False)["Count"].sum().rename(columns={"Count": "Total"}))
    )
    totals["Label"] = [f"{t}" + (f" ({d} disputed)" if d else "") for t, d in zip(totals["Total"], totals["Disputed"])]
    labels = (
        alt.Chart(totals)
        .mark_text(dy=-8, fontSize=11, color="#333333")
        .encode(x=alt.X("Year:O", scale=alt.Scale(domain=years)), y="Total:Q", text="Label:N")
    )
    return alt.layer(bars, labels, title=title)


def events_by_type_chart(
    events: pd.DataFrame,
    disagreements: pd.DataFrame | None,
    year_from: int | None = None,
    year_to: int | None = None,
    *,
    width: int = 1100,
) -> alt.LayerChart:
    """Stacked bars of events per year by type, in the map's type colours; disputed parts hatched.

    An event counts in every year it spans. The part of each type's segment that a
    disagreement bears on is drawn faded with a dashed dark outline, and each bar is labelled
    with its total and how many of them are disputed.
    """
    year_from = int(events["year_start"].min()) if year_from is None else year_from
    year_to = int(events["year_end"].max()) if year_to is None else year_to
    counts = events_per_year_by_type(events, year_from, year_to, disagreements)
    counts["Type"] = counts["Type label"]
    kinds = [kind for kind in EVENT_TYPES if EVENT_TYPES[kind] in set(counts["Type"])]
    domain = [EVENT_TYPES[kind] for kind in kinds]
    colours = [EVENT_TYPE_COLOURS.get(kind, CHART_OTHER_COLOUR) for kind in kinds]
    title = alt.Title(
        f"Events per year by type, {year_from}–{year_to}",
        subtitle="An event counts in every year it spans. Faded with a dashed outline: events the "
        "reports disagree on (or one gets wrong).",
    )
    chart = _disputed_stack(
        _split_disputed(counts[["Year", "Type", "Events", "Disputed"]], "Type"),
        "Type",
        domain,
        colours,
        title,
        year_from,
        year_to,
        "Type",
    )
    return styled(chart.properties(width=width, height=380))


def events_by_group_chart(
    events: pd.DataFrame,
    names: Names,
    disagreements: pd.DataFrame | None,
    year_from: int | None = None,
    year_to: int | None = None,
    *,
    width: int = 1100,
) -> alt.LayerChart:
    """The dashboard's events-per-year-by-group chart with the disputed part of each segment marked."""
    year_from = int(events["year_start"].min()) if year_from is None else year_from
    year_to = int(events["year_end"].max()) if year_to is None else year_to
    counts = disputed_events_by_year_and_group(
        events, year_from, year_to, disagreements, top=len(CHART_GROUP_COLOURS), group_names=names.groups
    )
    groups = list(dict.fromkeys(counts["Group"]))
    colours = group_colours(groups, names.groups)
    title = alt.Title(
        f"Events per year by group, {year_from}–{year_to}",
        subtitle="An event counts in every year it spans, under the group that carried it out. Faded "
        "with a dashed outline: events the reports disagree on (or one gets wrong).",
    )
    chart = _disputed_stack(
        _split_disputed(counts, "Group"), "Group", groups, colours, title, year_from, year_to, "Group"
    )
    return styled(chart.properties(width=width, height=380))


# --- 4. export ---------------------------------------------------------------------------------------


def _spec(chart) -> dict:
    return chart.to_dict()


def chart_png(chart, *, scale: float = 1.0, ppi: int = 144) -> bytes:
    """The chart as a PNG, drawn offline by vl-convert (no browser, no network)."""
    import vl_convert

    return vl_convert.vegalite_to_png(_spec(chart), scale=scale, ppi=ppi)


def chart_svg(chart) -> str:
    """The chart as SVG text, drawn offline by vl-convert."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_spec(chart))
