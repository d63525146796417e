"""The grid that gathers many events into one mark on the map, shared by the browser and the app.

Tens of thousands of imported events cannot each be a mark: the browser gets every
event shown as two integers (its Web Mercator position) and a type, packed in
typed arrays, and gathers them itself into cells of about 64 screen pixels at the
zoom on screen (``layers/map_engine.js``, ``atlas.eventGrid``). A click on a
gathered mark names its cell; the app finds the same events with the same
integer arithmetic here, so the list it opens holds exactly what the mark counted.

Positions are Web Mercator scaled to ``2**POSITION_BITS`` units across the world
(about 2.4 m at the equator). At zoom ``z`` (an integer: the browser rounds the
zoom on screen) the world is ``256 * 2**z`` pixels, so a cell of ``2**CELL_BITS``
pixels holds the positions whose ``position >> (POSITION_BITS - 8 - z + CELL_BITS)``
agree: a shift of integers, the same in JavaScript and in numpy.
"""

from __future__ import annotations

import base64
import math

import numpy as np
import pandas as pd

__all__ = [
    "POSITION_BITS",
    "CELL_BITS",
    "mercator_positions",
    "cell_shift",
    "cell_of",
    "events_in_cell",
    "cell_bounds",
    "packed",
    "parse_cell",
    "epoch_days",
]

POSITION_BITS = 24
CELL_BITS = 6  # cells of 64 screen pixels
MAX_LATITUDE = 85.0511287798  # Web Mercator's square world


def mercator_positions(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Integer Web Mercator positions (x east, y south, 0 at the top left of the world)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -MAX_LATITUDE, MAX_LATITUDE)
    scale = float(2**POSITION_BITS)
    x = (lon + 180.0) / 360.0
    radians = np.radians(lat)
    y = (1.0 - np.log(np.tan(radians) + 1.0 / np.cos(radians)) / math.pi) / 2.0
    limit = 2**POSITION_BITS - 1
    return (
        np.clip(np.floor(x * scale), 0, limit).astype(np.uint32),
        np.clip(np.floor(y * scale), 0, limit).astype(np.uint32),
    )


def cell_shift(zoom: int) -> int:
    """How far to shift a position to get its cell's number at ``zoom``."""
    return POSITION_BITS - 8 - int(zoom) + CELL_BITS


def cell_of(x: np.ndarray, y: np.ndarray, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    shift = cell_shift(zoom)
    return np.right_shift(x, shift), np.right_shift(y, shift)


def events_in_cell(shown: pd.DataFrame, zoom: int, column: int, row: int) -> pd.DataFrame:
    """The events of ``shown`` (with ``x``/``y`` lon/lat columns) that a mark at that cell gathers."""
    if shown.empty:
        return shown
    x, y = mercator_positions(shown["x"].to_numpy(), shown["y"].to_numpy())
    cx, cy = cell_of(x, y, zoom)
    return shown[(cx == column) & (cy == row)]


def cell_bounds(zoom: int, column: int, row: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees of a cell, a little larger than it (for a box query)."""
    size = 2 ** cell_shift(zoom) / 2**POSITION_BITS  # the cell's side in world widths

    def lon(x):
        return x * 360.0 - 180.0

    def lat(y):
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))

    west, east = lon(column * size), lon((column + 1) * size)
    north, south = lat(row * size), lat((row + 1) * size)
    margin = 1e-6
    return west - margin, south - margin, east + margin, north + margin


def parse_cell(text: str) -> tuple[int, int, int] | None:
    """'6:23:27' (zoom, column, row) as sent by a click on a gathered mark; None if malformed."""
    try:
        zoom, column, row = (int(part) for part in str(text).split(":"))
    except ValueError:
        return None
    if not (
        0 <= zoom <= 20
        and 0 <= column < 2 ** (POSITION_BITS - cell_shift(zoom))
        and 0 <= row < 2 ** (POSITION_BITS - cell_shift(zoom))
    ):
        return None
    return zoom, column, row


def _base64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()).decode("ascii")


def packed(shown: pd.DataFrame, types: list[str], datasets: list[str]) -> dict:
    """What the browser gets for ``shown``: positions, type and dataset numbers, base64 little-endian.

    ``types`` and ``datasets`` list the values the numbers index (a type outside
    ``types`` gets the last number, which the caller keeps for "other").
    """
    x, y = mercator_positions(shown["x"].to_numpy(), shown["y"].to_numpy())
    kinds = pd.Index(types).get_indexer(shown["type"])
    kinds[kinds < 0] = len(types) - 1
    owners = pd.Index(datasets).get_indexer(shown["dataset"]).clip(0).astype(np.uint8)
    data = {
        "count": int(len(shown)),
        "x": _base64(x),
        "y": _base64(y),
        "type": _base64(kinds.astype(np.uint8)),
        "dataset": _base64(owners),
    }
    if "date_start" in shown.columns and "date_end" in shown.columns:
        # First and last day of each event, so the browser filters by time with no run of the app.
        start = epoch_days(shown["date_start"], shown.get("year_start"), end=False)
        end = np.maximum(epoch_days(shown["date_end"], shown.get("year_end"), end=True), start)
        data.update(start=_base64(start), end=_base64(end))
    return data


def epoch_days(dates, years=None, end: bool = False) -> np.ndarray:
    """Days since 1970-01-01 (int32) of ISO dates ('2012-04-01'); a missing date is its year's first
    day (or last, with ``end``), or the farthest day when the year is missing too."""
    parsed = pd.to_datetime(pd.Series(dates, dtype="object"), errors="coerce", format="ISO8601")
    days = (parsed - pd.Timestamp("1970-01-01")).dt.days
    if years is not None and days.isna().any():
        year = pd.to_numeric(pd.Series(years).reset_index(drop=True), errors="coerce")
        fallback = pd.to_datetime((year + (1 if end else 0)).astype("Int64").astype(str) + "-01-01", errors="coerce")
        days = days.reset_index(drop=True).fillna((fallback - pd.Timestamp("1970-01-01")).dt.days - (1 if end else 0))
    farthest = np.iinfo(np.int32).max if end else np.iinfo(np.int32).min
    return (
        days.fillna(farthest)
        .to_numpy(dtype=np.int64)
        .clip(np.iinfo(np.int32).min, np.iinfo(np.int32).max)
        .astype(np.int32)
    )
