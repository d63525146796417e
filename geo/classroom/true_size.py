"""True size: an outline (France, France and Belgium, the north of Mali held in 2012...)
moved onto any place without changing its area or, to within a fraction of a percent,
its shape.

It is laid flat in a Lambert azimuthal equal-area projection centred on itself and
read back in the same projection centred on the new place. Shifting degrees instead
would swell France by a third when moved from 46° N to Timbuktu (a degree of
longitude is wider there).
"""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import shapely

from geo import basemap
from geo.boundaries import load_boundaries
from geo.classroom.shapes import country_outlines, equal_area, transform
from geo.measure import area_km2

__all__ = ["TRUE_SIZE_SHAPES", "true_size_shape", "true_size_outline", "TrueSizeAreas", "true_size_areas"]

# Outlines a teacher can move, by key; any boundary or region id, or a basemap
# country's ISO code, works too.
TRUE_SIZE_SHAPES: dict[str, str] = {
    "france": "France",
    "france-and-belgium": "France and Belgium",
    "belgium": "Belgium",
    "jihadist-held-northern-mali": "Northern Mali held by the jihadist groups (2012)",
}


def true_size_shape(key: str) -> tuple[str, shapely.Geometry]:
    """A named outline to move: ``"france"``, ``"france-and-belgium"`` (the Timbuktu
    letters' comparison), a boundary or region id, or a country's ISO code.

    Returns
    -------
    (name, geometry)
        The outline in lon/lat.
    """
    reference = dict(zip(basemap.reference_countries()["iso_a2"], basemap.reference_countries().geometry))
    if key == "france":
        return TRUE_SIZE_SHAPES[key], reference["FR"]
    if key == "belgium":
        return TRUE_SIZE_SHAPES[key], reference["BE"]
    if key == "france-and-belgium":
        return TRUE_SIZE_SHAPES[key], shapely.union_all([reference["FR"], reference["BE"]])
    for table in (load_boundaries(), basemap.regions()):
        rows = table[table["id"] == key]
        if len(rows):
            return TRUE_SIZE_SHAPES.get(key, rows.iloc[0]["name"]), rows.iloc[0].geometry
    outlines = country_outlines()
    if key in outlines:
        return outlines[key]
    raise KeyError(
        f"'key' should be one of {sorted(TRUE_SIZE_SHAPES)}, a boundary or region id, "
        f"or a country code on the basemap; got {key!r}"
    )


def _middle(shape: shapely.Geometry) -> tuple[float, float]:
    # The centroid taken in the equal-area plane, so a big country's middle is not
    # pulled towards the pole as it would be in degrees.
    centre = gpd.GeoSeries([shape], crs="EPSG:4326").to_crs("EPSG:6933").centroid.to_crs("EPSG:4326").iloc[0]
    return centre.x, centre.y


def true_size_outline(shape: shapely.Geometry, centre_lon: float, centre_lat: float) -> shapely.Geometry:
    """Move an outline so its middle sits on a chosen place, at its true size.

    The outline is laid flat in a Lambert azimuthal equal-area projection
    centred on its own middle, then the same flat coordinates are read in that
    projection centred on the chosen place. Both are equal-area, so the area is
    unchanged; shapes bend only by the projection's small distortion away from
    its centre (under 1% across a country the size of France). Edges are cut
    to 5 km first, so long straight borders bend as they should.

    Parameters
    ----------
    shape : shapely geometry
        Polygon or MultiPolygon in lon/lat.
    centre_lon, centre_lat : float
        Where its middle should go, in degrees.

    Returns
    -------
    shapely geometry
        The moved outline in lon/lat.

    Examples
    --------
    >>> from geo.measure import area_km2
    >>> _, france = true_size_shape("france")
    >>> moved = true_size_outline(france, -3.0, 16.77)  # onto Timbuktu
    >>> round(area_km2(moved) / area_km2(france), 2)
    1.0
    """
    if not (-180 <= centre_lon <= 180 and -90 <= centre_lat <= 90):
        raise ValueError(f"the centre should be within +/-180 and +/-90 degrees, got {centre_lon}, {centre_lat}")
    flat = transform(shape, equal_area(*_middle(shape)))
    flat = shapely.segmentize(flat, 5_000)
    return transform(flat, equal_area(centre_lon, centre_lat), direction="INVERSE")


class TrueSizeAreas(NamedTuple):
    """An outline's area where it is and where it was moved, both measured equal-area."""

    original_km2: float
    moved_km2: float


def true_size_areas(shape: shapely.Geometry, centre_lon: float, centre_lat: float) -> TrueSizeAreas:
    """Both areas of :func:`true_size_outline`, in km², measured with :func:`geo.measure.area_km2`."""
    return TrueSizeAreas(area_km2(shape), area_km2(true_size_outline(shape, centre_lon, centre_lat)))
