"""The dashboard's code loaded while the server starts, so that the first visitor does not wait for it.

Streamlit runs a page's script only when a browser asks for it, and the first run of the
dashboard imported its code then: about two thirds of a second, on top of Streamlit's own,
before the first map could be sent. The ``sahel-atlas`` command starts this beside the server;
the browser is still fetching Streamlit's page when it is done. Only modules are imported: the
data is loaded by the first run, which also reports it if it is broken.
"""

from __future__ import annotations

import importlib
import threading
import time

__all__ = ["DASHBOARD_MODULES", "start"]

# What the dashboard's first run imports beyond Streamlit (app_pages/dashboard.py runs when imported).
DASHBOARD_MODULES = (
    # folium's plugins compile their templates as they are imported. Not streamlit_folium itself: a
    # component declared outside a page's run is not registered, and its map would never draw.
    "folium.plugins",
    "streamlit.emojis",  # read when the page's icon, an emoji, is set
    "layers.quick_render",
    "layers.atlas_map",
    "ui.data",
    "ui.dashboard_map",
    "ui.dashboard_tabs",
    "ui.details_panel",
    "ui.take_away",
    "ui.imported",
    "ui.published",
)
RUNTIME_WAIT_S = 30


def _import_when_serving() -> None:
    from streamlit import runtime

    # Once the server listens: Streamlit's caches warn when a page module is imported before its
    # runtime exists, and the server would answer later while this takes the interpreter.
    deadline = time.monotonic() + RUNTIME_WAIT_S
    while time.monotonic() < deadline and not _serving(runtime):
        time.sleep(0.01)
    for name in DASHBOARD_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # the first run imports it again and shows what is wrong
            return


def _serving(runtime) -> bool:
    return runtime.exists() and runtime.get_instance().state != runtime.RuntimeState.INITIAL


def start() -> threading.Thread:
    """Import the dashboard's modules in the background once Streamlit's runtime exists."""
    thread = threading.Thread(target=_import_when_serving, name="sahel-atlas-warm-up", daemon=True)
    thread.start()
    return thread
