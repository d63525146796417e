"""``python -m geo``: validate the curated data, export layers, rebuild the basemap, check stories.

One command group, one sub-command per verb. Bad usage exits with status 2
and a one-line message, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.catalog import DATA_DIR, load_atlas, read_records
from geo.export import EXPORT_LAYERS, FORMATS, ExportRequest, layer_frame, write_layer
from geo.filters import EventFilter, UnknownName, resolve_names
from geo.schema import EVENT_TYPES, PARTICIPANT_ROLES
from geo.validate import report_text, support_warnings, validate_records

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Sahel Atlas data tools.")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="curated data directory (default: bundled)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the curated data; non-zero exit on any problem")
    validate.add_argument("--sources", type=Path, metavar="DIR",
                          help="directory of the reports: check every locator phrase against them")

    export = commands.add_parser("export", help="write a layer as csv, geojson or gpkg")
    export.add_argument("layer", choices=sorted(EXPORT_LAYERS), metavar="LAYER",
                        help="one of: " + ", ".join(sorted(EXPORT_LAYERS)))
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--from", dest="year_from", type=int, metavar="YEAR")
    export.add_argument("--to", dest="year_to", type=int, metavar="YEAR")
    export.add_argument("--group", action="append", default=[], metavar="NAME",
                        help="group id, name or alias (repeatable)")
    export.add_argument("--with-related", action="store_true",
                        help="with --group: include the groups' brigades and successors")
    export.add_argument("--type", action="append", default=[], metavar="TYPE",
                        help="event type (repeatable): " + ", ".join(EVENT_TYPES))
    export.add_argument("--person", action="append", default=[], metavar="NAME",
                        help="person id, name or alias (repeatable)")
    export.add_argument("--role", action="append", default=[], choices=list(PARTICIPANT_ROLES), metavar="ROLE",
                        help="with --group or --person: only events where they played this part (repeatable): "
                             + ", ".join(PARTICIPANT_ROLES) + "; default: any but named")
    export.add_argument("--include-named", action="store_true",
                        help="with --group or --person: also events where they are only named")
    export.add_argument("--source", action="append", default=[], metavar="REPORT",
                        help="report id (file name) (repeatable)")
    export.add_argument("--search", default="", metavar="TEXT", help="free text in title, summary or place")

    build = commands.add_parser("build-basemap", help="rebuild the bundled basemap files from their sources")
    build.add_argument("--check", action="store_true", help="rebuild to a temporary folder and compare")

    story = commands.add_parser("story", help="list or check the stories (step-by-step map briefings)")
    story_commands = story.add_subparsers(dest="story_command", required=True, metavar="STORY_COMMAND")
    story_list = story_commands.add_parser("list", help="one story a line: id, title, number of steps")
    story_list.add_argument("--folder", type=Path, metavar="DIR", help="folder of story files (default: bundled)")
    story_validate = story_commands.add_parser("validate", help="check stories; non-zero exit on any problem")
    story_validate.add_argument("files", nargs="*", type=Path, metavar="FILE", help="story files (default: a folder)")
    story_validate.add_argument("--folder", type=Path, metavar="DIR", help="folder of story files (default: bundled)")
    story_validate.add_argument("--sources", type=Path, metavar="DIR",
                                help="directory of the reports: check every locator phrase against them")
    for sub in (story_list, story_validate):
        sub.set_defaults(usage=sub)
    return parser


def _validate(args) -> int:
    records = read_records(args.data)
    countries = _country_outlines()
    problems = validate_records(records, sources_dir=args.sources, countries=countries, cited=_cited_geography(Path(args.data)))
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
    return {table: read(data_dir / f"{table}.yaml") for table, read in readers.items()
            if (data_dir / f"{table}.yaml").exists()}


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
    if (args.role or args.include_named) and not (groups or people):
        parser.error("--role and --include-named apply to --group and --person: give one of them")
    event_filter = EventFilter(year_from=args.year_from, year_to=args.year_to, groups=groups,
                               include_related=args.with_related, types=tuple(args.type), people=people,
                               sources=sources, text=args.search, roles=tuple(dict.fromkeys(args.role)),
                               include_named=args.include_named)
    filtered = event_filter != EventFilter()
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
            print(f"{path.name}: not a valid story ({len(error.problems)} problem(s)); "
                  "see: python -m geo story validate", file=sys.stderr)
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "export":
            return _export(args, parser)
        if args.command == "story":
            return _story_list(args) if args.story_command == "list" else _story_validate(args)
        if args.command == "build-basemap":
            from geo import build_basemap

            return build_basemap.main(["--check"] if args.check else [])
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    parser.error(f"unknown command {args.command}")
    return 2
