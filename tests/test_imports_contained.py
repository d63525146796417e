"""Imports in a process of their own (what the page and the command line use): the same result as an
import in the calling process, and a clear message, never a traceback, when a limit stops one."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geo.imports import import_file, import_file_contained

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


@pytest.mark.parametrize(
    "source, format, mapping",
    [
        (FIXTURES / "acled_mali_niger.csv", "acled", None),
        (FIXTURES / "gtd_sahel.csv", "gtd", None),
        (FIXTURES / "events.geojson", "geojson", None),
    ],
)
def test_the_result_comes_back_whole(source, format, mapping):
    here = import_file(source, format, "Same")
    there = import_file_contained(source.read_bytes(), format, "Same", file_name=source.name)
    assert (there.read, there.refused, there.problems, there.origin) == (
        here.read,
        here.refused,
        here.problems,
        here.origin,
    )
    assert there.imported == here.imported > 0
    assert there.events.crs == here.events.crs
    pd.testing.assert_frame_equal(
        pd.DataFrame(there.events.drop(columns="geometry")), pd.DataFrame(here.events.drop(columns="geometry"))
    )
    assert list(there.events.geometry.to_wkt()) == list(here.events.geometry.to_wkt())


def test_a_path_is_read_by_the_child_and_problems_come_back():
    result = import_file_contained(FIXTURES / "nothing-here.csv", "acled", "Missing")
    assert result.problems == ["nothing-here.csv: no such file"] and result.imported == 0


def test_the_processor_limit_stops_an_import_with_a_message():
    # 20,000 ACLED rows take several seconds of processor time to map; the limit is one.
    header, *rows = (FIXTURES / "acled_mali_niger.csv").read_text(encoding="utf-8").splitlines()
    many = "\n".join(
        [header] + [row.replace(row.split(",")[0], f"X{n}", 1) for n in range(2_500) for row in rows]
    ).encode()
    result = import_file_contained(many, "acled", "Slow", file_name="many.csv", cpu_seconds=1)
    assert result.imported == 0
    assert result.problems == [
        "the import of many.csv was stopped after 1 s of processor time, the "
        "most an import may use; split the file or filter it to the area and years you need"
    ]


def test_the_memory_limit_stops_an_import_with_a_message():
    result = import_file_contained(FIXTURES / "acled_mali_niger.csv", "acled", "Big", memory_bytes=150_000_000)
    assert result.imported == 0 and len(result.problems) == 1
    assert "acled_mali_niger.csv" in result.problems[0]
    assert "150 MB of memory an import may use" in result.problems[0]
    assert "Traceback" not in result.problems[0]


def test_waiting_too_long_stops_an_import_with_a_message():
    result = import_file_contained(FIXTURES / "acled_mali_niger.csv", "acled", "Late", wait_seconds=0.3)
    assert result.imported == 0
    assert result.problems == [
        "the import of acled_mali_niger.csv was stopped after 0.3 s, the longest an import "
        "may take; split the file or filter it to the area and years you need"
    ]


def test_the_command_line_imports_through_the_limited_process(tmp_path, capsys, monkeypatch):
    from cli.main import main
    from geo.imports import contained

    calls = []
    real = contained.subprocess.run
    monkeypatch.setattr(
        contained.subprocess, "run", lambda *args, **kwargs: calls.append(args[0]) or real(*args, **kwargs)
    )
    out = tmp_path / "events.geojson"
    assert main(["import", str(FIXTURES / "acled_mali_niger.csv"), "--format", "acled", "--out", str(out)]) == 0
    assert len(calls) == 1 and "from geo.imports.contained import run_child" in calls[0][2]
    assert len(json.loads(out.read_text())["features"]) == 8


def test_a_path_relative_to_where_the_command_was_run_is_found(tmp_path, monkeypatch):
    (tmp_path / "mine.csv").write_bytes((FIXTURES / "acled_mali_niger.csv").read_bytes())
    monkeypatch.chdir(tmp_path)
    result = import_file_contained(Path("mine.csv"), "acled", "Mine")
    assert (result.imported, result.problems) == (8, [])
