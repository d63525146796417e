"""Events from the user's own data: one layer per dataset, drawn apart from the reports' events.

Imported events are smaller, paler and dashed-edged (``layers.style.IMPORTED``),
in a pane under the reports' marks, and are never spaced apart on screen: a
dataset may hold thousands. One GeoJson layer per dataset, never one folium
object per event.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.common import check_columns, escape, geojson_layer
from layers.style import IMPORTED, MARKS, event_colour

__all__ = ["build", "LAYER_ID"]

LAYER_ID = "imported"
REQUIRED_COLUMNS = ("id", "dataset", "date_start", "type", "title", "geometry")


def _tooltips(events: gpd.GeoDataFrame, dataset: str) -> list[str]:
    """Escaped tooltips, made for the whole frame at once (a dataset may hold thousands)."""
    kinds = events["original_type"].where(events["original_type"].fillna("").astype(str) != "", events["type"])
    footer = f"<br><i>{escape(dataset)} (imported, not from the reports)</i>"
    return [f"<b>{escape(title)}</b><br>{escape(date)} · {escape(kind)}{footer}"
            for title, date, kind in zip(events["title"], events["date_start"], kinds)]


def _points(events: gpd.GeoDataFrame, selected: str | None) -> dict:
    """The GeoJSON of the events' points, built column by column rather than row by row."""
    xs, ys = events.geometry.x.round(3).tolist(), events.geometry.y.round(3).tolist()
    colours = events["type"].map(event_colour).tolist()
    features = [{"type": "Feature", "id": event_id,
                 "geometry": {"type": "Point", "coordinates": [x, y]},
                 "properties": {"id": event_id, "kind": "imported", "layer": LAYER_ID, "mark": "imported",
                                "select": f"imported:{event_id}", "colour": colour, "selected": event_id == selected,
                                "tooltip": tooltip}}
                for event_id, x, y, colour, tooltip in zip(events["id"], xs, ys, colours,
                                                            _tooltips(events, events["dataset"].iloc[0]))]
    return {"type": "FeatureCollection", "features": features}


def _style(feature) -> dict:
    properties = feature["properties"]
    chosen = properties["selected"]
    return {"radius": IMPORTED["radius"] + (2 if chosen else 0), "fillColor": properties["colour"],
            "fillOpacity": IMPORTED["fill_opacity"], "color": MARKS["selected"] if chosen else IMPORTED["edge"],
            "weight": 3.5 if chosen else IMPORTED["weight"], "dashArray": None if chosen else IMPORTED["dash"],
            "pane": "atlas-imported", "className": "atlas-imported"}


def build(events: gpd.GeoDataFrame, dataset: str, selected: str | None = None) -> folium.FeatureGroup:
    """The events of one imported dataset; ``selected`` is an event id."""
    check_columns(events, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=f"{dataset} (imported)")
    located = events[events.geometry.notna() & ~events.geometry.is_empty]
    if located.empty:
        return group
    geojson_layer(_points(located, selected), f"{dataset} (imported)", style=_style,
                  marker=folium.CircleMarker(radius=IMPORTED["radius"], fill=True)).add_to(group)
    return group
