"""The Leaflet map itself: Leaflet served from our own assets, the basemap, the CSS.

``folium.Map`` loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs.
:class:`OfflineMap` loads only Leaflet, from ``asset_base`` (the app serves
it under ``/app/static``), so the map renders with no internet at all.
"""

from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from folium.map import CustomPane
from jinja2 import Template

from layers import basemap as basemap_layer

__all__ = ["OfflineMap", "new_map", "view_to_url", "DEFAULT_VIEW", "LEAFLET_FILES"]

# The operating area, [[south, west], [north, east]]: the map opens fitted to it.
OPERATING_AREA_BOUNDS = [[4.0, -18.0], [38.0, 26.0]]
DEFAULT_VIEW = (21.0, 4.0, 4)
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
.atlas-legend { background: rgba(255,255,255,.93); padding: 6px 9px; border-radius: 6px; line-height: 1.35;
  font-size: 11.5px; color: #222; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 55vh; overflow-y: auto;
  max-width: 420px; }
.atlas-legend summary { cursor: pointer; font-weight: 700; }
.atlas-legend-block { margin-bottom: 2px; }
.atlas-two-columns { columns: 2; column-gap: 12px; }
.atlas-two-columns div { break-inside: avoid; white-space: nowrap; }
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
            view: tuple[float, float, float] | None = None, asset_base: str = "/app/static/vendor/leaflet",
            height: str = "100%", basemap_url: str | None = None) -> OfflineMap:
    """A map with the chosen basemap and nothing else; data layers are added per rerun.

    ``view`` (lat, lon, zoom) comes from a shared link; without one the map fits the
    operating area. With ``basemap_url`` the browser fetches the basemap from there
    (see :func:`layers.basemap.build`); otherwise it is written into the page.

    ``basemap`` is :func:`layers.basemap.basemap_features` of the bundled basemap.
    """
    lat, lon, zoom = view or DEFAULT_VIEW
    # Quarter zoom steps let the whole area fill a map of any width.
    fmap = OfflineMap(location=[lat, lon], zoom_start=zoom, tiles=None, min_zoom=3, max_zoom=10, zoom_snap=0.25,
                      zoom_delta=0.5, control_scale=True, asset_base=asset_base, height=height)
    if view is None:
        fmap.fit_bounds(OPERATING_AREA_BOUNDS)
    fmap.get_root().header.add_child(Element(_CSS))
    if basemap_choice == basemap_layer.OFFLINE:
        CustomPane(basemap_layer.BASEMAP_PANE, z_index=350, pointer_events=True).add_to(fmap)
        basemap_layer.build(basemap, url_base=basemap_url).add_to(fmap)
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
    {{ this._parent.get_name() }}.on("resize moveend zoomend viewreset", {{ this.get_name() }}_placeLabels);
    [50, 300, 1000].forEach(function (delay) { setTimeout({{ this.get_name() }}_placeLabels, delay); });
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
