"""The details panel for a boundary or a region the user clicked: what it is, when, on what basis."""

from __future__ import annotations

from layers.common import escape
from ui import details
from view import Names

__all__ = ["area_html"]


def area_html(area, names: Names) -> str:
    """Name, kind, period, how it was drawn and how sure, and the reports behind it."""
    start, end = getattr(area, "valid_from", None), getattr(area, "valid_to", None)
    period = ""
    if start or end:
        period = f" · {escape(str(start or '…'))} – {escape(str(end or 'no end given'))}"
    drawn = "approximate outline" if area.approximate else "outline as described"
    parts = [
        f"<h3>{escape(area.name)}</h3>",
        f"<div class='atlas-date'>{escape(str(area.kind).replace('-', ' '))}{period} · {drawn}"
        f" · confidence {escape(area.confidence)}</div>",
    ]
    if isinstance(area.basis, str) and area.basis:
        parts.append(f"<p>{escape(area.basis)}</p>")
    if isinstance(area.note, str) and area.note:
        parts.append(f"<p class='atlas-note'>Note: {escape(area.note)}</p>")
    parts.append("<div><b>Sources</b></div>" + details.citations_html(area.sources or [], names))
    return "".join(parts)
