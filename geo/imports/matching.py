"""Which curated events an imported event may be the same as.

An imported event matches a curated one when all three hold:

- **when**: their date spans overlap once each is widened by its precision. A day is that day;
  a month reaches from the first to the last day of its month(s); a year, its whole year(s);
  a season, 45 days either side; an approximate date, 31 days either side. Two day-precise
  events must share a day.
- **where**: the points are within 50 km, on the great circle (haversine on a 6,371 km sphere).
- **who**: they share a group, the curated event's groups counting with their brigades, emirates
  and successors (:func:`geo.filters.related_groups`). Groups only named in passing do not count.

Everything is computed as matrices (imported events x curated events) with numpy, a block of
imported events at a time: 10,000 imported against the 151 curated events take milliseconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.filters import related_groups

__all__ = ["MATCH_DISTANCE_KM", "PRECISION_MARGIN_DAYS", "curated_matches", "date_bounds"]

MATCH_DISTANCE_KM = 50.0
EARTH_RADIUS_KM = 6371.0
# Days added on each side of a span, for the precisions that are not whole calendar periods.
PRECISION_MARGIN_DAYS = {"day": 0, "season": 45, "approximate": 31}
_BLOCK = 4096  # imported events compared at a time: keeps the matrices small


def date_bounds(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """First and last day (numpy datetime64[D]) each event may fall on, given its precision.

    A missing or unreadable date gives NaT, which overlaps nothing.
    """
    start = pd.to_datetime(events["date_start"], errors="coerce", format="mixed").to_numpy("datetime64[D]")
    end_text = events["date_end"].where(events["date_end"].notna(), events["date_start"])
    end = pd.to_datetime(end_text, errors="coerce", format="mixed").to_numpy("datetime64[D]")
    end = np.where(np.isnat(end), start, end)
    precision = events["date_precision"].fillna("day").astype(str).to_numpy()
    one_day = np.timedelta64(1, "D")

    month = precision == "month"
    start = np.where(month, start.astype("datetime64[M]").astype("datetime64[D]"), start)
    end = np.where(month, (end.astype("datetime64[M]") + 1).astype("datetime64[D]") - one_day, end)
    year = precision == "year"
    start = np.where(year, start.astype("datetime64[Y]").astype("datetime64[D]"), start)
    end = np.where(year, (end.astype("datetime64[Y]") + 1).astype("datetime64[D]") - one_day, end)
    margin = np.array([PRECISION_MARGIN_DAYS.get(value, 0) for value in precision], dtype="timedelta64[D]")
    return start - margin, end + margin


def _radians(events) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude in radians; NaN where there is no point."""
    geometry = events.geometry
    usable = geometry.notna() & ~geometry.is_empty
    lat = np.full(len(events), np.nan)
    lon = np.full(len(events), np.nan)
    points = geometry[usable]
    if len(points):
        # Events are points; a line or area (should one appear) counts at a point inside it.
        centres = points.representative_point()
        lat[usable.to_numpy()] = centres.y.to_numpy()
        lon[usable.to_numpy()] = centres.x.to_numpy()
    return np.radians(lat), np.radians(lon)


def _group_sets(events: pd.DataFrame) -> list[set[str]]:
    """The groups taking part in each event: every group but those only named."""
    roles_column = events["roles"] if "roles" in events.columns else pd.Series([{}] * len(events), index=events.index)
    return [
        {group for group in (groups or ()) if (roles or {}).get(group) != "named"}
        for groups, roles in zip(events["groups"], roles_column)
    ]


def _membership(sets: list[set[str]], index: dict[str, int]) -> np.ndarray:
    """Boolean matrix: event x group id."""
    matrix = np.zeros((len(sets), len(index)), dtype=bool)
    for row, found in enumerate(sets):
        for group in found:
            if group in index:
                matrix[row, index[group]] = True
    return matrix


def curated_matches(imported, curated, groups: pd.DataFrame) -> dict[str, list[str]]:
    """Imported event id -> the curated event ids it may be the same as (see the module docstring).

    Imported events that match nothing are left out. The curated ids keep the curated frame's
    order (by date).
    """
    if not len(imported) or not len(curated):
        return {}
    imported_start, imported_end = date_bounds(imported)
    curated_start, curated_end = date_bounds(curated)
    imported_lat, imported_lon = _radians(imported)
    curated_lat, curated_lon = _radians(curated)

    # Each curated event's groups with their relatives, and each imported event's groups, as
    # rows of one boolean matrix over every group id either side names.
    relatives: dict[str, set[str]] = {}
    curated_sets = []
    for found in _group_sets(curated):
        expanded: set[str] = set()
        for group in found:
            if group not in relatives:
                relatives[group] = related_groups([group], groups)
            expanded |= relatives[group]
        curated_sets.append(expanded)
    imported_sets = _group_sets(imported)
    group_index = {group: number for number, group in enumerate(sorted(set().union(*curated_sets, *imported_sets)))}
    curated_groups = _membership(curated_sets, group_index).astype(np.uint8)
    imported_groups = _membership(imported_sets, group_index).astype(np.uint8)

    imported_ids = imported["id"].to_numpy()
    curated_ids = curated["id"].to_numpy()
    # Half the chord length squared (the haversine term) that 50 km corresponds to.
    limit = np.sin(MATCH_DISTANCE_KM / EARTH_RADIUS_KM / 2) ** 2
    matches: dict[str, list[str]] = {}
    for first in range(0, len(imported), _BLOCK):
        block = slice(first, first + _BLOCK)
        when = (imported_start[block, None] <= curated_end[None, :]) & (
            curated_start[None, :] <= imported_end[block, None]
        )
        lat = imported_lat[block, None]
        term = (
            np.sin((curated_lat[None, :] - lat) / 2) ** 2
            + np.cos(lat)
            * np.cos(curated_lat[None, :])
            * np.sin((curated_lon[None, :] - imported_lon[block, None]) / 2) ** 2
        )
        where = term <= limit  # NaN (no point) compares False
        who = (imported_groups[block] @ curated_groups.T) > 0
        for row, column in zip(*np.nonzero(when & where & who)):
            matches.setdefault(str(imported_ids[first + row]), []).append(str(curated_ids[column]))
    return matches
