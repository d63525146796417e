"""The classroom's map layers: outlines at true size, a great-circle distance, the quiz's answers,
and what the classroom's maps do differently: one finger scrolls the page on a phone, and
the basemap can speak French.

Each layer function returns a folium FeatureGroup built from :mod:`geo.classroom`'s
results; every text shown comes through :func:`layers.common.escape`, every
colour from ``CLASSROOM`` in the style catalogue.
"""

from __future__ import annotations

import copy

import folium
import geopandas as gpd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from shapely.geometry import LineString, Point

from geo.classroom import KM_PER_MILE, Answer, distance_line
from geo.measure import area_km2, great_circle_km
from layers.common import escape, feature_collection, geojson_layer
from layers.labels import LabelLayer, label_item
from style import CLASSROOM

__all__ = [
    "true_size_layer",
    "distance_layer",
    "quiz_layer",
    "two_finger_map",
    "basemap_in_french",
    "french_tooltips",
    "TOUCH_HINT",
]

END_RADIUS = 5
PLACE_RADIUS = 6
TOUCH_HINT = "Use two fingers to move the map"

# On a touch screen one finger scrolls the page and two move or zoom the map: Leaflet's
# dragging is off (its CSS then lets the browser pan the page), its pinch zoom stays on.
# A mouse still drags. Buttons are 44 px, a finger's size.
_TOUCH_CSS = """
<style>
.leaflet-touch .leaflet-bar a { width: 44px; height: 44px; line-height: 44px; font-size: 22px; }
.atlas-touch-hint { position: absolute; inset: 0; z-index: 1000; display: flex; align-items: center;
  justify-content: center; pointer-events: none; background: rgba(0, 0, 0, .45); color: #fff;
  font: 600 18px/1.3 "Helvetica Neue", Arial, sans-serif; text-align: center; padding: 0 20px;
  opacity: 0; transition: opacity .25s; }
.atlas-touch-hint.atlas-shown { opacity: 1; }
</style>
"""


class _TwoFingerMap(MacroElement):
    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map) {
        var container = map.getContainer();
        if (!(("ontouchstart" in window) || navigator.maxTouchPoints > 0)) { return; }
        map.dragging.disable();
        var hint = L.DomUtil.create("div", "atlas-touch-hint", container), timer = null;
        hint.textContent = {{ this.hint|tojson }};
        function show(on) {
            clearTimeout(timer);
            if (on) { L.DomUtil.addClass(hint, "atlas-shown"); timer = setTimeout(function () { show(false); }, 1500); }
            else { L.DomUtil.removeClass(hint, "atlas-shown"); }
        }
        container.addEventListener("touchmove", function (event) { show(event.touches.length === 1); },
                                   {passive: true});
        // A mouse drags the map as usual, a finger does not; decided before Leaflet sees the press.
        document.addEventListener("pointerdown", function (event) {
            if (event.pointerType === "mouse" && !map.dragging.enabled()) { map.dragging.enable(); }
            if (event.pointerType === "touch" && map.dragging.enabled()) { map.dragging.disable(); }
        }, true);
    })({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "TwoFingerMap"
        self.hint = TOUCH_HINT


def two_finger_map(fmap: folium.Map) -> folium.Map:
    """On a touch screen: one finger scrolls the page, two move the map, with a hint after a one-finger swipe."""
    fmap.get_root().header.add_child(Element(_TOUCH_CSS))
    _TwoFingerMap().add_to(fmap)
    return fmap


class _RenameTooltips(MacroElement):
    """Basemap features arrive from the app after the page (fetched); their tooltips are renamed as they come."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map, names) {
        map.on("layeradd", function (event) {
            var layer = event.layer, props = layer.feature && layer.feature.properties;
            if (props && props.kind === "basemap" && names[props.tooltip] && layer.setTooltipContent) {
                layer.setTooltipContent(names[props.tooltip]);
            }
        });
    })({{ this._parent.get_name() }}, {{ this.names|tojson }});
    {% endmacro %}
    """)

    def __init__(self, names: dict[str, str]):
        super().__init__()
        self._name = "RenameTooltips"
        self.names = {escape(english): escape(french) for english, french in names.items()}


def basemap_in_french(features: dict[str, dict], country_names: dict[str, str]) -> dict[str, dict]:
    """The basemap's GeoJSON (:func:`layers.basemap.basemap_features`) with its country labels
    in French: ``country_names`` maps ISO codes to names. Only the labels are copied."""
    french = dict(features)
    labels = copy.deepcopy(features["country_names"])
    for feature in labels["features"]:
        code = feature["id"].removeprefix("country-label-")
        if code in country_names:
            feature["properties"]["label"] = country_names[code]
            feature["properties"]["tooltip"] = escape(country_names[code]).upper()
    french["country_names"] = labels
    return french


def french_tooltips(fmap: folium.Map, texts: dict[str, str]) -> folium.Map:
    """Put the basemap's tooltips (countries, lakes, capitals) in French: ``texts`` maps English to French."""
    _RenameTooltips(texts).add_to(fmap)
    return fmap


def _style_from_properties(feature) -> dict:
    # Each feature carries its own style, set in Python: folium keys styles on feature ids.
    return dict(feature["properties"]["style"])


def _label_point(geometry: shapely.Geometry) -> shapely.Point:
    # High in the outline, so the label leaves its middle (where a moved copy's place is) free.
    west, south, east, north = geometry.bounds
    band = shapely.box(west, south + 0.65 * (north - south), east, north).intersection(geometry)
    return band.representative_point() if not band.is_empty else geometry.representative_point()


def true_size_layer(
    outlines: list[tuple[str, shapely.Geometry, str | None]],
    title: str = "True size",
    place: tuple[str, float, float] | None = None,
) -> folium.FeatureGroup:
    """Outlines moved with :func:`geo.classroom.true_size_outline`, each named and measured.

    Parameters
    ----------
    outlines : list of (name, geometry, colour)
        Geometry in lon/lat; a colour of None takes the next one of ``CLASSROOM["true_size"]``.
    place : (name, lon, lat), optional
        The place an outline was moved onto: marked with a dot and named.

    Returns
    -------
    folium.FeatureGroup
        The filled outlines, a tooltip with each one's area, a label high in each,
        and the place's dot and name.
    """
    group = folium.FeatureGroup(name=title)
    palette = CLASSROOM["true_size"]
    rows, labels = [], []
    for number, (name, geometry, colour) in enumerate(outlines):
        if geometry is None or geometry.is_empty:
            continue
        colour = colour or palette[number % len(palette)]
        area = area_km2(geometry)
        rows.append(
            {
                "id": f"true-size-{number}",
                "name": name,
                "geometry": geometry,
                "style": {
                    "color": colour,
                    "weight": 2,
                    "fillColor": colour,
                    "fillOpacity": CLASSROOM["true_size_fill_opacity"],
                },
                "tooltip": f"<b>{escape(name)}</b><br>{escape(f'{area:,.0f} km²')} (true size)",
            }
        )
        middle = _label_point(geometry)
        labels.append(label_item(middle.y, middle.x, name, "region", anchor="centre", colour=colour))
    if place is not None:
        place_name, lon, lat = place
        rows.append(
            {
                "id": "true-size-place",
                "name": place_name,
                "geometry": Point(lon, lat),
                "style": {
                    "radius": PLACE_RADIUS,
                    "color": CLASSROOM["click_edge"],
                    "weight": 2,
                    "fillColor": CLASSROOM["target"],
                    "fillOpacity": 1,
                },
                "tooltip": f"<b>{escape(place_name)}</b>",
            }
        )
        labels.append(label_item(lat, lon, place_name, "town", radius=PLACE_RADIUS + 1))
    if not rows:
        return group
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    data = feature_collection(
        frame, lambda row: {"id": row.id, "kind": "true-size", "style": row.style, "tooltip": row.tooltip}
    )
    geojson_layer(
        data, title, style=_style_from_properties, marker=folium.CircleMarker(radius=PLACE_RADIUS, fill=True)
    ).add_to(group)
    LabelLayer("true-size", labels).add_to(group)
    return group


def distance_layer(line: LineString, label: str, title: str = "Distance") -> folium.FeatureGroup:
    """A great-circle line (from :func:`geo.classroom.distance_line`) with its two ends marked.

    ``label`` names it in the tooltip (e.g. "Bamako to Timbuktu"); the distance
    in km and miles is measured from the line's ends and added.
    """
    group = folium.FeatureGroup(name=title)
    if line is None or line.is_empty or len(line.coords) < 2:
        return group
    (lon1, lat1), (lon2, lat2) = line.coords[0], line.coords[-1]
    km = great_circle_km(lon1, lat1, lon2, lat2)
    tooltip = f"<b>{escape(label)}</b><br>{escape(f'{km:,.0f} km ({km / KM_PER_MILE:,.0f} miles)')}"
    colour = CLASSROOM["distance"]
    rows = [
        {
            "id": "distance-line",
            "geometry": line,
            "tooltip": tooltip,
            "style": {"color": colour, "weight": 3, "opacity": 0.9, "dashArray": "10 6"},
        }
    ]
    for end, (lon, lat) in (("start", line.coords[0]), ("end", line.coords[-1])):
        rows.append(
            {
                "id": f"distance-{end}",
                "geometry": Point(lon, lat),
                "tooltip": tooltip,
                "style": {
                    "radius": END_RADIUS,
                    "color": colour,
                    "weight": 2,
                    "fillColor": CLASSROOM["distance_end"],
                    "fillOpacity": 1,
                },
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    data = feature_collection(
        frame, lambda row: {"id": row.id, "kind": "distance", "style": row.style, "tooltip": row.tooltip}
    )
    geojson_layer(
        data, title, style=_style_from_properties, marker=folium.CircleMarker(radius=END_RADIUS, fill=True)
    ).add_to(group)
    return group


def quiz_layer(answers: list[Answer], title: str = "Quiz answers") -> folium.FeatureGroup:
    """After each answer: the click (green if right, red if wrong), the target and a line between.

    Parameters
    ----------
    answers : list of Answer
        As returned by :func:`geo.classroom.answer`; an answer chosen from a list
        (no click) shows only its target.

    Returns
    -------
    folium.FeatureGroup
        One layer for all answers: targets (a point, an outline or a river),
        great-circle lines from each click to the target's nearest point, clicks on top.
    """
    group = folium.FeatureGroup(name=title)
    targets, lines, clicks = [], [], []
    for number, given in enumerate(answers):
        question = given.question
        colour = CLASSROOM["right"] if given.right else CLASSROOM["wrong"]
        tooltip = f"<b>{escape(question.prompt)}</b><br>{escape(given.message)}"
        if question.target == "point":
            target_style = {
                "radius": END_RADIUS + 2,
                "color": CLASSROOM["target"],
                "weight": 2,
                "fillColor": CLASSROOM["target"],
                "fillOpacity": 0.15,
            }
        elif question.target == "line":
            target_style = {"color": CLASSROOM["target"], "weight": 5, "opacity": 0.6}
        else:
            target_style = {
                "color": CLASSROOM["target"],
                "weight": 2,
                "fillOpacity": 0.08,
                "fillColor": CLASSROOM["target"],
                "dashArray": "4 4",
            }
        targets.append(
            {
                "id": f"quiz-target-{number}",
                "geometry": question.geometry,
                "tooltip": f"<b>{escape(question.name)}</b>",
                "style": target_style,
            }
        )
        if given.click is None:
            continue
        click_lon, click_lat = given.click
        if given.distance_km > 0:
            lines.append(
                {
                    "id": f"quiz-line-{number}",
                    "tooltip": tooltip,
                    "geometry": distance_line(click_lon, click_lat, *given.nearest, points=32),
                    "style": {"color": CLASSROOM["answer_line"], "weight": 2, "dashArray": "6 4"},
                }
            )
        clicks.append(
            {
                "id": f"quiz-click-{number}",
                "geometry": Point(click_lon, click_lat),
                "tooltip": tooltip,
                "style": {
                    "radius": END_RADIUS + 1,
                    "color": CLASSROOM["click_edge"],
                    "weight": 2,
                    "fillColor": colour,
                    "fillOpacity": 0.9,
                },
            }
        )
    # Drawn in this order so the clicks lie above the lines, and the lines above the targets.
    for name, rows in (("Quiz targets", targets), ("Quiz distances", lines), ("Quiz clicks", clicks)):
        if not rows:
            continue
        frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
        data = feature_collection(
            frame, lambda row: {"id": row.id, "kind": "quiz", "style": row.style, "tooltip": row.tooltip}
        )
        geojson_layer(
            data, name, style=_style_from_properties, marker=folium.CircleMarker(radius=END_RADIUS, fill=True)
        ).add_to(group)
    return group
