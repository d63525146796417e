"""What the classroom's activities share: the basemap's country outlines and the projections
that measure distances to a shape and move a shape on the globe."""

from __future__ import annotations

import math

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point
from shapely.ops import nearest_points

from geo import basemap
from geo.measure import great_circle_km

__all__ = ["country_outlines", "nearest_on_target", "transform", "equal_area"]


def country_outlines() -> dict[str, tuple[str, shapely.Geometry]]:
    """The basemap's countries: ISO code -> (English name, outline in lon/lat)."""
    table = basemap.countries()
    return {row.iso_a2: (row.name, row.geometry) for row in table.itertuples(index=False)}


def azimuthal_equidistant(lon: float, lat: float) -> Transformer:
    # Distances from the centre of this projection are true geodesic distances.
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m", always_xy=True
    )


def transform(geometry: shapely.Geometry, transformer: Transformer, direction: str = "FORWARD") -> shapely.Geometry:
    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1], direction=direction)
        return np.column_stack([x, y])

    return shapely.transform(geometry, move)


def nearest_on_target(geometry: shapely.Geometry, lon: float, lat: float) -> tuple[float, tuple[float, float]]:
    """Great-circle distance in km from a point to the nearest point of a shape, and that point.

    The shape is laid out in an azimuthal equidistant projection centred on the
    point, where distance from the centre is true, after cutting its edges to
    0.05° (about 5 km) so long straight borders follow the map. A point inside a
    polygon is 0 km from it.
    """
    if geometry.geom_type == "Point":
        return great_circle_km(lon, lat, geometry.x, geometry.y), (geometry.x, geometry.y)
    if geometry.covers(Point(lon, lat)):
        return 0.0, (lon, lat)
    transformer = azimuthal_equidistant(lon, lat)
    flat = transform(shapely.segmentize(geometry, 0.05), transformer)
    nearest = nearest_points(Point(0, 0), flat)[1]
    back_lon, back_lat = transformer.transform(nearest.x, nearest.y, direction="INVERSE")
    return math.hypot(nearest.x, nearest.y) / 1000, (float(back_lon), float(back_lat))


def equal_area(lon: float, lat: float) -> Transformer:
    """A Lambert azimuthal equal-area projection centred on ``lon``, ``lat``."""
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m", always_xy=True
    )
