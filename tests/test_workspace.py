"""The workspace of imported datasets, in its two stores (the GeoPackage file and PostGIS): round
trips, names, atomic and concurrent writes, a corrupt file or a bad address, the CLI, and the
dashboard's queries agreeing with the reference filter."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from cli import main
from geo.catalog import DATA_DIR
from geo.filters import EventFilter, events_matching
from geo.imports.model import IMPORTED_COLUMNS, ImportResult, RefusedRow, finish_events
from geo.workspace import SHOWN_COLUMNS, UnknownDataset, Workspace, WorkspaceError, default_path, open_workspace
from tests.conftest import ROOT

HTML_NOTE = '<script>alert("x")</script> & <b>Arlit</b> — “quoted”'


def event_rows(count: int, dataset: str = "ACLED Niger") -> list[dict]:
    """Imported-event rows as an importer makes them, with lists, dicts and gaps."""
    rows = []
    for number in range(count):
        rows.append(
            {
                "id": f"{dataset}:NIG{number}",
                "date_start": f"2010-09-{1 + number % 28:02d}",
                "date_end": f"2010-09-{1 + number % 28:02d}",
                "date_precision": "day",
                "type": "kidnapping",
                "title": f"Kidnapping {number}",
                "summary": None if number % 3 else "Gunmen took <hostages>.",
                "place": None,
                "place_name": "Arlit",
                "location_precision": "exact",
                "places": [],
                "route": [],
                "groups": ["aqim"] if number % 2 else [],
                "people": [],
                "roles": {"aqim": "actor"} if number % 2 else {},
                "no_actor": None,
                "hostage_count": 7 if number == 0 else None,
                "hostage_nationalities": ["FR", "TG"] if number == 0 else [],
                "money": [{"amount": 1000000, "currency": "EUR", "status": "demanded"}] if number == 1 else [],
                "note": None,
                "geometry": Point(7.39 + number * 1e-4, 18.74),
                "dataset": dataset,
                "origin": "acled",
                "original_id": f"NIG{number}",
                "original_type": "Violence against civilians / Abduction/forced disappearance",
                "actors": ["AQIM: Al Qaeda in the Islamic Maghreb", "Civilians (France)"],
                "country": "Niger",
                "admin1": None if number % 4 == 3 else "Agadez",
                "fatalities": None if number % 5 == 4 else number,
                "ransom": None,
                "source_text": "AFP; Reuters",
                "geocode": "coordinates",
                "row": number + 1,
                "original": {"event_id_cnty": f"NIG{number}", "notes": HTML_NOTE, "fatalities": str(number)},
            }
        )
    return rows


def import_result(count: int = 6, dataset: str = "ACLED Niger") -> ImportResult:
    return ImportResult(
        events=finish_events(event_rows(count, dataset)),
        read=count + 2,
        refused=[RefusedRow(row=3, reason="no date"), RefusedRow(row=9, reason="no place")],
        problems=["column 'time_precision' not found"],
        origin="acled",
    )


@pytest.fixture
def gpkg_workspace(tmp_path, monkeypatch):
    """The GeoPackage workspace, as the app opens it when no database is named."""
    monkeypatch.delenv("SAHEL_ATLAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(tmp_path / "ws" / "workspace.gpkg"))
    store = open_workspace()
    assert isinstance(store, Workspace)
    return store


@pytest.fixture
def postgis_workspace(request, monkeypatch):
    """The PostGIS workspace in a fresh database, as the app opens it with SAHEL_ATLAS_DATABASE_URL."""
    from geo.workspace.postgis import PostgisWorkspace

    server = request.getfixturevalue("postgis_server")
    monkeypatch.setenv("SAHEL_ATLAS_DATABASE_URL", server.new_database())
    store = open_workspace()
    assert isinstance(store, PostgisWorkspace)
    return store


@pytest.fixture(params=["gpkg", "postgis"])
def workspace(request):
    return request.getfixturevalue(f"{request.param}_workspace")


def is_file(workspace) -> bool:
    return isinstance(workspace, Workspace)


def test_save_list_and_events_round_trip(workspace):
    result = import_result()
    info = workspace.save_dataset("ACLED Niger", result, "niger.csv", "acled")
    assert (info.name, info.file_name, info.format, info.read, info.imported, info.refused) == (
        "ACLED Niger",
        "niger.csv",
        "acled",
        8,
        6,
        2,
    )
    assert info.layer == ("events_1" if is_file(workspace) else "sahel_atlas.events:1")
    assert info.imported_at[:2] == "20"
    assert workspace.datasets() == [info]
    assert workspace.refused_rows("ACLED Niger") == result.refused
    events = workspace.events()
    assert list(events.columns) == list(IMPORTED_COLUMNS)
    assert events.crs == result.events.crs
    pd.testing.assert_frame_equal(events, result.events)  # values and dtypes
    assert events["fatalities"].dtype == "Int64" and events["fatalities"].isna().sum() == 1
    assert events.loc[0, "original"]["notes"] == HTML_NOTE
    assert events.loc[1, "money"] == [{"amount": 1000000, "currency": "EUR", "status": "demanded"}]
    assert workspace.events(["ACLED Niger"]) is workspace.events(["ACLED Niger"])  # cached while unchanged


def test_the_file_is_a_geopackage_qgis_opens(gpkg_workspace):
    workspace = gpkg_workspace
    workspace.save_dataset("ACLED Niger", import_result(), "niger.csv", "acled")
    workspace.save_dataset("GTD", import_result(3, "GTD"), "gtd.xlsx", "gtd")
    layers = dict(pyogrio.list_layers(workspace.path))
    assert layers == {"datasets": None, "audit_log": None, "events_1": "Point", "events_2": "Point"}
    stored = gpd.read_file(workspace.path, layer="events_2")
    assert len(stored) == 3 and stored.crs.to_epsg() == 4326
    assert stored.loc[0, "dataset"] == "GTD" and HTML_NOTE.replace('"', '\\"') in stored.loc[0, "original"]
    table = gpd.read_file(workspace.path, layer="datasets")
    assert list(table["name"]) == ["ACLED Niger", "GTD"]


def test_several_datasets_and_a_choice_of_them(workspace):
    workspace.save_dataset("one", import_result(4, "one"), "a.csv", "acled")
    workspace.save_dataset("two", import_result(3, "two"), "b.csv", "acled")
    assert len(workspace.events()) == 7
    assert set(workspace.events(["two"])["dataset"]) == {"two"}
    pd.testing.assert_frame_equal(workspace.events(["two"]), import_result(3, "two").events)
    with pytest.raises(UnknownDataset, match="known datasets: 'one', 'two'"):
        workspace.events(["three"])


def test_names_must_be_unique_and_sensible(workspace):
    workspace.save_dataset("ACLED Niger", import_result(), "niger.csv", "acled")
    with pytest.raises(ValueError, match="a dataset named 'ACLED Niger' is already in the workspace"):
        workspace.save_dataset("ACLED Niger", import_result(2), "other.csv", "acled")
    with pytest.raises(ValueError, match="already in the workspace"):
        workspace.save_dataset("  acled niger ", import_result(2), "other.csv", "acled")  # case and spaces
    for bad, message in (
        ("", "cannot be empty"),
        ("   ", "cannot be empty"),
        ("x" * 81, "at most 80"),
        ("two\nlines", "line breaks"),
    ):
        with pytest.raises(ValueError, match=message):
            workspace.save_dataset(bad, import_result(2), "other.csv", "acled")
    assert workspace.names() == ["ACLED Niger"] and len(workspace.events()) == 6
    replaced = workspace.save_dataset("ACLED Niger", import_result(2), "newer.csv", "acled", replace=True)
    assert workspace.datasets() == [replaced] and len(workspace.events()) == 2
    # The replaced dataset waits in the trash, until the trash is emptied.
    assert [(info.name, info.file_name, info.imported) for info in workspace.trash()] == [
        ("ACLED Niger", "niger.csv", 6)
    ]
    assert workspace.empty_trash() == 1 and workspace.trash() == []
    if is_file(workspace):
        assert dict(pyogrio.list_layers(workspace.path)) == {
            "datasets": None,
            "audit_log": None,
            replaced.layer: "Point",
        }


def test_rename_and_delete(workspace):
    workspace.save_dataset("ACLED Niger", import_result(), "niger.csv", "acled")
    workspace.save_dataset("GTD", import_result(3, "GTD"), "gtd.xlsx", "gtd")
    weird = "Niger <b>'; DROP TABLE datasets; --"
    renamed = workspace.rename("ACLED Niger", weird)
    assert renamed.name == weird and workspace.names() == [weird, "GTD"]
    events = workspace.events([weird])
    assert set(events["dataset"]) == {weird}
    assert events["id"].str.startswith(f"{weird}:NIG").all()
    if is_file(workspace):
        assert gpd.read_file(workspace.path, layer=renamed.layer)["dataset"].eq(weird).all()  # in the file too
    with pytest.raises(ValueError, match="a dataset named 'GTD' is already in the workspace"):
        workspace.rename(weird, "GTD")
    with pytest.raises(UnknownDataset, match="no dataset named 'nope'.*known datasets: "):
        workspace.rename("nope", "other")
    workspace.delete("GTD")
    assert workspace.names() == [weird] and len(workspace.events()) == 6
    assert [info.name for info in workspace.trash()] == ["GTD"]
    with pytest.raises(UnknownDataset):
        workspace.delete("GTD")
    workspace.delete(weird)
    assert workspace.datasets() == [] and workspace.events().empty
    assert workspace.empty_trash() == 2 and workspace.trash() == []
    if is_file(workspace):
        assert not any(layer.startswith("events_") for layer in dict(pyogrio.list_layers(workspace.path)))
    assert list(workspace.events().columns) == list(IMPORTED_COLUMNS)


def test_where_the_file_lives(tmp_path, monkeypatch):
    monkeypatch.delenv("SAHEL_ATLAS_WORKSPACE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    assert default_path() == tmp_path / "data-home" / "sahel-atlas" / "workspace.gpkg"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / ".local" / "share" / "sahel-atlas" / "workspace.gpkg"
    moved = tmp_path / "elsewhere" / "mine.gpkg"
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(moved))
    Workspace.default().save_dataset("one", import_result(2, "one"), "a.csv", "acled")
    assert moved.is_file() and not (tmp_path / "home").exists()
    with pytest.raises(WorkspaceError, match="curated data folder"):
        Workspace(DATA_DIR / "workspace.gpkg")


def test_no_file_yet_is_an_empty_workspace(workspace):
    assert workspace.datasets() == [] and workspace.events().empty
    assert workspace.overview() == {"last_year": None, "countries": frozenset(), "events": 0}
    assert workspace.shown_events(EventFilter(), ["anything"]).empty
    if is_file(workspace):
        assert not workspace.path.exists()


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b""])
def test_a_corrupt_file_is_a_workspace_error_naming_it(gpkg_workspace, content):
    workspace = gpkg_workspace
    workspace.path.parent.mkdir(parents=True)
    workspace.path.write_bytes(content)
    for read in (workspace.datasets, workspace.events):
        with pytest.raises(WorkspaceError, match=str(workspace.path)):
            read()
    with pytest.raises(WorkspaceError, match=str(workspace.path)):
        workspace.save_dataset("one", import_result(2, "one"), "a.csv", "acled")
    assert workspace.path.read_bytes() == content  # left as it was, for the user to look at


def test_a_geopackage_that_is_not_a_workspace(gpkg_workspace):
    workspace = gpkg_workspace
    workspace.path.parent.mkdir(parents=True)
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs="EPSG:4326").to_file(workspace.path, layer="x")
    with pytest.raises(WorkspaceError, match=f"{workspace.path}: not a readable Sahel Atlas workspace"):
        workspace.datasets()


KILLED_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from geo.imports.model import ImportResult, finish_events
    from geo.workspace import Workspace
    from tests.test_workspace import event_rows

    count = int(sys.argv[1])
    result = ImportResult(events=finish_events(event_rows(count, "big")), read=count)
    print("built", flush=True)
    Workspace({path!r}).save_dataset("big", result, "big.csv", "acled")
    print("saved", flush=True)
""")


def _growing(workspace: Workspace, file_before: bytes) -> bool:
    """A temporary copy of the workspace exists and is larger than the workspace was."""
    for temp in workspace._temp_files():
        try:
            if temp.name.endswith(".tmp.gpkg") and temp.stat().st_size > len(file_before):
                return True
        except FileNotFoundError:
            pass
    return False


def test_a_write_killed_half_way_leaves_the_previous_workspace_whole(gpkg_workspace):
    workspace = gpkg_workspace
    before = import_result()
    workspace.save_dataset("ACLED Niger", before, "niger.csv", "acled")
    file_before = workspace.path.read_bytes()
    killed_mid_write = False
    for count in (20_000, 40_000, 80_000):
        script = KILLED_WRITER.format(root=str(ROOT), path=str(workspace.path))
        writer = subprocess.Popen([sys.executable, "-c", script, str(count)], stdout=subprocess.PIPE, text=True)
        try:
            # Kill once the copy has grown past the old file: GDAL is writing the new layer into it.
            deadline = time.monotonic() + 120
            while writer.poll() is None and time.monotonic() < deadline and not _growing(workspace, file_before):
                time.sleep(0.001)
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=30)
        finally:
            if writer.poll() is None:
                writer.kill()
        assert writer.returncode in (0, -signal.SIGKILL), writer.stdout.read()
        if writer.returncode == -signal.SIGKILL and any(
            temp.name.endswith(".tmp.gpkg") for temp in workspace._temp_files()
        ):
            # The kill came while the copy was being written, before it replaced the workspace.
            killed_mid_write = True
            assert workspace.path.read_bytes() == file_before
            assert workspace.names() == ["ACLED Niger"]  # the leftover temporary file is ignored
            pd.testing.assert_frame_equal(workspace.events(), before.events)
            break
        # The write finished before the kill: then the new dataset is whole; try with more events.
        assert workspace.names() == ["ACLED Niger", "big"]
        assert len(workspace.events(["big"])) == count
        workspace.delete("big")
        file_before = workspace.path.read_bytes()
    assert killed_mid_write, "every write finished before the kill"
    # The next change removes what the killed writer left.
    workspace.save_dataset("GTD", import_result(2, "GTD"), "gtd.xlsx", "gtd")
    assert workspace._temp_files() == []
    assert workspace.names() == ["ACLED Niger", "GTD"]


def test_cli_workspace_commands(workspace, capsys):
    assert main(["workspace", "path"]) == 0
    assert capsys.readouterr().out.strip() == workspace.location
    if not is_file(workspace):
        assert workspace.location.startswith("postgresql://postgres@/")
        assert "not-needed" not in workspace.location  # the address's password is never printed
    assert main(["workspace", "list"]) == 0
    assert "no datasets" in capsys.readouterr().out
    workspace.save_dataset("ACLED Niger", import_result(), "niger.csv", "acled")
    workspace.save_dataset("GTD", import_result(3, "GTD"), "gtd.xlsx", "gtd")
    assert main(["workspace", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    niger = workspace.dataset("ACLED Niger")
    assert lines[0].startswith(f"ACLED Niger\t{niger.id}\tacled\t6 imported, 2 refused\t20")
    assert lines[0].endswith("\tniger.csv") and f" by {niger.owner}\t" in lines[0]
    assert main(["workspace", "rename", "ACLED Niger", "Niger 2010"]) == 0
    assert "Renamed 'ACLED Niger' to 'Niger 2010'" in capsys.readouterr().out
    assert main(["workspace", "rename", "Niger 2010", "GTD"]) == 1  # renamed a moment ago: which one?
    assert "renamed to Niger 2010 a moment ago" in capsys.readouterr().err
    assert main(["workspace", "rename", "Niger 2010", "GTD", "--id", niger.id]) == 1
    assert "already in the workspace" in capsys.readouterr().err
    assert main(["workspace", "delete", "ACLED Niger"]) == 1
    assert "known datasets: 'Niger 2010', 'GTD'" in capsys.readouterr().err
    assert main(["workspace", "delete", "GTD"]) == 0
    assert "Deleted 'GTD' (3 events)" in capsys.readouterr().out
    assert workspace.names() == ["Niger 2010"]


def test_cli_names_a_corrupt_workspace_without_a_traceback(gpkg_workspace, capsys):
    workspace = gpkg_workspace
    workspace.path.parent.mkdir(parents=True)
    workspace.path.write_bytes(b"garbage" * 50)
    assert main(["workspace", "list"]) == 1
    error = capsys.readouterr().err
    assert str(workspace.path) in error and "Traceback" not in error


def test_event_ids_follow_the_dataset_name(workspace):
    """Importers start ids with the dataset's slug ('acled-niger:NIG0'); saving under another name
    or renaming starts them with the new one, so two datasets' ids stay apart."""
    result = import_result(3, "ACLED Niger")
    result.events["id"] = result.events["id"].str.replace("ACLED Niger:", "acled-niger:", regex=False)
    workspace.save_dataset("Niger, first pass", result, "niger.csv", "acled")
    assert list(workspace.events()["id"]) == ["niger-first-pass:NIG0", "niger-first-pass:NIG1", "niger-first-pass:NIG2"]
    workspace.rename("Niger, first pass", "Niger 2010")
    assert list(workspace.events()["id"]) == ["niger-2010:NIG0", "niger-2010:NIG1", "niger-2010:NIG2"]
    assert set(workspace.events()["dataset"]) == {"Niger 2010"}


# --- Both stores under concurrent and killed writers -------------------------------------------------

CONCURRENT_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from geo.imports.model import ImportResult, finish_events
    from geo.workspace import open_workspace
    from tests.test_workspace import event_rows

    name, count, start = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    result = ImportResult(events=finish_events(event_rows(count, name)), read=count)
    store = open_workspace()
    store.datasets()  # connected (or the file found) before the start
    while not start.exists():
        time.sleep(0.005)
    store.save_dataset(name, result, name + ".csv", "acled")
""")


def test_two_imports_at_once_both_land(workspace, tmp_path):
    workspace.save_dataset("ACLED Niger", import_result(), "niger.csv", "acled")
    start = tmp_path / "start"
    script = CONCURRENT_WRITER.format(root=str(ROOT))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", script, name, str(count), str(start)], stderr=subprocess.PIPE, text=True
        )
        for name, count in (("Mali 2012", 3000), ("Niger 2013", 2000))
    ]
    time.sleep(0.5)
    start.touch()  # both write at the same moment
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read()
    assert sorted(workspace.names()) == ["ACLED Niger", "Mali 2012", "Niger 2013"]
    assert [len(workspace.events([name])) for name in ("ACLED Niger", "Mali 2012", "Niger 2013")] == [6, 3000, 2000]


KILLED_DATABASE_WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    import geo.workspace.postgis_changes as store_module
    from geo.imports.model import ImportResult, finish_events
    from geo.workspace import open_workspace
    from tests.test_workspace import event_rows

    copy_events = store_module.copy_events

    def copy_then_wait(connection, dataset_id, records):
        # The dataset's row and half its events are written, inside the import's transaction.
        copy_events(connection, dataset_id, records[: len(records) // 2])
        connection.execute("SELECT 1")
        print("writing", flush=True)
        time.sleep(60)

    store_module.copy_events = copy_then_wait
    result = ImportResult(events=finish_events(event_rows(400, "big")), read=400)
    open_workspace().save_dataset(sys.argv[1], result, "big.csv", "acled", replace=True)
""")


def test_an_import_killed_mid_transaction_leaves_the_database_as_it_was(postgis_workspace):
    workspace = postgis_workspace
    workspace.save_dataset("ACLED Niger", import_result(), "niger.csv", "acled")
    before = (workspace.datasets(), workspace.events().copy(), workspace.version())
    for name in ("big", "ACLED Niger"):  # a new dataset, and one replacing the dataset there
        writer = subprocess.Popen(
            [sys.executable, "-c", KILLED_DATABASE_WRITER.format(root=str(ROOT)), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout.readline().strip() == "writing", writer.stderr.read()
            writer.send_signal(signal.SIGKILL)
            assert writer.wait(timeout=30) == -signal.SIGKILL
        finally:
            if writer.poll() is None:
                writer.kill()
        assert workspace.datasets() == before[0] and workspace.version() == before[2]
        pd.testing.assert_frame_equal(workspace.events(), before[1])
    # The name the killed import held is free again (the server rolled its transaction back).
    workspace.save_dataset("big", import_result(2, "big"), "big.csv", "acled")
    assert workspace.names() == ["ACLED Niger", "big"]


def test_a_bad_or_unreachable_database_is_a_clear_error(monkeypatch, capsys, tmp_path):
    for address, message in (
        ("mysql://me@host/atlas", "should be a PostgreSQL address"),
        ("postgresql://me:secret@localhost:notaport/atlas", "cannot be read"),
        (f"postgresql://me:secret@/atlas?host={tmp_path}&port=5", "cannot reach"),
    ):
        monkeypatch.setenv("SAHEL_ATLAS_DATABASE_URL", address)
        with pytest.raises(WorkspaceError, match=message) as raised:
            open_workspace().datasets()
        assert "secret" not in str(raised.value)
        assert main(["workspace", "list"]) == 1
        error = capsys.readouterr().err
        assert message in error and "Traceback" not in error and "secret" not in error


def test_the_command_line_on_the_shared_database(postgis_workspace):
    postgis_workspace.save_dataset("ACLED Niger", import_result(), "niger.csv", "acled")
    environment = dict(os.environ)  # SAHEL_ATLAS_DATABASE_URL names the test's database
    run = [sys.executable, "-m", "geo", "workspace"]
    listed = subprocess.run(run + ["list"], capture_output=True, text=True, cwd=ROOT, env=environment)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(
        "ACLED Niger\t1\tacled\t6 imported, 2 refused\t"
    )  # the database gives ids 1, 2, ...
    path = subprocess.run(run + ["path"], capture_output=True, text=True, cwd=ROOT, env=environment)
    assert path.stdout.strip() == postgis_workspace.location and "not-needed" not in path.stdout
    renamed = subprocess.run(
        run + ["rename", "ACLED Niger", "Niger"], capture_output=True, text=True, cwd=ROOT, env=environment
    )
    assert renamed.returncode == 0 and postgis_workspace.names() == ["Niger"]


# --- The dashboard's queries agree with the reference filter -----------------------------------------

GROUP_IDS = [
    "gspc",
    "aqim",
    "al-mulathamin-brigade",
    "signers-in-blood",
    "mujao",
    "ansar-eddine",
    "al-murabitun",
    "malian-armed-forces",
    "a-group-the-atlas-does-not-know",
]
PEOPLE_IDS = ["mokhtar-belmokhtar", "iyad-ag-ghali", "abdelhamid-abu-zeid"]
ROLES = ["actor", "target", "mediator", "response", "named", None]  # None: in the list, no part given
TITLES = [
    "Enlèvement à Tombouctou",
    "Attaque près d’In Aménas",
    "Kidnapping in  Arlit",
    "Meeting at GAO",
    "Protest in Niamey",
    "Raid on l'Émir's camp",
    None,
]
ACTORS = [[], ["Katiba Ansar Dine"], ["Société Générale guards", "AQMI"], ["Mujao (Mouvement pour l’unicité)"]]


def varied_rows(count: int, dataset: str, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = event_rows(count, dataset)
    for number, row in enumerate(rows):
        year, month, day = int(rng.integers(2001, 2015)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        row["date_start"] = f"{year}-{month:02d}-{day:02d}"
        row["date_end"] = f"{year + int(rng.integers(0, 3) == 0)}-{month:02d}-{day:02d}"
        groups = list(rng.choice(GROUP_IDS, size=int(rng.integers(0, 4)), replace=False))
        people = list(rng.choice(PEOPLE_IDS, size=int(rng.integers(0, 3)), replace=False))
        roles = {
            member: str(role)
            for member in groups + people
            if (role := ROLES[int(rng.integers(0, len(ROLES)))]) is not None
        }
        row.update(
            groups=groups,
            people=people,
            roles=roles,
            type=["kidnapping", "attack", "meeting", "protest"][int(rng.integers(0, 4))],
            title=TITLES[int(rng.integers(0, len(TITLES)))],
            summary=["Gunmen took <hostages>.", None, "L’otage a été libéré", "NIGHT  raid"][number % 4],
            place_name=["Arlit", "Tombouctou", None, "In Aménas"][int(rng.integers(0, 4))],
            actors=ACTORS[int(rng.integers(0, len(ACTORS)))],
            country=["Mali", "Niger", "Algeria", None][int(rng.integers(0, 4))],
            geometry=Point(float(rng.uniform(-10, 10)), float(rng.uniform(10, 25))),
        )
    rows[0]["geometry"], rows[1]["geometry"] = Point(-5.0, 15.0), Point(0.0, 20.0)  # on the box's edges
    for row in rows[2:4]:  # the same id and date in both datasets: their order follows the datasets'
        row["id"], row["date_start"] = f"shared:{row['row']}", "2008-05-05"
    return rows


FILTERS = [
    EventFilter(),
    EventFilter(year_from=2005, year_to=2008),
    EventFilter(year_from=2012),
    EventFilter(year_to=2003),
    EventFilter(groups=("aqim",)),
    EventFilter(groups=("gspc",), include_related=True),
    EventFilter(groups=("gspc",), include_related=True, include_named=True),
    EventFilter(groups=("mujao", "ansar-eddine"), roles=("target", "named")),
    EventFilter(groups=("a-group-the-atlas-does-not-know",), include_related=True),
    EventFilter(types=("kidnapping", "meeting")),
    EventFilter(people=("iyad-ag-ghali",)),
    EventFilter(people=("mokhtar-belmokhtar", "abdelhamid-abu-zeid"), roles=("actor",)),
    EventFilter(sources=("lemonde-2013",)),
    EventFilter(countries=("Mali", "Algeria")),
    EventFilter(text="aménas"),
    EventFilter(text="Timbuktu"),  # the place's other names ('Tombouctou') are searched too
    EventFilter(text="in amenas"),
    EventFilter(text="d'in"),
    EventFilter(text="D’IN  Am"),
    EventFilter(text="kidnapping in arlit"),
    EventFilter(text="katiba"),
    EventFilter(text="l'otage"),
    EventFilter(text="  "),
    EventFilter(text="nowhere at all"),
    EventFilter(
        year_from=2006,
        year_to=2012,
        groups=("aqim",),
        include_related=True,
        types=("kidnapping", "attack"),
        countries=("Mali", "Niger"),
        text="a",
    ),
    EventFilter(people=("iyad-ag-ghali",), include_named=True, text="raid"),
]
DATASET_CHOICES = [["Alpha", "Beta"], ["Beta", "Alpha"], ["Beta"], ["Alpha", "not imported"]]
BOX = (-5.0, 12.0, 5.0, 20.0)


def test_the_dashboard_queries_agree_with_the_reference_filter(workspace, atlas):
    for name, count, seed in (("Alpha", 260, 1), ("Beta", 170, 2)):
        result = ImportResult(events=finish_events(varied_rows(count, name, seed)), read=count)
        workspace.save_dataset(name, result, f"{name}.csv", "acled")
    groups = atlas.groups
    reference_all = workspace.events()
    assert workspace.overview() == {
        "last_year": int(reference_all["year_end"].max()),
        "events": 430,
        "countries": frozenset({"Mali", "Niger", "Algeria"}),
    }
    answers = set()
    for datasets in DATASET_CHOICES:
        reference = workspace.events([name for name in datasets if name != "not imported"])
        for event_filter in FILTERS:
            expected = events_matching(reference, event_filter, groups)
            shown = workspace.shown_events(event_filter, datasets, groups)
            assert list(shown.columns) == list(SHOWN_COLUMNS)
            assert list(shown["id"]) == list(expected["id"]), (event_filter, datasets)
            assert list(shown["dataset"]) == list(expected["dataset"]), (event_filter, datasets)
            inside = expected[expected.geometry.x.between(BOX[0], BOX[2]) & expected.geometry.y.between(BOX[1], BOX[3])]
            boxed = workspace.events_in_box(event_filter, datasets, BOX, groups)
            assert list(boxed["id"]) == list(inside["id"]), (event_filter, datasets)
            answers.add(len(shown))
    assert len(answers) > 15  # the filters do tell events apart
    # The shown columns hold the events' own values.
    shown = workspace.shown_events(EventFilter(), ["Alpha", "Beta"])
    expected = reference_all
    assert shown["x"].tolist() == expected.geometry.x.tolist() and shown["y"].tolist() == expected.geometry.y.tolist()
    for column in ("type", "date_start", "date_end", "title", "place_name", "country"):
        assert shown[column].fillna("").tolist() == expected[column].fillna("").tolist(), column
    for column in ("year_start", "year_end", "groups", "roles", "leading_groups"):
        assert shown[column].tolist() == expected[column].tolist(), column
    boxed = set(workspace.events_in_box(EventFilter(), ["Alpha", "Beta"], BOX)["id"])
    assert {"Alpha:NIG0", "Alpha:NIG1", "Beta:NIG0", "Beta:NIG1"} <= boxed  # the box's edges count as inside
    picked = workspace.events_by_id(["Alpha:NIG7", "Beta:NIG5", "shared:3", "no such id"])
    assert list(picked.columns) == list(IMPORTED_COLUMNS)
    assert sorted(picked["id"]) == ["Alpha:NIG7", "Beta:NIG5", "shared:3", "shared:3"]

    def plain(frame):  # a column empty in every picked event may come out with another dtype
        return frame.astype(object).where(frame.notna(), None)

    pd.testing.assert_frame_equal(
        plain(picked), plain(expected[expected["id"].isin(picked["id"])].reset_index(drop=True))
    )


def test_the_queries_follow_every_change(workspace):
    version = workspace.version()
    assert workspace.version() == version  # unchanged while nothing changes
    workspace.save_dataset("one", import_result(4, "one"), "a.csv", "acled")
    assert workspace.version() != version
    assert len(workspace.shown_events(EventFilter(), ["one"])) == 4
    version = workspace.version()
    workspace.rename("one", "two")
    assert workspace.version() != version
    assert workspace.shown_events(EventFilter(), ["one"]).empty
    assert set(workspace.shown_events(EventFilter(), ["two"])["dataset"]) == {"two"}
    workspace.delete("two")
    assert workspace.shown_events(EventFilter(), ["two"]).empty and workspace.overview()["events"] == 0
