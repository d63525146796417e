"""Names of places: every spelling the data knows for a place, and map labels in English or French."""

from __future__ import annotations

import geopandas as gpd

from geo import basemap
from geo.catalog import load_atlas

__all__ = ["FRENCH_NAMES", "LANGUAGES", "name_variants", "label_language"]

# The data does not say which alias is in which language, so the French form of
# a name is chosen here, always among the aliases places.yaml already holds (a
# test checks it). Places whose curated name is already the French form
# (Ménaka, Tébessa) or the same in both languages (Mali, Niger, Bamako) need none.
FRENCH_NAMES: dict[str, str] = {
    "algeria": "Algérie",
    "mauritania": "Mauritanie",
    "libya": "Libye",
    "tunisia": "Tunisie",
    "morocco": "Maroc",
    "chad": "Tchad",
    "senegal": "Sénégal",
    "belgium": "Belgique",
    "timbuktu": "Tombouctou",
    "agadez": "Agadès",
    "in-amenas": "In Aménas",
    "algiers": "Alger",
    "mount-chaambi": "Djebel Chaambi",
    "menaka-region": "Cercle de Ménaka",
}

LANGUAGES = ("en", "fr")


def name_variants(place_id: str, places: gpd.GeoDataFrame | None = None) -> list[str]:
    """Every spelling the data holds for a place: its name first, then its aliases.

    A region with a drawn outline adds the aliases of ``regions.yaml``. Spellings
    that differ only in letter case are given once.
    """
    places = load_atlas().places if places is None else places
    rows = places[places["id"] == place_id]
    if rows.empty:
        raise KeyError(f"{place_id!r} is not a curated place id")
    row = rows.iloc[0]
    spellings = [row["name"], *row["aliases"]]
    regions = basemap.regions()
    for region in regions[regions["id"] == place_id].itertuples(index=False):
        spellings += [region.name, *region.aliases]
    seen, variants = set(), []
    for spelling in spellings:
        if spelling.casefold() not in seen:
            seen.add(spelling.casefold())
            variants.append(spelling)
    return variants


def label_language(places: gpd.GeoDataFrame, language: str) -> gpd.GeoDataFrame:
    """The places with their ``name`` in English (``"en"``, the curated names) or French (``"fr"``).

    Returns a copy; the curated name stays in ``english_name``. A place with no
    French form in :data:`FRENCH_NAMES` keeps its curated name.
    """
    if language not in LANGUAGES:
        raise ValueError(f"'language' should be one of {LANGUAGES}, got {language!r}")
    labelled = places.copy()
    labelled["english_name"] = labelled["name"]
    if language == "fr":
        labelled["name"] = [FRENCH_NAMES.get(place_id, name) for place_id, name in zip(labelled["id"], labelled["name"])]
    return labelled

