"""One HTML file that shows a map view, or a whole story, from a USB stick.

The file holds everything it needs: Leaflet's script and style sheet (its images
as ``data:`` URIs), the map engine, the basemap and the data. Opened from
``file://`` with no server and no network it draws the same map as the
dashboard, and it names no web address at all, so nothing in it can reach out.

:func:`view_html` draws one :class:`view.MapView` with its legend, title
and filters in words. :func:`story_html` puts a whole story on one map: a title
screen, then one step at a time, each step's layers and legend in a feature group
of its own, over a basemap drawn once; a small script shows the current step,
fits the map to its extent and fills the side panel. The step is in the address
(``#step-3``), so a file opened with that address starts there.
"""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.stories import Story
from layers import time_filter
from layers.atlas_map import LABEL_SIZES, new_map
from layers.basemap import OFFLINE, basemap_features
from layers.common import escape
from layers.labels import settings_group
from layers.legend import legend_group, legend_html
from layers.view_layers import view_layers
from view import CREDITS, AtlasContext, MapView, step_view

__all__ = ["view_html", "story_html", "script_json", "WEB_ADDRESS"]

# What the file must never contain: a browser could try to fetch it.
WEB_ADDRESS = re.compile(r"https?://", re.IGNORECASE)
# The asset base handed to the map: its <script>/<link> tags are found by it and replaced by the files.
_ASSET_SENTINEL = "atlas-inline-asset"
_STORY_LABEL_SIZE = LABEL_SIZES["Large"]  # a story is shown to a room
_VIEW_LABEL_SIZE = LABEL_SIZES["Normal"]


# ---- what goes into the page as-is -------------------------------------------------------------


def script_json(value) -> str:
    """``value`` as JSON that is safe inside a <script>: no '<', '>' or '&' survives as itself.

    A caption holding ``</script>`` or ``<!--`` stays a string and cannot end the script.
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _text(value) -> str:
    """Data as HTML text: escaped, and an address in it written so that it is no longer one."""
    return escape(value).replace("://", ":&#47;&#47;")


def _leaflet_folder() -> Path:
    import js_lib_leaflet  # the same package ui/assets.py serves Leaflet from

    return Path(js_lib_leaflet.__file__).resolve().parent / "static" / "js_lib_leaflet"


@lru_cache(maxsize=1)
def leaflet_script() -> str:
    """Leaflet's script, with every web address it holds taken out.

    Leaflet links its name in the map's corner to its web site (the link and a flag
    drawn in SVG): the corner now says just "Leaflet", and the licence notice names
    the site without its scheme. It also needs the SVG namespace for createElementNS,
    an address-like string: the script builds it from its parts instead.
    """
    script = (_leaflet_folder() / "leaflet.js").read_text(encoding="utf-8")
    script = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", script)  # no map file beside the page
    # The licence notice stays; it names the web site without the scheme.
    script = re.sub(
        r"^/\*.*?\*/", lambda notice: WEB_ADDRESS.sub("", notice.group(0)), script, count=1, flags=re.DOTALL
    )
    script, prefixes = re.subn(
        r"""prefix:'<a href="https://leafletjs\.com".*?Leaflet</a>\"""", 'prefix:"Leaflet"', script, flags=re.DOTALL
    )
    namespace = '"' + "http://www.w3.org/2000/svg" + '"'
    uses = script.count(namespace)
    script = script.replace(namespace, "atlasSvgNamespace")
    if prefixes != 1 or uses == 0 or WEB_ADDRESS.search(script) or "</script" in script.lower():
        raise RuntimeError(
            "this Leaflet release differs from the one briefing.offline_html was written for; "
            "check how it spells its attribution and the SVG namespace"
        )
    # Spelled in parts so the file holds no web address (see above); the value is the SVG namespace.
    return 'var atlasSvgNamespace = ["http:", "", "www.w3.org", "2000", "svg"].join("/");\n' + script


@lru_cache(maxsize=1)
def leaflet_style() -> str:
    """Leaflet's style sheet, its images written in as data: URIs and its comments (which cite bug trackers) gone."""
    folder = _leaflet_folder()
    style = re.sub(r"/\*.*?\*/", "", (folder / "leaflet.css").read_text(encoding="utf-8"), flags=re.DOTALL)

    def inline(match: re.Match) -> str:
        image = folder / match.group(1)
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    style = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, style)
    if WEB_ADDRESS.search(style) or "url(images/" in style:
        raise RuntimeError("Leaflet's style sheet still points at a file or an address")
    return style


@lru_cache(maxsize=1)
def bundled_basemap() -> dict[str, dict]:
    """The bundled basemap as GeoJSON (what the app draws), made once per process."""
    from geo.basemap import capitals, countries, lakes, rivers

    return basemap_features({"countries": countries(), "rivers": rivers(), "lakes": lakes(), "capitals": capitals()})


def _self_contained(page: str) -> str:
    """The rendered page with Leaflet written in and no web address left in it."""
    script_tag = f'<script src="{_ASSET_SENTINEL}/leaflet.js"></script>'
    style_tag = f'<link rel="stylesheet" href="{_ASSET_SENTINEL}/leaflet.css"/>'
    if page.count(script_tag) != 1 or page.count(style_tag) != 1:
        raise RuntimeError("the map did not load Leaflet from the asset base as expected")
    # An address inside the data (a tooltip, a label) stays readable: '\/' is '/' in a script string.
    page = re.sub(r"<script>.*?</script>", lambda m: m.group(0).replace("://", ":\\/\\/"), page, flags=re.DOTALL)
    # Leaflet's style sheet goes first, so the atlas's own rules (the sea's colour) win, as the app meant.
    page = page.replace(style_tag, "").replace("<head>", f"<head>\n<style>\n{leaflet_style()}\n</style>", 1)
    page = page.replace(script_tag, _inline_script(leaflet_script()))
    if re.search(r"<script[^>]*\ssrc=|<link[^>]*\shref=", page) or WEB_ADDRESS.search(page):
        raise RuntimeError("the offline page still loads a file or names a web address")
    return page


def _inline_script(code: str) -> str:
    return f"<script>\n{code}\n</script>"


# ---- one view ----------------------------------------------------------------------------------

# Map rules for both pages. The legend, folded until clicked as on the web map, lays its two columns
# out as a grid, so the box is as wide as its longest names; on a phone it is one column whose names
# wrap, inside the map, and it scrolls rather than cut a name.
# Leaflet asks the browser to keep each SVG layer ready to move (will-change); Chromium then left parts
# of a large map unpainted at some zooms, so the layers are left to the browser as ordinary ones.
_SHARED_MAP_CSS = """
svg.leaflet-zoom-animated { will-change: auto; }
.atlas-legend .atlas-two-columns { columns: auto; display: grid; grid-template-columns: max-content max-content;
  column-gap: 14px; }
@media (max-width: 900px), (orientation: portrait) {
  .atlas-legend { max-width: calc(100vw - 70px) !important; max-height: 38vh; overflow: auto; }
  .atlas-legend .atlas-two-columns { grid-template-columns: minmax(0, 1fr); }
  .atlas-legend .atlas-two-columns div { white-space: normal; }
}
"""

_VIEW_CSS = (
    """
<style>
body { display: grid; grid-template-rows: auto minmax(0, 1fr) auto; grid-template-areas: "top" "map" "foot";
  height: 100vh; font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #1b1b1b; }
.folium-map { grid-area: map; width: auto !important; height: auto !important; }
.atlas-view-top { grid-area: top; padding: 10px 16px 8px; border-bottom: 1px solid #d6dbe1; background: #fff; }
.atlas-view-top h1 { margin: 0; font-size: 24px; line-height: 1.2; }
.atlas-view-filters { margin-top: 3px; font-size: 16px; color: #444; }
.atlas-credits { grid-area: foot; padding: 5px 16px; font-size: 12.5px; color: #555; background: #f4f5f7;
  border-top: 1px solid #d6dbe1; }
"""
    + _SHARED_MAP_CSS
    + """
</style>
"""
)


def view_html(
    view: MapView,
    context: AtlasContext,
    every_year: MapView | None = None,
    years: tuple[int, int] | None = None,
) -> str:
    """One map view as a self-contained page: the map fitted to its extent, the legend (folded), title and filters.

    With ``every_year`` (the same view of every year the filters allow) and ``years`` (the range
    ``view`` shows), the page draws every year and has the dashboard's time slider, opening on
    ``years``: it filters the marks in the page itself, from ``file://``.
    """
    fmap = new_map(bundled_basemap(), OFFLINE, asset_base=_ASSET_SENTINEL, basemap_url=None, bounds=view.bbox)
    groups, legend = view_layers(every_year if every_year is not None else view)
    extra = []
    if every_year is not None and years is not None:
        legend = time_filter.legend_in_range(legend, view)
        extra.append(
            time_filter.build(
                every_year,
                *years,
                context.first_year,
                context.last_year,
                boundary_year=view.boundary_year if view.boundary_year != years[1] else None,
                send=False,  # no app to tell: the page is all there is
            )
        )
    for group in [*groups, legend_group(legend_html(**legend)), settings_group(_VIEW_LABEL_SIZE)]:
        group.add_to(fmap)
    for group in extra:
        group.add_to(fmap)
    root = fmap.get_root()
    root.header.add_child(Element(f"<title>{_text(view.title)}</title>{_VIEW_CSS}"))
    root.html.add_child(
        Element(
            f"<header class='atlas-view-top'><h1>{_text(view.title)}</h1>"
            f"<div class='atlas-view-filters'>{_text(view.filters_in_words)}</div></header>"
            f"<footer class='atlas-credits'>{_text(CREDITS)}</footer>"
        )
    )
    return _self_contained(root.render())


# ---- a story -----------------------------------------------------------------------------------

_STORY_CSS = (
    """
<style>
body { display: grid; grid-template-columns: minmax(0, 7fr) minmax(320px, 3fr); grid-template-areas: "map panel";
  height: 100vh; overflow: hidden; color: #1b1b1b;
  font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
.folium-map { grid-area: map; width: auto !important; height: auto !important; }
/* A room reads the legend from a distance. */
.atlas-legend { font-size: clamp(12px, 0.75vw, 15px); max-width: min(480px, 32vw); }
.atlas-panel { grid-area: panel; display: flex; flex-direction: column; min-height: 0; background: #fbfbfa;
  border-left: 1px solid #d6dbe1; }
.atlas-panel-top { display: flex; justify-content: space-between; align-items: baseline; gap: 12px;
  padding: 14px 22px 0; }
.atlas-story-name { font: inherit; font-size: clamp(14px, 0.85vw, 17px); font-weight: 650; color: #333;
  background: none; border: 0; padding: 0; text-align: left; cursor: pointer; }
.atlas-story-name:hover, .atlas-story-name:focus-visible { text-decoration: underline; }
.atlas-step-counter { font-size: clamp(14px, 0.85vw, 17px); color: #5b5b5b; letter-spacing: .05em;
  text-transform: uppercase; white-space: nowrap; }
.atlas-steps { flex: 1; overflow-y: auto; padding: 4px 22px 10px; }
.atlas-step h2 { font-size: clamp(26px, 1.75vw, 36px); line-height: 1.15; margin: 10px 0 14px; }
.atlas-step-caption { font-size: clamp(20px, 1.25vw, 26px); line-height: 1.45; margin: 0; }
.atlas-step-shown { font-size: clamp(14px, 0.8vw, 17px); color: #555; margin: 14px 0 0; }
.atlas-step-sources { font-size: clamp(14px, 0.8vw, 17px); line-height: 1.35; color: #3d3d3d; margin-top: 12px;
  border-top: 1px solid #d9d9d9; padding-top: 8px; }
.atlas-step-sources ol { margin: 4px 0 0 1.3em; padding: 0; }
.atlas-step-sources li { margin-bottom: 3px; }
.atlas-nav { display: flex; gap: 12px; padding: 12px 22px; border-top: 1px solid #d6dbe1; }
.atlas-nav button, .atlas-title-screen button { flex: 1; font: inherit; font-size: clamp(17px, 1vw, 21px);
  font-weight: 650; padding: 10px 14px; border-radius: 8px; cursor: pointer; border: 2px solid #1b2a41;
  background: #fff; color: #1b2a41; }
.atlas-nav button.atlas-next, .atlas-title-screen button.atlas-start { background: #1b2a41; color: #fff; }
.atlas-nav button:disabled { opacity: .35; cursor: default; }
.atlas-credits { font-size: 12px; line-height: 1.35; color: #666; padding: 0 22px 10px; }
.atlas-title-screen { position: fixed; inset: 0; z-index: 2000; display: flex; align-items: center;
  justify-content: center; background: rgba(27, 42, 65, .78); }
.atlas-title-screen[hidden] { display: none; }
.atlas-title-card { background: #fff; border-radius: 12px; padding: 36px 44px; max-width: min(900px, 86vw);
  max-height: 88vh; overflow-y: auto; box-shadow: 0 6px 30px rgba(0,0,0,.4); }
.atlas-title-card h1 { font-size: clamp(30px, 2.4vw, 48px); line-height: 1.15; margin: 0 0 10px; }
.atlas-byline { font-size: clamp(16px, 1vw, 20px); color: #555; margin: 0 0 18px; }
.atlas-summary { font-size: clamp(20px, 1.3vw, 26px); line-height: 1.45; margin: 0 0 22px; }
.atlas-contents { font-size: clamp(15px, 0.9vw, 18px); line-height: 1.5; color: #333; margin: 0 0 24px 1.4em;
  padding: 0; columns: 2; column-gap: 32px; }
.atlas-contents a { color: #1b2a41; }
.atlas-title-screen button.atlas-start { min-width: 220px; flex: none; }
.atlas-title-card .atlas-credits { padding: 18px 0 0; }
/* A narrow or upright screen: the panel goes under the map. */
@media (max-width: 900px), (orientation: portrait) {
  body { grid-template-columns: 1fr; grid-template-rows: minmax(0, 58fr) minmax(0, 42fr);
    grid-template-areas: "map" "panel"; }
  .atlas-panel { border-left: 0; border-top: 1px solid #d6dbe1; }
  .atlas-contents { columns: 1; }
}
"""
    + _SHARED_MAP_CSS
    + """
</style>
"""
)

# The step controller: one feature group per step, shown one at a time; the panel, the keys and the address follow.
_STORY_JS = """
(function (map, groups, steps) {
    var current = 0;
    var titleScreen = document.getElementById("atlas-title-screen");
    var sections = document.querySelectorAll(".atlas-step");
    var counter = document.getElementById("atlas-step-counter");
    var previous = document.getElementById("atlas-previous");
    var next = document.getElementById("atlas-next");
    var storyTitle = document.title;
    map.keyboard.disable();  // the arrow keys turn the steps, they do not pan the map

    function fit() {
        var box = steps[current - 1].bbox;  // west, south, east, north
        // No zoom animation: Leaflet ignores a new view asked for while one is still animating,
        // so a quick Next, Next would leave the map on the wrong step.
        map.fitBounds([[box[1], box[0]], [box[3], box[2]]], {animate: false});
    }

    function show(number) {
        if (number === current) { return; }
        if (current) { map.removeLayer(groups[current - 1]); }
        current = number;
        fit();
        map.addLayer(groups[current - 1]);
        sections.forEach(function (section, index) { section.hidden = index !== current - 1; });
        counter.textContent = "Step " + current + " of " + steps.length;
        previous.disabled = current === 1;
        next.disabled = current === steps.length;
        document.getElementById("atlas-steps").scrollTop = 0;
        document.title = steps[current - 1].heading + " \\u2013 " + storyTitle;
    }

    function stepInAddress() {
        var found = /^#step-(\\d+)$/.exec(location.hash);
        var number = found ? parseInt(found[1], 10) : 0;
        return number >= 1 && number <= steps.length ? number : 0;
    }

    // The address says where we are, so a file opened with '#step-3' starts on step 3.
    function go(number) {
        number = Math.max(1, Math.min(steps.length, number));
        titleScreen.hidden = true;
        show(number);
        if (location.hash !== "#step-" + number) { location.replace("#step-" + number); }
    }

    function showTitle() {
        titleScreen.hidden = false;
        if (location.hash) { location.replace("#title"); }
        document.getElementById("atlas-start").focus();
    }

    previous.addEventListener("click", function () { go(current - 1); });
    next.addEventListener("click", function () { go(current + 1); });
    document.getElementById("atlas-start").addEventListener("click", function () { go(current || 1); });
    document.getElementById("atlas-story-name").addEventListener("click", showTitle);
    document.querySelectorAll("[data-go-to-step]").forEach(function (link) {
        link.addEventListener("click", function (event) {
            event.preventDefault();
            go(parseInt(link.getAttribute("data-go-to-step"), 10));
        });
    });
    window.addEventListener("hashchange", function () {
        var number = stepInAddress();
        if (number) { titleScreen.hidden = true; show(number); } else if (location.hash !== "#title") { showTitle(); }
    });
    document.addEventListener("keydown", function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
        var forward = ["ArrowRight", "PageDown"].indexOf(event.key) >= 0;  // a presenter's clicker sends PageDown
        var back = ["ArrowLeft", "PageUp"].indexOf(event.key) >= 0;
        if (!titleScreen.hidden) {
            if (forward) { event.preventDefault(); go(current || 1); }
            return;
        }
        if (forward) { event.preventDefault(); go(current + 1); }
        else if (back) { event.preventDefault(); go(current - 1); }
        else if (event.key === "Home") { event.preventDefault(); go(1); }
        else if (event.key === "End") { event.preventDefault(); go(steps.length); }
    });
    // A window made full screen (or a wall screen's resolution) still frames the step as written.
    var refit = null;
    map.on("resize", function () { clearTimeout(refit); refit = setTimeout(fit, 150); });

    var opening = stepInAddress();
    show(opening || 1);
    if (opening) { titleScreen.hidden = true; } else { showTitle(); }
})
"""


class _StoryController(MacroElement):
    """The script that turns the steps: written after every step's feature group, which it shows one at a time."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    {{ this.code }}({{ this._parent.get_name() }}, [{{ this.group_names|join(", ") }}], {{ this.steps_json }});
    {% endmacro %}
    """)

    def __init__(self, groups: list[folium.FeatureGroup], steps: list[dict]):
        super().__init__()
        self._name = "StoryController"
        self.code = _STORY_JS
        self.group_names = [group.get_name() for group in groups]
        self.steps_json = script_json(steps)


def _sources_html(step, report_names: dict[str, str]) -> str:
    items = "".join(
        f"<li>{_text(report_names.get(c.source, c.source))}: “{_text(c.locator)}”</li>" for c in step.citations
    )
    return f"<div class='atlas-step-sources'><b>Sources</b><ol>{items}</ol></div>"


def _step_section(number: int, step, view: MapView, report_names: dict[str, str]) -> str:
    return (
        f"<section class='atlas-step' id='atlas-step-{number}' hidden>"
        f"<h2>{_text(step.heading)}</h2>"
        f"<p class='atlas-step-caption'>{_text(step.caption)}</p>"
        f"<p class='atlas-step-shown'>On the map: {_text(view.filters_in_words)}</p>"
        f"{_sources_html(step, report_names)}</section>"
    )


def _title_screen(story: Story) -> str:
    contents = "".join(
        f"<li><a href='#step-{number}' data-go-to-step='{number}'>{_text(step.heading)}</a></li>"
        for number, step in enumerate(story.steps, start=1)
    )
    return (
        f"<div class='atlas-title-screen' id='atlas-title-screen' role='dialog' aria-labelledby='atlas-title'>"
        f"<div class='atlas-title-card'><h1 id='atlas-title'>{_text(story.title)}</h1>"
        f"<p class='atlas-byline'>{_text(story.byline)}</p>"
        f"<p class='atlas-summary'>{_text(story.summary)}</p>"
        f"<ol class='atlas-contents'>{contents}</ol>"
        f"<button type='button' class='atlas-start' id='atlas-start'>Start</button>"
        f"<div class='atlas-credits'>{_text(CREDITS)}</div></div></div>"
    )


def story_html(story: Story, context: AtlasContext) -> str:
    """The whole story as one self-contained page: a title screen, then one step at a time.

    Every step's layers and legend ride in one feature group of their own over a single
    basemap; Previous / Next, the arrow keys and the address (``#step-3``) move between them.
    """
    from view import Names

    report_names = Names(context.atlas).sources
    views = [step_view(step, context) for step in story.steps]
    first = views[0]
    fmap = new_map(bundled_basemap(), OFFLINE, asset_base=_ASSET_SENTINEL, basemap_url=None, bounds=first.bbox)
    settings_group(_STORY_LABEL_SIZE).add_to(fmap)
    step_groups = []
    for number, view in enumerate(views, start=1):
        holder = folium.FeatureGroup(name=f"Step {number}", control=False, show=False)  # the controller shows it
        groups, legend = view_layers(view)
        for group in [*groups, legend_group(legend_html(**legend))]:
            group.add_to(holder)
        holder.add_to(fmap)
        step_groups.append(holder)
    _StoryController(step_groups, [{"heading": step.heading, "bbox": list(step.bbox)} for step in story.steps]).add_to(
        fmap
    )

    root = fmap.get_root()
    root.header.add_child(Element(f"<title>{_text(story.title)}</title>{_STORY_CSS}"))
    sections = "".join(
        _step_section(number, step, view, report_names)
        for number, (step, view) in enumerate(zip(story.steps, views), start=1)
    )
    root.html.add_child(
        Element(
            f"<aside class='atlas-panel' aria-live='polite'>"
            f"<div class='atlas-panel-top'><button type='button' class='atlas-story-name' id='atlas-story-name' "
            f"title='Back to the title screen'>{_text(story.title)}</button>"
            f"<span class='atlas-step-counter' id='atlas-step-counter'></span></div>"
            f"<div class='atlas-steps' id='atlas-steps'>{sections}</div>"
            f"<nav class='atlas-nav'><button type='button' id='atlas-previous'>← Previous</button>"
            f"<button type='button' class='atlas-next' id='atlas-next'>Next →</button></nav>"
            f"<div class='atlas-credits'>{_text(CREDITS)}</div></aside>"
            f"{_title_screen(story)}"
        )
    )
    return _self_contained(root.render())
