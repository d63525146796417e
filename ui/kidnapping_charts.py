"""The analysts' kidnapping charts: hostage takings and their outcomes, and ransoms demanded, paid
or reported, with what the reports disagree on (see :mod:`ui.analyst_charts`, which gives the
shared style and re-exports these)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.catalog import Atlas
from geo.charts_data import NOT_RECORDED, hostage_outcomes, hostage_takings, ransom_disputes, ransoms
from style import (
    EVENT_TYPE_COLOURS,
    HOSTAGE_OUTCOME_COLOURS,
    RANSOM_STATUS_COLOURS,
)
from ui.chart_common import OUTCOME_SHAPES, STATUS_SHAPES, citations_text, styled, when
from view import Names

__all__ = ["kidnapping_chart", "ransom_chart"]


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
        count = (
            "number not given"
            if pd.isna(row.hostage_count)
            else f"{int(row.hostage_count)} hostage{'s' if row.hostage_count != 1 else ''}"
        )
        nations = f" ({_nationalities(row.nationalities)})" if row.nationalities else ""
        captors = ", ".join(names.groups.get(g, g) for g in row.groups)
        return f"{str(row.date_start)[:4]} · {captors} · {count}{nations}"

    takings["Kidnapping"] = [label(row) for row in takings.itertuples(index=False)]
    order = list(takings["Kidnapping"])
    by_event = dict(zip(takings["event"], takings["Kidnapping"]))
    outcome_domain = [
        kind for kind in HOSTAGE_OUTCOME_COLOURS if kind in set(outcomes["outcome"]) | {"released", "killed"}
    ]
    taken = pd.DataFrame(
        {
            "event": takings["event"],
            "Kidnapping": takings["Kidnapping"],
            "Event": takings["title"],
            "taken": takings["date_start"],
            "until": takings["date_end"],
            "Hostages": ["not given" if pd.isna(c) else str(int(c)) for c in takings["hostage_count"]],
            "Nationalities": takings["nationalities"].map(_nationalities),
            "Outcome": takings["outcome"],
            "Sources": [citations_text(s, names) for s in takings["sources"]],
        }
    )
    ending_ends = dict(zip(atlas.events["id"], atlas.events["date_end"]))
    ending_starts = dict(zip(atlas.events["id"], atlas.events["date_start"]))
    lines = pd.DataFrame(
        {
            "event": outcomes["event"],
            "Kidnapping": outcomes["event"].map(by_event),
            "outcome": outcomes["outcome"],
            "taken": outcomes["taken"],
            # An unrecorded outcome is drawn to the end of the kidnapping event, no further.
            # By the end of the event that ended the captivity (a year-dated release is drawn at the year's end);
            # an unrecorded outcome is drawn to the end of the kidnapping event, no further.
            "ended": [
                ending_ends.get(e) or takings.set_index("event").at[k, "date_end"]
                for e, k in zip(outcomes["ending_event"], outcomes["event"])
            ],
            "Ended by": [t if isinstance(t, str) else "—" for t in outcomes["ending_title"]],
            "Hostages": ["not given" if pd.isna(c) else str(int(c)) for c in outcomes["count"]],
            "How linked": outcomes["basis"],
            "Sources": [citations_text(s, names) for s in outcomes["sources"]],
        }
    )
    ending_precision = dict(zip(atlas.events["id"], atlas.events["date_precision"]))
    lines["When"] = [
        when(ending_starts.get(e), ending_precision.get(e, "day")) if o != NOT_RECORDED else "not recorded"
        for e, o in zip(outcomes["ending_event"], lines["outcome"])
    ]

    x = alt.X(
        "taken:T",
        title=None,
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, grid=True, gridOpacity=0.35),
        scale=alt.Scale(domain=["2003-01-01", "2014-01-01"]),
    )
    y = alt.Y("Kidnapping:N", sort=order, title=None, axis=alt.Axis(labelLimit=420))
    outcome_colour = alt.Color(
        "outcome:N",
        title="What became of the hostages",
        scale=alt.Scale(domain=outcome_domain, range=[HOSTAGE_OUTCOME_COLOURS[k] for k in outcome_domain]),
        legend=alt.Legend(orient="bottom"),
    )
    outcome_shape = alt.Shape(
        "outcome:N",
        title="What became of the hostages",
        scale=alt.Scale(domain=outcome_domain, range=[OUTCOME_SHAPES[k] for k in outcome_domain]),
        legend=alt.Legend(orient="bottom"),
    )
    line_tooltip = ["Kidnapping", "outcome", "When", "Ended by", "Hostages", "How linked", "Sources"]
    captivity = (
        alt.Chart(lines)
        .mark_rule(strokeWidth=3)
        .encode(
            x=x,
            x2="ended:T",
            y=y,
            color=outcome_colour,
            tooltip=line_tooltip,
            strokeDash=alt.condition(alt.datum.outcome == NOT_RECORDED, alt.value([4, 3]), alt.value([1, 0])),
        )
    )
    ends = (
        alt.Chart(lines)
        .mark_point(filled=True, size=220, opacity=1)
        .encode(x=alt.X("ended:T"), y=y, color=outcome_colour, shape=outcome_shape, tooltip=line_tooltip)
    )
    start_tooltip = ["Kidnapping", "Event", "Hostages", "Nationalities", "Outcome", "Sources"]
    starts = (
        alt.Chart(taken)
        .mark_point(shape="triangle-down", filled=True, size=200, color=EVENT_TYPE_COLOURS["kidnapping"], opacity=1)
        .encode(x=x, y=y, tooltip=start_tooltip)
    )
    not_recorded = (
        alt.Chart(lines[lines["outcome"] == NOT_RECORDED])
        .mark_text(align="left", dx=12, fontSize=12, fontStyle="italic", color="#555555")
        .encode(x=alt.X("ended:T"), y=y, text=alt.value("outcome not recorded"), tooltip=line_tooltip)
    )
    title = alt.Title(
        "Hostage-takings and what became of the hostages",
        subtitle=[
            "▼ taken (red) → outcome at the date of the event that ended the captivity. "
            "Outcomes are linked by the hostages the events name, or where no hostage is "
            "named by the same captors and nationality.",
            "Where no later event in the data names the hostages the outcome is not recorded (dashed grey).",
        ],
    )
    return styled(
        alt.layer(captivity, starts, ends, not_recorded, title=title).properties(width=width, height=alt.Step(46))
    )


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
    rows = pd.DataFrame(
        {
            "event": points["event"],
            "Event": points["title"],
            "date": points["date"],
            "When": [when(d, "month") for d in points["date"]],
            "status": points["status"],
            "Original": [_money(a, c) for a, c in zip(points["amount"], points["currency"])],
            "Rate": [
                f"1 {c} = {r:.4f} USD ({y} average)" if c != "USD" else "already in USD"
                for c, r, y in zip(points["currency"], points["usd_per_unit"], points["year"])
            ],
            "USD": points["amount_usd"],
            "USD per hostage": points["per_hostage_usd"],
            "For": [titles.get(k, "no kidnapping linked") for k in points["kidnapping"]],
            "Hostages held": ["—" if pd.isna(h) else int(h) for h in points["hostages"]],
            "How linked": points["link_basis"],
            "Note": points["note"].fillna(""),
            "Disputed": ["yes: see the range" if d else "no" for d in points["disputed"]],
            "Sources": [citations_text(s, names) for s in points["sources"]],
        }
    )
    # A disputed amount is labelled once, on its range, with both claims.
    rows["Label"] = [o if not d else "" for o, d in zip(rows["Original"], points["disputed"])]
    held = dict(zip(points["event"], points["hostages"]))
    ranges = pd.DataFrame(
        {
            "event": disputes["event"],
            "date": disputes["date"],
            "Subject": disputes["subject"],
            "low": disputes["low_usd"],
            "high": disputes["high_usd"],
            "low per hostage": [
                lo / held[e] if held.get(e) else None for lo, e in zip(disputes["low_usd"], disputes["event"])
            ],
            "high per hostage": [
                hi / held[e] if held.get(e) else None for hi, e in zip(disputes["high_usd"], disputes["event"])
            ],
            "Claims": [
                " vs ".join(f"{c['value']} (≈ USD {c['usd'] / 1e6:,.1f} million)" for c in claims)
                for claims in disputes["claims"]
            ],
            "Sources": [
                " | ".join(citations_text(c["sources"], names) for c in claims) for claims in disputes["claims"]
            ],
            "Shown": disputes["shown"],
            "Label": [
                " or ".join(_money(c["amount"], c["currency"]) for c in claims) + " (reports disagree)"
                for claims in disputes["claims"]
            ],
        }
    )
    statuses = [s for s in RANSOM_STATUS_COLOURS if s in set(rows["status"])] or list(RANSOM_STATUS_COLOURS)
    colour = alt.Color(
        "status:N",
        title="Status",
        scale=alt.Scale(domain=statuses, range=[RANSOM_STATUS_COLOURS[s] for s in statuses]),
        legend=alt.Legend(orient="bottom"),
    )
    shape = alt.Shape(
        "status:N",
        title="Status",
        scale=alt.Scale(domain=statuses, range=[STATUS_SHAPES[s] for s in statuses]),
        legend=alt.Legend(orient="bottom"),
    )
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=["2002-07-01", "2014-01-01"]),
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, grid=True, gridOpacity=0.35),
    )
    tooltip = [
        "Event",
        "When",
        "status",
        "Original",
        "Rate",
        alt.Tooltip("USD:Q", format="$,.0f"),
        alt.Tooltip("USD per hostage:Q", format="$,.0f"),
        "For",
        "Hostages held",
        "How linked",
        "Note",
        "Disputed",
        "Sources",
    ]
    range_tooltip = ["Subject", "Claims", "Shown", "Sources"]

    def panel(field: str, low: str, high: str, heading: str) -> alt.LayerChart:
        scale = alt.Scale(type="log", domain=[1e5, 3e8])
        y = alt.Y(
            f"{field}:Q",
            title=heading,
            scale=scale,
            axis=alt.Axis(format="$.2~s", values=[1e5, 3e5, 1e6, 3e6, 1e7, 3e7, 1e8, 3e8]),
        )
        shown = rows[rows[field].notna()]
        disputed = ranges[ranges[low].notna()]
        # The range between the claims, just left of the points, with a tick at each claim.
        spread = (
            alt.Chart(disputed)
            .mark_rule(strokeWidth=3, color="#333333", xOffset=-16)
            .encode(x=x, y=alt.Y(f"{low}:Q", scale=scale), y2=f"{high}:Q", tooltip=range_tooltip)
        )
        ticks = [
            alt.Chart(disputed)
            .mark_tick(orient="horizontal", size=14, thickness=3, color="#333333", xOffset=-16)
            .encode(x=x, y=alt.Y(f"{end}:Q", scale=scale), tooltip=range_tooltip)
            for end in (low, high)
        ]
        range_label = (
            alt.Chart(disputed)
            .mark_text(align="left", dx=14, dy=-14, fontSize=12, color="#333333")
            .encode(x=x, y=alt.Y(f"{high}:Q", scale=scale), text="Label:N", tooltip=range_tooltip)
        )
        dots = (
            alt.Chart(shown)
            .mark_point(filled=True, size=240, opacity=1, stroke="white", strokeWidth=1)
            .encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
        )
        labels = (
            alt.Chart(shown)
            .mark_text(align="left", dx=12, fontSize=12, color="#333333")
            .encode(x=x, y=y, text="Label:N", tooltip=tooltip)
        )
        return alt.layer(spread, *ticks, dots, labels, range_label).properties(width=width, height=420)

    title = alt.Title(
        "Ransoms in US dollars at the year's average rate",
        subtitle=[
            "Labels: the amount as the reports give it. A bar with end ticks: the reports "
            "disagree on the amount (both claims and both reports in its tooltip).",
            "Per hostage: divided by the hostages still held when the ransom was demanded or "
            "paid, where the data links it to a kidnapping. Log scale.",
        ],
    )
    chart = alt.hconcat(
        panel("USD", "low", "high", "In all (USD, log scale)"),
        panel("USD per hostage", "low per hostage", "high per hostage", "Per hostage (USD, log scale)"),
        title=title,
    )
    return styled(chart)
