"""The tables kept on disk between server starts: an edit to the data is always read afresh."""

from __future__ import annotations

import pytest

from ui import disk_cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(disk_cache.CACHE_VARIABLE, str(folder))
    return folder


def test_an_edited_file_is_read_afresh(tmp_path, cache):
    data = tmp_path / "data"
    data.mkdir()
    (data / "events.yaml").write_text("- id: first\n")

    def read():
        return (data / "events.yaml").read_text()

    assert disk_cache.kept("tables", disk_cache.content_key(data), read) == "- id: first\n"
    (data / "events.yaml").write_text("- id: second\n")
    assert disk_cache.kept("tables", disk_cache.content_key(data), read) == "- id: second\n"


def test_unchanged_files_are_not_read_again(tmp_path, cache):
    data = tmp_path / "data"
    data.mkdir()
    (data / "events.yaml").write_text("- id: first\n")
    key = disk_cache.content_key(data)
    assert disk_cache.kept("tables", key, lambda: "made") == "made"
    assert disk_cache.kept("tables", key, lambda: pytest.fail("made again")) == "made"


def test_the_same_files_elsewhere_give_the_same_key(tmp_path):
    for name in ("here", "there"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "events.yaml").write_text("- id: first\n")
    assert disk_cache.content_key(tmp_path / "here") == disk_cache.content_key(tmp_path / "there")


def test_a_broken_data_set_is_never_kept(cache):
    def broken():
        raise ValueError("events.yaml, line 1: unclosed list")

    with pytest.raises(ValueError, match="unclosed"):
        disk_cache.kept("tables", "key", broken)
    assert not list(cache.glob("tables-*"))


def test_a_damaged_cache_file_is_made_again(cache):
    cache.mkdir()
    (cache / "tables-key.pickle").write_bytes(b"not a pickle")
    assert disk_cache.kept("tables", "key", lambda: "made") == "made"
    assert disk_cache.kept("tables", "key", lambda: pytest.fail("made again")) == "made"


def test_a_cache_folder_that_cannot_be_written_still_gives_the_tables(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv(disk_cache.CACHE_VARIABLE, str(blocked / "cache"))
    assert disk_cache.kept("tables", "key", lambda: "made") == "made"
