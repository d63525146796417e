"""The Leaflet map itself: Leaflet served from our own assets, the basemap, the CSS.

``folium.Map`` loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs.
:class:`OfflineMap` loads only Leaflet, from ``asset_base`` (the app serves
it under ``/app/static``), so the map renders with no internet at all.
"""

from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from layers import basemap as basemap_layer

__all__ = ["OfflineMap", "new_map", "view_to_url", "DEFAULT_VIEW", "LEAFLET_FILES"]

# Centre (lat, lon) and zoom that show the whole operating area on a laptop screen.
DEFAULT_VIEW = (20.5, 4.0, 4)
# Files of Leaflet the page needs, relative to the asset base.
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png")

_CSS = """
<style>
.leaflet-container { background: #cfe3ef; font-family: "Helvetica Neue", Arial, sans-serif; }
.leaflet-tooltip.atlas-label, .leaflet-tooltip.atlas-country-label {
  background: transparent; border: 0; box-shadow: none; padding: 0; pointer-events: none;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;
}
.leaflet-tooltip.atlas-label { font-size: 12px; font-weight: 600; color: #222; }
.leaflet-tooltip.atlas-country-label { font-size: 11px; letter-spacing: .12em; color: #6b6259; }
.leaflet-tooltip.atlas-label:before, .leaflet-tooltip.atlas-country-label:before { display: none; }
.atlas-legend { background: rgba(255,255,255,.93); padding: 8px 10px; border-radius: 6px; line-height: 1.5;
  font-size: 12px; color: #222; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 60vh; overflow-y: auto; }
.atlas-swatch { display: inline-block; width: 10px; height: 10px; vertical-align: middle; margin-right: 4px; }
.atlas-line { display: inline-block; width: 22px; vertical-align: middle; margin-right: 4px; }
</style>
"""


class OfflineMap(folium.Map):
    """A folium map that loads Leaflet from ``asset_base`` instead of CDNs."""

    def __init__(self, *args, asset_base: str = "/app/static/vendor/leaflet", **kwargs):
        super().__init__(*args, **kwargs)
        base = asset_base.rstrip("/")
        # Instance attributes shadow folium's CDN lists (class attributes).
        self.default_js = [("leaflet", f"{base}/leaflet.js")]
        self.default_css = [("leaflet_css", f"{base}/leaflet.css")]


def new_map(basemap: dict[str, dict], basemap_choice: str = basemap_layer.OFFLINE,
            view: tuple[float, float, int] = DEFAULT_VIEW, asset_base: str = "/app/static/vendor/leaflet",
            height: str = "100%") -> OfflineMap:
    """A map with the chosen basemap and nothing else; data layers are added per rerun.

    ``basemap`` is :func:`layers.basemap.basemap_features` of the bundled basemap.
    """
    lat, lon, zoom = view
    fmap = OfflineMap(location=[lat, lon], zoom_start=zoom, tiles=None, min_zoom=3, max_zoom=10,
                      control_scale=True, asset_base=asset_base, height=height)
    fmap.get_root().header.add_child(Element(_CSS))
    if basemap_choice == basemap_layer.OFFLINE:
        basemap_layer.build(basemap).add_to(fmap)
    else:
        basemap_layer.add_tiles(fmap, basemap_choice)
    return fmap


class _ViewInUrl(MacroElement):
    """After each pan or zoom, write lat/lon/zoom into the page's URL (no rerun, no reload).

    Also re-places permanent labels once the frame has its final size: Leaflet
    moves its shapes then, but leaves open tooltips (our labels) where they were.
    """

    _template = Template("""
    {% macro script(this, kwargs) %}
    function {{ this.get_name() }}_placeLabels() {
        {{ this._parent.get_name() }}.eachLayer(function (layer) {
            var tip = layer.getTooltip && layer.getTooltip();
            if (tip && layer.isTooltipOpen()) { tip.update(); }
        });
    }
    {{ this._parent.get_name() }}.on("resize moveend", {{ this.get_name() }}_placeLabels);
    setTimeout({{ this.get_name() }}_placeLabels, 300);
    // The app rewrites the query string when filters change; put the view back each time.
    function {{ this.get_name() }}_writeView() {
        try {
            var map = {{ this._parent.get_name() }};
            var page = window.parent;
            var url = new URL(page.location.href);
            var centre = map.getCenter();
            var view = {lat: centre.lat.toFixed(3), lon: centre.lng.toFixed(3), zoom: String(map.getZoom())};
            var changed = false;
            for (var key in view) {
                if (url.searchParams.get(key) !== view[key]) { url.searchParams.set(key, view[key]); changed = true; }
            }
            if (changed) { page.history.replaceState(page.history.state, "", url.toString()); }
        } catch (error) { /* a page that embeds the map elsewhere keeps its own URL */ }
    }
    {{ this._parent.get_name() }}.on("moveend", {{ this.get_name() }}_writeView);
    setInterval({{ this.get_name() }}_writeView, 1000);
    {% endmacro %}
    """)


def view_to_url(fmap: folium.Map) -> folium.Map:
    """Keep the shareable link in step with the map view, without rerunning the app."""
    _ViewInUrl().add_to(fmap)
    return fmap
