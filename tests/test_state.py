"""A shared link restores the dashboard; a bad one is ignored with a notice, never an error."""

import pytest

from ui.state import (
    DEFAULT_LAYERS,
    LAYER_CHOICES,
    LINK_PARAMETERS,
    DashboardState,
    Vocabulary,
    parse_query,
    query_to_lists,
    to_query,
)

VOCAB = Vocabulary(
    first_year=2003,
    last_year=2013,
    groups=frozenset({"aqim", "mujao"}),
    types=frozenset({"kidnapping", "release"}),
    people=frozenset({"mokhtar-belmokhtar"}),
    sources=frozenset({"001.txt"}),
    selectable=frozenset({"event:e1", "place:timbuktu"}),
    basemaps=("Offline", "OpenStreetMap (online)"),
    countries=frozenset({"Mali", "Niger"}),
)


def test_round_trip_keeps_everything():
    state = DashboardState(
        year_from=2008,
        year_to=2010,
        groups=("aqim",),
        include_related=False,
        types=("kidnapping", "release"),
        people=("mokhtar-belmokhtar",),
        sources=("001.txt",),
        text="ransom",
        layers=("events", "regions"),
        basemap="OpenStreetMap (online)",
        view=(17.0, -3.5, 6),
        selected="place:timbuktu",
        boundary_year=2009,
        dates=("2008-03-01", "2010-05-31"),
    )
    restored = parse_query(to_query(state, VOCAB), VOCAB)
    assert restored == state
    assert restored.notices == ()


def test_defaults_make_an_empty_query():
    state = parse_query({}, VOCAB)
    assert (state.year_from, state.year_to, state.layers, state.basemap) == (2003, 2013, DEFAULT_LAYERS, "Offline")
    assert to_query(state, VOCAB) == {}


@pytest.mark.parametrize(
    "query, notice",
    [
        ({"from": "abc"}, "Ignored 'from=abc': not a year."),
        ({"to": "1850"}, "Ignored 'to=1850': the data covers 2003–2013."),
        ({"from": "2012", "to": "2004"}, "Ignored the years in the link: 2012 is after 2004."),
        ({"group": "aqim,nobody"}, "Ignored unknown group in the link: nobody."),
        ({"type": "picnic"}, "Ignored unknown event type in the link: picnic."),
        ({"basemap": "<script>"}, "Ignored unknown basemap '<script>'."),
        (
            {"lat": "north", "lon": "1", "zoom": "5"},
            "Ignored the map view in the link: lat=north is not a number.",
        ),
        (
            {"lat": "17", "lon": "1", "zoom": "40"},
            "Ignored the map view in the link: zoom=40 (from 3 to 10) out of range.",
        ),
        (
            {"lat": "999", "zoom": "99"},
            "Ignored the map view in the link: lon missing (lat, lon and zoom go together).",
        ),
        (
            {"lat": "999", "lon": "1", "zoom": "99"},
            "Ignored the map view in the link: lat=999 (from -90 to 90), zoom=99 (from 3 to 10) out of range.",
        ),
        ({"select": "event:nope"}, "Ignored 'select=event:nope': no such event or place."),
        ({"layers": "events,sky"}, "Ignored unknown layer in the link: sky."),
        (
            {"from": "2008", "to": "2008", "dates": "2008-03-01..2009-01-31"},
            "Ignored 'dates=2008-03-01..2009-01-31': the days should run from 2008 to 2008.",
        ),
        (
            {"dates": "March..May"},
            "Ignored 'dates=March..May': write the first and last day as 2019-03-01..2019-05-31.",
        ),
    ],
)
def test_bad_parameter_is_dropped_with_a_notice(query, notice):
    state = parse_query(query, VOCAB)
    assert state.notices == (notice,)


def test_good_parts_survive_beside_bad_ones():
    state = parse_query({"group": "aqim,nobody", "from": "2009", "to": "x"}, VOCAB)
    assert state.groups == ("aqim",) and state.year_from == 2009 and state.year_to == 2013
    assert len(state.notices) == 2


def test_search_text_is_capped():
    assert len(parse_query({"q": "x" * 5000}, VOCAB).text) == 200


# --- Layers ---------------------------------------------------------------------------------------


def test_first_view_shows_towns_but_not_routes_or_regions():
    layers = parse_query({}, VOCAB).layers
    assert "towns" in layers and "routes" not in layers and "regions" not in layers
    assert layers == DEFAULT_LAYERS == ("events", "places", "towns", "boundaries")


def test_towns_come_right_after_places_in_the_layer_list():
    names = list(LAYER_CHOICES)
    assert names.index("towns") == names.index("places") + 1
    assert LAYER_CHOICES["towns"] == "Towns named in the reports"


def test_a_link_can_switch_routes_on_and_towns_off():
    state = parse_query({"layers": "events,routes"}, VOCAB)
    assert (state.layers, state.notices) == (("events", "routes"), ())
    old_defaults = DashboardState(
        year_from=2003, year_to=2013, basemap="Offline", layers=("events", "places", "routes", "boundaries")
    )
    assert to_query(old_defaults, VOCAB) == {"layers": "events,places,routes,boundaries"}


def test_an_empty_layers_parameter_switches_every_layer_off():
    assert parse_query({"layers": ""}, VOCAB).layers == ()
    assert parse_query({"layers": [""]}, VOCAB).layers == ()


# --- Unknown parameters -----------------------------------------------------------------------------


def test_unknown_parameters_are_named_in_one_notice():
    state = parse_query({"foo": "1", "from": "2009", "bar": ["x", "y"]}, VOCAB)
    assert state.year_from == 2009
    assert state.notices == ("Ignored unknown link parameter: foo, bar.",)


def test_embed_is_not_a_link_parameter():
    assert parse_query({"embed": "true"}, VOCAB).notices == ("Ignored unknown link parameter: embed.",)


def test_every_parameter_a_link_is_written_with_is_known():
    """One list of parameters: what to_query writes is exactly what parse_query accepts."""
    everything = DashboardState(
        year_from=2008,
        year_to=2010,
        groups=("aqim",),
        include_related=False,
        include_named=True,
        types=("release",),
        people=("mokhtar-belmokhtar",),
        sources=("001.txt",),
        text="ransom",
        layers=("events",),
        basemap="OpenStreetMap (online)",
        view=(17.0, -3.5, 6),
        selected="event:e1",
        boundary_year=2008,
        countries=("Mali", "Niger"),
        dates=("2008-02-01", "2010-11-30"),
    )
    query = to_query(everything, VOCAB)
    assert set(query) == set(LINK_PARAMETERS)
    assert parse_query(query, VOCAB).notices == ()


def test_a_country_the_data_does_not_have_is_ignored_with_a_notice():
    state = parse_query({"country": "Mali,Atlantis"}, VOCAB)
    assert state.countries == ("Mali",)
    assert state.notices == ("Ignored unknown country in the link: Atlantis.",)
    assert state.event_filter().countries == ("Mali",)


# --- Boundaries of one year -------------------------------------------------------------------------


def test_boundaries_of_a_year_survive_the_round_trip():
    state = parse_query({"boundaries": "2008"}, VOCAB)
    assert (state.boundary_year, state.notices) == (2008, ())
    assert to_query(state, VOCAB) == {"boundaries": "2008"}


def test_no_boundary_year_unless_the_link_asks():
    state = parse_query({}, VOCAB)
    assert state.boundary_year is None
    assert "boundaries" not in to_query(state, VOCAB)


@pytest.mark.parametrize(
    "value, notice",
    [
        ("abc", "Ignored 'boundaries=abc': not a year."),
        ("1992", "Ignored 'boundaries=1992': the data covers 2003–2013."),
        ("", "Ignored 'boundaries=': not a year."),
    ],
)
def test_bad_boundary_year_is_dropped_with_a_notice(value, notice):
    state = parse_query({"boundaries": value}, VOCAB)
    assert (state.boundary_year, state.notices) == (None, (notice,))


def test_years_before_the_atlas_start_are_refused():
    state = parse_query({"from": "1992"}, VOCAB)
    assert state.year_from == VOCAB.first_year
    assert state.notices == ("Ignored 'from=1992': the data covers 2003–2013.",)


# --- Search text --------------------------------------------------------------------------------------


def test_shortened_search_text_says_so():
    state = parse_query({"q": "ransom " * 100}, VOCAB)
    assert state.text == ("ransom " * 100)[:200]
    assert state.notices == ("Shortened the search text in the link to 200 characters.",)


def test_search_text_of_exactly_the_limit_is_kept_whole():
    state = parse_query({"q": "é" * 200}, VOCAB)
    assert (state.text, state.notices) == ("é" * 200, ())


# --- Repeated keys ------------------------------------------------------------------------------------


class FakeQueryParams:
    """The part of ``st.query_params`` that sees repeated keys."""

    def __init__(self, values: dict[str, list[str]]):
        self._values = values

    def keys(self):
        return self._values.keys()

    def get_all(self, key):
        return list(self._values.get(key, []))


def test_query_to_lists_keeps_every_value():
    params = FakeQueryParams({"type": ["kidnapping", "release"], "from": ["2009"]})
    assert query_to_lists(params) == {"type": ["kidnapping", "release"], "from": ["2009"]}


def test_repeated_type_filters_on_all_its_values():
    state = parse_query(query_to_lists(FakeQueryParams({"type": ["kidnapping", "release"]})), VOCAB)
    assert (state.types, state.notices) == (("kidnapping", "release"), ())
    assert state.event_filter().types == ("kidnapping", "release")
    assert to_query(state, VOCAB) == {"type": "kidnapping,release"}


def test_repeated_list_keys_are_joined_in_order_without_repeats():
    state = parse_query({"group": ["mujao,aqim", " aqim ", "mujao"], "layers": ["events", "towns,events"]}, VOCAB)
    assert state.groups == ("mujao", "aqim")
    assert state.layers == ("events", "towns")
    assert state.notices == ()


def test_unknown_values_in_repeated_keys_are_all_reported():
    state = parse_query({"type": ["kidnapping,picnic", "parade"]}, VOCAB)
    assert state.types == ("kidnapping",)
    assert state.notices == ("Ignored unknown event type in the link: picnic, parade.",)


@pytest.mark.parametrize(
    "key, values, used",
    [
        ("from", ["2004", "2009"], 2009),
        ("to", ["2012", "2005", "2010"], 2010),
        ("q", ["ransom", "hostage"], "hostage"),
        ("basemap", ["Offline", "OpenStreetMap (online)"], "OpenStreetMap (online)"),
        ("select", ["event:e1", "place:timbuktu"], "place:timbuktu"),
        ("boundaries", ["2004", "2011"], 2011),
    ],
)
def test_repeated_single_value_uses_the_last_and_says_so(key, values, used):
    state = parse_query({key: values}, VOCAB)
    field_name = {
        "from": "year_from",
        "to": "year_to",
        "q": "text",
        "basemap": "basemap",
        "select": "selected",
        "boundaries": "boundary_year",
    }[key]
    assert getattr(state, field_name) == used
    assert state.notices == (f"Used '{key}={values[-1]}', the last of {len(values)} values for '{key}' in the link.",)


def test_repeated_identical_value_needs_no_notice():
    state = parse_query({"from": ["2009", "2009"], "related": ["0", "0"], "group": "aqim"}, VOCAB)
    assert (state.year_from, state.include_related, state.notices) == (2009, False, ())


def test_repeated_map_view_uses_the_last_of_each():
    state = parse_query({"lat": ["10", "17"], "lon": "-3.5", "zoom": "6"}, VOCAB)
    assert state.view == (17.0, -3.5, 6.0)
    assert state.notices == ("Used 'lat=17', the last of 2 values for 'lat' in the link.",)


# --- Long lists in notices ----------------------------------------------------------------------------


def test_thousands_of_unknown_groups_make_one_short_notice():
    unknown = [f"group-{n}" for n in range(3000)]
    state = parse_query({"group": ",".join(["aqim", *unknown])}, VOCAB)
    assert state.groups == ("aqim",)
    assert state.notices == (f"Ignored unknown group in the link: {', '.join(unknown[:5])} … and 2,995 more.",)


def test_many_unknown_parameters_are_summarised():
    query = {f"p{n}": "1" for n in range(12)}
    assert parse_query(query, VOCAB).notices == ("Ignored unknown link parameter: p0, p1, p2, p3, p4 … and 7 more.",)


def test_an_unknown_name_repeated_is_reported_once():
    assert parse_query({"group": "nobody,nobody", "person": ["x", "x"]}, VOCAB).notices == (
        "Ignored unknown group in the link: nobody.",
        "Ignored unknown person in the link: x.",
    )


def test_long_names_are_cut_in_notices():
    long_name = "ansar-" * 50
    state = parse_query({"group": long_name, "basemap": long_name, long_name: "1"}, VOCAB)
    cut = long_name[:39] + "…"
    assert state.notices == (
        f"Ignored unknown link parameter: {cut}.",
        f"Ignored unknown basemap '{cut}'.",
        f"Ignored unknown group in the link: {cut}.",
    )


def test_six_names_show_five_and_one_more():
    names = ["a", "b", "c", "d", "e", "f"]
    assert parse_query({"source": names}, VOCAB).notices == (
        "Ignored unknown report in the link: a, b, c, d, e … and 1 more.",
    )


# --- Odd input never raises ---------------------------------------------------------------------------

ODD_VALUES = [
    "",
    " ",
    ",",
    " , ,",
    [],
    [""],
    ["", ""],
    "x" * 100_000,
    "1" * 5000,
    "9" * 30,
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "Tombouctou—ⵜⵉⵏⴱⵓⴽⵜⵓ—تمبكتو",
    "\x00",
    "%20",
    ["2009", None],
    None,
    2009,
    17.5,
    ("a", "b"),
    "\n\t",
]


@pytest.mark.parametrize("key", [*LINK_PARAMETERS, "embed", "", "ünknown"])
@pytest.mark.parametrize("value", ODD_VALUES, ids=range(len(ODD_VALUES)))
def test_odd_values_never_raise(key, value):
    state = parse_query({key: value}, VOCAB)
    assert isinstance(state, DashboardState)
    assert VOCAB.first_year <= state.year_from <= state.year_to <= VOCAB.last_year
    assert set(state.layers) <= set(LAYER_CHOICES)
    assert len(state.text) <= 200
    assert all(isinstance(notice, str) and len(notice) < 300 for notice in state.notices)


def test_every_parameter_odd_at_once():
    state = parse_query({key: ["x" * 1000, "nan", "", "ⵜⵉⵏⴱⵓⴽⵜⵓ"] for key in LINK_PARAMETERS}, VOCAB)
    assert state == DashboardState(
        year_from=2003, year_to=2013, basemap="Offline", layers=(), include_related=True, text="ⵜⵉⵏⴱⵓⴽⵜⵓ"
    )
    assert all(len(notice) < 300 for notice in state.notices)


@pytest.mark.parametrize("lat", ["nan", "NaN", "inf"])
def test_a_view_that_is_not_a_place_is_dropped(lat):
    state = parse_query({"lat": lat, "lon": "1", "zoom": "5"}, VOCAB)
    assert state.view is None
    assert state.notices == (f"Ignored the map view in the link: lat={lat} (from -90 to 90) out of range.",)
