"""The team's data in safe hands: a change names the dataset's id and version, or does nothing; a
deleted dataset waits in the trash; every change is in the audit log; on a team store only the
owner or an admin changes a dataset, and nobody known changes nothing."""

import sqlite3

import pytest

from geo.workspace import Actor, DatasetChanged, NotAllowed, UnknownDataset, actor_from_request
from tests.test_workspace import gpkg_workspace, import_result, postgis_workspace, workspace  # noqa: F401 (fixtures)

ALICE = Actor("alice")
BOB = Actor("bob")
ADMIN = Actor("carol", admin=True)


def test_a_delete_shown_before_a_rename_does_nothing(workspace):
    """One page shows X; meanwhile the command line renames X to D1. Delete from the page must not
    delete D1, nor any other dataset: it says X changed and leaves everything as it was."""
    first = workspace.save_dataset("X", import_result(3, "X"), "x.csv", "acled")
    other = workspace.save_dataset("Other", import_result(2, "Other"), "o.csv", "acled")
    shown = workspace.dataset("X")
    assert shown.id and shown.version == 1 and shown.id == first.id != other.id
    workspace.rename("X", "D1")
    with pytest.raises(DatasetChanged, match="“X” was deleted or changed meanwhile; nothing was changed"):
        workspace.delete(shown.name, dataset_id=shown.id, version=shown.version)
    with pytest.raises(DatasetChanged):  # the same dataset by id, under its new name, but an old version
        workspace.delete("D1", dataset_id=shown.id, version=shown.version)
    assert workspace.names() == ["D1", "Other"] and workspace.trash() == []
    assert len(workspace.events(["D1"])) == 3 and len(workspace.events(["Other"])) == 2


def test_a_rename_of_a_dataset_deleted_meanwhile_touches_no_other(workspace):
    workspace.save_dataset("A", import_result(2, "A"), "a.csv", "acled")
    workspace.save_dataset("B", import_result(2, "B"), "b.csv", "acled")
    shown = workspace.dataset("A")
    workspace.delete("A", dataset_id=shown.id, version=shown.version)
    with pytest.raises(DatasetChanged):
        workspace.rename("A", "new name", dataset_id=shown.id, version=shown.version)
    # A second press of Delete, with the page's old selection, does not fall on B.
    with pytest.raises(DatasetChanged):
        workspace.delete("A", dataset_id=shown.id, version=shown.version)
    assert workspace.names() == ["B"] and [info.name for info in workspace.trash()] == ["A"]


def test_deleted_datasets_wait_in_the_trash_until_it_is_emptied(workspace):
    kept = workspace.save_dataset("Niger 2010", import_result(4, "Niger 2010"), "n.csv", "acled")
    trashed = workspace.delete("Niger 2010", dataset_id=kept.id, version=kept.version)
    assert trashed.in_trash and workspace.names() == [] and workspace.events().empty
    assert workspace.overview()["events"] == 0
    # The name is free again; the trashed dataset, restored, comes back beside the new one.
    workspace.save_dataset("Niger 2010", import_result(1, "Niger 2010"), "newer.csv", "acled")
    restored = workspace.restore(trashed.id)
    assert restored.name == "Niger 2010 (restored)" and restored.id == kept.id and not restored.in_trash
    assert workspace.names() == ["Niger 2010 (restored)", "Niger 2010"]  # in the order they were imported
    events = workspace.events(["Niger 2010 (restored)"])
    assert len(events) == 4 and events["id"].str.startswith("Niger 2010 (restored):").all()
    with pytest.raises(DatasetChanged, match="no longer in the trash"):
        workspace.restore(trashed.id)
    workspace.delete("Niger 2010 (restored)")
    assert workspace.empty_trash() == 1 and workspace.trash() == []
    with pytest.raises(DatasetChanged):
        workspace.restore(trashed.id)


def test_every_change_is_in_the_audit_log(workspace):
    info = workspace.save_dataset("Mali", import_result(3, "Mali"), "mali.csv", "acled", by=ALICE)
    workspace.rename("Mali", "Mali 2012", by=ALICE)
    workspace.delete("Mali 2012", by=ALICE)
    workspace.restore(info.id, by=ALICE)
    workspace.delete("Mali 2012", by=ALICE)
    workspace.empty_trash(by=ALICE)
    log = workspace.audit_log()
    assert [(entry.action, entry.dataset, entry.who, entry.outcome) for entry in reversed(log)] == [
        ("import", "Mali", "alice", "done"),
        ("rename", "Mali 2012", "alice", "done"),
        ("delete", "Mali 2012", "alice", "done"),
        ("restore", "Mali 2012", "alice", "done"),
        ("delete", "Mali 2012", "alice", "done"),
        ("purge", "Mali 2012", "alice", "done"),
    ]
    assert {entry.dataset_id for entry in log} == {info.id} and {entry.events for entry in log} == {3}
    assert log[-1].detail == "from mali.csv (acled)" and log[0].at >= log[-1].at


def test_the_owner_is_recorded_on_the_file_where_anyone_may_change(gpkg_workspace):
    workspace = gpkg_workspace
    workspace.save_dataset("Mine", import_result(2, "Mine"), "m.csv", "acled", by=ALICE)
    assert workspace.dataset("Mine").owner == "alice"
    workspace.rename("Mine", "Ours", by=BOB)  # one person's file: nothing is refused
    workspace.delete("Ours", by=Actor())
    assert workspace.names() == []


def test_on_a_team_store_only_the_owner_or_an_admin_changes_a_dataset(postgis_workspace):
    workspace = postgis_workspace
    mine = workspace.save_dataset("Alice's Mali", import_result(3, "Alice's Mali"), "m.csv", "acled", by=ALICE)
    assert workspace.dataset("Alice's Mali").owner == "alice"
    with pytest.raises(NotAllowed, match="only alice or an admin may delete “Alice's Mali”; you can see and use it"):
        workspace.delete("Alice's Mali", dataset_id=mine.id, version=mine.version, by=BOB)
    with pytest.raises(NotAllowed, match="only alice or an admin may rename"):
        workspace.rename("Alice's Mali", "Bob's now", by=BOB)
    with pytest.raises(NotAllowed, match="only alice or an admin may replace"):
        workspace.save_dataset("Alice's Mali", import_result(1, "x"), "x.csv", "acled", replace=True, by=BOB)
    # Bob sees and uses it; nothing changed.
    assert workspace.names() == ["Alice's Mali"] and len(workspace.events(["Alice's Mali"])) == 3
    # Without an identity the team store is read-only.
    with pytest.raises(NotAllowed, match="read-only without an identity"):
        workspace.save_dataset("Anonymous", import_result(1, "Anonymous"), "a.csv", "acled", by=Actor())
    with pytest.raises(NotAllowed, match="read-only without an identity"):
        workspace.delete("Alice's Mali", by=Actor())
    # Bob cannot empty Alice's dataset out of the trash either; an admin can restore it.
    workspace.delete("Alice's Mali", by=ALICE)
    assert workspace.empty_trash(by=BOB) == 0
    assert workspace.restore(mine.id, by=ADMIN).name == "Alice's Mali"
    log = [(entry.who, entry.action, entry.outcome.split(":")[0]) for entry in reversed(workspace.audit_log())]
    assert log == [
        ("alice", "import", "done"),
        ("bob", "delete", "refused"),
        ("bob", "rename", "refused"),
        ("bob", "replace", "refused"),
        ("", "import", "refused"),
        ("", "delete", "refused"),
        ("alice", "delete", "done"),
        ("carol", "restore", "done"),
    ]


def test_a_workspace_from_before_ids_is_read_and_brought_up_to_date(gpkg_workspace):
    workspace = gpkg_workspace
    workspace.save_dataset("Old", import_result(2, "Old"), "old.csv", "acled")
    with sqlite3.connect(workspace.path) as connection:  # as files were written before ids and the trash
        for column in ("dataset_id", "version", "imported_by", "deleted_at", "deleted_by", "changed_at", "document"):
            connection.execute(f"ALTER TABLE datasets DROP COLUMN {column}")
        connection.execute("DROP TABLE audit_log")
        connection.execute("DELETE FROM gpkg_contents WHERE table_name = 'audit_log'")
    info = workspace.dataset("Old")
    assert info.id == "events_1" and info.version == 1 and workspace.audit_log() == []
    renamed = workspace.rename("Old", "Older", dataset_id=info.id, version=1)
    assert renamed.id == "events_1" and workspace.dataset("Older").version == 2
    assert [entry.action for entry in workspace.audit_log()] == ["rename"]


def test_the_command_line_deletes_by_id_or_refuses_a_name_just_changed(gpkg_workspace, capsys):
    from cli import main

    workspace = gpkg_workspace
    first = workspace.save_dataset("D0", import_result(2, "D0"), "a.csv", "acled")
    workspace.save_dataset("Other", import_result(2, "Other"), "b.csv", "acled")
    assert main(["workspace", "list"]) == 0
    assert first.id in capsys.readouterr().out
    workspace.rename("D0", "D1")  # another process, a moment ago
    assert main(["workspace", "delete", "D1"]) == 1
    assert "was renamed to D1 a moment ago" in capsys.readouterr().err
    assert main(["workspace", "delete", "D1", "--id", "nope"]) == 1
    assert "deleted or changed meanwhile" in capsys.readouterr().err
    assert workspace.names() == ["D1", "Other"]
    assert main(["workspace", "delete", "D1", "--id", first.id]) == 0
    assert "Deleted 'D1'" in capsys.readouterr().out and workspace.names() == ["Other"]
    assert main(["workspace", "trash"]) == 0 and "D1" in capsys.readouterr().out
    assert main(["workspace", "restore", first.id]) == 0 and workspace.names() == ["D1", "Other"]
    assert main(["workspace", "log"]) == 0
    assert [line.split("\t")[2] for line in capsys.readouterr().out.splitlines()[-1:]] == ["import"]
    with pytest.raises(UnknownDataset):
        workspace.delete("nothing by that name")


@pytest.mark.parametrize(
    "headers, address, expected",
    [
        ({"X-Forwarded-User": "alice"}, "127.0.0.1", "alice"),  # from the proxy
        ({"x-forwarded-user": "alice"}, "::1", "alice"),  # headers are case-insensitive
        ({"X-Forwarded-User": "alice"}, "203.0.113.9", ""),  # sent by anyone else: ignored
        ({"X-Forwarded-User": "a\nb"}, "127.0.0.1", ""),  # not a name
        ({}, "127.0.0.1", ""),
    ],
)
def test_identity_comes_only_from_a_trusted_proxy(headers, address, expected):
    environ = {"SAHEL_ATLAS_TRUSTED_HEADER": "X-Forwarded-User", "SAHEL_ATLAS_ADMINS": "carol"}
    assert actor_from_request(headers, address, environ=environ).name == expected


def test_no_header_is_trusted_unless_the_app_is_told_to():
    assert not actor_from_request({"X-Forwarded-User": "alice"}, "127.0.0.1", environ={}).known
    login = actor_from_request({}, "198.51.100.1", login_name="carol", environ={"SAHEL_ATLAS_ADMINS": "carol, dan"})
    assert login.name == "carol" and login.admin and login.via == "login"
    proxied = actor_from_request(
        {"X-User": "bob"},
        "10.0.0.5",
        environ={"SAHEL_ATLAS_TRUSTED_HEADER": "X-User", "SAHEL_ATLAS_TRUSTED_PROXIES": "10.0.0.0/24"},
    )
    assert proxied.name == "bob" and not proxied.admin
