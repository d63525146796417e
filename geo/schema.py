"""Schema of the curated data in ``geo/data/``.

One pydantic model per table. pydantic rather than pandera because the
curated records are nested (an event cites several sources, each with a
locator; a group has leaders by period) and are authored as YAML: pydantic
validates that shape as written, with readable messages, before anything is
flattened into a GeoDataFrame. Cross-table rules (references, locators found
in the reports, coordinates inside the area) live in :mod:`geo.validate`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "EVENT_TYPES",
    "PARTICIPANT_ROLES",
    "COUNTED_ROLES",
    "PLACE_KINDS",
    "GROUP_KINDS",
    "DATE_PRECISIONS",
    "Citation",
    "Source",
    "Place",
    "Period",
    "Leader",
    "GroupRelation",
    "Group",
    "Affiliation",
    "Person",
    "Hostages",
    "Money",
    "Event",
    "ClaimValue",
    "Disagreement",
]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_LOCATOR_WORDS = 12

# Event types a user filters on; the label is what the app and legend show.
EVENT_TYPES: dict[str, str] = {
    "kidnapping": "Kidnapping",
    "release": "Hostage release",
    "ransom": "Ransom demand or payment",
    "negotiation": "Negotiation or mediation",
    "attack": "Attack or bombing",
    "raid": "Military raid or intervention",
    "killing": "Killing or execution",
    "arrest": "Arrest, capture or extradition",
    "meeting": "Meeting",
    "letter": "Letter or statement",
    "decision": "Ruling, order or appointment",
    "founding": "Founding, split or merger",
    "movement": "Movement of fighters or camps",
    "arms": "Arms deal or procurement",
    "trafficking": "Smuggling, trafficking or taxation",
    "warning": "Warning",
    "alliance": "Alliance or collusion",
    "occupation": "Occupation or loss of territory",
    # The reports record no protest; imported data (ACLED) does.
    "protest": "Protest or riot",
}

PLACE_KINDS = (
    "city",
    "town",
    "site",
    "mountain",
    "region",
    "physical-region",
    "historical-region",
    "country",
)

GROUP_KINDS = (
    "organisation",  # an armed group in its own right (GSPC, AQIM, MUJAO, ...)
    "emirate",  # a territorial command inside an organisation
    "brigade",  # katiba: a unit inside an organisation or emirate
    "cell",  # platoon, network or other small unit
    "proposed",  # an entity planned in the letters but never realised
    "movement",  # rebel or political movement (MDJT, ...)
    "state-force",  # national armies, police, special forces, UN/ECOWAS forces
    "government",  # governments and their officials as a body
    "community",  # tribes and peoples (Tuareg, Barabich)
    "online",  # online jihadist networks
)

DATE_PRECISIONS = ("day", "month", "season", "year", "approximate")

# The part a group or person played in an event, as the reports tell it.
PARTICIPANT_ROLES: dict[str, str] = {
    "actor": "actor",  # carried it out
    "target": "target or victim",
    "mediator": "mediator or negotiator",
    "response": "state response",  # arrested, raided, paid, expelled
    "named": "named only",  # mentioned, a namesake, aimed at: no part in it
}
# The roles a filter by group or person counts unless asked to include the merely named.
COUNTED_ROLES = ("actor", "target", "mediator", "response")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Citation(_Record):
    """A passage of one report: its file name and a verbatim locator phrase."""

    source: str
    locator: str = Field(min_length=3)

    @field_validator("locator")
    @classmethod
    def _short_phrase(cls, locator: str) -> str:
        words = len(locator.split())
        if words > MAX_LOCATOR_WORDS:
            raise ValueError(f"locator should be at most {MAX_LOCATOR_WORDS} words, got {words}")
        return locator


class Source(_Record):
    """One of the reports the project is built from."""

    id: str  # the report's file name, e.g. 000_c1da32ba611ce9d2.txt
    title: str
    author: str | None = None
    outlet: str | None = None
    published: dt.date
    published_precision: Literal["day", "month", "year", "approximate"]
    published_basis: str  # how the date was established
    kind: Literal["news report", "analysis", "background"]
    place: str | None = None  # dateline, a place id
    summary: str


class Place(_Record):
    """A locatable place: a town, a site, a region or a country."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    aliases: list[str] = []
    kind: Literal[PLACE_KINDS]  # type: ignore[valid-type]
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")  # ISO 3166 alpha-2
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    precision: Literal["exact", "approximate", "centroid"]
    coord_source: str  # "geonames:<id>" or the named source of the point
    geonames_id: int | None = None
    outside_area: bool = False  # outside the operating area box on purpose
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None


class Period(_Record):
    """A span of time given as ISO dates (either end may be open)."""

    start: dt.date | None = None
    end: dt.date | None = None
    precision: Literal[DATE_PRECISIONS] = "year"  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


class Leader(_Record):
    person: str
    role: str
    period: Period = Period()
    sources: list[Citation] = Field(min_length=1)


class GroupRelation(_Record):
    """How one group came from or went into another."""

    kind: Literal[
        "renamed-from", "split-from", "merged-into", "formed-from", "subordinate-to", "allied-with", "rival-of"
    ]
    group: str
    date: dt.date | None = None
    precision: Literal[DATE_PRECISIONS] = "year"  # type: ignore[valid-type]
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None


class Group(_Record):
    """An armed group, organisation, unit, force or community the reports name."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    short_name: str | None = None
    aliases: list[str] = []
    kind: Literal[GROUP_KINDS]  # type: ignore[valid-type]
    parent: str | None = None  # the group it is a unit of (brigade -> emirate -> organisation)
    active: Period = Period()
    relations: list[GroupRelation] = []
    leaders: list[Leader] = []
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None


class Affiliation(_Record):
    group: str
    role: str
    period: Period = Period()
    sources: list[Citation] = Field(min_length=1)


class Person(_Record):
    """A person named in the reports, or an unnamed one identified by role."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    aliases: list[str] = []
    named: bool = True  # False for people the reports identify only by role
    roles: list[str] = []  # e.g. leader, hostage, mediator, official, informant, author
    nationality: list[str] = []  # ISO 3166 alpha-2
    affiliations: list[Affiliation] = []
    fate: str | None = None
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None


class Hostages(_Record):
    count: int | None = Field(default=None, ge=0)
    nationalities: list[str] = []  # ISO 3166 alpha-2
    note: str | None = None


class Money(_Record):
    amount: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")  # ISO 4217
    status: Literal["demanded", "paid", "reported", "price"]
    note: str | None = None


class Event(_Record):
    """A dated happening: the unit of the map, the timeline and the table."""

    id: str = Field(pattern=ID_PATTERN)
    # Ids the event had before (e.g. a date corrected in its id): links and stories using them still open it.
    former_ids: list[Annotated[str, Field(pattern=ID_PATTERN)]] = []
    date_start: dt.date
    date_end: dt.date
    date_precision: Literal[DATE_PRECISIONS]  # type: ignore[valid-type]
    type: Literal[tuple(EVENT_TYPES)]  # type: ignore[valid-type]
    title: str = Field(max_length=120)
    summary: str
    places: list[str] = Field(min_length=1)  # the first is where the map draws it
    route: list[str] = []  # ordered place ids for movements (hostage transfers, ...)
    groups: list[str] = []
    people: list[str] = []
    hostages: Hostages | None = None
    money: list[Money] = []
    roles: dict[str, Literal[tuple(PARTICIPANT_ROLES)]] = {}  # type: ignore[valid-type]  # participant id -> role
    no_actor: str | None = None  # why the event has no actor among its participants
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Event":
        if self.date_end < self.date_start:
            raise ValueError(f"date_end ({self.date_end}) is before date_start ({self.date_start})")
        return self

    @model_validator(mode="after")
    def _every_participant_has_a_role(self) -> "Event":
        participants = [*self.groups, *self.people]
        missing = [p for p in participants if p not in self.roles]
        if missing:
            raise ValueError(f"roles: no role for {', '.join(missing)}")
        extra = [p for p in self.roles if p not in participants]
        if extra:
            raise ValueError(f"roles: {', '.join(extra)} not among the event's groups or people")
        if "actor" not in self.roles.values() and not self.no_actor:
            raise ValueError("no actor among the participants: say why in no_actor")
        return self


class ClaimValue(_Record):
    value: str
    sources: list[Citation] = Field(min_length=1)


class Disagreement(_Record):
    """Where reports disagree, or one is plainly wrong: every claim is kept."""

    id: str = Field(pattern=ID_PATTERN)
    subject: str  # what is disputed, in words ("tourists taken in 2003")
    event: str | None = None  # the event it bears on
    field: str  # e.g. hostages.count, money, date_start, name
    claims: list[ClaimValue] = Field(min_length=1)
    # disagreement: reports differ; error: a report is plainly wrong (with correction and basis);
    # interpretation: one report's reading is plausible but not the only one (kept, not corrected).
    kind: Literal["disagreement", "error", "interpretation"]
    shown: str  # the value the project shows by default
    reason: str  # why that value is shown
    correction: str | None = None  # for kind=error: what is right
    correction_basis: str | None = None

    @model_validator(mode="after")
    def _error_has_correction(self) -> "Disagreement":
        if self.kind == "error" and not (self.correction and self.correction_basis):
            raise ValueError("an 'error' needs a correction and its basis")
        if self.kind == "disagreement" and len(self.claims) < 2:
            raise ValueError("a 'disagreement' needs at least two claims")
        return self
