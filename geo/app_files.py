"""Where the app's own files lie: the entry script, its pages, stories and the folder Streamlit serves.

In a checkout they sit beside the packages (``app.py``, ``app_pages/``, ``stories/``,
``static/``). An installed wheel keeps them inside the ``sahel_atlas`` package
(``sahel_atlas/app/``), so that site-packages gets no ``app.py`` or ``static/`` of its own.
Streamlit serves ``static/`` from beside the entry script, so the app writes Leaflet and the
basemap there (:mod:`ui.assets`).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["APP_DIR", "STATIC_DIR", "STORIES_DIR", "app_dir"]

_PACKAGES = Path(__file__).resolve().parent.parent


def app_dir(packages: Path = _PACKAGES) -> Path:
    """The folder holding ``app.py``: the installed package's copy, else the checkout (``packages``)."""
    installed = packages / "sahel_atlas" / "app"
    return installed if (installed / "app.py").is_file() else packages


APP_DIR = app_dir()
STATIC_DIR = APP_DIR / "static"
STORIES_DIR = APP_DIR / "stories"
