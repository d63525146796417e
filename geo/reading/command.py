"""``read-report FILE [--title T] [--date YYYY-MM-DD] [--lang en|fr] [--out proposals.geojson]
[--events events.geojson] [--into-workspace NAME [--min-confidence X]]``: read a report and write
its place mentions (and proposed events), or keep its events in the workspace.

One GeoJSON feature per place mention, with properties ``text``, ``name``, ``kind``, ``id``,
``confidence``, ``start``, ``end``, ``sentence`` (the sentence's text) and ``candidates`` (the
other places the name may mean); the geometry is the matched point (for countries and regions
a representative point). ``--events`` writes the proposed events in the imported event model.
``--into-workspace`` keeps the proposed events whose place is read with at least
``--min-confidence`` as a workspace dataset of kind "report", with the report's full text.
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
    parser.add_argument("--out", type=Path, help="GeoJSON file for the place mentions")
    parser.add_argument("--events", type=Path, help="GeoJSON file for the proposed events")
    parser.add_argument("--author", default="", help="the report's author or outlet, kept with its events")
    parser.add_argument("--link", default="", help="the report's address, kept with its events")
    parser.add_argument(
        "--into-workspace",
        metavar="NAME",
        help="keep the proposed events in the workspace as dataset NAME, with the report's text",
    )
    parser.add_argument(
        "--min-confidence",
        type=_confidence,
        default=0.0,
        metavar="X",
        help="with --into-workspace: keep only events whose place is read this surely (0-1)",
    )


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


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

    if not (args.out or args.events or args.into_workspace):
        print("read-report: nothing to do: give --out, --events or --into-workspace", file=sys.stderr)
        return 2
    try:
        text = text_from_file(args.file)
        reading = read_report(text, title=args.title or args.file.name, report_date=args.date, language=args.lang)
        status = 0
    except ReadingError as error:
        print(f"read-report: {error}", file=sys.stderr)
        if error.reading is None:
            return 2
        reading, status = error.reading, 1
    if args.out:
        args.out.write_text(json.dumps(proposals_geojson(reading), ensure_ascii=False, indent=1), encoding="utf-8")
    if args.events:
        _write_events(reading.events, args.events)
    if args.into_workspace and status == 0:
        status = _keep(reading, text, args)
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


def _keep(reading, text: str, args: argparse.Namespace) -> int:
    """Keep the events in the workspace; 0 when kept, 2 with the reason when not."""
    from geo.reading.keep import ReportFacts, keep_reading
    from geo.workspace import WorkspaceError

    facts = ReportFacts(reading.title, args.author, reading.report_date, args.link)
    try:
        info = keep_reading(
            reading.events,
            text,
            args.into_workspace,
            facts,
            file_name=args.file.name,
            min_confidence=args.min_confidence,
        )
    except (ValueError, WorkspaceError) as error:
        print(f"read-report: not kept: {error}", file=sys.stderr)
        return 2
    print(f"kept {info.imported} event(s) in the workspace as {info.name!r} (kind report, with the report's text)")
    return 0
