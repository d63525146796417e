"""Validation catches what would make the map lie, with a message saying what and where."""

import yaml

from cli import main
from geo.catalog import read_records
from geo.validate import validate_records


def _edit(data_dir, file_name, change):
    path = data_dir / file_name
    records = yaml.safe_load(path.read_text())
    change(records)
    path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True))


def messages(data_dir, reports=None):
    return [str(p) for p in validate_records(read_records(data_dir), sources_dir=reports)]


def test_mini_dataset_is_valid(mini_data, mini_reports):
    assert messages(mini_data, mini_reports) == []


def test_broken_reference_is_named(mini_data):
    _edit(mini_data, "events.yaml", lambda events: events[0]["places"].append("atlantis"))
    assert messages(mini_data) == ["events[2008-seizure]: places: unknown place 'atlantis'"]


def test_unknown_group_and_person_are_named(mini_data):
    def change(events):
        events[1]["groups"] = ["no-such-group"]
        events[1]["people"] = ["nobody"]
        events[1]["roles"] = {"no-such-group": "actor", "nobody": "target"}

    _edit(mini_data, "events.yaml", change)
    assert messages(mini_data) == [
        "events[2008-release]: groups: unknown group 'no-such-group'",
        "events[2008-release]: people: unknown person 'nobody'",
    ]


def test_citation_of_unknown_report(mini_data):
    _edit(mini_data, "places.yaml", lambda places: places[1]["sources"][0].update(source="report-z.txt"))
    assert messages(mini_data) == ["places[otherton]: sources[0]: unknown source 'report-z.txt'"]


def test_bad_date_is_named(mini_data):
    _edit(mini_data, "events.yaml", lambda events: events[0].update(date_start="2008-02-30"))
    problems = messages(mini_data)
    assert len(problems) == 1
    assert problems[0].startswith("events[2008-seizure]: date_start:")
    assert "2008-02-30" in problems[0]


def test_end_before_start_is_named(mini_data):
    _edit(mini_data, "events.yaml", lambda events: events[1].update(date_end="2008-03-15"))
    assert messages(mini_data) == [
        "events[2008-release]: record: Value error, date_end (2008-03-15) is before date_start (2008-04-01)"
    ]


def test_locator_absent_from_its_report(mini_data, mini_reports):
    _edit(mini_data, "events.yaml", lambda events: events[1]["sources"][0].update(locator="released in Elsewhere"))
    assert messages(mini_data, mini_reports) == [
        "events[2008-release]: sources[0]: locator “released in Elsewhere” not found in report-a.txt"
    ]


def test_locator_matches_across_line_breaks_and_space_runs(mini_data, mini_reports):
    # The report has "the   brigade crossed\nthe river": one phrase for a reader.
    _edit(
        mini_data, "events.yaml", lambda events: events[0]["sources"][0].update(locator="the brigade crossed the river")
    )
    assert messages(mini_data, mini_reports) == []


def test_long_locator_is_refused(mini_data):
    long_phrase = "In March 2008 the brigade crossed the river near Townville and seized two"
    _edit(mini_data, "events.yaml", lambda events: events[0]["sources"][0].update(locator=long_phrase))
    [problem] = messages(mini_data)
    assert "at most 12 words, got 13" in problem


def test_point_outside_operating_area(mini_data):
    _edit(mini_data, "places.yaml", lambda places: places[0].update(lon=-74.0, lat=40.7))
    [problem] = messages(mini_data)
    assert problem.startswith("places[townville]: point (-74.0, 40.7) is outside the operating area")


def test_duplicate_id(mini_data):
    _edit(mini_data, "people.yaml", lambda people: people.append(dict(people[0])))
    assert messages(mini_data) == ["people[traveller-one]: duplicate id"]


def test_cli_reports_every_problem_and_fails(mini_data, mini_reports, capsys):
    def change(events):
        events[0]["places"] = ["atlantis"]
        events[1]["sources"][0]["locator"] = "not in the report"

    _edit(mini_data, "events.yaml", change)
    status = main(["--data", str(mini_data), "validate", "--sources", str(mini_reports)])
    out = capsys.readouterr().out
    assert status == 1
    assert "2 problem(s)" in out
    assert "unknown place 'atlantis'" in out
    assert "“not in the report” not found in report-a.txt" in out


def test_cli_passes_on_valid_data(mini_data, mini_reports, capsys):
    assert main(["--data", str(mini_data), "validate", "--sources", str(mini_reports)]) == 0
    assert capsys.readouterr().out.startswith("OK: 1 sources, 2 places, 2 groups, 1 people, 2 events")


def test_every_participant_needs_a_role_and_every_event_an_actor(mini_data):
    def change(events):
        events[0]["roles"] = {"child-brigade": "hero"}  # not a role; the traveller has none
        events[1]["roles"] = {"parent-group": "named", "stranger": "actor"}

    _edit(mini_data, "events.yaml", change)
    found = messages(mini_data)
    assert any("events[2008-seizure]: roles.child-brigade:" in m for m in found), found
    assert any("events[2008-release]" in m and "stranger not among the event's groups or people" in m for m in found)


def test_an_event_without_an_actor_must_say_why(mini_data):
    _edit(mini_data, "events.yaml", lambda events: events[1].update(roles={"parent-group": "named"}))
    assert messages(mini_data) == [
        "events[2008-release]: record: Value error, no actor among the participants: say why in no_actor"
    ]
    _edit(mini_data, "events.yaml", lambda events: events[1].update(no_actor="the report does not say who freed them"))
    assert messages(mini_data) == []


def test_facts_the_cited_report_does_not_give_are_flagged_until_a_note_owns_them(mini_data, mini_reports):
    from geo.catalog import read_records
    from geo.validate import support_warnings

    def drop_notes(events):
        for event in events:
            event.pop("note", None)
        events[1].update(date_start="2009-04-01", date_end="2009-04-30")

    _edit(mini_data, "events.yaml", drop_notes)
    warnings = {w.record: w.message for w in support_warnings(read_records(mini_data), mini_reports)}
    # The report says "the brigade" and "two travellers": it names neither the Child Brigade nor
    # Traveller One; and it has no 2009 anywhere.
    assert "child-brigade" in warnings["2008-seizure"] and "traveller-one" in warnings["2008-seizure"]
    assert "the place townville" not in warnings["2008-seizure"] and "2008" not in warnings["2008-seizure"]
    assert "the year 2009" in warnings["2008-release"] and "parent-group" in warnings["2008-release"]
    _edit(
        mini_data,
        "events.yaml",
        lambda events: [e.update(note="Names and year from outside the report.") for e in events],
    )
    assert support_warnings(read_records(mini_data), mini_reports) == []
