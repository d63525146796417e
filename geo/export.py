"""Export layers as CSV, GeoJSON or GeoPackage.

Every exportable layer is registered in :data:`EXPORT_LAYERS`: a function
from the atlas and the user's event filter to a (Geo)DataFrame. Curated
layers are narrowed by the same :class:`geo.filters.EventFilter` the app
uses; a filtered export of places, groups or people holds those the matching
events involve.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping

from geo.basemap import BASEMAP_LAYERS
from geo.boundaries import boundaries_in_force, load_boundaries
from geo.catalog import Atlas
from geo.filters import EventFilter, events_matching

__all__ = [
    "EXPORT_LAYERS",
    "FORMATS",
    "FORMULA_STARTS",
    "ExportRequest",
    "layer_frame",
    "write_layer",
    "geojson_document",
    "places_with_event_counts",
    "write_package",
    "file_bytes",
    "formula_safe",
    "formulas_neutralised",
]

FORMATS = ("csv", "geojson", "gpkg")
# A spreadsheet opening a CSV runs a cell that starts with one of these (=HYPERLINK(...) calls out).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the event filter, and whether any filter was given at all."""

    event_filter: EventFilter = EventFilter()
    filtered: bool = False


def _matching_events(atlas: Atlas, request: ExportRequest) -> gpd.GeoDataFrame:
    return events_matching(atlas.events, request.event_filter, atlas.groups)


def places_with_event_counts(places: gpd.GeoDataFrame, events: pd.DataFrame) -> gpd.GeoDataFrame:
    """Places with ``event_count``: how many of ``events`` are drawn there or list them."""
    counts = events["places"].explode().value_counts()
    counted = places.copy()
    counted["event_count"] = counted["id"].map(counts).fillna(0).astype(int)
    return counted


def _events_layer(atlas: Atlas, request: ExportRequest) -> gpd.GeoDataFrame:
    return _matching_events(atlas, request)


def _places_layer(atlas: Atlas, request: ExportRequest) -> gpd.GeoDataFrame:
    events = _matching_events(atlas, request)
    places = places_with_event_counts(atlas.places, events)
    return places[places["event_count"] > 0] if request.filtered else places


def _referenced(table: pd.DataFrame, events: pd.DataFrame, column: str, request: ExportRequest) -> pd.DataFrame:
    """The groups or people of the matching events, each with the roles it has in them (``event_roles``)."""
    played: dict[str, set[str]] = {}
    for ids, roles in zip(events[column], events["roles"]):
        for ref in ids:
            played.setdefault(ref, set()).add(roles.get(ref, ""))
    chosen = table[table["id"].isin(played)] if request.filtered else table
    return chosen.assign(event_roles=[sorted(played.get(ref, ())) for ref in chosen["id"]])


def _groups_layer(atlas: Atlas, request: ExportRequest) -> pd.DataFrame:
    return _referenced(atlas.groups, _matching_events(atlas, request), "groups", request)


def _people_layer(atlas: Atlas, request: ExportRequest) -> pd.DataFrame:
    return _referenced(atlas.people, _matching_events(atlas, request), "people", request)


def _boundaries_layer(atlas: Atlas, request: ExportRequest) -> gpd.GeoDataFrame:
    boundaries = load_boundaries()
    year_from, year_to = request.event_filter.year_from, request.event_filter.year_to
    if year_from is None and year_to is None:
        return boundaries
    return boundaries_in_force(
        boundaries, year_from if year_from is not None else 1, year_to if year_to is not None else 9999
    )


def _basemap_layer(name: str) -> Callable[[Atlas, ExportRequest], gpd.GeoDataFrame]:
    def layer(atlas: Atlas, request: ExportRequest) -> gpd.GeoDataFrame:
        return BASEMAP_LAYERS[name]()

    return layer


EXPORT_LAYERS: dict[str, Callable[[Atlas, ExportRequest], pd.DataFrame]] = {
    "places": _places_layer,
    "events": _events_layer,
    "groups": _groups_layer,
    "people": _people_layer,
    "boundaries": _boundaries_layer,
    **{name: _basemap_layer(name) for name in BASEMAP_LAYERS},
}


def layer_frame(name: str, atlas: Atlas, request: ExportRequest = ExportRequest()) -> pd.DataFrame:
    """The rows of layer ``name`` for this request; ``KeyError`` names the known layers."""
    if name not in EXPORT_LAYERS:
        raise KeyError(f"unknown layer {name!r}; expected one of {', '.join(EXPORT_LAYERS)}")
    return EXPORT_LAYERS[name](atlas, request)


def _plain(value):
    """A JSON-ready value: numpy scalars to Python, NaN to None, dates to ISO strings."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA:
        return None
    return value


def geojson_document(frame: pd.DataFrame) -> dict:
    """A FeatureCollection: lists stay JSON arrays; tables without geometry get null geometries."""
    has_geometry = isinstance(frame, gpd.GeoDataFrame)
    columns = [c for c in frame.columns if not (has_geometry and c == frame.geometry.name)]
    features = []
    for position, (_, row) in enumerate(frame.iterrows()):
        geometry = frame.geometry.iloc[position] if has_geometry else None
        features.append(
            {
                "type": "Feature",
                "id": _plain(row["id"]) if "id" in frame.columns else position,
                "properties": {column: _plain(row[column]) for column in columns},
                "geometry": mapping(geometry) if geometry is not None and not geometry.is_empty else None,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists and dicts as JSON text, for formats whose fields are scalars."""
    flat = frame.copy()
    for column in flat.columns:
        if isinstance(flat, gpd.GeoDataFrame) and column == flat.geometry.name:
            continue
        if flat[column].map(lambda v: isinstance(v, (list, dict, tuple))).any():
            flat[column] = flat[column].map(
                lambda v: json.dumps(_plain(v), ensure_ascii=False) if isinstance(v, (list, dict, tuple)) else v
            )
    return flat


def formula_safe(value):
    """``value``, or, for text that a spreadsheet would run as a formula, the same text after a single
    quote (OWASP's advice for CSV files): it then shows as written and is never run.

    >>> print(formula_safe('=HYPERLINK("http://evil.example","x")'))
    '=HYPERLINK("http://evil.example","x")
    >>> formula_safe(-3.0)
    -3.0
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def formulas_neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and column name passed through :func:`formula_safe`, for a CSV file or
    a table whose own download writes one. Numbers stay numbers: a longitude of -3.0 is not a formula."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if isinstance(values.dtype, gpd.array.GeometryDtype) or not (
            pd.api.types.is_object_dtype(values)
            or pd.api.types.is_string_dtype(values)
            or isinstance(values.dtype, pd.CategoricalDtype)
        ):
            continue
        safe[column] = values.map(formula_safe)
    safe.columns = [formula_safe(column) for column in safe.columns]
    return safe


def write_layer(frame: pd.DataFrame, fmt: str, out: Path | str, layer_name: str = "layer") -> Path:
    """Write ``frame`` to ``out`` as csv, geojson or gpkg and return the path."""
    if fmt not in FORMATS:
        raise ValueError(f"format should be one of {', '.join(FORMATS)}, got {fmt!r}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "geojson":
        out.write_text(json.dumps(geojson_document(frame), ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "csv":
        flat = _flat(frame)
        if isinstance(flat, gpd.GeoDataFrame):
            points = flat.geometry
            flat = pd.DataFrame(flat.drop(columns=flat.geometry.name))
            if points.notna().any() and (points.geom_type == "Point").all():
                flat["lon"], flat["lat"] = points.x.round(5), points.y.round(5)
            else:
                flat["wkt"] = points.to_wkt()
        formulas_neutralised(flat).to_csv(out, index=False)  # GeoJSON and GeoPackage keep values as they are
    else:
        import pyogrio

        if out.exists():
            out.unlink()
        pyogrio.write_dataframe(_flat(frame), out, layer=layer_name, driver="GPKG")
    return out


def write_package(frames: dict[str, pd.DataFrame], out: Path | str) -> Path:
    """One GeoPackage holding each frame as a table named after its key (empty frames left out)."""
    import pyogrio

    out = Path(out)
    if out.exists():
        out.unlink()
    for name, frame in frames.items():
        if len(frame):
            pyogrio.write_dataframe(_flat(frame), out, layer=name, driver="GPKG")
    return out


def file_bytes(frames: dict[str, pd.DataFrame], fmt: str) -> bytes:
    """The file a user downloads: a GeoPackage of every frame, or the first frame as CSV or GeoJSON."""
    with tempfile.TemporaryDirectory(prefix="sahel-atlas-") as folder:
        if fmt == "gpkg":
            path = write_package(frames, Path(folder) / "atlas.gpkg")
        else:
            name, frame = next(iter(frames.items()))
            path = write_layer(frame, fmt, Path(folder) / f"{name}.{fmt}", layer_name=name)
        return path.read_bytes()
