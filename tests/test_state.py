"""A shared link restores the dashboard; a bad one is ignored with a notice, never an error."""

import pytest

from ui.state import DEFAULT_LAYERS, DashboardState, Vocabulary, parse_query, to_query

VOCAB = Vocabulary(first_year=2003, last_year=2013, groups=frozenset({"aqim", "mujao"}),
                   types=frozenset({"kidnapping", "release"}), people=frozenset({"mokhtar-belmokhtar"}),
                   sources=frozenset({"001.txt"}), selectable=frozenset({"event:e1", "place:timbuktu"}),
                   basemaps=("Offline", "OpenStreetMap (online)"))


def test_round_trip_keeps_everything():
    state = DashboardState(year_from=2008, year_to=2010, groups=("aqim",), include_related=False,
                           types=("kidnapping", "release"), people=("mokhtar-belmokhtar",), sources=("001.txt",),
                           text="ransom", layers=("events", "regions"), basemap="OpenStreetMap (online)",
                           view=(17.0, -3.5, 6), selected="place:timbuktu")
    restored = parse_query(to_query(state, VOCAB), VOCAB)
    assert restored == state
    assert restored.notices == ()


def test_defaults_make_an_empty_query():
    state = parse_query({}, VOCAB)
    assert (state.year_from, state.year_to, state.layers, state.basemap) == (2003, 2013, DEFAULT_LAYERS, "Offline")
    assert to_query(state, VOCAB) == {}


@pytest.mark.parametrize("query, notice", [
    ({"from": "abc"}, "Ignored 'from=abc': not a year."),
    ({"to": "1850"}, "Ignored 'to=1850': the data covers 2003–2013."),
    ({"from": "2012", "to": "2004"}, "Ignored the years in the link: 2012 is after 2004."),
    ({"group": "aqim,nobody"}, "Ignored unknown group in the link: nobody."),
    ({"type": "picnic"}, "Ignored unknown event type in the link: picnic."),
    ({"basemap": "<script>"}, "Ignored unknown basemap '<script>'."),
    ({"lat": "north", "lon": "1", "zoom": "5"}, "Ignored the map view in the link: lat, lon and zoom must all be numbers."),
    ({"lat": "17", "lon": "1", "zoom": "40"}, "Ignored the map view in the link: it is outside the map."),
    ({"select": "event:nope"}, "Ignored 'select=event:nope': no such event or place."),
    ({"layers": "events,sky"}, "Ignored unknown layer in the link: sky."),
])
def test_bad_parameter_is_dropped_with_a_notice(query, notice):
    state = parse_query(query, VOCAB)
    assert state.notices == (notice,)


def test_good_parts_survive_beside_bad_ones():
    state = parse_query({"group": "aqim,nobody", "from": "2009", "to": "x"}, VOCAB)
    assert state.groups == ("aqim",) and state.year_from == 2009 and state.year_to == 2013
    assert len(state.notices) == 2


def test_search_text_is_capped():
    assert len(parse_query({"q": "x" * 5000}, VOCAB).text) == 200
