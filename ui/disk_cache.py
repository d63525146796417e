"""Tables worked out from the curated files, kept on disk so a new server starts at once.

Reading, checking and preparing the curated data and the basemap takes seconds; the result
depends only on those files and on the code that reads them. It is saved under a key made
of the files' content hashes, the code's and the libraries' versions, so any change to the
data or the code is read afresh. Only data that passed its checks is saved. A cache that
cannot be read or written is ignored: the tables are then made as before.

The folder is ``$SAHEL_ATLAS_CACHE``, else the user's cache folder: ``$XDG_CACHE_HOME/sahel-atlas``
(``~/.cache/sahel-atlas``) on Linux, ``~/Library/Caches/sahel-atlas`` on macOS,
``%LOCALAPPDATA%\\sahel-atlas\\Cache`` on Windows.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import platformdirs

__all__ = ["CACHE_VARIABLE", "cache_dir", "content_key", "kept"]

CACHE_VARIABLE = "SAHEL_ATLAS_CACHE"
ROOT = Path(__file__).resolve().parent.parent
# The code that turns the files into tables (the pages' own code is left out): a change to any
# of it makes new tables.
CODE = ("geo", "style", "view", "layers", "briefing", "ui/data.py", "ui/disk_cache.py")
KEEP = 4  # entries of each name kept
T = TypeVar("T")


def cache_dir() -> Path:
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    return platformdirs.user_cache_path("sahel-atlas", appauthor=False)


def _files(paths: Iterable[Path | str]) -> list[tuple[str, Path]]:
    """Every file under the paths, each with its name relative to the path given (the key is the same
    wherever the folder lies)."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                (str(p.relative_to(path)), p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts
            )
        elif path.is_file():
            found.append((path.name, path))
    return found


def _library_versions() -> str:
    import geopandas
    import numpy
    import pandas
    import shapely

    return f"{sys.version} {numpy.__version__} {pandas.__version__} {geopandas.__version__} {shapely.__version__}"


def content_key(*inputs: Path | str) -> str:
    """A hash of the inputs' files (names and contents), the code and the libraries that read them."""
    digest = hashlib.sha256(_library_versions().encode())
    code = [(name, path) for part in CODE for name, path in _files([ROOT / part]) if path.suffix == ".py"]
    for name, path in [*_files(inputs), *code]:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def kept(name: str, key: str, make: Callable[[], T]) -> T:
    """``make()``'s result, from the disk when saved under ``key``, else made and saved there.

    An exception from ``make`` passes through and nothing is saved.
    """
    folder = cache_dir()
    path = folder / f"{name}-{key}.pickle"
    try:
        with path.open("rb") as saved:
            return pickle.load(saved)
    except Exception:  # absent, unreadable or from another version: make it afresh
        pass
    value = make()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)  # atomic: several servers may share the folder
        # The newest few stay, for checkouts or data folders used in turn.
        for old in sorted(folder.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: the tables are made on each start, as before
    return value
