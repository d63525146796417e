"""The offline vector basemap, and the optional online tile basemaps.

The default draws the bundled country outlines, lakes, rivers and capitals,
so the map needs nothing from the internet. Tile basemaps are offered for
users who are online and pick one.
"""

from __future__ import annotations

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from layers.common import escape, feature_collection, geojson_layer
from layers.labels import LabelLayer, label_item
from style import BASEMAP

LAYER_ID = "basemap"
TITLE = "Basemap"
REQUIRED_COLUMNS = ("name", "geometry")
BASEMAP_DIGITS = 3  # ~100 m: finer than a pixel up to zoom 8, and a third smaller page

OFFLINE = "Offline map (bundled)"
# name -> (tile URL, attribution). Only used when the user picks one.
ONLINE_TILES: dict[str, tuple[str, str]] = {
    "OpenStreetMap (online)": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    "Light (online)": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
    "Dark (online)": (
        "https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
    "Satellite (online)": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri, Maxar, Earthstar Geographics",
    ),
}
BASEMAP_CHOICES = (OFFLINE, *ONLINE_TILES)


def _named(row, prefix: str, label: str = "") -> dict:
    return {
        "id": f"{prefix}-{escape(getattr(row, 'iso_a2', None) or row.name)}",
        "kind": "basemap",
        "tooltip": f"{label}{escape(row.name)}" if isinstance(row.name, str) else "",
    }


def _numbered(frame: gpd.GeoDataFrame, prefix: str) -> dict:
    numbered = frame.reset_index(drop=True)
    numbered = numbered.assign(row_number=numbered.index.astype(str))
    return feature_collection(
        numbered,
        lambda row: {
            "id": f"{prefix}-{row.row_number}",
            "kind": "basemap",
            "tooltip": escape(row.name) if isinstance(row.name, str) else "",
        },
        digits=BASEMAP_DIGITS,
    )


def basemap_features(basemap: dict[str, gpd.GeoDataFrame]) -> dict[str, dict]:
    """The basemap as GeoJSON, once: the app caches this, as it never changes."""
    countries = basemap["countries"]
    label_points = countries.assign(geometry=countries.geometry.representative_point())
    return {
        "countries": feature_collection(countries, lambda row: _named(row, "country"), digits=BASEMAP_DIGITS),
        "lakes": _numbered(basemap["lakes"], "lake"),
        "rivers": _numbered(basemap["rivers"], "river"),
        "country_names": feature_collection(
            label_points,
            lambda row: {
                "id": f"country-label-{escape(row.iso_a2)}",
                "kind": "basemap",
                "tooltip": escape(row.name).upper(),
                "label": str(row.name),
            },
        ),
        "capitals": feature_collection(
            basemap["capitals"],
            lambda row: {
                "id": f"capital-{escape(row.name)}",
                "kind": "basemap",
                "tooltip": f"{escape(row.name)} (capital)",
            },
        ),
    }


_STYLES = {
    "countries": {"fillColor": BASEMAP["land"], "fillOpacity": 1, "color": BASEMAP["border"], "weight": 1.2},
    "lakes": {"fillColor": BASEMAP["lake"], "fillOpacity": 1, "color": BASEMAP["river"], "weight": 0.6},
    "rivers": {"color": BASEMAP["river"], "weight": 1.6, "opacity": 0.9},
    "capitals": {
        "radius": 3,
        "color": BASEMAP["capital"],
        "weight": 1.5,
        "fillColor": "#ffffff",
        "fillOpacity": 1,
        "fill": True,
    },
}
_POINTS = {"capitals"}
# Below the data layers whatever order things load in (Leaflet's overlay pane is at 400).
BASEMAP_PANE = "atlas-basemap"
for _style in _STYLES.values():
    _style["pane"] = BASEMAP_PANE
BASEMAP_PARTS = tuple(_STYLES)  # drawn in this order; country names go to the map's label layout


class _FetchedGeoJson(MacroElement):
    """A GeoJSON layer whose features the browser fetches from the app (not inlined in the page)."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = L.geoJson(null, {
        pane: {{ this.style.pane|tojson }},
        style: function () { return {{ this.style|tojson }}; },
        {%- if this.points %}
        pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, {{ this.style|tojson }}); },
        {%- endif %}
        onEachFeature: function (feature, layer) {
            if (feature.properties && feature.properties.tooltip) {
                layer.bindTooltip(feature.properties.tooltip, {{ this.tooltip|tojson }});
            }
        }
    }).addTo({{ this._parent.get_name() }});
    // Fetched side by side but drawn in order: the countries' opaque fill, often the last to
    // arrive, would otherwise cover the lakes, rivers and capitals drawn before it.
    var {{ this.get_name() }}_data = fetch({{ this.url|tojson }})
        .then(function (response) { return response.json(); });
    {{ this._parent.get_name() }}.basemapDrawn = ({{ this._parent.get_name() }}.basemapDrawn || Promise.resolve())
        .then(function () { return {{ this.get_name() }}_data; })
        .then(function (data) { {{ this.get_name() }}.addData(data); })
        .catch(function () {});
    {% endmacro %}
    """)

    def __init__(self, url: str, style: dict, points: bool, tooltip: dict):
        super().__init__()
        self._name = "FetchedGeoJson"
        self.url, self.style, self.points, self.tooltip = url, style, points, tooltip


def build(features: dict[str, dict], style: dict | None = None, url_base: str | None = None) -> folium.FeatureGroup:
    """Countries, lakes, rivers, capitals and country names, from :func:`basemap_features`.

    With ``url_base`` the browser fetches each part from ``{url_base}/{part}.geojson``
    (served by the app), which keeps the page small and every rerun fast; without it the
    features are written into the page, for a standalone HTML file.

    Country outlines are the coastline too, so the separate coastline layer (kept for
    export) is not drawn: it would double the page for no visible gain at zoom 4-8.
    """
    group = folium.FeatureGroup(name=TITLE, control=False)
    for part in BASEMAP_PARTS:  # in BASEMAP_PANE, which the map must have (layers.atlas_map.new_map)
        tooltip = {"sticky": True}
        if url_base:
            _FetchedGeoJson(f"{url_base.rstrip('/')}/{part}.geojson", _STYLES[part], part in _POINTS, tooltip).add_to(
                group
            )
        else:
            fixed = _STYLES[part]
            geojson_layer(
                features[part],
                part,
                style=lambda feature, fixed=fixed: fixed,
                marker=folium.CircleMarker(radius=3, fill=True) if part in _POINTS else None,
                tooltip_options=tooltip,
                pane=BASEMAP_PANE,
            ).add_to(group)
    LabelLayer("countries", country_labels(features["country_names"])).add_to(group)
    return group


def country_labels(country_names: dict) -> list[dict]:
    """Country names for the map's label layout: centred, and the first to give way."""
    return [
        label_item(
            feature["geometry"]["coordinates"][1],
            feature["geometry"]["coordinates"][0],
            feature["properties"]["label"],
            "country",
            anchor="centre",
        )
        for feature in country_names["features"]
    ]


def add_tiles(fmap: folium.Map, choice: str) -> folium.TileLayer | None:
    """Put the chosen online tiles under everything (None for the offline map)."""
    if choice not in ONLINE_TILES:
        return None
    url, attribution = ONLINE_TILES[choice]
    return folium.TileLayer(tiles=url, attr=attribution, name=choice, control=False).add_to(fmap)
