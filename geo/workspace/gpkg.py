"""The workspace in a GeoPackage file: datasets a user imported, kept beside the curated data and
never mixed into it.

One GeoPackage file that QGIS opens as it is:

- ``datasets``: a plain (non-spatial) table, one row a dataset: its name, the file and format it
  came from, when, how many rows were read, imported and refused (with the reasons), and the layer
  holding its events;
- ``events_<n>``: one point layer a dataset, with every column of
  :data:`geo.imports.model.IMPORTED_COLUMNS`; lists and dicts as JSON text, dates as ISO text.

One layer a dataset, rather than one layer with a ``dataset`` column, because a dataset is then
what GIS users see as a layer, loading some datasets reads only their layers (no SQL written
from a user's text), deleting one drops its table instead of deleting rows one by one, and a
rename rewrites one layer only. Layer names are made by the workspace (``events_1``,
``events_2``, ...), never from a dataset's name.

Every change is atomic: the file is copied to a temporary file in the same folder, the copy is
changed, flushed to disk and moved over the workspace with ``os.replace``. A crash or a kill
part-way leaves the previous workspace whole; the temporary file it leaves is removed by the
next change. A lock file (``<workspace>.lock``, ``fcntl.flock``) makes writers from several
processes (two app sessions, the app and the command line) take turns; readers never wait:
they read the file in place and read again if it was replaced meanwhile.

The file lives in the user's data folder (``$XDG_DATA_HOME/sahel-atlas/workspace.gpkg``, else
``~/.local/share/sahel-atlas/workspace.gpkg``); ``SAHEL_ATLAS_WORKSPACE`` names another file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from geo.workspace.base import (INTEGER_COLUMNS, JSON_COLUMNS, WORKSPACE_VARIABLE, DatasetInfo, DatasetsByName,
                                WorkspaceError, as_objects, cached_reads, check_name, column_from_json, default_path,
                                id_prefixes, object_array, renamed_events, stored_frame)
from geo.workspace.plan import PREPARED_JSON, PREPARED_TEXT, PreparedEvents, empty_prepared_frame, filter_plan

__all__ = ["Workspace"]


# Derived again by finish_events when a dataset is read back.
_DERIVED_COLUMNS = ("type_label", "source_ids", "sources", "leading_groups", "year_start", "year_end")

_LAYER_NAME = re.compile(r"events_[0-9]+")
_DATASET_COLUMNS = ("name", "file_name", "format", "imported_at", "rows_read", "imported", "refused", "layer",
                    "problems", "refused_rows")


# --- Reading and writing the GeoPackage ---------------------------------------------------------

def _event_rows(stored) -> list[dict]:
    """A layer's rows back as the row dicts ``finish_events`` takes (Python values, None where empty)."""
    from geo.imports.model import IMPORTED_COLUMNS

    columns: dict[str, list] = {}
    for column in IMPORTED_COLUMNS:
        if column == "geometry" or column in _DERIVED_COLUMNS:
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


def _geometry_function(part: str):
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


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        connection = sqlite3.connect(path)
        for function, part in (("ST_IsEmpty", "empty"), ("ST_MinX", "minx"), ("ST_MinY", "miny"),
                               ("ST_MaxX", "maxx"), ("ST_MaxY", "maxy")):
            connection.create_function(function, 1, _geometry_function(part), deterministic=True)
    return connection


def _info(row: tuple) -> DatasetInfo:
    record = dict(zip(_DATASET_COLUMNS, row))
    return DatasetInfo(name=record["name"], file_name=record["file_name"] or "", format=record["format"] or "",
                       imported_at=record["imported_at"] or "", read=int(record["rows_read"] or 0),
                       imported=int(record["imported"] or 0), refused=int(record["refused"] or 0),
                       layer=record["layer"], problems=tuple(json.loads(record["problems"] or "[]")))


def _new_workspace(path: Path) -> None:
    """An empty GeoPackage with the ``datasets`` table (GDAL writes the GeoPackage's own tables)."""
    import pyogrio

    empty = pd.DataFrame({column: pd.Series([], dtype="int64" if column in ("rows_read", "imported", "refused")
                                            else object) for column in _DATASET_COLUMNS})
    pyogrio.write_dataframe(empty, path, layer="datasets", driver="GPKG")
    with _closing(_connect(path)) as connection:
        connection.execute("UPDATE gpkg_contents SET description = ? WHERE table_name = 'datasets'",
                           ("Datasets imported into the Sahel Atlas workspace, one a row",))
        connection.commit()


@contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


class Workspace(DatasetsByName):
    """The user's imported datasets in one GeoPackage file (see the module docstring)."""

    def __init__(self, path: Path | str):
        self.path = Path(path).expanduser()
        from geo.catalog import DATA_DIR

        if DATA_DIR.resolve() in self.path.resolve().parents:
            raise WorkspaceError(f"{self.path}: the workspace cannot live inside the curated data folder "
                                 f"({DATA_DIR}); choose another file")

    @classmethod
    def default(cls) -> "Workspace":
        """The workspace at ``$SAHEL_ATLAS_WORKSPACE`` or in the user's data folder."""
        return cls(default_path())

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    # --- reading ------------------------------------------------------------------------------

    def _version(self) -> tuple | None:
        try:
            status = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise WorkspaceError(f"{self.path}: cannot read the workspace ({error.strerror or error})") from error
        return (str(self.path.resolve()), status.st_ino, status.st_mtime_ns, status.st_size)

    def _read(self, what: str, read):
        """``read(cache)`` on the current version of the file, cached; read again if the file was
        replaced while reading (a writer finished meanwhile)."""
        for _ in range(5):
            version = self._version()
            if version is None:
                return read(None)
            cache = cached_reads(version)
            if what in cache:
                return cache[what]
            try:
                value = read(cache)
            except WorkspaceError:
                if self._version() != version:
                    continue
                raise
            if self._version() == version:
                cache[what] = value
                return value
        raise WorkspaceError(f"{self.path}: the workspace kept changing while being read; try again")

    def _dataset_rows(self) -> list[tuple]:
        try:
            with _closing(_connect(self.path, read_only=True)) as connection:
                return connection.execute(
                    f"SELECT {', '.join(_DATASET_COLUMNS)} FROM datasets ORDER BY fid").fetchall()
        except sqlite3.Error as error:
            raise WorkspaceError(f"{self.path}: not a readable Sahel Atlas workspace ({error}); move it "
                                 f"aside or set {WORKSPACE_VARIABLE} to another file") from error

    def datasets(self) -> list[DatasetInfo]:
        """Every dataset, in the order they were imported (none when the file does not exist yet)."""
        def read(cache):
            if cache is None:
                return []
            self._clean_leftovers(wait=False)
            return [_info(row) for row in self._dataset_rows()]
        return list(self._read("datasets", read))


    def refused_rows(self, name: str):
        """The rows of the dataset's file that were not imported, each with its reason."""
        from geo.imports.model import RefusedRow

        info = self.dataset(name)
        with _closing(_connect(self.path, read_only=True)) as connection:
            (text,) = connection.execute("SELECT refused_rows FROM datasets WHERE layer = ?", (info.layer,)).fetchone()
        return [RefusedRow(row=row, reason=reason) for row, reason in json.loads(text or "[]")]

    def events(self, names: list[str] | None = None):
        """The events of every dataset, or of those named, in :data:`IMPORTED_COLUMNS`, with the dtypes
        ``finish_events`` gives. Cached per process while the file is unchanged: the frame is
        shared, callers must not modify it in place. An unknown name raises :class:`UnknownDataset`."""
        from geo.imports.model import empty_imported_events, finish_events

        wanted = None if names is None else tuple(dict.fromkeys(names))

        def read(cache):
            if cache is None:
                if wanted:
                    raise self.unknown_dataset(wanted[0])
                return empty_imported_events()
            if "datasets" not in cache:
                cache["datasets"] = [_info(row) for row in self._dataset_rows()]
            by_name = {info.name: info for info in cache["datasets"]}
            unknown = [name for name in wanted or () if name not in by_name]
            if unknown:
                raise self.unknown_dataset(unknown[0], list(by_name))
            rows = []
            for info in (cache["datasets"] if wanted is None else [by_name[name] for name in wanted]):
                if ("rows", info.layer) not in cache:
                    cache[("rows", info.layer)] = self._layer_rows(info)
                rows.extend(cache[("rows", info.layer)])
            return finish_events(rows) if rows else empty_imported_events()
        return self._read(("events", wanted), read)

    def _layer_rows(self, info: DatasetInfo) -> list[dict]:
        import pyogrio

        try:
            stored = pyogrio.read_dataframe(self.path, layer=info.layer, use_arrow=True)
        except Exception as error:  # pyogrio raises its own errors and GDAL's
            raise WorkspaceError(f"{self.path}: cannot read the events of dataset {info.name!r} "
                                 f"(layer {info.layer}): {error}") from error
        rows = _event_rows(stored)
        for row in rows:
            row["dataset"] = info.name  # the datasets table is the truth
        return rows

    @property
    def location(self) -> str:
        """Where the datasets are kept, for messages: the file."""
        return str(self.path)

    # --- queries (see SHOWN_COLUMNS) ------------------------------------------------------------

    def version(self) -> tuple:
        """Changes whenever the file changes (it is replaced whole on every change): one ``stat``."""
        return ("gpkg", str(self.path), self._version())

    def _prepared(self) -> PreparedEvents:
        def read(cache):
            if cache is None:
                return PreparedEvents(empty_prepared_frame(), [])
            if "datasets" not in cache:
                cache["datasets"] = [_info(row) for row in self._dataset_rows()]
            parts, places = [], []
            for info in cache["datasets"]:
                part = self._layer_columns(info)
                places.extend((info.layer, fid) for fid in part.index)
                parts.append(part.reset_index(drop=True))
            if not parts:
                return PreparedEvents(empty_prepared_frame(), [])
            frame = pd.concat(parts, ignore_index=True)
            frame["_place"] = range(len(frame))
            frame = frame.sort_values(["date_start", "id"], ignore_index=True)  # as finish_events sorts
            order = frame.pop("_place").tolist()
            return PreparedEvents(frame, [info.name for info in cache["datasets"]], [places[i] for i in order])
        return self._read("prepared", read)

    def _layer_columns(self, info: DatasetInfo) -> pd.DataFrame:
        """The columns the queries need of one layer, indexed by feature id, lists decoded in one parse."""
        import pyogrio

        try:
            stored = pyogrio.read_dataframe(self.path, layer=info.layer, use_arrow=True, fid_as_index=True,
                                            columns=list(PREPARED_TEXT + PREPARED_JSON))
        except Exception as error:  # pyogrio raises its own errors and GDAL's
            raise WorkspaceError(f"{self.path}: cannot read the events of dataset {info.name!r} "
                                 f"(layer {info.layer}): {error}") from error
        frame = pd.DataFrame(index=stored.index)
        for column in PREPARED_TEXT:
            values = as_objects(stored[column]) if column in stored.columns else [None] * len(stored)
            frame[column] = pd.Series(values, index=stored.index, dtype=object)
        for column in PREPARED_JSON:
            values = as_objects(stored[column]) if column in stored.columns else [None] * len(stored)
            frame[column] = pd.Series(object_array(column_from_json(values)), index=stored.index, dtype=object)
        frame["dataset"] = info.name
        geometry = stored.geometry
        frame["x"] = geometry.x.to_numpy(dtype=float) if len(stored) else []
        frame["y"] = geometry.y.to_numpy(dtype=float) if len(stored) else []
        return frame

    def shown_events(self, event_filter, datasets, groups=None) -> pd.DataFrame:
        """The events of ``datasets`` passing ``event_filter``, :data:`SHOWN_COLUMNS` only, sorted by
        (date_start, id): the same events, in the same order, as ``events_matching(events(datasets),
        event_filter, groups)``. Unknown names are ignored. Shared frame: do not modify it in place."""
        return self._prepared().answer(filter_plan(event_filter, groups), list(datasets or ()))

    def events_in_box(self, event_filter, datasets, bbox, groups=None) -> pd.DataFrame:
        """Like :meth:`shown_events`, within ``bbox`` = (west, south, east, north), edges included."""
        return self._prepared().answer(filter_plan(event_filter, groups), list(datasets or ()), bbox)

    def overview(self) -> dict:
        """The last year any imported event reaches, their countries and how many there are."""
        return self._prepared().overview()

    def events_by_id(self, ids):
        """The events with these ids, every column (as :meth:`events` gives them), sorted by (date_start, id)."""
        import pyogrio

        from geo.imports.model import empty_imported_events, finish_events

        wanted = set(ids)
        prepared = self._prepared()
        if not wanted or not prepared.count:
            return empty_imported_events()
        names = {info.layer: info.name for info in self.datasets()}
        by_layer: dict[str, list[int]] = {}
        for identifier, (layer, fid) in zip(prepared.ids, prepared.places):
            if identifier in wanted:
                by_layer.setdefault(layer, []).append(int(fid))
        rows = []
        for layer in (layer for layer in names if layer in by_layer):  # in the datasets' order, as events()
            fids = by_layer[layer]
            try:
                stored = pyogrio.read_dataframe(self.path, layer=layer, fids=sorted(fids), use_arrow=True)
            except Exception as error:
                raise WorkspaceError(f"{self.path}: cannot read the events of layer {layer}: {error}") from error
            for row in _event_rows(stored):
                row["dataset"] = names.get(layer, row.get("dataset"))
                rows.append(row)
        return finish_events(rows) if rows else empty_imported_events()

    # --- writing ------------------------------------------------------------------------------

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _temp_files(self) -> list[Path]:
        return sorted(self.path.parent.glob(f".{self.path.name}.*.tmp.gpkg*"))

    def _clean_leftovers(self, wait: bool = True) -> None:
        """Remove temporary files a killed writer left; without ``wait``, only if no one is writing."""
        if not self.path.parent.is_dir() or not self._temp_files():
            return
        try:
            with open(self.lock_path, "a") as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
                except BlockingIOError:
                    return
                for leftover in self._temp_files():
                    leftover.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only folder: nothing to clean, nothing written

    @contextmanager
    def _change(self) -> Iterator[Path]:
        """A copy of the workspace to change; it replaces the workspace only if the block completes."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(self.lock_path, "a")
        except OSError as error:
            raise WorkspaceError(f"{self.path}: cannot write the workspace ({error.strerror or error})") from error
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            for leftover in self._temp_files():  # no one else writes while we hold the lock
                leftover.unlink(missing_ok=True)
            temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp.gpkg")
            try:
                if self.path.exists():
                    self._dataset_rows()  # refuse to build on a file that is not a workspace
                    shutil.copyfile(self.path, temp)
                else:
                    _new_workspace(temp)
                yield temp
                with open(temp, "rb+") as written:
                    os.fsync(written.fileno())
                os.replace(temp, self.path)
                folder = os.open(self.path.parent, os.O_RDONLY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)
            except OSError as error:
                raise WorkspaceError(f"{self.path}: cannot write the workspace ({error.strerror or error})") \
                    from error
            finally:
                for part in (temp, temp.with_name(temp.name + "-journal")):
                    part.unlink(missing_ok=True)

    def _taken(self, name: str, infos: list[DatasetInfo], apart_from: str | None = None) -> DatasetInfo | None:
        """The dataset already using ``name`` (names differing only in case count as the same)."""
        for info in infos:
            if info.name.casefold() == name.casefold() and info.name != apart_from:
                return info
        return None

    def save_dataset(self, name: str, result, file_name: str, format: str, replace: bool = False) -> DatasetInfo:
        """Store an :class:`ImportResult` as dataset ``name``; a name in use raises ``ValueError``
        unless ``replace`` (then the old dataset's events give way to these, in one change)."""
        import pyogrio

        name = check_name(name)
        stored = stored_frame(renamed_events(result.events, name))  # before taking the lock: others wait less
        with self._change() as temp:
            with _closing(_connect(temp)) as connection:
                infos = [_info(row) for row in connection.execute(
                    f"SELECT {', '.join(_DATASET_COLUMNS)} FROM datasets ORDER BY fid")]
                layers = [row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")]
            old = self._taken(name, infos)
            if old is not None and not replace:
                raise ValueError(f"a dataset named {old.name!r} is already in the workspace; choose another "
                                 "name, or replace it")
            numbers = [int(layer.split("_")[1]) for layer in layers if _LAYER_NAME.fullmatch(layer)]
            layer = f"events_{max(numbers, default=0) + 1}"
            try:
                pyogrio.write_dataframe(stored, temp, layer=layer, driver="GPKG",
                                        geometry_type="Point")
            except Exception as error:
                raise WorkspaceError(f"{self.path}: cannot write the events of {name!r}: {error}") from error
            info = DatasetInfo(name=name, file_name=str(file_name or ""), format=str(format or ""),
                               imported_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                               read=int(result.read), imported=len(stored), refused=len(result.refused),
                               layer=layer, problems=tuple(result.problems))
            refused = json.dumps([[refusal.row, refusal.reason] for refusal in result.refused], ensure_ascii=False)
            with _closing(_connect(temp)) as connection:
                if old is not None:
                    _drop_layer(connection, old.layer)
                    connection.execute("DELETE FROM datasets WHERE layer = ?", (old.layer,))
                connection.execute(
                    f"INSERT INTO datasets ({', '.join(_DATASET_COLUMNS)}) VALUES ({', '.join('?' * 10)})",
                    (info.name, info.file_name, info.format, info.imported_at, info.read, info.imported,
                     info.refused, info.layer, json.dumps(list(info.problems), ensure_ascii=False), refused))
                connection.execute("UPDATE gpkg_contents SET description = ? WHERE table_name = ?",
                                   (_description(info), layer))
                connection.commit()
                _compact(connection)
        return info

    def rename(self, old: str, new: str) -> DatasetInfo:
        """Rename a dataset: its row, its events' ``dataset`` and the ``<dataset>:`` start of their ids."""
        new = check_name(new)
        with self._change() as temp:
            with _closing(_connect(temp)) as connection:
                infos = [_info(row) for row in connection.execute(
                    f"SELECT {', '.join(_DATASET_COLUMNS)} FROM datasets ORDER BY fid")]
                current = next((info for info in infos if info.name == old), None)
                if current is None:
                    raise self.unknown_dataset(old, [info.name for info in infos])
                taken = self._taken(new, infos, apart_from=old)
                if taken is not None:
                    raise ValueError(f"cannot rename {old!r} to {new!r}: a dataset named {taken.name!r} is "
                                     "already in the workspace")
                if not _LAYER_NAME.fullmatch(current.layer):
                    raise WorkspaceError(f"{self.path}: unexpected layer name {current.layer!r}")
                # The layer name is one the workspace made (checked above); the names are parameters.
                cases, parameters = "", [new]
                for old_prefix, new_prefix in id_prefixes(old, new):
                    cases += " WHEN substr(id, 1, ?) = ? THEN ? || substr(id, ?)"
                    parameters += [len(old_prefix), old_prefix, new_prefix, len(old_prefix) + 1]
                id_change = f"CASE{cases} ELSE id END" if cases else "id"
                connection.execute(f'UPDATE "{current.layer}" SET dataset = ?, id = {id_change}', parameters)
                connection.execute("UPDATE datasets SET name = ? WHERE layer = ?", (new, current.layer))
                renamed = dataclasses.replace(current, name=new)
                connection.execute("UPDATE gpkg_contents SET description = ? WHERE table_name = ?",
                                   (_description(renamed), current.layer))
                connection.commit()
        return renamed

    def delete(self, name: str) -> None:
        """Remove a dataset and its events."""
        with self._change() as temp:
            with _closing(_connect(temp)) as connection:
                found = connection.execute("SELECT layer FROM datasets WHERE name = ?", (name,)).fetchone()
                if found is None:
                    names = [row[0] for row in connection.execute("SELECT name FROM datasets ORDER BY fid")]
                    raise self.unknown_dataset(name, names)
                _drop_layer(connection, found[0])
                connection.execute("DELETE FROM datasets WHERE layer = ?", (found[0],))
                connection.commit()
                _compact(connection)


def _description(info: DatasetInfo) -> str:
    return f"{info.name} — imported from {info.file_name or 'a file'} ({info.format}) on {info.imported_at[:10]}"


def _compact(connection: sqlite3.Connection) -> None:
    """Give back the space of deleted datasets once it is a quarter of the file (VACUUM rewrites it all)."""
    (free,) = connection.execute("PRAGMA freelist_count").fetchone()
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    if free and free * 4 >= pages:
        connection.execute("VACUUM")


def _drop_layer(connection: sqlite3.Connection, layer: str) -> None:
    """Remove a layer GDAL wrote, with its R-tree index and its rows in the GeoPackage's own tables."""
    if not _LAYER_NAME.fullmatch(layer):
        raise WorkspaceError(f"unexpected layer name {layer!r}")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    connection.execute(f'DROP TABLE IF EXISTS "{layer}"')
    connection.execute(f'DROP TABLE IF EXISTS "rtree_{layer}_geom"')
    for table in ("gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents", "gpkg_data_columns",
                  "gpkg_metadata_reference"):
        if table in tables:
            connection.execute(f"DELETE FROM {table} WHERE lower(table_name) = lower(?)", (layer,))
    connection.execute("DELETE FROM gpkg_contents WHERE lower(table_name) = lower(?)", (layer,))
