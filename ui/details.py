"""The panel beside the map: everything known about the clicked place or event.

Built as HTML from escaped strings only; every event shows each report that
tells it, with the locator phrase, and any disagreement between reports
side by side.
"""

from __future__ import annotations

import pandas as pd

from geo.catalog import Atlas
from geo.schema import PARTICIPANT_ROLES
from layers.common import escape
from view.names import Names

__all__ = [
    "citations_html",
    "with_roles",
    "PANEL_CSS",
    "event_html",
    "place_html",
    "disagreements_for",
    "disagreement_html",
]

PANEL_CSS = """
<style>
.block-container { padding-top: 2.2rem; }
h1 { padding-top: 0; }
.atlas-details { font-size: 0.92rem; line-height: 1.45; }
.atlas-details h3 { margin: 0 0 .2rem 0; }
.atlas-details h4 { margin: .3rem 0; font-size: 1.05rem; }
.atlas-date { color: #555; font-size: .85rem; }
.atlas-facts th { text-align: left; padding-right: .6rem; color: #444; vertical-align: top; font-weight: 600; }
.atlas-facts td, .atlas-facts th { border: 0; padding: 1px 4px; }
.atlas-sources { margin: .2rem 0 .5rem 1rem; padding: 0; }
.atlas-claims { background: #fff7e6; border-left: 4px solid #e6a100; padding: .4rem .6rem; margin: .5rem 0; }
.atlas-claims table { width: 100%; } .atlas-claims td { vertical-align: top; width: 50%; }
.atlas-note { color: #444; font-style: italic; }
.atlas-side-legend { font-size: .85rem; line-height: 1.4; }
.atlas-side-legend summary { font-weight: 700; list-style: none; }
.atlas-swatch { display: inline-block; width: 10px; height: 10px; vertical-align: middle; margin-right: 4px; }
.atlas-line { display: inline-block; width: 22px; vertical-align: middle; margin-right: 4px; }
.atlas-two-columns { columns: 2; column-gap: 12px; }
</style>
"""

_PRECISION_WORDS = {
    "day": "exact day",
    "month": "month known",
    "season": "season known",
    "year": "year known",
    "approximate": "approximate date",
}


def disagreements_for(event_id: str, disagreements: pd.DataFrame) -> pd.DataFrame:
    if disagreements.empty or "event" not in disagreements.columns:
        return disagreements.iloc[0:0]
    return disagreements[disagreements["event"] == event_id]


def _report(source_id: str, names: Names) -> str:
    """A report by its outlet or author, title and date; its file name only on hover."""
    return f'<b title="{escape(source_id)}">{escape(names.source_titles.get(source_id, source_id))}</b>'


def citations_html(citations, names: Names) -> str:
    items = [f"<li>{_report(c['source'], names)}: “{escape(c['locator'])}”</li>" for c in citations]
    return f"<ul class='atlas-sources'>{''.join(items)}</ul>"


def disagreement_html(row, names: Names) -> str:
    cells = "".join(
        f"<td><b>{escape(claim['value'])}</b>{citations_html(claim['sources'], names)}</td>" for claim in row.claims
    )
    verdict = f"Shown: <b>{escape(row.shown)}</b>. {escape(row.reason)}"
    correction = getattr(row, "correction", None)
    if isinstance(correction, str) and correction:
        verdict += f"<br>Correction: {escape(correction)} ({escape(getattr(row, 'correction_basis', '') or '')})"
    return (
        f"<div class='atlas-claims'><div>⚖ <b>{escape(row.subject)}</b> ({escape(row.kind)})</div>"
        f"<table><tr>{cells}</tr></table><div>{verdict}</div></div>"
    )


def _money(items) -> str:
    return "; ".join(
        f"{escape(item.get('status'))}: {item.get('amount'):,.0f} {escape(item.get('currency'))}"
        + (f" ({escape(item['note'])})" if item.get("note") else "")
        for item in items
    )


def with_roles(ids, roles: dict, display: dict[str, str]) -> str:
    """'AQIM (actor), Abu Zeid (named only)': each participant with the part the reports give it."""
    return ", ".join(f"{display.get(i, i)} ({PARTICIPANT_ROLES.get(roles.get(i), 'role not given')})" for i in ids)


def event_html(event, atlas: Atlas, names: Names) -> str:
    """One event: date and precision, summary, who, where, money, sources, disagreements."""
    dates = (
        escape(event.date_start)
        if event.date_start == event.date_end
        else f"{escape(event.date_start)} – {escape(event.date_end)}"
    )
    parts = [
        f"<div class='atlas-event'><div class='atlas-date'>{dates} · "
        f"{escape(_PRECISION_WORDS.get(event.date_precision, event.date_precision))} · {escape(event.type_label)}</div>",
        f"<h4>{escape(event.title)}</h4><p>{escape(event.summary)}</p>",
    ]
    facts = [
        ("Where", ", ".join(names.places.get(p, p) for p in event.places)),
        ("Route", " → ".join(names.places.get(p, p) for p in event.route)),
        ("Groups", with_roles(event.groups, event.roles, names.groups)),
        ("People", with_roles(event.people, event.roles, names.people)),
    ]
    if event.hostage_count is not None and not pd.isna(event.hostage_count):
        nationalities = ", ".join(event.hostage_nationalities)
        facts.append(("Hostages", f"{int(event.hostage_count)}" + (f" ({nationalities})" if nationalities else "")))
    rows = "".join(f"<tr><th>{label}</th><td>{escape(value)}</td></tr>" for label, value in facts if value)
    if event.money:
        rows += f"<tr><th>Money</th><td>{_money(event.money)}</td></tr>"
    parts.append(f"<table class='atlas-facts'>{rows}</table>")
    if isinstance(event.no_actor, str) and event.no_actor:
        parts.append(f"<p class='atlas-note'>No actor named: {escape(event.no_actor)}</p>")
    if isinstance(event.note, str) and event.note:
        parts.append(f"<p class='atlas-note'>Note: {escape(event.note)}</p>")
    parts.append("<div><b>Sources</b></div>" + citations_html(event.sources, names))
    for row in disagreements_for(event.id, atlas.disagreements).itertuples(index=False):
        parts.append(disagreement_html(row, names))
    parts.append("</div>")
    return "".join(parts)


def place_html(place, events_here: pd.DataFrame, atlas: Atlas, names: Names) -> str:
    """A place and every shown event there, oldest first."""
    aliases = ", ".join(place.aliases)
    header = (
        f"<h3>{escape(place.name)}</h3><div class='atlas-date'>{escape(place.kind)}"
        f"{' · ' + escape(place.country) if isinstance(place.country, str) else ''}"
        f" · location {escape(place.precision)} ({escape(place.coord_source)})</div>"
    )
    if aliases:
        header += f"<div>Also: {escape(aliases)}</div>"
    count = len(events_here)
    header += f"<p><b>{count} event{'s' if count != 1 else ''}</b> here with the current filters.</p>"
    body = "<hr>".join(event_html(event, atlas, names) for event in events_here.itertuples(index=False))
    return header + body
