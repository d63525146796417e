"""Published sets of imported events: under the cache, named by random tokens, withdrawn with their data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.imports import import_file
from geo.workspace import open_workspace
from tests.apptest import map_args, run
from ui import published
from ui.disk_cache import cache_dir

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "imports" / "acled_mali_niger.csv"


def test_tokens_are_random_128_bit_and_kept_for_the_same_data():
    token = published.token_for(("gpkg", "a", 1), "filter", ["A"])
    assert len(token) == 22 and published._TOKEN.fullmatch(token)  # secrets.token_urlsafe(16)
    assert published.token_for(("gpkg", "a", 1), "filter", ["A"]) == token
    others = {
        published.token_for(("gpkg", "a", 1), "filter", ["B"]),
        published.token_for(("gpkg", "a", 2), "filter", ["A"]),
        published.token_for(("gpkg", "a", 1), "other", ["A"]),
    }
    assert token not in others and len(others) == 3


def test_sets_are_published_under_the_cache_never_in_the_source_tree():
    token = published.token_for(("gpkg", "here", 1), "filter", ["A"])
    address = published.publish_events(token, lambda: {"n": 1})
    assert address == f"/component/ui.published.{published.COMPONENT}/{token}.json"
    path = published.events_dir() / f"{token}.json"
    assert json.loads(path.read_text()) == {"n": 1}
    assert path.resolve().is_relative_to(cache_dir().resolve())
    assert not path.resolve().is_relative_to(ROOT) and not (ROOT / "static" / "events").exists()
    with pytest.raises(ValueError):
        published.publish_events("../../secrets", lambda: {})


def test_a_set_is_withdrawn_when_the_store_changes():
    published.withdraw_stale(("gpkg", "w", 1))  # sets of the tests before
    old = published.token_for(("gpkg", "w", 1), "filter", ["A"])
    published.publish_events(old, lambda: {"n": 1})
    assert published.withdraw_stale(("gpkg", "w", 1)) == []
    assert published.withdraw_stale(("gpkg", "w", 2)) == [old]
    assert not (published.events_dir() / f"{old}.json").exists()
    assert published.token_for(("gpkg", "w", 1), "filter", ["A"]) != old  # never served again


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.delenv("SAHEL_ATLAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    workspace = open_workspace()
    for name in ("Kept", "Deleted"):
        workspace.save_dataset(
            name,
            import_file(SAMPLE, "acled", dataset=name, file_name=SAMPLE.name),
            file_name=SAMPLE.name,
            format="acled",
        )
    return workspace


def _published_file(app) -> Path:
    """The file the map was told to fetch its imported events from."""
    layer = re.search(r"map\.atlas\.eventGrid\((\{.*?\})\); \}", map_args(app)["feature_group"], re.S)
    return published.events_dir() / json.loads(layer.group(1))["points"].rsplit("/", 1)[1]


def test_a_deleted_datasets_events_are_no_longer_served_after_the_next_step(workspace):
    app = run(datasets=["Kept", "Deleted"])
    before = _published_file(app)
    assert before.exists() and "Deleted" in before.read_text()
    workspace.delete("Deleted")
    app.run()
    assert not before.exists()
    after = _published_file(app)
    assert after.exists() and "Deleted" not in after.read_text()
