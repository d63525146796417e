"""The "Read a report" page under AppTest: read a pasted report, see it marked and mapped, keep its events."""

from geo.workspace import open_workspace
from tests.apptest import map_args, page_html, run

PAGE = "app_pages/read_report.py"
WIRE = (
    "GAO, 3 March 2012 (Reuters) - Gunmen of Ansar Dine kidnapped two aid workers near Menaka on Thursday, "
    "officials said. <script>alert('x')</script> **Iyad Ag Ghaly** denied it in Kidal."
)


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
    html = page_html(app)
    assert "<mark class='atlas-mark-place'" in html and "<mark class='atlas-mark-group'" in html
    assert "<mark class='atlas-mark-person'" in html and "<mark class='atlas-mark-date'" in html
    # The report's own markup shows as text: escaped, never run or read as markdown.
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "**<mark class='atlas-mark-person'" in html  # the asterisks stay asterisks
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
