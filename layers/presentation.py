"""The presented map's own behaviour: the step keys work with the map in focus, and the map flies between steps.

A presenter's clicker sends PageDown, PageUp and Space; a laptop's arrow keys do the same
job. Once a click has put the focus in the map's frame, those keys would reach Leaflet
(which pans on the arrows) and never the page: :func:`forward_step_keys` turns Leaflet's
keys off and hands them to the page (``atlasStepKey``, see :mod:`ui.step_keys`).

Steps share one map: each step's layers ride in feature groups that replace the last
step's, and :func:`step_frame_group` moves the map from the last frame to the new one
with an animated pan and zoom, instead of a new map that opens on the world and then
jumps.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

__all__ = ["forward_step_keys", "step_frame_group", "FLY_SECONDS"]

FLY_SECONDS = 1.2  # long enough to see where the map went, short enough not to wait for


class _ForwardStepKeys(MacroElement):
    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map) {
        if (map.keyboard) { map.keyboard.disable(); }
        document.addEventListener("keydown", function (event) {
            if (event.altKey || event.ctrlKey || event.metaKey) { return; }
            if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) { return; }
            var page = null;
            try { page = window.parent; } catch (error) { return; }  // a page that embeds the map elsewhere
            if (page && page !== window && page.atlasStepKey && page.atlasStepKey(event.key, event.shiftKey)) {
                event.preventDefault();
                event.stopPropagation();
            }
        }, true);
    })({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "ForwardStepKeys"


def forward_step_keys(fmap: folium.Map) -> folium.Map:
    """Let the page's step keys (arrows, PageUp/PageDown, Space) work while the map has the focus."""
    _ForwardStepKeys().add_to(fmap)
    return fmap


class _StepFrame(MacroElement):
    _template = Template("""
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = new (L.Layer.extend({
        onAdd: function (map) {
            var bounds = L.latLngBounds({{ this.bounds|tojson }});
            var zoom = map.getBoundsZoom(bounds);
            var size = map.getSize();
            var centre = map.unproject(map.project(bounds.getNorthWest(), zoom)
                                       .add(map.project(bounds.getSouthEast(), zoom)).divideBy(2), zoom);
            var here = map.latLngToContainerPoint(centre);
            // Already there (the map opened on this step): no flight.
            if (Math.abs(map.getZoom() - zoom) < 0.01 && here.distanceTo(size.divideBy(2)) < 2) { return; }
            map.atlasFlying = true;  // for tests and tools that wait for the new frame
            map.once("moveend", function () { map.atlasFlying = false; });
            map.flyTo(centre, zoom, {duration: {{ this.seconds }}});
        },
        onRemove: function () {}
    }))();
    {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]], seconds: float):
        super().__init__()
        self._name = "StepFrame"
        self.bounds, self.seconds = bounds, seconds


def step_frame_group(bbox: tuple[float, float, float, float], seconds: float = FLY_SECONDS) -> folium.FeatureGroup:
    """The step's frame (west, south, east, north): the map flies there when the step is shown."""
    west, south, east, north = (round(float(value), 4) for value in bbox)
    holder = folium.FeatureGroup(name="Step frame", control=False)
    _StepFrame([[south, west], [north, east]], seconds).add_to(holder)
    return holder
