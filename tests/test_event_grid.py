"""The gathered layer of many imported events: the cells the browser draws and the app lists agree,
the payload stays small, made-up data looks like the Sahel's."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest

from geo.event_grid import POSITION_BITS, cell_bounds, cell_of, events_in_cell, mercator_positions, packed, parse_cell
from geo.synthetic import COUNTRY_SHARES, FIRST_YEAR, LAST_YEAR, synthetic_events
from layers import event_grid

# The map payload's budget at 100,000 events (the goal: under 5 MB sent).
PAYLOAD_BUDGET = 5_000_000


@pytest.fixture(scope="module")
def hundred_thousand():
    events = synthetic_events(100_000, seed=7).events
    return events.assign(x=events.geometry.x, y=events.geometry.y)


def decode(text: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.dtype(dtype).newbyteorder("<"))


def rendered(group) -> str:
    import folium

    fmap = folium.Map(tiles=None)
    group.add_to(fmap)
    return fmap.get_root().render()


def grid_data(html: str) -> dict:
    """The gathered layer's settings in the page, its events inline under 'points'."""
    found = re.search(r"map\.atlas\.eventGrid\((\{.*?\})\); \}", html, re.S)
    assert found, "no gathered layer in the page"
    return json.loads(found.group(1))


def layer(shown, datasets, **options):
    return event_grid.build(event_grid.points(shown, datasets), **options)


def test_made_up_events_are_the_same_for_a_seed_and_spread_like_the_sahels(hundred_thousand):
    again = synthetic_events(100_000, seed=7).events
    assert again["id"].tolist() == hundred_thousand["id"].tolist()
    assert again.geometry.equals(hundred_thousand.geometry)
    assert synthetic_events(1000, seed=8).events.geometry.x.tolist() != again.geometry.x.head(1000).tolist()
    years = hundred_thousand["year_start"]
    assert years.min() == FIRST_YEAR and years.max() == LAST_YEAR
    assert (years >= 2018).mean() > 0.6  # most after the conflict spread, as in ACLED
    shares = hundred_thousand["country"].value_counts(normalize=True)
    for (_, country), share in COUNTRY_SHARES.items():
        assert abs(shares[country] - share) < 0.02
    inside = hundred_thousand["x"].between(-18, 24.5) & hundred_thousand["y"].between(7, 29)
    assert inside.all()
    # Clustered round towns: many events share a town, and lie within a few km of it.
    assert hundred_thousand["place_name"].nunique() < 2000
    assert hundred_thousand["type"].value_counts().index[0] == "attack"


def test_positions_are_web_mercator_integers():
    x, y = mercator_positions([-180, 0, 180, 0], [0, 0, 0, 85.05])
    assert x[0] == 0 and x[1] == 2 ** (POSITION_BITS - 1) and x[2] == 2**POSITION_BITS - 1
    assert y[0] == 2 ** (POSITION_BITS - 1) and y[3] < 1000  # north is at the top
    # Timbuktu: ~2.4 m units, so a town's events keep their distinct spots.
    tx, ty = mercator_positions([-3.0077, -3.0076], [16.7735, 16.7735])
    assert tx[1] - tx[0] == 4


def test_a_cells_events_are_those_inside_its_bounds(hundred_thousand):
    zoom = 6
    x, y = mercator_positions(hundred_thousand["x"], hundred_thousand["y"])
    columns, rows = cell_of(x, y, zoom)
    busiest = pd.Series(list(zip(columns, rows))).value_counts().index[0]
    inside = events_in_cell(hundred_thousand, zoom, *busiest)
    assert len(inside) == pd.Series(list(zip(columns, rows))).value_counts().iloc[0] > 100
    west, south, east, north = cell_bounds(zoom, *busiest)
    assert inside["x"].between(west, east).all() and inside["y"].between(south, north).all()
    box = hundred_thousand[hundred_thousand["x"].between(west, east) & hundred_thousand["y"].between(south, north)]
    # The box is the cell and a hair: nothing outside the cell but for points on its very edge.
    assert len(box) - len(inside) <= 2
    # At 64 px a cell, zoom 6 cells are ~1.4 degrees wide.
    assert 1.3 < east - west < 1.5


def test_malformed_cells_are_refused():
    assert parse_cell("6:23:27") == (6, 23, 27)
    for bad in ("", "6:23", "a:b:c", "6:-1:3", "6:999999:3", "99:1:1", "<script>:1:1"):
        assert parse_cell(bad) is None


def test_the_payload_carries_every_event_as_packed_integers(hundred_thousand):
    sample = hundred_thousand.head(5000)
    settings = grid_data(rendered(layer(sample, ["Synthetic ACLED-like"], token="t1")))
    data = settings["points"]
    assert data["count"] == 5000 and settings["token"] == "t1"
    x, y = mercator_positions(sample["x"], sample["y"])
    assert (decode(data["x"], np.uint32) == x).all() and (decode(data["y"], np.uint32) == y).all()
    kinds = decode(data["type"], np.uint8)
    assert [event_grid.TYPES[k] for k in kinds] == sample["type"].tolist()
    # Colours and labels from the style catalogue, the same the legend uses.
    from style import EVENT_TYPE_COLOURS

    assert data["types"][event_grid.TYPES.index("attack")]["colour"] == EVENT_TYPE_COLOURS["attack"]


def test_at_100000_events_the_map_payload_stays_under_budget(hundred_thousand):
    html = rendered(layer(hundred_thousand, ["Synthetic ACLED-like"], token="t"))
    data = grid_data(html)["points"]
    assert data["count"] == 100_000
    assert len(html.encode()) < PAYLOAD_BUDGET / 2  # about 14 bytes an event, base64 included
    assert html.count("CircleMarker") == 0  # never one folium object per event


def test_a_selected_event_and_cell_reach_the_browser(hundred_thousand):
    sample = hundred_thousand.head(100)
    data = grid_data(rendered(layer(sample, ["A"], token="t", selected_index=7, selected_cell="6:23:27")))
    assert data["selectedIndex"] == 7 and data["selectedCell"] == "6:23:27"


def test_dataset_names_reach_the_browser_as_data_not_markup():
    frame = pd.DataFrame({"dataset": ["<img src=x onerror=alert(1)>"], "type": ["attack"], "x": [0.0], "y": [15.0]})
    html = rendered(layer(frame, ["<img src=x onerror=alert(1)>"], token="t"))
    assert "<img src=x" not in html  # JSON in a script: the tag is escaped (\u003c); the map sets it as text
    assert grid_data(html)["points"]["datasets"] == ["<img src=x onerror=alert(1)>"]


def test_events_with_no_point_are_refused_by_the_layer():
    frame = pd.DataFrame({"dataset": ["A"], "type": ["attack"], "x": [None], "y": [None]})
    with pytest.raises(ValueError, match="located"):
        event_grid.points(frame, ["A"])


def test_packed_types_outside_the_atlas_are_other():
    frame = pd.DataFrame(
        {"dataset": ["A", "A"], "type": ["attack", "something-else"], "x": [0.0, 1.0], "y": [15.0, 15.0]}
    )
    kinds = decode(packed(frame, list(event_grid.TYPES), ["A"])["type"], np.uint8)
    assert [event_grid.TYPES[k] for k in kinds] == ["attack", "other"]
