"""Keeping a report's confirmed events: a workspace dataset of kind "report", with the report's text.

The page and the ``read-report --into-workspace`` command keep through :func:`keep_reading`: the
events the user confirmed (or, on the command line, those whose place is read with at least the
confidence asked for), each carrying the report's title, author or outlet, date and link, saved
with the report's full text so that every locator can be checked against it later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd

__all__ = ["REPORT_FORMAT", "ReportFacts", "keep_reading", "place_confidence", "with_report_facts"]

REPORT_FORMAT = "report"


@dataclass(frozen=True)
class ReportFacts:
    """What the user says of the report: its title, who wrote or published it, its date, its link."""

    title: str
    author: str = ""
    date: dt.date | None = None
    link: str = ""


def place_confidence(events: gpd.GeoDataFrame) -> list[float]:
    """How sure the reading of each event's place is (0-1), from what it was located by."""
    found = events["geocode"].astype(str).str.extract(r"confidence ([0-9.]+)")[0]
    return [float(value) if isinstance(value, str) else 0.0 for value in found]


def with_report_facts(events: gpd.GeoDataFrame, facts: ReportFacts) -> gpd.GeoDataFrame:
    """The events, each citing the report (title, author or outlet, date, link) beside its phrase."""
    cited = events.copy()
    report = {
        "report_title": facts.title,
        "report_author": facts.author,
        "report_date": facts.date.isoformat() if facts.date else "",
        "report_link": facts.link,
    }
    cited["original"] = [
        {**(original if isinstance(original, dict) else {}), **report} for original in cited["original"]
    ]
    return cited


def keep_reading(
    events: gpd.GeoDataFrame,
    text: str,
    name: str,
    facts: ReportFacts,
    *,
    file_name: str = "",
    workspace=None,
    by=None,
    min_confidence: float = 0.0,
):
    """Save ``events`` (drafts of :func:`geo.reading.read_report`, as confirmed) as dataset ``name``.

    Only events whose place is read with at least ``min_confidence`` are kept. Returns the stored
    dataset's info; raises ``ValueError`` for a name in use or nothing to keep, and the workspace's
    own errors when it cannot be written.
    """
    from geo.imports.model import ImportResult
    from geo.workspace import open_workspace

    if min_confidence > 0 and len(events):
        events = events[[value >= min_confidence for value in place_confidence(events)]]
    if not len(events):
        raise ValueError("no event to keep: confirm at least one")
    kept = with_report_facts(events, facts)
    kept["dataset"] = name
    result = ImportResult(kept, read=len(kept), origin=REPORT_FORMAT)
    workspace = workspace or open_workspace()
    options = {"by": by} if by is not None else {}
    return workspace.save_dataset(
        name, result, file_name=file_name or facts.title, format=REPORT_FORMAT, document=text, **options
    )
