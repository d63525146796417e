"""Imported events matched to curated ones: when, where and who."""

import math
import time

import numpy as np
import pytest
from shapely.geometry import Point

from geo.imports.matching import curated_matches, date_bounds
from geo.imports.model import finish_events

ARLIT = (18.74, 7.39)  # lat, lon
ARLIT_KIDNAPPING = "2010-09-arlit-kidnapping"


def imported(
    number: int,
    lat: float,
    lon: float,
    date: str,
    groups=("aqim",),
    precision: str = "day",
    date_end: str | None = None,
    roles=None,
) -> dict:
    """An ACLED-like imported event."""
    return {
        "id": f"ACLED Niger:NIG{number}",
        "date_start": date,
        "date_end": date_end or date,
        "date_precision": precision,
        "type": "kidnapping",
        "title": "Abduction",
        "summary": None,
        "place": None,
        "place_name": "Arlit",
        "location_precision": "exact",
        "places": [],
        "route": [],
        "groups": list(groups),
        "people": [],
        "roles": roles if roles is not None else {group: "actor" for group in groups},
        "no_actor": None,
        "hostage_count": None,
        "hostage_nationalities": [],
        "money": [],
        "note": None,
        "geometry": Point(lon, lat),
        "dataset": "ACLED Niger",
        "origin": "acled",
        "original_id": f"NIG{number}",
        "original_type": "Violence against civilians / Abduction/forced disappearance",
        "actors": ["AQIM: Al Qaeda in the Islamic Maghreb"],
        "country": "Niger",
        "admin1": "Agadez",
        "fatalities": 0,
        "ransom": None,
        "source_text": "AFP",
        "geocode": "coordinates",
        "row": number,
        "original": {},
    }


def north_of(lat: float, km: float) -> float:
    return lat + math.degrees(km / 6371.0)


def matched(atlas, *rows) -> dict[str, list[str]]:
    return curated_matches(finish_events(list(rows)), atlas.events, atlas.groups)


def test_the_arlit_kidnapping_is_found(atlas):
    assert ARLIT_KIDNAPPING in set(atlas.events["id"])
    matches = matched(atlas, imported(1, *ARLIT, "2010-09-16"))
    assert ARLIT_KIDNAPPING in matches["ACLED Niger:NIG1"]
    # the ransom demand that followed (approximate, from that day) is at Arlit by AQIM too
    assert "arlit-hostages-ransom-demand" in matches["ACLED Niger:NIG1"]


def test_too_far_too_late_or_another_group_is_not_a_match(atlas):
    matches = matched(
        atlas,
        imported(2, north_of(ARLIT[0], 60), ARLIT[1], "2010-09-16"),  # 60 km north
        imported(3, ARLIT[0], ARLIT[1], "2010-10-16"),  # a month later, day precision
        imported(4, *ARLIT, "2010-09-16", groups=("malian-armed-forces",)),  # another group
        imported(5, *ARLIT, "2010-09-16", groups=("aqim",), roles={"aqim": "named"}),  # AQIM only named
    )
    for number in (2, 3, 4, 5):
        assert ARLIT_KIDNAPPING not in matches.get(f"ACLED Niger:NIG{number}", [])
    assert "ACLED Niger:NIG2" not in matches and "ACLED Niger:NIG4" not in matches


def test_within_50_km_matches(atlas):
    matches = matched(atlas, imported(6, north_of(ARLIT[0], 45), ARLIT[1], "2010-09-16"))
    assert ARLIT_KIDNAPPING in matches["ACLED Niger:NIG6"]


def test_a_related_group_counts(atlas):
    """A brigade or successor of the curated event's group shares it: AQIM's Sahara emirate, say."""
    from geo.filters import related_groups

    relatives = sorted(related_groups(["aqim"], atlas.groups) - {"aqim"})
    assert relatives
    matches = matched(atlas, imported(7, *ARLIT, "2010-09-16", groups=(relatives[0],)))
    assert ARLIT_KIDNAPPING in matches["ACLED Niger:NIG7"]


def test_an_imprecise_imported_date_is_widened(atlas):
    # Month precision: October's first day still overlaps nothing of September...
    assert ARLIT_KIDNAPPING not in matched(
        atlas, imported(8, *ARLIT, "2010-10-01", precision="month", date_end="2010-10-31")
    ).get("ACLED Niger:NIG8", [])
    # ...but an approximate date in early October reaches back into September.
    matches = matched(atlas, imported(9, *ARLIT, "2010-10-10", precision="approximate"))
    assert ARLIT_KIDNAPPING in matches["ACLED Niger:NIG9"]


def test_date_bounds_follow_the_precision():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "date_start": ["2010-09-16", "2010-09-16", "2010-09-16", "2010-09-16", None],
            "date_end": ["2010-09-16", None, "2010-09-16", "2010-09-16", None],
            "date_precision": ["day", "month", "year", "approximate", "day"],
        }
    )
    start, end = date_bounds(frame)
    assert [str(day) for day in start[:4]] == ["2010-09-16", "2010-09-01", "2010-01-01", "2010-08-16"]
    assert [str(day) for day in end[:4]] == ["2010-09-16", "2010-09-30", "2010-12-31", "2010-10-17"]
    assert np.isnat(start[4]) and np.isnat(end[4])


def test_ten_thousand_imported_events_are_quick(atlas):
    rng = np.random.default_rng(1)
    rows = [
        imported(
            number,
            12 + rng.random() * 10,
            -5 + rng.random() * 15,
            f"{2003 + number % 11}-{1 + number % 12:02d}-{1 + number % 28:02d}",
        )
        for number in range(10_000)
    ]
    events = finish_events(rows)
    started = time.perf_counter()
    matches = curated_matches(events, atlas.events, atlas.groups)
    assert time.perf_counter() - started < 2.0
    assert all(ids for ids in matches.values())


def test_nothing_to_match(atlas):
    from geo.imports.model import empty_imported_events

    assert curated_matches(empty_imported_events(), atlas.events, atlas.groups) == {}


@pytest.mark.parametrize("missing", ["geometry", "date"])
def test_events_without_a_point_or_a_date_match_nothing(atlas, missing):
    row = imported(10, *ARLIT, "2010-09-16")
    if missing == "geometry":
        row["geometry"] = None
    else:
        row["date_start"] = row["date_end"] = None
        row["date_precision"] = None
    events = finish_events([row]) if missing == "geometry" else _without_years(row)
    assert curated_matches(events, atlas.events, atlas.groups) == {}


def _without_years(row):
    """finish_events reads the year from the date; build the frame by hand for an undated event."""
    import geopandas as gpd

    from geo.imports.model import IMPORTED_COLUMNS

    frame = gpd.GeoDataFrame([row], geometry="geometry", crs="EPSG:4326")
    for column in IMPORTED_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame
