"""What both workspace stores share: the names of the settings, the errors, :class:`DatasetInfo`,
the dataset name rules, the per-process cache of reads, and how events' columns are stored (JSON
text for lists and dicts, nullable integers, plain text).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import platformdirs

__all__ = [
    "WORKSPACE_VARIABLE",
    "DATABASE_VARIABLE",
    "NAME_LIMIT",
    "JSON_COLUMNS",
    "INTEGER_COLUMNS",
    "JSON_ENCODER",
    "WorkspaceError",
    "UnknownDataset",
    "DatasetChanged",
    "NotAllowed",
    "DatasetInfo",
    "AuditEntry",
    "AUDIT_ACTIONS",
    "now_utc",
    "restored_name",
    "removable_from_trash",
    "check_expected",
    "check_allowed",
    "check_may_import",
    "DatasetsByName",
    "default_path",
    "replace_durably",
    "check_name",
    "column_from_json",
    "stored_frame",
    "as_objects",
    "is_missing",
    "cached_reads",
    "forget_reads",
    "id_prefixes",
    "renamed_events",
    "object_array",
]

WORKSPACE_VARIABLE = "SAHEL_ATLAS_WORKSPACE"  # names another GeoPackage file
DATABASE_VARIABLE = "SAHEL_ATLAS_DATABASE_URL"  # names a PostgreSQL/PostGIS database to use instead
NAME_LIMIT = 80  # characters in a dataset's name


# Stored as JSON text (lists, dicts, and no_actor, which is True or empty).
JSON_COLUMNS = (
    "places",
    "route",
    "groups",
    "people",
    "roles",
    "hostage_nationalities",
    "money",
    "sources",
    "source_ids",
    "leading_groups",
    "actors",
    "original",
    "no_actor",
)
# Stored as integers, empty where unknown.
INTEGER_COLUMNS = ("hostage_count", "year_start", "year_end", "fatalities", "row")


class WorkspaceError(Exception):
    """The workspace file cannot be read or written; the message names the file."""


class DatasetChanged(WorkspaceError):
    """The dataset a page or command showed was deleted or changed since: nothing was done."""


class NotAllowed(WorkspaceError):
    """The actor may not make this change (not the owner, not an admin, or nobody known)."""


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
    id: str = ""  # never changes, never reused: what a change names
    version: int = 1  # goes up with every change (rename, delete, restore)
    owner: str = ""  # who imported it ("" when nobody was known)
    deleted_at: str = ""  # ISO time, UTC, when it went to the trash ("" when it is not there)
    deleted_by: str = ""
    changed_at: str = ""  # ISO time, UTC, of its import or last rename or restore

    @property
    def in_trash(self) -> bool:
        return bool(self.deleted_at)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: an import, rename, delete, restore or emptying of the trash, done or refused."""

    at: str  # ISO time, UTC
    who: str  # "" when nobody was known
    action: str  # import, replace, rename, delete, restore, purge
    dataset_id: str
    dataset: str  # its name at the time (the new name for a rename)
    detail: str  # e.g. "from 'A'" for a rename, the file for an import
    events: int
    outcome: str  # "done", or "refused: <why>"


AUDIT_ACTIONS = ("import", "replace", "rename", "delete", "restore", "purge")


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def check_expected(current: "DatasetInfo | None", shown_name: str, version: int | None) -> "DatasetInfo":
    """The dataset to change, if it is still the one shown (same name, and same version when one is
    given); else :class:`DatasetChanged`, and nothing is done."""
    if (
        current is None
        or current.in_trash
        or current.name != shown_name
        or (version is not None and current.version != version)
    ):
        raise DatasetChanged(
            f"“{shown_name}” was deleted or changed meanwhile; nothing was changed. Look at the list again and retry."
        )
    return current


def check_allowed(actor, info: "DatasetInfo", shared: bool, action: str) -> None:
    """:class:`NotAllowed` unless ``actor`` may ``action`` (rename, delete, restore) ``info``."""
    if actor.may_change(info.owner, shared):
        return
    if not actor.known:
        raise NotAllowed(
            f"this team workspace is read-only without an identity: cannot {action} "
            f"“{info.name}”. Sign in through the team's proxy or login."
        )
    raise NotAllowed(f"only {info.owner or 'its owner'} or an admin may {action} “{info.name}”; you can see and use it")


def restored_name(name: str, live: list, taken) -> str:
    """The name a dataset comes back from the trash with: its own, or "<name> (restored)" (then
    "(restored 2)", ...) when a live dataset took it meanwhile; ``taken(name, live)`` finds a holder."""
    candidate, number = name, 1
    while taken(candidate, live) is not None:
        suffix = " (restored)" if number == 1 else f" (restored {number})"
        candidate = name[: NAME_LIMIT - len(suffix)] + suffix
        number += 1
    return candidate


def removable_from_trash(infos: list, dataset_ids: list[str] | None, actor, shared: bool) -> list:
    """The datasets in the trash that emptying it removes: those of ``dataset_ids`` (or all) that
    ``actor`` may change."""
    return [
        info
        for info in infos
        if info.in_trash and (dataset_ids is None or info.id in dataset_ids) and actor.may_change(info.owner, shared)
    ]


def check_may_import(actor, shared: bool) -> None:
    if shared and not actor.known:
        raise NotAllowed(
            "this team workspace is read-only without an identity: nothing was imported. "
            "Sign in through the team's proxy or login."
        )


def default_path() -> Path:
    """``$SAHEL_ATLAS_WORKSPACE``, else ``workspace.gpkg`` in the user's data folder: ``$XDG_DATA_HOME/sahel-atlas``
    (``~/.local/share/sahel-atlas``) on Linux, ``~/Library/Application Support/sahel-atlas`` on macOS,
    ``%LOCALAPPDATA%\\sahel-atlas`` on Windows."""
    chosen = os.environ.get(WORKSPACE_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_data_path("sahel-atlas", appauthor=False) / "workspace.gpkg"


def replace_durably(new: Path, target: Path) -> None:
    """Move ``new`` over ``target`` in one step, and make the move itself survive a power cut where the
    system allows it (a folder's entry is flushed through the folder, which Windows cannot open)."""
    for attempt in range(20 if os.name == "nt" else 1):
        try:
            os.replace(new, target)
            break
        except PermissionError:  # Windows: a reader has the file open for a moment
            if attempt == 19:
                raise
            time.sleep(0.05)
    if os.name != "nt":
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


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


def _json_default(value):
    """numpy scalars and dates, which the JSON encoder does not know."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


# The JSON both stores write: non-ASCII kept as it is, numpy values, dates and sets understood.
JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_default)


def _to_json(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (list, dict)) and not value:
        return "[]" if isinstance(value, list) else "{}"
    if isinstance(value, tuple):
        value = list(value)
    return JSON_ENCODER.encode(value)


def column_from_json(texts) -> list:
    """A column of JSON texts (None where empty) decoded in one parse: much faster than one a value."""
    return json.loads("[" + ",".join("null" if text is None else text for text in texts) + "]")


def stored_frame(events):
    """The events as both stores write them: JSON text, nullable integers, plain text."""
    import geopandas as gpd

    from geo.imports.model import IMPORTED_COLUMNS

    columns = {}
    for column in IMPORTED_COLUMNS:
        if column == "geometry":
            continue
        values = events[column]
        if column in JSON_COLUMNS:
            columns[column] = pd.Series([_to_json(value) for value in values], dtype=object)
        elif column in INTEGER_COLUMNS:
            columns[column] = pd.Series(pd.array([None if is_missing(v) else int(v) for v in values], dtype="Int64"))
        else:
            texts = as_objects(values)
            if not all(isinstance(text, str) for text in texts if text is not None):
                texts = [None if text is None else str(text) for text in texts]
            columns[column] = pd.Series(texts, dtype=object)
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(list(events.geometry), crs=events.crs))


def as_objects(values: pd.Series) -> list:
    """The column's values as Python objects, None where missing (NaN, NA)."""
    return values.astype(object).where(values.notna(), None).tolist()


def is_missing(value) -> bool:
    """None, NA or NaN: a value the stores write as empty."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# --- Per-process cache ----------------------------------------------------------------------------

# A store version (the GeoPackage's file, inode, mtime and size; the database's generation) -> what
# was read from that version. A Streamlit rerun with an unchanged workspace reads nothing.
_CACHE: dict[tuple, dict] = {}
_CACHE_LIMIT = 4


def cached_reads(key: tuple) -> dict:
    """What this process has read from the store version ``key`` (a dict to fill); the oldest versions are forgotten."""
    if key not in _CACHE:
        while len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = {}
    return _CACHE[key]


def forget_reads() -> None:
    """Forget what this process has read from any store, so the next read goes to the store (a cold read)."""
    _CACHE.clear()


class DatasetsByName:
    """What both stores answer from their list of datasets (``datasets()``) and ``location``."""

    def names(self) -> list[str]:
        return [info.name for info in self.datasets()]

    def dataset_by_id(self, dataset_id: str) -> DatasetInfo | None:
        """The dataset with this id, live or in the trash; None when it is gone."""
        return next((info for info in [*self.datasets(), *self.trash()] if info.id == dataset_id), None)

    def dataset(self, name: str) -> DatasetInfo:
        """One dataset by its exact name; ``KeyError`` lists the known names."""
        for info in self.datasets():
            if info.name == name:
                return info
        raise self.unknown_dataset(name)

    def unknown_dataset(self, name: str, known_names: list[str] | None = None) -> UnknownDataset:
        """The error for a name no dataset has, listing ``known_names`` (by default :meth:`names`)."""
        if known_names is None:
            known_names = self.names()
        known = ", ".join(repr(known_name) for known_name in known_names) or "none"
        return UnknownDataset(f"no dataset named {name!r} in the workspace {self.location}; known datasets: {known}")


def id_prefixes(old: str, new: str) -> list[tuple[str, str]]:
    """The starts of event ids that name a dataset, old and new: importers write ``<slug>:<id>``
    (``geo.imports.common.dataset_slug``); ``<name>:<id>`` is taken too."""
    from geo.imports.common import dataset_slug

    pairs = [(f"{dataset_slug(old)}:", f"{dataset_slug(new)}:"), (f"{old}:", f"{new}:")]
    return [(before, after) for before, after in pairs if before != after]


def renamed_events(events, name: str):
    """The events with ``dataset`` set to ``name`` and their ids started as ``name`` makes them."""
    if not len(events):
        return events
    events = events.copy()
    renamed_ids, prefixes = [], {}
    for identifier, before in zip(events["id"].astype(object), events["dataset"].astype(object)):
        if isinstance(identifier, str) and isinstance(before, str):
            if before not in prefixes:
                prefixes[before] = id_prefixes(before, name)
            for old_prefix, new_prefix in prefixes[before]:
                if identifier.startswith(old_prefix):
                    identifier = new_prefix + identifier[len(old_prefix) :]
                    break
        renamed_ids.append(identifier)
    events["id"] = pd.Series(renamed_ids, index=events.index, dtype=events["id"].dtype)
    events["dataset"] = pd.Series(name, index=events.index, dtype=events["dataset"].dtype)
    return events


def object_array(values: list):
    """A 1-d object array of ``values`` (lists stay elements, numpy would make them a 2-d array)."""
    import numpy as np

    array = np.empty(len(values), dtype=object)
    for position, value in enumerate(values):
        array[position] = value
    return array
