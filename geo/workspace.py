"""The workspace: datasets a user imported, kept beside the curated data and never mixed into it.

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
import math
import os
import re
import secrets
import shutil
import sqlite3
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd

__all__ = ["WORKSPACE_VARIABLE", "DATABASE_VARIABLE", "NAME_LIMIT", "SHOWN_COLUMNS", "WorkspaceError", "UnknownDataset",
           "DatasetInfo", "Workspace", "default_path", "open_workspace"]

WORKSPACE_VARIABLE = "SAHEL_ATLAS_WORKSPACE"
DATABASE_VARIABLE = "SAHEL_ATLAS_DATABASE_URL"
NAME_LIMIT = 80

# Stored as JSON text (lists, dicts, and no_actor, which is True or empty).
_JSON_COLUMNS = ("places", "route", "groups", "people", "roles", "hostage_nationalities", "money", "sources",
                 "source_ids", "leading_groups", "actors", "original", "no_actor")
# Stored as integers, empty where unknown.
_INTEGER_COLUMNS = ("hostage_count", "year_start", "year_end", "fatalities", "row")
# Derived again by finish_events when a dataset is read back.
_DERIVED_COLUMNS = ("type_label", "source_ids", "sources", "leading_groups", "year_start", "year_end")

_LAYER_NAME = re.compile(r"events_[0-9]+")
_DATASET_COLUMNS = ("name", "file_name", "format", "imported_at", "rows_read", "imported", "refused", "layer",
                    "problems", "refused_rows")


class WorkspaceError(Exception):
    """The workspace file cannot be read or written; the message names the file."""


class UnknownDataset(KeyError):
    """No dataset has this name; the message lists the known ones."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown dataset"


@dataclass(frozen=True)
class DatasetInfo:
    """One imported dataset, as the ``datasets`` table lists it."""

    name: str
    file_name: str  # the file it was imported from, as the user named it
    format: str  # acled, gtd, csv, geojson
    imported_at: str  # ISO time, UTC, e.g. 2024-05-01T09:30:12+00:00
    read: int  # rows read from the file
    imported: int  # events kept
    refused: int  # rows refused (see Workspace.refused_rows)
    layer: str  # the GeoPackage layer holding its events
    problems: tuple[str, ...] = ()  # about the whole file


def default_path() -> Path:
    """``$SAHEL_ATLAS_WORKSPACE``, else ``workspace.gpkg`` in the user's data folder."""
    chosen = os.environ.get(WORKSPACE_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "sahel-atlas" / "workspace.gpkg"


def check_name(name: str) -> str:
    """The dataset name as stored (surrounding spaces removed); ``ValueError`` says what is wrong."""
    if not isinstance(name, str):
        raise ValueError(f"a dataset name should be text, got {type(name).__name__}")
    cleaned = name.strip()
    if not cleaned:
        raise ValueError("a dataset name cannot be empty")
    if len(cleaned) > NAME_LIMIT:
        raise ValueError(f"a dataset name can have at most {NAME_LIMIT} characters, this one has {len(cleaned)}")
    if any(unicodedata.category(character) == "Cc" for character in cleaned):
        # A line break or tab would break the one-a-line listings.
        raise ValueError("a dataset name cannot contain line breaks, tabs or other control characters")
    return cleaned


# --- Reading and writing the GeoPackage ---------------------------------------------------------

def _json_default(value):
    """numpy scalars and dates, which the JSON encoder does not know."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_default)


def _to_json(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (list, dict)) and not value:
        return "[]" if isinstance(value, list) else "{}"
    if isinstance(value, tuple):
        value = list(value)
    return _ENCODER.encode(value)


def _column_from_json(texts) -> list:
    """A column of JSON texts (None where empty) decoded in one parse: much faster than one a value."""
    return json.loads("[" + ",".join("null" if text is None else text for text in texts) + "]")


def _stored_frame(events):
    """The events as the layer stores them: JSON text, nullable integers, plain text."""
    import geopandas as gpd

    from geo.imports.model import IMPORTED_COLUMNS

    columns = {}
    for column in IMPORTED_COLUMNS:
        if column == "geometry":
            continue
        values = events[column]
        if column in _JSON_COLUMNS:
            columns[column] = pd.Series([_to_json(value) for value in values], dtype=object)
        elif column in _INTEGER_COLUMNS:
            columns[column] = pd.Series(pd.array([None if _missing(v) else int(v) for v in values], dtype="Int64"))
        else:
            texts = _objects(values)
            if not all(isinstance(text, str) for text in texts if text is not None):
                texts = [None if text is None else str(text) for text in texts]
            columns[column] = pd.Series(texts, dtype=object)
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(list(events.geometry), crs=events.crs))


def _objects(values: pd.Series) -> list:
    """The column's values as Python objects, None where missing (NaN, NA)."""
    return values.astype(object).where(values.notna(), None).tolist()


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _event_rows(stored) -> list[dict]:
    """A layer's rows back as the row dicts ``finish_events`` takes (Python values, None where empty)."""
    from geo.imports.model import IMPORTED_COLUMNS

    columns: dict[str, list] = {}
    for column in IMPORTED_COLUMNS:
        if column == "geometry" or column in _DERIVED_COLUMNS:
            continue
        values = _objects(stored[column]) if column in stored.columns else [None] * len(stored)
        if column in _JSON_COLUMNS:
            columns[column] = _column_from_json(values)
        elif column in _INTEGER_COLUMNS:
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


# --- Per-process cache ----------------------------------------------------------------------------

# (file, inode, mtime, size) -> what was read from that version of the file. A Streamlit rerun
# with an unchanged workspace reads nothing.
_CACHE: dict[tuple, dict] = {}
_CACHE_LIMIT = 4


def _cached(key: tuple) -> dict:
    if key not in _CACHE:
        while len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = {}
    return _CACHE[key]


class DatasetsByName:
    """What both stores answer from their list of datasets (``datasets()``) and ``location``."""

    def names(self) -> list[str]:
        return [info.name for info in self.datasets()]

    def dataset(self, name: str) -> DatasetInfo:
        """One dataset by its exact name; ``KeyError`` lists the known names."""
        for info in self.datasets():
            if info.name == name:
                return info
        raise UnknownDataset(self._unknown(name))

    def _unknown(self, name: str, known_names: list[str] | None = None) -> str:
        if known_names is None:
            known_names = self.names()
        known = ", ".join(repr(known_name) for known_name in known_names) or "none"
        return f"no dataset named {name!r} in the workspace {self.location}; known datasets: {known}"


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
            cache = _cached(version)
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
                    raise UnknownDataset(self._unknown(wanted[0]))
                return empty_imported_events()
            if "datasets" not in cache:
                cache["datasets"] = [_info(row) for row in self._dataset_rows()]
            by_name = {info.name: info for info in cache["datasets"]}
            unknown = [name for name in wanted or () if name not in by_name]
            if unknown:
                raise UnknownDataset(self._unknown(unknown[0], list(by_name)))
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

    def _prepared(self) -> _Prepared:
        def read(cache):
            if cache is None:
                return _Prepared(_empty_prepared_frame(), [])
            if "datasets" not in cache:
                cache["datasets"] = [_info(row) for row in self._dataset_rows()]
            parts, places = [], []
            for info in cache["datasets"]:
                part = self._layer_columns(info)
                places.extend((info.layer, fid) for fid in part.index)
                parts.append(part.reset_index(drop=True))
            if not parts:
                return _Prepared(_empty_prepared_frame(), [])
            frame = pd.concat(parts, ignore_index=True)
            frame["_place"] = range(len(frame))
            frame = frame.sort_values(["date_start", "id"], ignore_index=True)  # as finish_events sorts
            order = frame.pop("_place").tolist()
            return _Prepared(frame, [info.name for info in cache["datasets"]], [places[i] for i in order])
        return self._read("prepared", read)

    def _layer_columns(self, info: DatasetInfo) -> pd.DataFrame:
        """The columns the queries need of one layer, indexed by feature id, lists decoded in one parse."""
        import pyogrio

        try:
            stored = pyogrio.read_dataframe(self.path, layer=info.layer, use_arrow=True, fid_as_index=True,
                                            columns=list(_PREPARED_TEXT + _PREPARED_JSON))
        except Exception as error:  # pyogrio raises its own errors and GDAL's
            raise WorkspaceError(f"{self.path}: cannot read the events of dataset {info.name!r} "
                                 f"(layer {info.layer}): {error}") from error
        frame = pd.DataFrame(index=stored.index)
        for column in _PREPARED_TEXT:
            values = _objects(stored[column]) if column in stored.columns else [None] * len(stored)
            frame[column] = pd.Series(values, index=stored.index, dtype=object)
        for column in _PREPARED_JSON:
            values = _objects(stored[column]) if column in stored.columns else [None] * len(stored)
            frame[column] = pd.Series(_object_array(_column_from_json(values)), index=stored.index, dtype=object)
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
        stored = _stored_frame(_renamed(result.events, name))  # before taking the lock: others wait less
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
                    raise UnknownDataset(self._unknown(old, [info.name for info in infos]))
                taken = self._taken(new, infos, apart_from=old)
                if taken is not None:
                    raise ValueError(f"cannot rename {old!r} to {new!r}: a dataset named {taken.name!r} is "
                                     "already in the workspace")
                if not _LAYER_NAME.fullmatch(current.layer):
                    raise WorkspaceError(f"{self.path}: unexpected layer name {current.layer!r}")
                # The layer name is one the workspace made (checked above); the names are parameters.
                cases, parameters = "", [new]
                for old_prefix, new_prefix in _id_prefixes(old, new):
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
                    raise UnknownDataset(self._unknown(name, names))
                _drop_layer(connection, found[0])
                connection.execute("DELETE FROM datasets WHERE layer = ?", (found[0],))
                connection.commit()
                _compact(connection)


def _id_prefixes(old: str, new: str) -> list[tuple[str, str]]:
    """The starts of event ids that name a dataset, old and new: importers write ``<slug>:<id>``
    (``geo.imports.common.dataset_slug``); ``<name>:<id>`` is taken too."""
    from geo.imports.common import dataset_slug

    pairs = [(f"{dataset_slug(old)}:", f"{dataset_slug(new)}:"), (f"{old}:", f"{new}:")]
    return [(before, after) for before, after in pairs if before != after]


def _renamed(events, name: str):
    """The events with ``dataset`` set to ``name`` and their ids started as ``name`` makes them."""
    if not len(events):
        return events
    events = events.copy()
    renamed_ids, prefixes = [], {}
    for identifier, before in zip(events["id"].astype(object), events["dataset"].astype(object)):
        if isinstance(identifier, str) and isinstance(before, str):
            if before not in prefixes:
                prefixes[before] = _id_prefixes(before, name)
            for old_prefix, new_prefix in prefixes[before]:
                if identifier.startswith(old_prefix):
                    identifier = new_prefix + identifier[len(old_prefix):]
                    break
        renamed_ids.append(identifier)
    events["id"] = pd.Series(renamed_ids, index=events.index, dtype=events["id"].dtype)
    events["dataset"] = pd.Series(name, index=events.index, dtype=events["dataset"].dtype)
    return events


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


# --- Queries the dashboard makes on every rerun -------------------------------------------------

# What the map, the table's first columns and the counts need of each imported event.
SHOWN_COLUMNS = ("id", "dataset", "type", "x", "y", "date_start", "date_end", "year_start", "year_end", "title",
                 "place_name", "country", "groups", "roles", "leading_groups")
# Distinct (filter, datasets) answers kept per store version: Play steps through a dozen years.
_ANSWERS_KEPT = 24


@dataclass(frozen=True)
class FilterPlan:
    """An :class:`geo.filters.EventFilter` as both stores apply it to imported events: the groups
    already expanded (as ``events_matching`` does for ``include_related``), the text normalised.
    ``None`` or empty means no restriction, except ``nothing``: no imported event can pass."""

    year_from: int | None
    year_to: int | None
    groups: frozenset | None
    people: frozenset | None
    roles: frozenset  # the parts that count for a group or person
    types: tuple | None
    countries: tuple | None
    needle: str | None
    nothing: bool  # a source filter: imported events are never cited to the reports

    @property
    def key(self) -> tuple:
        return dataclasses.astuple(self)


def filter_plan(event_filter, groups=None) -> FilterPlan:
    """The filter as :func:`geo.filters.events_matching` applies it (same expansion, same text form)."""
    from geo.filters import normalised_text

    wanted_groups = event_filter.expanded_groups(groups) if event_filter.groups else None
    text = event_filter.text
    return FilterPlan(
        year_from=None if event_filter.year_from is None else int(event_filter.year_from),
        year_to=None if event_filter.year_to is None else int(event_filter.year_to),
        groups=frozenset(wanted_groups) if wanted_groups is not None else None,
        people=frozenset(event_filter.people) if event_filter.people else None,
        roles=frozenset(event_filter.counted_roles()),
        types=tuple(sorted(set(event_filter.types))) if event_filter.types else None,
        countries=tuple(sorted(set(event_filter.countries))) if event_filter.countries else None,
        needle=normalised_text(text) if text.strip() else None,
        # Imported events' source_ids are always empty (finish_events): a source filter keeps none.
        nothing=bool(event_filter.sources))


def search_texts(frame: pd.DataFrame) -> pd.Series:
    """What the text filter searches, normalised as :meth:`EventFilter.mask` does it."""
    from geo.filters import normalised_text

    haystack = (frame["title"].fillna("") + " " + frame["summary"].fillna("") + " "
                + frame["place_name"].fillna(""))
    haystack = haystack + " " + frame["actors"].map(lambda names: " ".join(names or ()))
    return haystack.map(normalised_text)


def empty_shown() -> pd.DataFrame:
    columns = {column: pd.Series([], dtype=object) for column in SHOWN_COLUMNS}
    for column in ("x", "y"):
        columns[column] = pd.Series([], dtype=float)
    for column in ("year_start", "year_end"):
        columns[column] = pd.Series([], dtype="Int64")
    return pd.DataFrame(columns)


class _Members:
    """(event, member, role) triples of one list column (groups or people), as integer codes, so a
    group or person filter is two ``isin`` over arrays instead of a loop over rows."""

    def __init__(self, members: list, roles: list):
        import numpy as np

        events, names, parts = [], [], []
        for position, (ids, event_roles) in enumerate(zip(members, roles)):
            if not ids:
                continue
            event_roles = event_roles if isinstance(event_roles, dict) else {}
            for member in ids:
                events.append(position)
                names.append(member)
                parts.append(event_roles.get(member))
        self.events = np.asarray(events, dtype=np.int64)
        codes, uniques = pd.factorize(pd.Series(names, dtype=object), use_na_sentinel=True)
        self.members, self.member_codes = codes, {value: code for code, value in enumerate(uniques)}
        codes, uniques = pd.factorize(pd.Series(parts, dtype=object), use_na_sentinel=True)
        self.roles, self.role_codes = codes, {value: code for code, value in enumerate(uniques)}

    def mask(self, count: int, wanted: frozenset, roles: frozenset):
        import numpy as np

        member_codes = [self.member_codes[m] for m in wanted if m in self.member_codes]
        role_codes = [self.role_codes[r] for r in roles if r in self.role_codes]
        keep = np.zeros(count, dtype=bool)
        if member_codes and role_codes:
            hits = np.isin(self.members, member_codes) & np.isin(self.roles, role_codes)
            keep[self.events[hits]] = True
        return keep


class _Codes:
    """A text column as integer codes: an ``isin`` over integers instead of strings."""

    def __init__(self, column: pd.Series):
        codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
        self.codes = codes
        self.values = list(uniques)
        self.lookup = {value: code for code, value in enumerate(self.values)}

    def mask(self, wanted):
        import numpy as np

        return np.isin(self.codes, [self.lookup[value] for value in wanted if value in self.lookup])


class _Search:
    """The search texts joined into one string: a text filter is one ``str.find`` a matching event
    (jumping to the next event after each hit) instead of a ``contains`` over every row."""

    _SEPARATOR = "\x00"

    def __init__(self, texts: pd.Series):
        import numpy as np

        values = [str(text) for text in texts]
        self.texts = values
        self.joined = self._SEPARATOR.join(values)
        lengths = np.fromiter((len(value) + 1 for value in values), dtype=np.int64, count=len(values))
        self.starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64).tolist() if len(values) else []
        self.found: dict[str, object] = {}

    def mask(self, needle: str):
        import bisect

        import numpy as np

        if needle in self.found:
            return self.found[needle]
        keep = np.zeros(len(self.texts), dtype=bool)
        if self._SEPARATOR in needle:  # cannot span two events: look row by row
            keep[:] = [needle in text for text in self.texts]
        else:
            starts, find = self.starts, self.joined.find
            position = find(needle)
            while position >= 0:
                row = bisect.bisect_right(starts, position) - 1
                keep[row] = True
                if row + 1 >= len(starts):
                    break
                position = find(needle, starts[row + 1])
        if len(self.found) >= 8:
            self.found.pop(next(iter(self.found)))
        self.found[needle] = keep
        return keep


class _Prepared:
    """The imported events of one store version as columns, read once: every rerun's filter is a
    few vectorised masks over them. Rows are in the order ``Workspace.events()`` gives."""

    def __init__(self, frame: pd.DataFrame, dataset_names: list[str], places: list[tuple] | None = None):
        import numpy as np

        from geo.catalog import leading_groups

        # frame: id, dataset, type, x, y, date_start, date_end, title, summary, place_name, country, groups,
        # people, roles, actors (lists and dicts decoded), in events() order.
        self.count = len(frame)
        self.dataset_names = list(dataset_names)
        self.dataset_codes = pd.Categorical(frame["dataset"], categories=self.dataset_names).codes.astype(np.int64)
        self.year_start = pd.to_numeric(frame["date_start"].str[:4], errors="coerce").to_numpy(dtype=float)
        self.year_end = pd.to_numeric(frame["date_end"].str[:4], errors="coerce").to_numpy(dtype=float)
        self.types = _Codes(frame["type"])
        self.countries = _Codes(frame["country"])
        self.x = frame["x"].to_numpy(dtype=float)
        self.y = frame["y"].to_numpy(dtype=float)
        self.search = _Search(search_texts(frame))
        self.groups = _Members(list(frame["groups"]), list(frame["roles"]))
        self.people = _Members(list(frame["people"]), list(frame["roles"]))
        self.places = places  # (layer, fid) of each row, for events_by_id on the GeoPackage
        shown = pd.DataFrame({column: frame[column] for column in SHOWN_COLUMNS
                              if column not in ("year_start", "year_end", "leading_groups")})
        for column in ("id", "dataset", "type", "date_start", "date_end", "title", "place_name", "country"):
            shown[column] = shown[column].astype("str")  # as the events frame has them
        shown["year_start"] = pd.array(pd.Series(self.year_start).round(), dtype="Int64")
        shown["year_end"] = pd.array(pd.Series(self.year_end).round(), dtype="Int64")
        leading = [leading_groups(g or [], r if isinstance(r, dict) else {}) for g, r in zip(frame["groups"], frame["roles"])]
        shown["leading_groups"] = _object_array(leading)
        self.shown = shown[list(SHOWN_COLUMNS)]  # converted once: a rerun only takes rows
        self.ids = frame["id"].to_numpy(dtype=object)
        self.date_starts = frame["date_start"].to_numpy(dtype=object)
        self.answers: dict = {}

    def mask(self, plan: FilterPlan, datasets, bbox=None):
        import numpy as np

        codes = [self.dataset_names.index(name) for name in dict.fromkeys(datasets) if name in self.dataset_names]
        if plan.nothing or not codes or not self.count:
            return np.zeros(self.count, dtype=bool), codes
        keep = np.isin(self.dataset_codes, codes)
        if plan.year_from is not None:
            keep &= self.year_end >= plan.year_from
        if plan.year_to is not None:
            keep &= self.year_start <= plan.year_to
        if plan.groups is not None:
            keep &= self.groups.mask(self.count, plan.groups, plan.roles)
        if plan.types is not None:
            keep &= self.types.mask(plan.types)
        if plan.people is not None:
            keep &= self.people.mask(self.count, plan.people, plan.roles)
        if plan.countries is not None:
            keep &= self.countries.mask(plan.countries)
        if bbox is not None:
            west, south, east, north = (float(value) for value in bbox)
            keep &= (self.x >= west) & (self.x <= east) & (self.y >= south) & (self.y <= north)
        if plan.needle is not None and keep.any():
            keep &= self.search.mask(plan.needle)
        return keep, codes

    def answer(self, plan: FilterPlan, datasets, bbox=None) -> pd.DataFrame:
        import numpy as np

        key = (plan.key, tuple(dict.fromkeys(datasets)), None if bbox is None else tuple(map(float, bbox)))
        if key in self.answers:
            return self.answers[key]
        keep, codes = self.mask(plan, datasets, bbox)
        rows = np.flatnonzero(keep)
        if len(codes) > 1 and list(codes) != sorted(codes) and len(rows):
            # Rows tie on (date_start, id) only across datasets; events(datasets) breaks such ties in
            # the order the datasets were asked for.
            order = pd.DataFrame({"date_start": self.date_starts[rows], "id": self.ids[rows],
                                  "rank": [codes.index(code) for code in self.dataset_codes[rows]]})
            order = order.sort_values(["date_start", "id", "rank"], kind="stable")
            rows = rows[order.index.to_numpy()]
        answer = self.shown.take(rows).reset_index(drop=True)
        while len(self.answers) >= _ANSWERS_KEPT:
            self.answers.pop(next(iter(self.answers)))
        self.answers[key] = answer
        return answer

    def overview(self) -> dict:
        import numpy as np

        years = self.year_end[~np.isnan(self.year_end)]
        return {"last_year": int(years.max()) if len(years) else None,
                "countries": frozenset(str(c) for c in self.countries.values if isinstance(c, str) and c),
                "events": int(self.count)}


_PREPARED_JSON = ("groups", "people", "roles", "actors")
_PREPARED_TEXT = ("id", "type", "date_start", "date_end", "title", "summary", "place_name", "country")


def open_workspace():
    """The store of imported datasets: PostgreSQL/PostGIS when ``$SAHEL_ATLAS_DATABASE_URL`` is set,
    else the GeoPackage file (:meth:`Workspace.default`). A bad address is a :class:`WorkspaceError`."""
    url = os.environ.get(DATABASE_VARIABLE, "").strip()
    if not url:
        return Workspace.default()
    try:
        from geo.workspace_postgis import PostgisWorkspace
    except ImportError as error:
        raise WorkspaceError(f"{DATABASE_VARIABLE} is set, but the PostgreSQL driver is missing ({error}); "
                             "install the project again (pip install -e .)") from error
    return PostgisWorkspace(url)


def _object_array(values: list):
    """A 1-d object array of ``values`` (lists stay elements, numpy would make them a 2-d array)."""
    import numpy as np

    array = np.empty(len(values), dtype=object)
    for position, value in enumerate(values):
        array[position] = value
    return array


def _empty_prepared_frame() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series([], dtype=object) for column in _PREPARED_TEXT + _PREPARED_JSON})
    frame["dataset"] = pd.Series([], dtype=object)
    frame["x"] = pd.Series([], dtype=float)
    frame["y"] = pd.Series([], dtype=float)
    return frame
