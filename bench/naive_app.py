"""The naive way, for bench/scale.py to measure against: one folium CircleMarker per imported event.

A year slider (key ``years``, as on the dashboard) filters the workspace's events
(``SAHEL_ATLAS_WORKSPACE``) with the atlas's own filter; every event shown becomes a
CircleMarker on a plain folium map, Leaflet served locally as the app does.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo.filters import EventFilter, events_matching, with_earlier_background  # noqa: E402
from geo.workspace import open_workspace  # noqa: E402
from layers.atlas_map import OfflineMap  # noqa: E402
from style import event_colour  # noqa: E402
from ui.assets import ensure_leaflet  # noqa: E402

ensure_leaflet(Path(__file__).resolve().parent / "static" / "vendor" / "leaflet")
events = open_workspace().events()
FIRST_SHOWN = 2003  # the dashboard's slider starts in the atlas's first year
first, last = FIRST_SHOWN, int(events["year_end"].max())
start = int(st.query_params.get("from", first))
end = int(st.query_params.get("to", last))
years = st.slider("Years", first, last, (max(first, start), min(last, end)), key="years")
# The dashboard's own reading of the years: at 2003, what began earlier shows too.
shown = events_matching(events, with_earlier_background(EventFilter(year_from=years[0], year_to=years[1]), FIRST_SHOWN))
st.write(f"{len(shown):,} events")
fmap = OfflineMap(location=[17, 0], zoom_start=5, tiles=None)
for point, kind in zip(shown.geometry, shown["type"]):
    folium.CircleMarker([point.y, point.x], radius=4, color=event_colour(kind), fill=True, weight=1).add_to(fmap)
st_folium(fmap, key="naive-map", height=700, use_container_width=True, returned_objects=[])
