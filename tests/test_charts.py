"""What the tabs under the map show: the events-per-year chart, the table, the disagreements."""

import re

import pytest

from geo.filters import EventFilter, events_matching
from geo.stats import OTHER_GROUPS
from layers.common import escape
from ui.charts import GROUP_COLOURS, disagreement_counts, disagreements_html, event_table, events_per_year


def chart(atlas, names, year_from, year_to, **filters):
    events = events_matching(atlas.events, EventFilter(year_from=year_from, year_to=year_to, **filters), atlas.groups)
    spec = events_per_year(events, names, year_from, year_to).to_dict()
    [rows] = spec["datasets"].values()
    return spec, rows


def test_the_year_axis_is_the_selected_range(atlas, names):
    spec, rows = chart(atlas, names, 2008, 2010)
    assert spec["encoding"]["x"]["scale"]["domain"] == [2008, 2009, 2010]
    assert sorted({row["Year"] for row in rows}) == [2008, 2009, 2010]


def test_each_bar_is_as_tall_as_the_events_going_on_that_year(atlas, names):
    spec, rows = chart(atlas, names, 2003, 2013)
    events = events_matching(atlas.events, EventFilter(year_from=2003, year_to=2013))
    for year in range(2003, 2014):
        going_on = sum(1 for event in events.itertuples() if event.year_start <= year <= event.year_end)
        assert sum(row["Events"] for row in rows if row["Year"] == year) == going_on, year
    assert "every year it spans" in spec["title"]["subtitle"]


@pytest.mark.parametrize(
    "year_from, year_to, filters",
    [
        (1992, 2013, {}),
        (2008, 2010, {}),
        (2003, 2013, {"groups": ("aqim",), "include_related": True}),
    ],
)
def test_every_group_shown_has_its_own_colour(atlas, names, year_from, year_to, filters):
    spec, rows = chart(atlas, names, year_from, year_to, **filters)
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == list(dict.fromkeys(row["Group"] for row in rows))
    assert len(scale["range"]) == len(set(scale["range"])) == len(scale["domain"])


def test_aqim_and_its_tariq_ibn_ziyad_brigade_look_different(atlas, names):
    spec, _ = chart(atlas, names, 2003, 2013)
    scale = spec["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"]))
    aqim, brigade = names.groups["aqim"], names.groups["tariq-ibn-ziyad-brigade"]
    # Each in its own colour, or the brigade among the grey "other groups": never AQIM's colour.
    assert colours[aqim] != colours.get(brigade, colours[OTHER_GROUPS])
    assert len(set(colours.values())) == len(colours) == len(GROUP_COLOURS) + 2  # ten groups, other, none: apart


def test_the_table_names_reports_not_files(atlas, names):
    table = event_table(atlas.events, names)
    assert not table["Sources"].str.contains(r"\b00\d_[0-9a-f]+\.txt").any()
    assert table["Sources"].str.contains(re.escape(names.sources["001_f2bd6db9d75cc368.txt"])).any()


def subjects_listed(html: str, disagreements) -> set[str]:
    return {row.subject for row in disagreements.itertuples() if f"<b>{escape(row.subject)}</b>" in html}


@pytest.mark.parametrize(
    "filters",
    [
        {"year_from": 2008, "year_to": 2010},
        {"types": ("kidnapping",)},
        {"people": ("louis-gray",)},
        {},
    ],
)
def test_disagreements_follow_the_filters(atlas, names, filters):
    events = events_matching(atlas.events, EventFilter(**filters), atlas.groups)
    shown_ids = set(events["id"])
    expected = {row.subject for row in atlas.disagreements.itertuples() if row.event in shown_ids}
    html = disagreements_html(atlas, names, events)
    assert subjects_listed(html, atlas.disagreements) == expected
    assert disagreement_counts(atlas, events) == (len(expected), len(atlas.disagreements))


def test_show_all_lists_every_disagreement_even_those_tied_to_no_event(atlas, names):
    assert atlas.disagreements["event"].isna().any()
    html = disagreements_html(atlas, names)
    assert subjects_listed(html, atlas.disagreements) == set(atlas.disagreements["subject"])
    assert disagreement_counts(atlas) == (len(atlas.disagreements),) * 2


def test_no_event_shown_means_no_disagreement_listed(atlas, names):
    html = disagreements_html(atlas, names, atlas.events.iloc[0:0])
    assert "No disagreements bear on the events shown" in html
    assert disagreement_counts(atlas, atlas.events.iloc[0:0]) == (0, len(atlas.disagreements))
