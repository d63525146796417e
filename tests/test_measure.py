"""Areas and distances the reports talk about."""

import geopandas as gpd
import pytest
import shapely

from geo import basemap
from geo.measure import area_km2, great_circle_km, sahara_vs_france_belgium

ALGIERS = (3.06, 36.75)
BAMAKO = (-8.00, 12.65)
TIMBUKTU = (-3.00, 16.77)


def test_area_is_equal_area_not_degrees():
    # A 1-degree cell holds ~12,300 km2 at the equator and half that at 60 N.
    assert area_km2(shapely.box(0, 0, 1, 1)) == pytest.approx(12_308, rel=0.001)
    assert area_km2(shapely.box(0, 60, 1, 61)) == pytest.approx(6_131, rel=0.01)


def test_area_of_a_table_keeps_its_rows():
    countries = basemap.countries().set_index("iso_a2")
    areas = area_km2(countries)
    assert list(areas.index) == list(countries.index)
    assert areas["ML"] == pytest.approx(1_240_000, rel=0.03)


def test_area_refuses_what_it_cannot_measure():
    with pytest.raises(TypeError, match="got list"):
        area_km2([1, 2])
    with pytest.raises(ValueError, match="CRS"):
        area_km2(gpd.GeoSeries([shapely.box(0, 0, 1, 1)]))


def test_great_circle_distances_between_places():
    assert great_circle_km(*BAMAKO, *TIMBUKTU) == pytest.approx(705, abs=2)
    assert great_circle_km(*TIMBUKTU, *BAMAKO) == pytest.approx(great_circle_km(*BAMAKO, *TIMBUKTU))
    assert great_circle_km(*BAMAKO, *BAMAKO) == 0
    # AQIM's command in northern Algeria is ~2,300 km (1,400 miles) from Timbuktu.
    assert great_circle_km(*ALGIERS, *TIMBUKTU) == pytest.approx(2_293, abs=5)


def test_great_circle_refuses_swapped_coordinates():
    with pytest.raises(ValueError, match="lat1"):
        great_circle_km(16.77, 95.0, -8.0, 12.65)


def test_france_and_belgium_side_of_the_letters_comparison():
    comparison = sahara_vs_france_belgium()
    assert comparison.france_km2 == pytest.approx(551_500, rel=0.02)  # metropolitan France
    assert comparison.belgium_km2 == pytest.approx(30_689, rel=0.02)
    assert comparison.france_and_belgium_km2 == pytest.approx(582_000, rel=0.02)


def test_sahara_emirate_is_several_times_france_and_belgium():
    comparison = sahara_vs_france_belgium()
    assert comparison.region_name == "Emirate of the Sahara"
    assert comparison.ratio == pytest.approx(comparison.region_km2 / comparison.france_and_belgium_km2)
    assert 5 < comparison.ratio < 9
    assert "France and Belgium combined" in comparison.describe()
    assert comparison.source["source"].startswith("002_")


def test_held_northern_mali_is_closer_to_the_letters_figure():
    comparison = sahara_vs_france_belgium("jihadist-held-northern-mali")
    assert 1.2 < comparison.ratio < 1.6


def test_unknown_region_is_named_in_the_error():
    with pytest.raises(KeyError, match="atlantis"):
        sahara_vs_france_belgium("atlantis")
