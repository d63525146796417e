"""Areas and distances the reports talk about.

Areas are measured in an equal-area projection, EPSG:6933 (WGS 84 / EASE-Grid
2.0 Global, cylindrical equal-area): its areas are true everywhere, so one
projection serves the Sahel, Algeria and, for the letters' comparison, France
and Belgium. Distances are geodesics on the WGS 84 ellipsoid (``pyproj.Geod``),
the 'great circle' a reader means, to within a fraction of a percent.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod

from geo import basemap
from geo.boundaries import load_boundaries

__all__ = [
    "EQUAL_AREA_CRS",
    "AreaComparison",
    "area_km2",
    "great_circle_km",
    "sahara_vs_france_belgium",
    "LETTERS_REGION_READING",
]

EQUAL_AREA_CRS = "EPSG:6933"
_GEOD = Geod(ellps="WGS84")

# The AQIM Advisory Board's reply to Belmokhtar (November 2012, in 002) speaks
# of 'a region whose area is equal to that of France and Belgium combined'
# when defending the number of groups 'in the Sahara': the Sahara region of
# AQIM's command, i.e. the Emirate of the Sahara. Other ids may be passed.
DEFAULT_SAHARA_REGION = "emirate-of-the-sahara"
# Which region the letters most plausibly meant, for the classroom and the chart to say.
LETTERS_REGION_READING = (
    "Most plausibly the north of Mali the groups held in 2012 (about 1.4 times France and Belgium "
    "combined), not the whole Emirate of the Sahara (about 6.9 times): the Board wrote in November 2012 "
    "while its groups held northern Mali, and in the same letter tied its reorganisation to too few fighters "
    'for "the vast land in the north [of Mali]" and to merging the three regions of the Sahara into one '
    "(the Timbuktu letters analysis). The letters do not name the region; the figure fits the held north."
)
COMPARISON_SOURCE = {
    "source": "002_7d2af5c16050e36f.txt",
    "locator": "whose area is equal to that of France and Belgium combined",
}


def area_km2(geom_or_gdf, crs: str = "EPSG:4326"):
    """Area in square kilometres, measured in an equal-area projection.

    Parameters
    ----------
    geom_or_gdf : shapely geometry, GeoSeries or GeoDataFrame
        What to measure. A GeoSeries or GeoDataFrame uses its own CRS.
    crs : str, default "EPSG:4326"
        CRS of a bare shapely geometry's coordinates.

    Returns
    -------
    float or pandas.Series
        One area for a geometry; one per row, same index, for a table.

    Examples
    --------
    >>> round(area_km2(shapely.box(0, 0, 1, 1)))
    12308
    """
    if isinstance(geom_or_gdf, (gpd.GeoDataFrame, gpd.GeoSeries)):
        if geom_or_gdf.crs is None:
            raise ValueError("'geom_or_gdf' should have a CRS set, got None")
        return geom_or_gdf.to_crs(EQUAL_AREA_CRS).area / 1e6
    if isinstance(geom_or_gdf, shapely.Geometry):
        series = gpd.GeoSeries([geom_or_gdf], crs=crs)
        return float(series.to_crs(EQUAL_AREA_CRS).area.iloc[0] / 1e6)
    raise TypeError(
        f"'geom_or_gdf' should be a shapely geometry, GeoSeries or GeoDataFrame, got {type(geom_or_gdf).__name__}"
    )


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Shortest distance over the Earth's surface between two places, in km.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float
        Longitudes and latitudes in degrees (EPSG:4326).

    Returns
    -------
    float
        Geodesic distance on the WGS 84 ellipsoid.

    Examples
    --------
    >>> round(great_circle_km(-8.0, 12.65, -3.0, 16.77))  # Bamako to Timbuktu
    705
    """
    for name, value, limit in (("lon1", lon1, 180), ("lat1", lat1, 90), ("lon2", lon2, 180), ("lat2", lat2, 90)):
        if not -limit <= value <= limit:
            raise ValueError(f"'{name}' should be within +/-{limit} degrees, got {value}")
    _, _, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    return metres / 1000


@dataclass(frozen=True)
class AreaComparison:
    """A region's area beside France's and Belgium's, as the letters compare them."""

    region_id: str
    region_name: str
    region_km2: float
    france_km2: float
    belgium_km2: float
    source: dict

    @property
    def france_and_belgium_km2(self) -> float:
        """Metropolitan France and Belgium together."""
        return self.france_km2 + self.belgium_km2

    @property
    def ratio(self) -> float:
        """How many times France and Belgium combined fit into the region."""
        return self.region_km2 / self.france_and_belgium_km2

    def describe(self) -> str:
        """One sentence for a caption."""
        return (
            f"{self.region_name}: {self.region_km2:,.0f} km², {self.ratio:.1f} times "
            f"France and Belgium combined ({self.france_and_belgium_km2:,.0f} km²), "
            f"which the letters call equal"
        )


def _region(region_id: str) -> pd.Series:
    """Find a boundary or region row by id."""
    for table in (load_boundaries(), basemap.regions()):
        rows = table[table["id"] == region_id]
        if len(rows):
            return rows.iloc[0]
    known = sorted(load_boundaries()["id"]) + sorted(basemap.regions()["id"])
    raise KeyError(f"'region_id' should be a boundary or region id, one of {known}; got {region_id!r}")


def sahara_vs_france_belgium(region_id: str = DEFAULT_SAHARA_REGION) -> AreaComparison:
    """Both sides of the letters' 'France and Belgium combined' comparison.

    Parameters
    ----------
    region_id : str, default "emirate-of-the-sahara"
        The boundary or region to set against France and Belgium; e.g.
        ``"jihadist-held-northern-mali"`` for the area the groups held in 2012.

    Returns
    -------
    AreaComparison
        The region's area, metropolitan France's and Belgium's (from the DCW
        polygons in ``reference_countries.geojson``) and their ratio.
    """
    region = _region(region_id)
    reference = basemap.reference_countries().set_index("iso_a2")
    areas = area_km2(reference)
    return AreaComparison(
        region_id=region_id,
        region_name=region["name"],
        region_km2=area_km2(region.geometry),
        france_km2=float(areas["FR"]),
        belgium_km2=float(areas["BE"]),
        source=dict(COMPARISON_SOURCE),
    )
