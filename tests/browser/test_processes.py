"""Two app processes behind HAProxy (``./atlas app --processes 2``): each browser stays with one
process, websocket included, both processes serve sessions, the filters work through the proxy,
and an import by one process shows in the other's sessions (one shared workspace)."""

from __future__ import annotations

import pytest

from cli.serve import COOKIE, find_haproxy, haproxy_config, start_cluster
from geo.workspace import open_workspace
from tests.test_workspace import import_result

from .conftest import offline_page
from .test_dashboard import IDLE, open_app, summary_count

pytestmark = pytest.mark.browser


def test_the_proxy_configuration_keeps_a_session_on_its_process():
    config = haproxy_config("127.0.0.1", 8501, [9001, 9002])
    assert "bind 127.0.0.1:8501" in config and f"cookie {COOKIE} insert" in config
    assert "server app1 127.0.0.1:9001 check cookie app1" in config
    assert "server app2 127.0.0.1:9002 check cookie app2" in config
    assert "timeout tunnel" in config  # the websocket outlives an ordinary request's timeout
    assert "bind [::]:80" in haproxy_config("::", 80, [9001])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if find_haproxy() is None:
        pytest.fail("HAProxy is not installed (./atlas test installs Debian's haproxy)")
    workspace = tmp_path_factory.mktemp("shared") / "workspace.gpkg"
    environment = {"SAHEL_ATLAS_WORKSPACE": str(workspace), "SAHEL_ATLAS_DATABASE_URL": ""}
    running = start_cluster(2, environment=environment)
    yield running, workspace
    running.stop()


def test_sessions_stay_on_their_process_and_share_the_workspace(browser, cluster, monkeypatch):
    running, workspace = cluster
    pages = [offline_page(browser, viewport={"width": 1440, "height": 900}) for _ in range(2)]
    try:
        for page in pages:
            open_app(page, running.url)
        processes = [next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE) for page in pages]
        # Each browser got its process from the proxy, and the two sessions are on different ones.
        assert sorted(processes) == ["app1", "app2"]
        before = [summary_count(page) for page in pages]
        assert before[0] == before[1] > 0
        # A filter change goes through the proxy's websocket to the session's own process.
        first = pages[0]
        first.goto(f"{running.url}/?from=2010&to=2010")
        first.wait_for_selector(IDLE, timeout=60_000)
        assert 0 < summary_count(first) < before[0]
        # An import saved by one process (here the command line's) shows in both processes' sessions.
        monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(workspace))
        monkeypatch.delenv("SAHEL_ATLAS_DATABASE_URL", raising=False)
        open_workspace().save_dataset("Shared import", import_result(4, "Shared import"), "s.csv", "acled")
        for page in pages:
            page.goto(f"{running.url}/data")
            page.wait_for_selector(IDLE, timeout=60_000)
            # The table is drawn on a canvas: its cells are there for screen readers, not visible.
            page.get_by_text("Shared import").first.wait_for(state="attached", timeout=30_000)
        assert [
            next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE) for page in pages
        ] == processes  # still the same process each
        assert all(page.outside == [] for page in pages)
    finally:
        for page in pages:
            page.context.close()
