"""Organisational boundaries of AQIM and its forerunners, and when each was in force.

The boundaries are curated as text in ``geo/data/boundaries.yaml``: which
countries and regions each covers, from when to when, and the report passages
that say so. Their outlines are composed here, when loaded, from the committed
country polygons and the region outlines of :mod:`geo.basemap`. Composing at
load time rather than in the basemap build keeps the YAML the one source: an
edit to it shows on the map at once, needs no GMT, and can never disagree with
a stale derived file. It takes a few hundredths of a second and is cached.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from geo import basemap
from geo.schema import Citation

__all__ = [
    "BOUNDARY_KINDS",
    "BoundaryRecord",
    "load_boundaries",
    "boundaries_in_force",
    "describe_years",
]

BOUNDARIES_FILE = Path(__file__).parent / "data" / "boundaries.yaml"

# Kinds of boundary a user can tell apart on the map; the label is the legend's.
BOUNDARY_KINDS: dict[str, str] = {
    "emirate": "AQIM emirate",
    "command-region": "GSPC command region",
    "sphere-of-operations": "Sphere of operations",
    "held-territory": "Territory held",
    "proposed-state": "Proposed state",
}


class Composition(BaseModel):
    """How an outline is made: (countries + regions) - subtract, clipped to within."""

    model_config = ConfigDict(extra="forbid")

    countries: list[str] = []
    regions: list[str] = []
    subtract: list[str] = []
    within: list[tuple[float, float]] | None = None  # hand-drawn [lon, lat] outline

    @model_validator(mode="after")
    def _not_empty(self) -> Composition:
        if not self.countries and not self.regions:
            raise ValueError("compose should name at least one country or region")
        return self


class BoundaryRecord(BaseModel):
    """One organisational boundary, as written in ``boundaries.yaml``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    name: str
    aliases: list[str] = []
    kind: Literal[tuple(BOUNDARY_KINDS)]  # type: ignore[valid-type]
    valid_from: str
    valid_to: str | None = None
    compose: Composition
    basis: str
    confidence: Literal["high", "medium", "low"]
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None

    @field_validator("valid_from", "valid_to")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None:
            dt.date.fromisoformat(value)  # raises with the offending text
        return value

    @model_validator(mode="after")
    def _ordered(self) -> BoundaryRecord:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


def read_boundary_records(path: Path = BOUNDARIES_FILE) -> list[BoundaryRecord]:
    """Parse and validate the curated boundary records."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path} should hold a list of boundaries, got {type(raw).__name__}")
    return [BoundaryRecord.model_validate(item) for item in raw]


def _compose(record: BoundaryRecord, regions: dict[str, shapely.Geometry]) -> shapely.Geometry:
    """Build the outline a record describes from countries and regions."""
    recipe = record.compose
    unknown = [r for r in recipe.regions + recipe.subtract if r not in regions]
    if unknown:
        raise KeyError(f"boundary {record.id!r} names regions {unknown}; expected one of {sorted(regions)}")
    parts = [regions[r] for r in recipe.regions]
    if recipe.countries:
        parts.append(basemap.country_union(recipe.countries))
    shape = shapely.union_all(parts)
    if recipe.subtract:
        shape = shape.difference(shapely.union_all([regions[r] for r in recipe.subtract]))
    if recipe.within:
        shape = shape.intersection(shapely.Polygon(recipe.within))
    # Differences of shared borders leave hairline slivers; drop them.
    return shapely.make_valid(shapely.set_precision(shape, 0.001))


def _is_approximate(record: BoundaryRecord, approximate_regions: set[str]) -> bool:
    """Tell whether any hand-drawn line went into the outline (then it is approximate)."""
    used = set(record.compose.regions) | set(record.compose.subtract)
    return record.compose.within is not None or bool(used & approximate_regions)


@functools.lru_cache(maxsize=None)
def _cached_boundaries(path: Path) -> gpd.GeoDataFrame:
    region_table = basemap.regions()
    regions = dict(zip(region_table["id"], region_table.geometry))
    approximate = set(region_table.loc[region_table["approximate"], "id"])
    rows = []
    for record in read_boundary_records(path):
        rows.append(
            {
                **record.model_dump(exclude={"compose", "sources"}),
                "countries": list(record.compose.countries),
                "regions": list(record.compose.regions),
                "subtracted_regions": list(record.compose.subtract),
                "approximate": _is_approximate(record, approximate),
                "sources": [s.model_dump() for s in record.sources],
                "geometry": _compose(record, regions),
            }
        )
    table = gpd.GeoDataFrame(rows, geometry="geometry", crs=basemap.CRS)
    # pandas turns None into NaN; keep None, which is what 'still in force' means.
    table["valid_to"] = table["valid_to"].astype(object).where(table["valid_to"].notna(), None)
    return table


def load_boundaries(path: Path = BOUNDARIES_FILE) -> gpd.GeoDataFrame:
    """All curated organisational boundaries with their outlines.

    Parameters
    ----------
    path : Path, optional
        The YAML file to read; defaults to ``geo/data/boundaries.yaml``.

    Returns
    -------
    GeoDataFrame
        Columns ``id, name, aliases, kind, valid_from, valid_to, basis,
        confidence, note, countries, regions, subtracted_regions, approximate,
        sources, geometry`` in EPSG:4326. ``valid_from``/``valid_to`` are ISO
        date strings; ``valid_to`` is None while still in force in 2013.
    """
    return _cached_boundaries(Path(path)).copy()


def _check_years(year_from: int, year_to: int) -> None:
    for label, year in (("year_from", year_from), ("year_to", year_to)):
        if not isinstance(year, int) or isinstance(year, bool):
            raise TypeError(f"'{label}' should be an int year, got {type(year).__name__}")
    if year_from > year_to:
        raise ValueError(f"'year_from' should not be after 'year_to', got {year_from} > {year_to}")


def boundaries_in_force(boundaries: gpd.GeoDataFrame, year_from: int, year_to: int) -> gpd.GeoDataFrame:
    """Select the boundaries in force at any time between two years, inclusive.

    Parameters
    ----------
    boundaries : GeoDataFrame
        As returned by :func:`load_boundaries`.
    year_from, year_to : int
        First and last year of the range, e.g. ``2005, 2005`` for one year.

    Returns
    -------
    GeoDataFrame
        The rows whose validity overlaps the range, in their original order.

    Examples
    --------
    >>> in_2012 = boundaries_in_force(load_boundaries(), 2012, 2012)
    >>> "proposed-islamic-state-of-azawad" in set(in_2012["id"])
    True
    """
    if not isinstance(boundaries, gpd.GeoDataFrame):
        raise TypeError(f"'boundaries' should be a GeoDataFrame, got {type(boundaries).__name__}")
    missing = {"valid_from", "valid_to"} - set(boundaries.columns)
    if missing:
        raise ValueError(f"'boundaries' should have columns valid_from and valid_to; missing {sorted(missing)}")
    _check_years(year_from, year_to)
    starts = boundaries["valid_from"].str.slice(0, 4).astype(int)
    ends = pd.to_numeric(boundaries["valid_to"].str.slice(0, 4), errors="coerce")
    mask = (starts <= year_to) & (ends.isna() | (ends >= year_from))
    return boundaries[mask].copy()


def describe_years(year_from: int, year_to: int) -> str:
    """Say the year range as a caption does: 'in 2005', 'between 2006 and 2012'."""
    _check_years(year_from, year_to)
    if year_from == year_to:
        return f"boundaries in force in {year_from}"
    return f"boundaries in force between {year_from} and {year_to}"
