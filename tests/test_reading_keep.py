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


def test_a_kept_event_says_on_the_dashboard_it_is_from_your_reports_and_cites_the_report(atlas):
    import datetime as dt

    from geo.reading import read_report
    from geo.reading.keep import ReportFacts, with_report_facts
    from ui.imported import event_html
    from view.names import Names

    reading = read_report(WIRE.replace("Menaka", "<b>Menaka</b>"), title="Menaka wire")
    events = with_report_facts(reading.events, ReportFacts("Menaka wire", "Wire", dt.date(2012, 3, 3), "https://x.org"))
    shown = events.assign(dataset="Menaka wire", type_label="Kidnapping", admin1=None, fatalities=None, ransom=None)
    kidnapping = shown[shown["type"] == "kidnapping"]
    html = event_html(next(kidnapping.itertuples()), Names(atlas), [])
    assert "from your reports" in html and "From your reports · sentence" in html
    assert "Wire, Menaka wire, 2012-03-03" in html and "Phrase" in html
    assert "&lt;b&gt;Menaka" in html and "<b>Menaka" not in html
