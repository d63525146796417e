"""The wheel, installed outside the checkout: `sahel-atlas` draws the map offline from any folder.

The wheel is built from a copy of the project's files (no ``static/``, ``build/`` or tests: only
what a source tree holds) and installed into a fresh virtual environment in a temporary folder.
Its dependencies are the ones this environment already has, reached through a path file, so the
check needs no network and takes seconds; the project itself comes only from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from sahel_atlas import __version__
from tests.app_server import ROOT, free_port

from .conftest import offline_page, screenshot

pytestmark = pytest.mark.browser
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
NOT_IN_A_SOURCE_TREE = (
    ".git",
    ".venv",
    "build",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "static",
    "tests",
    "screenshots",
    "bench",
)


def _run(command: list, **options) -> subprocess.CompletedProcess:
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300, **options)
    assert finished.returncode == 0, f"{command}: {finished.stdout[-2000:]}{finished.stderr[-2000:]}"
    return finished


def _scripts(environment: Path) -> Path:
    return environment / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh environment with the wheel installed: (its folder, a working folder outside the checkout, env)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_IN_A_SOURCE_TREE))
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(work / "dist"),
            str(source),
        ]
    )
    (wheel,) = (work / "dist").glob("sahel_atlas-*.whl")
    environment = work / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(environment)])
    python = _scripts(environment) / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)])
    site_packages = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    )
    # The dependencies: this environment's libraries, added as a plain path (its .pth files, the
    # checkout's editable install among them, are not read).
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    elsewhere = work / "somewhere else"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(
        {
            "SAHEL_ATLAS_CACHE": str(work / "cache"),
            "SAHEL_ATLAS_WORKSPACE": str(work / "workspace.gpkg"),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
    )
    return environment, elsewhere, env


def test_the_installed_command_gives_its_version_and_runs_the_data_commands(installed):
    environment, elsewhere, env = installed
    command = str(_scripts(environment) / "sahel-atlas")
    assert _run([command, "--version"], cwd=elsewhere, env=env).stdout.strip() == f"sahel-atlas {__version__}"
    stories = _run([command, "geo", "story", "list"], cwd=elsewhere, env=env).stdout
    assert stories.startswith("sahel-2003-2013"), stories
    located = _run(
        [str(_scripts(environment) / "python"), "-c", "import geo, layers; print(geo.__file__)"], cwd=elsewhere, env=env
    ).stdout
    assert Path(located.strip()).is_relative_to(environment), located


def test_the_installed_app_draws_the_map_offline_from_any_folder(installed, browser):
    environment, elsewhere, env = installed
    port = free_port()
    log = (elsewhere.parent / "server.log").open("w")
    server = subprocess.Popen(
        [str(_scripts(environment) / "sahel-atlas"), "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=elsewhere,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    page = None
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, (elsewhere.parent / "server.log").read_text()
                time.sleep(0.3)
        page = offline_page(browser, viewport={"width": 1500, "height": 1000})
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=90_000)
        page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
        frame = page.frame_locator("iframe[title*='st_folium']").first
        frame.locator("path.atlas-event").first.wait_for(timeout=60_000)
        assert frame.locator(".atlas-label-country", has_text="Mali").count() == 1  # the bundled basemap
        assert page.outside == [], page.outside
        screenshot(page, "installed-wheel")
    finally:
        if page is not None:
            page.context.close()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
