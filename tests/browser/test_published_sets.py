"""The imported events the map fetches, through a real server: served from the cache folder and nothing
beside it, under a random token, and no longer once their dataset is deleted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.imports import import_file
from geo.workspace import Workspace

from .conftest import start_app, stop_app
from .test_dashboard import IDLE

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "acled_mali_niger.csv"
ADDRESS = "/component/ui.published.imported_events/"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An app server of its own over a workspace holding two datasets."""
    path = tmp_path_factory.mktemp("published") / "workspace.gpkg"
    workspace = Workspace(path)
    for name in ("Kept", "Deleted"):
        workspace.save_dataset(
            name, import_file(SAMPLE, "acled", dataset=name, file_name=SAMPLE.name), SAMPLE.name, "acled"
        )
    process, url = start_app(environment={"SAHEL_ATLAS_WORKSPACE": str(path)}, as_users_start_it=True)
    yield url, workspace
    stop_app(process)


def published_set(page, url: str) -> str:
    """The dashboard opened with every dataset shown; the address its map fetched the imported events from."""
    fetched = []
    page.on("response", lambda response: fetched.append(response.url) if ADDRESS in response.url else None)
    page.goto(f"{url}/?from=2003&to=2026")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.frame_locator("iframe[title*='st_folium']").first.locator("canvas.atlas-event-grid").wait_for(
        state="attached", timeout=60_000
    )
    for _ in range(50):
        if fetched:
            break
        page.wait_for_timeout(200)
    assert len(fetched) == 1
    return fetched[0]


def test_a_set_is_served_from_the_cache_under_a_random_token_and_nothing_beside_it(page, served):
    url, _ = served
    address = published_set(page, url)
    token = address.rsplit("/", 1)[1].removesuffix(".json")
    assert len(token) == 22  # 128 random bits
    events_dir = Path(os.environ["SAHEL_ATLAS_CACHE"]) / "events"
    assert (events_dir / f"{token}.json").is_file()
    answer = page.request.get(address)
    assert answer.status == 200 and "Kept" in answer.text()
    # Only the folder's own files: no way out of it, by path or by a link placed inside it.
    (events_dir / "outside.json").symlink_to(Path(os.environ["SAHEL_ATLAS_CACHE"]).parent / "elsewhere.json")
    (Path(os.environ["SAHEL_ATLAS_CACHE"]).parent / "elsewhere.json").write_text("{}")
    for wrong in ("..%2F..%2Fworkspace.gpkg", "../README.md", "%2Fetc%2Fpasswd", "outside.json", "nothing.json"):
        assert page.request.get(f"{url}{ADDRESS}{wrong}").status in (400, 404), wrong
    assert page.outside == []


def test_a_deleted_datasets_set_is_no_longer_served(page, served):
    url, workspace = served
    before = published_set(page, url)
    assert page.request.get(before).status == 200
    workspace.delete("Deleted")
    page.reload()  # the dashboard's next step
    after = published_set(page, url)
    assert after != before
    assert page.request.get(before).status == 404
    answer = page.request.get(after)
    assert answer.status == 200 and "Deleted" not in answer.text()
