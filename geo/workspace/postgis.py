"""The workspace in PostgreSQL/PostGIS: one store a whole team shares (``SAHEL_ATLAS_DATABASE_URL``).

The same interface as :class:`geo.workspace.gpkg.Workspace` (the GeoPackage file), in a schema of its own
(``sahel_atlas``) so it can share a database with other things:

- ``datasets``: one row a dataset, as the GeoPackage's ``datasets`` table; ``name_key`` (the name
  case-folded) is unique, so two names differing only in case cannot both be taken, even by two
  imports at the same moment;
- ``events``: every dataset's events in ONE table, with the dataset as a foreign key (deleting a
  dataset deletes its events), ``geometry(Point, 4326)`` under a GiST index, b-tree indexes on what
  the filters use, lists and dicts as ``jsonb`` (``original`` as ``json``, which keeps the file's
  column order), and ``search_text``: what the text filter searches, normalised in Python exactly as
  :func:`geo.filters.normalised_text` does, so the database's answer is the reference's;
- ``store``: one row, a random id and a generation counter bumped by every change, in the change's
  own transaction: :meth:`version` is one tiny query, and no one can see a new version before its
  content.

Every import, rename and delete is one transaction: a client killed mid-import (SIGKILL) leaves
nothing behind, since the server rolls an unfinished transaction back. Writers of the same name
take turns (a transaction-level advisory lock on the name); imports of different names run side by
side. The schema is created on first use under an advisory lock, so two processes starting at
once do not trip over each other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import secrets
import threading
import zlib
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pandas as pd

from geo.workspace.base import (DATABASE_VARIABLE, INTEGER_COLUMNS, JSON_COLUMNS, JSON_ENCODER, DatasetInfo,
                                DatasetsByName, WorkspaceError, cached_reads, check_name, column_from_json, id_prefixes,
                                is_missing, object_array, renamed_events, stored_frame)
from geo.workspace.plan import SHOWN_COLUMNS, empty_shown, filter_plan, search_texts

__all__ = ["PostgisWorkspace", "redacted"]

SCHEMA = "sahel_atlas"
# Keys of the advisory locks: one for creating the schema, one space for dataset names.
_SCHEMA_LOCK = 0x5A4E1
_NAME_LOCKS = 0x5A4E2

_TEXT_COLUMNS = ("id", "date_start", "date_end", "date_precision", "type", "title", "summary", "place",
                 "place_name", "location_precision", "note", "origin", "original_id", "original_type", "country",
                 "admin1", "ransom", "source_text", "geocode")
_STORED_JSON = ("places", "route", "groups", "people", "roles", "no_actor", "hostage_nationalities", "money",
                "leading_groups", "actors", "original")
# In the order the COPY sends them.
_EVENT_COLUMNS = ("dataset_id", "position") + _TEXT_COLUMNS + INTEGER_COLUMNS + _STORED_JSON + (
    "geometry", "search_text")

_SCHEMA_SQL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.store (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    store_id text NOT NULL,
    generation bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS {SCHEMA}.datasets (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    name_key text NOT NULL UNIQUE,
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
    {", ".join(f'"{column}" text' for column in _TEXT_COLUMNS)},
    {", ".join(f'"{column}" bigint' for column in INTEGER_COLUMNS)},
    {", ".join(f'"{column}" {"json" if column == "original" else "jsonb"}' for column in _STORED_JSON)},
    geometry geometry(Point, 4326),
    search_text text NOT NULL,
    PRIMARY KEY (dataset_id, position)
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


def redacted(url: str) -> str:
    """The address without its password, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "a PostgreSQL address that cannot be read"
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"],
                      safe="/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


# --- Connections: a few kept open per process and address (Streamlit reruns often) ---------------

_IDLE: dict[str, list] = {}
_IDLE_LIMIT = 4
_LOCK = threading.Lock()
_READY: set[str] = set()  # addresses whose schema this process has checked


class PostgisWorkspace(DatasetsByName):
    """The imported datasets in a PostgreSQL/PostGIS database (see the module docstring)."""

    def __init__(self, url: str):
        self.url = url.strip()
        self.location = redacted(self.url)
        if urlsplit(self.url).scheme not in ("postgresql", "postgres"):
            raise WorkspaceError(f"{DATABASE_VARIABLE} should be a PostgreSQL address such as "
                                 f"postgresql://user:password@host:5432/database; got {self.location!r}")
        import psycopg

        try:
            urlsplit(self.url).port  # a port that is not a number
            psycopg.conninfo.conninfo_to_dict(self.url)
        except (ValueError, psycopg.Error) as error:
            raise WorkspaceError(f"{DATABASE_VARIABLE} ({self.location}) cannot be read: {error}") from error

    def __repr__(self) -> str:
        return f"PostgisWorkspace({self.location!r})"

    # --- connections ------------------------------------------------------------------------------

    def _connect(self):
        import psycopg

        try:
            connection = psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                                         application_name="sahel-atlas")
        except psycopg.Error as error:
            raise WorkspaceError(f"cannot reach the workspace database {self.location}: "
                                 f"{str(error).strip() or type(error).__name__}") from error
        if self.url not in _READY:
            self._create_schema(connection)
            _READY.add(self.url)
        return connection

    def _create_schema(self, connection) -> None:
        import psycopg

        try:
            with connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                if connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone() is None:
                    try:
                        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                    except psycopg.Error as error:
                        raise WorkspaceError(
                            f"the workspace database {self.location} has no PostGIS, and it could not be added "
                            f"({str(error).strip()}); ask its administrator to run CREATE EXTENSION postgis") \
                            from error
                connection.execute(_SCHEMA_SQL)
                connection.execute(f"INSERT INTO {SCHEMA}.store (store_id) VALUES (%s) ON CONFLICT DO NOTHING",
                                   (secrets.token_hex(8),))
        except psycopg.Error as error:
            connection.close()
            raise WorkspaceError(f"cannot set up the workspace in {self.location}: {str(error).strip()}") from error
        except WorkspaceError:
            connection.close()
            raise

    @contextmanager
    def _connection(self) -> Iterator:
        """A connection from this process's few idle ones (or a new one); given back if still sound."""
        import psycopg

        with _LOCK:
            idle = _IDLE.setdefault(self.url, [])
            connection = idle.pop() if idle else None
        if connection is None or connection.closed:
            connection = self._connect()
        try:
            yield connection
        except psycopg.Error as error:
            connection.close()
            raise WorkspaceError(f"the workspace database {self.location}: {str(error).strip()}") from error
        finally:
            if not connection.closed:
                sound = connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
                with _LOCK:
                    idle = _IDLE.setdefault(self.url, [])
                    kept = sound and len(idle) < _IDLE_LIMIT
                    if kept:
                        idle.append(connection)
                if not kept:
                    connection.close()

    @contextmanager
    def _snapshot(self) -> Iterator:
        """A read-only transaction that sees one state of the store throughout."""
        with self._connection() as connection:
            with connection.transaction():
                connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                connection.execute("SET LOCAL work_mem = '64MB'")  # sorts 100,000 shown events in memory
                yield connection

    @staticmethod
    def _generation(connection) -> tuple:
        return tuple(connection.execute(f"SELECT store_id, generation FROM {SCHEMA}.store").fetchone())

    # --- reading ----------------------------------------------------------------------------------

    def version(self) -> tuple:
        """Changes with every import, rename and delete (committed): one one-row query."""
        with self._connection() as connection:
            return ("postgis", self.location) + self._generation(connection)

    def _read(self, what, read):
        """``read(connection)`` in one snapshot, cached per process for that version of the store."""
        with self._snapshot() as connection:
            cache = cached_reads(("postgis", self.url) + self._generation(connection))
            if what not in cache:
                cache[what] = read(connection)
            return cache[what]

    @staticmethod
    def _infos(connection) -> list[DatasetInfo]:
        rows = connection.execute(
            f"SELECT id, name, file_name, format, imported_at, rows_read, imported, refused, problems "
            f"FROM {SCHEMA}.datasets ORDER BY id").fetchall()
        return [DatasetInfo(name=name, file_name=file_name, format=format, imported_at=imported_at, read=read,
                            imported=imported, refused=refused, layer=f"{SCHEMA}.events:{number}",
                            problems=tuple(problems or ()))
                for number, name, file_name, format, imported_at, read, imported, refused, problems in rows]

    def datasets(self) -> list[DatasetInfo]:
        """Every dataset, in the order they were imported."""
        return list(self._read("datasets", self._infos))

    def refused_rows(self, name: str):
        from geo.imports.model import RefusedRow

        with self._snapshot() as connection:
            found = connection.execute(f"SELECT refused_rows FROM {SCHEMA}.datasets WHERE name = %s",
                                       (name,)).fetchone()
            if found is None:
                raise self.unknown_dataset(name, [info.name for info in self._infos(connection)])
        return [RefusedRow(row=row, reason=reason) for row, reason in found[0] or []]

    _FULL_SELECT = (f"SELECT d.name, {', '.join(f'e.{chr(34)}{c}{chr(34)}' for c in _TEXT_COLUMNS)}, "
                    f"{', '.join(f'e.{chr(34)}{c}{chr(34)}' for c in INTEGER_COLUMNS)}, "
                    f"{', '.join(f'e.{chr(34)}{c}{chr(34)}::text' for c in _STORED_JSON)}, "
                    f"ST_AsBinary(e.geometry) "
                    f"FROM {SCHEMA}.events e JOIN {SCHEMA}.datasets d ON d.id = e.dataset_id ")

    @staticmethod
    def _full_events(rows: list[tuple]):
        """Rows of _FULL_SELECT as ``finish_events`` makes them into the events frame."""
        import shapely

        from geo.imports.model import empty_imported_events, finish_events

        if not rows:
            return empty_imported_events()
        names = ("dataset",) + _TEXT_COLUMNS + INTEGER_COLUMNS + _STORED_JSON + ("geometry",)
        columns = dict(zip(names, (list(values) for values in zip(*rows))))
        for column in _STORED_JSON:
            columns[column] = column_from_json(columns[column])
        columns["geometry"] = list(shapely.from_wkb([None if blob is None else bytes(blob)
                                                     for blob in columns["geometry"]]))
        for derived in ("leading_groups", "year_start", "year_end"):
            columns.pop(derived)
        keys = list(columns)
        return finish_events([dict(zip(keys, values)) for values in zip(*columns.values())])

    def events(self, names: list[str] | None = None):
        """The events of every dataset, or of those named, as :meth:`Workspace.events` gives them.
        Cached per process while the store is unchanged: do not modify the frame in place."""
        wanted = None if names is None else list(dict.fromkeys(names))

        def read(connection):
            known = [info.name for info in self._infos(connection)]
            unknown = [name for name in wanted or () if name not in known]
            if unknown:
                raise self.unknown_dataset(unknown[0], known)
            order = "ORDER BY d.id, e.position" if wanted is None else \
                "WHERE d.name = ANY(%(names)s) ORDER BY array_position(%(names)s, d.name), e.position"
            rows = connection.execute(self._FULL_SELECT + order, {"names": wanted}).fetchall()
            return self._full_events(rows)
        return self._read(("events", None if wanted is None else tuple(wanted)), read)

    def events_by_id(self, ids):
        """The events with these ids, every column, sorted by (date_start, id)."""
        wanted = list(dict.fromkeys(str(identifier) for identifier in ids))
        if not wanted:
            return self._full_events([])
        with self._snapshot() as connection:
            rows = connection.execute(self._FULL_SELECT + "WHERE e.id = ANY(%s) ORDER BY d.id, e.position",
                                      (wanted,)).fetchall()
        return self._full_events(rows)

    # --- the dashboard's queries --------------------------------------------------------------------

    def shown_events(self, event_filter, datasets, groups=None) -> pd.DataFrame:
        """The events of ``datasets`` passing ``event_filter``, :data:`SHOWN_COLUMNS` only, sorted by
        (date_start, id): one SQL query (cached per process and store version)."""
        return self._shown(event_filter, datasets, groups, None)

    def events_in_box(self, event_filter, datasets, bbox, groups=None) -> pd.DataFrame:
        """Like :meth:`shown_events`, within ``bbox`` = (west, south, east, north), through the spatial index."""
        return self._shown(event_filter, datasets, groups, tuple(float(value) for value in bbox))

    def _shown(self, event_filter, datasets, groups, bbox) -> pd.DataFrame:
        plan = filter_plan(event_filter, groups)
        wanted = list(dict.fromkeys(datasets or ()))
        if plan.nothing or not wanted:
            return empty_shown()
        conditions, parameters = ["d.name = ANY(%(datasets)s)"], {"datasets": wanted}
        if plan.year_from is not None:
            conditions.append("e.year_end >= %(year_from)s")
            parameters["year_from"] = plan.year_from
        if plan.year_to is not None:
            conditions.append("e.year_start <= %(year_to)s")
            parameters["year_to"] = plan.year_to
        parameters["roles"] = sorted(plan.roles)
        for column, members in (("groups", plan.groups), ("people", plan.people)):
            if members is None:
                continue
            # ?| uses the GIN index; the EXISTS then asks for a counted part, as _taking_part does.
            conditions.append(f"e.{column} ?| %({column})s AND EXISTS (SELECT 1 FROM jsonb_array_elements_text("
                              f"CASE jsonb_typeof(e.{column}) WHEN 'array' THEN e.{column} ELSE '[]' END) AS member "
                              f"WHERE member = ANY(%({column})s) AND e.roles ->> member = ANY(%(roles)s))")
            parameters[column] = sorted(members)
        if plan.types is not None:
            conditions.append("e.type = ANY(%(types)s)")
            parameters["types"] = list(plan.types)
        if plan.countries is not None:
            conditions.append("e.country = ANY(%(countries)s)")
            parameters["countries"] = list(plan.countries)
        if plan.needle is not None:
            conditions.append("strpos(e.search_text, %(needle)s) > 0")
            parameters["needle"] = plan.needle
        if bbox is not None:
            # && finds the candidates through the GiST index (its boxes are rounded outwards); the
            # comparisons keep exactly the points on or inside the edges.
            conditions.append("e.geometry && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) "
                              "AND ST_X(e.geometry) BETWEEN %(west)s AND %(east)s "
                              "AND ST_Y(e.geometry) BETWEEN %(south)s AND %(north)s")
            parameters.update(zip(("west", "south", "east", "north"), bbox))
        query = (
            "SELECT e.id, d.name, e.type, ST_X(e.geometry), ST_Y(e.geometry), e.date_start, e.date_end, "
            "e.year_start, e.year_end, e.title, e.place_name, e.country, e.groups::text, e.roles::text, "
            f"e.leading_groups::text FROM {SCHEMA}.events e JOIN {SCHEMA}.datasets d ON d.id = e.dataset_id "
            f"WHERE {' AND '.join(conditions)} "
            # Code-point order, as pandas sorts; ties in the order the datasets were asked for.
            'ORDER BY e.date_start COLLATE "C", e.id COLLATE "C", array_position(%(datasets)s, d.name), e.position')

        def read(connection):
            rows = connection.execute(query, parameters).fetchall()
            return _shown_frame(rows)
        key = ("shown", plan.key, tuple(wanted), bbox)
        return self._read(key, read)

    def overview(self) -> dict:
        """The last year any imported event reaches, their countries and how many there are."""
        def read(connection):
            last, count = connection.execute(f"SELECT max(year_end), count(*) FROM {SCHEMA}.events").fetchone()
            countries = connection.execute(
                f"SELECT DISTINCT country FROM {SCHEMA}.events WHERE country IS NOT NULL AND country <> ''").fetchall()
            return {"last_year": None if last is None else int(last),
                    "countries": frozenset(country for (country,) in countries), "events": int(count)}
        return dict(self._read("overview", read))

    # --- writing ----------------------------------------------------------------------------------

    @contextmanager
    def _change(self, *names: str) -> Iterator:
        """One transaction, holding the locks of ``names`` (case-folded), that bumps the generation."""
        with self._connection() as connection:
            with connection.transaction():
                for key in sorted({name.casefold() for name in names}):  # always in one order: no deadlock
                    connection.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                                       (_NAME_LOCKS, zlib.crc32(key.encode()) - 2**31))
                yield connection
                # Last, so that concurrent writers wait on this row only for a moment.
                connection.execute(f"UPDATE {SCHEMA}.store SET generation = generation + 1")

    def _analyze(self) -> None:
        """Fresh statistics after a bulk load, so the planner picks the indexes (autovacuum would come
        later); after the commit, so concurrent imports do not wait for each other's."""
        import psycopg

        try:
            with self._connection() as connection:
                connection.execute(f"ANALYZE {SCHEMA}.events")
        except (psycopg.Error, WorkspaceError):
            pass  # only the planner's estimates are older

    @staticmethod
    def _taken(connection, name: str, apart_from: str | None = None):
        found = connection.execute(f"SELECT id, name FROM {SCHEMA}.datasets WHERE name_key = %s",
                                   (name.casefold(),)).fetchone()
        if found is None or found[1] == apart_from:
            return None
        return found

    def save_dataset(self, name: str, result, file_name: str, format: str, replace: bool = False) -> DatasetInfo:
        """Store an :class:`ImportResult` as dataset ``name`` in one transaction; a name in use raises
        ``ValueError`` unless ``replace`` (then the old dataset's events give way to these)."""
        name = check_name(name)
        events = renamed_events(result.events, name)
        stored = stored_frame(events)  # before the transaction: others wait less
        records = _event_records(stored, events)
        imported_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        refused = [[refusal.row, refusal.reason] for refusal in result.refused]
        with self._change(name) as connection:
            old = self._taken(connection, name)
            if old is not None and not replace:
                raise ValueError(f"a dataset named {old[1]!r} is already in the workspace; choose another "
                                 "name, or replace it")
            if old is not None:
                connection.execute(f"DELETE FROM {SCHEMA}.datasets WHERE id = %s", (old[0],))
            (number,) = connection.execute(
                f"INSERT INTO {SCHEMA}.datasets (name, name_key, file_name, format, imported_at, rows_read, "
                "imported, refused, problems, refused_rows) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "RETURNING id",
                (name, name.casefold(), str(file_name or ""), str(format or ""), imported_at, int(result.read),
                 len(stored), len(result.refused), _jsonb(list(result.problems)), _jsonb(refused))).fetchone()
            _copy_events(connection, number, records)
        self._analyze()
        return DatasetInfo(name=name, file_name=str(file_name or ""), format=str(format or ""),
                           imported_at=imported_at, read=int(result.read), imported=len(stored),
                           refused=len(result.refused), layer=f"{SCHEMA}.events:{number}",
                           problems=tuple(result.problems))

    def rename(self, old: str, new: str) -> DatasetInfo:
        """Rename a dataset: its row and the ``<dataset>:`` start of its events' ids, in one transaction."""
        new = check_name(new)
        with self._change(old, new) as connection:
            current = next((info for info in self._infos(connection) if info.name == old), None)
            if current is None:
                raise self.unknown_dataset(old, [info.name for info in self._infos(connection)])
            taken = self._taken(connection, new, apart_from=old)
            if taken is not None:
                raise ValueError(f"cannot rename {old!r} to {new!r}: a dataset named {taken[1]!r} is "
                                 "already in the workspace")
            number = int(current.layer.rsplit(":", 1)[1])
            cases, parameters = "", []
            for old_prefix, new_prefix in id_prefixes(old, new):
                cases += " WHEN left(id, %s) = %s THEN %s || substr(id, %s)"
                parameters += [len(old_prefix), old_prefix, new_prefix, len(old_prefix) + 1]
            if cases:
                connection.execute(f"UPDATE {SCHEMA}.events SET id = CASE{cases} ELSE id END WHERE dataset_id = %s",
                                   parameters + [number])
            connection.execute(f"UPDATE {SCHEMA}.datasets SET name = %s, name_key = %s WHERE id = %s",
                               (new, new.casefold(), number))
        return dataclasses.replace(current, name=new)

    def delete(self, name: str) -> None:
        """Remove a dataset and its events, in one transaction."""
        with self._change(name) as connection:
            found = connection.execute(f"DELETE FROM {SCHEMA}.datasets WHERE name = %s RETURNING id",
                                       (name,)).fetchone()
            if found is None:
                raise self.unknown_dataset(name, [info.name for info in self._infos(connection)])


def _jsonb(value):
    from psycopg.types.json import Jsonb

    return Jsonb(value, dumps=lambda data: _postgres_json(JSON_ENCODER.encode(data)))


def _postgres_json(text: str | None) -> str | None:
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


def _postgres_text(value) -> str | None:
    if is_missing(value):
        return None
    text = str(value)
    return text.replace("\x00", "") if "\x00" in text else text


def _event_records(stored, events) -> list[tuple]:
    """One tuple a row, in _EVENT_COLUMNS order after dataset_id (JSON as text, geometry as EWKB hex)."""
    import numpy as np
    import shapely

    from geo.catalog import leading_groups

    count = len(stored)
    columns: list[list] = [list(range(count))]
    for column in _TEXT_COLUMNS:
        columns.append([_postgres_text(value) for value in stored[column].astype(object)])
    years = {"year_start": events["date_start"], "year_end": events["date_end"]}
    for column in INTEGER_COLUMNS:
        if column in years:  # derived from the dates, as finish_events does when they are read back
            values = pd.to_numeric(years[column].astype(object).str[:4], errors="coerce")
        else:
            values = stored[column]
        columns.append([None if is_missing(value) else int(value) for value in values.astype(object)])
    decoded_groups = list(events["groups"]) if "groups" in events.columns else [[]] * count
    decoded_roles = list(events["roles"]) if "roles" in events.columns else [{}] * count
    for column in _STORED_JSON:
        if column == "leading_groups":
            columns.append([json.dumps(leading_groups(g or [], r if isinstance(r, dict) else {}), ensure_ascii=False)
                            for g, r in zip(decoded_groups, decoded_roles)])
        else:
            columns.append([_postgres_json(text) for text in stored[column]] if column in JSON_COLUMNS
                           else [None] * count)
    points = shapely.set_srid(np.asarray(stored.geometry.values, dtype=object), 4326)
    columns.append(list(shapely.to_wkb(points, hex=True, include_srid=True)) if count else [])
    search_frame = pd.DataFrame({"title": events["title"], "summary": events["summary"],
                                 "place_name": events["place_name"], "actors": events["actors"]})
    columns.append([_postgres_text(text) for text in search_texts(search_frame)] if count else [])
    return list(zip(*columns))


def _copy_events(connection, dataset_id: int, records: list[tuple]) -> None:
    names = ", ".join(f'"{column}"' for column in _EVENT_COLUMNS)
    with connection.cursor().copy(f"COPY {SCHEMA}.events ({names}) FROM STDIN") as copy:
        for record in records:
            copy.write_row((dataset_id,) + record)


def _shown_frame(rows: list[tuple]) -> pd.DataFrame:
    if not rows:
        return empty_shown()
    columns = [list(values) for values in zip(*rows)]
    frame = {}
    for column, values in zip(SHOWN_COLUMNS, columns):
        if column in ("groups", "roles", "leading_groups"):
            frame[column] = _shared_json(values)
        elif column in ("x", "y"):
            frame[column] = pd.array([float("nan") if value is None else value for value in values], dtype=float)
        elif column in ("year_start", "year_end"):
            frame[column] = pd.array(values, dtype="Int64")
        else:
            frame[column] = pd.array(values, dtype="str")
    return pd.DataFrame(frame)[list(SHOWN_COLUMNS)]


def _shared_json(texts: list):
    """A column of JSON texts decoded, each distinct text once (events share a few actor lists):
    equal values are then one shared object, so the frame must not be modified in place."""
    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
    decoded = object_array(column_from_json(list(uniques)) + [None])  # the last one for missing texts
    return decoded.take(codes)  # -1 (missing) takes the None at the end
