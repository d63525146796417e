"""A GeoJSON FeatureCollection of events: the geometry gives the point, the properties the rest.

Properties are mapped like a CSV's columns (:mod:`geo.imports.tabular`: the same
fields, the same guesses); numbers, lists and objects among them are read as
their JSON text. Rows are the features, counted from 1.

Geometry: a Point is used as it is. Other geometries are kept rather than
refused, at a point inside them (shapely's ``representative_point``, which lies
within a polygon, unlike its centroid), and the event says so in ``geocode``:
a Polygon or MultiPolygon gives a 'centroid' location (an area, as the
curated regions are), a line or a group of points an 'approximate' one. A
feature without geometry falls back on its mapped place name (or latitude and
longitude properties); a geometry that cannot be read, or with any point off the
globe (longitude -180..180, latitude -90..90, whatever its kind), refuses the feature.

A file nested deeper than :data:`geo.imports.limits.MAX_NESTING` levels is refused
before its features are read.

A file that is not JSON, or is not a FeatureCollection (a single Feature is
accepted as a collection of one), is a file problem.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from geo.catalog import Atlas
from geo.imports.common import empty_result
from geo.imports.files import FileProblem, clean_text, decode_text
from geo.imports.limits import MAX_NESTING
from geo.imports.model import ImportResult
from geo.imports.tabular import import_table

__all__ = ["read_features", "import_geojson"]

_AREA_TYPES = {"Polygon", "MultiPolygon"}


def read_features(data: bytes, file_name: str = "") -> list[dict]:
    """The features of a GeoJSON file; raises :class:`FileProblem` when it is not a FeatureCollection."""
    label = file_name or "the file"
    text, _encoding = decode_text(data)
    too_deep = f"{label} nests arrays and objects more than {MAX_NESTING} levels deep; GeoJSON events need far fewer"
    try:
        document = json.loads(text)
    except ValueError as error:
        raise FileProblem(f"{label} is not valid JSON ({error})") from None
    except RecursionError:  # nested deeper than Python's own parser goes
        raise FileProblem(too_deep) from None
    if _deeper_than(document, MAX_NESTING):
        raise FileProblem(too_deep)
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        kind = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise FileProblem(f"{label} is not a GeoJSON FeatureCollection (it is {kind!r})")
    features = document.get("features")
    if not isinstance(features, list):
        raise FileProblem(f"{label}: 'features' should be a list")
    return features


def _deeper_than(document, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels (walked without recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    return clean_text(json.dumps(value, ensure_ascii=False))


def _point(geometry) -> tuple | str | None:
    """(lon, lat, precision, how) for a geometry, a reason it cannot be used, or None when there is none."""
    if geometry is None:
        return None
    from shapely.geometry import shape

    try:
        if not isinstance(geometry, dict):
            raise ValueError("not an object")
        kind = geometry.get("type")
        found = shape(geometry)
        if found.is_empty:
            return None
        if (off := _off_the_globe(found)) is not None:
            lon, lat = off
            what = "the point" if kind == "Point" else f"the {kind} has a point"
            return f"{what} ({lat}, {lon}) is outside the globe (latitude -90..90, longitude -180..180)"
        if kind == "Point":
            return found.x, found.y, "exact", "coordinates"
        inside = found.representative_point()
        precision = "centroid" if kind in _AREA_TYPES else "approximate"
        return inside.x, inside.y, precision, f"a point inside the feature's {kind}"
    except Exception as error:  # shapely's messages about broken coordinates vary
        return f"geometry cannot be read ({type(error).__name__}: {str(error)[:160]})"


def _off_the_globe(geometry) -> tuple[float, float] | None:
    """The first (lon, lat) of any geometry kind that is off the globe or not a number, else None."""
    from shapely import get_coordinates

    coordinates = get_coordinates(geometry)
    lon, lat = coordinates[:, 0], coordinates[:, 1]
    bad = ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90))
    if not bad.any():
        return None
    first = int(np.argmax(bad))
    return float(lon[first]), float(lat[first])


def import_geojson(
    data: bytes, dataset: str, atlas: Atlas, column_mapping: dict[str, str] | None = None, file_name: str = ""
) -> ImportResult:
    """Map a FeatureCollection's features to imported events."""
    try:
        features = read_features(data, file_name)
    except FileProblem as problem:
        return empty_result("geojson", [str(problem)])
    records, points = [], {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        records.append({key: _text(value) for key, value in (properties or {}).items()})
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            points[number] = "not a GeoJSON Feature"
            continue
        point = _point(feature.get("geometry"))
        if point is not None:
            points[number] = point
    frame = pd.DataFrame(records, index=pd.RangeIndex(1, len(records) + 1, name="row"), dtype=object).fillna("")
    if frame.empty and not len(frame.columns):
        return empty_result(
            "geojson",
            [f"{file_name or 'the file'} has no features"]
            if not features
            else ["the features have no properties: nothing says when or what they were"],
            read=len(features),
        )
    return import_table(frame, dataset, atlas, column_mapping, origin="geojson", points=points)
