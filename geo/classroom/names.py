"""Names of places: every spelling the data knows for a place, and map labels in English or French."""

from __future__ import annotations

import geopandas as gpd

from geo import basemap
from geo.catalog import load_atlas

__all__ = [
    "FRENCH_NAMES",
    "FRENCH_BASEMAP_NAMES",
    "LANGUAGES",
    "name_variants",
    "label_language",
    "french_country_names",
    "basemap_french_texts",
]

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
    # A description, not a name: its words in French, its names as their curated
    # French forms (Tiguentourine is the plant's alias, In Aménas the town's).
    "in-amenas-gas-plant": "Site gazier de Tiguentourine (In Aménas)",
}
# French forms made of other places' names rather than chosen among the place's own aliases.
DESCRIBED_IN_FRENCH = frozenset({"in-amenas-gas-plant"})

# The bundled basemap names its countries, lakes and capitals in English only (GeoNames
# names); these are their French forms (the short names of ISO 3166 in French, and the
# usual French names of the lakes). Countries the curated places name take the curated
# French form instead (Algérie, Tchad...), so the two never disagree.
FRENCH_BASEMAP_NAMES: dict[str, str] = {
    "BF": "Burkina Faso",
    "BJ": "Bénin",
    "CD": "République démocratique du Congo",
    "CF": "République centrafricaine",
    "CI": "Côte d'Ivoire",
    "CM": "Cameroun",
    "DZ": "Algérie",
    "EG": "Égypte",
    "EH": "Sahara occidental",
    "ES": "Espagne",
    "GH": "Ghana",
    "GM": "Gambie",
    "GN": "Guinée",
    "GR": "Grèce",
    "GW": "Guinée-Bissau",
    "IT": "Italie",
    "LR": "Liberia",
    "LY": "Libye",
    "MA": "Maroc",
    "ML": "Mali",
    "MR": "Mauritanie",
    "MT": "Malte",
    "NE": "Niger",
    "NG": "Nigeria",
    "PT": "Portugal",
    "SD": "Soudan",
    "SL": "Sierra Leone",
    "SN": "Sénégal",
    "SS": "Soudan du Sud",
    "TD": "Tchad",
    "TG": "Togo",
    "TN": "Tunisie",
    "Lake Chad": "Lac Tchad",
    "Lake Volta": "Lac Volta",
    "Kainji Lake": "Lac de Kainji",
    "Lake Kossou": "Lac de Kossou",
    "Athens": "Athènes",
    "Valletta": "La Valette",
    "N'Djamena": "N'Djaména",
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
        labelled["name"] = [
            FRENCH_NAMES.get(place_id, name) for place_id, name in zip(labelled["id"], labelled["name"])
        ]
    return labelled


def french_country_names(places: gpd.GeoDataFrame | None = None) -> dict[str, str]:
    """Every basemap country's French name, by ISO code: the curated French form where the
    reports name the country (:data:`FRENCH_NAMES`), else :data:`FRENCH_BASEMAP_NAMES`."""
    places = load_atlas().places if places is None else places
    countries = places[places["kind"] == "country"]
    curated = {row.country: FRENCH_NAMES[row.id] for row in countries.itertuples(index=False) if row.id in FRENCH_NAMES}
    return {
        code: curated.get(code, FRENCH_BASEMAP_NAMES.get(code, name))
        for code, name in zip(basemap.countries()["iso_a2"], basemap.countries()["name"])
    }


def basemap_french_texts(places: gpd.GeoDataFrame | None = None) -> dict[str, str]:
    """English basemap texts (a country, lake or capital as its tooltip says it) -> French.

    Capitals take the curated French form where there is one (Algiers -> Alger).
    """
    places = load_atlas().places if places is None else places
    countries = basemap.countries()
    french_by_code = french_country_names(places)
    texts = {english: french_by_code[code] for code, english in zip(countries["iso_a2"], countries["name"])}
    by_name = {row.name: FRENCH_NAMES[row.id] for row in places.itertuples(index=False) if row.id in FRENCH_NAMES}
    for name in basemap.capitals()["name"]:
        french = by_name.get(name, FRENCH_BASEMAP_NAMES.get(name))
        if french:
            texts[f"{name} (capital)"] = f"{french} (capitale)"
    for name in basemap.lakes()["name"].dropna().unique():
        if name in FRENCH_BASEMAP_NAMES:
            texts[name] = FRENCH_BASEMAP_NAMES[name]
    return {english: french for english, french in texts.items() if english != french}
