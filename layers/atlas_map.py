"""The Leaflet map itself: Leaflet served from our own assets, the basemap, the CSS.

``folium.Map`` loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs.
:class:`OfflineMap` loads only Leaflet, from ``asset_base`` (the app serves
it under ``/app/static``), so the map renders with no internet at all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.map import CustomPane
from jinja2 import Template

from layers import basemap as basemap_layer
from style import ENGINE, HIGHLIGHT

__all__ = [
    "OfflineMap",
    "new_map",
    "fit_when_sized",
    "view_to_url",
    "offer_save_view",
    "DEFAULT_VIEW",
    "LEAFLET_FILES",
    "LABEL_SIZES",
    "MAX_ZOOM",
]

# The operating area, [[south, west], [north, east]]: the map opens fitted to it.
OPERATING_AREA_BOUNDS = [[4.0, -18.0], [38.0, 26.0]]
DEFAULT_VIEW = (21.0, 4.0, 4)
# Files of Leaflet the page needs, relative to the asset base.
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png")
# Label sizes a user can pick, in CSS pixels: a phone, a desk, a wall screen.
LABEL_SIZES = {"Small": 11, "Normal": 13, "Large": 16, "Wall screen": 20}
MAX_ZOOM = 10  # the bundled basemap's detail allows no closer look
_ENGINE_JS = (Path(__file__).with_name("map_engine.js")).read_text(encoding="utf-8")
# The time slider (layers/time_filter.py), part of every map's engine.
_TIME_JS = (Path(__file__).with_name("time_filter.js")).read_text(encoding="utf-8")

_CSS = """
<style>
html, body { height: 100%; margin: 0; }
/* The page sets the frame's height from the screen; the map fills the frame. */
#map_div { height: 100vh !important; width: 100% !important; }
.leaflet-container { background: #cfe3ef; font-family: "Helvetica Neue", Arial, sans-serif;
  --atlas-label-size: 13px; }
.leaflet-pane > svg { pointer-events: none; }
.atlas-map-label { position: absolute; white-space: nowrap; pointer-events: none; line-height: 1.15;
  font-size: var(--atlas-label-size); font-weight: 600; color: #1f1f1f;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff, 0 0 1px #fff; }
/* A tooltip is never wider than the map (it wraps), so it can always be moved inside it. */
.leaflet-tooltip { white-space: normal; width: max-content; box-sizing: border-box;
  max-width: min(340px, calc(100vw - 16px)); }
/* A story step's focus: a gold ring edged in black, which reads on land, sea and other marks alike. */
path.atlas-highlighted { filter: drop-shadow(0 0 1px RING_OUTLINE) drop-shadow(0 0 1px RING_OUTLINE); }
.atlas-label-site, .atlas-label-mountain { font-weight: 500; font-style: italic; }
.atlas-label-country { font-size: calc(var(--atlas-label-size) * 0.85); font-weight: 500; letter-spacing: .12em;
  color: #5e554c; text-transform: uppercase; }
.atlas-label-region { font-size: calc(var(--atlas-label-size) * 0.95); font-style: italic; font-weight: 600;
  letter-spacing: .04em; }
.leaflet-pane > svg path.atlas-boundary.leaflet-interactive,
.leaflet-pane > svg path.atlas-region.leaflet-interactive { pointer-events: visibleStroke; }
.atlas-legend { background: rgba(255,255,255,.93); padding: 6px 9px; border-radius: 6px; line-height: 1.35;
  font-size: 11.5px; color: #222; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 55vh; overflow-y: auto;
  max-width: 420px; }
.atlas-legend summary { cursor: pointer; font-weight: 700; }
.atlas-legend-block { margin-bottom: 2px; }
.atlas-two-columns { columns: 2; column-gap: 12px; }
.atlas-two-columns div { break-inside: avoid; white-space: nowrap; }
.atlas-swatch { display: inline-block; width: 10px; height: 10px; vertical-align: middle; margin-right: 4px; }
.atlas-line { display: inline-block; width: 22px; vertical-align: middle; margin-right: 4px; }
/* On a phone the open legend stays inside the map, in one column, and scrolls. */
@media (max-width: 600px) {
  .atlas-legend { max-width: calc(100vw - 70px); max-height: 38vh; font-size: 10.5px; }
  .atlas-legend .atlas-two-columns { columns: 1; }
}
/* Over a gathered mark of the user's data, only its own tooltip shows (not the country's name). */
.atlas-over-grid .leaflet-tooltip:not(.atlas-grid-tooltip) { display: none; }
.atlas-chooser-heading { font-weight: 700; margin-bottom: 4px; }
.atlas-chooser-item { display: block; width: 100%; text-align: left; margin: 2px 0; padding: 4px 6px;
  border: 1px solid #ccc; border-radius: 4px; background: #fff; cursor: pointer; font: inherit; }
.atlas-chooser-item:hover, .atlas-chooser-item:focus { background: #eef4fa; border-color: #4a90c8; }
.atlas-fullscreen a { font-size: 18px; line-height: 30px; text-decoration: none; }
.atlas-save-view a { width: auto !important; padding: 0 7px; font-size: 13px; font-weight: 700; line-height: 30px;
  text-decoration: none; color: #222; white-space: nowrap; }
.atlas-year-badge { font-size: calc(var(--atlas-label-size) * 4); font-weight: 800; color: #1f1f1f;
  background: rgba(255,255,255,.82); padding: 0 .3em; border-radius: 8px; line-height: 1.2;
  box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.atlas-tile-error { position: absolute; z-index: 1000; top: 40%; left: 50%; transform: translate(-50%, -50%);
  background: #fff; border: 2px solid #b2182b; border-radius: 8px; padding: 14px 18px; max-width: 80%;
  font-size: 15px; text-align: center; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.atlas-tile-error button { margin-top: 10px; font: inherit; padding: 6px 12px; cursor: pointer; }
</style>
""".replace("RING_OUTLINE", HIGHLIGHT["ring_outline"])


_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'


class OfflineMap(folium.Map):
    """A folium map that loads Leaflet from ``asset_base`` instead of CDNs."""

    def __init__(self, *args, asset_base: str = "/app/static/vendor/leaflet", **kwargs):
        super().__init__(*args, **kwargs)
        base = asset_base.rstrip("/")
        # Instance attributes shadow folium's CDN lists (class attributes).
        self.default_js = [("leaflet", f"{base}/leaflet.js")]
        self.default_css = [("leaflet_css", f"{base}/leaflet.css")]

    def render(self, **kwargs):
        super().render(**kwargs)
        # folium's page forbids zooming (maximum-scale=1, user-scalable=no): whoever needs to enlarge
        # the page must be able to. Its header is written again, under the same name, without them.
        header = self._template.module.__dict__["header"](self, kwargs)
        zoomable = re.sub(r'<meta name="viewport"[^>]*>', _VIEWPORT, header)
        self.get_root().header.add_child(Element(zoomable), name=self.get_name())


class _AtlasEngine(MacroElement):
    """The map's own behaviour (panes, point spacing, labels, overlap chooser, full screen): map_engine.js."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    {{ this.code }}
    {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "AtlasEngine"

    def render(self, **kwargs):
        self.code = (
            (_ENGINE_JS + "\n" + _TIME_JS)
            .replace("{{MAP}}", self._parent.get_name())
            .replace("{{ENGINE}}", json.dumps(ENGINE, sort_keys=True))
        )
        super().render(**kwargs)


class _WatchTiles(MacroElement):
    """Tell the user, on the map, when online tiles cannot be loaded, and offer the bundled map."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.atlas.watchTiles({{ this.tiles.get_name() }}, {{ this.offline_name|tojson }});
    {% endmacro %}
    """)

    def __init__(self, tiles, offline_name: str):
        super().__init__()
        self._name = "WatchTiles"
        self.tiles, self.offline_name = tiles, offline_name


def new_map(
    basemap: dict[str, dict],
    basemap_choice: str = basemap_layer.OFFLINE,
    view: tuple[float, float, float] | None = None,
    asset_base: str = "/app/static/vendor/leaflet",
    height: str = "100%",
    basemap_url: str | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> OfflineMap:
    """A map with the chosen basemap and nothing else; data layers are added per rerun.

    ``view`` (lat, lon, zoom) comes from a shared link; without one the map fits the
    operating area, or ``bounds`` (west, south, east, north) when given. With ``basemap_url`` the browser fetches the basemap from there
    (see :func:`layers.basemap.build`); otherwise it is written into the page.

    ``basemap`` is :func:`layers.basemap.basemap_features` of the bundled basemap.
    """
    lat, lon, zoom = view or DEFAULT_VIEW
    # Quarter zoom steps let the whole area fill a map of any width.
    fmap = OfflineMap(
        location=[lat, lon],
        zoom_start=zoom,
        tiles=None,
        min_zoom=3,
        max_zoom=MAX_ZOOM,
        zoom_snap=0.25,
        zoom_delta=0.5,
        control_scale=True,
        asset_base=asset_base,
        height=height,
    )
    if view is None:
        west, south, east, north = bounds or (*OPERATING_AREA_BOUNDS[0][::-1], *OPERATING_AREA_BOUNDS[1][::-1])
        fit_when_sized(fmap, [[south, west], [north, east]])
    fmap.get_root().header.add_child(Element(_CSS))
    _AtlasEngine().add_to(fmap)
    if basemap_choice == basemap_layer.OFFLINE:
        CustomPane(basemap_layer.BASEMAP_PANE, z_index=350, pointer_events=True).add_to(fmap)
        basemap_layer.build(basemap, url_base=basemap_url).add_to(fmap)
    else:
        tiles = basemap_layer.add_tiles(fmap, basemap_choice)
        if tiles is not None:
            _WatchTiles(tiles, basemap_layer.OFFLINE).add_to(fmap)
    return fmap


class _FitWhenSized(MacroElement):
    # A frame that has no size yet (its height is set after the map is made) would be fitted
    # at the largest zoom allowed: fit once it has one.
    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map) {
        function fit() { map.fitBounds({{ this.bounds|tojson }}, {{ this.options|tojson }}); }
        var size = map.getSize();
        if (size.x > 0 && size.y > 0) { fit(); } else { map.once("resize", fit); }
    })({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self, bounds, options: dict):
        super().__init__()
        self._name = "FitWhenSized"
        self.bounds, self.options = bounds, options


def fit_when_sized(fmap: folium.Map, bounds, padding: tuple[int, int] | None = None, max_zoom: float | None = None):
    """Fit ``bounds`` ([[south, west], [north, east]]) at once, not animated (a zoom still running
    would undo a view set just after, a kept one), as soon as the map's frame has a size."""
    options = {"animate": False}
    if padding is not None:
        options["padding"] = list(padding)
    if max_zoom is not None:
        options["maxZoom"] = max_zoom
    _FitWhenSized(bounds, options).add_to(fmap)
    return fmap


class _SaveViewButton(MacroElement):
    """A '+ Step' button on the map: the app adds the view on screen to the story draft."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.atlas.offerSaveView();
    {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "SaveViewButton"


def offer_save_view(fmap: folium.Map) -> folium.Map:
    """Let the user save the view on screen (its extent) as a story step."""
    _SaveViewButton().add_to(fmap)
    return fmap


class _ViewInUrl(MacroElement):
    """After each pan or zoom, write lat/lon/zoom into the page's URL (no rerun, no reload).

    With ``memory`` (a name the page keeps for the session), the view is also kept in the
    tab's session storage, and a map drawn anew under that name (the user came back from
    another page, say) opens where the last one was left.

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
    {% if this.memory %}
    (function () {
        var map = {{ this._parent.get_name() }}, key = "atlas-view:" + {{ this.memory|tojson }};
        try {
            var kept = JSON.parse(window.sessionStorage.getItem(key) || "null");
            var usable = kept && [kept.lat, kept.lon, kept.zoom].every(function (v) { return typeof v === "number" && isFinite(v); })
                && Math.abs(kept.lat) <= 90 && Math.abs(kept.lon) <= 180;
            if (usable) { map.setView([kept.lat, kept.lon], kept.zoom, {animate: false}); }  // anything else: the link's view
        } catch (error) { /* no storage (a private window, say): the map opens on the link's view */ }
        map.on("moveend", function () {
            var centre = map.getCenter();
            try {
                window.sessionStorage.setItem(key, JSON.stringify({lat: centre.lat, lon: centre.lng,
                                                                   zoom: map.getZoom()}));
            } catch (error) { /* as above */ }
        });
    })();
    {% endif %}
    {% endmacro %}
    """)

    def __init__(self, memory: str | None = None):
        super().__init__()
        self._name = "ViewInUrl"
        self.memory = memory


def view_to_url(fmap: folium.Map, memory: str | None = None) -> folium.Map:
    """Keep the shareable link in step with the map view, without rerunning the app.

    ``memory``: a name the page keeps for the session; a map drawn again under it opens
    on the view the user left (see :class:`_ViewInUrl`).
    """
    _ViewInUrl(memory).add_to(fmap)
    return fmap
