"""Keeping a report's events: the command line's --into-workspace, and the dataset it makes."""

import os

import pytest

from cli import main
from geo.workspace import open_workspace

WIRE = (
    "GAO, 3 March 2012 (Wire) - Gunmen of Ansar Dine kidnapped two aid workers near Menaka on Thursday. "
    "The group claimed the abduction in Kidal.\n"
)


def _workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("SAHEL_ATLAS_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    return open_workspace()


def test_into_workspace_keeps_the_events_as_a_report_dataset_with_the_full_text(tmp_path, monkeypatch, capsys):
    workspace = _workspace(tmp_path, monkeypatch)
    report = tmp_path / "wire.txt"
    report.write_text(WIRE, encoding="utf-8")
    assert main(["read-report", str(report), "--into-workspace", "Menaka wire", "--author", "Wire"]) == 0
    assert "kept 2 event(s)" in capsys.readouterr().out
    [info] = workspace.datasets()
    assert (info.name, info.format, info.imported) == ("Menaka wire", "report", 2)
    assert workspace.document("Menaka wire") == WIRE
    events = workspace.events(["Menaka wire"])
    assert set(events["origin"]) == {"report"} and set(events["type"]) >= {"kidnapping"}
    assert all(original["report_author"] == "Wire" for original in events["original"])


def test_min_confidence_keeps_only_surely_placed_events_and_none_is_a_message(tmp_path, monkeypatch, capsys):
    workspace = _workspace(tmp_path, monkeypatch)
    report = tmp_path / "wire.txt"
    report.write_text(WIRE, encoding="utf-8")
    assert main(["read-report", str(report), "--into-workspace", "None sure", "--min-confidence", "1"]) == 2
    assert "no event to keep" in capsys.readouterr().err and workspace.datasets() == []
    with pytest.raises(SystemExit):  # a usage error, said as such
        main(["read-report", str(report), "--into-workspace", "x", "--min-confidence", "2"])
    assert "from 0 to 1" in capsys.readouterr().err


def test_nothing_to_do_is_said(tmp_path, capsys):
    report = tmp_path / "wire.txt"
    report.write_text(WIRE, encoding="utf-8")
    assert main(["read-report", str(report)]) == 2
    assert "nothing to do" in capsys.readouterr().err
    assert os.listdir(tmp_path) == ["wire.txt"]
