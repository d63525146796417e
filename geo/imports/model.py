"""The event model imported data lands in: the curated event columns, and what only imports have.

Imported events are never cited to the five reports: ``sources`` and
``source_ids`` stay empty, and ``origin`` / ``dataset`` say where each came from.
Ids are ``<dataset>:<original id>``, so they never collide with curated ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.catalog import CRS

__all__ = [
    "CURATED_COLUMNS",
    "IMPORTED_COLUMNS",
    "IMPORT_FORMATS",
    "RefusedRow",
    "ImportResult",
    "empty_imported_events",
    "finish_events",
]

IMPORT_FORMATS = ("acled", "gtd", "csv", "geojson")

# The curated events' columns (geo.catalog._events_frame), in the same order.
CURATED_COLUMNS = (
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "type",
    "type_label",
    "title",
    "summary",
    "place",
    "place_name",
    "location_precision",
    "places",
    "route",
    "groups",
    "people",
    "roles",
    "no_actor",
    "hostage_count",
    "hostage_nationalities",
    "money",
    "sources",
    "source_ids",
    "note",
    "geometry",
    "leading_groups",
    "year_start",
    "year_end",
)

# What only imported events carry.
IMPORTED_ONLY = (
    "dataset",  # the workspace dataset's name, e.g. "ACLED Burkina Faso 2020"
    "origin",  # the format it came from: acled, gtd, csv, geojson
    "original_id",  # the id in the source file (ACLED event_id_cnty, GTD eventid, a CSV id column or the row)
    "original_type",  # the source's own type, e.g. "Violence against civilians / Abduction/forced disappearance"
    "actors",  # every actor named, as the file wrote it (resolved ones too), list of str
    "country",  # country name as the file gives it (or found from the point)
    "admin1",  # first-level region, where known
    "fatalities",  # Int64, where known
    "ransom",  # text, where known (GTD)
    "source_text",  # the file's own source field (ACLED source, GTD scite1-3, a CSV source column)
    "geocode",  # how the point was found: "coordinates", or what a place name matched and how sure
    "row",  # the row number in the file (1 = the first data row)
    "original",  # the original row, whole, as a dict of str
)
IMPORTED_COLUMNS = CURATED_COLUMNS + IMPORTED_ONLY


@dataclass(frozen=True)
class RefusedRow:
    """A row that was not imported, and why (for the user: row number as a spreadsheet shows it)."""

    row: int
    reason: str


@dataclass
class ImportResult:
    """What an import read, mapped and refused."""

    events: gpd.GeoDataFrame
    read: int
    refused: list[RefusedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the whole file (columns, encoding, size)
    origin: str = ""

    @property
    def imported(self) -> int:
        return len(self.events)

    def summary(self) -> str:
        return f"{self.read} row(s) read, {self.imported} imported, {len(self.refused)} refused" + (
            f"; {'; '.join(self.problems)}" if self.problems else ""
        )


def empty_imported_events() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {column: pd.Series(dtype=object) for column in IMPORTED_COLUMNS if column != "geometry"},
        geometry=gpd.GeoSeries([], crs=CRS),
        crs=CRS,
    )[list(IMPORTED_COLUMNS)]


def finish_events(rows: list[dict]) -> gpd.GeoDataFrame:
    """A frame of imported events from row dicts (each with every IMPORTED_COLUMNS key except the derived
    ``leading_groups``, ``year_start``, ``year_end``, ``type_label``, ``source_ids``)."""
    from geo.catalog import leading_groups
    from geo.schema import EVENT_TYPES

    if not rows:
        return empty_imported_events()
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    frame["type_label"] = frame["type"].map(lambda t: EVENT_TYPES.get(t, t))
    frame["source_ids"] = [[] for _ in range(len(frame))]
    frame["sources"] = [[] for _ in range(len(frame))]
    frame["leading_groups"] = [leading_groups(g, r) for g, r in zip(frame["groups"], frame["roles"])]
    frame["year_start"] = frame["date_start"].str[:4].astype("Int64")
    frame["year_end"] = frame["date_end"].str[:4].astype("Int64")
    frame["fatalities"] = pd.array(frame["fatalities"], dtype="Int64")
    for column in IMPORTED_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(IMPORTED_COLUMNS)].sort_values(["date_start", "id"], ignore_index=True)
