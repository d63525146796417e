"""The bundled dataset: valid, traceable to the reports, and complete where users look first."""

import re

import pytest
import yaml

from cli import main
from geo.catalog import DATA_DIR, TABLE_FILES, read_records
from geo.filters import resolve_names


def test_bundled_data_validates_against_the_reports(seeds, capsys):
    # Every reference resolves, every point is in its country, every locator is in its report.
    assert main(["validate", "--sources", str(seeds)]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.startswith("OK:")


def test_every_record_cites_a_report():
    records = read_records()
    for table in ("places", "groups", "people", "events"):
        assert all(record["sources"] for record in records[table]), table


@pytest.mark.parametrize(
    "spelling, place",
    [
        ("Tombouctou", "timbuktu"),
        ("Ménaka", "menaka"),
        ("Alleg", "aleg"),
        ("Chenkiti", "chinguetti"),
        ("Azwad", "azawad"),
        ("In Amenas", "in-amenas"),
        ("Arlit", "arlit"),
        ("Kidal", "kidal"),
    ],
)
def test_places_are_found_by_the_spellings_the_reports_use(atlas, spelling, place):
    assert resolve_names([spelling], atlas.places, "place") == (place,)


@pytest.mark.parametrize("spelling", ["Belmokhtar", "Khaled Abou El-Abbas", "Bal’ur", "Mokhtar Balmokhtar", "Laaouer"])
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


# Fields written for people to read; ids and verbatim quotes (source, locator) are not among them.
PROSE_FIELDS = {
    "title",
    "subject",
    "summary",
    "note",
    "reason",
    "shown",
    "correction",
    "correction_basis",
    "basis",
    "fate",
    "role",
    "coord_source",
    "published_basis",
}
REPORT_ID = re.compile(r"(?<![\d,.])\b00\d(?:\b|_)")  # '003 says', '002's', a file name; not '700,000'


def prose(value, field=None):
    """Every (field, text) pair under a prose field, however deeply nested."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from prose(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from prose(item, field)
    elif isinstance(value, str) and field in PROSE_FIELDS:
        yield field, " ".join(value.split())


@pytest.fixture(scope="module")
def curated_files():
    return {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(DATA_DIR.glob("*.yaml"))}


def test_prose_names_reports_in_words_not_by_id(curated_files):
    found = [
        (file, field, text)
        for file, records in curated_files.items()
        for field, text in prose(records)
        if REPORT_ID.search(text)
    ]
    assert sum(1 for _ in prose(curated_files["events.yaml"])) > 100  # the walk reaches the text
    assert not found, found[:5]


def test_prose_names_people_groups_and_places_not_by_id(curated_files):
    ids = {
        record["id"]
        for table in ("places", "groups", "people", "events", "disagreements")
        for record in curated_files[TABLE_FILES[table]]
        if "-" in record["id"]
    }
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w-])")
    found = [
        (file, field, match.group(0))
        for file, records in curated_files.items()
        for field, text in prose(records)
        for match in pattern.finditer(text)
    ]
    assert not found, found[:5]
