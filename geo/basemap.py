"""The offline basemap: countries, coastlines, rivers, lakes, capitals and regions.

Every loader reads files committed in ``geo/data/`` (rebuilt by
:mod:`geo.build_basemap`), so the map needs no network and no build step.
Results are cached and each call returns a copy the caller may change.

Region outlines (Azawad, El Djouf, the Fezzan, the Sahara and Sahel belts)
are curated in ``geo/data/regions.yaml`` as hand-drawn approximations and
clipped to the country polygons when loaded: no administrative outlines of
Mali's, Mauritania's or Libya's regions are available from the registries the
project builds from.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import geopandas as gpd
import shapely
import yaml
from pydantic import BaseModel, ConfigDict, Field

from geo.schema import Citation

__all__ = [
    "BASEMAP_LAYERS",
    "countries",
    "reference_countries",
    "coastlines",
    "rivers",
    "lakes",
    "capitals",
    "regions",
    "country_union",
]

DATA_DIR = Path(__file__).parent / "data"
BASEMAP_DIR = DATA_DIR / "basemap"
REGIONS_FILE = DATA_DIR / "regions.yaml"
CRS = "EPSG:4326"


class RegionRecord(BaseModel):
    """One curated region outline, as written in ``regions.yaml``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    name: str
    aliases: list[str] = []
    kind: Literal["historical-region", "physical-region", "climatic-belt", "working-outline"]
    clip_to: list[str] = Field(min_length=1)  # ISO codes of the countries it lies in
    outline: list[tuple[float, float]] = Field(min_length=3)  # lon, lat
    basis: str
    confidence: Literal["high", "medium", "low"]
    sources: list[Citation] = []
    note: str | None = None


def _read_layer(name: str) -> gpd.GeoDataFrame:
    path = BASEMAP_DIR / f"{name}.geojson"
    if not path.exists():
        raise FileNotFoundError(f"basemap layer {name!r} expected at {path}; rebuild with python -m geo.build_basemap")
    return gpd.read_file(path).set_crs(CRS, allow_override=True)


@functools.lru_cache(maxsize=None)
def _cached_layer(name: str) -> gpd.GeoDataFrame:
    return _read_layer(name)


def countries() -> gpd.GeoDataFrame:
    """Country polygons (DCW) with ``iso_a2``, ``iso_a3`` and GeoNames ``name``.

    Returns
    -------
    GeoDataFrame
        One row per country touching the operating area, in EPSG:4326.
    """
    return _cached_layer("countries").copy()


def reference_countries() -> gpd.GeoDataFrame:
    """Metropolitan France and Belgium, outside the area, kept for area comparisons."""
    return _cached_layer("reference_countries").copy()


def coastlines() -> gpd.GeoDataFrame:
    """GSHHG sea shorelines in the operating area, as lines."""
    return _cached_layer("coastlines").copy()


def rivers() -> gpd.GeoDataFrame:
    """WDBII major rivers; ``name`` is set for the Niger, Senegal, Benue and Gambia."""
    return _cached_layer("rivers").copy()


def lakes() -> gpd.GeoDataFrame:
    """GSHHG lakes, named where the map should name them (Lake Chad, Lac Faguibine...)."""
    return _cached_layer("lakes").copy()


def capitals() -> gpd.GeoDataFrame:
    """GeoNames national capitals in the operating area, with their country."""
    return _cached_layer("capitals").copy()


@functools.lru_cache(maxsize=None)
def _country_shapes() -> dict[str, shapely.Geometry]:
    table = _cached_layer("countries")
    return dict(zip(table["iso_a2"], table.geometry))


def country_union(codes: list[str] | tuple[str, ...]) -> shapely.Geometry:
    """Return the union of the named countries' polygons.

    Parameters
    ----------
    codes : list of str
        ISO 3166 alpha-2 codes, e.g. ``["ML", "NE"]``.

    Returns
    -------
    shapely geometry
        Their union; raises ``KeyError`` naming any code not on the basemap.
    """
    shapes = _country_shapes()
    missing = [c for c in codes if c not in shapes]
    if missing:
        raise KeyError(f"countries {missing} are not on the basemap; expected one of {sorted(shapes)}")
    return shapely.union_all([shapes[c] for c in codes])


def read_region_records(path: Path = REGIONS_FILE) -> list[RegionRecord]:
    """Parse and validate the curated region outlines."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path} should hold a list of regions, got {type(raw).__name__}")
    return [RegionRecord.model_validate(item) for item in raw]


@functools.lru_cache(maxsize=None)
def _cached_regions() -> gpd.GeoDataFrame:
    rows = []
    for record in read_region_records():
        drawn = shapely.Polygon(record.outline)
        if not drawn.is_valid:
            raise ValueError(f"region {record.id!r}: its outline crosses itself")
        shape = shapely.make_valid(drawn.intersection(country_union(record.clip_to)))
        rows.append(
            {
                **record.model_dump(exclude={"outline", "clip_to", "sources"}),
                "countries": list(record.clip_to),
                "sources": [s.model_dump() for s in record.sources],
                # Every outline here is hand-drawn; the map dashes approximate shapes.
                "approximate": True,
                "geometry": shape,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def regions() -> gpd.GeoDataFrame:
    """Regions the reports name, each clipped to its countries.

    Returns
    -------
    GeoDataFrame
        Columns ``id, name, aliases, kind, basis, confidence, sources, note,
        countries, approximate, geometry`` in EPSG:4326.
    """
    return _cached_regions().copy()


BASEMAP_LAYERS = {
    "countries": countries,
    "rivers": rivers,
    "lakes": lakes,
    "regions": regions,
    "capitals": capitals,
    "coastlines": coastlines,
}
