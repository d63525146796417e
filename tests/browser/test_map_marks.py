"""What is drawn on the map and what a click on it does, in a real headless Chromium.

Marks are checked as a user meets them: is the mark on top at its own centre, does
a click there select it, can overlapping marks and outlines still each be chosen,
do the town labels stay, apart, whatever the filters.
"""

from __future__ import annotations

import re

import pytest

from geo.boundaries import boundaries_in_force, load_boundaries

from .conftest import screenshot
from .test_dashboard import IDLE, open_app

pytestmark = pytest.mark.browser
TIMBUKTU_ZOOM_7 = "?lat=16.77&lon=-3.0&zoom=7"
ANCHOR_TOWNS = ("Timbuktu", "Kidal", "Ménaka", "In Amenas", "Arlit")

# For every point mark (event, place circle, town dot) drawn inside the map and not under a
# map control: what the mark is, and what elementFromPoint finds at its centre.
_MARKS_AT_THEIR_CENTRES = """() => {
    const map = window.map, box = map.getContainer().getBoundingClientRect(), found = [];
    const selectOf = (element) => {
        const layer = element && element._leaflet_id && map._targets[element._leaflet_id];
        return layer && layer.feature ? layer.feature.properties.select : null;
    };
    document.querySelectorAll("path.atlas-event, path.atlas-place, path.atlas-town").forEach((mark) => {
        const r = mark.getBoundingClientRect();
        if (!r.width) { return; }  // outside the drawn area: Leaflet leaves its path empty
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (x < box.left + 2 || x > box.right - 2 || y < box.top + 2 || y > box.bottom - 2) { return; }
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest(".leaflet-control")) { return; }  // under the zoom buttons or the legend
        found.push({mark: selectOf(mark), top: selectOf(hit), x: x, y: y, r: r.width / 2,
                    kind: mark.getAttribute("class").split(" ")[0]});
    });
    return found;
}"""

_LABELS = """() => {
    const box = window.map.getContainer().getBoundingClientRect();
    return Array.from(document.querySelectorAll(".atlas-map-label")).map((label) => {
        const r = label.getBoundingClientRect();
        return {text: label.textContent, shown: getComputedStyle(label).display !== "none",
                left: r.left - box.left, top: r.top - box.top, right: r.right - box.left,
                bottom: r.bottom - box.top, width: box.width, height: box.height};
    });
}"""


def map_window(page):
    """The map's own frame, to run script in it (window.map is the Leaflet map)."""
    handle = page.locator("iframe[title*='st_folium']").first.element_handle()
    frame = handle.content_frame()
    frame.wait_for_function(
        "() => window.map && document.querySelectorAll('path.atlas-event').length > 0", timeout=30_000
    )
    page.wait_for_timeout(600)  # the layout runs once the layers are in
    return frame


def marks_at_centres(page) -> list[dict]:
    return map_window(page).evaluate(_MARKS_AT_THEIR_CENTRES)


@pytest.mark.parametrize(
    "query, viewport",
    [
        ("", {"width": 1440, "height": 900}),
        (TIMBUKTU_ZOOM_7, {"width": 1440, "height": 900}),
        ("", {"width": 390, "height": 844}),
    ],
    ids=["default", "timbuktu-zoom-7", "phone"],
)
def test_every_point_mark_is_on_top_at_its_own_centre(page, app_url, query, viewport):
    page.set_viewport_size(viewport)
    open_app(page, app_url, query)
    marks = marks_at_centres(page)
    kinds = {mark["kind"] for mark in marks}
    assert {"atlas-event", "atlas-town"} <= kinds, kinds
    covered = [mark for mark in marks if mark["top"] != mark["mark"]]
    assert covered == [], f"{len(covered)} of {len(marks)} marks covered at their centre: {covered[:5]}"


def test_a_click_on_timbuktu_at_zoom_7_selects_timbuktu(page, app_url):
    open_app(page, app_url, TIMBUKTU_ZOOM_7)
    [town] = [
        mark for mark in marks_at_centres(page) if mark["mark"] == "place:timbuktu" and mark["kind"] == "atlas-town"
    ]
    frame_box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    page.mouse.click(frame_box["x"] + town["x"], frame_box["y"] + town["y"])
    page.wait_for_function(
        "() => location.search.includes('select=place%3Atimbuktu')"
        " || location.search.includes('select=place:timbuktu')",
        timeout=30_000,
    )
    page.wait_for_selector(IDLE, timeout=60_000)
    assert page.locator(".atlas-details h3").first.inner_text() == "Timbuktu"


def test_a_click_where_marks_overlap_offers_a_list(page, app_url):
    open_app(page, app_url, TIMBUKTU_ZOOM_7)
    events = [mark for mark in marks_at_centres(page) if mark["kind"] == "atlas-event"]
    # Two events whose circles overlap: click between their centres, where both are drawn.
    pair = next(
        (
            (a, b)
            for i, a in enumerate(events)
            for b in events[i + 1 :]
            if ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 < a["r"] + b["r"] - 3
        ),
        None,
    )
    assert pair, "no two event marks overlap at Timbuktu, zoom 7"
    first, second = pair
    frame_box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    page.mouse.click(frame_box["x"] + (first["x"] + second["x"]) / 2, frame_box["y"] + (first["y"] + second["y"]) / 2)
    frame = page.frame_locator("iframe[title*='st_folium']").first
    choices = frame.locator(".atlas-chooser-item")
    choices.first.wait_for(timeout=10_000)
    offered = [choices.nth(i).get_attribute("data-select") for i in range(choices.count())]
    assert {first["mark"], second["mark"]} <= set(offered), offered
    screenshot(page, "map-overlap-chooser")
    choices.nth(offered.index(second["mark"])).click()
    wanted = second["mark"].replace(":", "%3A")
    page.wait_for_function(f"() => location.search.includes('select={wanted}')", timeout=30_000)


def test_2012_shows_the_held_north_and_the_proposed_state_apart_and_each_can_be_chosen(page, app_url):
    open_app(page, app_url, "?from=2012&to=2012")
    frame = map_window(page)
    expected = boundaries_in_force(load_boundaries(), 2012, 2012)
    assert {"jihadist-held-northern-mali", "proposed-islamic-state-of-azawad"} <= set(expected["id"])
    outlines = frame.evaluate("""() => Array.from(document.querySelectorAll('path.atlas-boundary')).map((p) => {
        const layer = window.map._targets[p._leaflet_id];
        return {select: layer.feature.properties.select, width: parseFloat(p.getAttribute('stroke-width')),
                dash: p.getAttribute('stroke-dasharray')};
    })""")
    assert len(outlines) == len(expected)
    held, proposed = (
        next(o for o in outlines if o["select"] == f"boundary:{ref}")
        for ref in ("jihadist-held-northern-mali", "proposed-islamic-state-of-azawad")
    )
    # The same outline twice: one drawn as a wide band, the other as a line along it.
    assert (held["width"], held["dash"]) != (proposed["width"], proposed["dash"])
    point = frame.evaluate("""() => {
        const path = Array.from(document.querySelectorAll('path.atlas-boundary')).find((p) =>
            window.map._targets[p._leaflet_id].feature.properties.select === 'boundary:proposed-islamic-state-of-azawad');
        const length = path.getTotalLength(), box = window.map.getContainer().getBoundingClientRect();
        const selects = (x, y) => document.elementsFromPoint(x, y).map((e) => {
            const layer = e._leaflet_id && window.map._targets[e._leaflet_id];
            return layer && layer.feature ? layer.feature.properties.select : null; });
        for (let step = 0; step < 80; step++) {  // a point of both outlines, inside the map, on no point mark
            const at = path.getPointAtLength(length * step / 80).matrixTransform(path.getScreenCTM());
            const inside = at.x > box.left + 60 && at.x < box.right - 60 && at.y > box.top + 60 && at.y < box.bottom - 60;
            const here = selects(at.x, at.y), top = document.elementFromPoint(at.x, at.y);
            if (top && top.closest('.leaflet-control')) { continue; }  // under the time slider or the legend
            let nearMark = false;  // a point mark's 24 px target takes a click near it
            window.map.eachLayer((layer) => {
                const props = layer.feature && layer.feature.properties;
                if (props && props.mark && layer.getLatLng) {
                    const c = window.map.latLngToContainerPoint(layer.getLatLng());
                    if (Math.hypot(c.x - (at.x - box.left), c.y - (at.y - box.top)) < 16) { nearMark = true; }
                }
            });
            if (nearMark) { continue; }
            if (inside && here[0] && here[0].startsWith('boundary:') && here.includes('boundary:jihadist-held-northern-mali')) {
                return {x: at.x, y: at.y};
            }
        }
        return null;
    }""")
    assert point, "no clickable stretch of the proposed state's outline"
    frame_box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    page.mouse.click(frame_box["x"] + point["x"], frame_box["y"] + point["y"])
    choices = page.frame_locator("iframe[title*='st_folium']").first.locator(".atlas-chooser-item")
    choices.first.wait_for(timeout=10_000)
    offered = [choices.nth(i).get_attribute("data-select") for i in range(choices.count())]
    assert {"boundary:jihadist-held-northern-mali", "boundary:proposed-islamic-state-of-azawad"} <= set(offered)
    choices.nth(offered.index("boundary:jihadist-held-northern-mali")).click()
    page.get_by_role("heading", name="Northern Mali held by the jihadist groups").wait_for(timeout=30_000)
    # The chosen outline is drawn heavier than before.
    map_window(page).wait_for_function(
        """(before) => Array.from(document.querySelectorAll('path.atlas-boundary'))
        .some((p) => window.map._targets[p._leaflet_id].feature.properties.select === 'boundary:jihadist-held-northern-mali'
                     && parseFloat(p.getAttribute('stroke-width')) > before)""",
        arg=held["width"],
        timeout=30_000,
    )
    screenshot(page, "boundaries-2012-held-north-selected")


@pytest.mark.parametrize(
    "query",
    ["", "?from=2005&to=2005", "?from=2012&to=2012&type=kidnapping"],
    ids=["default", "2005", "2012-kidnappings"],
)
def test_town_labels_stay_whatever_the_filters_and_never_overlap(page, app_url, query):
    open_app(page, app_url, query)
    labels = map_window(page).evaluate(_LABELS)
    shown = [label for label in labels if label["shown"]]
    assert set(ANCHOR_TOWNS) <= {label["text"] for label in shown}
    for label in shown:  # wholly inside the map
        assert label["left"] >= 0 and label["top"] >= 0, label
        assert label["right"] <= label["width"] and label["bottom"] <= label["height"], label
    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(shown)
        for b in shown[i + 1 :]
        if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]
    assert clashes == []


def test_map_takes_the_height_of_a_wall_screen(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_app(page, app_url)
    box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    assert box["height"] >= 1080 - 260 and box["y"] + box["height"] <= 1080
    assert box["width"] >= 900
    frame = page.frame_locator("iframe[title*='st_folium']").first
    frame.get_by_role("button", name="Full screen").wait_for()
    # The legend on the map stays folded until asked for; the side legend shows it all.
    assert frame.locator(".atlas-legend details[open]").count() == 0
    screenshot(page, "dashboard-1920x1080")


def test_nothing_is_cut_off_at_150_percent_browser_zoom(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 720})  # 1920x1080 at 150%
    open_app(page, app_url)
    box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    assert box["y"] + box["height"] <= 720
    frame = map_window(page)
    controls = frame.evaluate("""() => Array.from(document.querySelectorAll('.leaflet-control')).map((c) => {
        const r = c.getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; })""")
    assert controls and all(top >= 0 and bottom <= height for top, bottom, height in controls)
    screenshot(page, "dashboard-150-percent")


def test_few_items_keep_the_map_legend_folded(page, app_url):
    open_app(page, app_url, "?from=2010&to=2010&type=raid")
    frame = page.frame_locator("iframe[title*='st_folium']").first
    frame.locator(".atlas-legend summary").wait_for()
    assert frame.locator(".atlas-legend details[open]").count() == 0
    frame.locator(".atlas-legend summary").click()
    assert frame.locator(".atlas-legend details[open]").count() == 1


def test_online_basemap_without_internet_says_so_and_offers_the_bundled_map(page, app_url):
    open_app(page, app_url, "?basemap=OpenStreetMap+%28online%29")
    frame = page.frame_locator("iframe[title*='st_folium']").first
    frame.get_by_text("The map tiles could not be loaded").wait_for(timeout=30_000)
    screenshot(page, "online-basemap-offline")
    frame.get_by_role("button", name="Use the bundled offline map").click()
    page.wait_for_function("() => !location.search.includes('basemap=')", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    frame = page.frame_locator("iframe[title*='st_folium']").first
    frame.locator(".leaflet-atlas-basemap-pane path").first.wait_for(timeout=30_000)
    assert frame.get_by_text("The map tiles could not be loaded").count() == 0


def test_typing_a_group_and_enter_picks_that_group_only(page, app_url):
    open_app(page, app_url)
    groups = page.locator("[data-testid=stMultiSelect]").filter(has_text="Groups")
    groups.locator("input").click()
    groups.locator("input").fill("AQIM")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('group=')", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert re.search(r"group=aqim(&|$)", page.url), page.url


def test_a_row_of_the_table_selects_its_event_and_shows_it(page, app_url):
    open_app(page, app_url, "?from=2010&to=2010&type=raid")
    table = page.locator("[data-testid=stDataFrame]").first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + 35 + 17)  # a cell in the middle of the first row
    page.wait_for_function("() => location.search.includes('select=event')", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.locator(".atlas-details h4").first.wait_for()
    # The map drew the chosen event as selected, and went to it.
    frame = map_window(page)
    assert frame.locator("path.atlas-selected").count() == 1
    assert "zoom=6" in page.url


def test_the_events_shown_download_as_csv(page, app_url, atlas):
    from playwright.sync_api import TimeoutError as NoDownload

    from geo.filters import EventFilter, events_matching

    open_app(page, app_url, "?from=2010&to=2010")
    try:
        with page.expect_download(timeout=15_000) as download:
            page.get_by_role("button", name="CSV", exact=True).click()
        saved = download.value.path()
    except NoDownload:  # a click during the rerun the map's first answer starts can be lost: press it again
        page.wait_for_selector(IDLE, timeout=60_000)
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="CSV", exact=True).click()
        saved = download.value.path()
    lines = open(saved, encoding="utf-8").read().splitlines()
    shown = events_matching(atlas.events, EventFilter(year_from=2010, year_to=2010))
    assert lines[0].startswith("id,") and len(lines) == len(shown) + 1


def test_a_click_near_a_small_mark_selects_it(page, app_url):
    """A mark drawn 14 px wide is a target of 24 px: a click 10 px from its centre, on no other mark, takes it."""
    open_app(page, app_url)
    marks = marks_at_centres(page)
    events = [
        mark for mark in marks if mark["kind"] == "atlas-event" and mark["top"] == mark["mark"] and mark["r"] < 10
    ]
    alone = next(
        mark
        for mark in events  # no other point within 30 px, so the click can mean only this one
        if all(
            ((mark["x"] - other["x"]) ** 2 + (mark["y"] - other["y"]) ** 2) ** 0.5 > 30
            for other in marks
            if other is not mark
        )
    )
    frame_box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    page.mouse.click(frame_box["x"] + alone["x"] + alone["r"] + 3, frame_box["y"] + alone["y"] + 6)
    wanted = alone["mark"].replace(":", "%3A")
    page.wait_for_function(f"() => location.search.includes('select={wanted}')", timeout=30_000)


def test_tooltips_stay_inside_a_narrow_map(page, app_url):
    """A tooltip opens on the side of the pointer with more room; where neither has enough, it moves in."""
    page.set_viewport_size({"width": 820, "height": 900})
    open_app(page, app_url, "?lat=16.77&lon=-3.0&zoom=7")
    frame = map_window(page)
    marks = [mark for mark in marks_at_centres(page) if mark["kind"] == "atlas-event" and mark["top"] == mark["mark"]]
    frame_box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    cut = []
    for mark in sorted(marks, key=lambda mark: mark["x"])[::3][:12]:
        page.mouse.move(frame_box["x"] + mark["x"], frame_box["y"] + mark["y"])
        page.wait_for_timeout(150)
        cut += frame.evaluate("""() => {
            const box = window.map.getContainer().getBoundingClientRect();
            return Array.from(document.querySelectorAll('.leaflet-tooltip')).map((tip) => tip.getBoundingClientRect())
                .filter((r) => r.width && (r.left < box.left || r.right > box.right || r.top < box.top))
                .map((r) => [r.left - box.left, r.right - box.left, box.width]);
        }""")
    assert not cut, cut
