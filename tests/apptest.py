"""The app under Streamlit's AppTest, for the page tests: run it, then read its map and its HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

__all__ = ["APP", "run", "map_drawn", "map_component", "map_args", "page_html", "shown", "live_markup"]

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run(
    query: dict | None = None, page: str | None = None, before: dict | None = None, timeout: float = 60, **state
) -> AppTest:
    """The app (or ``page``, e.g. 'app_pages/present.py') run once, with ``query`` in its link and
    ``before`` in its session state; with ``state``, that is set in session state and the app runs
    again. Fails if the app raised."""
    app = AppTest.from_file(APP, default_timeout=timeout)
    if page:
        app.switch_page(page)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    for key, value in (before or {}).items():
        app.session_state[key] = value
    app.run()
    for key, value in state.items():
        app.session_state[key] = value
    if state:
        app.run()
    assert not app.exception, app.exception
    return app


def map_drawn(app: AppTest, at: int = 1) -> AppTest:
    """What the map sends once it has drawn its first marks (layers/time_filter.js): the table under
    it follows. Fails if the app raised."""
    app.session_state["atlas-map"] = {
        "last_active_drawing": {"type": "Feature", "geometry": None, "properties": {"action": "map-drawn", "at": at}}
    }
    app.run()
    assert not app.exception, app.exception
    return app


def map_component(app: AppTest):
    """The map (the page's one st_folium component) as the app sent it."""
    [component] = [c for c in app.get("component_instance") if "st_folium" in c.proto.component_name]
    return component.proto


def map_args(app: AppTest) -> dict:
    """The arguments the map got: its layers' script, its data, its view."""
    return json.loads(map_component(app).json_args)


def page_html(app: AppTest) -> str:
    """Every HTML block on the page, one after another."""
    return "".join(h.proto.body for h in app.get("html"))


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def _text_nodes(markdown: str) -> str:
    """The text markdown's parser leaves once it has read the escapes."""
    return _ESCAPED.sub(r"\1", markdown)


def shown(markdown: str) -> str:
    """A markdown body's text as a reader sees it: without the escapes and invisible word joiners that
    ``ui.text.plain`` adds."""
    return _text_nodes(markdown).replace("\u2060", "")


# Markdown syntax that makes a link or an image or passes HTML through, and the bare addresses that
# GitHub-flavoured markdown links in the text left once escapes are read (as Streamlit's does).
_SYNTAX = re.compile(r"\]\(|\]\[|!\[|<")
_BARE_ADDRESS = re.compile(r"(?i)https?://|www\.|[-.\w+]+@[-\w]+(?:\.[-\w]+)+")


def live_markup(markdown: str) -> list[str]:
    """What in a markdown body would make a link or an image or pass HTML."""
    return _SYNTAX.findall(_ESCAPED.sub("", markdown)) + _BARE_ADDRESS.findall(_text_nodes(markdown))
