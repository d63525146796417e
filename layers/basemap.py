"""The offline vector basemap, and the optional online tile basemaps.

The default draws the bundled country outlines, lakes, rivers and capitals,
so the map needs nothing from the internet. Tile basemaps are offered for
users who are online and pick one.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.common import escape, feature_collection, geojson_layer
from layers.style import BASEMAP

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
    return {"id": f"{prefix}-{escape(getattr(row, 'iso_a2', None) or row.name)}", "kind": "basemap",
            "tooltip": f"{label}{escape(row.name)}" if isinstance(row.name, str) else ""}


def _numbered(frame: gpd.GeoDataFrame, prefix: str) -> dict:
    numbered = frame.reset_index(drop=True)
    numbered = numbered.assign(row_number=numbered.index.astype(str))
    return feature_collection(numbered, lambda row: {
        "id": f"{prefix}-{row.row_number}", "kind": "basemap",
        "tooltip": escape(row.name) if isinstance(row.name, str) else ""}, digits=BASEMAP_DIGITS)


def basemap_features(basemap: dict[str, gpd.GeoDataFrame]) -> dict[str, dict]:
    """The basemap as GeoJSON, once: the app caches this, as it never changes."""
    countries = basemap["countries"]
    label_points = countries.assign(geometry=countries.geometry.representative_point())
    return {
        "countries": feature_collection(countries, lambda row: _named(row, "country"), digits=BASEMAP_DIGITS),
        "lakes": _numbered(basemap["lakes"], "lake"),
        "rivers": _numbered(basemap["rivers"], "river"),
        "country_names": feature_collection(label_points, lambda row: {
            "id": f"country-label-{escape(row.iso_a2)}", "kind": "basemap", "tooltip": escape(row.name).upper()}),
        "capitals": feature_collection(basemap["capitals"], lambda row: {
            "id": f"capital-{escape(row.name)}", "kind": "basemap", "tooltip": f"{escape(row.name)} (capital)"}),
    }


def _fixed(style: dict):
    return lambda feature: style


def build(features: dict[str, dict], style: dict | None = None) -> folium.FeatureGroup:
    """Countries, lakes, rivers, country names and capitals, from :func:`basemap_features`.

    Country outlines are the coastline too, so the separate coastline layer (kept for
    export) is not drawn: it would double the page for no visible gain at zoom 4-8.
    """
    group = folium.FeatureGroup(name=TITLE, control=False)
    geojson_layer(features["countries"], "Countries",
                  style=_fixed({"fillColor": BASEMAP["land"], "fillOpacity": 1, "color": BASEMAP["border"],
                                "weight": 1.2})).add_to(group)
    geojson_layer(features["lakes"], "Lakes",
                  style=_fixed({"fillColor": BASEMAP["lake"], "fillOpacity": 1, "color": BASEMAP["river"],
                                "weight": 0.6})).add_to(group)
    geojson_layer(features["rivers"], "Rivers",
                  style=_fixed({"color": BASEMAP["river"], "weight": 1.6, "opacity": 0.9})).add_to(group)
    geojson_layer(features["country_names"], "Country names",
                  style=_fixed({"radius": 0, "opacity": 0, "fillOpacity": 0}),
                  marker=folium.CircleMarker(radius=0),
                  tooltip_options={"permanent": True, "direction": "center",
                                   "className": "atlas-country-label"}).add_to(group)
    geojson_layer(features["capitals"], "Capitals",
                  style=_fixed({"radius": 3, "color": BASEMAP["capital"], "weight": 1.5, "fillColor": "#ffffff",
                                "fillOpacity": 1}),
                  marker=folium.CircleMarker(radius=3, fill=True)).add_to(group)
    return group


def add_tiles(fmap: folium.Map, choice: str) -> None:
    """Put the chosen online tiles under everything (no-op for the offline map)."""
    if choice in ONLINE_TILES:
        url, attribution = ONLINE_TILES[choice]
        folium.TileLayer(tiles=url, attr=attribution, name=choice, control=False).add_to(fmap)
