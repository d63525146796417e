"""The PostGIS workspace's tables (the schema, made or brought up to date on first use) and how
events go in (COPY rows) and come out (the dashboard's slim frame)."""

from __future__ import annotations

import json
import math

import pandas as pd

from geo.workspace.base import INTEGER_COLUMNS, JSON_COLUMNS, JSON_ENCODER, column_from_json, is_missing, object_array
from geo.workspace.plan import SHOWN_COLUMNS, empty_shown, search_texts

__all__ = [
    "SCHEMA",
    "SCHEMA_LOCK",
    "NAME_LOCKS",
    "TEXT_COLUMNS",
    "STORED_JSON",
    "EVENT_COLUMNS",
    "SCHEMA_SQL",
    "jsonb",
    "postgres_json",
    "postgres_text",
    "event_records",
    "copy_events",
    "shown_frame",
    "shared_json",
]

SCHEMA = "sahel_atlas"
# Keys of the advisory locks: one for creating the schema, one space for dataset names.
SCHEMA_LOCK = 0x5A4E1
NAME_LOCKS = 0x5A4E2

TEXT_COLUMNS = (
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "type",
    "title",
    "summary",
    "place",
    "place_name",
    "location_precision",
    "note",
    "origin",
    "original_id",
    "original_type",
    "country",
    "admin1",
    "ransom",
    "source_text",
    "geocode",
)
STORED_JSON = (
    "places",
    "route",
    "groups",
    "people",
    "roles",
    "no_actor",
    "hostage_nationalities",
    "money",
    "leading_groups",
    "actors",
    "original",
)
# In the order the COPY sends them.
EVENT_COLUMNS = ("dataset_id", "position") + TEXT_COLUMNS + INTEGER_COLUMNS + STORED_JSON + ("geometry", "search_text")

SCHEMA_SQL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.store (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    store_id text NOT NULL,
    generation bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.datasets (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    name_key text NOT NULL,
    file_name text NOT NULL DEFAULT '',
    format text NOT NULL DEFAULT '',
    imported_at text NOT NULL,
    rows_read integer NOT NULL,
    imported integer NOT NULL,
    refused integer NOT NULL,
    problems jsonb NOT NULL DEFAULT '[]',
    refused_rows jsonb NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.events (
    dataset_id bigint NOT NULL REFERENCES {SCHEMA}.datasets (id) ON DELETE CASCADE,
    position integer NOT NULL,
    {", ".join(f'"{column}" text' for column in TEXT_COLUMNS)},
    {", ".join(f'"{column}" bigint' for column in INTEGER_COLUMNS)},
    {", ".join(f'"{column}" {"json" if column == "original" else "jsonb"}' for column in STORED_JSON)},
    geometry geometry(Point, 4326),
    search_text text NOT NULL,
    PRIMARY KEY (dataset_id, position)
);
-- Ids, versions, owners and the trash (added to stores made before them).
ALTER TABLE {SCHEMA}.datasets ADD COLUMN IF NOT EXISTS version integer NOT NULL DEFAULT 1;
ALTER TABLE {SCHEMA}.datasets ADD COLUMN IF NOT EXISTS imported_by text NOT NULL DEFAULT '';
ALTER TABLE {SCHEMA}.datasets ADD COLUMN IF NOT EXISTS deleted_at text NOT NULL DEFAULT '';
ALTER TABLE {SCHEMA}.datasets ADD COLUMN IF NOT EXISTS deleted_by text NOT NULL DEFAULT '';
ALTER TABLE {SCHEMA}.datasets ADD COLUMN IF NOT EXISTS changed_at text NOT NULL DEFAULT '';
ALTER TABLE {SCHEMA}.datasets ADD COLUMN IF NOT EXISTS document text;
-- A name is taken once among the live datasets; the trash may hold the same name.
ALTER TABLE {SCHEMA}.datasets DROP CONSTRAINT IF EXISTS datasets_name_key_key;
CREATE UNIQUE INDEX IF NOT EXISTS datasets_live_name ON {SCHEMA}.datasets (name_key) WHERE deleted_at = '';
CREATE TABLE IF NOT EXISTS {SCHEMA}.audit_log (
    id bigserial PRIMARY KEY,
    at text NOT NULL,
    who text NOT NULL,
    action text NOT NULL,
    dataset_id text NOT NULL,
    dataset text NOT NULL,
    detail text NOT NULL,
    events integer NOT NULL,
    outcome text NOT NULL
);
CREATE INDEX IF NOT EXISTS events_geometry ON {SCHEMA}.events USING gist (geometry);
CREATE INDEX IF NOT EXISTS events_years ON {SCHEMA}.events (year_start, year_end);
CREATE INDEX IF NOT EXISTS events_year_end ON {SCHEMA}.events (year_end);
CREATE INDEX IF NOT EXISTS events_type ON {SCHEMA}.events (type);
CREATE INDEX IF NOT EXISTS events_country ON {SCHEMA}.events (country);
CREATE INDEX IF NOT EXISTS events_id ON {SCHEMA}.events (id);
CREATE INDEX IF NOT EXISTS events_groups ON {SCHEMA}.events USING gin (groups);
CREATE INDEX IF NOT EXISTS events_people ON {SCHEMA}.events USING gin (people);
"""


def jsonb(value):
    from psycopg.types.json import Jsonb

    return Jsonb(value, dumps=lambda data: postgres_json(JSON_ENCODER.encode(data)))


def postgres_json(text: str | None) -> str | None:
    """JSON PostgreSQL takes: NaN and infinities (which Python's encoder writes) become null, and
    NUL characters (which PostgreSQL text cannot hold) are dropped."""
    if text is None:
        return None
    if "NaN" in text or "Infinity" in text:

        def finite(value):
            if isinstance(value, float) and not math.isfinite(value):
                return None
            if isinstance(value, list):
                return [finite(item) for item in value]
            if isinstance(value, dict):
                return {key: finite(item) for key, item in value.items()}
            return value

        text = json.dumps(finite(json.loads(text)), ensure_ascii=False)
    return text.replace("\\u0000", "") if "\\u0000" in text else text


def postgres_text(value) -> str | None:
    if is_missing(value):
        return None
    text = str(value)
    return text.replace("\x00", "") if "\x00" in text else text


def event_records(stored, events) -> list[tuple]:
    """One tuple a row, in EVENT_COLUMNS order after dataset_id (JSON as text, geometry as EWKB hex)."""
    import numpy as np
    import shapely

    from geo.catalog import leading_groups

    count = len(stored)
    columns: list[list] = [list(range(count))]
    for column in TEXT_COLUMNS:
        columns.append([postgres_text(value) for value in stored[column].astype(object)])
    years = {"year_start": events["date_start"], "year_end": events["date_end"]}
    for column in INTEGER_COLUMNS:
        if column in years:  # derived from the dates, as finish_events does when they are read back
            values = pd.to_numeric(years[column].astype(object).str[:4], errors="coerce")
        else:
            values = stored[column]
        columns.append([None if is_missing(value) else int(value) for value in values.astype(object)])
    decoded_groups = list(events["groups"]) if "groups" in events.columns else [[]] * count
    decoded_roles = list(events["roles"]) if "roles" in events.columns else [{}] * count
    for column in STORED_JSON:
        if column == "leading_groups":
            columns.append(
                [
                    json.dumps(leading_groups(g or [], r if isinstance(r, dict) else {}), ensure_ascii=False)
                    for g, r in zip(decoded_groups, decoded_roles)
                ]
            )
        else:
            columns.append(
                [postgres_json(text) for text in stored[column]] if column in JSON_COLUMNS else [None] * count
            )
    points = shapely.set_srid(np.asarray(stored.geometry.values, dtype=object), 4326)
    columns.append(list(shapely.to_wkb(points, hex=True, include_srid=True)) if count else [])
    search_frame = pd.DataFrame(
        {
            "title": events["title"],
            "summary": events["summary"],
            "place_name": events["place_name"],
            "actors": events["actors"],
        }
    )
    columns.append([postgres_text(text) for text in search_texts(search_frame)] if count else [])
    return list(zip(*columns))


def copy_events(connection, dataset_id: int, records: list[tuple]) -> None:
    names = ", ".join(f'"{column}"' for column in EVENT_COLUMNS)
    with connection.cursor().copy(f"COPY {SCHEMA}.events ({names}) FROM STDIN") as copy:
        for record in records:
            copy.write_row((dataset_id,) + record)


def shown_frame(rows: list[tuple]) -> pd.DataFrame:
    if not rows:
        return empty_shown()
    columns = [list(values) for values in zip(*rows)]
    frame = {}
    for column, values in zip(SHOWN_COLUMNS, columns):
        if column in ("groups", "roles", "leading_groups"):
            frame[column] = shared_json(values)
        elif column in ("x", "y"):
            frame[column] = pd.array([float("nan") if value is None else value for value in values], dtype=float)
        elif column in ("year_start", "year_end"):
            frame[column] = pd.array(values, dtype="Int64")
        else:
            frame[column] = pd.array(values, dtype="str")
    return pd.DataFrame(frame)[list(SHOWN_COLUMNS)]


def shared_json(texts: list):
    """A column of JSON texts decoded, each distinct text once (events share a few actor lists):
    equal values are then one shared object, so the frame must not be modified in place."""
    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
    decoded = object_array(column_from_json(list(uniques)) + [None])  # the last one for missing texts
    return decoded.take(codes)  # -1 (missing) takes the None at the end
