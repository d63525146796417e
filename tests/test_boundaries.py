"""Organisational boundaries as the reports describe them, year by year."""

import pytest
from pydantic import ValidationError
from shapely.geometry import Point

from geo.boundaries import (
    BOUNDARY_KINDS,
    boundaries_in_force,
    describe_years,
    load_boundaries,
    read_boundary_records,
)
from geo.measure import area_km2

SABHA = Point(14.43, 27.04)
TRIPOLI = Point(13.19, 32.89)
TUNIS = Point(10.18, 36.81)
TIMBUKTU = Point(-3.00, 16.77)
KIDAL = Point(1.41, 18.44)
BAMAKO = Point(-8.00, 12.64)


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries()


@pytest.fixture(scope="module")
def outline(boundaries):
    return boundaries.set_index("id").geometry


def test_every_boundary_is_complete_and_valid(boundaries):
    required = {
        "id",
        "name",
        "kind",
        "valid_from",
        "valid_to",
        "approximate",
        "basis",
        "confidence",
        "sources",
        "note",
        "geometry",
    }
    assert required <= set(boundaries.columns)
    assert boundaries.crs.to_epsg() == 4326
    assert boundaries.is_valid.all() and not boundaries.is_empty.any()
    assert boundaries["kind"].isin(list(BOUNDARY_KINDS)).all()
    assert boundaries["sources"].map(len).gt(0).all()
    for sources in boundaries["sources"]:
        assert all(set(s) == {"source", "locator"} for s in sources)


def test_ongoing_boundaries_have_no_end_date(boundaries):
    ends = dict(zip(boundaries["id"], boundaries["valid_to"]))
    assert ends["emirate-of-the-sahara"] is None
    assert ends["jihadist-held-northern-mali"] == "2013-01-31"


def test_hand_drawn_outlines_are_flagged_approximate(boundaries):
    flags = dict(zip(boundaries["id"], boundaries["approximate"]))
    assert flags["aqim-sphere-of-operations-2010"] and flags["emirate-of-the-sahara"]


def test_sabha_is_in_the_sahara_emirate_not_the_maghreb(outline):
    assert outline["emirate-of-the-sahara"].contains(SABHA)
    assert not outline["emirate-of-the-islamic-maghreb"].contains(SABHA)


def test_tripoli_and_tunis_are_in_the_maghreb_emirate(outline):
    assert outline["emirate-of-the-islamic-maghreb"].contains(TRIPOLI)
    assert outline["emirate-of-the-islamic-maghreb"].contains(TUNIS)


def test_the_two_emirates_do_not_overlap(outline):
    shared = outline["emirate-of-the-sahara"].intersection(outline["emirate-of-the-islamic-maghreb"])
    assert area_km2(shared) < 10


@pytest.mark.parametrize("boundary", ["jihadist-held-northern-mali", "proposed-islamic-state-of-azawad"])
def test_northern_mali_holds_kidal_and_timbuktu_not_bamako(outline, boundary):
    assert outline[boundary].contains(KIDAL) and outline[boundary].contains(TIMBUKTU)
    assert not outline[boundary].contains(BAMAKO)


def test_sphere_of_operations_spans_the_four_countries_the_report_names(outline):
    sphere = outline["aqim-sphere-of-operations-2010"]
    for lon, lat in [(5.52, 22.79), (1.41, 18.44), (-12.48, 22.73), (7.38, 18.74)]:
        assert sphere.contains(Point(lon, lat))  # Tamanrasset, Kidal, Zouérat, Arlit
    assert not sphere.contains(BAMAKO)


def test_boundaries_in_2005_differ_from_2012_as_the_reports_say(boundaries):
    in_2005 = set(boundaries_in_force(boundaries, 2005, 2005)["id"])
    in_2012 = set(boundaries_in_force(boundaries, 2012, 2012)["id"])
    assert in_2005 == {"gspc-ninth-region"}
    assert in_2012 == {
        "emirate-of-the-islamic-maghreb",
        "emirate-of-the-sahara",
        "jihadist-held-northern-mali",
        "proposed-islamic-state-of-azawad",
    }


def test_year_range_is_inclusive_at_both_ends(boundaries):
    assert "aqim-sphere-of-operations-2010" in set(boundaries_in_force(boundaries, 2010, 2010)["id"])
    assert set(boundaries_in_force(boundaries, 2003, 2013)["id"]) == set(boundaries["id"])
    assert boundaries_in_force(boundaries, 2014, 2020)["id"].tolist() == [
        "emirate-of-the-islamic-maghreb",
        "emirate-of-the-sahara",
    ]


def test_bad_year_range_says_what_was_expected(boundaries):
    with pytest.raises(ValueError, match="should not be after"):
        boundaries_in_force(boundaries, 2012, 2005)
    with pytest.raises(TypeError, match="should be a GeoDataFrame"):
        boundaries_in_force(boundaries.to_dict(), 2005, 2012)


def test_describe_years_reads_as_a_caption():
    assert describe_years(2005, 2005) == "boundaries in force in 2005"
    assert describe_years(2006, 2012) == "boundaries in force between 2006 and 2012"


def _one_boundary(tmp_path, fields: str):
    """A boundaries file holding one record with the given extra fields."""
    path = tmp_path / "boundaries.yaml"
    path.write_text(
        "- {id: x, name: X, kind: emirate, basis: b, confidence: low,\n"
        f"   {fields},\n"
        "   sources: [{source: s.txt, locator: some words here}]}\n",
        encoding="utf-8",
    )
    return path


def test_curation_mistakes_are_refused(tmp_path):
    path = _one_boundary(tmp_path, "valid_from: '2012-01-01', valid_to: '2011-01-01', compose: {countries: [ML]}")
    with pytest.raises(ValidationError, match="before valid_from"):
        read_boundary_records(path)


def test_unknown_region_in_a_boundary_is_named(tmp_path):
    path = _one_boundary(tmp_path, "valid_from: '2012-01-01', compose: {regions: [atlantis]}")
    with pytest.raises(KeyError, match="atlantis"):
        load_boundaries(path)
