"""Stories: a briefer's walk through the atlas, one map view a step, every step cited.

A story is a YAML file (bundled ones live in ``stories/``): ``id``, ``title``,
``byline``, ``summary`` and 6 to 15 ``steps``. Each step has a ``heading``, a
``caption`` in the atlas's own words, a ``view`` written with the dashboard's
link parameters (``from``, ``to``, ``group``, ``type``, ``person``, ``source``,
``country``, ``q``, ``related``, ``named``, ``layers``, ``boundaries``; never ``basemap``:
a story always uses the offline map), a ``bbox`` ``[west, south, east, north]``,
the ids to ``highlight`` and the report passages it rests on (``citations``).

:func:`story_problems` reads a file the way :func:`geo.validate.validate_records`
reads the curated data: it never raises and lists every problem, each naming
the file, the line and the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from geo.app_files import STORIES_DIR  # the bundled stories, beside the app
from geo.schema import EVENT_TYPES, MAX_LOCATOR_WORDS, Citation
from geo.story_model import (  # noqa: F401 (re-exported: geo.stories is where callers find them)
    _ABBREVIATION,
    _NOT_IN_A_STORY,
    _SENTENCE_END,
    _STORY_KEYS,
    CAPTION_SENTENCES,
    COVERED_YEARS,
    DEFAULT_STORY_LAYERS,
    SEARCH_TEXT_LIMIT,
    STEP_COUNT,
    STORY_LAYERS,
    SUMMARY_SENTENCES,
    TOWN_KINDS,
    AtlasIds,
    Highlight,
    Step,
    Story,
    StoryError,
    StoryView,
    _Record,
    _sentence_count,
    _sentences,
    atlas_ids,
    ids_of,
)
from geo.story_yaml import RepeatedValue, StoryLoader
from geo.validate import normalise_text

__all__ = [
    "STORIES_DIR",
    "STORY_LAYERS",
    "DEFAULT_STORY_LAYERS",
    "TOWN_KINDS",
    "COVERED_YEARS",
    "StoryView",
    "Highlight",
    "Step",
    "Story",
    "StoryError",
    "AtlasIds",
    "atlas_ids",
    "ids_of",
    "load_story",
    "list_stories",
    "story_problems",
]


@dataclass(frozen=True)
class _Document:
    path: Path
    root: yaml.Node | None  # the composed YAML: every node knows its line
    data: object  # the same, as Python values


def _shown_path(path: Path) -> str:
    """The path as a user typed it from the project: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _read(path: Path) -> tuple[_Document | None, list[tuple[int, str]]]:
    """The parsed file, or the problem (with its line) that stops it being read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [(1, f"cannot read the file ({error.__class__.__name__}: {error})")]
    loader = StoryLoader(text)  # no anchors and aliases: a billion-laughs file is refused at its first
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = " ".join(str(getattr(error, "problem", None) or error).split())
        what = "" if isinstance(error, RepeatedValue) else "not valid YAML: "
        return None, [((mark.line + 1) if mark else 1, f"{what}{reason}")]
    finally:
        loader.dispose()
    return _Document(path, root, data), []


def _node_at(root: yaml.Node, loc: tuple) -> yaml.Node:
    """The deepest node along ``loc``; for a mapping key, the key itself (the line it is written on)."""
    node = root
    for position, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            pair = next(((key, value) for key, value in node.value if key.value == str(part)), None)
            if pair is None:
                return node
            node = pair[0] if position == len(loc) - 1 else pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _field_name(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _located(document: _Document, loc: tuple, message: str, line: int | None = None) -> tuple[int, str]:
    """(line, 'step n (heading): message') for a problem at ``loc`` (or on ``line``, when known)."""
    if line is None:
        line = _node_at(document.root, loc).start_mark.line + 1 if document.root is not None else 1
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        steps = document.data.get("steps") if isinstance(document.data, dict) else None
        step = steps[loc[1]] if isinstance(steps, list) and loc[1] < len(steps) else None
        heading = step.get("heading") if isinstance(step, dict) else None
        named = f" ({heading.strip()})" if isinstance(heading, str) and heading.strip() else ""
        message = f"step {loc[1] + 1}{named}: {message}"
    return line, message


# --- Form: the file against the models -------------------------------------------------------

_MODEL_AT = {None: Story, "steps": Step, "view": StoryView, "highlight": Highlight, "citations": Citation}
_CHOICE_LABELS = {"layers": "layer", "type": "event type"}


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _pydantic_message(detail: dict) -> str:
    loc, kind = detail["loc"], detail["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        owners = [part for part in loc[:-1] if isinstance(part, str)]
        allowed = ", ".join(_keys_of(_MODEL_AT.get(owners[-1] if owners else None, Story)))
        return _NOT_IN_A_STORY.get(key, f"unknown key '{key}'; expected one of {allowed}")
    owners = [part for part in loc if isinstance(part, str)]
    if kind in ("model_type", "dict_type") and owners:
        model = _MODEL_AT.get(owners[-1])  # 'steps', 'view', 'highlight' or 'citations
        keys = f" ({', '.join(_keys_of(model))})" if model else ""
        return f"should be a mapping{keys}, got {type(detail.get('input')).__name__}"
    if kind == "missing" and not isinstance(loc[-1], int):
        return "missing"
    if "bbox" in owners and kind != "value_error":
        return f"should be [west, south, east, north] in degrees, got {detail.get('input')!r}"
    if kind == "literal_error" and owners and owners[-1] in _CHOICE_LABELS:
        choices = STORY_LAYERS if owners[-1] == "layers" else tuple(EVENT_TYPES)
        return f"unknown {_CHOICE_LABELS[owners[-1]]} '{detail['input']}'; expected one of {', '.join(choices)}"
    got = detail.get("input")
    if owners and owners[-1] in ("related", "named"):
        return f"use 1 or 0, got {got!r}"
    if kind == "value_error":  # our own validators say what they got
        return detail["msg"].removeprefix("Value error, ")
    got_text = f" (got {got!r})" if not isinstance(got, (dict, list)) and got is not None else ""
    return detail["msg"] + got_text


def _duplicate_keys(node: yaml.Node | None, loc: tuple = ()) -> list[tuple[tuple, str, int]]:
    """Keys written twice in one mapping (YAML keeps the last silently), with the line of the repeat."""
    found: list[tuple[tuple, str, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                field = _field_name((*loc, key.value)[2:] if loc[:1] == ("steps",) else (*loc, key.value))
                found.append(((*loc, key.value), f"{field}: duplicate key '{key.value}'", key.start_mark.line + 1))
            seen.add(key.value)
            found += _duplicate_keys(value, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += _duplicate_keys(item, (*loc, index))
    return found


def _form_problems(document: _Document) -> list[tuple[int, str]]:
    data = document.data
    if data is None:
        return [(1, f"empty file; a story is a YAML mapping with {_STORY_KEYS}")]
    if not isinstance(data, dict):
        return [(1, f"a story should be a YAML mapping with {_STORY_KEYS}, got {type(data).__name__}")]
    found = [_located(document, loc, message, line) for loc, message, line in _duplicate_keys(document.root)]
    problems: list[tuple[tuple, str]] = []
    steps = data.get("steps")
    if isinstance(steps, list) and not STEP_COUNT[0] <= len(steps) <= STEP_COUNT[1]:
        problems.append((("steps",), f"steps: {len(steps)} steps; a story has {STEP_COUNT[0]} to {STEP_COUNT[1]}"))
    stem = document.path.stem
    if isinstance(data.get("id"), str) and data["id"] != stem:
        problems.append((("id",), f"id: '{data['id']}' should be the file's name without .yaml ('{stem}')"))
    try:
        Story.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            loc = tuple(detail["loc"])
            if loc == ("steps",) and detail["type"] in ("too_short", "too_long"):
                continue  # counted above, where a broken step cannot hide it
            if "bbox" in loc:  # one message for the whole extent, not one per missing corner
                loc = loc[: loc.index("bbox") + 1]
            field = _field_name(loc[2:] if loc[:1] == ("steps",) and len(loc) > 1 else loc) or (
                "step" if loc else "story"
            )
            problems.append((loc, f"{field}: {_pydantic_message(detail)}"))
    return found + [_located(document, loc, message) for loc, message in dict.fromkeys(problems)]


# --- References: the story against the curated data and the reports --------------------------


class _Reports:
    """Report texts read once, whitespace collapsed; None where the file is missing."""

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder is not None else None
        self._texts: dict[str, str | None] = {}

    def text(self, source: str) -> str | None:
        if source not in self._texts:
            path = self.folder / source
            self._texts[source] = normalise_text(path.read_text(encoding="utf-8")) if path.is_file() else None
        return self._texts[source]


def _id_problems(step: Step, ids: AtlasIds, at: tuple) -> list[tuple[tuple, str]]:
    found = []
    view = step.view
    countries = frozenset(ids.atlas.events["country"].dropna()) if ids.atlas is not None else None
    for key, known, what in (
        ("group", ids.groups, "group"),
        ("person", ids.people, "person"),
        ("source", ids.sources, "report"),
        ("country", countries, "country"),
    ):
        if known is None:
            continue
        found += [
            ((*at, "view", key, j), f"view.{key}: unknown {what} '{value}'")
            for j, value in enumerate(getattr(view, key))
            if value not in known
        ]
    for key, year in (("from", view.year_from), ("to", view.year_to), ("boundaries", view.boundaries)):
        if year is not None and not ids.first_year <= year <= ids.last_year:
            found.append(
                (
                    (*at, "view", key),
                    f"view.{key}: {year} is outside the years the atlas covers ({ids.first_year}–{ids.last_year})",
                )
            )
    for key, known, what in (
        ("places", ids.places, "place"),
        ("events", ids.events, "event"),
        ("boundaries", ids.boundaries, "boundary"),
    ):
        found += [
            ((*at, "highlight", key, j), f"highlight.{key}: unknown {what} '{value}'")
            for j, value in enumerate(getattr(step.highlight, key))
            if value not in known
        ]
    return found


def _citation_problems(step: Step, ids: AtlasIds, reports: _Reports, at: tuple) -> list[tuple[tuple, str]]:
    found = []
    for j, citation in enumerate(step.citations):
        if citation.source not in ids.sources:
            found.append(
                ((*at, "citations", j, "source"), f"citations[{j}].source: unknown report '{citation.source}'")
            )
        elif reports.folder is not None:
            text = reports.text(citation.source)
            if text is None:
                found.append(
                    (
                        (*at, "citations", j, "source"),
                        f"citations[{j}].source: report file not found in {reports.folder}",
                    )
                )
            elif normalise_text(citation.locator) not in text:
                found.append(
                    (
                        (*at, "citations", j, "locator"),
                        f"citations[{j}].locator: “{citation.locator}” not found in {citation.source}",
                    )
                )
    if reports.folder is not None:
        words = normalise_text(step.caption).casefold().split()
        for source in sorted(ids.sources):
            text = (reports.text(source) or "").casefold()
            runs = (" ".join(words[k : k + MAX_LOCATOR_WORDS + 1]) for k in range(len(words) - MAX_LOCATOR_WORDS))
            copied = next((run for run in runs if text and run in text), None)
            if copied:
                found.append(
                    (
                        (*at, "caption"),
                        f"caption: copies more than {MAX_LOCATOR_WORDS} words in a row "
                        f"from {source} (“{copied}”); say it in the atlas's own words",
                    )
                )
    return found


def _inside(bbox: tuple[float, float, float, float], point) -> bool:
    west, south, east, north = bbox
    return point is None or (west <= point.x <= east and south <= point.y <= north)


def _drawn_problems(step: Step, ids: AtlasIds, at: tuple) -> list[tuple[tuple, str]]:
    """Highlights the step's view would not draw, or would draw outside its bbox."""

    import shapely

    from geo.boundaries import boundaries_in_force
    from geo.filters import EventFilter, events_matching, with_earlier_background

    atlas, view, found = ids.atlas, step.view, []
    event_filter = EventFilter(
        year_from=view.year_from or ids.first_year,
        year_to=view.year_to or ids.last_year,
        groups=tuple(view.group),
        include_related=bool(view.related),
        types=tuple(view.type),
        people=tuple(view.person),
        sources=tuple(view.source),
        text=view.q,
        include_named=bool(view.named),
        countries=tuple(view.country),
    )
    event_filter = with_earlier_background(event_filter, ids.first_year)  # as on the dashboard
    shown = events_matching(atlas.events, event_filter, atlas.groups)
    points = dict(zip(atlas.events["id"], atlas.events.geometry)) | {
        f"place:{i}": g for i, g in zip(atlas.places["id"], atlas.places.geometry)
    }
    for j, event in enumerate(step.highlight.events):
        where = (*at, "highlight", "events", j)
        if event not in ids.events:
            continue
        if "events" not in view.layers:
            found.append((where, f"highlight.events: '{event}' is not drawn: the events layer is off"))
        elif event not in set(shown["id"]):
            found.append(
                (
                    where,
                    f"highlight.events: '{event}' is not among the events the view shows ({event_filter.describe()})",
                )
            )
        elif not _inside(step.bbox, points.get(event)):
            found.append((where, f"highlight.events: '{event}' is drawn outside the step's bbox"))
    kinds = dict(zip(atlas.places["id"], atlas.places["kind"]))
    places_shown = {place for listed in shown["places"] for place in listed}
    for j, place in enumerate(step.highlight.places):
        where = (*at, "highlight", "places", j)
        if place not in ids.places:
            continue
        as_town = "towns" in view.layers and kinds.get(place) in TOWN_KINDS
        if not as_town and not ("places" in view.layers and place in places_shown):
            found.append(
                (
                    where,
                    f"highlight.places: '{place}' is not drawn: no event the view shows is there"
                    + ("" if kinds.get(place) not in TOWN_KINDS else ", and the towns layer is off"),
                )
            )
        elif not _inside(step.bbox, points.get(f"place:{place}")):
            found.append((where, f"highlight.places: '{place}' lies outside the step's bbox"))
    table = ids.boundary_table
    if table is None or not step.highlight.boundaries:
        return found
    year = view.boundaries or view.year_to or ids.last_year
    in_force = set(boundaries_in_force(table, year, year)["id"])
    outlines = dict(zip(table["id"], table.geometry))
    for j, boundary in enumerate(step.highlight.boundaries):
        where = (*at, "highlight", "boundaries", j)
        if boundary not in ids.boundaries:
            continue
        if "boundaries" not in view.layers:
            found.append((where, f"highlight.boundaries: '{boundary}' is not drawn: the boundaries layer is off"))
        elif boundary not in in_force:
            found.append(
                (
                    where,
                    f"highlight.boundaries: '{boundary}' is not in force in {year}, "
                    "the year whose boundaries the view draws",
                )
            )
        elif outlines.get(boundary) is not None and not outlines[boundary].intersects(shapely.box(*step.bbox)):
            found.append((where, f"highlight.boundaries: '{boundary}' lies outside the step's bbox"))
    return found


def _reference_problems(document: _Document, ids: AtlasIds, sources_dir) -> list[tuple[int, str]]:
    steps = document.data.get("steps") if isinstance(document.data, dict) else None
    reports, found = _Reports(sources_dir), []
    for index, raw in enumerate(steps if isinstance(steps, list) else []):
        try:
            step = Step.model_validate(raw)
        except ValidationError:
            continue  # its form is reported already; its references once it is fixed
        at = ("steps", index)
        unknown = _id_problems(step, ids, at)
        found += unknown + _citation_problems(step, ids, reports, at)
        # A view naming unknown ids would show something else on the dashboard: fix those first.
        if ids.atlas is not None and not any(loc[2] == "view" for loc, _ in unknown):
            found += _drawn_problems(step, ids, at)
    return [_located(document, loc, message) for loc, message in found]


# --- Public entry points ------------------------------------------------------------------------


def list_stories(folder: Path | str = STORIES_DIR) -> list[Path]:
    """The story files (``*.yaml``, ``*.yml``) in ``folder``, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"'folder' should be a folder of story files, got {folder}")
    return sorted(path for path in folder.iterdir() if path.suffix in (".yaml", ".yml") and path.is_file())


def _messages(path: Path, found: list[tuple[int, str]]) -> list[str]:
    name = _shown_path(path)
    return [f"{name}:{line}: {message}" for line, message in sorted(found, key=lambda problem: problem[0])]


def load_story(path: Path | str) -> Story:
    """The story in ``path``; raises :class:`StoryError` listing every problem with its form.

    References to the curated data and the reports are checked by :func:`story_problems`.
    """
    path = Path(path)
    document, found = _read(path)
    if document is not None:
        found += _form_problems(document)
    if found:
        raise StoryError(_messages(path, found))
    return Story.model_validate(document.data)


def story_problems(path: Path | str, atlas_ids: AtlasIds | None, sources_dir: Path | str | None = None) -> list[str]:
    """Every problem with the story in ``path``, each as 'file:line: step n (heading): field: problem'.

    Never raises; an empty list means the story is good to show.

    Parameters
    ----------
    path
        The story file.
    atlas_ids
        What the story may refer to (see :func:`atlas_ids`); None checks the form only.
    sources_dir
        The folder of the reports: each locator must be found in its report, and no
        caption may copy more than 12 words in a row from one.
    """
    path = Path(path)
    try:
        document, found = _read(path)
        if document is not None:
            found += _form_problems(document)
            if atlas_ids is not None:
                found += _reference_problems(document, atlas_ids, sources_dir)
    except Exception as error:  # noqa: BLE001 - a story check reports, it does not crash the caller
        found = [(1, f"could not be checked ({error.__class__.__name__}: {error})")]
    return _messages(path, found)
