"""Leaflet's files, served by the app itself so the map needs no CDN.

They come from the ``django-js-lib-leaflet`` wheel (Leaflet 1.9.4, no Django
needed) installed with the app, and are copied once into Streamlit's static
folder, which the app serves at ``/app/static``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["STATIC_DIR", "LEAFLET_URL", "ensure_leaflet"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"
LEAFLET_URL = "/app/static/vendor/leaflet"


def _packaged_leaflet() -> Path:
    import js_lib_leaflet

    return Path(js_lib_leaflet.__file__).resolve().parent / "static" / "js_lib_leaflet"


def ensure_leaflet(target: Path = LEAFLET_DIR) -> Path:
    """Copy Leaflet's JS, CSS and images into the static folder unless already there."""
    if (target / "leaflet.js").exists() and (target / "images" / "layers.png").exists():
        return target
    source = _packaged_leaflet()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copyfile(source / name, target / name)
    shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    return target
