"""The classroom: quiz scoring, true-size outlines, French names, great-circle distances."""

import json

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo import basemap
from geo.catalog import load_atlas
from geo.classroom import (
    FAMILIAR_DISTANCES,
    FRENCH_NAMES,
    QUIZ_SETS,
    SCREEN_TOLERANCE_PX,
    TOLERANCE_KM,
    Quiz,
    answer,
    answer_choice,
    basemap_french_texts,
    choices,
    click_tolerance,
    closest_familiar,
    distance_line,
    find_question,
    french_country_names,
    km_per_pixel,
    label_language,
    measure_distance,
    name_variants,
    new_round,
    quiz_targets,
    score,
    true_size_areas,
    true_size_outline,
    true_size_shape,
)
from geo.classroom.names import DESCRIBED_IN_FRENCH
from geo.measure import area_km2, great_circle_km

GEOD = Geod(ellps="WGS84")
KIDAL = (1.409, 18.443)
TIMBUKTU = (-3.007, 16.773)
ALGIERS = (3.087, 36.732)
LAKE_CHAD = (14.0, 13.0)


def _brute_force_km(geometry, lon, lat):
    """Nearest distance by measuring to every point of the line cut every ~500 m."""
    points = shapely.get_coordinates(shapely.segmentize(geometry, 0.005))
    _, _, metres = GEOD.inv(np.full(len(points), lon), np.full(len(points), lat), points[:, 0], points[:, 1])
    return metres.min() / 1000


# --- Quiz ---------------------------------------------------------------------------------


def test_a_click_on_kidal_is_right_and_100_km_away_is_wrong():
    kidal = find_question("easy", "kidal")
    assert answer(kidal, *KIDAL).right
    east_lon, east_lat, _ = GEOD.fwd(*KIDAL, 90, 100_000)
    wrong = answer(kidal, east_lon, east_lat)
    assert not wrong.right
    assert wrong.distance_km == pytest.approx(100, abs=0.5)
    assert "100 km" in wrong.message
    # Just inside the tolerance still counts.
    near_lon, near_lat, _ = GEOD.fwd(*KIDAL, 0, (TOLERANCE_KM["point"] - 1) * 1000)
    assert answer(kidal, near_lon, near_lat).right


def test_a_click_inside_mali_is_right_and_outside_says_how_far():
    mali = find_question("countries", "mali")
    inside = answer(mali, -4.0, 17.0)
    assert inside.right and inside.distance_km == 0
    # Niamey is in Niger, ~100 km from Mali's nearest border.
    outside = answer(mali, 2.11, 13.51)
    assert not outside.right
    assert outside.distance_km == pytest.approx(_brute_force_km(mali.geometry.boundary, 2.11, 13.51), abs=0.5)
    # The nearest point given for the line on the map is on Mali's border.
    assert shapely.Point(outside.nearest).distance(mali.geometry.boundary) < 0.01


def test_a_click_30_km_from_the_niger_river_is_wrong_by_30_km():
    niger = find_question("hard", "niger-river")
    click = (-0.4126, 16.3732)  # 30 km south-west of the river below Timbuktu
    assert _brute_force_km(niger.geometry, *click) == pytest.approx(30, abs=0.2)
    given = answer(niger, *click)
    assert not given.right
    assert given.distance_km == pytest.approx(30, abs=0.5)
    on_the_river = answer(niger, *given.nearest)
    assert on_the_river.right


def test_a_lake_counts_inside_or_just_off_its_shore():
    lake_chad = find_question("hard", "lake-chad")
    assert lake_chad.target == "area"
    inside = lake_chad.geometry.representative_point()
    assert answer(lake_chad, inside.x, inside.y).right


def _screen_pixels(lon1, lat1, lon2, lat2, zoom):
    """Pixels between two points on a Leaflet map (Web Mercator, 256-pixel tiles) at ``zoom``."""
    from pyproj import Transformer

    to_web = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    (x1, x2), (y1, y2) = to_web.transform([lon1, lon2], [lat1, lat2])
    metres_per_pixel = 2 * np.pi * 6_378_137 / 256 / 2**zoom
    return float(np.hypot(x2 - x1, y2 - y1) / metres_per_pixel)


def test_a_pixel_covers_what_leaflet_draws_in_it():
    assert km_per_pixel(0, 0) * 256 == pytest.approx(40_075, abs=1)  # the equator on one tile
    assert km_per_pixel(60, 5) == pytest.approx(km_per_pixel(0, 5) / 2, rel=1e-9)
    with pytest.raises(ValueError, match="'lat' should be"):
        km_per_pixel(90, 4)


@pytest.mark.parametrize("zoom", [3, 4, 4.75], ids=["phone zoom 3", "zoom 4", "laptop zoom 4.75"])
def test_far_out_a_click_counts_within_20_pixels_on_screen(zoom):
    kidal = find_question("easy", "kidal")
    tolerance, on_screen = click_tolerance(kidal, KIDAL[1], zoom)
    assert on_screen and tolerance > TOLERANCE_KM["point"]
    # A click 18 pixels east of Kidal on the pupil's screen is right, 23 pixels is wrong.
    near = GEOD.fwd(*KIDAL, 90, tolerance * 1000 * 18 / 20)[:2]
    far = GEOD.fwd(*KIDAL, 90, tolerance * 1000 * 23 / 20)[:2]
    assert _screen_pixels(*KIDAL, *near, zoom) == pytest.approx(18, abs=0.5)
    assert _screen_pixels(*KIDAL, *far, zoom) == pytest.approx(23, abs=0.5)
    right, wrong = answer(kidal, *near, zoom=zoom), answer(kidal, *far, zoom=zoom)
    assert right.right and not wrong.right
    # The answer says which rule judged it.
    assert f"within {SCREEN_TOLERANCE_PX} pixels ({tolerance:,.0f} km)" in right.message
    assert right.message.startswith("Right: Kidal. Your click was")
    assert f"within {SCREEN_TOLERANCE_PX} pixels" in wrong.message and wrong.message.startswith("Not quite")


def test_close_in_a_click_still_counts_within_40_km():
    kidal = find_question("easy", "kidal")
    zoom = 8  # 20 pixels are ~11 km here, so 40 km is the larger
    assert _screen_pixels(*KIDAL, *GEOD.fwd(*KIDAL, 90, 40_000)[:2], zoom) > 60
    given = answer(kidal, *GEOD.fwd(*KIDAL, 0, 35_000)[:2], zoom=zoom)
    assert given.right and not given.judged_on_screen
    assert given.message.endswith("a click counts within 40 km.")
    missed = answer(kidal, *GEOD.fwd(*KIDAL, 0, 45_000)[:2], zoom=zoom)
    assert not missed.right and missed.message.endswith("a click counts within 40 km.")
    # An outline counts inside it or near it, and says so.
    mali = find_question("countries", "mali")
    assert "inside it or within" in answer(mali, 2.11, 13.51, zoom=6).message
    with pytest.raises(ValueError, match="'zoom' should be"):
        answer(kidal, *KIDAL, zoom=float("nan"))


def test_the_quiz_judges_each_click_at_its_own_zoom():
    quiz = Quiz("easy", seed=5)
    target = quiz.current.geometry
    off = GEOD.fwd(target.x, target.y, 90, 120_000)[:2]  # 120 km east
    assert quiz.answer(*off, zoom=3.5).right  # 20 px are ~250 km at zoom 3.5
    target = quiz.current.geometry
    assert not quiz.answer(*GEOD.fwd(target.x, target.y, 90, 120_000)[:2], zoom=6).right


def test_rounds_are_the_same_for_a_seed_and_hold_10_distinct_questions():
    for set_name in QUIZ_SETS:
        first = new_round(set_name, seed=7)
        assert [q.id for q in first] == [q.id for q in new_round(set_name, seed=7)]
        assert len(first) == 10 and len({q.id for q in first}) == 10
    assert [q.id for q in new_round("easy", 1)] != [q.id for q in new_round("easy", 2)]
    with pytest.raises(ValueError, match="should be between"):
        new_round("easy", 1, size=1000)
    with pytest.raises(ValueError, match="should be one of"):
        new_round("impossible", 1)


def test_the_sets_hold_what_a_teacher_expects():
    easy = {q.name for q in quiz_targets("easy")}
    assert {
        "Kidal",
        "Timbuktu",
        "Ménaka",
        "In Amenas",
        "Arlit",
        "Agadez",
        "Niamey",
        "Bamako",
        "Nouakchott",
        "Algiers",
    } <= easy
    assert "Paris" not in easy  # outside the area
    hard = {q.name: q for q in quiz_targets("hard")}
    assert {
        "the Niger river",
        "Lake Chad",
        "Azawad",
        "Mount Chaambi",
        "Mali",
        "Algeria",
        "Niger",
        "Mauritania",
        "Libya",
        "Chad",
    } <= set(hard)
    assert hard["the Niger river"].target == "line" and hard["Azawad"].target == "area"
    countries = {q.name for q in quiz_targets("countries")}
    assert {"Mali", "Algeria", "Niger", "Nigeria", "Burkina Faso"} <= countries
    assert "Malta" not in countries and "Spain" not in countries


def test_choices_hold_the_answer_and_others_of_its_kind():
    for set_name in QUIZ_SETS:
        for question in new_round(set_name, seed=3):
            offered = choices(question)
            assert len(offered) == 4 and len(set(offered)) == 4
            assert question.name in offered
            assert offered == choices(question)
    river = find_question("hard", "niger-river")
    assert all(name.endswith("river") for name in choices(river))
    assert answer_choice(river, "the Niger river").right
    wrong = answer_choice(river, next(name for name in choices(river) if name != river.name))
    assert not wrong.right and wrong.distance_km > 0


def test_the_score_counts_this_round_and_every_round():
    quiz = Quiz("easy", seed=5)
    for _ in range(10):
        target = quiz.current.geometry
        quiz.answer(target.x, target.y)
    assert quiz.finished and quiz.round_score == (10, 10)
    quiz.next_round()
    first = quiz.current
    quiz.answer(first.geometry.x + 5, first.geometry.y)
    assert quiz.round_score == (0, 1)
    assert quiz.total_score == (10, 11)
    assert score(quiz.answers) == quiz.round_score


# --- True size -----------------------------------------------------------------------------


@pytest.mark.parametrize("place", [TIMBUKTU, ALGIERS, LAKE_CHAD], ids=["Timbuktu", "Algiers", "Lake Chad"])
def test_france_moved_keeps_its_area(place):
    _, france = true_size_shape("france")
    moved = true_size_outline(france, *place)
    assert area_km2(moved) == pytest.approx(area_km2(france), rel=0.01)
    middle = moved.centroid
    assert great_circle_km(middle.x, middle.y, *place) < 100
    original, moved_km2 = true_size_areas(france, *place)
    assert original == pytest.approx(area_km2(france))
    assert moved_km2 == pytest.approx(original, rel=0.01)


def test_shifting_degrees_instead_would_swell_france():
    # The naive way: add the difference in degrees. At Timbuktu's latitude a degree of
    # longitude is wider than at France's, so France grows by about a third.
    _, france = true_size_shape("france")
    middle = france.centroid
    shifted = shapely.affinity.translate(france, TIMBUKTU[0] - middle.x, TIMBUKTU[1] - middle.y)
    assert area_km2(shifted) / area_km2(france) > 1.3


def test_the_letters_comparison_and_the_2012_north_move_too():
    for key in ("france-and-belgium", "jihadist-held-northern-mali"):
        name, shape = true_size_shape(key)
        assert name
        original, moved = true_size_areas(shape, *ALGIERS)
        assert moved == pytest.approx(original, rel=0.01)
    _, both = true_size_shape("france-and-belgium")
    reference = basemap.reference_countries()
    assert area_km2(both) == pytest.approx(area_km2(reference).sum(), rel=0.001)
    with pytest.raises(KeyError, match="should be one of"):
        true_size_shape("atlantis")


# --- Names ---------------------------------------------------------------------------------


def test_every_french_name_is_one_of_the_places_aliases():
    places = load_atlas().places.set_index("id")
    for place_id, french in FRENCH_NAMES.items():
        if place_id in DESCRIBED_IN_FRENCH:
            continue
        assert french in places.loc[place_id, "aliases"], place_id
    # The gas plant is described, not named: its names inside are the curated ones.
    plant = FRENCH_NAMES["in-amenas-gas-plant"]
    assert "Tiguentourine" in places.loc["in-amenas-gas-plant", "aliases"]
    assert f"({FRENCH_NAMES['in-amenas']})" in plant and plant.startswith("Site gazier de Tiguentourine")


def test_every_country_of_the_map_has_a_french_name():
    french = french_country_names()
    assert set(french) == set(basemap.countries()["iso_a2"])
    assert french["CI"] == "Côte d'Ivoire" and french["DZ"] == "Algérie" and french["TD"] == "Tchad"
    assert french["ML"] == "Mali" and french["GN"] == "Guinée" and french["EH"] == "Sahara occidental"
    # Where the reports name a country, its curated French alias is the one used.
    places = load_atlas().places
    for row in places[(places["kind"] == "country") & places["id"].isin(FRENCH_NAMES)].itertuples():
        if row.country in french:
            assert french[row.country] == FRENCH_NAMES[row.id]
    texts = basemap_french_texts()
    assert texts["Ivory Coast"] == "Côte d'Ivoire" and texts["Lake Chad"] == "Lac Tchad"
    assert texts["Algiers (capital)"] == "Alger (capitale)"


def test_name_variants_and_french_labels():
    assert name_variants("timbuktu")[:2] == ["Timbuktu", "Tombouctou"]
    assert "Azwad" in name_variants("azawad")
    with pytest.raises(KeyError):
        name_variants("atlantis")
    places = load_atlas().places
    french = label_language(places, "fr").set_index("id")
    assert french.loc["timbuktu", "name"] == "Tombouctou"
    assert french.loc["in-amenas", "name"] == "In Aménas"
    assert french.loc["kidal", "name"] == "Kidal"
    assert french.loc["in-amenas-gas-plant", "name"] == "Site gazier de Tiguentourine (In Aménas)"
    assert french.loc["timbuktu", "english_name"] == "Timbuktu"
    assert label_language(places, "en").set_index("id").loc["timbuktu", "name"] == "Timbuktu"
    assert places.set_index("id").loc["timbuktu", "name"] == "Timbuktu"  # the curated table is untouched
    with pytest.raises(ValueError):
        label_language(places, "de")


# --- Distances -----------------------------------------------------------------------------


def test_distance_line_follows_the_great_circle():
    bamako, algiers = (-7.975, 12.609), ALGIERS
    line = distance_line(*bamako, *algiers)
    assert len(line.coords) == 64
    assert line.coords[0] == pytest.approx(bamako) and line.coords[-1] == pytest.approx(algiers)
    coords = np.array(line.coords)
    _, _, steps = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    assert steps.sum() / 1000 == pytest.approx(great_circle_km(*bamako, *algiers), rel=0.005)
    # Paris to New York, where the great circle bends far north of the straight line.
    long_line = distance_line(2.35, 48.85, -74.0, 40.71)
    assert max(lat for _, lat in long_line.coords) > 51


def test_familiar_distances_give_a_comparison():
    paris_madrid = next(known for known in FAMILIAR_DISTANCES if known.name == "Paris to Madrid")
    assert paris_madrid.km == pytest.approx(1_053, abs=5)
    assert paris_madrid.miles == pytest.approx(paris_madrid.km / 1.609344)
    assert closest_familiar(1_000).name == "Paris to Madrid"
    assert closest_familiar(340).name == "London to Paris"
    bamako_timbuktu = measure_distance(-8.0, 12.65, -3.0, 16.77)
    assert bamako_timbuktu.km == pytest.approx(705, abs=2)
    assert "705 km (438 miles)" in bamako_timbuktu.describe()


# --- Layers --------------------------------------------------------------------------------


def test_layers_draw_escaped_text_in_catalogue_colours():
    import folium

    from layers.classroom import distance_layer, quiz_layer, true_size_layer
    from style import CLASSROOM

    _, france = true_size_shape("france")
    kidal = find_question("easy", "kidal")
    niger = find_question("hard", "niger-river")
    answers = [answer(kidal, *KIDAL), answer(niger, -0.4126, 16.3732)]
    folium_map = folium.Map(tiles=None)
    for group in (
        true_size_layer([("France <at> Timbuktu", true_size_outline(france, *TIMBUKTU), None)]),
        distance_layer(distance_line(-8.0, 12.65, -3.0, 16.77), "Bamako & Timbuktu"),
        quiz_layer(answers),
    ):
        group.add_to(folium_map)
    page = folium_map.get_root().render()
    assert "France <at>" not in page and "Bamako & Timbuktu" not in page
    assert CLASSROOM["true_size"][0] in page and CLASSROOM["wrong"] in page and CLASSROOM["right"] in page
    data = [
        json.loads(child.data) if isinstance(child.data, str) else child.data
        for child in quiz_layer(answers)._children.values()
    ]
    ids = [feature["id"] for collection in data for feature in collection["features"]]
    assert ids == ["quiz-target-0", "quiz-target-1", "quiz-line-0", "quiz-line-1", "quiz-click-0", "quiz-click-1"]


def test_true_size_marks_the_place_and_french_country_labels_reach_the_map():
    import folium

    from layers.basemap import basemap_features, build
    from layers.classroom import basemap_in_french, true_size_layer

    _, france = true_size_shape("france")
    group = true_size_layer(
        [("France (at home)", france, None), ("France (moved)", true_size_outline(france, *TIMBUKTU), None)],
        place=("Tombouctou", *TIMBUKTU),
    )
    folium_map = folium.Map(tiles=None)
    group.add_to(folium_map)
    page = folium_map.get_root().render()
    assert '"id": "true-size-place"' in page and '"text": "Tombouctou"' in page
    features = basemap_features(
        {
            "countries": basemap.countries(),
            "rivers": basemap.rivers(),
            "lakes": basemap.lakes(),
            "capitals": basemap.capitals(),
        }
    )
    french = basemap_in_french(features, french_country_names())
    labels = {feature["id"]: feature["properties"]["label"] for feature in french["country_names"]["features"]}
    assert labels["country-label-CI"] == "Côte d'Ivoire" and labels["country-label-DZ"] == "Algérie"
    english = {feature["id"]: feature["properties"]["label"] for feature in features["country_names"]["features"]}
    assert english["country-label-CI"] == "Ivory Coast"  # the shared basemap is left as it was
    french_map = folium.Map(tiles=None)
    build(french).add_to(french_map)
    drawn = french_map.get_root().render()
    assert '"text": "Tchad"' in drawn and '"text": "Cameroun"' in drawn and '"text": "Chad"' not in drawn
