"""The "Read a report" page under AppTest: read a pasted report, see it marked and mapped, keep its events."""

import json

from geo.workspace import open_workspace
from tests.apptest import map_args, run

PAGE = "app_pages/read_report.py"
WIRE = (
    "GAO, 3 March 2012 (Reuters) - Gunmen of Ansar Dine kidnapped two aid workers near Menaka on Thursday, "
    "officials said. <script>alert('x')</script> **Iyad Ag Ghaly** denied it in Kidal."
)


def _marked_text(app) -> str:
    """The marked text as the page sends it to its text view."""
    [view] = [e for e in app.get("bidi_component") if e.proto.component_name == "atlas_report_text"]
    return json.loads(view.proto.json)["html"]


def _read(text=WIRE, **fields):
    app = run(page=PAGE)
    app.text_area(key="report_paste").input(text)
    for key, value in fields.items():
        app.text_input(key=key).input(value)
    app.button(key="report_read").click().run()
    assert not app.exception, app.exception
    return app


def test_a_pasted_report_is_marked_escaped_and_its_places_mapped():
    app = _read(report_title="Menaka wire")
    html = _marked_text(app)
    assert "<mark class='atlas-mark-place' data-mention=" in html and "<mark class='atlas-mark-group'" in html
    assert "<mark class='atlas-mark-person'" in html and "<mark class='atlas-mark-date'" in html
    # The report's own markup shows as text: escaped, never run or read as markdown.
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "**<mark class='atlas-mark-person" in html  # the asterisks stay asterisks
    assert map_args(app)["script"].count("atlas-report-place") >= 3  # Gao, Menaka, Kidal
    assert "report date 2012-03-03" in app.markdown[1].value


def test_the_confirmed_events_are_kept_as_a_report_dataset_with_the_text(tmp_path, monkeypatch):
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    app = _read(report_title="Menaka wire", report_author="Reuters")
    [editor] = [e for e in app.get("arrow_data_frame")] or [None]
    app.text_input(key="report_dataset").input("Menaka wire")
    app.button(key="report_keep").click().run()
    assert not app.exception, app.exception
    assert any("Kept" in s.value for s in app.success), [e.value for e in app.error]
    workspace = open_workspace()
    [info] = workspace.datasets()
    assert info.format == "report" and info.imported >= 1
    assert workspace.document("Menaka wire") == WIRE
    events = workspace.events(["Menaka wire"])
    assert "kidnapping" in set(events["type"])
    assert all(original["report_author"] == "Reuters" for original in events["original"])


def test_an_empty_report_and_a_broken_file_get_a_message_not_a_traceback():
    app = _read(text="   ")
    assert any("empty text" in e.value for e in app.error)
    app = run(page=PAGE)
    assert not app.exception


def test_corrections_move_the_event_and_a_bad_date_or_unknown_place_is_said(atlas):
    import pytest

    from geo.reading import read_report
    from ui.report_reading import corrected_events, draft_rows

    reading = read_report(WIRE)
    rows = draft_rows(reading.events)
    rows.loc[0, "Place"] = "Tombouctou"
    rows.loc[0, "Groups and people"] = "Ansar Dine; Harouna Keita"
    [event] = corrected_events(reading.events, rows.iloc[[0]], {}, atlas, atlas.places).itertuples()
    assert event.place == "timbuktu" and abs(event.geometry.x - (-3.0)) < 0.1
    assert event.groups == ["ansar-eddine"] and event.actors == ["Ansar Dine", "Harouna Keita"]
    rows.loc[0, "From"] = "3 March"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        corrected_events(reading.events, rows, {}, atlas, atlas.places)
    rows.loc[0, "From"], rows.loc[0, "Place"] = "2012-03-01", "Atlantis"
    with pytest.raises(ValueError, match="no place called 'Atlantis'"):
        corrected_events(reading.events, rows, {}, atlas, atlas.places)


def test_a_place_shown_on_the_map_is_lit_in_the_text_and_ringed_on_the_map():
    from ui.report_links import FOCUS_KEY

    app = _read(report_title="Menaka wire")
    assert " atlas-mark-lit'" not in _marked_text(app)
    from geo.reading import read_report

    kidal = next(m for m in read_report(WIRE).places if m.text == "Kidal")
    app.session_state[FOCUS_KEY] = (round(kidal.candidates[0].lat, 5), round(kidal.candidates[0].lon, 5))
    app.run()
    html = _marked_text(app)
    assert html.count(" atlas-mark-lit' data-mention") == 1
    args = map_args(app)
    assert "atlas-report-focus" in json.dumps(args), sorted(args)


def test_a_map_click_on_a_mark_shows_its_place_and_with_a_name_chosen_places_it(monkeypatch):
    import streamlit as st

    from ui import report_links

    state = {report_links.MAP_KEY: {"last_object_clicked": {"lat": 18.44, "lng": 1.41}, "last_clicked": None}}
    monkeypatch.setattr(st, "session_state", state)
    report_links.on_map_click([(18.444, 1.407), (15.5, 0.3)], zoom=6)
    assert state[report_links.FOCUS_KEY] == (18.444, 1.407)
    state[report_links.TO_PLACE_KEY] = "Konna"
    state[report_links.MAP_KEY] = {"last_object_clicked": None, "last_clicked": {"lat": 14.95, "lng": -3.89}}
    report_links.on_map_click([(18.444, 1.407)], zoom=6)
    assert state[report_links.BY_HAND_KEY] == {"Konna": (14.95, -3.89)} and state[report_links.TO_PLACE_KEY] is None


def test_a_name_in_no_gazetteer_placed_by_hand_places_the_events_told_there(atlas):
    from geo.reading import read_report
    from geo.reading.places import unplaced_names
    from ui.report_reading import corrected_events, draft_rows

    text = "BAMAKO, Jan 18 2013 (Reuters) - Islamist fighters attacked the town of Konna on Thursday."
    reading = read_report(text)
    assert [name for name, _, _ in unplaced_names(reading.text, reading.mentions)] == ["Konna"]
    by_hand = {"Konna": (14.95, -3.89)}
    rows = draft_rows(reading.events, by_hand)
    assert rows.loc[0, "Place"] == "Konna" and "placed by hand" in rows.loc[0, "Where and when from"]
    [event] = corrected_events(reading.events, rows.iloc[[0]], {}, atlas, atlas.places, by_hand).itertuples()
    assert (event.place_name, round(event.geometry.x, 2), round(event.geometry.y, 2)) == ("Konna", -3.89, 14.95)
    assert event.original["place_from"] == "placed by hand on the map"


def test_french_wire_stories_are_read_on_the_page_places_dates_and_events():
    from pathlib import Path

    stories = Path(__file__).parent / "fixtures" / "reports"
    for story, places in (("tombouctou-fr.txt", ("Tombouctou", "Ménaka")), ("germaneau-fr.txt", ("In Aménas",))):
        app = _read(text=(stories / story).read_text(encoding="utf-8"), report_title=story)
        assert "French" in app.markdown[1].value, app.markdown[1].value
        html = _marked_text(app)
        for place in places:
            assert f">{place}</mark>" in html, (story, place)
        assert "<mark class='atlas-mark-date'" in html
        assert "report date 2012-04-02" in app.markdown[1].value or story != "tombouctou-fr.txt"
        # The French verbs ('ont pris le contrôle', 'enlevé', 'a mené un raid') give drafts to confirm.
        assert not any("No event proposed" in info.value for info in app.info), story
        assert any("Each row is a draft" in caption.value for caption in app.caption), story
