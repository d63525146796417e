"""'Zoom to these events': the view that shows every event of a chosen country, group or dataset."""

from __future__ import annotations

import math

from tests.apptest import map_args, run
from ui.zoom_to import MAP_SIZE, view_for_bounds


def _in_view(lat0: float, lon0: float, zoom: float, lat: float, lon: float) -> bool:
    scale = 256 * 2**zoom
    mercator = lambda value: math.log(math.tan(math.pi / 4 + math.radians(value) / 2))
    dx = (lon - lon0) / 360 * scale
    dy = (mercator(lat) - mercator(lat0)) / (2 * math.pi) * scale
    return abs(dx) <= MAP_SIZE[0] / 2 + 1 and abs(dy) <= MAP_SIZE[1] / 2 + 1


def test_the_view_holds_the_bounds_and_no_more_than_a_quarter_step_beyond():
    lat, lon, zoom = view_for_bounds((-5.0, 10.0, 3.0, 20.0))
    assert all(_in_view(lat, lon, zoom, y, x) for x in (-5, 3) for y in (10, 20))
    assert not all(_in_view(lat, lon, zoom + 0.5, y, x) for x in (-5, 3) for y in (10, 20))
    assert view_for_bounds((2.1, 13.5, 2.1, 13.5))[2] == 8  # one town: the town and its surroundings


def test_choosing_a_country_offers_to_zoom_to_its_events(atlas):
    app = run({"country": "Niger"})
    app.button(key="zoom_to_events").click().run()
    args = map_args(app)
    (lat, lon), zoom = args["center"], args["zoom"]
    niger = atlas.events[(atlas.events["country"] == "Niger") & atlas.events.geometry.notna()]
    assert len(niger) > 3 and zoom > 4  # closer than the whole operating area
    assert all(_in_view(lat, lon, zoom, point.y, point.x) for point in niger.geometry)


def test_no_zoom_is_offered_without_a_country_group_or_dataset():
    app = run()
    assert not [button for button in app.button if button.key == "zoom_to_events"]
