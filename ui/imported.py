"""The user's own data on the dashboard: which datasets show, their layers, and an imported event's details.

Imported events are never the reports' events: they are drawn in their own style,
named with their dataset everywhere, and their details show the original row as
the file gave it (escaped), with the reports' account of the same event, if any.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from layers import imported as imported_layer
from layers.common import escape
from ui.details import Names

__all__ = ["layer_groups", "legend_rows", "event_html", "table_rows", "combined_for_download"]

REPORTS = "Sahel Atlas (reports)"  # the dataset name the curated events carry in tables and files


def layer_groups(events: gpd.GeoDataFrame, datasets: list[str], selected: str | None) -> list:
    """One layer per dataset shown, in the order the user listed the datasets."""
    kind, _, ref = (selected or "").partition(":")
    chosen = ref if kind == "imported" else None
    return [imported_layer.build(events[events["dataset"] == name], name, selected=chosen)
            for name in datasets if (events["dataset"] == name).any()]


def legend_rows(events: gpd.GeoDataFrame) -> list[str]:
    """The datasets drawn, for the legend."""
    return list(dict.fromkeys(events["dataset"])) if len(events) else []


def _value(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def event_html(event, names: Names, matches: list[tuple[str, str]]) -> str:
    """An imported event: what the atlas made of it, then the original row, whole; escaped throughout.

    ``matches`` lists (curated id, title) of the reports' events it matches.
    """
    groups = [names.groups.get(group, group) for group in (event.groups or [])]
    facts = [("Dataset", f"{_value(event.dataset)} (imported from {_value(event.origin).upper()}, not from the "
                         "reports)"),
             ("Date", f"{_value(event.date_start)}"
                      + (f" – {_value(event.date_end)}" if _value(event.date_end) != _value(event.date_start) else "")
                      + f" ({_value(event.date_precision)})"),
             ("Type", f"{_value(event.type_label)} (source: {_value(event.original_type)})"),
             ("Place", ", ".join(part for part in (_value(event.place_name), _value(event.admin1),
                                                   _value(event.country)) if part)
              + f" (location {_value(event.location_precision)})"),
             ("Located by", _value(event.geocode)),
             ("Actors", _value(event.actors)),
             ("Atlas groups", ", ".join(groups) or "none recognised"),
             ("Fatalities", _value(event.fatalities)),
             ("Ransom", _value(event.ransom)),
             ("Source", _value(event.source_text))]
    rows = "".join(f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in facts if value)
    original = event.original if isinstance(event.original, dict) else {}
    if isinstance(event.original, str):
        try:
            original = json.loads(event.original)
        except ValueError:
            original = {"row": event.original}
    original_rows = "".join(f"<tr><th>{escape(key)}</th><td>{escape(_value(value))}</td></tr>"
                            for key, value in original.items() if _value(value))
    matched = ""
    if matches:
        matched = ("<div class='atlas-claims'><b>The reports tell this event too</b> (same dates within their "
                   "precision, within 50 km, a shared group): "
                   + "; ".join(escape(title) for _, title in matches) + ". Open it below.</div>")
    return (f"<h3>{escape(_value(event.title))}</h3>"
            f"<div class='atlas-date'>Imported event · row {escape(_value(event.row))} of "
            f"{escape(_value(event.dataset))}</div>"
            f"<p>{escape(_value(event.summary))}</p>{matched}"
            f"<table class='atlas-facts'>{rows}</table>"
            f"<details><summary>The original row, as the file gave it</summary>"
            f"<table class='atlas-facts'>{original_rows}</table></details>")


def table_rows(events: gpd.GeoDataFrame, names: Names) -> pd.DataFrame:
    """Imported events in the event table's columns (ui.charts.event_table), with their dataset."""
    return pd.DataFrame({
        "Dataset": events["dataset"],
        "Date": events["date_start"],
        "Until": events["date_end"].where(events["date_end"] != events["date_start"], ""),
        "Precision": events["date_precision"],
        "Type": events["type_label"],
        "Event": events["title"],
        "Place": events["place_name"],
        "Groups": [", ".join(names.groups.get(g, g) for g in groups) or ", ".join(actors or ())
                   for groups, actors in zip(events["groups"], events["actors"])],
        "People": "",
        "Sources": events["source_text"].fillna(""),
    })


def combined_for_download(curated: gpd.GeoDataFrame, imported: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The events shown, the reports' and the imported ones, one file, each row naming its dataset."""
    if imported.empty:
        return curated
    reports = curated.assign(dataset=REPORTS, origin="reports")
    return gpd.GeoDataFrame(pd.concat([reports, imported], ignore_index=True), geometry="geometry", crs=curated.crs)
