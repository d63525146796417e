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
    validate.add_argument("--sources", type=Path, metavar="DIR",
                          help="directory of the reports: check every locator phrase against them")

    export = commands.add_parser("export", help="write a layer as csv, geojson or gpkg")
    export.add_argument("layer", choices=sorted(EXPORT_LAYERS), metavar="LAYER",
                        help="one of: " + ", ".join(sorted(EXPORT_LAYERS)))
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    _add_event_filter_arguments(export)

    picture = commands.add_parser(
        "picture", help="draw one map view as a PNG (the export filters, layers, extent, size)",
        description="Draw one map of the atlas as a PNG, with the offline basemap and the dashboard's style.")
    picture.add_argument("--out", type=Path, required=True, metavar="FILE.png")
    _add_event_filter_arguments(picture)
    picture.add_argument("--layers", type=_layer_list, metavar="LIST",
                         help="comma-separated layers to draw: " + ", ".join(STORY_LAYERS)
                              + " (default: " + ",".join(DEFAULT_STORY_LAYERS) + ")")
    picture.add_argument("--boundaries", type=int, metavar="YEAR",
                         help="draw the boundaries in force in this year (default: --to, else the last year)")
    picture.add_argument("--bbox", type=_bbox, metavar="W,S,E,N",
                         help="map extent in degrees, west,south,east,north (write --bbox=-18,4,26,38 when west "
                              "is negative); default: the whole operating area")
    picture.add_argument("--size", type=_picture_size, metavar="SIZE",
                         help="WIDTHxHEIGHT in pixels, or a4 (3508x2480, landscape at 300 dpi); default: 1920x1080")
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
    story_validate.add_argument("--sources", type=Path, metavar="DIR",
                                help="directory of the reports: check every locator phrase against them")
    story_export = story_commands.add_parser(
        "export", help="write a story as a pptx deck, one png a step, or an offline html page",
        description="Write a story as a PowerPoint deck (pptx), one 1920x1080 map a step (png, into the folder "
                    "--out, named 01-<heading>.png, ...) or a page that opens without a network (html). The "
                    "story is checked first, as by 'story validate'; a story with problems is not exported.")
    story_export.add_argument("id", metavar="ID", help="the story's id: its file name without .yaml")
    story_export.add_argument("--format", choices=STORY_FORMATS, required=True)
    story_export.add_argument("--out", type=Path, required=True, metavar="PATH",
                              help="the file to write (pptx, html) or the folder of pictures (png)")
    story_export.add_argument("--stories", "--folder", dest="folder", type=Path, metavar="DIR",
                              help="folder of story files (default: bundled)")
    story_export.add_argument("--sources", type=Path, metavar="DIR",
                              help="directory of the reports: also check every locator phrase against them")
    for sub in (story_list, story_validate, story_export):
        sub.set_defaults(usage=sub)
    _add_import_command(commands)
    _add_workspace_commands(commands)
    _add_read_report_command(commands)
    return parser


STORY_FORMATS = ("pptx", "html", "png")


def _add_event_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filters of the events shown, as the dashboard's sidebar has them (read by :func:`_event_filter`)."""
    parser.add_argument("--from", dest="year_from", type=int, metavar="YEAR")
    parser.add_argument("--to", dest="year_to", type=int, metavar="YEAR")
    parser.add_argument("--group", action="append", default=[], metavar="NAME",
                        help="group id, name or alias (repeatable)")
    # As on the dashboard, a group comes with its brigades and successors unless asked otherwise.
    parser.add_argument("--with-related", dest="with_related", action="store_true", default=True,
                        help="with --group: include the groups' brigades and successors (the default)")
    parser.add_argument("--without-related", dest="with_related", action="store_false",
                        help="with --group: only the groups named, not their brigades and successors")
    parser.add_argument("--type", action="append", default=[], metavar="TYPE",
                        help="event type (repeatable): " + ", ".join(EVENT_TYPES))
    parser.add_argument("--person", action="append", default=[], metavar="NAME",
                        help="person id, name or alias (repeatable)")
    parser.add_argument("--role", action="append", default=[], choices=list(PARTICIPANT_ROLES), metavar="ROLE",
                        help="with --group or --person: only events where they played this part (repeatable): "
                             + ", ".join(PARTICIPANT_ROLES) + "; default: any but named")
    parser.add_argument("--include-named", action="store_true",
                        help="with --group or --person: also events where they are only named")
    parser.add_argument("--source", action="append", default=[], metavar="REPORT",
                        help="report id (file name) (repeatable)")
    parser.add_argument("--search", default="", metavar="TEXT", help="free text in title, summary or place")
    parser.add_argument("--country", action="append", default=[], metavar="NAME",
                        help="where the event happened (its first place's country), as the dashboard's Country "
                             "filter names it (repeatable)")


# --- Argument types of 'picture': a bad value is a usage error (exit 2) with a message -------------

def _layer_list(text: str) -> tuple[str, ...]:
    layers = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [layer for layer in layers if layer not in STORY_LAYERS]
    if unknown or not layers:
        raise argparse.ArgumentTypeError(f"unknown layer {', '.join(unknown) or repr(text)}; "
                                         f"expected a comma-separated list of {', '.join(STORY_LAYERS)}")
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
        raise argparse.ArgumentTypeError(f"{text} is outside the globe: longitudes run from -180 to 180, "
                                         "latitudes from -90 to 90")
    if west >= east or south >= north:
        raise argparse.ArgumentTypeError(f"{text}: west should be less than east and south less than north "
                                         "(west,south,east,north)")
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
    known_countries = {name.casefold(): name for name in atlas.events["country"].dropna()}
    unknown_countries = [name for name in args.country if name.strip().casefold() not in known_countries]
    if unknown_countries:
        parser.error(f"unknown country {', '.join(map(repr, unknown_countries))}; expected one of "
                     f"{', '.join(sorted(known_countries.values()))}")
    countries = tuple(dict.fromkeys(known_countries[name.strip().casefold()] for name in args.country))
    if (args.role or args.include_named) and not (groups or people):
        parser.error("--role and --include-named apply to --group and --person: give one of them")
    event_filter = EventFilter(year_from=args.year_from, year_to=args.year_to, groups=groups,
                               include_related=args.with_related, types=tuple(args.type), people=people,
                               sources=sources, text=args.search, roles=tuple(dict.fromkeys(args.role)),
                               include_named=args.include_named, countries=countries)
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
        print(f"not exported: {len(problems)} problem(s) in {path.name}; fix them and run again "
              "(python -m geo story validate)", file=sys.stderr)
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
        print(f"wrote {story.id} as a deck of {len(story.steps) + 2} slides (title, {len(story.steps)} steps, "
              f"reports cited) to {out}")
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
        args.usage.error(f"--boundaries {args.boundaries} is outside the years the atlas covers "
                         f"({context.first_year}–{context.last_year})")
    view = map_view(context, request.event_filter, layers=args.layers or DEFAULT_STORY_LAYERS,
                    boundary_year=args.boundaries, bbox=args.bbox, title=args.title or "Sahel Atlas")
    width, height = args.size or (1920, 1080)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render_png(view, size=(width, height)))
    print(f"wrote a {width}x{height} map ({view.filters_in_words}) to {args.out}")
    return 0


# --- 'import': an analyst's file (ACLED, GTD, CSV, GeoJSON) into the workspace or a GeoJSON file ------

def _add_import_command(commands) -> None:
    from geo.imports.limits import MAX_DATASET_NAME, size_limit_in_words
    from geo.imports.model import IMPORT_FORMATS

    command = commands.add_parser(
        "import", help="import an ACLED, GTD, CSV or GeoJSON file into the workspace (or --out a GeoJSON file)",
        description="Read an analyst's file into the atlas's event model. Every row is checked; a bad row is "
                    "refused with its number and the reason, and the rest is imported. Without --out the "
                    f"events are saved in the workspace as a dataset. A file may be at most {size_limit_in_words()}; "
                    "the import runs in a process of its own, held to a time and memory limit.")
    command.add_argument("file", type=Path, metavar="FILE")
    command.add_argument("--format", choices=IMPORT_FORMATS, required=True,
                         help="acled, gtd (CSV or .xlsx), csv (any table, see --map) or geojson")
    command.add_argument("--name", metavar="NAME", help=f"the dataset's name, at most {MAX_DATASET_NAME} characters "
                                                      "(default: the file's name)")
    command.add_argument("--out", type=Path, metavar="FILE.geojson",
                         help="write the imported events to this GeoJSON file instead of the workspace")
    command.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help="csv and geojson: the column holding an atlas field (repeatable), e.g. "
                              "--map date=when --map place=town; FIELD==VALUE gives every row that value "
                              "(--map type==kidnapping); default: guessed from the column names")
    command.add_argument("--replace", action="store_true", help="replace a workspace dataset of the same name")
    command.set_defaults(usage=command)


def _column_mapping(args) -> dict[str, str] | None:
    from geo.imports.tabular import TABLE_FIELDS

    if not args.map:
        return None
    if args.format not in ("csv", "geojson"):
        args.usage.error(f"--map applies to the csv and geojson formats, not {args.format}")
    mapping = {}
    for item in args.map:
        field, separator, column = item.partition("=")
        field = field.strip()
        if not separator or not field or not column.strip():
            args.usage.error(f"--map {item!r}: expected FIELD=COLUMN")
        if field not in TABLE_FIELDS:
            args.usage.error(f"--map {item!r}: unknown field {field!r}; the fields are {', '.join(TABLE_FIELDS)}")
        mapping[field] = column.strip()
    return mapping


def _import(args, parser) -> int:
    from geo.imports import dataset_name_problem, import_file_contained

    if not args.file.is_file():
        args.usage.error(f"no such file: {args.file}")
    mapping = _column_mapping(args)
    name = (args.file.stem if args.name is None else args.name).strip()  # --name "" is a mistake, not the default
    if problem := dataset_name_problem(name):
        args.usage.error(f"--name: {problem}" if args.name is not None else f"{problem} with --name")
    save = None
    if args.out is None:
        try:  # the workspace is optional: --out works without it
            from geo.workspace import WorkspaceError, open_workspace
        except (ImportError, AttributeError):
            print("the workspace is not available yet; use --out", file=sys.stderr)
            return 1
        try:
            save = open_workspace().save_dataset
        except WorkspaceError as error:  # a bad database address
            print(f"error: {error}; or use --out", file=sys.stderr)
            return 1
    result = import_file_contained(args.file, args.format, name, file_name=args.file.name, column_mapping=mapping,
                                   data_dir=args.data)
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{result.read} rows read, {result.imported} imported, {len(result.refused)} refused")
    for refusal in result.refused:
        print(f"row {refusal.row}: {refusal.reason}")
    if not result.imported:
        return 1
    if args.out is not None:
        out = write_layer(result.events, "geojson", args.out, layer_name="events")
        print(f"wrote {result.imported} events of {name!r} to {out}")
    else:
        try:
            info = save(name, result, file_name=args.file.name, format=args.format, replace=args.replace)
        except (WorkspaceError, ValueError) as error:  # a name in use, an unwritable workspace
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"saved {info.imported} events as dataset {info.name!r} in the workspace")
    return 0


# --- 'workspace': the user's imported datasets (geo.workspace), listed, renamed, deleted -------------

def _add_workspace_commands(commands) -> None:
    workspace = commands.add_parser(
        "workspace", help="list, rename or delete the imported datasets in the workspace",
        description="The workspace holds the imported datasets, kept apart from the curated data: one GeoPackage "
                    "file, by default in the user's data folder, or the file SAHEL_ATLAS_WORKSPACE names; or, "
                    "when SAHEL_ATLAS_DATABASE_URL is set, a PostgreSQL/PostGIS database a team shares.")
    workspace_commands = workspace.add_subparsers(dest="workspace_command", required=True,
                                                  metavar="WORKSPACE_COMMAND")
    workspace_commands.add_parser("list", help="one dataset a line: name, id, format, rows imported and refused, "
                                               "when, by whom, file")
    rename = workspace_commands.add_parser(
        "rename", help="rename a dataset (give --id when its name changed a moment ago)")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.add_argument("--id", dest="dataset_id", help="act only if the dataset OLD still has this id (see list)")
    delete = workspace_commands.add_parser(
        "delete", help="move a dataset to the trash (give --id when its name changed a moment ago)")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--id", dest="dataset_id", help="act only if the dataset NAME still has this id (see list)")
    workspace_commands.add_parser("trash", help="the deleted datasets, until the trash is emptied")
    restore = workspace_commands.add_parser("restore", help="bring a dataset back from the trash")
    restore.add_argument("dataset_id", metavar="ID")
    empty = workspace_commands.add_parser("empty-trash", help="remove the datasets in the trash for good")
    empty.add_argument("--id", dest="dataset_ids", action="append", help="only this one (repeat for more)")
    log = workspace_commands.add_parser("log", help="the audit log, newest first: when, who, what, dataset, id, "
                                                    "events, outcome")
    log.add_argument("--limit", type=int, default=100)
    workspace_commands.add_parser("path", help="the workspace file (or database address, without its password)")


# A name given to a dataset this recently may be one another process just gave it: ask for its id.
RECENT_CHANGE_SECONDS = 600


def _named_for_a_change(workspace, name: str, dataset_id: str | None):
    """The dataset a command names: by its name and --id, or by a name that did not just change."""
    import datetime as dt

    from geo.workspace import DatasetChanged

    if dataset_id is not None:
        found = workspace.dataset_by_id(dataset_id)
        if found is None or found.in_trash or found.name != name:
            raise DatasetChanged(f"{name!r} was deleted or changed meanwhile (no dataset of that name has the id "
                                 f"{dataset_id!r}); nothing was changed. See: workspace list")
        return found
    info = workspace.dataset(name)
    try:
        age = dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(info.changed_at)
    except ValueError:
        return info
    if info.version > 1 and age.total_seconds() < RECENT_CHANGE_SECONDS:
        raise DatasetChanged(f"the dataset now named {name!r} was renamed to {name} a moment ago "
                             f"({info.changed_at}); to be sure it is the one you mean, give its id: "
                             f"--id {info.id}")
    return info


def _workspace(args) -> int:
    from geo.workspace import UnknownDataset, WorkspaceError, open_workspace

    try:
        workspace = open_workspace()
        command = args.workspace_command
        if command == "path":
            print(workspace.location)
        elif command in ("list", "trash"):
            datasets = workspace.datasets() if command == "list" else workspace.trash()
            if not datasets:
                print("no datasets in the workspace" if command == "list" else "the trash is empty")
            for info in datasets:
                deleted = f"\tdeleted {info.deleted_at} by {info.deleted_by or 'nobody known'}" if info.in_trash else ""
                print(f"{info.name}\t{info.id}\t{info.format}\t{info.imported} imported, {info.refused} refused\t"
                      f"{info.imported_at} by {info.owner or 'nobody known'}\t{info.file_name}{deleted}")
        elif command == "rename":
            current = _named_for_a_change(workspace, args.old, args.dataset_id)
            info = workspace.rename(args.old, args.new, dataset_id=current.id, version=current.version)
            print(f"Renamed {args.old!r} to {info.name!r}")
        elif command == "delete":
            current = _named_for_a_change(workspace, args.name, args.dataset_id)
            workspace.delete(args.name, dataset_id=current.id, version=current.version)
            print(f"Deleted {current.name!r} ({current.imported} events): it is in the trash until it is emptied; "
                  f"restore it with: workspace restore {current.id}")
        elif command == "restore":
            info = workspace.restore(args.dataset_id)
            print(f"Restored {info.name!r} ({info.imported} events)")
        elif command == "empty-trash":
            print(f"Removed {workspace.empty_trash(dataset_ids=args.dataset_ids)} dataset(s) for good")
        elif command == "log":
            for entry in workspace.audit_log(max(1, args.limit)):
                print(f"{entry.at}\t{entry.who or 'nobody known'}\t{entry.action}\t{entry.dataset}\t"
                      f"{entry.dataset_id}\t{entry.events}\t{entry.outcome}")
    except (UnknownDataset, WorkspaceError, ValueError) as error:  # unknown or taken name, unreadable file
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _add_read_report_command(commands) -> None:
    from geo.reading.command import add_arguments

    command = commands.add_parser(
        "read-report", help="read a report (text, HTML, PDF, Word): the places, dates, groups and people it names, "
                            "and the events it tells, as GeoJSON for review",
        description="Finds every place, date, group and person a report names, places them, and proposes the "
                    "events it tells, each with the phrase it rests on. Nothing is kept in the atlas: the files "
                    "written are proposals to review.")
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
            return _workspace(args)
        if args.command == "import":
            return _import(args, parser)
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
