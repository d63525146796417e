"""Text from outside the app (links, names, file names, error messages) is shown as written, never as markdown.

A markdown link or image in any of them would otherwise become a live link, or make the page fetch
an outside host (``/?q=![t](https://tracker.example/px.png)``).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.imports import import_file
from geo.workspace import open_workspace
from tests.apptest import live_markup, run, shown
from ui.text import plain

HOSTILE = [
    "![t](https://tracker.example/px.png)",
    "[x](https://evil.example)",
    "<https://evil.example>",
    "<img src=https://tracker.example/px.png>",
    "https://evil.example/page",
    "www.evil.example",
    "spy@evil.example",
    "**bold** _it_ `code` # heading",
    ":red[colour] $x^2$ &lt;b&gt;",
]
MARKDOWN_KINDS = ("markdown", "warning", "error", "info", "success", "caption", "toast")


def bodies(app: AppTest) -> list[str]:
    """Every markdown body on the page: text, notices, errors, captions."""
    return [element.value for kind in MARKDOWN_KINDS for element in app.get(kind)]


def assert_shown_as_text(app: AppTest, text: str) -> None:
    """``text`` is on the page character for character, and nothing on the page is a live link or image."""
    texts = bodies(app)
    assert any(text in shown(body) for body in texts), texts
    assert not [(body, live) for body in texts if (live := live_markup(body))]


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_text_keeps_every_character_and_no_markup(text):
    assert shown(plain(text)) == text
    assert live_markup(text) or "**" in text or ":red" in text  # the check sees the raw markup
    assert not live_markup(plain(text))


def test_the_search_text_in_the_link_is_text_in_the_summary():
    app = run({"q": HOSTILE[0]})
    summary = next(m.value for m in app.markdown if m.value.startswith("**0 events"))
    assert HOSTILE[0] in shown(summary) and not live_markup(summary)
    assert_shown_as_text(app, HOSTILE[0])


def test_unknown_and_wrong_link_parameters_are_text_in_the_notices():
    app = run({HOSTILE[1]: "1", "from": HOSTILE[2], "basemap": HOSTILE[3], "select": HOSTILE[0]})
    notices = [shown(w.value) for w in app.warning]
    assert f"Ignored unknown link parameter: {HOSTILE[1]}." in notices
    for text in (HOSTILE[1], HOSTILE[2], HOSTILE[3], HOSTILE[0]):
        assert_shown_as_text(app, text)


def test_a_story_id_in_the_link_is_text():
    app = run({"story": HOSTILE[0], "step": HOSTILE[1]}, page="app_pages/present.py")
    assert_shown_as_text(app, HOSTILE[0])
    assert_shown_as_text(app, HOSTILE[1][:20])  # a wrong step is quoted shortened


@pytest.fixture
def two_datasets(tmp_path, monkeypatch):
    monkeypatch.delenv("SAHEL_ATLAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    sample = "tests/fixtures/imports/acled_mali_niger.csv"
    workspace = open_workspace()
    for name in (HOSTILE[1], "Plain"):
        workspace.save_dataset(
            name,
            import_file(sample, "acled", dataset=name, file_name="sample.csv"),
            file_name="sample.csv",
            format="acled",
        )
    return workspace


def test_a_dataset_name_in_the_rename_error_is_text(two_datasets):
    app = run(page="app_pages/data.py")
    app.selectbox(key="rename_old").set_value("Plain")
    app.text_input(key="rename_new").set_value(HOSTILE[1])
    next(b for b in app.button if "Rename" in str(b.label)).click().run()
    assert app.error, bodies(app)
    assert_shown_as_text(app, HOSTILE[1])


def _data_page_with_an_upload(file_name: str, content: bytes) -> None:
    """The data page with a file already chosen (AppTest cannot upload one)."""
    import runpy

    import streamlit as st

    class Upload:
        name, file_id = file_name, "hostile"

        def getvalue(self):
            return content

    chooser = st.file_uploader
    st.file_uploader = lambda *args, **kwargs: Upload()
    try:
        runpy.run_path("app_pages/data.py")
    finally:
        st.file_uploader = chooser


@pytest.mark.parametrize("file_name, content", [(f"{HOSTILE[1]}.json", b"{not json"), (f"{HOSTILE[0]}.csv", b"")])
def test_an_uploaded_file_name_in_the_preview_error_is_text(file_name, content, tmp_path, monkeypatch):
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    monkeypatch.delenv("SAHEL_ATLAS_DATABASE_URL", raising=False)
    app = AppTest.from_function(_data_page_with_an_upload, args=(file_name, content), default_timeout=60).run()
    assert not app.exception, app.exception
    assert app.error, bodies(app)
    assert_shown_as_text(app, file_name)
