"""One set of filters decides what the map, the table, the charts and the export show."""

import pytest

from geo.catalog import load_atlas
from geo.filters import EventFilter, UnknownName, events_matching, resolve_names, summary_line


@pytest.fixture
def atlas(mini_data):
    return load_atlas(mini_data)


def ids(events):
    return list(events["id"])


def test_no_filter_keeps_everything(atlas):
    assert ids(events_matching(atlas.events, EventFilter())) == ["2008-seizure", "2008-release"]


def test_year_range_uses_overlap(atlas):
    assert ids(events_matching(atlas.events, EventFilter(year_from=2008, year_to=2008))) == [
        "2008-seizure",
        "2008-release",
    ]
    assert ids(events_matching(atlas.events, EventFilter(year_from=2009))) == []
    assert ids(events_matching(atlas.events, EventFilter(year_to=2007))) == []


def test_group_alone_or_with_its_brigades(atlas):
    only_parent = EventFilter(groups=("parent-group",))
    assert ids(events_matching(atlas.events, only_parent, atlas.groups)) == ["2008-release"]
    with_units = EventFilter(groups=("parent-group",), include_related=True)
    assert ids(events_matching(atlas.events, with_units, atlas.groups)) == ["2008-seizure", "2008-release"]


def test_type_person_source_and_text(atlas):
    assert ids(events_matching(atlas.events, EventFilter(types=("release",)))) == ["2008-release"]
    assert ids(events_matching(atlas.events, EventFilter(people=("traveller-one",)))) == ["2008-seizure"]
    assert ids(events_matching(atlas.events, EventFilter(sources=("report-a.txt",)))) == [
        "2008-seizure",
        "2008-release",
    ]
    assert ids(events_matching(atlas.events, EventFilter(text="OTHERTON"))) == ["2008-release"]


def test_names_resolve_through_aliases(atlas):
    assert resolve_names(["PG", "child brigade"], atlas.groups, "group") == ("parent-group", "child-brigade")
    assert resolve_names(["T. One"], atlas.people, "person") == ("traveller-one",)
    with pytest.raises(UnknownName, match="unknown group: 'Nobody'"):
        resolve_names(["Nobody"], atlas.groups, "group")


def test_describe_in_words(atlas):
    event_filter = EventFilter(
        year_from=2008, year_to=2010, groups=("parent-group",), include_related=True, types=("kidnapping",)
    )
    described = event_filter.describe({"parent-group": "PG"})
    assert described == "2008–2010, PG and its brigades and successors, kidnapping"
    matching = events_matching(atlas.events, event_filter, atlas.groups)
    assert summary_line(matching, event_filter, {"parent-group": "PG"}) == f"1 event, {described}"
    assert summary_line(atlas.events, EventFilter()) == "2 events"
