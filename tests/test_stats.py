"""The events-per-year counts: every year of the range, long events in each year they span."""

import pandas as pd
import pytest

from geo.filters import EventFilter, events_matching
from geo.stats import NO_GROUP, OTHER_GROUPS, events_by_year_and_group


def made_up_events(*spans) -> pd.DataFrame:
    """Events from (year_start, year_end, groups) triples."""
    return pd.DataFrame(
        [
            {"id": f"e{i}", "year_start": start, "year_end": end, "groups": list(groups)}
            for i, (start, end, groups) in enumerate(spans)
        ]
    )


def per_year(counts: pd.DataFrame) -> dict[int, int]:
    return counts.groupby("Year")["Events"].sum().to_dict()


def test_a_range_shows_its_years_and_no_others(atlas):
    events = events_matching(atlas.events, EventFilter(year_from=2008, year_to=2010))
    assert events["year_start"].min() < 2008  # long-running events began earlier
    counts = events_by_year_and_group(events, 2008, 2010)
    assert sorted(counts["Year"].unique()) == [2008, 2009, 2010]


def test_a_year_without_events_stays_with_zero():
    counts = events_by_year_and_group(made_up_events((2004, 2004, ["a"]), (2006, 2006, ["b"])), 2004, 2006)
    assert per_year(counts) == {2004: 1, 2005: 0, 2006: 1}


def test_a_long_event_counts_in_each_year_it_overlaps():
    counts = events_by_year_and_group(made_up_events((2007, 2009, ["a"])), 2008, 2011)
    assert per_year(counts) == {2008: 1, 2009: 1, 2010: 0, 2011: 0}


@pytest.mark.parametrize(
    "year_from, year_to, groups",
    [
        (2008, 2010, ()),
        (1992, 2013, ()),
        (2003, 2013, ("aqim",)),
        (2012, 2012, ()),
    ],
)
def test_each_year_totals_the_events_going_on_that_year(atlas, year_from, year_to, groups):
    events = events_matching(
        atlas.events,
        EventFilter(year_from=year_from, year_to=year_to, groups=groups, include_related=True),
        atlas.groups,
    )
    expected = {}
    for year in range(year_from, year_to + 1):
        expected[year] = sum(1 for event in events.itertuples() if event.year_start <= year <= event.year_end)
    assert per_year(events_by_year_and_group(events, year_from, year_to)) == expected


def test_the_most_frequent_groups_are_named_and_the_rest_summed(atlas):
    events = events_matching(atlas.events, EventFilter(year_from=2003, year_to=2013))
    counts = events_by_year_and_group(events, 2003, 2013, top=3)
    event_years = {}  # the first group that carried it out -> years of events under it
    unnamed = False  # an event that names no group has a bar of its own
    for event in events.itertuples():
        actors = [g for g in event.groups if event.roles[g] == "actor"]
        responses = [g for g in event.groups if event.roles[g] == "response"]
        lead = (actors or responses or list(event.groups) or [None])[0]
        if lead is None:
            unnamed = True
            continue
        overlap = min(event.year_end, 2013) - max(event.year_start, 2003) + 1
        event_years[lead] = event_years.get(lead, 0) + overlap
    ranked = sorted(event_years, key=lambda group: (-event_years[group], group))
    assert list(dict.fromkeys(counts["Group"])) == [*ranked[:3], *([NO_GROUP] if unnamed else []), OTHER_GROUPS]
    assert counts.loc[counts["Group"] == OTHER_GROUPS, "Events"].sum() == sum(event_years[g] for g in ranked[3:])


def test_groups_show_by_name_and_events_naming_none_count_apart():
    events = made_up_events((2010, 2010, ["aqim", "mujao"]), (2010, 2010, []))
    counts = events_by_year_and_group(events, 2010, 2010, group_names={"aqim": "AQIM"})
    assert counts.set_index("Group")["Events"].to_dict() == {"AQIM": 1, NO_GROUP: 1}


def test_a_reversed_range_is_refused():
    with pytest.raises(ValueError, match="year_from should not be after year_to"):
        events_by_year_and_group(made_up_events(), 2010, 2008)
