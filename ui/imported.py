"""The user's own data on the dashboard: which events show, their layer, their details.

Imported events are never the reports' events: they are drawn in their own style,
named with their dataset everywhere, and their details show the original row as
the file gave it (escaped), with the reports' account of the same event, if any.

However many there are, the store filters them (:meth:`shown_events`: the columns a
map, a table and a chart need, nothing more) and the map gets them as one gathered
layer (:mod:`layers.event_grid`). A click on a gathered mark selects its cell
(``cell:<zoom>:<column>:<row>``): the panel lists the events the mark counted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Container

import geopandas as gpd
import pandas as pd

from geo.event_grid import events_in_cell, parse_cell
from geo.schema import EVENT_TYPES
from layers import event_grid
from layers.common import escape
from style import event_colour
from ui import published
from ui.charts import event_table_rows
from view import Names

__all__ = [
    "REPORTS",
    "TABLE_LIMIT",
    "CELL_LIST_LIMIT",
    "Selectable",
    "listed_in_table",
    "located",
    "token_for",
    "map_layer",
    "selection_from_click",
    "cell_events",
    "cell_html",
    "cell_list",
    "event_html",
    "table_rows",
    "for_charts",
    "combined_for_download",
]

REPORTS = "Sahel Atlas (reports)"  # the dataset name the curated events carry in tables and files
# The event table lists at most this many imported events (the downloads hold them all).
TABLE_LIMIT = 1000
# A gathered mark's panel lists at most this many of its events, the latest first.
CELL_LIST_LIMIT = 200


class Selectable(Container):
    """What a click or a link may select: the curated ids, a cell, or an imported event the store holds."""

    def __init__(self, curated: frozenset[str], store=None):
        self.curated, self.store = curated, store

    def __contains__(self, selected) -> bool:
        if not isinstance(selected, str):
            return False
        if selected in self.curated:
            return True
        kind, _, ref = selected.partition(":")
        if kind == "cell":
            return parse_cell(ref) is not None
        if kind == "imported" and ref and self.store is not None:
            return len(self.store.events_by_id([ref])) == 1
        return False


_LISTED: dict[tuple, gpd.GeoDataFrame] = {}  # (store version, ids) -> their whole rows, the latest few
_LISTED_LOCK = threading.Lock()


def listed_in_table(store, shown: pd.DataFrame) -> gpd.GeoDataFrame:
    """The first :data:`TABLE_LIMIT` imported events shown, whole (source, actors, precision), for the table.

    Kept while the store and the events are the same: a click on the map reruns the page with
    the same filters, and need not read them again.
    """
    key = (repr(store.version()), tuple(shown["id"].head(TABLE_LIMIT)))
    with _LISTED_LOCK:  # sessions run in threads of one process
        rows = _LISTED.get(key)
    if rows is None:
        rows = store.events_by_id(list(key[1]))
        with _LISTED_LOCK:
            while len(_LISTED) >= 8:
                _LISTED.pop(next(iter(_LISTED)))
            _LISTED[key] = rows
    return rows


def located(shown: pd.DataFrame) -> pd.DataFrame:
    """The imported events shown that have a point to draw."""
    return shown[shown["x"].notna() & shown["y"].notna()]


def token_for(store_version, event_filter, datasets) -> str:
    """The name of one set of events shown (:func:`ui.published.token_for`): random, and the same for the
    same filter on the same data within this process."""
    return published.token_for(store_version, event_filter, datasets)


def map_layer(shown: pd.DataFrame, datasets: list[str], token: str, selected: str | None):
    """The imported events shown, as one gathered layer; ``selected`` an ``imported:`` id or a ``cell:``."""
    kind, _, ref = (selected or "").partition(":")
    index = None
    if kind == "imported":
        matches = (shown["id"] == ref).to_numpy().nonzero()[0]
        index = int(matches[0]) if len(matches) else None
    # Published beside the page rather than inside it: the page stays small, and the browser
    # fetches each set once (its address is its token).
    address = published.publish_events(token, lambda: event_grid.points(shown, datasets))
    return event_grid.build(address, token, selected_index=index, selected_cell=ref if kind == "cell" else None)


def selection_from_click(select: str, shown: pd.DataFrame, token: str) -> str | None:
    """A click on the gathered layer as a selection: ``imported-at:<token>:<n>`` names the n-th event
    drawn; it counts only if the map drew the events shown now (the same token)."""
    kind, _, ref = select.partition(":")
    if kind == "cell":
        return select if parse_cell(ref) else None
    if kind != "imported-at":
        return None
    clicked_token, _, position = ref.partition(":")
    if clicked_token != token or not position.isdigit() or int(position) >= len(shown):
        return None
    return f"imported:{shown['id'].iloc[int(position)]}"


def cell_events(shown: pd.DataFrame, cell: str) -> pd.DataFrame:
    """The events of ``shown`` a gathered mark counted (``cell`` as '6:23:27'); none if malformed."""
    parsed = parse_cell(cell)
    return shown.iloc[0:0] if parsed is None else events_in_cell(shown, *parsed)


def cell_html(events: pd.DataFrame, names: Names) -> str:
    """A gathered mark: how many events, of which types and datasets, over which years; escaped."""
    count = len(events)
    if not count:
        return "<h3>No events here</h3><p>None of the events shown falls in this part of the map.</p>"
    types = events["type"].value_counts()
    type_rows = "".join(
        f"<tr><th><span class='atlas-swatch' style='background:{escape(event_colour(kind))};border-radius:50%'>"
        f"</span>{escape(EVENT_TYPES.get(kind, kind))}</th><td>{number:,}</td></tr>"
        for kind, number in types.items()
    )
    datasets = events["dataset"].value_counts()
    dataset_rows = "".join(f"<tr><th>{escape(name)}</th><td>{number:,}</td></tr>" for name, number in datasets.items())
    first, last = events["date_start"].min(), events["date_end"].max()
    places = events["place_name"].dropna().value_counts().head(5)
    where = ", ".join(f"{escape(name)} ({number:,})" for name, number in places.items())
    return (
        f"<h3>{count:,} event{'s' if count != 1 else ''} of your data here</h3>"
        f"<div class='atlas-date'>{escape(first)} – {escape(last)} · imported, not from the reports</div>"
        f"<p>Most named places: {where or 'none given'}.</p>"
        f"<table class='atlas-facts'>{type_rows}</table>"
        f"<table class='atlas-facts'>{dataset_rows}</table>"
    )


def cell_list(events: pd.DataFrame) -> pd.DataFrame:
    """The events of a gathered mark for its list, the latest first, at most :data:`CELL_LIST_LIMIT`."""
    latest = events.sort_values(["date_start", "id"], ascending=False).head(CELL_LIST_LIMIT)
    return pd.DataFrame(
        {
            "Date": latest["date_start"].to_numpy(),
            "Type": latest["type"].map(lambda kind: EVENT_TYPES.get(kind, kind)).to_numpy(),
            "Event": latest["title"].to_numpy(),
            "Place": latest["place_name"].to_numpy(),
            "Dataset": latest["dataset"].to_numpy(),
            "id": latest["id"].to_numpy(),
        }
    )


def _value(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def _report_facts(original: dict) -> list[tuple[str, str]]:
    """The report an event was read from, as the user described it when keeping it."""
    cited = ", ".join(
        part
        for part in (
            _value(original.get("report_author")),
            _value(original.get("report_title")),
            _value(original.get("report_date")),
        )
        if part
    )
    return [("Report", cited), ("Link", _value(original.get("report_link")))]


def event_html(event, names: Names, matches: list[tuple[str, str]]) -> str:
    """An imported event: what the atlas made of it, then the original row, whole; escaped throughout.

    ``matches`` lists (curated id, title) of the reports' events it matches.
    """
    groups = [names.groups.get(group, group) for group in (event.groups or [])]
    original = event.original if isinstance(event.original, dict) else {}
    if isinstance(event.original, str):
        try:
            original = json.loads(event.original)
        except ValueError:
            original = {"row": event.original}
    from_report = _value(event.origin) == "report"
    origin = (
        "from your reports, read on 'Read a report'; not from the atlas's own reports"
        if from_report
        else f"imported from {_value(event.origin).upper()}, not from the reports"
    )
    facts = [
        ("Dataset", f"{_value(event.dataset)} ({origin})"),
        *(_report_facts(original) if from_report else []),
        (
            "Date",
            f"{_value(event.date_start)}"
            + (f" – {_value(event.date_end)}" if _value(event.date_end) != _value(event.date_start) else "")
            + f" ({_value(event.date_precision)})",
        ),
        ("Type", f"{_value(event.type_label)} (source: {_value(event.original_type)})"),
        (
            "Place",
            ", ".join(part for part in (_value(event.place_name), _value(event.admin1), _value(event.country)) if part)
            + f" (location {_value(event.location_precision)})",
        ),
        ("Located by", _value(event.geocode)),
        ("Actors", _value(event.actors)),
        ("Atlas groups", ", ".join(groups) or "none recognised"),
        ("Fatalities", _value(event.fatalities)),
        ("Ransom", _value(event.ransom)),
        ("Phrase" if from_report else "Source", _value(event.source_text)),
    ]
    rows = "".join(f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in facts if value)
    original_rows = "".join(
        f"<tr><th>{escape(key)}</th><td>{escape(_value(value))}</td></tr>"
        for key, value in original.items()
        if _value(value)
    )
    matched = ""
    if matches:
        matched = (
            "<div class='atlas-claims'><b>The reports tell this event too</b> (same dates within their "
            "precision, within 50 km, a shared group): "
            + "; ".join(escape(title) for _, title in matches)
            + ". Open it below.</div>"
        )
    return (
        f"<h3>{escape(_value(event.title))}</h3>"
        f"<div class='atlas-date'>{'From your reports · sentence' if from_report else 'Imported event · row'} "
        f"{escape(_value(event.row))} of {escape(_value(event.dataset))}</div>"
        f"<p>{escape(_value(event.summary))}</p>{matched}"
        f"<table class='atlas-facts'>{rows}</table>"
        f"<details><summary>{'The sentence, and how it was read' if from_report else 'The original row, as the file gave it'}</summary>"
        f"<table class='atlas-facts'>{original_rows}</table></details>"
    )


def table_rows(events: gpd.GeoDataFrame, names: Names) -> pd.DataFrame:
    """Imported events in the event table's columns (ui.charts.event_table), with their dataset."""
    groups = [
        ", ".join(names.groups.get(g, g) for g in groups) or ", ".join(actors or ())
        for groups, actors in zip(events["groups"], events["actors"])
    ]
    rows = event_table_rows(events, groups=groups, people="", sources=events["source_text"].fillna(""))
    rows.insert(0, "Dataset", events["dataset"])
    return rows


# What the charts under the map count by: an event's type, years and leading groups.
CHART_COLUMNS = ["id", "type", "year_start", "year_end", "groups", "roles", "leading_groups"]


def for_charts(curated: pd.DataFrame, shown: pd.DataFrame | None) -> pd.DataFrame:
    """The reports' events and the imported ones shown, in the columns the charts count by."""
    if shown is None or shown.empty:
        return curated
    return pd.concat([curated[CHART_COLUMNS], shown[CHART_COLUMNS]], ignore_index=True)


def combined_for_download(curated: gpd.GeoDataFrame, imported: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """The events shown, the reports' and the imported ones, one file, each row naming its dataset."""
    if imported is None or imported.empty:
        return curated
    reports = curated.assign(dataset=REPORTS, origin="reports")
    return gpd.GeoDataFrame(pd.concat([reports, imported], ignore_index=True), geometry="geometry", crs=curated.crs)
