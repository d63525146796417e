"""The classroom page and the analysts' charts under Streamlit's AppTest."""

from __future__ import annotations

import json
import re
from html import escape

import pytest
from streamlit.testing.v1 import AppTest

from geo.classroom import new_round, true_size_areas, true_size_shape
from tests.apptest import map_component, page_html, run


def classroom(mode: str | None = None, **state) -> AppTest:
    return run(
        page="app_pages/classroom.py", before={**({"classroom_mode": mode} if mode else {}), **state}, timeout=90
    )


def answer_button(app: AppTest):
    return next(button for button in app.button if button.label == "Answer")


def test_the_quiz_answered_from_a_list_scores_and_moves_on():
    app = classroom()
    questions = new_round("easy", seed=0)
    assert f"Question 1 of 10: Click on {escape(questions[0].name)}" in page_html(app)
    app.radio(key=f"quiz_choice_{questions[0].id}").set_value(questions[0].name)
    answer_button(app).click().run()
    assert f"Right: {escape(questions[0].name)}.</div>" in page_html(app)
    assert f"Question 2 of 10: Click on {escape(questions[1].name)}" in page_html(app)
    assert "Round 1: 1 / 1 right" in page_html(app)
    wrong = next(
        choice for choice in app.radio(key=f"quiz_choice_{questions[1].id}").options if choice != questions[1].name
    )
    app.radio(key=f"quiz_choice_{questions[1].id}").set_value(wrong)
    answer_button(app).click().run()
    assert re.search(
        rf"Not quite: you chose {re.escape(escape(wrong))}; {re.escape(escape(questions[1].name))} "
        r"is [\d,]+ km",
        page_html(app),
    )
    assert "Round 1: 1 / 2 right" in page_html(app)


def test_the_quiz_map_hides_every_name():
    app = classroom()
    [component] = [c for c in app.get("component_instance") if "st_folium" in c.proto.component_name]
    assert (
        ".atlas-map-label, .leaflet-tooltip { display: none !important; }"
        in json.loads(component.proto.json_args)["header"]
    )


def test_true_size_reports_both_areas_equal_and_the_letters_comparison():
    app = classroom("true_size")
    name, shape = true_size_shape("france-and-belgium")
    areas = true_size_areas(shape, -3.0, 16.77)
    text = next(m.value for m in app.markdown if m.value.startswith(f"**{name}**"))
    assert f"{areas.original_km2:,.0f} km² at home" in text and f"{areas.moved_km2:,.0f} km² moved" in text


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("distances", r"\*\*Algiers → Timbuktu\*\*: [\d,]+ km \([\d,]+ miles\)"),
        ("names", r"\*\*Timbuktu\*\* is also written:"),
    ],
)
def test_distances_and_names(mode, expected):
    app = classroom(mode)
    assert any(re.match(expected, m.value) for m in app.markdown), [m.value for m in app.markdown]


def test_names_list_the_spellings_the_data_holds(atlas):
    app = classroom("names")
    aliases = atlas.places.set_index("id").loc["timbuktu", "aliases"]
    listed = next(m.value for m in app.markdown if m.value.startswith("- "))
    assert all(f"- {alias}" in listed for alias in aliases)


def dashboard(tab: str) -> AppTest:
    return run(timeout=90, below_map=tab)


@pytest.mark.parametrize(
    "tab, downloads",
    [
        ("Groups over time", {"lineage_png", "lineage_svg"}),
        ("Kidnapping economy", {"takings_png", "takings_svg", "ransoms_png", "ransoms_svg"}),
    ],
)
def test_the_analysts_charts_are_under_the_map_with_their_downloads(tab, downloads):
    app = dashboard(tab)
    assert app.get("vega_lite_chart")
    keys = {button.proto.id.split("-")[-1] for button in app.get("download_button")}
    assert all(any(key in found for found in keys) for key in downloads), keys


def test_a_group_picked_in_the_chart_of_groups_filters_the_map():
    app = run(timeout=90, next_groups=["mujao"])  # what a click on MUJAO's bar leaves for the next run
    assert app.multiselect(key="groups").value == ["mujao"] and app.checkbox(key="related").value


def test_a_distance_between_two_clicks_on_the_map():
    from geo.measure import great_circle_km

    clicks = [(-3.0, 16.77), (1.41, 18.44)]  # near Timbuktu, near Kidal
    app = classroom("distances", distance_by_clicks=True, distance_clicks=clicks)
    km = great_circle_km(*clicks[0], *clicks[1])
    assert any(m.value.startswith(f"**your first click → your second click**: {km:,.0f} km") for m in app.markdown)


def quiz_map(app: AppTest):
    return map_component(app)


def test_the_quiz_map_is_the_same_map_from_question_to_question():
    # The browser keeps a map (its zoom and centre) while its identity stays the same; only
    # the answers' layer, added to the map in place, changes.
    app = classroom()
    before = quiz_map(app)
    assert "quiz-target" not in (json.loads(before.json_args)["feature_group"] or "")
    question = new_round("easy", seed=0)[0]
    app.radio(key=f"quiz_choice_{question.id}").set_value(question.name)
    answer_button(app).click().run()
    after = quiz_map(app)
    assert after.id and after.id == before.id
    assert json.loads(after.json_args)["script"] == json.loads(before.json_args)["script"]
    assert "quiz-target-0" in json.loads(after.json_args)["feature_group"]
    assert {"zoom", "center", "last_clicked"} <= set(json.loads(after.json_args)["returned_objects"])


def test_true_size_says_which_region_the_letters_most_plausibly_meant():
    from geo.measure import LETTERS_REGION_READING

    app = run(page="app_pages/classroom.py", classroom_mode="true_size")
    assert not app.exception
    captions = " ".join(caption.value for caption in app.caption)
    assert "France and Belgium combined" in captions and LETTERS_REGION_READING in captions
