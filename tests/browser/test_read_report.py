"""Reading a new report in the app, in headless Chromium with every outside request blocked: paste it,
see what it names marked and its places on the map, keep its events, find them on the dashboard."""

from __future__ import annotations

import os

import pytest

from geo.workspace import Workspace

from .conftest import screenshot
from .test_dashboard import IDLE

pytestmark = pytest.mark.browser
DATASET = "Menaka wire, March 2012"
REPORT = (
    "GAO, 3 March 2012 (Reuters) - Gunmen of Ansar Dine kidnapped two aid workers near Menaka on Thursday, "
    "officials said.\n\nThe group later claimed the abduction in a statement sent from Kidal, where "
    "Iyad Ag Ghaly met <b>tribal</b> leaders on Friday. *Nobody* was hurt."
)


def test_a_pasted_report_is_marked_mapped_kept_and_on_the_dashboard(page, app_url):
    workspace = Workspace(os.environ["SAHEL_ATLAS_WORKSPACE"])  # the one the test server uses
    try:
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(f"{app_url}/read_report")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_label("The report's text").fill(REPORT)
        page.get_by_label("Title").fill(DATASET)
        page.get_by_label("Author or outlet").fill("Reuters")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("button", name="Read").click()
        page.locator("mark.atlas-mark-place").first.wait_for(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)

        marks = {
            kind: page.locator(f".atlas-report mark.atlas-mark-{kind}").count()
            for kind in ("place", "group", "person", "date")
        }
        assert marks["place"] >= 3 and marks["group"] >= 1 and marks["person"] >= 1 and marks["date"] >= 2, marks
        # The report's markup is text on the page, never markup.
        text = page.locator(".atlas-report").inner_text()
        assert "<b>tribal</b>" in text and "*Nobody*" in text
        assert page.locator(".atlas-report b").count() == 0
        # Gao is a name two towns share: the reader asks which, the Malian town first; the user confirms it.
        gao = page.locator("[data-testid=stSelectbox]").filter(has_text="“GAO” is")
        picked = gao.get_by_role("combobox")
        assert "Gao (town, ML" in (picked.input_value() or picked.get_attribute("aria-label") or gao.inner_text())
        gao.scroll_into_view_if_needed()
        gao.click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=30_000)
        assert options.count() >= 2  # the candidates offered
        options.filter(has_text="Gao (town, ML").first.click()
        page.wait_for_selector(IDLE, timeout=60_000)
        assert "Gao (town, ML" in (picked.input_value() or picked.get_attribute("aria-label") or gao.inner_text())
        # The map of the places found is framed on them, not on the world.
        frame = page.frame_locator("iframe[title*='st_folium']").first
        frame.locator("path.atlas-report-place").first.wait_for(state="attached", timeout=30_000)
        assert frame.locator("path.atlas-report-place").count() >= 3  # Gao, Ménaka, Kidal
        map_page = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
        map_page.wait_for_function("() => window.map && window.map.getZoom() >= 5", timeout=30_000)
        # Ménaka, confirmed too: a click on it in the text rings it on the map and lights its mentions.
        page.locator(".atlas-report mark.atlas-mark-place", has_text="Menaka").first.click()
        page.locator(".atlas-report mark.atlas-mark-lit", has_text="Menaka").first.wait_for(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        frame = page.frame_locator("iframe[title*='st_folium']").first
        frame.locator("path.atlas-report-focus").wait_for(state="attached", timeout=30_000)
        assert page.get_by_text("kidnapped two aid workers near Menaka").count() >= 1
        page.get_by_role("heading", name="The text, marked").scroll_into_view_if_needed()
        screenshot(page, "read-a-report")

        name = page.get_by_role("textbox", name="Dataset name")
        name.fill(DATASET)
        name.press("Enter")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("button", name="Keep the events ticked").click()
        page.get_by_text("with the report's text").wait_for(timeout=60_000)
        [info] = [info for info in workspace.datasets() if info.name == DATASET]
        assert info.format == "report" and info.imported >= 2
        assert workspace.document(DATASET) == REPORT
        assert page.outside == []

        page.goto(f"{app_url}/?from=2012&to=2012")
        page.wait_for_selector(IDLE, timeout=60_000)
        frame = page.frame_locator("iframe[title*='st_folium']").first
        frame.locator(f"canvas.atlas-event-grid[data-events='{info.imported}']").wait_for(
            state="attached", timeout=30_000
        )
        legend = frame.locator(".atlas-legend")
        assert legend.get_by_text(DATASET).count() == 1
        assert legend.get_by_text("(from your reports)").count() == 1
        assert legend.get_by_text("imported, not from the reports").count() == 0

        # An event's details cite the report and the phrase it rests on.
        kept = workspace.events([DATASET])
        kidnapping = kept[kept["source_text"].str.contains("kidnapped two aid workers", regex=False)].iloc[0]
        page.goto(f"{app_url}/?from=2012&to=2012&select=imported:{kidnapping['id']}")
        page.wait_for_selector(IDLE, timeout=60_000)
        details = page.get_by_text("From your reports · sentence").first
        details.wait_for(timeout=60_000)
        panel = details.locator("..")
        assert kidnapping["source_text"] in panel.inner_text()
        assert "Reuters" in panel.inner_text() and DATASET in panel.inner_text()
        assert page.outside == []
    finally:
        # The other tests share this workspace: it must be empty again, whatever happened here.
        for info in workspace.datasets():
            workspace.delete(info.name)


def test_the_map_of_places_found_shows_every_one_however_far_apart(page, app_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app_url}/read_report")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_label("The report's text").fill(
        "PARIS - Experts in Paris and New York compare the Sahel with Afghanistan; the group's "
        "leaders met in Bamako and Kidal."
    )
    page.get_by_label("Title").fill("Far apart")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("button", name="Read").click()
    page.locator("mark.atlas-mark-place").first.wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    map_page = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    map_page.wait_for_function("() => window.map && document.querySelectorAll('path.atlas-report-place').length >= 5")
    outside = map_page.evaluate("""() => {
        const out = [];
        window.map.eachLayer((layer) => {
            if (layer.getLatLng && layer.options.className && layer.options.className.includes('atlas-report-place')
                && !window.map.getBounds().contains(layer.getLatLng())) { out.push(layer.getLatLng()); }
        });
        return out;
    }""")
    assert outside == [], f"places found but not in the map's view: {outside}"
    assert page.outside == []
