"""Organisational boundaries in force, and the regions the reports name.

Approximate outlines are dashed and say 'approximate' in their tooltip;
boundaries the reports describe precisely are drawn solid.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.common import check_columns, escape, feature_collection, geojson_layer
from layers.style import AREA_PALETTE

LAYER_ID = "boundaries"
TITLE = "Boundaries"
REQUIRED_COLUMNS = ("id", "name", "kind", "approximate", "geometry")


def with_colours(areas: gpd.GeoDataFrame, palette: tuple[str, ...] = AREA_PALETTE) -> gpd.GeoDataFrame:
    """Give each area its colour once, on the full table, so filtering never recolours it."""
    return areas.assign(colour=[palette[i % len(palette)] for i in range(len(areas))])


def _period(row) -> str:
    start, end = getattr(row, "valid_from", None), getattr(row, "valid_to", None)
    if not start and not end:
        return ""
    return f"<br>{escape(str(start or '…')[:7])} – {escape(str(end or '…')[:7])}"


def _properties(row, prefix: str) -> dict:
    approximate = bool(row.approximate)
    return {
        "id": f"{prefix}-{row.id}", "kind": prefix, "layer": LAYER_ID, "ref": row.id,
        "colour": getattr(row, "colour", None) or AREA_PALETTE[0],
        "approximate": approximate,
        "tooltip": (f"<b>{escape(row.name)}</b>{_period(row)}"
                    + ("<br><i>approximate outline</i>" if approximate else "")),
    }


def _style(feature) -> dict:
    properties = feature["properties"]
    return {"color": properties["colour"], "weight": 2.5, "fillColor": properties["colour"], "fillOpacity": 0.06,
            "dashArray": "7 6" if properties["approximate"] else None, "className": f"atlas-{properties['kind']}"}


def build(areas: gpd.GeoDataFrame, style: dict | None = None, prefix: str = "boundary",
          title: str = TITLE) -> folium.FeatureGroup:
    """Outlined areas, one GeoJson layer for all of them."""
    check_columns(areas, REQUIRED_COLUMNS, LAYER_ID)
    group = folium.FeatureGroup(name=title)
    if areas.empty:
        return group
    geojson_layer(feature_collection(areas, lambda row: _properties(row, prefix)), title, style=_style).add_to(group)
    return group
