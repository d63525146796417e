"""Story files for the pages: the bundled ones, an uploaded one, each checked before it is shown.

A story is checked the way ``python -m geo story validate`` checks it (form, ids,
what each step draws), except that the reports themselves are not bundled, so
locators are checked by the command line only. An uploaded draft with fewer
steps than a finished story is presented with a warning: a briefer builds a
story one saved view at a time.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
import yaml

from geo.stories import STORIES_DIR, Step, Story, ids_of, list_stories, load_story, story_problems
from geo.story_yaml import read_story_yaml
from layers.common import escape
from view import AtlasContext

__all__ = [
    "CheckedStory",
    "STORIES_VARIABLE",
    "story_folders",
    "bundled_stories",
    "title_of",
    "check_bundled",
    "check_upload",
    "step_html",
    "escape",
    "UPLOAD_LIMIT_BYTES",
    "UPLOAD_LIMIT_MB",
    "UPLOAD_LIMIT_IN_WORDS",
]

# A story of 15 steps is some 20 KB; the uploader refuses more (Streamlit's MB is 1,000,000 bytes).
UPLOAD_LIMIT_MB = 1
UPLOAD_LIMIT_BYTES = UPLOAD_LIMIT_MB * 1_000_000
UPLOAD_LIMIT_IN_WORDS = f"{UPLOAD_LIMIT_MB} MB ({UPLOAD_LIMIT_BYTES:,} bytes)"
# A folder of the user's own stories, shown beside the bundled ones.
STORIES_VARIABLE = "SAHEL_ATLAS_STORIES"
# The one problem a draft may have: too few steps (see geo.stories._form_problems).
_STEP_COUNT = re.compile(r"^steps: (\d+) steps; a story has \d+ to \d+$")


@dataclass(frozen=True)
class CheckedStory:
    story: Story | None
    problems: list[str] = field(default_factory=list)  # each 'file:line: problem'; any one stops the story
    warnings: list[str] = field(default_factory=list)
    source: str = "bundled"  # or "uploaded"


@st.cache_data(show_spinner=False)
def _bundled(folder: str, stamp: tuple) -> dict[str, tuple[str, str]]:
    found = {}
    for path in list_stories(folder):
        try:
            title = load_story(path).title
        except ValueError:
            title = f"{path.stem} (cannot be read)"
        found[path.stem] = (str(path), title)
    return found


def _stamp(folder: Path) -> tuple:
    return tuple((path.name, path.stat().st_mtime_ns) for path in list_stories(folder))


def story_folders() -> list[Path]:
    """The bundled stories' folder, then the user's own (``SAHEL_ATLAS_STORIES``) when it is a folder."""
    folders = [STORIES_DIR]
    own = os.environ.get(STORIES_VARIABLE)
    if own and Path(own).is_dir() and Path(own).resolve() != STORIES_DIR.resolve():
        folders.append(Path(own))
    return folders


def _known() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for folder in story_folders():
        for story_id, entry in _bundled(str(folder), _stamp(folder)).items():
            found.setdefault(story_id, entry)  # a bundled story keeps its id
    return found


def bundled_stories() -> dict[str, str]:
    """Story id -> file, for the stories shipped with the atlas and those in the user's folder."""
    return {story_id: path for story_id, (path, _) in _known().items()}


def title_of(story_id: str) -> str:
    return _known().get(story_id, ("", story_id))[1]


def _draft_story(path: Path) -> Story:
    """A story with fewer steps than a finished one, every other part already checked."""
    data = read_story_yaml(path.read_text(encoding="utf-8"))
    fields = {key: data[key] for key in ("id", "title", "byline", "summary")}
    return Story.model_construct(**fields, steps=[Step.model_validate(step) for step in data["steps"]])


def _check(path: Path, context: AtlasContext, source: str, shown_as: str | None = None) -> CheckedStory:
    problems = story_problems(path, ids_of(context.atlas, context.boundaries))
    if shown_as:  # name the file as the user knows it, not the copy the page checked
        problems = [
            shown_as + problem[problem.index(":", len(str(path)) - 1) :] if problem.startswith(str(path)) else problem
            for problem in problems
        ]
    drafts = [problem for problem in problems if _STEP_COUNT.match(problem.split(": ", 1)[-1])]
    if problems and len(drafts) == len(problems) and source == "uploaded":
        story = _draft_story(path)
        if story.steps:
            return CheckedStory(
                story,
                warnings=[
                    f"A draft of {len(story.steps)} step(s): a finished story has "
                    "6 to 15. Add steps from the dashboard, then write each caption "
                    "and check its sources."
                ],
                source=source,
            )
    if problems:
        return CheckedStory(None, problems=problems, source=source)
    return CheckedStory(load_story(path), source=source)


@st.cache_data(show_spinner=False, max_entries=16)
def _check_bundled(path: str, mtime: int, _context: AtlasContext) -> CheckedStory:
    return _check(Path(path), _context, "bundled")


def check_bundled(story_id: str, context: AtlasContext) -> CheckedStory:
    path = Path(bundled_stories()[story_id])
    return _check_bundled(str(path), path.stat().st_mtime_ns, context)


def check_upload(name: str, content: bytes, context: AtlasContext) -> CheckedStory:
    """Check an uploaded story file; nothing is kept once the check is done."""
    shown_as = Path(name).name[:80] or "story.yaml"
    if len(content) > UPLOAD_LIMIT_BYTES:
        return CheckedStory(
            None,
            problems=[f"{shown_as}: {len(content):,} bytes; a story file is at most {UPLOAD_LIMIT_IN_WORDS}"],
            source="uploaded",
        )
    try:
        data = read_story_yaml(content.decode("utf-8"))  # an alias is refused here, and again by the check
        story_id = data.get("id") if isinstance(data, dict) else None
    except (UnicodeDecodeError, yaml.YAMLError):
        story_id = None
    # The copy is named after the story's id, so a browser's "story (1).yaml" is still the story.
    stem = (
        story_id
        if isinstance(story_id, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,80}", story_id)
        else Path(shown_as).stem or "story"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{stem}.yaml"
        path.write_bytes(content)
        return _check(path, context, "uploaded", shown_as=shown_as)


def step_html(step: Step, names, shown: str = "") -> str:
    """The step's heading, what it shows (``shown``: the filters in words), caption and sources, escaped.

    ``names`` is a ``ui.Names``.
    """
    sources = "".join(
        f"<li>{escape(names.sources.get(c.source, c.source))}: “{escape(c.locator)}”</li>" for c in step.citations
    )
    return (
        f"<div class='atlas-step-heading'>{escape(step.heading)}</div>"
        + (f"<div class='atlas-step-view'>Showing: {escape(shown)}</div>" if shown else "")
        + f"<div class='atlas-step-caption'>{escape(step.caption)}</div>"
        f"<div class='atlas-step-sources'><b>Sources</b><ol>{sources}</ol></div>"
    )
