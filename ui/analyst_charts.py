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
from geo.charts_data import (NOT_RECORDED, RELATION_WORDS, events_per_year_by_type,
                             disputed_events_by_year_and_group, hostage_outcomes, hostage_takings,
                             lineage_leaders, lineage_relations, lineage_table, ransom_disputes, ransoms)
from geo.schema import EVENT_TYPES
from geo.stats import NO_GROUP, OTHER_GROUPS
from style import (CHART_GROUP_COLOURS, CHART_NONE_COLOUR, CHART_OTHER_COLOUR, EVENT_TYPE_COLOURS,
                          GROUP_FAMILIES, GROUP_RELATION_COLOURS, HOSTAGE_OUTCOME_COLOURS, RANSOM_STATUS_COLOURS,
                          group_family)
from view import Names

__all__ = [
    "GROUP_SELECTION", "lineage_chart", "kidnapping_chart", "ransom_chart", "events_by_type_chart",
    "events_by_group_chart", "chart_png", "chart_svg", "citations_text",
]

# The parameter a page reads back (st.altair_chart(..., on_select="rerun")) to filter the map.
GROUP_SELECTION = "lineage_group"

# Shapes carry the same meaning as the colours (Vega-Lite symbol names).
OUTCOME_SHAPES = {"released": "circle", "killed": "cross", "escaped": "triangle-up", "mixed": "diamond",
                  NOT_RECORDED: "square"}
STATUS_SHAPES = {"demanded": "triangle-up", "paid": "circle", "reported": "diamond"}
RELATION_SHAPES = {"renamed-from": "diamond", "split-from": "triangle-down", "formed-from": "triangle-up",
                   "merged-into": "square", "allied-with": "circle", "rival-of": "cross",
                   "subordinate-to": "triangle-right"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FONT = 13


def citations_text(citations, names: Names) -> str:
    """'Reuters, 12 Aug 2010: “locator”; ...': each report by its short label, with the locator."""
    return "; ".join(f"{names.sources.get(c['source'], c['source'])}: “{c['locator']}”" for c in citations or [])


def _when(date, precision: str = "day") -> str:
    """A date as precisely as it is known: '12 Sep 2010', 'Sep 2010', '2010', 'c. 2010'."""
    if date is None or (isinstance(date, float) and pd.isna(date)):
        return "not recorded"
    date = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date)[:10])
    month = f"{_MONTHS[date.month - 1]} {date.year}"
    return {"day": f"{date.day} {month}", "month": month, "season": f"c. {month}", "year": str(date.year)}.get(
        precision, f"c. {month}")


def _iso(date) -> str | None:
    return None if date is None else str(date)[:10]


def _styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Type large enough to read on a wall screen, as the dashboard's chart."""
    return (chart.configure_axis(labelFontSize=_FONT, titleFontSize=_FONT)
            .configure_legend(labelFontSize=_FONT, titleFontSize=_FONT, symbolSize=140, labelLimit=320, titleLimit=0)
            .configure_title(fontSize=_FONT + 5, subtitleFontSize=_FONT, anchor="start")
            .configure_view(strokeWidth=0))


# --- 1. lineage -------------------------------------------------------------------------------------

def _family_colours(table: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Each group family of the style catalogue gets a chart colour, in the catalogue's order."""
    families = list(GROUP_FAMILIES) + ["Other or none"]
    present = [family for family in families if family in set(table["family"])]
    return present, [CHART_GROUP_COLOURS[families.index(family) % len(CHART_GROUP_COLOURS)] for family in present]


def lineage_chart(atlas: Atlas, names: Names | None = None, year_from: int = 2003, year_to: int = 2013, *,
                  width: int = 1100, selectable: bool = True) -> alt.LayerChart:
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

    bars = pd.DataFrame({
        "group": table["group"], "Group": table["name"], "Name": table["full_name"], "family": table["family"],
        "Kind": table["kind"],
        "Part of": [names.groups.get(p, p) if p else "" for p in table["parent"]],
        "start": [_iso(r.drawn_start + dt.timedelta(days=180)) if _stub_inside_bar(r, range_start) else _iso(r.drawn_start)
                  for r in table.itertuples(index=False)],
        "end": table["drawn_end"].map(_iso),
        "Active": [f"{_when(r.active_start, r.precision)} – "
                   f"{_when(r.active_end, r.precision) if r.end_known else 'open'}"
                   + (f" (precision: {r.precision})" if r.precision != "day" else "")
                   for r in table.itertuples(index=False)],
        "Open ends": ["; ".join(note for note in (r.open_start_note, r.open_end_note) if isinstance(note, str))
                      or "both ends recorded" for r in table.itertuples(index=False)],
        "Sources": [citations_text(s, names) for s in table["sources"]],
    })
    # Faded stubs where the data does not say when a group began or ended.
    stubs = []
    for r in table.itertuples(index=False):
        if not r.start_known:
            stub_start = max(range_start, r.drawn_start - dt.timedelta(days=365))
            stub_end = r.drawn_start + dt.timedelta(days=180) if _stub_inside_bar(r, range_start) else r.drawn_start
            stubs.append({"group": r.group, "Group": r.name, "family": r.family, "start": _iso(stub_start),
                          "end": _iso(stub_end), "Open end": r.open_start_note})
        if not r.end_known and r.open_end_note and "merger" not in r.open_end_note:
            stubs.append({"group": r.group, "Group": r.name, "family": r.family, "start": _iso(range_end),
                          "end": _iso(tail_end), "Open end": r.open_end_note})
    stubs = pd.DataFrame(stubs, columns=["group", "Group", "family", "start", "end", "Open end"])

    x = alt.X("start:T", title=None, scale=alt.Scale(domain=[_iso(range_start), _iso(tail_end)]),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, grid=True, gridOpacity=0.35,
                            orient="top"))
    y = alt.Y("Group:N", sort=order, title=None, axis=alt.Axis(labelFontWeight="bold", labelLimit=260))
    colour = alt.Color("family:N", title="Group family", scale=alt.Scale(domain=families, range=family_colours),
                       legend=alt.Legend(orient="bottom", columns=3))
    pick = alt.selection_point(name=GROUP_SELECTION, fields=["group"], on="click", clear="dblclick")

    bar_layer = (alt.Chart(bars).mark_bar(size=16, yOffset=-12, cornerRadius=2)
                 .encode(x=x, x2="end:T", y=y, color=colour,
                         tooltip=["Group", "Name", "Kind", "Part of", "Active", "Open ends", "Sources"]))
    if selectable:
        bar_layer = bar_layer.add_params(pick).encode(
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)))
    stub_layer = (alt.Chart(stubs).mark_bar(size=16, yOffset=-12, opacity=0.25, strokeDash=[3, 2], strokeWidth=1)
                  .encode(x=x, x2="end:T", y=y, color=alt.Color("family:N", scale=alt.Scale(domain=families,
                                                                                          range=family_colours),
                                                                legend=None),
                          stroke=alt.Color("family:N", legend=None, scale=alt.Scale(domain=families,
                                                                                  range=family_colours)),
                          tooltip=["Group", "Open end"]))

    # Leaders: a thin line and the name under the bar, one line per overlapping leader.
    leaders = lineage_leaders(table, year_from, year_to)
    leaders = leaders.sort_values(["group", "drawn_start"], kind="stable").reset_index(drop=True)
    leaders["lane"] = _lanes(leaders)
    leader_rows = pd.DataFrame({
        "group": leaders["group"], "Group": leaders["group_name"], "Leader": leaders["name"], "Role": leaders["role"],
        "Period": [f"{_when(r.start, r.precision)} – {_when(r.end, r.precision) if r.end else 'open'}"
                   for r in leaders.itertuples(index=False)],
        "start": leaders["drawn_start"].map(_iso), "end": leaders["drawn_end"].map(_iso), "lane": leaders["lane"],
        "Sources": [citations_text(s, names) for s in leaders["sources"]],
    })
    leader_layers = []
    for lane in sorted(set(leader_rows["lane"])):
        rows = leader_rows[leader_rows["lane"] == lane]
        offset = 2 + 12 * lane
        tooltip = ["Leader", "Role", "Group", "Period", "Sources"]
        leader_layers.append(alt.Chart(rows).mark_rule(yOffset=offset, strokeWidth=2, color="#555555")
                             .encode(x=x, x2="end:T", y=y, tooltip=tooltip))
        leader_layers.append(alt.Chart(rows).mark_text(yOffset=offset + 6, align="left", baseline="middle", dx=2,
                                                      fontSize=11, color="#333333")
                             .encode(x=x, y=y, text="Leader:N", tooltip=tooltip))

    # Relations: connectors for the lineage, marks for the ties, each with its reports.
    relations = lineage_relations(table)
    relations["nth"] = relations.groupby(["group", "date"]).cumcount()
    relation_rows = pd.DataFrame({
        "group": relations["group"], "Group": relations["name"], "Other": relations["other_name"],
        "other_group": relations["other"], "kind": relations["kind"],
        "Relation": [f"{r.name} {RELATION_WORDS[r.kind]} {r.other_name}" for r in relations.itertuples(index=False)],
        "When": [_when(d, p) for d, p in zip(relations["date"], relations["precision"])],
        # Marks at the same spot are set side by side; the tooltip keeps the true date.
        "at": [_iso(d + dt.timedelta(days=int(40 * n))) for d, n in zip(relations["date"], relations["nth"])],
        "Note": relations["note"].fillna(""), "lineage": relations["lineage"],
        "Sources": [citations_text(s, names) for s in relations["sources"]],
    })
    kinds = [kind for kind in RELATION_WORDS if kind in set(relation_rows["kind"])]
    kind_legend = alt.Legend(title="Relation (on the group that holds it)", orient="bottom", columns=4,
                             labelExpr="replace(datum.label, '-', ' ')")
    relation_tooltip = ["Relation", "When", "Note", "Sources"]
    connectors = (alt.Chart(relation_rows[relation_rows["lineage"]])
                  .mark_rule(strokeWidth=2, strokeDash=[4, 2], yOffset=-12)
                  .encode(x=alt.X("at:T"), y=y, y2=alt.Y2("Other:N"),
                          color=alt.Color("kind:N", scale=alt.Scale(domain=kinds,
                                          range=[GROUP_RELATION_COLOURS[k] for k in kinds]), legend=None),
                          tooltip=relation_tooltip))
    marks = (alt.Chart(relation_rows).mark_point(filled=True, size=150, yOffset=-12, stroke="white", strokeWidth=1,
                                                 opacity=1)
             .encode(x=alt.X("at:T"), y=y,
                     color=alt.Color("kind:N", scale=alt.Scale(domain=kinds,
                                     range=[GROUP_RELATION_COLOURS[k] for k in kinds]), legend=kind_legend),
                     shape=alt.Shape("kind:N", scale=alt.Scale(domain=kinds, range=[RELATION_SHAPES[k] for k in kinds]),
                                     legend=kind_legend),
                     tooltip=relation_tooltip))

    title = alt.Title(f"The GSPC/AQIM family and its neighbours, {year_from}–{year_to}",
                      subtitle=["Bars: active period as curated. Faded: where the start or end is not recorded "
                                "(drawn from the first date the data gives the group, or past "
                                f"{year_to} for a group still active). Lines under a bar: its leaders.",
                                "Dashed connectors: renamings, splits, formations and mergers. "
                                "Hover for dates and reports; click a bar to pick a group."])
    chart = alt.layer(stub_layer, bar_layer, *leader_layers, connectors, marks, title=title).resolve_scale(
        color="independent", shape="independent")
    return _styled(chart.properties(width=width, height=alt.Step(60)))


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


# --- 2. the kidnapping economy -------------------------------------------------------------------------

def _nationalities(codes) -> str:
    return ", ".join(codes) if codes else "not given"


def kidnapping_chart(atlas: Atlas, names: Names | None = None, *, width: int = 1100) -> alt.LayerChart:
    """Every hostage-taking as a line from when hostages were taken to what became of them.

    One row per kidnapping event (its date, captors, number and nationalities of hostages);
    the line ends in the outcome's colour and shape (released, killed, escaped) at the date of
    the event that ends the captivity, or, where no later event in the data names the
    hostages, in a grey square saying the outcome is not recorded.
    """
    names = names or Names(atlas)
    takings = hostage_takings(atlas)
    outcomes = hostage_outcomes(atlas)

    def label(row) -> str:
        count = "number not given" if pd.isna(row.hostage_count) else \
            f"{int(row.hostage_count)} hostage{'s' if row.hostage_count != 1 else ''}"
        nations = f" ({_nationalities(row.nationalities)})" if row.nationalities else ""
        captors = ", ".join(names.groups.get(g, g) for g in row.groups)
        return f"{str(row.date_start)[:4]} · {captors} · {count}{nations}"

    takings["Kidnapping"] = [label(row) for row in takings.itertuples(index=False)]
    order = list(takings["Kidnapping"])
    by_event = dict(zip(takings["event"], takings["Kidnapping"]))
    outcome_domain = [kind for kind in HOSTAGE_OUTCOME_COLOURS if kind in set(outcomes["outcome"]) | {"released", "killed"}]
    taken = pd.DataFrame({
        "event": takings["event"], "Kidnapping": takings["Kidnapping"], "Event": takings["title"],
        "taken": takings["date_start"], "until": takings["date_end"],
        "Hostages": ["not given" if pd.isna(c) else str(int(c)) for c in takings["hostage_count"]],
        "Nationalities": takings["nationalities"].map(_nationalities),
        "Outcome": takings["outcome"],
        "Sources": [citations_text(s, names) for s in takings["sources"]],
    })
    ending_ends = dict(zip(atlas.events["id"], atlas.events["date_end"]))
    ending_starts = dict(zip(atlas.events["id"], atlas.events["date_start"]))
    lines = pd.DataFrame({
        "event": outcomes["event"], "Kidnapping": outcomes["event"].map(by_event),
        "outcome": outcomes["outcome"],
        "taken": outcomes["taken"],
        # An unrecorded outcome is drawn to the end of the kidnapping event, no further.
        # By the end of the event that ended the captivity (a year-dated release is drawn at the year's end);
        # an unrecorded outcome is drawn to the end of the kidnapping event, no further.
        "ended": [ending_ends.get(e) or takings.set_index("event").at[k, "date_end"]
                  for e, k in zip(outcomes["ending_event"], outcomes["event"])],
        "Ended by": [t if isinstance(t, str) else "—" for t in outcomes["ending_title"]],
        "Hostages": ["not given" if pd.isna(c) else str(int(c)) for c in outcomes["count"]],
        "How linked": outcomes["basis"],
        "Sources": [citations_text(s, names) for s in outcomes["sources"]],
    })
    ending_precision = dict(zip(atlas.events["id"], atlas.events["date_precision"]))
    lines["When"] = [_when(ending_starts.get(e), ending_precision.get(e, "day")) if o != NOT_RECORDED else "not recorded"
                     for e, o in zip(outcomes["ending_event"], lines["outcome"])]

    x = alt.X("taken:T", title=None, axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1},
                                                   grid=True, gridOpacity=0.35),
              scale=alt.Scale(domain=["2003-01-01", "2014-01-01"]))
    y = alt.Y("Kidnapping:N", sort=order, title=None, axis=alt.Axis(labelLimit=420))
    outcome_colour = alt.Color("outcome:N", title="What became of the hostages",
                               scale=alt.Scale(domain=outcome_domain,
                                               range=[HOSTAGE_OUTCOME_COLOURS[k] for k in outcome_domain]),
                               legend=alt.Legend(orient="bottom"))
    outcome_shape = alt.Shape("outcome:N", title="What became of the hostages",
                              scale=alt.Scale(domain=outcome_domain, range=[OUTCOME_SHAPES[k] for k in outcome_domain]),
                              legend=alt.Legend(orient="bottom"))
    line_tooltip = ["Kidnapping", "outcome", "When", "Ended by", "Hostages", "How linked", "Sources"]
    captivity = (alt.Chart(lines).mark_rule(strokeWidth=3)
                 .encode(x=x, x2="ended:T", y=y, color=outcome_colour, tooltip=line_tooltip,
                         strokeDash=alt.condition(alt.datum.outcome == NOT_RECORDED, alt.value([4, 3]),
                                                  alt.value([1, 0]))))
    ends = (alt.Chart(lines).mark_point(filled=True, size=220, opacity=1)
            .encode(x=alt.X("ended:T"), y=y, color=outcome_colour, shape=outcome_shape, tooltip=line_tooltip))
    start_tooltip = ["Kidnapping", "Event", "Hostages", "Nationalities", "Outcome", "Sources"]
    starts = (alt.Chart(taken).mark_point(shape="triangle-down", filled=True, size=200,
                                          color=EVENT_TYPE_COLOURS["kidnapping"], opacity=1)
              .encode(x=x, y=y, tooltip=start_tooltip))
    not_recorded = (alt.Chart(lines[lines["outcome"] == NOT_RECORDED])
                    .mark_text(align="left", dx=12, fontSize=12, fontStyle="italic", color="#555555")
                    .encode(x=alt.X("ended:T"), y=y, text=alt.value("outcome not recorded"), tooltip=line_tooltip))
    title = alt.Title("Hostage-takings and what became of the hostages",
                      subtitle=["▼ taken (red) → outcome at the date of the event that ended the captivity. "
                                "Outcomes are linked by the hostages the events name, or where no hostage is "
                                "named by the same captors and nationality.",
                                "Where no later event in the data names the hostages the outcome is not "
                                "recorded (dashed grey)."])
    return _styled(alt.layer(captivity, starts, ends, not_recorded, title=title)
                   .properties(width=width, height=alt.Step(46)))


def _money(amount: float, currency: str) -> str:
    if amount >= 1e6:
        return f"{currency} {amount / 1e6:,.6g} million"
    return f"{currency} {amount:,.0f}"


def ransom_chart(atlas: Atlas, names: Names | None = None, *, width: int = 520) -> alt.HConcatChart:
    """Ransoms demanded, paid or reported, in US dollars at the year's average rate: in all and per hostage.

    Each point keeps its original amount and currency, the rate used and its reports in the
    tooltip; colour and shape give the status. Where the reports disagree on an amount, a rule
    joins the claims (both reports in its tooltip). Per hostage divides by the hostages still
    held when the money changed hands, where the data links the ransom to a kidnapping.
    """
    names = names or Names(atlas)
    points = ransoms(atlas)
    disputes = ransom_disputes(atlas)
    titles = dict(zip(hostage_takings(atlas)["event"], hostage_takings(atlas)["title"]))
    rows = pd.DataFrame({
        "event": points["event"], "Event": points["title"], "date": points["date"],
        "When": [_when(d, "month") for d in points["date"]],
        "status": points["status"],
        "Original": [_money(a, c) for a, c in zip(points["amount"], points["currency"])],
        "Rate": [f"1 {c} = {r:.4f} USD ({y} average)" if c != "USD" else "already in USD"
                 for c, r, y in zip(points["currency"], points["usd_per_unit"], points["year"])],
        "USD": points["amount_usd"],
        "USD per hostage": points["per_hostage_usd"],
        "For": [titles.get(k, "no kidnapping linked") for k in points["kidnapping"]],
        "Hostages held": ["—" if pd.isna(h) else int(h) for h in points["hostages"]],
        "How linked": points["link_basis"],
        "Note": points["note"].fillna(""),
        "Disputed": ["yes: see the range" if d else "no" for d in points["disputed"]],
        "Sources": [citations_text(s, names) for s in points["sources"]],
    })
    # A disputed amount is labelled once, on its range, with both claims.
    rows["Label"] = [o if not d else "" for o, d in zip(rows["Original"], points["disputed"])]
    held = dict(zip(points["event"], points["hostages"]))
    ranges = pd.DataFrame({
        "event": disputes["event"], "date": disputes["date"], "Subject": disputes["subject"],
        "low": disputes["low_usd"], "high": disputes["high_usd"],
        "low per hostage": [lo / held[e] if held.get(e) else None for lo, e in zip(disputes["low_usd"], disputes["event"])],
        "high per hostage": [hi / held[e] if held.get(e) else None for hi, e in zip(disputes["high_usd"], disputes["event"])],
        "Claims": [" vs ".join(f"{c['value']} (≈ USD {c['usd'] / 1e6:,.1f} million)" for c in claims)
                   for claims in disputes["claims"]],
        "Sources": [" | ".join(citations_text(c["sources"], names) for c in claims) for claims in disputes["claims"]],
        "Shown": disputes["shown"],
        "Label": [" or ".join(_money(c["amount"], c["currency"]) for c in claims) + " (reports disagree)"
                  for claims in disputes["claims"]],
    })
    statuses = [s for s in RANSOM_STATUS_COLOURS if s in set(rows["status"])] or list(RANSOM_STATUS_COLOURS)
    colour = alt.Color("status:N", title="Status", scale=alt.Scale(domain=statuses,
                       range=[RANSOM_STATUS_COLOURS[s] for s in statuses]), legend=alt.Legend(orient="bottom"))
    shape = alt.Shape("status:N", title="Status", scale=alt.Scale(domain=statuses,
                      range=[STATUS_SHAPES[s] for s in statuses]), legend=alt.Legend(orient="bottom"))
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=["2002-07-01", "2014-01-01"]),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, grid=True, gridOpacity=0.35))
    tooltip = ["Event", "When", "status", "Original", "Rate", alt.Tooltip("USD:Q", format="$,.0f"),
               alt.Tooltip("USD per hostage:Q", format="$,.0f"), "For", "Hostages held", "How linked", "Note",
               "Disputed", "Sources"]
    range_tooltip = ["Subject", "Claims", "Shown", "Sources"]

    def panel(field: str, low: str, high: str, heading: str) -> alt.LayerChart:
        scale = alt.Scale(type="log", domain=[1e5, 3e8])
        y = alt.Y(f"{field}:Q", title=heading, scale=scale,
                  axis=alt.Axis(format="$.2~s", values=[1e5, 3e5, 1e6, 3e6, 1e7, 3e7, 1e8, 3e8]))
        shown = rows[rows[field].notna()]
        disputed = ranges[ranges[low].notna()]
        # The range between the claims, just left of the points, with a tick at each claim.
        spread = (alt.Chart(disputed).mark_rule(strokeWidth=3, color="#333333", xOffset=-16)
                  .encode(x=x, y=alt.Y(f"{low}:Q", scale=scale), y2=f"{high}:Q", tooltip=range_tooltip))
        ticks = [alt.Chart(disputed).mark_tick(orient="horizontal", size=14, thickness=3, color="#333333", xOffset=-16)
                 .encode(x=x, y=alt.Y(f"{end}:Q", scale=scale), tooltip=range_tooltip) for end in (low, high)]
        range_label = (alt.Chart(disputed).mark_text(align="left", dx=14, dy=-14, fontSize=12, color="#333333")
                       .encode(x=x, y=alt.Y(f"{high}:Q", scale=scale), text="Label:N", tooltip=range_tooltip))
        dots = (alt.Chart(shown).mark_point(filled=True, size=240, opacity=1, stroke="white", strokeWidth=1)
                .encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip))
        labels = (alt.Chart(shown).mark_text(align="left", dx=12, fontSize=12, color="#333333")
                  .encode(x=x, y=y, text="Label:N", tooltip=tooltip))
        return alt.layer(spread, *ticks, dots, labels, range_label).properties(width=width, height=420)

    title = alt.Title("Ransoms in US dollars at the year's average rate",
                      subtitle=["Labels: the amount as the reports give it. A bar with end ticks: the reports "
                                "disagree on the amount (both claims and both reports in its tooltip).",
                                "Per hostage: divided by the hostages still held when the ransom was demanded or "
                                "paid, where the data links it to a kidnapping. Log scale."])
    chart = alt.hconcat(panel("USD", "low", "high", "In all (USD, log scale)"),
                        panel("USD per hostage", "low per hostage", "high per hostage", "Per hostage (USD, log scale)"),
                        title=title)
    return _styled(chart)


# --- 3. events per year by type and by group, with what is disputed ------------------------------------

_PARTS = ("not disputed", "disputed")


def _split_disputed(counts: pd.DataFrame, key: str) -> pd.DataFrame:
    """Each (year, key) count as two stacked parts: undisputed below, disputed above."""
    rows = []
    for row in counts.itertuples(index=False):
        row = row._asdict()
        for part, value in zip(_PARTS, (row["Events"] - row["Disputed"], row["Disputed"])):
            rows.append({"Year": row["Year"], key: row[key], "Part": part, "Count": value,
                         "Events": row["Events"], "Of which disputed": row["Disputed"]})
    return pd.DataFrame(rows)


def _disputed_stack(parts: pd.DataFrame, key: str, domain: list[str], colours: list[str], title: alt.Title,
                    year_from: int, year_to: int, legend_title: str) -> alt.LayerChart:
    parts = parts.copy()
    parts["Stack"] = [domain.index(value) * 2 + _PARTS.index(part) for value, part in zip(parts[key], parts["Part"])]
    years = list(range(year_from, year_to + 1))
    tooltip = ["Year", key, "Events", "Of which disputed"]
    part_legend = alt.Legend(orient="right", symbolFillColor="#888888", symbolType="square")
    bars = (alt.Chart(parts).mark_bar()
            .encode(x=alt.X("Year:O", title=None, axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=years)),
                    y=alt.Y("sum(Count):Q", title="Events"),
                    color=alt.Color(f"{key}:N", sort=domain, title=legend_title,
                                    scale=alt.Scale(domain=domain, range=colours), legend=alt.Legend(orient="right")),
                    opacity=alt.Opacity("Part:N", title="Reports", scale=alt.Scale(domain=list(_PARTS),
                                        range=[1.0, 0.45]), legend=part_legend),
                    stroke=alt.Stroke("Part:N", title="Reports", scale=alt.Scale(domain=list(_PARTS),
                                      range=["#ffffff", "#111111"]), legend=part_legend),
                    strokeWidth=alt.StrokeWidth("Part:N", title="Reports", scale=alt.Scale(domain=list(_PARTS),
                                                range=[0.5, 1.5]), legend=part_legend),
                    strokeDash=alt.StrokeDash("Part:N", title="Reports", scale=alt.Scale(domain=list(_PARTS),
                                              range=[[1, 0], [3, 2]]), legend=part_legend),
                    order=alt.Order("Stack:Q"),
                    tooltip=tooltip))
    totals = (parts[parts["Part"] == "disputed"].groupby("Year", as_index=False)["Count"].sum()
              .rename(columns={"Count": "Disputed"})
              .merge(parts.groupby("Year", as_index=False)["Count"].sum().rename(columns={"Count": "Total"})))
    totals["Label"] = [f"{t}" + (f" ({d} disputed)" if d else "") for t, d in zip(totals["Total"], totals["Disputed"])]
    labels = (alt.Chart(totals).mark_text(dy=-8, fontSize=11, color="#333333")
              .encode(x=alt.X("Year:O", scale=alt.Scale(domain=years)), y="Total:Q", text="Label:N"))
    return alt.layer(bars, labels, title=title)


def events_by_type_chart(events: pd.DataFrame, disagreements: pd.DataFrame | None, year_from: int | None = None,
                         year_to: int | None = None, *, width: int = 1100) -> alt.LayerChart:
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
    title = alt.Title(f"Events per year by type, {year_from}–{year_to}",
                      subtitle="An event counts in every year it spans. Faded with a dashed outline: events the "
                               "reports disagree on (or one gets wrong).")
    chart = _disputed_stack(_split_disputed(counts[["Year", "Type", "Events", "Disputed"]], "Type"), "Type", domain,
                            colours, title, year_from, year_to, "Type")
    return _styled(chart.properties(width=width, height=380))


def events_by_group_chart(events: pd.DataFrame, names: Names, disagreements: pd.DataFrame | None,
                          year_from: int | None = None, year_to: int | None = None, *,
                          width: int = 1100) -> alt.LayerChart:
    """The dashboard's events-per-year-by-group chart with the disputed part of each segment marked."""
    year_from = int(events["year_start"].min()) if year_from is None else year_from
    year_to = int(events["year_end"].max()) if year_to is None else year_to
    counts = disputed_events_by_year_and_group(events, year_from, year_to, disagreements,
                                               top=len(CHART_GROUP_COLOURS), group_names=names.groups)
    groups = list(dict.fromkeys(counts["Group"]))
    neutral = {OTHER_GROUPS: CHART_OTHER_COLOUR, NO_GROUP: CHART_NONE_COLOUR}
    named = iter(CHART_GROUP_COLOURS)
    colours = [neutral[g] if g in neutral else next(named) for g in groups]
    title = alt.Title(f"Events per year by group, {year_from}–{year_to}",
                      subtitle="An event counts in every year it spans, under the group that carried it out. Faded "
                               "with a dashed outline: events the reports disagree on (or one gets wrong).")
    chart = _disputed_stack(_split_disputed(counts, "Group"), "Group", groups, colours, title, year_from, year_to,
                            "Group")
    return _styled(chart.properties(width=width, height=380))


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
