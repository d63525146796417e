"""What the server shows of itself: the address it listens on, and nothing of where the workspace lies."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from tests.apptest import run

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN_KINDS = ("markdown", "warning", "error", "info", "success", "caption")


def page_text(app) -> str:
    return "\n".join(element.value for kind in MARKDOWN_KINDS for element in app.get(kind))


def test_the_app_listens_only_on_this_machine_unless_told_otherwise():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert "--server.address 0.0.0.0" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_data_page_does_not_show_where_the_geopackage_lies(tmp_path, monkeypatch):
    monkeypatch.delenv("SAHEL_ATLAS_DATABASE_URL", raising=False)
    folder = tmp_path / "secret-folder"
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(folder / "workspace.gpkg"))
    text = page_text(run(page="app_pages/data.py"))
    assert "in your workspace (a GeoPackage QGIS opens as it is)" in text
    assert "secret-folder" not in text and str(tmp_path) not in text


def test_the_data_page_shows_neither_the_password_nor_the_host_of_a_shared_store(postgis_server, monkeypatch):
    address = postgis_server.new_database()
    monkeypatch.setenv("SAHEL_ATLAS_DATABASE_URL", address)
    text = page_text(run(page="app_pages/data.py"))
    assert "shared PostGIS database" in text
    parts = urlsplit(address)
    hidden = [parts.password, dict(p.split("=", 1) for p in parts.query.split("&"))["host"]]
    assert not [secret for secret in hidden if secret and secret in text]
