"""The basemap clipped once per extent, as matplotlib paths and lines."""

from __future__ import annotations

import functools

import numpy as np
import shapely
from matplotlib.path import Path

from briefing.picture.frame import Frame
from geo import basemap

__all__ = ["extent_key", "polygon_path", "clipped_basemap"]

# ---- the basemap, clipped once per extent --------------------------------------------------------


def extent_key(frame: Frame) -> tuple[float, float, float, float]:
    return tuple(round(value, 3) for value in frame.extent)


def polygon_path(shape) -> Path | None:
    """One compound path for the polygons in ``shape`` (holes included)."""
    vertices, codes = [], []
    for part in shapely.get_parts(shape):
        if part.geom_type == "MultiPolygon" or part.geom_type == "GeometryCollection":
            sub = polygon_path(part)
            if sub is not None:
                vertices.append(sub.vertices)
                codes.append(sub.codes)
            continue
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        for ring in (part.exterior, *part.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            if len(coords) < 3:
                continue
            ring_codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(coords)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _line_parts(shape) -> list[np.ndarray]:
    lines = []
    for part in shapely.get_parts(shape):
        if part.geom_type in ("LineString", "LinearRing") and not part.is_empty:
            lines.append(np.asarray(part.coords)[:, :2])
        elif part.geom_type in ("MultiLineString", "GeometryCollection"):
            lines += _line_parts(part)
    return lines


@functools.lru_cache(maxsize=32)
def clipped_basemap(extent: tuple[float, float, float, float]) -> dict:
    """The basemap clipped to an extent (with a degree to spare), ready to draw; cached per process."""
    west, south, east, north = extent
    box = (west - 1, south - 1, east + 1, north + 1)
    countries = basemap.countries()
    clipped = shapely.clip_by_rect(countries.geometry.to_numpy(), *box)
    land = polygon_path(shapely.GeometryCollection([shape for shape in clipped if not shape.is_empty]))
    visible = shapely.clip_by_rect(countries.geometry.to_numpy(), west, south, east, north)
    names = []
    for name, shape in zip(countries["name"], visible):
        if shape.is_empty or shape.area == 0:
            continue
        largest = max(shapely.get_parts(shape), key=lambda part: part.area)
        point = largest.representative_point()
        minx, miny, maxx, maxy = largest.bounds
        names.append((str(name), point.x, point.y, maxx - minx, maxy - miny))
    lakes = basemap.lakes()
    lake_path = polygon_path(
        shapely.GeometryCollection(
            [shape for shape in shapely.clip_by_rect(lakes.geometry.to_numpy(), *box) if not shape.is_empty]
        )
    )
    rivers = [
        line
        for shape in shapely.clip_by_rect(basemap.rivers().geometry.to_numpy(), *box)
        for line in _line_parts(shape)
    ]
    coasts = [
        line
        for shape in shapely.clip_by_rect(basemap.coastlines().geometry.to_numpy(), *box)
        for line in _line_parts(shape)
    ]
    capitals = basemap.capitals()
    inside = capitals[capitals.geometry.x.between(west, east) & capitals.geometry.y.between(south, north)]
    return {
        "land": land,
        "lakes": lake_path,
        "rivers": rivers,
        "coasts": coasts,
        "country_names": names,
        "capitals": [(str(name), point.x, point.y) for name, point in zip(inside["name"], inside.geometry)],
    }
