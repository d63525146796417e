"""Import and workspace speed. Prints numbers; the last line is one JSON object.

- acled_import_s: the Burkina Faso ACLED export (../shared/data/acled/acled_burkina_faso_hdx_export.csv,
  ~2,700 rows) through ``geo.imports.read.import_file(..., "acled", ...)``, median of 3 (the curated
  atlas loaded first, as it is in the app)
- workspace_save_s: 10,000 imported events (the Burkina events repeated, points jittered by up to
  ~5 km, new ids) saved as one dataset into a workspace in a temporary folder, median of 3
- workspace_load_s: ``Workspace.events()`` on that file with the per-process cache emptied, median of 3
- workspace_cached_load_ms: the same with the cache warm (a Streamlit rerun when nothing changed)
- filter_rerun_ms: median over a few filters of ``geo.filters.events_matching`` on the 10,000 events
  plus the map's own layer of what it keeps (``layers.event_grid.points``, the packed events written
  as the browser fetches them); ``full_frame_json_ms`` is ``frame.to_json()`` of every column, for comparison
Goals on a 2-core machine: import under 3 s, rerun under 500 ms.

Where the time goes (this machine, 2 cores): the ACLED import (~0.6-0.8 s) is reading the CSV
and mapping ~2,700 rows one by one (dates, actors resolved against the curated groups, the
original row kept whole). Saving 10,000 events (~1.5 s, ~20 MB file) is a third turning lists and
dicts into JSON text (mostly ``original``, the whole ACLED row: ~1 kB an event, half the file),
half GDAL writing the layer and its R-tree, the rest copying the old file and fsync; replacing a
dataset adds a VACUUM when the freed space reaches a quarter of the file. Loading (~0.8 s) is
GDAL reading (~0.1 s), decoding the JSON columns (one parse a column, ~0.25 s) and
``finish_events`` rebuilding the frame; a rerun with the file unchanged hits the per-process
cache (well under 1 ms).

``events_matching`` over 10,000 events takes ~10-20 ms; the map's layer carries only each event's
packed position, type and dataset (~14 bytes an event, see bench/scale.py) and the panel reads
the full record when an event is clicked; ``to_json`` of every column would take ~1 s for all
events (22 MB, ``original`` and ``summary`` most of it).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACLED_FILE = ROOT.parent / "shared" / "data" / "acled" / "acled_burkina_faso_hdx_export.csv"
DATASET = "ACLED Burkina Faso"
TARGET_EVENTS = 10_000
ROUNDS = 3


def _median_time(run, rounds: int = ROUNDS) -> tuple[float, object]:
    timings, value = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        value = run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), value


def acled_import():
    from geo.catalog import load_atlas
    from geo.imports.read import import_file

    load_atlas()
    seconds, result = _median_time(lambda: import_file(ACLED_FILE, "acled", DATASET, file_name=ACLED_FILE.name))
    print(f"ACLED import: {result.summary()} in {seconds:.2f} s (median of {ROUNDS})")
    return seconds, result


def ten_thousand(events):
    """The events repeated until there are 10,000, each copy with new ids and points moved a little."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(2013)
    copies = []
    for copy in range(-(-TARGET_EVENTS // len(events))):
        frame = events.copy()
        frame["id"] = frame["id"] + f"-{copy}"
        frame["original_id"] = frame["original_id"].astype(str) + f"-{copy}"
        shift = rng.uniform(-0.05, 0.05, size=(len(frame), 2)) if copy else np.zeros((len(frame), 2))
        frame = frame.set_geometry(
            gpd.points_from_xy(frame.geometry.x + shift[:, 0], frame.geometry.y + shift[:, 1], crs=events.crs)
        )
        copies.append(frame)
    big = pd.concat(copies, ignore_index=True).iloc[:TARGET_EVENTS]
    return gpd.GeoDataFrame(big, geometry="geometry", crs=events.crs).sort_values(
        ["date_start", "id"], ignore_index=True
    )


def workspace_times(events) -> dict[str, float]:
    import geo.workspace
    from geo.imports.model import ImportResult
    from geo.workspace import Workspace

    result = ImportResult(events=events, read=len(events), origin="acled")
    with tempfile.TemporaryDirectory(prefix="sahel-atlas-bench-") as folder:
        workspace = Workspace(Path(folder) / "workspace.gpkg")
        save_s, _ = _median_time(
            lambda: workspace.save_dataset(DATASET, result, ACLED_FILE.name, "acled", replace=True)
        )
        size = workspace.path.stat().st_size

        def cold_load():
            geo.workspace.forget_reads()
            return workspace.events()

        load_s, loaded = _median_time(cold_load)
        cached_s, _ = _median_time(workspace.events, rounds=5)
    print(
        f"workspace: {len(events):,} events saved in {save_s:.2f} s ({size / 1e6:.1f} MB), loaded in "
        f"{load_s:.2f} s, {cached_s * 1000:.2f} ms when unchanged (cached)"
    )
    return {
        "workspace_save_s": round(save_s, 3),
        "workspace_load_s": round(load_s, 3),
        "workspace_cached_load_ms": round(cached_s * 1000, 3),
        "workspace_bytes": size,
        "loaded": loaded,
    }


# What a map layer of imported events would carry: enough to draw, colour and label a mark.
LAYER_COLUMNS = [
    "id",
    "title",
    "type",
    "type_label",
    "date_start",
    "date_end",
    "dataset",
    "place_name",
    "fatalities",
    "leading_groups",
    "geometry",
]


def filter_reruns(events) -> dict[str, float]:
    from geo.catalog import load_atlas
    from geo.filters import EventFilter, events_matching

    atlas = load_atlas()
    years = sorted(set(events["year_start"].dropna()))
    first, last = int(years[0]), int(years[-1])
    filters = [
        EventFilter(),
        EventFilter(year_from=last, year_to=last),
        EventFilter(year_from=first, year_to=last),
        EventFilter(types=("kidnapping", "attack")),
        EventFilter(text="village"),
    ]
    matching, full, slim, sizes = [], [], [], []
    for _ in range(ROUNDS):
        for event_filter in filters:
            started = time.perf_counter()
            shown = events_matching(events, event_filter, atlas.groups)
            matched = time.perf_counter()
            layer = _layer_geojson(shown)
            drawn = time.perf_counter()
            full_json = shown.to_json()
            matching.append((matched - started) * 1000)
            slim.append((drawn - started) * 1000)
            full.append((matched - started + time.perf_counter() - drawn) * 1000)
            sizes.append((len(shown), len(layer), len(full_json)))
    print(
        f"filter rerun over {len(events):,} events, events_matching + the map's layer: median "
        f"{statistics.median(slim):.0f} ms, max {max(slim):.0f} ms (all events: {sizes[0][1] / 1e6:.2f} MB of "
        f"packed layer data); events_matching alone: median {statistics.median(matching):.1f} ms; with to_json of "
        f"every column instead: median {statistics.median(full):.0f} ms ({sizes[0][2] / 1e6:.1f} MB)"
    )
    return {
        "filter_rerun_ms": round(statistics.median(slim), 1),
        "events_matching_ms": round(statistics.median(matching), 1),
        "full_frame_json_ms": round(statistics.median(full), 1),
    }


def _layer_geojson(shown) -> str:
    """The imported events as the map gets them: the gathered layer's packed events, written out."""
    from layers import event_grid

    located = shown.assign(x=shown.geometry.x, y=shown.geometry.y)
    located = located[located["x"].notna()]
    return json.dumps(event_grid.points(located, list(dict.fromkeys(located["dataset"]))))


def main() -> None:
    import_s, result = acled_import()
    events = ten_thousand(result.events)
    numbers = workspace_times(events)
    loaded = numbers.pop("loaded")
    reruns = filter_reruns(loaded)
    print(
        json.dumps(
            {
                "acled_import_s": round(import_s, 3),
                "acled_rows_read": result.read,
                "acled_imported": result.imported,
                "events": len(events),
                **numbers,
                **reruns,
            }
        )
    )


if __name__ == "__main__":
    main()
