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


def _named(row, prefix: str, label: str) -> dict:
    return {"id": f"{prefix}-{escape(getattr(row, 'iso_a2', None) or row.name)}", "kind": "basemap",
            "tooltip": f"{label}{escape(row.name)}" if row.name else ""}


def build(basemap: dict[str, gpd.GeoDataFrame], style: dict | None = None) -> folium.FeatureGroup:
    """Countries, lakes, rivers, coastlines and capitals as a handful of GeoJson layers."""
    group = folium.FeatureGroup(name=TITLE, control=False)
    countries = basemap["countries"]
    geojson_layer(
        feature_collection(countries, lambda row: _named(row, "country", "")),
        "Countries",
        style=lambda feature: {"fillColor": BASEMAP["land"], "fillOpacity": 1, "color": BASEMAP["border"],
                               "weight": 1.2},
    ).add_to(group)
    if "coastlines" in basemap and not basemap["coastlines"].empty:
        coast = basemap["coastlines"].reset_index(drop=True)
        geojson_layer(
            feature_collection(coast.assign(name=None, id=coast.index.astype(str)),
                               lambda row: {"id": f"coast-{row.id}", "kind": "basemap"}),
            "Coastlines", style=lambda feature: {"color": BASEMAP["coast"], "weight": 1},
        ).add_to(group)
    lakes = basemap["lakes"].reset_index(drop=True)
    geojson_layer(
        feature_collection(lakes.assign(id=lakes.index.astype(str)),
                           lambda row: {"id": f"lake-{row.id}", "kind": "basemap",
                                        "tooltip": escape(row.name) if row.name else ""}),
        "Lakes",
        style=lambda feature: {"fillColor": BASEMAP["lake"], "fillOpacity": 1, "color": BASEMAP["river"],
                               "weight": 0.6},
    ).add_to(group)
    geojson_layer(
        feature_collection(basemap["rivers"], lambda row: {"id": f"river-{escape(row.name)}", "kind": "basemap",
                                                            "tooltip": escape(row.name)}),
        "Rivers", style=lambda feature: {"color": BASEMAP["river"], "weight": 1.6, "opacity": 0.9},
    ).add_to(group)
    # Country names as permanent labels at a point inside each country.
    inside = countries.assign(geometry=countries.geometry.representative_point())
    geojson_layer(
        feature_collection(inside, lambda row: {"id": f"country-label-{escape(row.iso_a2)}", "kind": "basemap",
                                                 "tooltip": escape(row.name).upper()}),
        "Country names",
        style=lambda feature: {"radius": 0, "opacity": 0, "fillOpacity": 0},
        marker=folium.CircleMarker(radius=0),
        tooltip_options={"permanent": True, "direction": "center", "className": "atlas-country-label"},
    ).add_to(group)
    capitals = basemap["capitals"]
    geojson_layer(
        feature_collection(capitals, lambda row: {"id": f"capital-{escape(row.name)}", "kind": "basemap",
                                                   "tooltip": f"{escape(row.name)} (capital)"}),
        "Capitals",
        style=lambda feature: {"radius": 3, "color": BASEMAP["capital"], "weight": 1.5, "fillColor": "#ffffff",
                               "fillOpacity": 1},
        marker=folium.CircleMarker(radius=3),
    ).add_to(group)
    return group


def add_tiles(fmap: folium.Map, choice: str) -> None:
    """Put the chosen online tiles under everything (no-op for the offline map)."""
    if choice in ONLINE_TILES:
        url, attribution = ONLINE_TILES[choice]
        folium.TileLayer(tiles=url, attr=attribution, name=choice, control=False).add_to(fmap)
