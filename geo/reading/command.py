"""``read-report FILE [--title T] [--date YYYY-MM-DD] [--lang en|fr] --out proposals.geojson
[--events events.geojson]``: read a report and write its place mentions (and proposed events).

One GeoJSON feature per place mention, with properties ``text``, ``name``, ``kind``, ``id``,
``confidence``, ``start``, ``end``, ``sentence`` (the sentence's text) and ``candidates`` (the
other places the name may mean); the geometry is the matched point (for countries and regions
a representative point). ``--events`` writes the proposed events in the imported event model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

__all__ = ["add_arguments", "run", "proposals_geojson"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("file", type=Path, help="the report: .txt, .md, .html, .pdf (with a text layer) or .docx")
    parser.add_argument("--title", help="the report's title (default: the file's name)")
    parser.add_argument("--date", type=_date, help="the report's date, YYYY-MM-DD (default: its dateline)")
    parser.add_argument("--lang", choices=("en", "fr"), help="the report's language (default: guessed)")
    parser.add_argument("--out", type=Path, required=True, help="GeoJSON file for the place mentions")
    parser.add_argument("--events", type=Path, help="GeoJSON file for the proposed events")


def proposals_geojson(reading) -> dict:
    """The place mentions of a reading as a GeoJSON FeatureCollection."""
    features = []
    for mention in reading.places:
        best = mention.candidates[0]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(best.lon, 5), round(best.lat, 5)]},
                "properties": {
                    "text": mention.text,
                    "name": best.name,
                    "kind": best.kind,
                    "id": best.id,
                    "confidence": best.confidence,
                    "start": mention.start,
                    "end": mention.end,
                    "sentence": reading.sentence_text(mention.sentence),
                    "how": best.how,
                    "candidates": [
                        {
                            "id": c.id,
                            "name": c.name,
                            "kind": c.kind,
                            "lon": round(c.lon, 5),
                            "lat": round(c.lat, 5),
                            "confidence": c.confidence,
                        }
                        for c in mention.candidates[1:]
                    ],
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "report": {
            "title": reading.title,
            "language": reading.language,
            "date": reading.report_date.isoformat() if reading.report_date else None,
            "date_basis": reading.report_date_basis,
            "problems": reading.problems,
        },
    }


def _write_events(events, path: Path) -> None:
    frame = events.copy()
    for column in frame.columns:
        if column != "geometry" and frame[column].dtype == object:
            # GeoJSON properties are flat: lists and dicts go as JSON text.
            frame[column] = frame[column].map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            )
    path.write_text(frame.to_json(drop_id=True, ensure_ascii=False), encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    """Read the report and write the files. 0 when done, 1 when read only in part, 2 when it cannot be read."""
    from geo.reading import ReadingError, read_report, text_from_file

    try:
        text = text_from_file(args.file)
        reading = read_report(text, title=args.title or args.file.name, report_date=args.date, language=args.lang)
        status = 0
    except ReadingError as error:
        print(f"read-report: {error}", file=sys.stderr)
        if error.reading is None:
            return 2
        reading, status = error.reading, 1
    args.out.write_text(json.dumps(proposals_geojson(reading), ensure_ascii=False, indent=1), encoding="utf-8")
    if args.events:
        _write_events(reading.events, args.events)
    for problem in reading.problems:
        if status == 0:
            print(f"read-report: {problem}", file=sys.stderr)
    print(
        f"{len(reading.places)} place mention(s), {len(reading.dates)} date(s), "
        f"{len(reading.groups) + len(reading.people)} group or person mention(s), "
        f"{len(reading.events)} proposed event(s); report date "
        f"{reading.report_date or 'unknown'}{f' ({reading.report_date_basis})' if reading.report_date else ''}"
    )
    return status
