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
next change. A lock file (``<workspace>.lock``, through ``filelock``: the system's own file locks on
Linux, macOS and Windows) makes writers from several
processes (two app sessions, the app and the command line) take turns; readers never wait:
they read the file in place and read again if it was replaced meanwhile.

The file lives in the user's data folder (:func:`geo.workspace.base.default_path`: on Linux
``$XDG_DATA_HOME/sahel-atlas/workspace.gpkg``, else ``~/.local/share/sahel-atlas/workspace.gpkg``);
``SAHEL_ATLAS_WORKSPACE`` names another file.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd
from filelock import FileLock, Timeout

from geo.workspace.base import (
    WORKSPACE_VARIABLE,
    AuditEntry,
    DatasetInfo,
    DatasetsByName,
    WorkspaceError,
    as_objects,
    cached_reads,
    check_allowed,
    check_expected,
    check_name,
    column_from_json,
    default_path,
    id_prefixes,
    now_utc,
    object_array,
    renamed_events,
    replace_durably,
    stored_frame,
)
from geo.workspace.gpkg_tables import (
    LAYER_NAME,
    closing,
    connect,
    dataset_rows,
    ensure_tables,
    event_rows,
    info_from_row,
    insert_dataset,
    layer_description,
    name_layers,
    new_dataset_id,
    new_workspace,
    write_audit,
)
from geo.workspace.gpkg_trash import TrashAndLog
from geo.workspace.identity import Actor, command_line_actor
from geo.workspace.plan import (
    PREPARED_JSON,
    PREPARED_TEXT,
    PreparedEvents,
    empty_prepared_frame,
    filter_plan,
    no_prepared_events,
)

__all__ = ["Workspace"]


class Workspace(TrashAndLog, DatasetsByName):
    """The user's imported datasets in one GeoPackage file (see the module docstring)."""

    def __init__(self, path: Path | str):
        self.path = Path(path).expanduser()
        from geo.catalog import DATA_DIR

        if DATA_DIR.resolve() in self.path.resolve().parents:
            raise WorkspaceError(
                f"{self.path}: the workspace cannot live inside the curated data folder "
                f"({DATA_DIR}); choose another file"
            )

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
            with closing(connect(self.path, read_only=True)) as connection:
                return dataset_rows(connection)
        except sqlite3.Error as error:
            raise WorkspaceError(
                f"{self.path}: not a readable Sahel Atlas workspace ({error}); move it "
                f"aside or set {WORKSPACE_VARIABLE} to another file"
            ) from error

    def _all_datasets(self) -> list[DatasetInfo]:
        def read(cache):
            if cache is None:
                return []
            self._clean_leftovers(wait=False)
            return self._live(cache, every=True)

        return self._read("all datasets", read)

    def _live(self, cache: dict, every: bool = False) -> list[DatasetInfo]:
        """The datasets of the version ``cache`` is for: the live ones, or ``every`` one (the trash too)."""
        if "all datasets" not in cache:
            cache["all datasets"] = [info_from_row(row) for row in self._dataset_rows()]
        if every:
            return cache["all datasets"]
        if "datasets" not in cache:
            cache["datasets"] = [info for info in cache["all datasets"] if not info.in_trash]
        return cache["datasets"]

    def datasets(self) -> list[DatasetInfo]:
        """Every dataset, in the order they were imported (none when the file does not exist yet); not
        those in the trash."""
        return [info for info in self._all_datasets() if not info.in_trash]

    def trash(self) -> list[DatasetInfo]:
        """The deleted datasets not yet removed for good, the latest deleted first."""
        return sorted(
            (info for info in self._all_datasets() if info.in_trash), key=lambda info: info.deleted_at, reverse=True
        )

    # One person's file: every change is allowed, the actor is only recorded (see geo.workspace.identity).
    shared = False

    def refused_rows(self, name: str):
        """The rows of the dataset's file that were not imported, each with its reason."""
        from geo.imports.model import RefusedRow

        info = self.dataset(name)
        with closing(connect(self.path, read_only=True)) as connection:
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
            by_name = {info.name: info for info in self._live(cache)}
            unknown = [name for name in wanted or () if name not in by_name]
            if unknown:
                raise self.unknown_dataset(unknown[0], list(by_name))
            rows = []
            for info in self._live(cache) if wanted is None else [by_name[name] for name in wanted]:
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
            raise WorkspaceError(
                f"{self.path}: cannot read the events of dataset {info.name!r} (layer {info.layer}): {error}"
            ) from error
        rows = event_rows(stored)
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
                return no_prepared_events()
            parts, places = [], []
            for info in self._live(cache):
                part = self._layer_columns(info)
                places.extend((info.layer, fid) for fid in part.index)
                parts.append(part.reset_index(drop=True))
            if not parts:
                return PreparedEvents(empty_prepared_frame(), [])
            frame = pd.concat(parts, ignore_index=True)
            frame["_place"] = range(len(frame))
            frame = frame.sort_values(["date_start", "id"], ignore_index=True)  # as finish_events sorts
            order = frame.pop("_place").tolist()
            return PreparedEvents(frame, [info.name for info in self._live(cache)], [places[i] for i in order])

        return self._read("prepared", read)

    def _layer_columns(self, info: DatasetInfo) -> pd.DataFrame:
        """The columns the queries need of one layer, indexed by feature id, lists decoded in one parse."""
        import pyogrio

        try:
            stored = pyogrio.read_dataframe(
                self.path,
                layer=info.layer,
                use_arrow=True,
                fid_as_index=True,
                columns=list(PREPARED_TEXT + PREPARED_JSON),
            )
        except Exception as error:  # pyogrio raises its own errors and GDAL's
            raise WorkspaceError(
                f"{self.path}: cannot read the events of dataset {info.name!r} (layer {info.layer}): {error}"
            ) from error
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
            for row in event_rows(stored):
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
            with FileLock(self.lock_path, timeout=-1 if wait else 0):
                for leftover in self._temp_files():
                    leftover.unlink(missing_ok=True)
        except Timeout:
            return  # someone is writing
        except OSError:
            pass  # a read-only folder: nothing to clean, nothing written

    @contextmanager
    def _change(self) -> Iterator[Path]:
        """A copy of the workspace to change; it replaces the workspace only if the block completes."""
        lock = FileLock(self.lock_path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire()
        except OSError as error:
            raise WorkspaceError(f"{self.path}: cannot write the workspace ({error.strerror or error})") from error
        try:
            for leftover in self._temp_files():  # no one else writes while we hold the lock
                leftover.unlink(missing_ok=True)
            temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp.gpkg")
            try:
                if self.path.exists():
                    self._dataset_rows()  # refuse to build on a file that is not a workspace
                    shutil.copyfile(self.path, temp)
                else:
                    new_workspace(temp)
                with closing(connect(temp)) as connection:
                    ensure_tables(connection)
                    connection.commit()
                yield temp
                with closing(connect(temp)) as connection:
                    name_layers(connection)  # the names QGIS lists the layers by, in step with the datasets
                    connection.commit()
                with open(temp, "rb+") as written:
                    os.fsync(written.fileno())
                replace_durably(temp, self.path)
            except OSError as error:
                raise WorkspaceError(f"{self.path}: cannot write the workspace ({error.strerror or error})") from error
            finally:
                for part in (temp, temp.with_name(temp.name + "-journal")):
                    part.unlink(missing_ok=True)
        finally:
            lock.release()

    def _taken(self, name: str, infos: list[DatasetInfo], apart_from: str | None = None) -> DatasetInfo | None:
        """The dataset already using ``name`` (names differing only in case count as the same)."""
        for info in infos:
            if info.name.casefold() == name.casefold() and info.name != apart_from:
                return info
        return None

    def _change_datasets(self, temp: Path):
        """The rows of ``datasets`` in the copy being changed (live and in the trash)."""
        with closing(connect(temp)) as connection:
            return [info_from_row(row) for row in dataset_rows(connection)]

    def save_dataset(
        self,
        name: str,
        result,
        file_name: str,
        format: str,
        replace: bool = False,
        *,
        document: str | None = None,
        by: Actor | None = None,
    ) -> DatasetInfo:
        """Store an :class:`ImportResult` as dataset ``name``; a name in use raises ``ValueError``
        unless ``replace`` (then the old dataset goes to the trash, in the same change). ``document``
        is the text the events were read from (a report), kept with them."""
        import pyogrio

        by = command_line_actor() if by is None else by
        name = check_name(name)
        stored = stored_frame(renamed_events(result.events, name))  # before taking the lock: others wait less
        with self._change() as temp:
            infos = self._change_datasets(temp)
            with closing(connect(temp)) as connection:
                layers = [row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")]
            old = self._taken(name, [info for info in infos if not info.in_trash])
            if old is not None and not replace:
                raise ValueError(
                    f"a dataset named {old.name!r} is already in the workspace; choose another name, or replace it"
                )
            numbers = [int(layer.split("_")[1]) for layer in layers if LAYER_NAME.fullmatch(layer)]
            layer = f"events_{max(numbers, default=0) + 1}"
            try:
                pyogrio.write_dataframe(stored, temp, layer=layer, driver="GPKG", geometry_type="Point")
            except Exception as error:
                raise WorkspaceError(f"{self.path}: cannot write the events of {name!r}: {error}") from error
            now = now_utc()
            info = DatasetInfo(
                name=name,
                file_name=str(file_name or ""),
                format=str(format or ""),
                imported_at=now,
                read=int(result.read),
                imported=len(stored),
                refused=len(result.refused),
                layer=layer,
                problems=tuple(result.problems),
                id=new_dataset_id(),
                owner=by.name,
                changed_at=now,
            )
            refused = [[refusal.row, refusal.reason] for refusal in result.refused]
            with closing(connect(temp)) as connection:
                if old is not None:
                    self._to_trash(connection, old, by, now)
                insert_dataset(connection, info, refused, document)
                connection.execute(
                    "UPDATE gpkg_contents SET description = ? WHERE table_name = ?", (layer_description(info), layer)
                )
                write_audit(
                    connection,
                    AuditEntry(
                        now,
                        by.name,
                        "replace" if old is not None else "import",
                        info.id,
                        name,
                        f"from {info.file_name or 'a file'} ({info.format})",
                        info.imported,
                        "done",
                    ),
                )
                connection.commit()
        return info

    def _current(self, infos: list[DatasetInfo], name: str, dataset_id: str | None, version: int | None) -> DatasetInfo:
        """The dataset a change names: by id (and version) when given, so that a rename or delete by
        someone else meanwhile stops it; else by its exact name among the live datasets."""
        if dataset_id is not None:
            return check_expected(next((info for info in infos if info.id == dataset_id), None), name, version)
        live = [info for info in infos if not info.in_trash]
        current = next((info for info in live if info.name == name), None)
        if current is None:
            raise self.unknown_dataset(name, [info.name for info in live])
        return check_expected(current, name, version)

    def rename(
        self, old: str, new: str, *, dataset_id: str | None = None, version: int | None = None, by: Actor | None = None
    ) -> DatasetInfo:
        """Rename a dataset: its row, its events' ``dataset`` and the ``<dataset>:`` start of their ids.
        With ``dataset_id`` (and ``version``), only if it is still the dataset named ``old``."""
        by = command_line_actor() if by is None else by
        new = check_name(new)
        with self._change() as temp:
            infos = self._change_datasets(temp)
            current = self._current(infos, old, dataset_id, version)
            check_allowed(by, current, self.shared, "rename")
            taken = self._taken(new, [info for info in infos if not info.in_trash], apart_from=old)
            if taken is not None:
                raise ValueError(
                    f"cannot rename {old!r} to {new!r}: a dataset named {taken.name!r} is already in the workspace"
                )
            now = now_utc()
            renamed = dataclasses.replace(current, name=new, version=current.version + 1, changed_at=now)
            with closing(connect(temp)) as connection:
                self._rename_layer(connection, current, new)
                connection.execute(
                    "UPDATE datasets SET name = ?, version = ?, changed_at = ? WHERE dataset_id = ?",
                    (new, renamed.version, now, current.id),
                )
                connection.execute(
                    "UPDATE gpkg_contents SET description = ? WHERE table_name = ?",
                    (layer_description(renamed), current.layer),
                )
                write_audit(
                    connection,
                    AuditEntry(now, by.name, "rename", current.id, new, f"from “{old}”", current.imported, "done"),
                )
                connection.commit()
        return renamed

    def _rename_layer(self, connection: sqlite3.Connection, current: DatasetInfo, new: str) -> None:
        """The events' ``dataset`` and the dataset's start of their ids, in the layer."""
        if not LAYER_NAME.fullmatch(current.layer):
            raise WorkspaceError(f"{self.path}: unexpected layer name {current.layer!r}")
        # The layer name is one the workspace made (checked above); the names are parameters.
        cases, parameters = "", [new]
        for old_prefix, new_prefix in id_prefixes(current.name, new):
            cases += " WHEN substr(id, 1, ?) = ? THEN ? || substr(id, ?)"
            parameters += [len(old_prefix), old_prefix, new_prefix, len(old_prefix) + 1]
        id_change = f"CASE{cases} ELSE id END" if cases else "id"
        connection.execute(f'UPDATE "{current.layer}" SET dataset = ?, id = {id_change}', parameters)

    @staticmethod
    def _to_trash(connection: sqlite3.Connection, info: DatasetInfo, by: Actor, now: str) -> None:
        connection.execute(
            "UPDATE datasets SET deleted_at = ?, deleted_by = ?, version = ? WHERE dataset_id = ?",
            (now, by.name, info.version + 1, info.id),
        )

    def delete(
        self, name: str, *, dataset_id: str | None = None, version: int | None = None, by: Actor | None = None
    ) -> DatasetInfo:
        """Move a dataset to the trash (its events leave the map; :meth:`restore` brings it back until
        the trash is emptied). With ``dataset_id`` (and ``version``), only if it is still the dataset
        named ``name``. The dataset as it is in the trash."""
        by = command_line_actor() if by is None else by
        with self._change() as temp:
            current = self._current(self._change_datasets(temp), name, dataset_id, version)
            check_allowed(by, current, self.shared, "delete")
            now = now_utc()
            with closing(connect(temp)) as connection:
                self._to_trash(connection, current, by, now)
                write_audit(
                    connection,
                    AuditEntry(
                        now, by.name, "delete", current.id, current.name, "to the trash", current.imported, "done"
                    ),
                )
                connection.commit()
        return dataclasses.replace(current, deleted_at=now, deleted_by=by.name, version=current.version + 1)
