"""The GeoPackage workspace's own tables: ``datasets`` (one row a dataset, live or in the trash) and
``audit_log`` (one row a change), read and written with plain sqlite3.

A workspace written before datasets had ids, versions, owners and a trash is read as it is (the
missing columns read as their defaults: the id is then the layer's name, which is unique while the
dataset exists) and gains the columns at its next change.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from geo.workspace.base import (
    INTEGER_COLUMNS,
    JSON_COLUMNS,
    AuditEntry,
    DatasetInfo,
    WorkspaceError,
    as_objects,
    column_from_json,
)

__all__ = [
    "event_rows",
    "connect",
    "new_workspace",
    "closing",
    "LISTED_COLUMNS",
    "LAYER_NAME",
    "geometry_function",
    "layer_description",
    "name_layers",
    "compact",
    "drop_layer",
    "new_dataset_id",
    "dataset_rows",
    "info_from_row",
    "ensure_tables",
    "insert_dataset",
    "write_audit",
    "read_audit",
]

LAYER_NAME = re.compile(r"events_[0-9]+")  # the layers the workspace makes, one a dataset

# Read for every listing (refused_rows and document, which can be long, are read only when asked for).
LISTED_COLUMNS = (
    "name",
    "file_name",
    "format",
    "imported_at",
    "rows_read",
    "imported",
    "refused",
    "layer",
    "problems",
    "dataset_id",
    "version",
    "imported_by",
    "deleted_at",
    "deleted_by",
    "changed_at",
)
# Columns added to workspaces written before them, with their SQL types.
ADDED_COLUMNS = {
    "dataset_id": "TEXT",
    "version": "INTEGER",
    "imported_by": "TEXT",
    "deleted_at": "TEXT",
    "deleted_by": "TEXT",
    "changed_at": "TEXT",
    "document": "TEXT",
}

_AUDIT_SQL = """
CREATE TABLE IF NOT EXISTS audit_log (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, dataset_id TEXT NOT NULL, dataset TEXT NOT NULL,
    detail TEXT NOT NULL, events INTEGER NOT NULL, outcome TEXT NOT NULL
)"""


def new_dataset_id() -> str:
    return "d" + secrets.token_hex(8)


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def dataset_rows(connection: sqlite3.Connection) -> list[tuple]:
    """Every row of ``datasets`` as :data:`LISTED_COLUMNS`, in the order they were imported."""
    present = _columns(connection, "datasets")
    selected = ", ".join(column if column in present else f"NULL AS {column}" for column in LISTED_COLUMNS)
    return connection.execute(f"SELECT {selected} FROM datasets ORDER BY fid").fetchall()


def info_from_row(row: tuple) -> DatasetInfo:
    record = dict(zip(LISTED_COLUMNS, row))
    return DatasetInfo(
        name=record["name"],
        file_name=record["file_name"] or "",
        format=record["format"] or "",
        imported_at=record["imported_at"] or "",
        read=int(record["rows_read"] or 0),
        imported=int(record["imported"] or 0),
        refused=int(record["refused"] or 0),
        layer=record["layer"],
        problems=tuple(json.loads(record["problems"] or "[]")),
        id=record["dataset_id"] or record["layer"],
        version=int(record["version"] or 1),
        owner=record["imported_by"] or "",
        deleted_at=record["deleted_at"] or "",
        deleted_by=record["deleted_by"] or "",
        changed_at=record["changed_at"] or record["imported_at"] or "",
    )


def ensure_tables(connection: sqlite3.Connection) -> None:
    """Give a workspace written before them the new ``datasets`` columns and the audit log."""
    present = _columns(connection, "datasets")
    for column, kind in ADDED_COLUMNS.items():
        if column not in present:
            connection.execute(f"ALTER TABLE datasets ADD COLUMN {column} {kind}")
    connection.execute("UPDATE datasets SET dataset_id = layer WHERE dataset_id IS NULL OR dataset_id = ''")
    connection.execute("UPDATE datasets SET version = 1 WHERE version IS NULL")
    if "audit_log" not in {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}:
        connection.execute(_AUDIT_SQL)
        # Listed as an attribute table, so GIS tools show the log beside the layers.
        connection.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES ('audit_log', 'attributes', 'audit_log', 'Every import, rename, delete and restore', "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
        )


def insert_dataset(connection: sqlite3.Connection, info: DatasetInfo, refused_rows: list, document: str | None) -> None:
    connection.execute(
        "INSERT INTO datasets (name, file_name, format, imported_at, rows_read, imported, refused, layer, problems, "
        "refused_rows, dataset_id, version, imported_by, deleted_at, deleted_by, changed_at, document) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            info.name,
            info.file_name,
            info.format,
            info.imported_at,
            info.read,
            info.imported,
            info.refused,
            info.layer,
            json.dumps(list(info.problems), ensure_ascii=False),
            json.dumps(refused_rows, ensure_ascii=False),
            info.id,
            info.version,
            info.owner,
            info.deleted_at,
            info.deleted_by,
            info.changed_at,
            document,
        ),
    )


def write_audit(connection: sqlite3.Connection, entry: AuditEntry) -> None:
    connection.execute(
        "INSERT INTO audit_log (at, who, action, dataset_id, dataset, detail, events, outcome) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.at,
            entry.who,
            entry.action,
            entry.dataset_id,
            entry.dataset,
            entry.detail,
            int(entry.events),
            entry.outcome,
        ),
    )


def read_audit(connection: sqlite3.Connection, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first (none in a workspace written before the log)."""
    if "audit_log" not in {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}:
        return []
    rows = connection.execute(
        "SELECT at, who, action, dataset_id, dataset, detail, events, outcome FROM audit_log ORDER BY fid DESC LIMIT ?",
        (int(limit),),
    ).fetchall()
    return [AuditEntry(*row) for row in rows]


# --- Layers ---------------------------------------------------------------------------------------


def geometry_function(part: str):
    """ST_IsEmpty, ST_MinX, ... over GeoPackage geometry blobs, for the R-tree triggers GDAL puts on
    each layer: plain sqlite3 needs them to run an UPDATE on a layer."""
    import shapely

    def envelope(blob):
        if blob is None:
            return None
        flags = blob[3]
        if flags & 0b10000:  # the empty-geometry flag
            return None
        header = 8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0b111]
        geometry = shapely.from_wkb(bytes(blob[header:]))
        return None if geometry.is_empty else geometry.bounds

    if part == "empty":
        return lambda blob: 1 if envelope(blob) is None else 0
    index = {"minx": 0, "miny": 1, "maxx": 2, "maxy": 3}[part]
    return lambda blob: None if envelope(blob) is None else envelope(blob)[index]


def layer_description(info: DatasetInfo) -> str:
    return f"{info.name} — imported from {info.file_name or 'a file'} ({info.format}) on {info.imported_at[:10]}"


def name_layers(connection: sqlite3.Connection) -> None:
    """Give each dataset's layer the dataset's name as its identifier, the name GIS tools (QGIS) list it by.

    A dataset in the trash is listed as "<name> (in the trash)". Identifiers are unique in a
    GeoPackage: one already taken (by the workspace's own tables, or a trashed dataset's twin) gets
    the dataset's id after it.
    """
    rows = connection.execute(
        "SELECT layer, name, deleted_at, dataset_id FROM datasets ORDER BY deleted_at IS NOT NULL, deleted_at, fid"
    ).fetchall()  # the live ones first
    layers = [row for row in rows if LAYER_NAME.fullmatch(row[0] or "")]
    for layer, *_ in layers:  # first each its table's name (unique), so no name is held while moving
        connection.execute("UPDATE gpkg_contents SET identifier = table_name WHERE table_name = ?", (layer,))
    taken = {row[0] for row in connection.execute("SELECT identifier FROM gpkg_contents")}
    for layer, name, deleted_at, dataset_id in layers:
        wanted = f"{name} (in the trash)" if deleted_at else str(name)
        if wanted in taken and wanted != layer:
            wanted = f"{wanted} ({dataset_id})"
        taken.discard(layer)
        taken.add(wanted)
        connection.execute("UPDATE gpkg_contents SET identifier = ? WHERE table_name = ?", (wanted, layer))


def compact(connection: sqlite3.Connection) -> None:
    """Give back the space of deleted datasets once it is a quarter of the file (VACUUM rewrites it all)."""
    (free,) = connection.execute("PRAGMA freelist_count").fetchone()
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    if free and free * 4 >= pages:
        connection.execute("VACUUM")


def drop_layer(connection: sqlite3.Connection, layer: str) -> None:
    """Remove a layer GDAL wrote, with its R-tree index and its rows in the GeoPackage's own tables."""
    if not LAYER_NAME.fullmatch(layer):
        raise WorkspaceError(f"unexpected layer name {layer!r}")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    connection.execute(f'DROP TABLE IF EXISTS "{layer}"')
    connection.execute(f'DROP TABLE IF EXISTS "rtree_{layer}_geom"')
    for table in (
        "gpkg_geometry_columns",
        "gpkg_extensions",
        "gpkg_ogr_contents",
        "gpkg_data_columns",
        "gpkg_metadata_reference",
    ):
        if table in tables:
            connection.execute(f"DELETE FROM {table} WHERE lower(table_name) = lower(?)", (layer,))
    connection.execute("DELETE FROM gpkg_contents WHERE lower(table_name) = lower(?)", (layer,))


# --- Connections and the events' rows --------------------------------------------------------------

# Derived again by finish_events when a dataset is read back.
DERIVED_COLUMNS = ("type_label", "source_ids", "sources", "leading_groups", "year_start", "year_end")


# --- Reading and writing the GeoPackage ---------------------------------------------------------


def event_rows(stored) -> list[dict]:
    """A layer's rows back as the row dicts ``finish_events`` takes (Python values, None where empty)."""
    from geo.imports.model import IMPORTED_COLUMNS

    columns: dict[str, list] = {}
    for column in IMPORTED_COLUMNS:
        if column == "geometry" or column in DERIVED_COLUMNS:
            continue
        values = as_objects(stored[column]) if column in stored.columns else [None] * len(stored)
        if column in JSON_COLUMNS:
            columns[column] = column_from_json(values)
        elif column in INTEGER_COLUMNS:
            columns[column] = [None if value is None else int(value) for value in values]
        else:
            columns[column] = values
    columns["geometry"] = list(stored.geometry)
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        connection = sqlite3.connect(path)
        for function, part in (
            ("ST_IsEmpty", "empty"),
            ("ST_MinX", "minx"),
            ("ST_MinY", "miny"),
            ("ST_MaxX", "maxx"),
            ("ST_MaxY", "maxy"),
        ):
            connection.create_function(function, 1, geometry_function(part), deterministic=True)
    return connection


def new_workspace(path: Path) -> None:
    """An empty GeoPackage with the ``datasets`` table (GDAL writes the GeoPackage's own tables)."""
    import pyogrio

    integers = ("rows_read", "imported", "refused", "version")
    empty = pd.DataFrame(
        {
            column: pd.Series([], dtype="int64" if column in integers else object)
            for column in (*LISTED_COLUMNS, "refused_rows", "document")
        }
    )
    pyogrio.write_dataframe(empty, path, layer="datasets", driver="GPKG")
    with closing(connect(path)) as connection:
        connection.execute(
            "UPDATE gpkg_contents SET description = ? WHERE table_name = 'datasets'",
            ("Datasets imported into the Sahel Atlas workspace, one a row",),
        )
        connection.commit()


@contextmanager
def closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()
