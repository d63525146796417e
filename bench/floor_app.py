"""The framework floor: a bare Streamlit page with one st_folium map of 30 markers.

What any Streamlit + folium page costs to start, for bench/dashboard.py to compare the
app with. Leaflet is served by Streamlit from the static folder beside this page, as the
app serves it (no CDN); bench/dashboard.py copies it there (ui.assets.ensure_leaflet).
"""

from __future__ import annotations

import folium
from streamlit_folium import st_folium

LEAFLET = "/app/static/vendor/leaflet"  # ui.assets.LEAFLET_URL
# 30 towns of the Sahel, spread over the operating area.
TOWNS = [
    (36.75, 3.06),
    (34.02, -6.84),
    (33.57, -7.59),
    (31.63, -8.01),
    (27.88, -0.28),
    (26.57, -0.31),
    (24.55, 9.48),
    (22.79, 5.53),
    (20.45, 0.03),
    (18.08, -15.97),
    (18.45, 1.41),
    (16.77, -3.01),
    (16.27, -0.04),
    (12.64, -8.0),
    (14.49, -4.2),
    (13.51, 2.11),
    (12.37, -1.52),
    (14.69, -17.44),
    (16.97, 7.99),
    (18.74, 7.39),
    (20.02, 1.73),
    (19.6, 1.27),
    (17.43, 0.29),
    (15.11, -3.0),
    (13.45, -6.27),
    (11.85, 13.16),
    (12.11, 15.04),
    (32.89, 13.19),
    (30.06, 31.25),
    (15.5, 32.56),
]


class FloorMap(folium.Map):
    """folium.Map with Leaflet only, served locally: the same swap as layers.atlas_map.OfflineMap."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_js = [("leaflet", f"{LEAFLET}/leaflet.js")]
        self.default_css = [("leaflet_css", f"{LEAFLET}/leaflet.css")]


fmap = FloorMap(location=[21.0, 4.0], zoom_start=4, tiles=None)
for lat, lon in TOWNS:
    folium.CircleMarker([lat, lon], radius=6, color="#b2182b", fill=True, class_name="floor-marker").add_to(fmap)
st_folium(fmap, key="floor-map", height=660, use_container_width=True, returned_objects=[])
