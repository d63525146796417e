"""The analyst's data on the command line: ``import`` (an ACLED, GTD, CSV or GeoJSON file into the
workspace, or a GeoJSON file) and ``workspace`` (list, rename, delete, trash, restore, the audit log)."""

from __future__ import annotations

import sys
from pathlib import Path

from geo.export import write_layer

__all__ = ["add_import_command", "run_import", "add_workspace_commands", "run_workspace"]


# --- 'import': an analyst's file (ACLED, GTD, CSV, GeoJSON) into the workspace or a GeoJSON file ------


def add_import_command(commands) -> None:
    from geo.imports.limits import MAX_DATASET_NAME, size_limit_in_words
    from geo.imports.model import IMPORT_FORMATS

    command = commands.add_parser(
        "import",
        help="import an ACLED, GTD, CSV or GeoJSON file into the workspace (or --out a GeoJSON file)",
        description="Read an analyst's file into the atlas's event model. Every row is checked; a bad row is "
        "refused with its number and the reason, and the rest is imported. Without --out the "
        f"events are saved in the workspace as a dataset. A file may be at most {size_limit_in_words()}; "
        "the import runs in a process of its own, held to a time and memory limit.",
    )
    command.add_argument("file", type=Path, metavar="FILE")
    command.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        required=True,
        help="acled, gtd (CSV or .xlsx), csv (any table, see --map) or geojson",
    )
    command.add_argument(
        "--name",
        metavar="NAME",
        help=f"the dataset's name, at most {MAX_DATASET_NAME} characters (default: the file's name)",
    )
    command.add_argument(
        "--out",
        type=Path,
        metavar="FILE.geojson",
        help="write the imported events to this GeoJSON file instead of the workspace",
    )
    command.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="csv and geojson: the column holding an atlas field (repeatable), e.g. "
        "--map date=when --map place=town; FIELD==VALUE gives every row that value "
        "(--map type==kidnapping); default: guessed from the column names",
    )
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


def run_import(args, parser) -> int:
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
    result = import_file_contained(
        args.file, args.format, name, file_name=args.file.name, column_mapping=mapping, data_dir=args.data
    )
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


def add_workspace_commands(commands) -> None:
    workspace = commands.add_parser(
        "workspace",
        help="list, rename or delete the imported datasets in the workspace",
        description="The workspace holds the imported datasets, kept apart from the curated data: one GeoPackage "
        "file, by default in the user's data folder, or the file SAHEL_ATLAS_WORKSPACE names; or, "
        "when SAHEL_ATLAS_DATABASE_URL is set, a PostgreSQL/PostGIS database a team shares.",
    )
    workspace_commands = workspace.add_subparsers(dest="workspace_command", required=True, metavar="WORKSPACE_COMMAND")
    workspace_commands.add_parser(
        "list", help="one dataset a line: name, id, format, rows imported and refused, when, by whom, file"
    )
    rename = workspace_commands.add_parser(
        "rename", help="rename a dataset (give --id when its name changed a moment ago)"
    )
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.add_argument("--id", dest="dataset_id", help="act only if the dataset OLD still has this id (see list)")
    delete = workspace_commands.add_parser(
        "delete", help="move a dataset to the trash (give --id when its name changed a moment ago)"
    )
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--id", dest="dataset_id", help="act only if the dataset NAME still has this id (see list)")
    workspace_commands.add_parser("trash", help="the deleted datasets, until the trash is emptied")
    restore = workspace_commands.add_parser("restore", help="bring a dataset back from the trash")
    restore.add_argument("dataset_id", metavar="ID")
    empty = workspace_commands.add_parser("empty-trash", help="remove the datasets in the trash for good")
    empty.add_argument("--id", dest="dataset_ids", action="append", help="only this one (repeat for more)")
    log = workspace_commands.add_parser(
        "log", help="the audit log, newest first: when, who, what, dataset, id, events, outcome"
    )
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
            raise DatasetChanged(
                f"{name!r} was deleted or changed meanwhile (no dataset of that name has the id "
                f"{dataset_id!r}); nothing was changed. See: workspace list"
            )
        return found
    info = workspace.dataset(name)
    try:
        age = dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(info.changed_at)
    except ValueError:
        return info
    if info.version > 1 and age.total_seconds() < RECENT_CHANGE_SECONDS:
        raise DatasetChanged(
            f"the dataset now named {name!r} was renamed to {name} a moment ago "
            f"({info.changed_at}); to be sure it is the one you mean, give its id: "
            f"--id {info.id}"
        )
    return info


def run_workspace(args) -> int:
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
                print(
                    f"{info.name}\t{info.id}\t{info.format}\t{info.imported} imported, {info.refused} refused\t"
                    f"{info.imported_at} by {info.owner or 'nobody known'}\t{info.file_name}{deleted}"
                )
        elif command == "rename":
            current = _named_for_a_change(workspace, args.old, args.dataset_id)
            info = workspace.rename(args.old, args.new, dataset_id=current.id, version=current.version)
            print(f"Renamed {args.old!r} to {info.name!r}")
        elif command == "delete":
            current = _named_for_a_change(workspace, args.name, args.dataset_id)
            workspace.delete(args.name, dataset_id=current.id, version=current.version)
            print(
                f"Deleted {current.name!r} ({current.imported} events): it is in the trash until it is emptied; "
                f"restore it with: workspace restore {current.id}"
            )
        elif command == "restore":
            info = workspace.restore(args.dataset_id)
            print(f"Restored {info.name!r} ({info.imported} events)")
        elif command == "empty-trash":
            print(f"Removed {workspace.empty_trash(dataset_ids=args.dataset_ids)} dataset(s) for good")
        elif command == "log":
            for entry in workspace.audit_log(max(1, args.limit)):
                print(
                    f"{entry.at}\t{entry.who or 'nobody known'}\t{entry.action}\t{entry.dataset}\t"
                    f"{entry.dataset_id}\t{entry.events}\t{entry.outcome}"
                )
    except (UnknownDataset, WorkspaceError, ValueError) as error:  # unknown or taken name, unreadable file
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
