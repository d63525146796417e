"""The Your data page changes the dataset it showed, or nothing: two sessions racing a delete and
a rename, the confirmation cleared after each change, Undo, the trash and the audit log (AppTest)."""

from __future__ import annotations

import pytest

from geo.workspace import open_workspace
from tests.apptest import run, shown
from tests.test_workspace import import_result

PAGE = "app_pages/data.py"


@pytest.fixture
def two_datasets(tmp_path, monkeypatch):
    monkeypatch.delenv("SAHEL_ATLAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    workspace = open_workspace()
    workspace.save_dataset("X", import_result(3, "X"), "x.csv", "acled")
    workspace.save_dataset("Y", import_result(2, "Y"), "y.csv", "acled")
    return workspace


def said(app) -> str:
    return " ".join(shown(element.value) for kind in ("success", "error", "warning") for element in getattr(app, kind))


def test_a_delete_raced_by_another_session_deletes_nothing(two_datasets):
    workspace = two_datasets
    first, second = run(page=PAGE), run(page=PAGE)
    first.selectbox(key="delete_name").set_value("X")
    first.checkbox(key="delete_sure").check()
    # Meanwhile, the second session deletes X.
    second.selectbox(key="delete_name").set_value("X")
    second.checkbox(key="delete_sure").check()
    second.button(key="delete_go").click().run()
    assert "Deleted “X” (3 events)" in said(second)
    first.button(key="delete_go").click().run()
    assert "“X” was deleted or changed meanwhile; nothing was changed" in said(first)
    assert workspace.names() == ["Y"] and len(workspace.events(["Y"])) == 2
    # Pressed again, with the box it left ticked before: nothing is chosen, nothing is deleted.
    assert first.checkbox(key="delete_sure").value is False and first.selectbox(key="delete_name").value is None
    first.button(key="delete_go").click().run()
    assert "Tick the box" in said(first) and workspace.names() == ["Y"]


def test_a_rename_raced_by_the_command_line_changes_nothing(two_datasets):
    from cli import main

    workspace = two_datasets
    app = run(page=PAGE)
    app.selectbox(key="rename_old").set_value("X")
    app.text_input(key="rename_new").set_value("Mine")
    x = workspace.dataset("X")
    assert main(["workspace", "rename", "X", "D1", "--id", x.id]) == 0
    app.button(key="rename_go").click().run()
    assert "“X” was deleted or changed meanwhile" in said(app)
    assert workspace.names() == ["D1", "Y"]


def test_deleted_says_so_offers_undo_and_keeps_a_log(two_datasets):
    workspace = two_datasets
    app = run(page=PAGE)
    assert app.selectbox(key="delete_name").options == ["X", "Y"] and app.selectbox(key="delete_name").value is None
    app.selectbox(key="delete_name").set_value("Y")
    app.checkbox(key="delete_sure").check()
    app.button(key="delete_go").click().run()
    assert "Deleted “Y” (2 events). It waits in the trash" in said(app)
    assert workspace.names() == ["X"] and app.checkbox(key="delete_sure").value is False
    assert app.selectbox(key="delete_name").options == ["X"]
    trash = next(expander for expander in app.expander if expander.label.startswith("Trash"))
    assert trash.label == "Trash (1)"
    app.button(key="datasets_undo_button").click().run()
    assert "Restored “Y” (2 events)" in said(app) and workspace.names() == ["X", "Y"]
    log = next(frame.value for frame in app.dataframe if "Outcome" in frame.value.columns)
    assert list(log["What"]) == ["restore", "delete", "import", "import"]
    assert list(log["Dataset"]) == ["Y", "Y", "Y", "X"]


def test_a_team_store_without_identity_is_read_only_on_the_page(monkeypatch, request):
    server = request.getfixturevalue("postgis_server")
    monkeypatch.setenv("SAHEL_ATLAS_DATABASE_URL", server.new_database())
    open_workspace().save_dataset(
        "Team data",
        import_result(2, "Team data"),
        "t.csv",
        "acled",
        by=__import__("geo.workspace").workspace.Actor("alice"),
    )
    app = run(page=PAGE)
    assert any("read-only here" in info.value for info in app.info)
    assert app.button(key="delete_go").disabled and app.selectbox(key="rename_old").disabled
    table = next(frame.value for frame in app.dataframe if "By" in frame.value.columns)
    assert list(table["By"]) == ["alice"]
