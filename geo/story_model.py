"""A story's form: its steps, views and highlights as pydantic models, the atlas ids a story may
name, and the limits a story keeps (see :mod:`geo.stories`, which reads and checks story files)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from geo.schema import EVENT_TYPES, ID_PATTERN, Citation

# These mirror the dashboard's layer choices, default layers, year slider and search limit
# (ui/state.py, app.py); geo cannot import ui, and a test keeps them equal.
STORY_LAYERS = ("events", "places", "towns", "routes", "boundaries", "regions")
DEFAULT_STORY_LAYERS = ("events", "places", "towns", "boundaries")
COVERED_YEARS = (2003, 2013)
SEARCH_TEXT_LIMIT = 200
# The kinds of place the towns layer draws whatever the filters (mirrors layers/towns.py).
TOWN_KINDS = ("city", "town", "site", "mountain")

STEP_COUNT = (6, 15)
CAPTION_SENTENCES = (2, 4)
SUMMARY_SENTENCES = (1, 2)

# Link parameters a story may not carry, and what to write instead.
_NOT_IN_A_STORY = {
    "basemap": "a story always uses the offline map; remove 'basemap'",
    "lat": "a story sets its map extent with the step's bbox",
    "lon": "a story sets its map extent with the step's bbox",
    "zoom": "a story sets its map extent with the step's bbox",
    "select": "a story marks features with the step's highlight",
}
# A full stop after these does not end a sentence ("the No. 2 of the Sahelian branch").
_ABBREVIATION = re.compile(r"\b(?:No|Mr|Dr|St|e\.g|i\.e|c)$")
_SENTENCE_END = re.compile(r"[.!?][”’\"')]*\s+(?=[“‘\"'(]?[A-Z])")


def _sentences(text: str) -> int:
    text = text.strip()
    ends = [m for m in _SENTENCE_END.finditer(text) if not _ABBREVIATION.search(text[: m.start()])]
    return len(ends) + 1 if text else 0


def _sentence_count(text: str, bounds: tuple[int, int], what: str) -> str:
    count, (low, high) = _sentences(text), bounds
    if not low <= count <= high:
        raise ValueError(f"{what} should be {low} to {high} sentences, got {count}")
    return text


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class StoryView(_Record):
    """The dashboard's filters and layers for one step, named as in a shared link."""

    year_from: StrictInt | None = Field(default=None, alias="from")
    year_to: StrictInt | None = Field(default=None, alias="to")
    group: list[str] = []
    type: list[Literal[tuple(EVENT_TYPES)]] = []  # type: ignore[valid-type]
    person: list[str] = []
    source: list[str] = []
    country: list[str] = []  # country names, as the events' 'country' column writes them
    q: str = Field(default="", max_length=SEARCH_TEXT_LIMIT)
    related: StrictInt = 1  # with group: also its brigades and successors
    named: StrictInt = 0  # also events where the groups or people are only named
    layers: list[Literal[STORY_LAYERS]] = list(DEFAULT_STORY_LAYERS)  # type: ignore[valid-type]
    boundaries: StrictInt | None = None  # the year whose boundaries are drawn; default: 'to'

    @field_validator("group", "type", "person", "source", "country", "layers", mode="before")
    @classmethod
    def _comma_list(cls, value):
        # A link writes a list as 'aqim,mujao'; a story may too.
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @field_validator("related", "named")
    @classmethod
    def _flag(cls, value: int) -> int:
        if value not in (0, 1):
            raise ValueError(f"use 1 or 0, got {value!r}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> StoryView:
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError(f"'from' {self.year_from} is after 'to' {self.year_to}")
        return self

    def link_query(self) -> dict[str, str]:
        """The view as the dashboard's link parameters (``ui.state.parse_query`` reads them)."""
        query = {
            "from": self.year_from,
            "to": self.year_to,
            "group": ",".join(self.group),
            "type": ",".join(self.type),
            "person": ",".join(self.person),
            "source": ",".join(self.source),
            "country": ",".join(self.country),
            "q": self.q,
            "related": str(self.related),
            "named": str(self.named),
            "layers": ",".join(self.layers),
            "boundaries": self.boundaries,
        }
        return {key: str(value) for key, value in query.items() if value not in (None, "")}


class Highlight(_Record):
    """Ids the step points at: places (places.yaml), events (events.yaml), boundaries (boundaries.yaml)."""

    places: list[str] = []
    events: list[str] = []
    boundaries: list[str] = []

    @field_validator("events")
    @classmethod
    def _current_ids(cls, events: list[str]) -> list[str]:
        from geo.catalog import event_aliases  # an event's former id (events.yaml former_ids) opens it still

        aliases = event_aliases()
        return [aliases.get(event, event) for event in events]


class Step(_Record):
    """One map view of a story, with its caption and the report passages behind it."""

    heading: str = Field(min_length=1, max_length=100)
    caption: str
    view: StoryView
    bbox: tuple[float, float, float, float]  # west, south, east, north, in degrees
    highlight: Highlight = Highlight()
    citations: list[Citation] = Field(min_length=1)

    @field_validator("caption")
    @classmethod
    def _caption_length(cls, caption: str) -> str:
        return _sentence_count(caption, CAPTION_SENTENCES, "a caption")

    @field_validator("bbox")
    @classmethod
    def _extent(cls, bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        west, south, east, north = bbox
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
            raise ValueError(f"{list(bbox)} is outside the globe; expected [west, south, east, north] in degrees")
        if west >= east or south >= north:
            raise ValueError(
                f"{list(bbox)}: west should be less than east and south less than north; "
                "expected [west, south, east, north]"
            )
        return bbox


class Story(_Record):
    """A story file: what it is called, who made it, and its steps."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1, max_length=120)
    byline: str = Field(min_length=1)  # author and date, e.g. "Sahel Atlas, 2026"
    summary: str
    steps: list[Step] = Field(min_length=STEP_COUNT[0], max_length=STEP_COUNT[1])

    @field_validator("summary")
    @classmethod
    def _summary_length(cls, summary: str) -> str:
        return _sentence_count(summary, SUMMARY_SENTENCES, "a summary")


class StoryError(ValueError):
    """A story file that cannot be used; ``problems`` lists every 'file:line: problem'."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class AtlasIds:
    """What a story may refer to: the curated data's ids and years.

    ``atlas`` and ``boundary_table`` are optional: given, each highlight is also checked
    to be drawn by its step's view and to lie inside its bbox.
    """

    places: frozenset[str]
    events: frozenset[str]
    boundaries: frozenset[str]
    groups: frozenset[str]
    people: frozenset[str]
    sources: frozenset[str]
    first_year: int = COVERED_YEARS[0]
    last_year: int = COVERED_YEARS[1]
    atlas: object | None = None  # geo.catalog.Atlas
    boundary_table: object | None = None  # geo.boundaries.load_boundaries()


def atlas_ids(data_dir: Path | str | None = None) -> AtlasIds:
    """The ids and years of the curated data in ``data_dir`` (default: the bundled data)."""
    from geo.boundaries import load_boundaries
    from geo.catalog import DATA_DIR, load_atlas

    data_dir = Path(data_dir or DATA_DIR)
    boundary_file = data_dir / "boundaries.yaml"
    return ids_of(load_atlas(data_dir), load_boundaries(boundary_file) if boundary_file.exists() else None)


def ids_of(atlas, boundary_table=None) -> AtlasIds:
    """What a story may refer to in ``atlas`` (a ``geo.catalog.Atlas``) and its boundary table."""
    last = int(atlas.events["year_end"].max()) if len(atlas.events) else COVERED_YEARS[1]
    return AtlasIds(
        places=frozenset(atlas.places["id"]),
        events=frozenset(atlas.events["id"]),
        boundaries=frozenset(boundary_table["id"] if boundary_table is not None else ()),
        groups=frozenset(atlas.groups["id"]),
        people=frozenset(atlas.people["id"]),
        sources=frozenset(atlas.sources["id"]),
        first_year=COVERED_YEARS[0],
        last_year=max(COVERED_YEARS[1], last),
        atlas=atlas,
        boundary_table=boundary_table,
    )


# --- Reading a file, with the line of every node -------------------------------------------

_STORY_KEYS = "id, title, byline, summary and steps"
