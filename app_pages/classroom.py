"""The classroom: a map quiz, countries at their true size, distances and the names of places.

Everything is drawn on the offline basemap. The quiz hides the map's labels and can be
answered by clicking on the map or by choosing from a list (for those who cannot point).
"""

from __future__ import annotations

import shapely
import streamlit as st
from branca.element import Element
from streamlit_folium import st_folium

from geo.classroom import (
    FRENCH_NAMES,
    LANGUAGES,
    QUIZ_SETS,
    TRUE_SIZE_SHAPES,
    Quiz,
    basemap_french_texts,
    choices,
    french_country_names,
    label_language,
    measure_distance,
    name_variants,
    true_size_areas,
    true_size_outline,
    true_size_shape,
)
from geo.measure import LETTERS_REGION_READING
from layers import towns as town_layer
from layers.atlas_map import LABEL_SIZES, new_map
from layers.basemap import OFFLINE
from layers.classroom import (
    basemap_in_french,
    distance_layer,
    french_tooltips,
    quiz_layer,
    true_size_layer,
    two_finger_map,
)
from layers.common import escape
from layers.labels import settings_group
from ui.assets import BASEMAP_URL, LEAFLET_URL, ensure_leaflet
from ui.data import CuratedDataError, atlas_data, basemap_data, town_data

MODES = {"quiz": "Map quiz", "true_size": "True size", "distances": "Distances", "names": "Names of places"}
SET_LABELS = {
    "easy": "Easy: towns and sites",
    "hard": "Hard: regions, rivers, lakes, countries",
    "countries": "Countries",
}
MAP_HEIGHT = 600
# The quiz map shows no names: labels and tooltips are hidden, not left out, so the map looks the same.
_NO_NAMES = Element("<style>.atlas-map-label, .leaflet-tooltip { display: none !important; }</style>")
# Every control a finger taps is at least 44 px (activity buttons, list answers, help icons,
# buttons); on a phone the question and the map share one screen.
PAGE_CSS = """
<style>
iframe[title="streamlit_folium.st_folium"] { height: max(380px, calc(100vh - 380px)) !important; }
.atlas-quiz-question { font-size: 1.9rem; font-weight: 750; line-height: 1.25; margin: .2rem 0 .3rem 0; }
.atlas-quiz-score { font-size: 1.1rem; color: #333; }
.atlas-quiz-result { font-size: 1rem; line-height: 1.35; margin: 0 0 .4rem 0; padding: .35rem .6rem;
  border-radius: 6px; }
.atlas-quiz-right { background: #e3f4e8; color: #0f5226; }
.atlas-quiz-wrong { background: #fdf0d5; color: #6b4300; }
[data-testid="stButtonGroup"] button, .stButton button, .stFormSubmitButton button { min-height: 44px; }
.stRadio [role="radiogroup"] label { min-height: 44px; display: flex; align-items: center; padding-right: .6rem; }
[data-testid="stTooltipHoverTarget"] { min-width: 44px; min-height: 44px; display: inline-flex;
  align-items: center; justify-content: center; }
[data-testid="stNumberInput"] button { min-width: 44px; min-height: 44px; }
@media (max-width: 640px) {
  .block-container { padding-top: 3.2rem !important; }
  h1 { font-size: 1.6rem !important; padding: .2rem 0 !important; }
  .atlas-quiz-question { font-size: 1.25rem; }
  .atlas-quiz-result { font-size: .9rem; padding: .25rem .5rem; }
  iframe[title="streamlit_folium.st_folium"] { height: max(300px, calc(100dvh - 360px)) !important; }
}
</style>
"""


def _towns():
    """The located towns, named in the language chosen for the map's labels."""
    towns = label_language(town_data(), _language())
    return towns[towns["kind"].isin(town_layer.TOWN_KINDS) & towns.geometry.notna()].sort_values("name")


def _language() -> str:
    """The labels' language, kept apart from its radio button so it holds on every activity's map."""
    return st.session_state.get("map_language") or "en"


def _keep_language() -> None:
    st.session_state.map_language = st.session_state.classroom_language


def _map(bounds=None):
    """The classroom's map: the offline basemap, labelled in the language chosen, one finger scrolls on a phone."""
    french = _language() == "fr"
    features = basemap_in_french(basemap_data(), french_country_names()) if french else basemap_data()
    fmap = new_map(features, OFFLINE, asset_base=LEAFLET_URL, basemap_url=BASEMAP_URL, bounds=bounds)
    settings_group(LABEL_SIZES[st.session_state.get("classroom_labels", "Large")]).add_to(fmap)
    if french:
        french_tooltips(fmap, basemap_french_texts())
    return two_finger_map(fmap)


# --- Quiz ---------------------------------------------------------------------------------------


def _new_quiz() -> None:
    # The map's last click is kept (not cleared): the map stays on screen from round to
    # round and still reports that click, which must not answer the new round's first question.
    st.session_state.quiz = Quiz(st.session_state.quiz_set, seed=int(st.session_state.quiz_seed))


def _next_round() -> None:
    st.session_state.quiz.next_round()


def _zoom(value):
    """The map's zoom as it reported it, or None if it did not (then the km rule alone judges)."""
    return float(value) if isinstance(value, (int, float)) and 0 <= value <= 30 else None


def _quiz_heading(quiz: Quiz) -> None:
    parts = []
    if quiz.answers:
        last = quiz.answers[-1]
        parts.append(
            f"<div class='atlas-quiz-result atlas-quiz-{'right' if last.right else 'wrong'}' "
            f"role='status'>{escape(last.message)}</div>"
        )
    question = quiz.current
    if question is not None:
        parts.append(
            f"<div class='atlas-quiz-question'>Question {len(quiz.answers) + 1} of {len(quiz.questions)}: "
            f"{escape(question.prompt)}</div>"
        )
    st.html("".join(parts))
    if st.session_state.pop("quiz_scroll_up", False):
        # An answer chosen in the list below the map: bring its result and the next question into view.
        st.html(
            "<script>(function () { var result = document.querySelector('.atlas-quiz-result');"
            " if (result) { result.scrollIntoView({block: 'start'}); } })();</script>",
            unsafe_allow_javascript=True,
        )
    if question is None:
        st.success(f"Round over: {quiz.round_score} right.")
        st.button("Next round", on_click=_next_round, type="primary", key="quiz_next_round")


def _quiz_map(quiz: Quiz) -> None:
    """The map to click on. It stays the same map from question to question (same key, same
    page; only the answers' layer changes), so the pupil's zoom and centre are kept; a map
    drawn afresh (back from another activity or page) opens on the view last seen."""
    fmap = _map()
    fmap.get_root().header.add_child(_NO_NAMES)
    came_back = st.session_state.get("page_changed") or st.session_state.get("classroom_shown") != "quiz"
    view = st.session_state.get("quiz_view") if came_back else None
    clicked = (
        st_folium(
            fmap,
            key="quiz-map",
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_clicked", "zoom", "center"],
            feature_group_to_add=[quiz_layer(quiz.answers)],
            center=view[0] if view else None,
            zoom=view[1] if view else None,
        )
        or {}
    )
    centre, zoom = clicked.get("center"), _zoom(clicked.get("zoom"))
    if isinstance(centre, dict) and zoom is not None:
        st.session_state.quiz_view = ([centre.get("lat"), centre.get("lng")], zoom)
    where = clicked.get("last_clicked")
    if quiz.current is not None and isinstance(where, dict) and where != st.session_state.get("quiz_clicked"):
        st.session_state.quiz_clicked = where
        try:
            quiz.answer(float(where["lng"]), float(where["lat"]), zoom)
        except (KeyError, TypeError, ValueError):
            st.warning("That click could not be read; click the place again.")
            return
        st.rerun()


def quiz_mode() -> None:
    st.session_state.setdefault("quiz_set", "easy")
    st.session_state.setdefault("quiz_seed", 0)
    if "quiz" not in st.session_state:
        _new_quiz()
    quiz: Quiz = st.session_state.quiz
    # The question and its map first (on a phone they fill the screen); the teacher's settings beside or below.
    play, settings = st.columns([3, 1], gap="medium")
    with play:
        _quiz_heading(quiz)
        _quiz_map(quiz)
        question = quiz.current
        if question is not None:
            with st.form("quiz_list", border=False):
                picked = st.radio(
                    "Or choose from a list",
                    choices(question),
                    key=f"quiz_choice_{question.id}",
                    horizontal=True,
                    index=None,
                )
                if st.form_submit_button("Answer") and picked:
                    quiz.answer_choice(picked)
                    st.session_state.quiz_scroll_up = True
                    st.rerun()
    with settings:
        st.html(
            f"<div class='atlas-quiz-score'>Round {quiz.round_number}: {quiz.round_score} right"
            f"<br>All rounds: {quiz.total_score}</div>"
        )
        st.selectbox(
            "Questions",
            list(QUIZ_SETS),
            key="quiz_set",
            format_func=SET_LABELS.get,
            on_change=_new_quiz,
            help="The teacher picks the set: each round asks 10 of it.",
        )
        st.number_input(
            "Class code",
            min_value=0,
            max_value=9999,
            step=1,
            key="quiz_seed",
            on_change=_new_quiz,
            help="Everyone with the same code gets the same questions in the same order.",
        )
        st.button("Start again", on_click=_new_quiz, key="quiz_restart", icon=":material/restart_alt:")


# --- True size ----------------------------------------------------------------------------------


def true_size_mode() -> None:
    towns = _towns()
    left, right = st.columns([1, 3], gap="medium")
    with left:
        key = st.selectbox(
            "Country or area",
            list(TRUE_SIZE_SHAPES),
            key="true_size_shape",
            format_func=TRUE_SIZE_SHAPES.get,
            index=list(TRUE_SIZE_SHAPES).index("france-and-belgium"),
        )
        ids = list(towns["id"])
        centre = st.selectbox(
            "Centred on",
            ids,
            key="true_size_centre",
            format_func=dict(zip(ids, towns["name"])).get,
            index=ids.index("timbuktu") if "timbuktu" in ids else 0,
        )
        name, shape = true_size_shape(key)
        point = towns.set_index("id").geometry[centre]
        moved = true_size_outline(shape, point.x, point.y)
        areas = true_size_areas(shape, point.x, point.y)
        st.markdown(
            f"**{name}**: {areas.original_km2:,.0f} km² at home, {areas.moved_km2:,.0f} km² moved "
            f"(equal-area measure). The outline is moved on the globe, not shifted on the flat map, so it "
            "keeps its true size and shape."
        )
        st.caption(
            "The Timbuktu letters compare the Sahara region with 'France and Belgium combined'. "
            f"Which region they meant: {LETTERS_REGION_READING}"
        )
    with right:
        # Framed on both, the outline at home and its copy, so the two can be compared.
        west, south, east, north = shapely.union_all([shape, moved]).bounds
        fmap = _map(bounds=(west - 1, south - 1, east + 1, north + 1))
        place = towns.set_index("id").loc[centre, "name"]
        true_size_layer(
            [(f"{name} (at home)", shape, None), (f"{name} (moved)", moved, None)], place=(place, point.x, point.y)
        ).add_to(fmap)
        st_folium(fmap, key="true-size-map", height=MAP_HEIGHT, use_container_width=True, returned_objects=[])


# --- Distances ----------------------------------------------------------------------------------


def distances_mode() -> None:
    towns = _towns()
    ids, names = list(towns["id"]), dict(zip(towns["id"], towns["name"]))
    left, right = st.columns([1, 3], gap="medium")
    with left:
        by_clicks = st.toggle("Measure between two clicks on the map", key="distance_by_clicks")
        clicks = st.session_state.setdefault("distance_clicks", [])
        if by_clicks:
            st.caption("Click two points on the map; a third click starts again.")
            if len(clicks) == 2:
                (lon1, lat1), (lon2, lat2) = clicks
                ends = ("your first click", "your second click")
            else:
                lon1 = lat1 = lon2 = lat2 = None
        else:
            start = st.selectbox(
                "From",
                ids,
                key="distance_from",
                format_func=names.get,
                index=ids.index("algiers") if "algiers" in ids else 0,
            )
            end = st.selectbox(
                "To",
                ids,
                key="distance_to",
                format_func=names.get,
                index=ids.index("timbuktu") if "timbuktu" in ids else 1,
            )
            points = towns.set_index("id").geometry
            lon1, lat1, lon2, lat2 = points[start].x, points[start].y, points[end].x, points[end].y
            ends = (names[start], names[end])
        distance = measure_distance(lon1, lat1, lon2, lat2) if lon1 is not None else None
        if distance is not None:
            st.markdown(
                f"**{ends[0]} → {ends[1]}**: {distance.describe()}, as the crow flies "
                "(the great circle, drawn on the map)."
            )
    with right:
        fmap = _map()
        if distance is not None:
            distance_layer(distance.line, f"{ends[0]} – {ends[1]}: {distance.km:,.0f} km").add_to(fmap)
        town_layer.build(label_language(town_data(), _language())).add_to(fmap)
        clicked = st_folium(
            fmap,
            key=f"distance-map-{len(clicks) if by_clicks else 'places'}",
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_clicked"] if by_clicks else [],
        )
    where = (clicked or {}).get("last_clicked") if by_clicks else None
    if where and where != st.session_state.get("distance_last_click"):
        st.session_state.distance_last_click = where
        st.session_state.distance_clicks = (clicks if len(clicks) < 2 else []) + [(where["lng"], where["lat"])]
        st.rerun()


# --- Names --------------------------------------------------------------------------------------


def names_mode() -> None:
    places = atlas_data().places
    located = places[places.geometry.notna()].sort_values("name")
    left, right = st.columns([1, 3], gap="medium")
    with left:
        language = st.radio(
            "Labels on the map",
            LANGUAGES,
            key="classroom_language",
            horizontal=True,
            index=LANGUAGES.index(_language()),
            on_change=_keep_language,
            format_func={"en": "English", "fr": "French"}.get,
            help="Countries and every place with a French form (the reports' and their "
            f"translations' spellings: {len(FRENCH_NAMES)} places), on every classroom map",
        )
        ids = list(located["id"])
        chosen = st.selectbox(
            "Spellings of",
            ids,
            key="names_place",
            format_func=dict(zip(ids, located["name"])).get,
            index=ids.index("timbuktu") if "timbuktu" in ids else 0,
        )
        st.markdown("**" + escape(located.set_index("id").loc[chosen, "name"]) + "** is also written:")
        variants = name_variants(chosen)[1:]
        st.markdown("\n".join(f"- {escape(v)}" for v in variants) if variants else "_no other spelling_")
    with right:
        fmap = _map()
        town_layer.build(label_language(town_data(), language)).add_to(fmap)  # countries: see _map
        st_folium(fmap, key=f"names-map-{language}", height=MAP_HEIGHT, use_container_width=True, returned_objects=[])


def main() -> None:
    ensure_leaflet()
    try:
        atlas_data()
    except CuratedDataError as error:
        st.error("The curated data could not be loaded. Nothing was changed; fix these and reload:")
        st.code(str(error), language=None)
        st.stop()
    st.html(PAGE_CSS)
    st.title("Classroom")
    st.segmented_control(
        "Activity",
        list(MODES),
        key="classroom_mode",
        format_func=MODES.get,
        default="quiz",
        label_visibility="collapsed",
    )
    mode = st.session_state.get("classroom_mode") or "quiz"
    {"quiz": quiz_mode, "true_size": true_size_mode, "distances": distances_mode, "names": names_mode}[mode]()
    st.session_state.classroom_shown = mode


main()
