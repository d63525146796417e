"""The offline basemap: what a user sees on the map without a network."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

from geo import basemap
from geo.build_basemap import BASEMAP_DIR, OPERATING_AREA
from geo.measure import area_km2

TIMBUKTU = (-3.00, 16.77)
KIDAL = (1.41, 18.44)
BAMAKO = (-8.00, 12.64)


def _distance_km(shape, point):
    """Rough distance in km from a point to a shape (degrees at these latitudes)."""
    return shape.distance(point) * 111


def _named(table, column, value):
    rows = table[table[column] == value]
    assert len(rows) == 1, f"expected one {value!r} in {column}, got {len(rows)}"
    return rows.geometry.iloc[0]


@pytest.mark.parametrize("name", sorted(basemap.BASEMAP_LAYERS))
def test_every_layer_loads_valid_in_wgs84(name):
    layer = basemap.BASEMAP_LAYERS[name]()
    assert len(layer) > 0
    assert layer.crs.to_epsg() == 4326
    assert layer.is_valid.all() and not layer.is_empty.any()


def test_loaders_hand_out_copies():
    first = basemap.countries()
    first.loc[:, "name"] = "changed"
    assert "Mali" in set(basemap.countries()["name"])


def test_countries_cover_the_operating_area_with_names_and_iso_codes():
    countries = basemap.countries()
    west, south, east, north = countries.total_bounds
    area_west, area_south, area_east, area_north = OPERATING_AREA
    assert west <= area_west and south <= area_south and east >= area_east and north >= area_north
    expected = {
        "SN": "Senegal",
        "MR": "Mauritania",
        "ML": "Mali",
        "BF": "Burkina Faso",
        "NE": "Niger",
        "TD": "Chad",
        "LY": "Libya",
        "DZ": "Algeria",
        "TN": "Tunisia",
        "MA": "Morocco",
    }
    names = dict(zip(countries["iso_a2"], countries["name"]))
    assert {code: names.get(code) for code in expected} == expected
    assert countries["iso_a3"].str.fullmatch(r"[A-Z]{3}").all()


@pytest.mark.parametrize("code, published_km2", [("ML", 1_240_000), ("DZ", 2_381_741)])
def test_country_areas_match_published_figures(code, published_km2):
    measured = area_km2(_named(basemap.countries(), "iso_a2", code))
    assert measured == pytest.approx(published_km2, rel=0.03)


def test_neighbouring_countries_meet_without_gaps_or_overlaps():
    countries = basemap.countries().set_index("iso_a2").geometry
    assert shapely.coverage_is_valid(countries.values)
    # Mali and Niger share a border but no area.
    assert countries["ML"].touches(countries["NE"])


def test_each_capital_lies_in_its_own_country():
    countries = basemap.countries().set_index("iso_a2").geometry
    capitals = basemap.capitals()
    assert {"Bamako", "Niamey", "Nouakchott", "Algiers", "Tripoli", "Tunis", "Dakar"} <= set(capitals["name"])
    for _, capital in capitals.iterrows():
        # Within 2 km: Banjul sits on an island at the river mouth.
        assert _distance_km(countries[capital["iso_a2"]], capital.geometry) < 2, capital["name"]


@pytest.mark.parametrize(
    "river, towns",
    [
        ("Niger", [BAMAKO, (-3.03, 16.68), (-0.04, 16.27), (2.11, 13.51)]),
        ("Senegal", [(-11.43, 14.45), (-12.46, 14.9), (-16.49, 16.03)]),
    ],
)
def test_major_rivers_pass_their_towns(river, towns):
    course = _named(basemap.rivers(), "name", river)
    for lon, lat in towns:
        assert course.distance(Point(lon, lat)) < 0.1, (river, lon, lat)


def test_large_lakes_are_named_and_sized():
    lakes = basemap.lakes()
    assert area_km2(_named(lakes, "name", "Lake Chad")) > 5_000
    faguibine = _named(lakes, "name", "Lac Faguibine")
    assert faguibine.distance(Point(TIMBUKTU)) < 1.0


def test_coastlines_run_along_both_seas():
    coast = shapely.union_all(basemap.coastlines().geometry.values)
    assert coast.distance(Point(-17.45, 14.69)) < 0.1  # Dakar, Atlantic
    assert coast.distance(Point(13.19, 32.89)) < 0.1  # Tripoli, Mediterranean


def test_regions_have_curation_and_show_as_approximate():
    regions = basemap.regions()
    assert {"azawad", "el-djouf", "fezzan", "sahara", "sahel"} <= set(regions["id"])
    assert regions["approximate"].all()
    assert regions["basis"].str.len().gt(40).all()
    assert regions["confidence"].isin(["high", "medium", "low"]).all()
    assert regions["aliases"].map(len).gt(0).all()


def test_regions_stay_inside_their_countries():
    for _, region in basemap.regions().iterrows():
        outside = region.geometry.difference(basemap.country_union(region["countries"]))
        assert area_km2(outside) < 1, region["id"]


def test_reports_geography_of_the_regions():
    regions = basemap.regions().set_index("id").geometry
    assert regions["azawad"].contains(Point(TIMBUKTU)) and regions["azawad"].contains(Point(KIDAL))
    assert not regions["azawad"].contains(Point(BAMAKO))
    assert regions["fezzan"].contains(Point(14.43, 27.04))  # Sabha
    assert not regions["fezzan"].contains(Point(13.19, 32.89))  # Tripoli
    assert regions["el-djouf"].contains(Point(-13.05, 20.52))  # Atar
    # The Sahel lies south of the Sahara; the two belts share an edge only.
    assert area_km2(regions["sahara"].intersection(regions["sahel"])) < 1
    assert regions["sahel"].contains(Point(2.11, 13.51))  # Niamey


def test_committed_basemap_stays_small():
    total = sum(p.stat().st_size for p in Path(BASEMAP_DIR).glob("*.geojson"))
    assert total < 3_000_000


@pytest.mark.skipif(shutil.which("gmt") is None, reason="needs Debian's gmt, gmt-dcw, gmt-gshhg-high")
def test_rebuild_reproduces_the_committed_files():
    result = subprocess.run([sys.executable, "-m", "geo.build_basemap", "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
