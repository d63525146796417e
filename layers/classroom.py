"""The classroom's map layers: outlines at true size, a great-circle distance, the quiz's answers.

Each function returns a folium FeatureGroup built from :mod:`geo.classroom`'s
results; every text shown comes through :func:`layers.common.escape`, every
colour from ``CLASSROOM`` in the style catalogue.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import shapely
from shapely.geometry import LineString, Point

from geo.classroom import KM_PER_MILE, Answer, distance_line
from geo.measure import area_km2, great_circle_km
from layers.common import escape, feature_collection, geojson_layer
from layers.labels import LabelLayer, label_item
from layers.style import CLASSROOM

__all__ = ["true_size_layer", "distance_layer", "quiz_layer"]

END_RADIUS = 5


def _style_from_properties(feature) -> dict:
    # Each feature carries its own style, set in Python: folium keys styles on feature ids.
    return dict(feature["properties"]["style"])


def true_size_layer(outlines: list[tuple[str, shapely.Geometry, str | None]],
                    title: str = "True size") -> folium.FeatureGroup:
    """Outlines moved with :func:`geo.classroom.true_size_outline`, each named and measured.

    Parameters
    ----------
    outlines : list of (name, geometry, colour)
        Geometry in lon/lat; a colour of None takes the next one of ``CLASSROOM["true_size"]``.

    Returns
    -------
    folium.FeatureGroup
        The filled outlines, a tooltip with each one's area, and a label at its middle.
    """
    group = folium.FeatureGroup(name=title)
    palette = CLASSROOM["true_size"]
    rows, labels = [], []
    for number, (name, geometry, colour) in enumerate(outlines):
        if geometry is None or geometry.is_empty:
            continue
        colour = colour or palette[number % len(palette)]
        area = area_km2(geometry)
        rows.append({
            "id": f"true-size-{number}", "name": name, "geometry": geometry,
            "style": {"color": colour, "weight": 2, "fillColor": colour,
                      "fillOpacity": CLASSROOM["true_size_fill_opacity"]},
            "tooltip": f"<b>{escape(name)}</b><br>{escape(f'{area:,.0f} km²')} (true size)",
        })
        middle = geometry.representative_point()
        labels.append(label_item(middle.y, middle.x, name, "region", anchor="centre", colour=colour))
    if not rows:
        return group
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    data = feature_collection(frame, lambda row: {"id": row.id, "kind": "true-size", "style": row.style,
                                                  "tooltip": row.tooltip})
    geojson_layer(data, title, style=_style_from_properties).add_to(group)
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
    rows = [{"id": "distance-line", "geometry": line, "tooltip": tooltip,
             "style": {"color": colour, "weight": 3, "opacity": 0.9, "dashArray": "10 6"}}]
    for end, (lon, lat) in (("start", line.coords[0]), ("end", line.coords[-1])):
        rows.append({"id": f"distance-{end}", "geometry": Point(lon, lat), "tooltip": tooltip,
                     "style": {"radius": END_RADIUS, "color": colour, "weight": 2,
                               "fillColor": CLASSROOM["distance_end"], "fillOpacity": 1}})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    data = feature_collection(frame, lambda row: {"id": row.id, "kind": "distance", "style": row.style,
                                                  "tooltip": row.tooltip})
    geojson_layer(data, title, style=_style_from_properties,
                  marker=folium.CircleMarker(radius=END_RADIUS, fill=True)).add_to(group)
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
            target_style = {"radius": END_RADIUS + 2, "color": CLASSROOM["target"], "weight": 2,
                            "fillColor": CLASSROOM["target"], "fillOpacity": 0.15}
        elif question.target == "line":
            target_style = {"color": CLASSROOM["target"], "weight": 5, "opacity": 0.6}
        else:
            target_style = {"color": CLASSROOM["target"], "weight": 2, "fillOpacity": 0.08,
                            "fillColor": CLASSROOM["target"], "dashArray": "4 4"}
        targets.append({"id": f"quiz-target-{number}", "geometry": question.geometry,
                        "tooltip": f"<b>{escape(question.name)}</b>", "style": target_style})
        if given.click is None:
            continue
        click_lon, click_lat = given.click
        if given.distance_km > 0:
            lines.append({"id": f"quiz-line-{number}", "tooltip": tooltip,
                          "geometry": distance_line(click_lon, click_lat, *given.nearest, points=32),
                          "style": {"color": CLASSROOM["answer_line"], "weight": 2, "dashArray": "6 4"}})
        clicks.append({"id": f"quiz-click-{number}", "geometry": Point(click_lon, click_lat), "tooltip": tooltip,
                       "style": {"radius": END_RADIUS + 1, "color": CLASSROOM["click_edge"], "weight": 2,
                                 "fillColor": colour, "fillOpacity": 0.9}})
    # Drawn in this order so the clicks lie above the lines, and the lines above the targets.
    for name, rows in (("Quiz targets", targets), ("Quiz distances", lines), ("Quiz clicks", clicks)):
        if not rows:
            continue
        frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
        data = feature_collection(frame, lambda row: {"id": row.id, "kind": "quiz", "style": row.style,
                                                      "tooltip": row.tooltip})
        geojson_layer(data, name, style=_style_from_properties,
                      marker=folium.CircleMarker(radius=END_RADIUS, fill=True)).add_to(group)
    return group
