"""Map layers: each module turns a filtered (Geo)DataFrame into a folium FeatureGroup.

Every layer module exposes ``LAYER_ID``, ``TITLE``, ``REQUIRED_COLUMNS`` and
``build(frame, style=None) -> folium.FeatureGroup``; none reads files or
imports Streamlit. :data:`LAYERS` is the registry the app and tests use.
"""

from layers import basemap, boundaries, events, places, routes, towns

LAYERS = {module.LAYER_ID: module for module in (places, towns, events, routes, boundaries)}

__all__ = ["LAYERS", "basemap", "boundaries", "events", "places", "routes", "towns"]
