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
longitude properties); a geometry that cannot be read refuses the feature.

A file that is not JSON, or is not a FeatureCollection (a single Feature is
accepted as a collection of one), is a file problem.
"""

from __future__ import annotations

import json

import pandas as pd

from geo.catalog import Atlas
from geo.imports.common import empty_result
from geo.imports.files import FileProblem, clean_text, decode_text
from geo.imports.model import ImportResult
from geo.imports.tabular import import_table

__all__ = ["read_features", "import_geojson"]

_AREA_TYPES = {"Polygon", "MultiPolygon"}


def read_features(data: bytes, file_name: str = "") -> list[dict]:
    """The features of a GeoJSON file; raises :class:`FileProblem` when it is not a FeatureCollection."""
    label = file_name or "the file"
    text, _encoding = decode_text(data)
    try:
        document = json.loads(text)
    except ValueError as error:
        raise FileProblem(f"{label} is not valid JSON ({error})") from None
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        kind = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise FileProblem(f"{label} is not a GeoJSON FeatureCollection (it is {kind!r})")
    features = document.get("features")
    if not isinstance(features, list):
        raise FileProblem(f"{label}: 'features' should be a list")
    return features


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
        if kind == "Point":
            lon, lat = found.x, found.y
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                return f"the point ({lat}, {lon}) is outside the globe (latitude -90..90, longitude -180..180)"
            return lon, lat, "exact", "coordinates"
        inside = found.representative_point()
        precision = "centroid" if kind in _AREA_TYPES else "approximate"
        return inside.x, inside.y, precision, f"a point inside the feature's {kind}"
    except Exception as error:  # shapely's messages about broken coordinates vary
        return f"geometry cannot be read ({type(error).__name__}: {str(error)[:160]})"


def import_geojson(data: bytes, dataset: str, atlas: Atlas, column_mapping: dict[str, str] | None = None,
                   file_name: str = "") -> ImportResult:
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
        return empty_result("geojson", [f"{file_name or 'the file'} has no features"] if not features else
                            ["the features have no properties: nothing says when or what they were"],
                            read=len(features))
    return import_table(frame, dataset, atlas, column_mapping, origin="geojson", points=points)
