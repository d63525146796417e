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

import secrets
import threading
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pandas as pd

from geo.workspace.base import (
    DATABASE_VARIABLE,
    INTEGER_COLUMNS,
    DatasetInfo,
    DatasetsByName,
    WorkspaceError,
    cached_reads,
    column_from_json,
)
from geo.workspace.plan import empty_shown, filter_plan
from geo.workspace.postgis_changes import PostgisChanges
from geo.workspace.postgis_tables import (
    SCHEMA,
    SCHEMA_LOCK,
    SCHEMA_SQL,
    STORED_JSON,
    TEXT_COLUMNS,
    shown_frame,
)

__all__ = ["PostgisWorkspace", "redacted"]


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
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"], safe="/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


# --- Connections: a few kept open per process and address (Streamlit reruns often) ---------------

_IDLE: dict[str, list] = {}
_IDLE_LIMIT = 4
_LOCK = threading.Lock()
_READY: set[str] = set()  # addresses whose schema this process has checked


class PostgisWorkspace(PostgisChanges, DatasetsByName):
    """The imported datasets in a PostgreSQL/PostGIS database (see the module docstring)."""

    def __init__(self, url: str):
        self.url = url.strip()
        self.location = redacted(self.url)
        if urlsplit(self.url).scheme not in ("postgresql", "postgres"):
            raise WorkspaceError(
                f"{DATABASE_VARIABLE} should be a PostgreSQL address such as "
                f"postgresql://user:password@host:5432/database; got {self.location!r}"
            )
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
            connection = psycopg.connect(self.url, autocommit=True, connect_timeout=10, application_name="sahel-atlas")
        except psycopg.Error as error:
            raise WorkspaceError(
                f"cannot reach the workspace database {self.location}: {str(error).strip() or type(error).__name__}"
            ) from error
        if self.url not in _READY:
            self._create_schema(connection)
            _READY.add(self.url)
        return connection

    def _create_schema(self, connection) -> None:
        import psycopg

        try:
            with connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                if connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone() is None:
                    try:
                        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                    except psycopg.Error as error:
                        raise WorkspaceError(
                            f"the workspace database {self.location} has no PostGIS, and it could not be added "
                            f"({str(error).strip()}); ask its administrator to run CREATE EXTENSION postgis"
                        ) from error
                connection.execute(SCHEMA_SQL)
                connection.execute(
                    f"INSERT INTO {SCHEMA}.store (store_id) VALUES (%s) ON CONFLICT DO NOTHING", (secrets.token_hex(8),)
                )
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
    def _all_infos(connection) -> list[DatasetInfo]:
        rows = connection.execute(
            f"SELECT id, name, file_name, format, imported_at, rows_read, imported, refused, problems, version, "
            f"imported_by, deleted_at, deleted_by, changed_at FROM {SCHEMA}.datasets ORDER BY id"
        ).fetchall()
        return [
            DatasetInfo(
                name=name,
                file_name=file_name,
                format=format,
                imported_at=imported_at,
                read=read,
                imported=imported,
                refused=refused,
                layer=f"{SCHEMA}.events:{number}",
                problems=tuple(problems or ()),
                id=str(number),
                version=version,
                owner=owner,
                deleted_at=deleted_at,
                deleted_by=deleted_by,
                changed_at=changed_at or imported_at,
            )
            for (
                number,
                name,
                file_name,
                format,
                imported_at,
                read,
                imported,
                refused,
                problems,
                version,
                owner,
                deleted_at,
                deleted_by,
                changed_at,
            ) in rows
        ]

    @classmethod
    def _infos(cls, connection) -> list[DatasetInfo]:
        """The live datasets (not those in the trash)."""
        return [info for info in cls._all_infos(connection) if not info.in_trash]

    def datasets(self) -> list[DatasetInfo]:
        """Every dataset, in the order they were imported; not those in the trash."""
        return list(self._read("datasets", self._infos))

    def trash(self) -> list[DatasetInfo]:
        """The deleted datasets not yet removed for good, the latest deleted first."""
        every = self._read("all datasets", self._all_infos)
        return sorted((info for info in every if info.in_trash), key=lambda info: info.deleted_at, reverse=True)

    # A team's store: each dataset's owner or an admin changes it (see geo.workspace.identity).
    shared = True

    def refused_rows(self, name: str):
        from geo.imports.model import RefusedRow

        with self._snapshot() as connection:
            found = connection.execute(
                f"SELECT refused_rows FROM {SCHEMA}.datasets WHERE name = %s AND deleted_at = ''", (name,)
            ).fetchone()
            if found is None:
                raise self.unknown_dataset(name, [info.name for info in self._infos(connection)])
        return [RefusedRow(row=row, reason=reason) for row, reason in found[0] or []]

    _FULL_SELECT = (
        f"SELECT d.name, {', '.join(f'e.{chr(34)}{c}{chr(34)}' for c in TEXT_COLUMNS)}, "
        f"{', '.join(f'e.{chr(34)}{c}{chr(34)}' for c in INTEGER_COLUMNS)}, "
        f"{', '.join(f'e.{chr(34)}{c}{chr(34)}::text' for c in STORED_JSON)}, "
        f"ST_AsBinary(e.geometry) "
        f"FROM {SCHEMA}.events e JOIN {SCHEMA}.datasets d ON d.id = e.dataset_id "
    )

    @staticmethod
    def _full_events(rows: list[tuple]):
        """Rows of _FULL_SELECT as ``finish_events`` makes them into the events frame."""
        import shapely

        from geo.imports.model import empty_imported_events, finish_events

        if not rows:
            return empty_imported_events()
        names = ("dataset",) + TEXT_COLUMNS + INTEGER_COLUMNS + STORED_JSON + ("geometry",)
        columns = dict(zip(names, (list(values) for values in zip(*rows))))
        for column in STORED_JSON:
            columns[column] = column_from_json(columns[column])
        columns["geometry"] = list(
            shapely.from_wkb([None if blob is None else bytes(blob) for blob in columns["geometry"]])
        )
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
            order = (
                "WHERE d.deleted_at = '' ORDER BY d.id, e.position"
                if wanted is None
                else (
                    "WHERE d.deleted_at = '' AND d.name = ANY(%(names)s) "
                    "ORDER BY array_position(%(names)s, d.name), e.position"
                )
            )
            rows = connection.execute(self._FULL_SELECT + order, {"names": wanted}).fetchall()
            return self._full_events(rows)

        return self._read(("events", None if wanted is None else tuple(wanted)), read)

    def events_by_id(self, ids):
        """The events with these ids, every column, sorted by (date_start, id)."""
        wanted = list(dict.fromkeys(str(identifier) for identifier in ids))
        if not wanted:
            return self._full_events([])
        with self._snapshot() as connection:
            rows = connection.execute(
                self._FULL_SELECT + "WHERE d.deleted_at = '' AND e.id = ANY(%s) ORDER BY d.id, e.position", (wanted,)
            ).fetchall()
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
        conditions, parameters = ["d.deleted_at = ''", "d.name = ANY(%(datasets)s)"], {"datasets": wanted}
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
            conditions.append(
                f"e.{column} ?| %({column})s AND EXISTS (SELECT 1 FROM jsonb_array_elements_text("
                f"CASE jsonb_typeof(e.{column}) WHEN 'array' THEN e.{column} ELSE '[]' END) AS member "
                f"WHERE member = ANY(%({column})s) AND e.roles ->> member = ANY(%(roles)s))"
            )
            parameters[column] = sorted(members)
        if plan.types is not None:
            conditions.append("e.type = ANY(%(types)s)")
            parameters["types"] = list(plan.types)
        if plan.countries is not None:
            conditions.append("e.country = ANY(%(countries)s)")
            parameters["countries"] = list(plan.countries)
        if plan.needles is not None:
            conditions.append(
                "EXISTS (SELECT 1 FROM unnest(%(needles)s::text[]) AS needle WHERE strpos(e.search_text, needle) > 0)"
            )
            parameters["needles"] = list(plan.needles)
        if bbox is not None:
            # && finds the candidates through the GiST index (its boxes are rounded outwards); the
            # comparisons keep exactly the points on or inside the edges.
            conditions.append(
                "e.geometry && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326) "
                "AND ST_X(e.geometry) BETWEEN %(west)s AND %(east)s "
                "AND ST_Y(e.geometry) BETWEEN %(south)s AND %(north)s"
            )
            parameters.update(zip(("west", "south", "east", "north"), bbox))
        query = (
            "SELECT e.id, d.name, e.type, ST_X(e.geometry), ST_Y(e.geometry), e.date_start, e.date_end, "
            "e.year_start, e.year_end, e.title, e.place_name, e.country, e.groups::text, e.roles::text, "
            f"e.leading_groups::text FROM {SCHEMA}.events e JOIN {SCHEMA}.datasets d ON d.id = e.dataset_id "
            f"WHERE {' AND '.join(conditions)} "
            # Code-point order, as pandas sorts; ties in the order the datasets were asked for.
            'ORDER BY e.date_start COLLATE "C", e.id COLLATE "C", array_position(%(datasets)s, d.name), e.position'
        )

        def read(connection):
            rows = connection.execute(query, parameters).fetchall()
            return shown_frame(rows)

        key = ("shown", plan.key, tuple(wanted), bbox)
        return self._read(key, read)

    def overview(self) -> dict:
        """The last year any imported event reaches, their countries and how many there are."""

        def read(connection):
            live = f"{SCHEMA}.events e JOIN {SCHEMA}.datasets d ON d.id = e.dataset_id AND d.deleted_at = ''"
            last, count = connection.execute(f"SELECT max(e.year_end), count(*) FROM {live}").fetchone()
            countries = connection.execute(
                f"SELECT DISTINCT e.country FROM {live} WHERE e.country IS NOT NULL AND e.country <> ''"
            ).fetchall()
            return {
                "last_year": None if last is None else int(last),
                "countries": frozenset(country for (country,) in countries),
                "events": int(count),
            }

        return dict(self._read("overview", read))
