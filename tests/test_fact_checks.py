"""The fact checks of ``validate --sources``: each fails on a small broken record and passes on the data."""

import dataclasses

import yaml

from geo.catalog import DATA_DIR, event_aliases, read_records
from geo.checks import caption_findings, fact_findings
from geo.stories import load_story
from geo.validate import support_warnings, validate_records
from ui.state import Vocabulary, parse_query


def _edit(data_dir, file_name, change):
    path = data_dir / file_name
    records = yaml.safe_load(path.read_text())
    change(records)
    path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True))


def problems(data_dir, reports):
    return [str(p) for p in validate_records(read_records(data_dir), sources_dir=reports)]


def warnings(data_dir, reports):
    return [str(w) for w in support_warnings(read_records(data_dir), reports, stories_dir=None)]


def test_a_participant_no_passage_names_fails_until_the_note_owns_it(mini_data, mini_reports):
    # The report says "the brigade": without a note, the Child Brigade is named nowhere.
    _edit(mini_data, "events.yaml", lambda events: events[0].pop("note"))
    found = problems(mini_data, mini_reports)
    assert (
        "events[2008-seizure]: participant child-brigade (actor) is named in no cited passage and no note "
        "marks it as outside knowledge"
    ) in found
    # A note that names it without saying where it comes from is not enough to decide: a warning.
    _edit(mini_data, "events.yaml", lambda events: events[0].update(note="Child Brigade and Traveller One."))
    assert problems(mini_data, mini_reports) == []
    assert any(
        "child-brigade (actor) is named in the note, but the note does not say" in w
        for w in warnings(mini_data, mini_reports)
    )
    _edit(
        mini_data,
        "events.yaml",
        lambda events: events[0].update(note="Child Brigade and Traveller One: outside knowledge."),
    )
    assert warnings(mini_data, mini_reports) == []


def test_a_span_with_no_basis_fails(mini_data, mini_reports):
    def widen(events):
        events[1].update(date_start="2008-04-01", date_end="2008-12-31", date_precision="approximate")
        events[1].pop("note")
        events[1]["roles"] = {"parent-group": "named"}
        events[1]["no_actor"] = "the report does not say who freed them"

    _edit(mini_data, "events.yaml", widen)
    assert problems(mini_data, mini_reports) == [
        "events[2008-release]: the span 2008-04-01 to 2008-12-31 (approximate) has no stated basis: say in the "
        "note where the dates come from"
    ]
    _edit(
        mini_data,
        "events.yaml",
        lambda events: events[1].update(
            note="Undated after the seizure; the end of 2008 is assumed. Parent Group is only named."
        ),
    )
    assert problems(mini_data, mini_reports) == []


def test_two_leaders_in_one_post_at_once_fail_until_the_note_names_both(mini_data, mini_reports):
    def second_person(people):
        people.append(
            {
                "id": "traveller-two",
                "name": "Traveller Two",
                "roles": ["leader"],
                "sources": [{"source": "report-a.txt", "locator": "seized two travellers"}],
            }
        )

    _edit(mini_data, "people.yaml", second_person)
    citation = [{"source": "report-a.txt", "locator": "the brigade crossed"}]

    def leaders(groups):
        groups[1]["leaders"] = [
            {
                "person": "traveller-one",
                "role": "emir",
                "period": {"start": "2007-01-01", "end": "2008-12-31"},
                "sources": citation,
            },
            {
                "person": "traveller-two",
                "role": "emir",
                "period": {"start": "2008-06-01", "end": None},
                "sources": citation,
            },
        ]

    _edit(mini_data, "groups.yaml", leaders)
    assert problems(mini_data, mini_reports) == [
        "groups[child-brigade]: leaders traveller-one and traveller-two are both emir from 2008-06-01 to "
        "2008-12-31: end one term, or explain in the note"
    ]
    _edit(
        mini_data,
        "groups.yaml",
        lambda groups: groups[1].update(note="Traveller One handed over to Traveller Two within 2008, month unknown."),
    )
    assert problems(mini_data, mini_reports) == []


def test_a_group_acting_after_its_end_or_a_person_after_death_fails(mini_data, mini_reports):
    _edit(
        mini_data,
        "groups.yaml",
        lambda groups: groups[1].update(active={"start": "2000-01-01", "end": "2007-12-31", "precision": "year"}),
    )
    _edit(mini_data, "people.yaml", lambda people: people[0].update(fate="Died in 2007."))
    found = problems(mini_data, mini_reports)
    assert (
        "events[2008-seizure]: child-brigade (actor) acts after it ended: the event starts 2008-03-01, "
        "the group ends 2007-12-31"
    ) in found
    assert (
        "events[2008-seizure]: traveller-one (target) has a part in 2008, after the death in 2007 that "
        "their fate records"
    ) in found
    # Only named, a dead person or a defunct group is no contradiction.
    _edit(
        mini_data,
        "events.yaml",
        lambda events: (
            events[0]["roles"].update({"child-brigade": "named", "traveller-one": "named"})
            or events[0].update(no_actor="a test")
        ),
    )
    assert problems(mini_data, mini_reports) == []


def test_a_caption_naming_what_its_citations_do_not_is_flagged(mini_data, mini_reports):
    records = read_records(mini_data)
    step = {
        "caption": "In 2008 the brigade took travellers near Townville.",
        "citations": [{"source": "report-a.txt", "locator": "the river near Townville"}],
    }
    assert caption_findings({"steps": [step]}, records, mini_reports)[1] == []
    step["caption"] = "In 2009 the Parent Group freed them at Otherton."
    [warning] = caption_findings({"steps": [step]}, records, mini_reports, name="mini.yaml")[1]
    assert str(warning) == (
        "stories[mini.yaml step 1]: the caption names parent group (parent-group), "
        "otherton (otherton), the year 2009, which no cited passage names"
    )


def test_the_bundled_data_and_story_pass_every_fact_check(seeds):
    records = read_records(DATA_DIR)
    assert fact_findings(records, seeds)[0] == []
    assert not [w for w in support_warnings(records, seeds) if w.table == "stories"]


def test_a_former_event_id_still_opens_the_event():
    aliases = event_aliases()
    assert aliases["2013-10-10-abu-anas-al-libi-seized"] == "2013-10-05-abu-anas-al-libi-seized"
    current = "event:2013-10-05-abu-anas-al-libi-seized"
    vocab = Vocabulary(
        first_year=2003,
        last_year=2013,
        groups=frozenset(),
        types=frozenset(),
        people=frozenset(),
        sources=frozenset(),
        selectable=frozenset({current}),
        basemaps=("Offline",),
        aliases=(("event:2013-10-10-abu-anas-al-libi-seized", current),),
    )
    state = parse_query({"select": "event:2013-10-10-abu-anas-al-libi-seized"}, vocab)
    assert state.selected == current and state.notices == ()
    assert parse_query({"select": "event:no-such-event"}, dataclasses.replace(vocab)).selected is None


def test_a_story_highlighting_a_former_id_rings_the_event(tmp_path):
    story = yaml.safe_load((DATA_DIR.parent.parent / "stories" / "sahel-2003-2013.yaml").read_text())
    story["steps"][-1]["highlight"]["events"].append("2013-10-10-abu-anas-al-libi-seized")
    path = tmp_path / "sahel-2003-2013.yaml"
    path.write_text(yaml.safe_dump(story, sort_keys=False, allow_unicode=True))
    assert "2013-10-05-abu-anas-al-libi-seized" in load_story(path).steps[-1].highlight.events


def _report_records(tmp_path, text, locator, group="Parent Group"):
    (tmp_path / "r.txt").write_text(text)
    return {
        "sources": [{"id": "r.txt"}],
        "groups": [{"id": "parent-group", "name": group}],
        "events": [
            {
                "id": "e",
                "groups": ["parent-group"],
                "roles": {"parent-group": "actor"},
                "sources": [{"source": "r.txt", "locator": locator}],
            }
        ],
    }


def _participant_warnings(records, reports):
    from geo.checks import participant_findings

    found = participant_findings(records, reports)
    assert found[0] == []
    return [str(w) for w in found[1]]


def test_a_possessive_is_the_name_itself():
    from geo.findings import folded as _folded

    assert " aqim advisory board " in _folded("the reply of AQIM’s Advisory Board came")
    assert " abu zeid brigade " in _folded("[Abu Zeid's] brigade")
    assert _folded("Al-Qa’ida") == _folded("Al-Qa'ida")


def test_a_footnote_number_does_not_join_two_sentences():
    from geo.checks import locator_sentence, previous_sentence

    text = "Zawahiri called on them to help. 12 Wanting to please him, Khaled went to Libya. He reported it."
    assert locator_sentence(text, "went to Libya") == "Wanting to please him, Khaled went to Libya."
    assert previous_sentence(text, "went to Libya") == "Zawahiri called on them to help. 12 "
    assert previous_sentence(text, "Zawahiri called") == ""


def test_a_pronoun_is_matched_in_the_sentence_before(tmp_path):
    text = "The Parent Group crossed the river. It then seized two travellers near the town."
    assert _participant_warnings(_report_records(tmp_path, text, "seized two travellers"), tmp_path) == []
    text = "The Parent Group crossed the river. The organization then seized two travellers."
    assert _participant_warnings(_report_records(tmp_path, text, "seized two travellers"), tmp_path) == []


def test_without_a_pronoun_the_sentence_before_does_not_count(tmp_path):
    # The sentence names its own actor (a band): that the group is named just before is no support.
    text = "The Parent Group crossed the river. A band of smugglers seized two travellers."
    [warning] = _participant_warnings(_report_records(tmp_path, text, "seized two travellers"), tmp_path)
    assert "parent-group (actor) is named in the cited report, but not in the sentence of any locator" in warning


def test_a_pronoun_reaches_back_one_sentence_only(tmp_path):
    text = "The Parent Group crossed the river. Rain fell for a week. They seized two travellers."
    [warning] = _participant_warnings(_report_records(tmp_path, text, "seized two travellers"), tmp_path)
    assert "not in the sentence of any locator" in warning


def test_a_caption_name_given_just_before_a_demonstrative_is_supported(mini_data, mini_reports, tmp_path):
    records = read_records(mini_data)
    records["sources"] = [{"id": "r.txt"}]
    (tmp_path / "r.txt").write_text("Meetings were held by the Parent Group. This shift meant a new state. Rain fell.")
    step = {
        "caption": "The Parent Group planned a new state.",
        "citations": [{"source": "r.txt", "locator": "meant a new state"}],
    }
    assert caption_findings({"steps": [step]}, records, tmp_path)[1] == []
    step["citations"] = [{"source": "r.txt", "locator": "Rain fell"}]
    assert caption_findings({"steps": [step]}, records, tmp_path)[1] != []


def test_a_locator_opening_its_sentence_gets_that_sentence_only():
    from geo.checks import locator_sentence, previous_sentence

    text = "The Parent Group met. Rain fell on the camp."
    assert locator_sentence(text, "Rain fell") == "Rain fell on the camp."
    assert previous_sentence(text, "Rain fell") == "The Parent Group met. "


def test_someone_known_by_role_is_found_by_the_passage_their_record_cites(tmp_path):
    text = "El Para gave part of the money to one of the mediators involved, a desert chief."
    records = _report_records(tmp_path, text, "gave part of the money")
    records["people"] = [
        {
            "id": "the-mediator",
            "name": "Mediator of the deal",
            "named": False,
            "sources": [{"source": "r.txt", "locator": "one of the mediators involved"}],
        }
    ]
    records["events"][0].update(people=["the-mediator"], groups=[], roles={"the-mediator": "mediator"})
    assert _participant_warnings(records, tmp_path) == []
    (tmp_path / "r.txt").write_text(text + " Another man took the rest.")
    records["events"][0]["sources"] = [{"source": "r.txt", "locator": "Another man took the rest"}]
    [warning] = _participant_warnings(records, tmp_path)
    assert "the-mediator (mediator) is known only by role" in warning


def test_a_part_partly_outside_a_group_s_period_warns_until_the_note_dates_it():
    from geo.checks import date_findings

    records = {
        "groups": [{"id": "g", "name": "Parent Group", "active": {"start": "2007-01-24"}}],
        "events": [
            {
                "id": "e",
                "date_start": "2006-09-01",
                "date_end": "2012-11-03",
                "groups": ["g"],
                "roles": {"g": "actor"},
                "note": "A pattern; the range is the letter's.",
            }
        ],
    }
    [warning] = date_findings(records)[1]
    assert "g (actor) has a part from 2006-09-01 to 2012-11-03, partly outside" in str(warning)
    records["events"][0]["note"] = "Parent Group: so named only from January 2007; the GSPC before."
    assert date_findings(records) == ([], [])
    records["events"][0]["note"] = "Parent Group is the actor throughout."  # no year: no explanation
    assert len(date_findings(records)[1]) == 1
