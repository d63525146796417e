"""'Zoom to these events': the map view (centre and zoom) that shows every event shown.

A country, a group or a dataset chosen in the filters may lie outside the view on
screen; the button beside the headline brings them into it. The zoom is worked out
for a map of the dashboard's usual size, in Leaflet's quarter steps.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["MAP_SIZE", "events_bounds", "view_for_bounds"]

MAP_SIZE = (900, 640)  # the dashboard map's pixels at 1440 x 900, a little under, so all fit
_SMALLEST_ZOOM, _LARGEST_ZOOM = 3.0, 8.0  # a single town is shown with its surroundings


def events_bounds(*frames: pd.DataFrame | None) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the located events in ``frames`` (the reports' with a geometry,
    imported ones with ``x``/``y``); None if none is located."""
    lons, lats = [], []
    for frame in frames:
        if frame is None or frame.empty:
            continue
        if "x" in frame.columns and "y" in frame.columns:
            lons.append(frame["x"].to_numpy(float))
            lats.append(frame["y"].to_numpy(float))
        else:
            located = frame.geometry[frame.geometry.notna()]
            lons.append(located.x.to_numpy(float))
            lats.append(located.y.to_numpy(float))
    lon, lat = np.concatenate(lons or [np.empty(0)]), np.concatenate(lats or [np.empty(0)])
    keep = np.isfinite(lon) & np.isfinite(lat)
    if not keep.any():
        return None
    return float(lon[keep].min()), float(lat[keep].min()), float(lon[keep].max()), float(lat[keep].max())


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def view_for_bounds(
    bounds: tuple[float, float, float, float], size: tuple[int, int] = MAP_SIZE, largest_zoom: float = _LARGEST_ZOOM
) -> tuple[float, float, float]:
    """(lat, lon, zoom) of a map of ``size`` pixels that shows ``bounds``, the zoom in quarter steps."""
    west, south, east, north = bounds
    width, height = size
    zooms = [largest_zoom]
    if east - west > 1e-6:
        zooms.append(math.log2(width * 360 / (256 * (east - west))))
    if north - south > 1e-6:
        zooms.append(math.log2(height * 2 * math.pi / (256 * (_mercator_y(north) - _mercator_y(south)))))
    zoom = max(_SMALLEST_ZOOM, math.floor(min(zooms) * 4) / 4)
    centre_y = (_mercator_y(north) + _mercator_y(south)) / 2
    lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return round(lat, 4), round((west + east) / 2, 4), zoom
