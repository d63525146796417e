"""Story drafts: the dashboard's view saved as a step, and the steps written out as a story file.

A saved step holds the filters, layers, extent and selection of the view on
screen, with the sources of what it shows, so the file passes the story checks
as it is. Its caption says plainly that the briefer still has to write it.
"""

from __future__ import annotations

import datetime as dt

import shapely
import yaml

from geo.stories import COVERED_YEARS, STEP_COUNT
from view import MapView

__all__ = ["draft_step", "draft_story_yaml", "MAX_CITATIONS"]

MAX_CITATIONS = 4
HEADING_LENGTH = 100


def _view_parameters(view: MapView, event_filter) -> dict:
    """The step's ``view``, in the link parameters the dashboard reads; defaults left out."""
    parameters: dict = {
        "from": event_filter.year_from or COVERED_YEARS[0],
        "to": event_filter.year_to or COVERED_YEARS[1],
    }
    for key, values in (
        ("group", event_filter.groups),
        ("type", event_filter.types),
        ("person", event_filter.people),
        ("source", event_filter.sources),
        ("country", event_filter.countries),
    ):
        if values:
            parameters[key] = list(values)
    if event_filter.text:
        parameters["q"] = event_filter.text
    if event_filter.groups and not event_filter.include_related:
        parameters["related"] = 0
    if event_filter.include_named:
        parameters["named"] = 1
    parameters["layers"] = list(view.layers)
    if "boundaries" in view.layers and view.boundary_year != parameters["to"]:
        parameters["boundaries"] = view.boundary_year
    return parameters


def _inside(bbox, geometry) -> bool:
    return geometry is not None and not geometry.is_empty and geometry.intersects(shapely.box(*bbox))


def _highlight(view: MapView, bbox) -> dict:
    """The selected feature, when the step draws it inside its extent (the story check asks no less)."""
    kind, _, ref = (view.selected or "").partition(":")
    frames = {
        "event": (view.events, "events"),
        "place": (view.places, "places"),
        "boundary": (view.boundaries, "boundaries"),
    }
    if kind not in frames:
        return {}
    frame, key = frames[kind]
    if kind == "place" and "towns" in view.layers:
        frame = frame if ref in set(frame["id"]) else view.towns
    rows = frame[frame["id"] == ref]
    return {key: [ref]} if len(rows) and _inside(bbox, rows.geometry.iloc[0]) else {}


def _citations(view: MapView, bbox, highlight: dict) -> list[dict]:
    """The sources of the selection, else of the earliest events in the extent, else of the areas drawn."""
    chosen: list[dict] = []
    tables = {"events": view.events, "places": view.places, "boundaries": view.boundaries}
    for key, ids in highlight.items():
        frame = tables[key] if key != "places" or ids[0] in set(view.places["id"]) else view.towns
        for sources in frame.loc[frame["id"].isin(ids), "sources"]:
            chosen += list(sources)
    if not chosen:
        located = view.events[[_inside(bbox, point) for point in view.events.geometry]]
        for sources in located.sort_values(["date_start", "id"])["sources"]:
            chosen += list(sources)
    if not chosen:
        for sources in view.boundaries["sources"]:
            chosen += list(sources)
    unique = list({(c["source"], c["locator"]): c for c in chosen}.values())
    return [{"source": c["source"], "locator": c["locator"]} for c in unique[:MAX_CITATIONS]]


def draft_step(view: MapView, event_filter, bbox: tuple[float, float, float, float], shown_count: int) -> dict:
    """One story step from the dashboard: its filters, layers, ``bbox`` (west, south, east, north) and selection."""
    west, south, east, north = (round(float(value), 2) for value in bbox)
    bbox = (max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0))
    highlight = _highlight(view, bbox)
    what = view.filters_in_words or "all events"
    heading = what[:1].upper() + what[1:]
    if len(heading) > HEADING_LENGTH:
        heading = heading[: HEADING_LENGTH - 1].rstrip() + "…"
    step = {
        "heading": heading,
        "caption": (
            f"The map shows {shown_count} event{'s' if shown_count != 1 else ''}: {what}. "
            "Write two to four sentences here in your own words, then check the sources below."
        ),
        "view": _view_parameters(view, event_filter),
        "bbox": list(bbox),
    }
    if highlight:
        step["highlight"] = highlight
    step["citations"] = _citations(view, bbox, highlight)
    return step


def draft_story_yaml(steps: list[dict], today: dt.date | None = None) -> tuple[str, str]:
    """The story file of a draft: (file name, YAML text). It is named after its id, as stories must be."""
    today = today or dt.date.today()
    story_id = f"story-draft-{today:%Y-%m-%d}"
    story = {
        "id": story_id,
        "title": "Story draft",
        "byline": f"Sahel Atlas user, {today:%d %B %Y}",
        "summary": (
            f"A story drafted from the dashboard's views, {len(steps)} so far. "
            f"Give it a title and a summary, and {STEP_COUNT[0]} to {STEP_COUNT[1]} steps."
        ),
        "steps": steps,
    }
    header = (
        "# A story drafted from the Sahel Atlas dashboard. Upload it on the 'Present a story' page.\n"
        "# Each step: write the caption in your own words and check its citations (report + verbatim "
        "phrase).\n"
    )
    text = yaml.dump(
        story, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )  # short lists on one line, as the bundled stories write them
    return f"{story_id}.yaml", header + text


class _PlainDumper(yaml.SafeDumper):
    """Writes a step saved twice in full, never as a YAML alias a reader would not follow."""

    def ignore_aliases(self, data) -> bool:
        return True
