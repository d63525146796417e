"""Sets of imported events for the map to fetch: kept under the cache, named by random tokens, withdrawn with their data.

A set of imported events (:func:`layers.event_grid.points`) is too large to send inside the page
on every step, so the browser fetches it once from an address of its own. Who can reach such an
address can read the events, so:

- the files live under the cache folder (``$SAHEL_ATLAS_CACHE/events``, see :mod:`ui.disk_cache`),
  never in the source tree. The app serves that one folder as a Streamlit component's folder
  (``/component/ui.published.imported_events/<token>.json``): Streamlit serves a component's
  files only from inside its folder, links resolved, so nothing else in the cache is reachable;
- a set's name is a random 128-bit token, not a digest of what it holds, so it cannot be guessed;
  within a process the same store version, filter and datasets keep their token (and file);
- a set is withdrawn as soon as the store changes (an import, a rename, a delete): each step of the
  dashboard calls :func:`withdraw_stale` with the store's version, which removes the sets this
  process published for any other version. A deleted dataset's events are therefore no longer
  served after the next step of the dashboard in each app process. Sets no process has used for
  :data:`UNUSED_FOR_S` (left by a process that stopped) are removed at the next publish.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from pathlib import Path

from ui.disk_cache import cache_dir

__all__ = ["COMPONENT", "UNUSED_FOR_S", "SETS_KEPT", "events_dir", "token_for", "publish_events", "withdraw_stale"]

COMPONENT = "imported_events"  # the component whose folder is served: its name is in every address
SETS_KEPT = 64  # sets kept for browsers to fetch (the newest)
UNUSED_FOR_S = 24 * 3600  # a set nobody used for this long is removed
_TOKENS_REMEMBERED = 256
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16): 128 bits
# Where earlier versions published: inside the source tree, served to anyone, so removed on first use.
_OLD_FOLDER = Path(__file__).resolve().parent.parent / "static" / "events"

_lock = threading.Lock()  # sessions run in threads of one process
_tokens: OrderedDict[str, tuple[str, str]] = OrderedDict()  # what was asked -> (token, store version)
_version_of: dict[str, str] = {}  # token -> the store version it was published for
_old_folder_removed = False


def events_dir() -> Path:
    """The folder the sets are published in (created when needed)."""
    return cache_dir() / "events"


def _version_key(store_version) -> str:
    return repr(store_version)


def token_for(store_version, event_filter, datasets) -> str:
    """The token naming one set of events shown: random, and the same for the same store version, filter
    and datasets within this process."""
    version = _version_key(store_version)
    asked = json.dumps([version, repr(event_filter), list(datasets)], default=str)
    with _lock:
        if asked in _tokens:
            _tokens.move_to_end(asked)
            return _tokens[asked][0]
        token = secrets.token_urlsafe(16)
        _tokens[asked] = (token, version)
        _version_of[token] = version
        while len(_tokens) > _TOKENS_REMEMBERED:
            forgotten, _ = _tokens.popitem(last=False)[1]
            _version_of.pop(forgotten, None)
        return token


def _served_folder() -> Path:
    """The published sets' folder, registered as the folder Streamlit serves for :data:`COMPONENT`."""
    import streamlit.components.v1 as components

    global _old_folder_removed
    folder = events_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not _old_folder_removed:
        shutil.rmtree(_OLD_FOLDER, ignore_errors=True)
        _old_folder_removed = True
    components.declare_component(COMPONENT, path=folder)
    return folder


def publish_events(token: str, points) -> str:
    """Write one set of imported events (``points()`` gives :func:`layers.event_grid.points`) where the
    app serves it, unless already there; its address.

    Several app processes may share the folder: files are written whole and renamed into place.
    """
    if not _TOKEN.fullmatch(token):
        raise ValueError(f"not a token: {token!r}")
    folder = _served_folder()
    path = folder / f"{token}.json"
    if path.exists():
        os.utime(path)  # in use: not removed as unused
    else:
        temporary = folder / f".{token}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(points(), separators=(",", ":")), encoding="utf-8")
        temporary.replace(path)
        _prune(folder)
    return f"/component/{__name__}.{COMPONENT}/{token}.json"


def _prune(folder: Path) -> None:
    """Remove the sets beyond the newest :data:`SETS_KEPT`, and those unused for :data:`UNUSED_FOR_S`."""
    written = []
    for file in folder.glob("*.json"):
        try:
            written.append((file.stat().st_mtime, file))
        except FileNotFoundError:  # another app process removed it meanwhile
            continue
    written.sort(reverse=True)
    now = time.time()
    for rank, (modified, file) in enumerate(written):
        if rank >= SETS_KEPT or now - modified > UNUSED_FOR_S:
            file.unlink(missing_ok=True)


def withdraw_stale(store_version) -> list[str]:
    """Remove the sets this process published for any other version of the store than ``store_version``
    (their data was imported, renamed or deleted since); the tokens withdrawn."""
    current = _version_key(store_version)
    with _lock:
        stale = [token for token, version in _version_of.items() if version != current]
        if not stale:
            return []
        for token in stale:
            del _version_of[token]
        for asked in [asked for asked, (token, version) in _tokens.items() if version != current]:
            del _tokens[asked]
    folder = events_dir()
    for token in stale:
        (folder / f"{token}.json").unlink(missing_ok=True)
    return stale
