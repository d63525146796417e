"""Shared fixtures: the bundled atlas, the tiny test dataset and the location of the reports."""

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
MINI = TESTS / "fixtures" / "mini"
BROWSER_TESTS = TESTS / "browser"
ROOT = TESTS.parent
# The reports live beside the project in development and CI; the app never needs them.
SEEDS = ROOT.parent / "shared" / "seeds"
# A real ACLED export (the humanitarian portal's Burkina Faso file), for the importer's tests only.
ACLED_BURKINA = ROOT.parent / "shared" / "data" / "acled" / "acled_burkina_faso_hdx_export.csv"


def pytest_collection_modifyitems(items):
    """Everything under tests/browser runs in headless Chromium: the whole suite's tier, not the quick one."""
    for item in items:
        if BROWSER_TESTS in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def own_workspace(tmp_path_factory):
    """Tests never read or write the user's own imported data or cache: fresh folders per run."""
    import os

    folder = tmp_path_factory.mktemp("workspace")
    saved = {key: os.environ.get(key) for key in ("SAHEL_ATLAS_WORKSPACE", "SAHEL_ATLAS_CACHE")}
    database = os.environ.pop("SAHEL_ATLAS_DATABASE_URL", None)  # nor a team's shared database
    os.environ["SAHEL_ATLAS_WORKSPACE"] = str(folder / "workspace.gpkg")
    os.environ["SAHEL_ATLAS_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield folder / "workspace.gpkg"
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if database is not None:
        os.environ["SAHEL_ATLAS_DATABASE_URL"] = database


@pytest.fixture(scope="session")
def postgis_server():
    """A PostgreSQL server with PostGIS for this test run (tests/postgis.py), stopped at the end."""
    from tests.postgis import PostgisServer

    missing = PostgisServer.missing()
    if missing:
        pytest.skip(f"no PostGIS to test the shared workspace against: {missing}")
    server = PostgisServer()
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture
def mini_data(tmp_path) -> Path:
    """A writable copy of the tiny dataset, so a test can break it."""
    target = tmp_path / "data"
    shutil.copytree(MINI / "data", target)
    return target


@pytest.fixture
def mini_reports() -> Path:
    return MINI / "reports"


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"reports not found at {SEEDS}")
    return SEEDS


@pytest.fixture
def acled_burkina() -> Path:
    if not ACLED_BURKINA.is_file():
        pytest.skip(f"ACLED export not found at {ACLED_BURKINA}")
    return ACLED_BURKINA


@pytest.fixture(scope="session")
def atlas():
    """The bundled curated data (a module may define its own ``atlas``, e.g. the tiny one)."""
    from geo.catalog import load_atlas

    return load_atlas()


@pytest.fixture(scope="session")
def names(atlas):
    from view import Names

    return Names(atlas)
