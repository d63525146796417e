"""The analysts' charts: their numbers checked against the curated YAML read independently,
and the charts built, with sources in their tooltips, and exported offline."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket

import pytest
import yaml

from geo.catalog import DATA_DIR, load_atlas
from geo.charts_data import (
    LINEAGE_RELATIONS,
    NOT_RECORDED,
    disputed_events_by_year_and_group,
    events_per_year_by_type,
    hostage_outcomes,
    hostage_takings,
    lineage_leaders,
    lineage_relations,
    lineage_table,
    ransom_disputes,
    ransoms,
)
from ui.analyst_charts import (
    GROUP_SELECTION,
    chart_png,
    chart_svg,
    events_by_group_chart,
    events_by_type_chart,
    kidnapping_chart,
    lineage_chart,
    ransom_chart,
)
from view import Names


@pytest.fixture(scope="module")
def atlas():
    return load_atlas(DATA_DIR)


@pytest.fixture(scope="module")
def names(atlas):
    return Names(atlas)


def _yaml(name: str):
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def groups_yaml():
    return {record["id"]: record for record in _yaml("groups.yaml")}


@pytest.fixture(scope="module")
def events_yaml():
    return _yaml("events.yaml")


@pytest.fixture(scope="module")
def rates_yaml():
    return _yaml("exchange_rates.yaml")


def _usd(amount: float, currency: str, year: int, rates: dict) -> float:
    if currency == "USD":
        return amount
    entry = rates["currencies"][currency]
    rate = entry["rates"][year]
    return amount * rate if entry["quote"] == "usd_per_unit" else amount / rate


# --- lineage ------------------------------------------------------------------------------------------


def _family_from_yaml(groups: dict) -> set[str]:
    """AQIM's family walked again from the YAML: armed groups joined by parents or lineage relations."""
    armed = {gid for gid, g in groups.items() if g["kind"] in ("organisation", "emirate", "brigade")}
    edges = set()
    for gid in armed:
        g = groups[gid]
        if g.get("parent") in armed:
            edges.add(frozenset((gid, g["parent"])))
        for r in g.get("relations") or []:
            if r["kind"] in ("renamed-from", "split-from", "merged-into", "formed-from") and r["group"] in armed:
                edges.add(frozenset((gid, r["group"])))
    family, grew = {"aqim"}, True
    while grew:
        grew = False
        for edge in edges:
            if edge & family and not edge <= family:
                family |= edge
                grew = True
    return family


def test_lineage_holds_the_gspc_aqim_family_and_the_groups_around_it(atlas, groups_yaml):
    table = lineage_table(atlas)
    family = _family_from_yaml(groups_yaml)
    assert {
        "gspc",
        "aqim",
        "gspc-ninth-region",
        "emirate-of-the-sahara",
        "al-mulathamin-brigade",
        "signers-in-blood",
        "al-murabitun",
        "mujao",
        "tariq-ibn-ziyad-brigade",
    } <= family
    assert set(table.loc[table["member"], "group"]) == family
    # Neighbours: one alliance, rivalry or subordination away, armed, not in the family.
    neighbours = {
        r["group"]
        for gid in family
        for r in groups_yaml[gid].get("relations") or []
        if r["kind"] in ("allied-with", "rival-of", "subordinate-to")
        and groups_yaml[r["group"]]["kind"] in ("organisation", "emirate", "brigade")
    } - family
    neighbours |= {
        gid
        for gid, g in groups_yaml.items()
        if g["kind"] in ("organisation", "emirate", "brigade")
        and gid not in family
        and any(
            r["group"] in family and r["kind"] in ("allied-with", "rival-of", "subordinate-to")
            for r in g.get("relations") or []
        )
    }
    assert set(table.loc[~table["member"], "group"]) == neighbours
    assert {"ansar-eddine", "al-qaeda-central"} <= neighbours
    assert "tuareg" not in set(table["group"])  # a community, not an armed group


def test_lineage_periods_are_the_curated_ones_and_open_ends_are_said(atlas, groups_yaml):
    table = lineage_table(atlas).set_index("group")
    for gid, row in table.iterrows():
        active = groups_yaml[gid].get("active") or {}
        assert row["active_start"] == active.get("start"), gid
        assert row["active_end"] == active.get("end"), gid
        assert row["start_known"] == (active.get("start") is not None)
        assert row["end_known"] == (active.get("end") is not None)
        if active.get("start") is None:
            assert "start not recorded" in row["open_start_note"]
        if active.get("end") is None:
            assert isinstance(row["open_end_note"], str) and row["open_end_note"]
    assert table.at["gspc", "active_start"] == dt.date(1998, 1, 1) and table.at["gspc", "starts_before_range"]
    assert table.at["aqim", "drawn_end"] == dt.date(2013, 12, 31) and "2013+" in table.at["aqim", "open_end_note"]
    # MUJAO split from AQIM late in 2011 and ends with its merger into Al-Murabitun, August 2013.
    assert table.at["mujao", "drawn_end"] == dt.date(2013, 8, 31) and table.at["mujao", "end_known"]


def test_lineage_relations_are_exactly_the_curated_ones_between_the_groups_drawn(atlas, groups_yaml):
    table = lineage_table(atlas)
    drawn = set(table["group"])
    expected = {
        (gid, r["kind"], r["group"], r.get("date"), len(r["sources"]))
        for gid in drawn
        for r in groups_yaml[gid].get("relations") or []
        if r["group"] in drawn
    }
    relations = lineage_relations(table)
    got = {(r.group, r.kind, r.other, r.date, len(r.sources)) for r in relations.itertuples(index=False)}
    assert got == expected
    assert ("aqim", "renamed-from", "gspc", dt.date(2007, 1, 24), 3) in got  # the renaming announced
    assert ("signers-in-blood", "split-from", "aqim", dt.date(2012, 9, 1), 1) in got
    assert ("mujao", "merged-into", "al-murabitun", dt.date(2013, 8, 1), 1) in got
    assert set(relations.loc[relations["lineage"], "kind"]) <= set(LINEAGE_RELATIONS)


def test_lineage_leaders_are_the_curated_ones(atlas, groups_yaml):
    table = lineage_table(atlas)
    leaders = lineage_leaders(table)
    expected = sorted(
        (gid, leader["person"]) for gid in table["group"] for leader in groups_yaml[gid].get("leaders") or []
    )
    assert sorted(zip(leaders["group"], leaders["person"])) == expected
    sahara = leaders[leaders["group"] == "emirate-of-the-sahara"]
    assert list(sahara["name"]) == ["Yahia Djouadi", "Abu Nabil Alqama", "Abu al-Hammam"]


def test_lineage_chart_carries_the_group_id_a_selection_and_sources(atlas, names):
    spec = lineage_chart(atlas, names).to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    # Altair may lift a layer's selection to the top with the view it belongs to.
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    assert any(p["name"] == GROUP_SELECTION and p["select"]["fields"] == ["group"] for p in params)
    datasets = spec["datasets"].values()
    for rows in datasets:
        assert all("group" in row for row in rows)  # every mark can filter the map
    relation_rows = [row for rows in datasets for row in rows if "Relation" in row]
    renamed = next(row for row in relation_rows if row["Relation"] == "AQIM renamed from GSPC")
    assert "“which would later be renamed Al-Qaeda in the Islamic Maghreb”" in renamed["Sources"]
    assert renamed["When"] == "24 Jan 2007"
    bar_rows = [row for rows in datasets for row in rows if "Active" in row]
    assert all(row["Sources"] for row in bar_rows)
    assert "Mokhtar Belmokhtar" in text and "Abdelmalek Droukdel" in text
    assert "start not recorded" in text and "2013+" in text


# --- the kidnapping economy -----------------------------------------------------------------------------


def test_every_kidnapping_appears_once_with_its_count_and_nationalities(atlas, events_yaml):
    takings = hostage_takings(atlas)
    kidnappings = {e["id"]: e for e in events_yaml if e["type"] == "kidnapping"}
    assert sorted(takings["event"]) == sorted(kidnappings)
    for row in takings.itertuples(index=False):
        hostages = kidnappings[row.event].get("hostages") or {}
        assert row.hostage_count == hostages.get("count"), row.event
        assert row.nationalities == list(hostages.get("nationalities") or []), row.event
    by_id = takings.set_index("event")
    assert by_id.at["2003-tourist-kidnapping", "hostage_count"] == 32
    assert by_id.at["2010-09-arlit-kidnapping", "nationalities"] == ["FR", "TG", "MG"]


def test_outcomes_follow_the_hostages_the_events_name(atlas):
    takings = hostage_takings(atlas).set_index("event")
    assert takings.at["2008-12-canadian-diplomats-kidnapped", "outcome"] == "released"
    assert takings.at["2010-germaneau-held-by-abu-zeid", "outcome"] == "killed"
    spanish = takings.loc["2009-11-spanish-aid-workers-kidnapped"]
    # The woman was freed in March 2010, the two men in August: all three accounted for.
    assert spanish["outcome"] == "released" and spanish["unaccounted"] == 0
    assert [(o["event"], o["count"]) for o in spanish["outcomes"]] == [
        ("2010-spanish-female-hostage-released", 1),
        ("2010-08-spanish-hostages-released", 2),
    ]
    # No later event names the Arlit hostages or the campaigns' victims: said, not guessed.
    for event in (
        "2010-09-arlit-kidnapping",
        "2007-2008-abu-zeid-kidnapping-campaign",
        "belmokhtar-large-scale-hostage-taking",
    ):
        assert takings.at[event, "outcome"] == NOT_RECORDED
    outcomes = hostage_outcomes(atlas)
    assert set(outcomes["event"]) == set(takings.index)
    assert set(outcomes.loc[outcomes["outcome"] == NOT_RECORDED, "event"]) == {
        "2010-09-arlit-kidnapping",
        "2007-2008-abu-zeid-kidnapping-campaign",
        "belmokhtar-large-scale-hostage-taking",
    }
    assert all(outcomes["sources"].map(len) > 0)


def test_exchange_rates_cover_every_currency_and_year_in_the_ransoms(rates_yaml, events_yaml):
    assert "Federal Reserve" in rates_yaml["source"]
    for currency, entry in rates_yaml["currencies"].items():
        assert entry["quote"] in ("usd_per_unit", "units_per_usd")
        assert sorted(entry["rates"]) == list(range(2003, 2014)), currency
        assert all(0.5 < rate < 2.5 for rate in entry["rates"].values()), currency
    needed = {
        (m["currency"], int(str(e["date_start"])[:4]))
        for e in events_yaml
        for m in e.get("money") or []
        if m["status"] in ("demanded", "paid", "reported")
    }
    assert needed  # the data holds ransoms
    for currency, year in needed:
        assert currency == "USD" or year in rates_yaml["currencies"][currency]["rates"], (currency, year)


def test_every_ransom_converts_at_the_years_rate_and_keeps_the_original(atlas, events_yaml, rates_yaml):
    table = ransoms(atlas)
    expected = [
        (e["id"], m["amount"], m["currency"], m["status"], int(str(e["date_start"])[:4]))
        for e in events_yaml
        for m in e.get("money") or []
        if m["status"] in ("demanded", "paid", "reported")
    ]
    assert sorted(zip(table["event"], table["amount"], table["currency"], table["status"])) == sorted(
        (e, float(a), c, s) for e, a, c, s, _ in expected
    )
    for event, amount, currency, status, year in expected:
        row = table[(table["event"] == event) & (table["amount"] == amount) & (table["currency"] == currency)].iloc[0]
        assert row["amount_usd"] == pytest.approx(_usd(amount, currency, year, rates_yaml)), event
        assert row["year"] == year
    assert "price" not in set(table["status"])  # arms prices are not ransoms
    canadian = table[table["event"] == "2009-canadian-ransom"].iloc[0]
    assert canadian["amount_usd"] == pytest.approx(700_000 * 1.3935)
    assert canadian["kidnapping"] == "2008-12-canadian-diplomats-kidnapped" and canadian["hostages"] == 2
    assert canadian["per_hostage_usd"] == pytest.approx(700_000 * 1.3935 / 2)
    # The Spanish ransom was paid for the two men still held after the woman's release.
    spanish = table[table["event"] == "2010-08-spanish-ransom"]
    assert set(spanish["hostages"]) == {2} and set(spanish["kidnapping"]) == {"2009-11-spanish-aid-workers-kidnapped"}
    assert all(table["sources"].map(len) > 0)


def test_disputed_amounts_become_a_range_with_both_claims_and_sources(atlas, rates_yaml):
    disputes = ransom_disputes(atlas)
    curated = [d for d in _yaml("disagreements.yaml") if d["field"] == "money"]
    assert sorted(disputes["disagreement"]) == sorted(d["id"] for d in curated)
    spanish = disputes.set_index("disagreement").loc["spanish-ransom-amount"]
    assert spanish["low_usd"] == pytest.approx(_usd(7_000_000, "EUR", 2010, rates_yaml))
    assert spanish["high_usd"] == pytest.approx(10_000_000)
    assert [c["source"] for claim in spanish["claims"] for c in claim["sources"]] == [
        "000_c1da32ba611ce9d2.txt",
        "002_7d2af5c16050e36f.txt",
    ]
    table = ransoms(atlas)
    spanish_points = table[table["event"] == "2010-08-spanish-ransom"]
    assert spanish_points["disputed"].all()
    # Each point cites the report of its own claim.
    assert {p["currency"]: p["sources"][0]["source"] for p in spanish_points.to_dict("records")} == {
        "EUR": "000_c1da32ba611ce9d2.txt",
        "USD": "002_7d2af5c16050e36f.txt",
    }


def test_kidnapping_and_ransom_charts_build_with_sources_in_tooltips(atlas, names):
    kidnappings = kidnapping_chart(atlas, names).to_dict()
    rows = [row for data in kidnappings["datasets"].values() for row in data]
    assert all(row.get("Sources") for row in rows)
    text = json.dumps(kidnappings, ensure_ascii=False)
    assert "outcome not recorded" in text and "killed" in text and "released" in text
    assert '"shape"' in text  # outcomes differ by shape as well as colour

    money = ransom_chart(atlas, names).to_dict()
    rows = [row for data in money["datasets"].values() for row in data]
    range_rows = [row for row in rows if "Claims" in row]
    assert len(range_rows) == 1
    # Both claims' reports, each with its locator.
    assert (
        names.sources["000_c1da32ba611ce9d2.txt"] + ": “a ransom estimated at seven million euros”"
        in range_rows[0]["Sources"]
    )
    assert (
        names.sources["002_7d2af5c16050e36f.txt"] + ": “the ransom was up to $10 million”" in range_rows[0]["Sources"]
    )
    assert range_rows[0]["low"] < range_rows[0]["high"]
    point_rows = [row for row in rows if "Original" in row]
    assert {row["Original"] for row in point_rows} >= {"EUR 700,000", "EUR 90 million", "USD 7.3 million"}
    assert all(row["Sources"] for row in point_rows)


# --- events per year by type ----------------------------------------------------------------------------


def test_events_per_year_by_type_count_every_year_an_event_spans(atlas, events_yaml):
    disputed = {d["event"] for d in _yaml("disagreements.yaml") if d.get("event")}
    counts = events_per_year_by_type(atlas.events, 2003, 2013, atlas.disagreements)
    expected, expected_disputed = {}, {}
    for event in events_yaml:
        first, last = int(str(event["date_start"])[:4]), int(str(event.get("date_end") or event["date_start"])[:4])
        for year in range(max(first, 2003), min(last, 2013) + 1):
            key = (year, event["type"])
            expected[key] = expected.get(key, 0) + 1
            expected_disputed[key] = expected_disputed.get(key, 0) + (event["id"] in disputed)
    got = {(r.Year, r.Type): r.Events for r in counts.itertuples(index=False) if r.Events}
    assert got == expected
    got_disputed = {(r.Year, r.Type): r.Disputed for r in counts.itertuples(index=False) if r.Events}
    assert got_disputed == expected_disputed
    assert set(counts["Year"]) == set(range(2003, 2014))
    assert (counts["Disputed"] <= counts["Events"]).all()


def test_disputed_counts_by_group_fit_inside_the_groups_counts(atlas, names):
    counts = disputed_events_by_year_and_group(atlas.events, 2003, 2013, atlas.disagreements, group_names=names.groups)
    assert (counts["Disputed"] <= counts["Events"]).all()
    disputed = {d for d in atlas.disagreements["event"] if isinstance(d, str)}
    spans = sum(
        len(range(max(int(e.year_start), 2003), min(int(e.year_end), 2013) + 1))
        for e in atlas.events.itertuples(index=False)
        if e.id in disputed
    )
    assert counts["Disputed"].sum() == spans


def test_by_type_and_by_group_charts_build_with_the_disputed_part(atlas, names):
    for chart in (
        events_by_type_chart(atlas.events, atlas.disagreements, 2003, 2013),
        events_by_group_chart(atlas.events, names, atlas.disagreements, 2003, 2013),
    ):
        spec = chart.to_dict()
        text = json.dumps(spec)
        assert "Of which disputed" in text and "disputed" in text
    spec = events_by_type_chart(atlas.events, atlas.disagreements, 2003, 2013).to_dict()
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"]))["Kidnapping"] == "#d62728"  # the catalogue's colour


# --- export ---------------------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network refused in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_png_and_svg_export_offline(atlas, names, no_network):
    from PIL import Image

    chart = kidnapping_chart(atlas, names, width=600)
    assert '"url"' not in json.dumps(chart.to_dict())  # data inline: nothing to fetch
    png = chart_png(chart)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.size[0] > 600 and image.size[1] > 200
    svg = chart_svg(events_by_type_chart(atlas.events, atlas.disagreements, 2003, 2013, width=600))
    assert "<svg" in svg and "Events per year by type" in svg


def _colour_of(chart, name: str) -> str:
    """The colour a chart gives the series ``name`` (from its colour scale)."""
    spec = chart.to_dict()
    layers = spec.get("layer") or [spec]
    for layer in layers:
        scale = layer.get("encoding", {}).get("color", {}).get("scale", {})
        if name in scale.get("domain", []) and isinstance(scale.get("range"), list):
            return scale["range"][scale["domain"].index(name)]
    raise AssertionError(f"no colour for {name!r} in the chart")


def test_a_group_has_the_colour_of_its_outline_on_the_map_in_every_chart(atlas, names):
    from layers import events as event_layer
    from tests.test_layers import drawn_features
    from ui.charts import events_per_year

    outlines = {}
    for feature in drawn_features(event_layer.build(atlas.events), "events"):
        outlines.setdefault(feature["id"], feature["properties"]["outline"])
    events = atlas.events
    # Events of one group alone, so the map's outline and the chart's stack speak of the same group.
    led_by = {
        group: events[events["groups"].map(lambda ids, g=group: list(ids) == [g])]["id"] for group in ("aqim", "gspc")
    }
    by_group = events_by_group_chart(events, names, atlas.disagreements, 2003, 2013)
    per_year = events_per_year(events, names, 2003, 2013)
    for group, ids in led_by.items():
        on_map = {outlines[i] for i in ids if i in outlines}
        assert len(on_map) == 1, (group, on_map)
        name = names.groups[group]
        assert _colour_of(by_group, name) == _colour_of(per_year, name) == on_map.pop(), group
    # Groups over time colours each family as the map outlines it: AQIM's family black, the GSPC grey.
    lineage = lineage_chart(atlas, names).to_dict()
    family_scales = [
        layer["encoding"]["color"]["scale"]
        for layer in lineage.get("layer", [])
        if "scale" in layer.get("encoding", {}).get("color", {})
    ]
    assert family_scales
    for scale in family_scales:
        colours = dict(zip(scale["domain"], scale["range"]))
        if "GSPC" in colours:
            assert colours["GSPC"] == outlines[led_by["gspc"].iloc[0]]
            assert colours["AQIM and its brigades"] == outlines[led_by["aqim"].iloc[0]]


def test_no_leader_name_runs_past_the_right_edge_and_the_reports_legend_sits_above(atlas, names):
    spec = lineage_chart(atlas, names).to_dict()
    datasets = spec["datasets"]
    written_back = [
        row["Leader"]
        for layer in spec["layer"]
        if isinstance(layer.get("mark"), dict)
        and layer["mark"].get("type") == "text"
        and layer["mark"].get("align") == "right"
        for row in datasets[layer["data"]["name"]]
    ]
    # Al-Murabitun begins in 2013, at the chart's right edge: its leader is written back from the line's end.
    assert "Mokhtar Belmokhtar" in written_back
    chart = events_by_group_chart(atlas.events, names, atlas.disagreements, 2003, 2013).to_dict()
    reports = [
        encoding["legend"]
        for layer in chart["layer"]
        for channel, encoding in layer.get("encoding", {}).items()
        if channel in ("opacity", "stroke") and isinstance(encoding.get("legend"), dict)
    ]
    assert reports and all(legend["orient"] == "top" for legend in reports)
