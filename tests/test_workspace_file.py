"""The workspace file as other systems and tools meet it: no ``fcntl`` (as on Windows), writers taking turns
through ``filelock``, the user's folders from ``platformdirs``, and layers QGIS lists by the datasets' names."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time

from filelock import FileLock

from geo.workspace import Workspace
from tests.conftest import ROOT
from tests.test_workspace import import_result
from ui.disk_cache import cache_dir

WITHOUT_FCNTL = textwrap.dedent("""
    import sys
    sys.modules["fcntl"] = None  # as on Windows: importing it fails
    sys.path.insert(0, {root!r})
    from geo.workspace import Workspace
    from tests.test_workspace import import_result

    workspace = Workspace({path!r})
    workspace.save_dataset("Niger", import_result(3, "Niger"), "niger.csv", "acled")
    workspace.save_dataset("Mali", import_result(2, "Mali"), "mali.csv", "acled")
    workspace.rename("Niger", "Niger 2012")
    workspace.delete("Mali")
    print(sorted(workspace.names()), len(workspace.events()))
""")


def test_the_workspace_works_where_there_is_no_fcntl(tmp_path):
    path = tmp_path / "folder" / "workspace.gpkg"
    finished = subprocess.run(
        [sys.executable, "-c", WITHOUT_FCNTL.format(root=str(ROOT), path=str(path))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split("\n")[0] == "['Niger 2012'] 3"
    assert Workspace(path).names() == ["Niger 2012"]


def test_leftovers_are_cleaned_only_when_no_one_writes(tmp_path):
    workspace = Workspace(tmp_path / "workspace.gpkg")
    workspace.save_dataset("Niger", import_result(2, "Niger"), "niger.csv", "acled")
    leftover = tmp_path / ".workspace.gpkg.123.abcd.tmp.gpkg"
    leftover.write_bytes(b"half a copy")
    with FileLock(workspace.lock_path):  # another writer at work
        started = time.monotonic()
        workspace._clean_leftovers(wait=False)
        assert time.monotonic() - started < 1 and leftover.exists()
    workspace._clean_leftovers(wait=False)
    assert not leftover.exists()


def test_the_cache_lives_in_the_users_cache_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SAHEL_ATLAS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    if sys.platform.startswith("linux"):
        assert cache_dir() == tmp_path / "cache-home" / "sahel-atlas"
    monkeypatch.setenv("SAHEL_ATLAS_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


def _identifiers(workspace: Workspace) -> dict[str, str]:
    """Each dataset's layer identifier (the name GIS tools list it by), by dataset name as the workspace lists it."""
    with sqlite3.connect(workspace.path) as connection:
        identifiers = dict(connection.execute("SELECT table_name, identifier FROM gpkg_contents"))
    return {
        info.name + (" [trash]" if info.in_trash else ""): identifiers[info.layer]
        for info in [*workspace.datasets(), *workspace.trash()]
    }


def test_layers_carry_the_datasets_names_through_renames_and_the_trash(tmp_path):
    workspace = Workspace(tmp_path / "workspace.gpkg")
    workspace.save_dataset("ACLED Niger", import_result(2, "ACLED Niger"), "niger.csv", "acled")
    workspace.save_dataset("Mali", import_result(2, "Mali"), "mali.csv", "acled")
    assert _identifiers(workspace) == {"ACLED Niger": "ACLED Niger", "Mali": "Mali"}
    workspace.rename("Mali", "Mali 2012")
    assert _identifiers(workspace) == {"ACLED Niger": "ACLED Niger", "Mali 2012": "Mali 2012"}
    workspace.delete("Mali 2012")
    workspace.save_dataset("Mali 2012", import_result(3, "Mali 2012"), "mali.csv", "acled")
    assert _identifiers(workspace) == {
        "ACLED Niger": "ACLED Niger",
        "Mali 2012": "Mali 2012",
        "Mali 2012 [trash]": "Mali 2012 (in the trash)",
    }
    # A name the workspace's own tables use, and a second trashed twin, stay unique with the dataset's id.
    workspace.save_dataset("datasets", import_result(1, "datasets"), "d.csv", "acled")
    workspace.delete("Mali 2012")
    named = _identifiers(workspace)
    assert named["datasets"].startswith("datasets (") and named["ACLED Niger"] == "ACLED Niger"
    with sqlite3.connect(workspace.path) as connection:
        identifiers = dict(connection.execute("SELECT table_name, identifier FROM gpkg_contents"))
    trashed = sorted(identifiers[info.layer] for info in workspace.trash())
    assert trashed[0] == "Mali 2012 (in the trash)" and trashed[1].startswith("Mali 2012 (in the trash) (")
