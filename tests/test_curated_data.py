"""The bundled dataset: valid, traceable to the reports, and complete where users look first."""

import pytest

from geo.catalog import load_atlas, read_records
from geo.cli import main
from geo.filters import resolve_names


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_bundled_data_validates_against_the_reports(seeds, capsys):
    # Every reference resolves, every point is in its country, every locator is in its report.
    assert main(["validate", "--sources", str(seeds)]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.startswith("OK:")


def test_every_record_cites_a_report():
    records = read_records()
    for table in ("places", "groups", "people", "events"):
        assert all(record["sources"] for record in records[table]), table


@pytest.mark.parametrize("spelling, place", [
    ("Tombouctou", "timbuktu"), ("Ménaka", "menaka"), ("Alleg", "aleg"), ("Chenkiti", "chinguetti"),
    ("Azwad", "azawad"), ("In Amenas", "in-amenas"), ("Arlit", "arlit"), ("Kidal", "kidal"),
])
def test_places_are_found_by_the_spellings_the_reports_use(atlas, spelling, place):
    assert resolve_names([spelling], atlas.places, "place") == (place,)


@pytest.mark.parametrize("spelling", ["Belmokhtar", "Khaled Abou El-Abbas", "Bal’ur", "Mokhtar Balmokhtar",
                                      "Laaouer"])
def test_belmokhtar_under_each_of_his_names(atlas, spelling):
    assert resolve_names([spelling], atlas.people, "person") == ("mokhtar-belmokhtar",)


def test_the_in_amenas_gas_plant_is_its_own_site(atlas):
    sites = atlas.places.set_index("id")
    assert sites.loc["in-amenas-gas-plant", "kind"] == "site"
    assert sites.loc["in-amenas-gas-plant", "geometry"] != sites.loc["in-amenas", "geometry"]


def test_disputed_2003_tourist_count_keeps_both_claims(atlas):
    claims = atlas.disagreements.set_index("event").loc["2003-tourist-kidnapping"]
    claims = claims if claims.ndim == 2 else claims.to_frame().T
    values = {claim["value"] for row in claims["claims"] for claim in row}
    assert any("32" in v for v in values) and any("34" in v for v in values)
