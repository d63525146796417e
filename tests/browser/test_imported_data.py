"""An analyst's own data through the app, in a real headless Chromium with every outside request blocked.

The humanitarian portal's ACLED export for Burkina Faso is uploaded on 'Your data'; its
events are then drawn on the dashboard beside the reports' events, in their own style.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.workspace import Workspace

from .conftest import screenshot
from .test_dashboard import IDLE

pytestmark = pytest.mark.browser
ACLED_BURKINA = Path(__file__).resolve().parents[3] / "shared" / "data" / "acled" / "acled_burkina_faso_hdx_export.csv"
DATASET = "ACLED Burkina Faso (portal)"


@pytest.fixture
def burkina_file() -> Path:
    if not ACLED_BURKINA.is_file():
        pytest.skip(f"ACLED export not found at {ACLED_BURKINA}")
    return ACLED_BURKINA


def test_an_acled_export_uploaded_in_the_app_is_drawn_beside_the_reports(page, app_url, burkina_file):
    workspace = Workspace(os.environ["SAHEL_ATLAS_WORKSPACE"])  # the one the test server uses
    try:
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(f"{app_url}/data")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.locator("input[type=file]").set_input_files(str(burkina_file))
        page.wait_for_selector(IDLE, timeout=60_000)
        name = page.get_by_label("Dataset name")
        name.fill(DATASET)
        name.press("Enter")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("button", name="Import").click()
        page.get_by_text("2730 row(s) read, 2730 imported, 0 refused").wait_for(timeout=60_000)
        assert [info.name for info in workspace.datasets()] == [DATASET]

        page.goto(f"{app_url}/?from=2003&to=2020")
        page.wait_for_selector(IDLE, timeout=60_000)
        frame = page.frame_locator("iframe[title*='st_folium']").first
        located = workspace.events().geometry.notna().sum()
        imported, curated = frame.locator(f"canvas.atlas-event-grid[data-events='{located}']"), \
            frame.locator("path.atlas-event")
        imported.wait_for(state="attached", timeout=30_000)  # the layers arrive after the page
        assert located == 2730
        assert int(imported.get_attribute("data-marks")) > 0
        assert curated.count() > 100  # the reports' events are still drawn, above the imported ones
        assert frame.locator(".atlas-legend").get_by_text(DATASET).count() == 1
        screenshot(page, "dashboard-with-acled-burkina")
        assert page.outside == []
    finally:
        for info in workspace.datasets():
            workspace.delete(info.name)
