"""`python -m geo read-report`: a report read from the command line, its places written for review."""

import json

from cli import main

WIRE = (
    "GAO, 3 March 2012 (Wire) - Gunmen kidnapped two aid workers near Menaka on Thursday. "
    "Ansar Dine denied any part in the abduction.\n"
)


def test_the_command_writes_each_place_mention_and_the_proposed_events(tmp_path, capsys):
    report, places, events = tmp_path / "wire.txt", tmp_path / "places.geojson", tmp_path / "events.geojson"
    report.write_text(WIRE, encoding="utf-8")
    assert main(["read-report", str(report), "--out", str(places), "--events", str(events)]) == 0
    found = json.loads(places.read_text(encoding="utf-8"))["features"]
    # Ménaka is a place of the atlas; Gao, a town of the region it does not curate, comes from GeoNames.
    assert {(f["properties"]["text"], f["properties"]["name"]) for f in found} >= {("GAO", "Gao"), ("Menaka", "Ménaka")}
    assert next(f for f in found if f["properties"]["text"] == "Menaka")["properties"]["id"] == "menaka"
    menaka = next(f for f in found if f["properties"]["text"] == "Menaka")
    assert WIRE[menaka["properties"]["start"] : menaka["properties"]["end"]] == "Menaka"
    proposed = json.loads(events.read_text(encoding="utf-8"))["features"]
    assert any(f["properties"]["type"] == "kidnapping" for f in proposed)
    assert "report date 2012-03-03" in capsys.readouterr().out


def test_a_missing_file_is_a_clear_message_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "places.geojson"
    assert main(["read-report", str(tmp_path / "nowhere.txt"), "--out", str(out)]) == 2
    assert "no such file" in capsys.readouterr().err and not out.exists()
