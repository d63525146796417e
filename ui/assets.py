"""Leaflet's files, served by the app itself so the map needs no CDN.

They come from the ``django-js-lib-leaflet`` wheel (Leaflet 1.9.4, no Django
needed) installed with the app, and are copied once into Streamlit's static
folder, which the app serves at ``/app/static``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from geo.app_files import STATIC_DIR  # beside the entry script, where Streamlit serves it

__all__ = ["STATIC_DIR", "LEAFLET_URL", "BASEMAP_URL", "ensure_leaflet", "basemap_texts", "publish_basemap"]

LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"
LEAFLET_URL = "/app/static/vendor/leaflet"
BASEMAP_DIR = STATIC_DIR / "basemap"
BASEMAP_URL = "/app/static/basemap"


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


def basemap_texts(features: dict[str, dict]) -> dict[str, str]:
    """Each basemap part as the GeoJSON text the browser fetches."""
    return {
        part: json.dumps(collection, separators=(",", ":"), ensure_ascii=False) for part, collection in features.items()
    }


def publish_basemap(features: dict[str, dict | str], target: Path = BASEMAP_DIR) -> Path:
    """Write the basemap parts where the app serves them; the map fetches them from there.

    A part is a GeoJSON collection or its text (:func:`basemap_texts`). Rewritten only when
    the content changed, so several app processes can share the folder.
    """
    target.mkdir(parents=True, exist_ok=True)
    for part, collection in features.items():
        text = collection if isinstance(collection, str) else basemap_texts({part: collection})[part]
        path = target / f"{part}.geojson"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            temporary = path.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(path)
    return target
