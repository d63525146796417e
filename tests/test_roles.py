"""Who did what: every group and person on an event has a role, and filters go by it."""

import json

import pytest

from cli import main
from geo.filters import EventFilter, events_matching
from geo.schema import PARTICIPANT_ROLES
from ui.details import event_html
from view import Names

BOMBINGS = "2013-05-agadez-arlit-twin-bombings"


def test_every_participant_has_a_role_and_every_event_an_actor_or_a_reason(atlas):
    for event in atlas.events.itertuples(index=False):
        assert set(event.roles) == set(event.groups) | set(event.people), event.id
        assert set(event.roles.values()) <= set(PARTICIPANT_ROLES), event.id
        assert "actor" in event.roles.values() or (isinstance(event.no_actor, str) and event.no_actor), event.id


def test_abu_zeid_is_not_behind_the_bombings_named_after_him(atlas):
    # He died in February 2013; the May 2013 operation only bore his name.
    assert atlas.events.set_index("id").loc[BOMBINGS, "roles"]["abdelhamid-abu-zeid"] == "named"
    his_deeds = events_matching(atlas.events, EventFilter(people=("abdelhamid-abu-zeid",)))
    with_mentions = events_matching(atlas.events, EventFilter(people=("abdelhamid-abu-zeid",), include_named=True))
    assert BOMBINGS not in set(his_deeds["id"])
    assert BOMBINGS in set(with_mentions["id"])
    assert set(his_deeds["id"]) < set(with_mentions["id"])


def test_a_group_filter_counts_actors_targets_mediators_and_responses_by_default(atlas):
    counted = {"actor", "target", "mediator", "response"}
    shown = events_matching(atlas.events, EventFilter(groups=("aqim",)))
    expected = [e.id for e in atlas.events.itertuples() if e.roles.get("aqim") in counted]
    assert sorted(shown["id"]) == sorted(expected)
    as_actor = events_matching(atlas.events, EventFilter(groups=("aqim",), roles=("actor",)))
    assert sorted(as_actor["id"]) == sorted(e.id for e in atlas.events.itertuples() if e.roles.get("aqim") == "actor")
    assert EventFilter(groups=("aqim",), roles=("actor",)).describe({"aqim": "AQIM"}) == "AQIM, as actor"


def test_the_details_panel_gives_each_name_its_role(atlas):
    event = next(atlas.events[atlas.events["id"] == BOMBINGS].itertuples(index=False))
    html = event_html(event, atlas, Names(atlas))
    assert "Abu Zeid (named only)" in html or "Abdelhamid Abu Zeid (named only)" in html
    assert "(actor)" in html


def test_export_takes_a_role_and_writes_the_roles(tmp_path):
    out = tmp_path / "events.geojson"
    assert (
        main(
            [
                "export",
                "events",
                "--format",
                "geojson",
                "--out",
                str(out),
                "--person",
                "abdelhamid-abu-zeid",
                "--role",
                "named",
            ]
        )
        == 0
    )
    features = json.loads(out.read_text())["features"]
    assert features and all(f["properties"]["roles"]["abdelhamid-abu-zeid"] == "named" for f in features)
    assert BOMBINGS in {f["id"] for f in features}
    people = tmp_path / "people.csv"
    assert main(["export", "people", "--format", "csv", "--out", str(people), "--group", "aqim"]) == 0
    assert "event_roles" in people.read_text().splitlines()[0]


def test_a_role_without_a_group_or_person_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["export", "events", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--role", "actor"])
    assert stop.value.code == 2
    assert "--role and --include-named apply to --group and --person" in capsys.readouterr().err
