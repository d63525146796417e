"""Display names for ids: groups by short name, people, places, and reports as readers know them.

One home for how the atlas names things, used by the details panel, charts, the
command line, pictures, slides and offline pages alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from geo.catalog import Atlas

__all__ = ["Names"]


class Names:
    """Display names for ids (groups by short name, people, places, reports).

    ``sources`` holds a short label per report ('Reuters, 12 Aug 2010'), unique, for
    lists and the table; ``source_titles`` the full one with the title, for citations.
    """

    def __init__(self, atlas: Atlas):
        self.groups = {
            r.id: (r.short_name if isinstance(r.short_name, str) else r.name)
            for r in atlas.groups.itertuples(index=False)
        }
        self.people = dict(zip(atlas.people["id"], atlas.people["name"]))
        self.places = dict(zip(atlas.places["id"], atlas.places["name"]))
        reports = list(atlas.sources.itertuples(index=False))
        self.source_titles = _unique({r.id: _source_title(r) for r in reports})
        self.sources = _unique({r.id: _source_label(r) for r in reports}, fallback=self.source_titles)

    def all(self) -> dict[str, str]:
        return {**self.places, **self.people, **self.groups, **self.sources}


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text(value) -> str:
    """A report field without its trailing note in brackets ('(attributed; ...)'), or ''."""
    return re.sub(r"\s*\([^()]*\)$", "", value.strip()) if isinstance(value, str) else ""


def _published(source) -> str:
    """'12 Aug 2010', 'Aug 2010', '2010'; an estimated date only as 'c. 2010'."""
    date = dt.date.fromisoformat(str(source.published)[:10])
    month = f"{_MONTHS[date.month - 1]} {date.year}"
    return {"day": f"{date.day} {month}", "month": month, "year": str(date.year)}.get(
        source.published_precision, f"c. {date.year}"
    )


def _known_by(source) -> str:
    # Readers know news by its outlet, analyses by their author.
    first, second = (source.outlet, source.author) if source.kind == "news report" else (source.author, source.outlet)
    return _text(first) or _text(second)


def _source_title(source) -> str:
    """'Reuters, “Al Qaeda gets help from Mali officials: ex-rebel”, 12 Aug 2010'."""
    title = _text(source.title).replace("“", "‘").replace("”", "’")  # quotes inside the quoted title
    parts = (_known_by(source), f"“{title}”" if title else "", _published(source))
    return ", ".join(part for part in parts if part)


def _source_label(source) -> str:
    """'Reuters, 12 Aug 2010'; the title stands in for a report with neither author nor outlet."""
    return f"{_known_by(source) or _text(source.title) or 'Unnamed report'}, {_published(source)}"


def _unique(labels: dict[str, str], fallback: dict[str, str] | None = None) -> dict[str, str]:
    """Labels that tell every report apart: a shared label gives way to the fallback, then a number."""
    shared = Counter(labels.values())
    if fallback:
        labels = {key: (fallback[key] if shared[label] > 1 else label) for key, label in labels.items()}
        shared = Counter(labels.values())
    seen: Counter = Counter()
    unique = {}
    for key, label in labels.items():
        seen[label] += 1
        unique[key] = f"{label} ({seen[label]})" if shared[label] > 1 else label
    return unique
