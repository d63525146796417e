"""What every layer shares: escaping, GeoJSON building, tooltips, the contract check.

Every string that comes from data reaches the browser through :func:`escape`
first; tooltips are bound from a pre-escaped ``tooltip`` property, so no
layer can put raw data into the page.
"""

from __future__ import annotations

import html
import json
import math

import folium
import pandas as pd
from folium.utilities import JsCode
from shapely.geometry import mapping

__all__ = [
    "escape",
    "check_columns",
    "feature_collection",
    "bind_tooltips",
    "geojson_layer",
    "round_geometry",
]


def escape(value) -> str:
    """Text safe to put inside HTML: data never becomes markup."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def check_columns(frame: pd.DataFrame, required: tuple[str, ...], layer_id: str) -> None:
    """Raise ``ValueError`` naming the missing columns, so a wrong frame fails loudly."""
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(
            f"layer {layer_id!r} needs columns {', '.join(missing)}; got {', '.join(map(str, frame.columns))}"
        )


def round_geometry(geometry: dict, digits: int = 4) -> dict:
    """Coordinates rounded to ~10 m: enough for zoom 4-8, and a much smaller page."""

    def walk(value):
        if isinstance(value, (list, tuple)):
            return [walk(item) for item in value]
        return round(value, digits) if isinstance(value, float) else value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


# Shapes are immutable and the same objects from one view to the next (a filter takes rows, not
# copies): each is turned into rounded GeoJSON once, which was half the time of building the
# layers when a filter changed (the boundaries' long outlines). Keyed by identity, the shape kept
# beside its GeoJSON so that its id cannot be reused while it is here. Read-only, like all layer data.
_ROUNDED: dict[tuple[int, int], tuple] = {}
_ROUNDED_KEPT = 20_000


def _rounded_mapping(geometry, digits: int) -> dict:
    key = (id(geometry), digits)
    kept = _ROUNDED.get(key)
    if kept is not None and kept[0] is geometry:
        return kept[1]
    rounded = round_geometry(mapping(geometry), digits)
    if len(_ROUNDED) >= _ROUNDED_KEPT:
        _ROUNDED.clear()
    _ROUNDED[key] = (geometry, rounded)
    return rounded


def feature_collection(frame, properties, digits: int = 4) -> dict:
    """GeoJSON of a GeoDataFrame; ``properties(row)`` gives each feature's (escaped) properties.

    Properties must hold a unique ``id``: folium keys per-feature styles on it, and a click on
    the map reports it back to the app.
    """
    features = []
    for row in frame.itertuples(index=False):
        geometry = row.geometry
        if geometry is None or geometry.is_empty:
            continue
        feature_properties = properties(row)
        features.append(
            {
                "type": "Feature",
                "id": feature_properties["id"],
                "geometry": _rounded_mapping(geometry, digits),
                "properties": feature_properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


# Tooltips come from the 'tooltip' property, which layers fill with escaped HTML.
_TOOLTIP_JS = """
function (feature, layer) {
    if (feature.properties && feature.properties.tooltip) {
        layer.bindTooltip(feature.properties.tooltip, %s);
    }
}
"""


def bind_tooltips(**options) -> JsCode:
    return JsCode(_TOOLTIP_JS % json.dumps(options))


def geojson_layer(data: dict, name: str, style, marker=None, tooltip_options=None, **kwargs) -> folium.GeoJson:
    """One GeoJson layer for a whole kind of feature (never one marker per feature)."""
    return folium.GeoJson(
        data,
        name=name,
        style_function=style,
        marker=marker,
        on_each_feature=bind_tooltips(**(tooltip_options or {"sticky": True})),
        **kwargs,
    )
