"""Organisational boundaries in force, and the regions the reports name.

Approximate outlines are dashed and say 'approximate' in their tooltip;
boundaries the reports describe precisely are drawn solid. Where two areas
share (nearly) one outline, the first is drawn as a wide pale band and the
next as a line along it, so both stay visible. Only the outlines take clicks
(a click inside an area falls through to the map), and a click where outlines
meet lets the user choose (map_engine.js).
"""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.common import check_columns, escape, feature_collection, geojson_layer
from layers.labels import LabelLayer, label_item
from style import AREA_PALETTE, HIGHLIGHT, outline_styles

LAYER_ID = "boundaries"
TITLE = "Boundaries"
REQUIRED_COLUMNS = ("id", "name", "kind", "approximate", "geometry")


def _period(row) -> str:
    start, end = getattr(row, "valid_from", None), getattr(row, "valid_to", None)
    if not start and not end:
        return ""
    return f"<br>{escape(str(start or '…')[:7])} – {escape(str(end or '…')[:7])}"


def _properties(row, prefix: str, selected: str | None = None, highlighted: frozenset[str] | None = None) -> dict:
    approximate = bool(row.approximate)
    return {
        "id": f"{prefix}-{row.id}",
        "kind": prefix,
        "layer": LAYER_ID,
        "ref": row.id,
        "select": f"{prefix}:{row.id}",
        "outline": row.outline,
        # A story step's highlighted outline is drawn as a chosen one; the rest fade.
        "selected": row.id == selected or (highlighted is not None and row.id in highlighted),
        "dimmed": highlighted is not None and row.id not in highlighted and row.id != selected,
        "colour": getattr(row, "colour", None) or AREA_PALETTE[0],
        "approximate": approximate,
        "tooltip": (
            f"<b>{escape(row.name)}</b>{_period(row)}" + ("<br><i>approximate outline</i>" if approximate else "")
        ),
    }


def _style(feature) -> dict:
    properties = feature["properties"]
    band, chosen = properties["outline"] == "band", properties.get("selected")
    # The chosen outline is drawn heavier, as a chosen mark is ringed.
    faded = HIGHLIGHT["dimmed_opacity"] if properties.get("dimmed") else 1
    return {
        "color": properties["colour"],
        "weight": (10 if band else 2.5) + (3 if chosen else 0),
        "opacity": (0.75 if chosen else 0.35 if band else 0.95) * faded,
        "fillColor": properties["colour"],
        "fillOpacity": 0.03,
        "lineJoin": "round",
        "dashArray": "7 6" if properties["approximate"] and not band else None,
        "pane": "atlas-areas",
        "className": f"atlas-{properties['kind']}",
    }


def build(
    areas: gpd.GeoDataFrame,
    style: dict | None = None,
    prefix: str = "boundary",
    title: str = TITLE,
    labelled: bool = False,
    selected: str | None = None,
    highlighted: frozenset[str] | None = None,
) -> folium.FeatureGroup:
    """Outlined areas, one GeoJson layer for all of them; ``labelled`` names each on the map;
    ``selected`` is the id of the area the user chose; ``highlighted`` (ids), when given,
    draws those areas heavier and fades the rest."""
    check_columns(areas, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=title)
    if areas.empty:
        return group
    areas = areas.assign(outline=outline_styles(areas))
    geojson_layer(
        feature_collection(areas, lambda row: _properties(row, prefix, selected, highlighted)), title, style=_style
    ).add_to(group)
    if labelled:
        anchors = areas.geometry.representative_point()
        LabelLayer(
            f"{prefix}-names",
            [
                label_item(point.y, point.x, row.name, "region", anchor="centre", colour=getattr(row, "colour", None))
                for row, point in zip(areas.itertuples(index=False), anchors)
            ],
        ).add_to(group)
    return group
