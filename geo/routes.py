"""Routes the reports describe: a line through an event's places, and the arrowhead that shows its direction."""

from __future__ import annotations

import math

import geopandas as gpd
from shapely.geometry import LineString, Polygon

__all__ = ["arrowhead", "route_lines"]

_ARROW_DEGREES = 0.45


def arrowhead(line: LineString, size: float = _ARROW_DEGREES) -> Polygon:
    """A triangle at the end of ``line`` pointing along its last segment."""
    (x0, y0), (x1, y1) = line.coords[-2], line.coords[-1]
    angle = math.atan2(y1 - y0, x1 - x0)
    left = (x1 - size * math.cos(angle - 0.4), y1 - size * math.sin(angle - 0.4))
    right = (x1 - size * math.cos(angle + 0.4), y1 - size * math.sin(angle + 0.4))
    return Polygon([(x1, y1), left, right])


def route_lines(events, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One line per event with a route of two or more located places."""
    rows = []
    # Only events with a route of two or more places are looked at: most have none.
    routed = [hasattr(route, "__len__") and not isinstance(route, str) and len(route) > 1 for route in events["route"]]
    if any(routed):
        points = dict(zip(places["id"], places.geometry))
        with_route = events[routed]
        for event in with_route[["id", "title", "date_start", "type_label", "route"]].itertuples(index=False):
            stops = [points[p] for p in event.route if p in points and points[p] is not None]
            if len(stops) < 2:
                continue
            rows.append(
                {
                    "id": event.id,
                    "title": event.title,
                    "date_start": event.date_start,
                    "type_label": event.type_label,
                    "geometry": LineString([(p.x, p.y) for p in stops]),
                }
            )
    return gpd.GeoDataFrame(
        rows, columns=["id", "title", "date_start", "type_label", "geometry"], geometry="geometry", crs="EPSG:4326"
    )
