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
# The gathered discs as drawn (centre, radius, count), their counts' boxes, and the map labels shown,
# in the map's pixels.
_DISCS_AND_LABELS = """() => {
    const canvas = document.querySelector('canvas.atlas-event-grid');
    const discs = canvas.atlasDiscs.map((disc, i) => ({...disc, n: canvas.atlasMarks.filter((m) => m.cell)[i].n}));
    const box = window.map.getContainer().getBoundingClientRect();
    const labels = Array.from(document.querySelectorAll('.atlas-map-label'))
        .filter((label) => getComputedStyle(label).display !== 'none').map((label) => {
            const r = label.getBoundingClientRect();
            return {text: label.textContent, left: r.left - box.left, top: r.top - box.top,
                    right: r.right - box.left, bottom: r.bottom - box.top};
        });
    return [discs, canvas.atlasCounts, labels];
}"""

# The imported event picked, marked on the gathered layer's canvas inside the map's view.
_PICKED_EVENT_MARKED = """() => {
    const canvas = document.querySelector('canvas.atlas-event-grid');
    const spot = canvas && canvas.atlasSelected, size = window.map && window.map.getSize();
    return !!spot && spot.x >= 0 && spot.y >= 0 && spot.x <= size.x && spot.y <= size.y;
}"""

# The counts' layer lies above every layer of the reports' marks (events, places, towns).
_COUNTS_ABOVE_MARKS = """() => {
    const depth = (element) => Number(getComputedStyle(element.closest('.leaflet-pane')).zIndex);
    const counts = depth(document.querySelector('canvas.atlas-event-counts'));
    const marks = Array.from(document.querySelectorAll('path.atlas-event, path.leaflet-interactive'));
    return marks.length > 0 && marks.every((mark) => depth(mark) < counts);
}"""


def _labels_over_counts(labels, counts) -> list:
    return [
        (label["text"], count)
        for label in labels
        for count in counts
        if label["left"] < count["right"]
        and count["left"] < label["right"]
        and label["top"] < count["bottom"]
        and count["top"] < label["bottom"]
    ]


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
        name = page.get_by_role("textbox", name="Dataset name")
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
        imported, curated = (
            frame.locator(f"canvas.atlas-event-grid[data-events='{located}']"),
            frame.locator("path.atlas-event"),
        )
        imported.wait_for(state="attached", timeout=30_000)  # the layers arrive after the page
        assert located == 2730
        assert int(imported.get_attribute("data-marks")) > 0
        assert curated.count() > 100  # the reports' events are still drawn, above the imported ones
        assert frame.locator(".atlas-legend").get_by_text(DATASET).count() == 1
        # The reports' years stay theirs, though the slider reaches 2020 with the imported events.
        assert page.get_by_text("up to 2013 · and 2,730 of your imported events").count() == 1
        # No gathered disc overlaps another at the default zoom, and no shown label covers a count.
        map_page = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
        map_page.wait_for_function("() => document.querySelector('canvas.atlas-event-grid').atlasDiscs", timeout=30_000)
        page.wait_for_timeout(800)
        discs, counts, labels = map_page.evaluate(_DISCS_AND_LABELS)
        assert len(discs) >= 5
        touching = [
            (a, b)
            for i, a in enumerate(discs)
            for b in discs[i + 1 :]
            if ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 < a["r"] + b["r"]
        ]
        assert not touching, touching
        assert not _labels_over_counts(labels, counts)
        screenshot(page, "dashboard-with-acled-burkina")
        # Closer in, over central Burkina Faso: every count is drawn above the reports' marks, and
        # the capital keeps its name beside the discs.
        start = map_page.evaluate("() => [window.map.getCenter(), window.map.getZoom()]")
        map_page.evaluate("() => window.map.setView([12.6, -1.2], 7, {animate: false})")
        page.wait_for_timeout(1500)
        _, closer_counts, closer_labels = map_page.evaluate(_DISCS_AND_LABELS)
        assert len(closer_counts) >= 5
        assert map_page.evaluate(_COUNTS_ABOVE_MARKS)
        assert "Ouagadougou" in [label["text"] for label in closer_labels]
        assert not _labels_over_counts(closer_labels, closer_counts)
        screenshot(page, "dashboard-with-acled-burkina-zoom-7")
        map_page.evaluate("([centre, zoom]) => window.map.setView(centre, zoom, {animate: false})", start)
        page.wait_for_timeout(1500)

        # An event picked from a gathered disc's list is the selection in the link.
        alone = max((disc for disc in discs if disc["n"] < 200), key=lambda disc: disc["n"])
        box = page.locator("iframe[title*='st_folium']").first.bounding_box()
        page.mouse.click(box["x"] + alone["x"], box["y"] + alone["y"] - alone["r"] + 4)
        page.wait_for_function("() => location.search.includes('select=cell')", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        listed = page.locator("[data-testid=stDataFrame]").first
        listed.scroll_into_view_if_needed()
        table = listed.bounding_box()
        page.mouse.click(table["x"] + table["width"] * 0.5, table["y"] + 35 + 17)  # a cell of the first row
        page.wait_for_function("() => location.search.includes('select=imported')", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_timeout(1000)
        assert "select=imported" in page.url
        # ... and is marked where it lies on the map, above the discs; so too when the link is opened afresh.
        for _ in range(2):
            map_page = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
            map_page.wait_for_function(_PICKED_EVENT_MARKED, timeout=30_000)
            screenshot(page, "dashboard-imported-event-picked")
            page.goto(page.url)
            page.wait_for_selector(IDLE, timeout=60_000)
        assert page.outside == []
    finally:
        for info in workspace.datasets():
            workspace.delete(info.name)
