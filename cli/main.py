"""``python -m geo``: validate the curated data, export layers, rebuild the basemap, check and export stories.

One command group, one sub-command per verb. Bad usage exits with status 2
and a one-line message, never a traceback.

``story export`` writes a story as a PowerPoint deck, one PNG map a step or an
offline HTML page; ``picture`` draws one map view with the export filters. Both
import the drawing modules (matplotlib, python-pptx) only when run, so the data
commands start quickly.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

from cli.workspace import add_import_command, add_workspace_commands, run_import, run_workspace
from geo.catalog import DATA_DIR, load_atlas, read_records
from geo.export import EXPORT_LAYERS, FORMATS, ExportRequest, layer_frame, write_layer
from geo.filters import EventFilter, UnknownName, resolve_names
from geo.schema import EVENT_TYPES, PARTICIPANT_ROLES
from geo.stories import DEFAULT_STORY_LAYERS, STORY_LAYERS
from geo.validate import report_text, support_warnings, validate_records

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Sahel Atlas data tools.")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="curated data directory (default: bundled)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the curated data; non-zero exit on any problem")
    validate.add_argument(
        "--sources", type=Path, metavar="DIR", help="directory of the reports: check every locator phrase against them"
    )

    export = commands.add_parser("export", help="write a layer as csv, geojson or gpkg")
    export.add_argument(
        "layer", choices=sorted(EXPORT_LAYERS), metavar="LAYER", help="one of: " + ", ".join(sorted(EXPORT_LAYERS))
    )
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    _add_event_filter_arguments(export)

    picture = commands.add_parser(
        "picture",
        help="draw one map view as a PNG (the export filters, layers, extent, size)",
        description="Draw one map of the atlas as a PNG, with the offline basemap and the dashboard's style.",
    )
    picture.add_argument("--out", type=Path, required=True, metavar="FILE.png")
    _add_event_filter_arguments(picture)
    picture.add_argument(
        "--layers",
        type=_layer_list,
        metavar="LIST",
        help="comma-separated layers to draw: "
        + ", ".join(STORY_LAYERS)
        + " (default: "
        + ",".join(DEFAULT_STORY_LAYERS)
        + ")",
    )
    picture.add_argument(
        "--boundaries",
        type=int,
        metavar="YEAR",
        help="draw the boundaries in force in this year (default: --to, else the last year)",
    )
    picture.add_argument(
        "--bbox",
        type=_bbox,
        metavar="W,S,E,N",
        help="map extent in degrees, west,south,east,north (write --bbox=-18,4,26,38 when west "
        "is negative); default: the whole operating area",
    )
    picture.add_argument(
        "--size",
        type=_picture_size,
        metavar="SIZE",
        help="WIDTHxHEIGHT in pixels, or a4 (3508x2480, landscape at 300 dpi); default: 1920x1080",
    )
    picture.add_argument("--title", metavar="TEXT", help="the map's title (default: Sahel Atlas)")
    picture.set_defaults(usage=picture)

    build = commands.add_parser("build-basemap", help="rebuild the bundled basemap files from their sources")
    build.add_argument("--check", action="store_true", help="rebuild to a temporary folder and compare")

    story = commands.add_parser("story", help="list, check or export the stories (step-by-step map briefings)")
    story_commands = story.add_subparsers(dest="story_command", required=True, metavar="STORY_COMMAND")
    story_list = story_commands.add_parser("list", help="one story a line: id, title, number of steps")
    story_list.add_argument("--folder", type=Path, metavar="DIR", help="folder of story files (default: bundled)")
    story_validate = story_commands.add_parser("validate", help="check stories; non-zero exit on any problem")
    story_validate.add_argument("files", nargs="*", type=Path, metavar="FILE", help="story files (default: a folder)")
    story_validate.add_argument("--folder", type=Path, metavar="DIR", help="folder of story files (default: bundled)")
    story_validate.add_argument(
        "--sources", type=Path, metavar="DIR", help="directory of the reports: check every locator phrase against them"
    )
    story_export = story_commands.add_parser(
        "export",
        help="write a story as a pptx deck, one png a step, or an offline html page",
        description="Write a story as a PowerPoint deck (pptx), one 1920x1080 map a step (png, into the folder "
        "--out, named 01-<heading>.png, ...) or a page that opens without a network (html). The "
        "story is checked first, as by 'story validate'; a story with problems is not exported.",
    )
    story_export.add_argument("id", metavar="ID", help="the story's id: its file name without .yaml")
    story_export.add_argument("--format", choices=STORY_FORMATS, required=True)
    story_export.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="the file to write (pptx, html) or the folder of pictures (png)",
    )
    story_export.add_argument(
        "--stories",
        "--folder",
        dest="folder",
        type=Path,
        metavar="DIR",
        help="folder of story files (default: bundled)",
    )
    story_export.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="directory of the reports: also check every locator phrase against them",
    )
    for sub in (story_list, story_validate, story_export):
        sub.set_defaults(usage=sub)
    add_import_command(commands)
    add_workspace_commands(commands)
    _add_read_report_command(commands)
    return parser


STORY_FORMATS = ("pptx", "html", "png")


def _add_event_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filters of the events shown, as the dashboard's sidebar has them (read by :func:`_event_filter`)."""
    parser.add_argument("--from", dest="year_from", type=int, metavar="YEAR")
    parser.add_argument("--to", dest="year_to", type=int, metavar="YEAR")
    parser.add_argument(
        "--group", action="append", default=[], metavar="NAME", help="group id, name or alias (repeatable)"
    )
    # As on the dashboard, a group comes with its brigades and successors unless asked otherwise.
    parser.add_argument(
        "--with-related",
        dest="with_related",
        action="store_true",
        default=True,
        help="with --group: include the groups' brigades and successors (the default)",
    )
    parser.add_argument(
        "--without-related",
        dest="with_related",
        action="store_false",
        help="with --group: only the groups named, not their brigades and successors",
    )
    parser.add_argument(
        "--type", action="append", default=[], metavar="TYPE", help="event type (repeatable): " + ", ".join(EVENT_TYPES)
    )
    parser.add_argument(
        "--person", action="append", default=[], metavar="NAME", help="person id, name or alias (repeatable)"
    )
    parser.add_argument(
        "--role",
        action="append",
        default=[],
        choices=list(PARTICIPANT_ROLES),
        metavar="ROLE",
        help="with --group or --person: only events where they played this part (repeatable): "
        + ", ".join(PARTICIPANT_ROLES)
        + "; default: any but named",
    )
    parser.add_argument(
        "--include-named", action="store_true", help="with --group or --person: also events where they are only named"
    )
    parser.add_argument(
        "--source", action="append", default=[], metavar="REPORT", help="report id (file name) (repeatable)"
    )
    parser.add_argument("--search", default="", metavar="TEXT", help="free text in title, summary or place")
    parser.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="NAME",
        help="where the event happened (its first place's country), as the dashboard's Country "
        "filter names it (repeatable)",
    )


# --- Argument types of 'picture': a bad value is a usage error (exit 2) with a message -------------


def _layer_list(text: str) -> tuple[str, ...]:
    layers = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [layer for layer in layers if layer not in STORY_LAYERS]
    if unknown or not layers:
        raise argparse.ArgumentTypeError(
            f"unknown layer {', '.join(unknown) or repr(text)}; "
            f"expected a comma-separated list of {', '.join(STORY_LAYERS)}"
        )
    return layers


def _bbox(text: str) -> tuple[float, float, float, float]:
    """'W,S,E,N' in degrees, checked as a story's bbox is."""
    parts = [part.strip() for part in text.split(",")]
    try:
        values = [float(part) for part in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(value) for value in values):
        raise argparse.ArgumentTypeError(f"expected four numbers west,south,east,north in degrees, got {text!r}")
    west, south, east, north = values
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise argparse.ArgumentTypeError(
            f"{text} is outside the globe: longitudes run from -180 to 180, latitudes from -90 to 90"
        )
    if west >= east or south >= north:
        raise argparse.ArgumentTypeError(
            f"{text}: west should be less than east and south less than north (west,south,east,north)"
        )
    return west, south, east, north


def _picture_size(text: str) -> tuple[int, int]:
    try:
        from briefing.picture import parse_size
    except ImportError as error:
        raise argparse.ArgumentTypeError(f"pictures cannot be drawn here ({error})") from None
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _validate(args) -> int:
    records = read_records(args.data)
    countries = _country_outlines()
    problems = validate_records(
        records, sources_dir=args.sources, countries=countries, cited=_cited_geography(Path(args.data))
    )
    print(report_text(problems, records))
    if args.sources is not None:
        warnings = support_warnings(records, args.sources)
        if warnings:
            print(f"{len(warnings)} warning(s): facts the cited reports do not give, without a note:")
            print("\n".join(f"  - {warning}" for warning in warnings))
    return 1 if problems else 0


def _country_outlines():
    """Country outlines for the inside-its-country check (the bundled basemap)."""
    from geo import basemap

    return basemap.countries()


def _cited_geography(data_dir: Path) -> dict:
    """Boundaries and regions in the data folder cite the reports too: checked with the rest."""
    from geo.basemap import read_region_records
    from geo.boundaries import read_boundary_records

    readers = {"boundaries": read_boundary_records, "regions": read_region_records}
    return {
        table: read(data_dir / f"{table}.yaml")
        for table, read in readers.items()
        if (data_dir / f"{table}.yaml").exists()
    }


def _event_filter(args, parser) -> ExportRequest:
    atlas = load_atlas(args.data)
    unknown_types = [t for t in args.type if t not in EVENT_TYPES]
    if unknown_types:
        parser.error(f"unknown event type {', '.join(unknown_types)}; expected one of {', '.join(EVENT_TYPES)}")
    if args.year_from and args.year_to and args.year_from > args.year_to:
        parser.error(f"--from {args.year_from} is after --to {args.year_to}")
    try:
        groups = resolve_names(args.group, atlas.groups, "group")
        people = resolve_names(args.person, atlas.people, "person")
        sources = resolve_names(args.source, atlas.sources, "report")
    except UnknownName as error:
        parser.error(str(error))
    known_countries = {name.casefold(): name for name in atlas.events["country"].dropna()}
    unknown_countries = [name for name in args.country if name.strip().casefold() not in known_countries]
    if unknown_countries:
        parser.error(
            f"unknown country {', '.join(map(repr, unknown_countries))}; expected one of "
            f"{', '.join(sorted(known_countries.values()))}"
        )
    countries = tuple(dict.fromkeys(known_countries[name.strip().casefold()] for name in args.country))
    if (args.role or args.include_named) and not (groups or people):
        parser.error("--role and --include-named apply to --group and --person: give one of them")
    event_filter = EventFilter(
        year_from=args.year_from,
        year_to=args.year_to,
        groups=groups,
        include_related=args.with_related,
        types=tuple(args.type),
        people=people,
        sources=sources,
        text=args.search,
        roles=tuple(dict.fromkeys(args.role)),
        include_named=args.include_named,
        countries=countries,
    )
    # Brigades and successors change nothing without a group: such a filter is no filter.
    filtered = replace(event_filter, include_related=False) != EventFilter()
    return ExportRequest(event_filter=event_filter, filtered=filtered)


def _export(args, parser) -> int:
    request = _event_filter(args, parser)
    frame = layer_frame(args.layer, load_atlas(args.data), request)
    out = write_layer(frame, args.format, args.out, layer_name=args.layer)
    description = f" ({request.event_filter.describe()})" if request.filtered else ""
    print(f"wrote {len(frame)} {args.layer}{description} to {out}")
    return 0


def _story_files(args) -> list[Path]:
    from geo.stories import STORIES_DIR, list_stories

    files = getattr(args, "files", [])
    if files and args.folder:
        args.usage.error("give story files or --folder, not both")
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        args.usage.error(f"no such story file: {', '.join(missing)}")
    folder = args.folder or STORIES_DIR
    if not files and not folder.is_dir():
        args.usage.error(f"no such folder: {folder}")
    return files or list_stories(folder)


def _story_list(args) -> int:
    from geo.stories import StoryError, load_story

    unreadable = 0
    for path in _story_files(args):
        try:
            story = load_story(path)
        except StoryError as error:
            unreadable += 1
            print(
                f"{path.name}: not a valid story ({len(error.problems)} problem(s)); see: python -m geo story validate",
                file=sys.stderr,
            )
            continue
        print(f"{story.id}\t{story.title}\t{len(story.steps)} steps")
    return 1 if unreadable else 0


def _story_validate(args) -> int:
    from geo.stories import atlas_ids, story_problems

    if args.sources is not None and not args.sources.is_dir():
        args.usage.error(f"--sources: no such folder: {args.sources}")
    files = _story_files(args)
    if not files:
        print(f"no story files (*.yaml) in {args.folder or 'the bundled stories folder'}")
        return 1
    ids = atlas_ids(args.data)
    problems = [problem for path in files for problem in story_problems(path, ids, args.sources)]
    print("\n".join(problems) if problems else f"OK: {len(files)} stor{'y' if len(files) == 1 else 'ies'}")
    return 1 if problems else 0


def _slug(text: str, limit: int = 60) -> str:
    """'January 2013: the French intervention' -> 'january-2013-the-french-intervention'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:limit].rstrip("-") or "step"


def _story_export(args) -> int:
    from geo.stories import STORIES_DIR, atlas_ids, list_stories, load_story, story_problems

    if args.sources is not None and not args.sources.is_dir():
        args.usage.error(f"--sources: no such folder: {args.sources}")
    folder = args.folder or STORIES_DIR
    if not folder.is_dir():
        args.usage.error(f"no such folder: {folder}")
    files = {path.stem: path for path in list_stories(folder)}
    if args.id not in files:
        known = ", ".join(sorted(files)) or "none"
        args.usage.error(f"no story '{args.id}' in {folder}; known story ids: {known}")
    path = files[args.id]
    problems = story_problems(path, atlas_ids(args.data), args.sources)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(
            f"not exported: {len(problems)} problem(s) in {path.name}; fix them and run again "
            "(python -m geo story validate)",
            file=sys.stderr,
        )
        return 1
    story = load_story(path)

    from view import load_context  # geopandas frames for drawing; matplotlib only in the drawing modules

    context = load_context(args.data)
    out: Path = args.out
    if args.format == "html":
        try:
            from briefing.offline_html import story_html
        except ImportError as error:
            print(f"error: the html format is not available in this installation ({error})", file=sys.stderr)
            return 1
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(story_html(story, context), encoding="utf-8")
        print(f"wrote {story.id} as an offline page to {out}")
    elif args.format == "pptx":
        from briefing.slides import story_deck

        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(story_deck(story, context))
        print(
            f"wrote {story.id} as a deck of {len(story.steps) + 2} slides (title, {len(story.steps)} steps, "
            f"reports cited) to {out}"
        )
    else:
        from briefing.slides import render_views
        from view import story_views

        out.mkdir(parents=True, exist_ok=True)
        pictures = render_views(story_views(story, context), size=(1920, 1080))
        for number, (step, picture) in enumerate(zip(story.steps, pictures), start=1):
            (out / f"{number:02d}-{_slug(step.heading)}.png").write_bytes(picture)
        print(f"wrote {len(story.steps)} pictures of {story.id} to {out}")
    return 0


def _picture(args) -> int:
    request = _event_filter(args, args.usage)

    from briefing.picture import render_png
    from view import load_context, map_view

    context = load_context(args.data)
    if args.boundaries is not None and not context.first_year <= args.boundaries <= context.last_year:
        args.usage.error(
            f"--boundaries {args.boundaries} is outside the years the atlas covers "
            f"({context.first_year}–{context.last_year})"
        )
    view = map_view(
        context,
        request.event_filter,
        layers=args.layers or DEFAULT_STORY_LAYERS,
        boundary_year=args.boundaries,
        bbox=args.bbox,
        title=args.title or "Sahel Atlas",
    )
    width, height = args.size or (1920, 1080)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render_png(view, size=(width, height)))
    print(f"wrote a {width}x{height} map ({view.filters_in_words}) to {args.out}")
    return 0


def _add_read_report_command(commands) -> None:
    from geo.reading.command import add_arguments

    command = commands.add_parser(
        "read-report",
        help="read a report (text, HTML, PDF, Word): the places, dates, groups and people it names, "
        "and the events it tells, as GeoJSON for review",
        description="Finds every place, date, group and person a report names, places them, and proposes the "
        "events it tells, each with the phrase it rests on. The files written are proposals to review; "
        "--into-workspace keeps the events as a workspace dataset of kind report, with the report's text.",
    )
    add_arguments(command)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "export":
            return _export(args, parser)
        if args.command == "story":
            run = {"list": _story_list, "validate": _story_validate, "export": _story_export}[args.story_command]
            return run(args)
        if args.command == "picture":
            return _picture(args)
        if args.command == "workspace":
            return run_workspace(args)
        if args.command == "import":
            return run_import(args, parser)
        if args.command == "read-report":
            from geo.reading.command import run as read_report

            return read_report(args)
        if args.command == "build-basemap":
            from geo import build_basemap

            return build_basemap.main(["--check"] if args.check else [])
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    parser.error(f"unknown command {args.command}")
    return 2
