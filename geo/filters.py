"""Event filters: one implementation for the map, the table, the charts and the CLI.

Each filter knows its machine form (:meth:`EventFilter.mask`) and its human
form (:meth:`EventFilter.describe`), so the app's caption and the CLI's
messages say the same thing the data does.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

import pandas as pd

from geo.schema import COUNTED_ROLES, EVENT_TYPES, PARTICIPANT_ROLES

__all__ = [
    "EventFilter",
    "UnknownName",
    "normalised_text",
    "search_needles",
    "resolve_names",
    "related_groups",
    "events_matching",
    "with_earlier_background",
    "summary_line",
    "disagreements_about",
]

# Relations that make the other group a successor or offshoot of this one.
_SUCCESSOR_RELATIONS = {"renamed-from", "split-from", "formed-from"}


class UnknownName(ValueError):
    """A group, person or type name that matches nothing in the data."""


def normalised_text(text: str) -> str:
    """Text as the filters compare it: case-folded, accents dropped ('Ménaka' is 'menaka'), curly
    apostrophes made straight, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold().replace("’", "'"))
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


_SPELLINGS: dict[int, dict[str, tuple[str, ...]]] = {}  # id of the places table -> spelling -> all its place's


def search_needles(text: str) -> tuple[str, ...]:
    """What a search for ``text`` looks for: the text, normalised; and when it names a curated place
    ('Tombouctou', 'In Aménas'), every other name and spelling of that place too."""
    needle = normalised_text(text)
    if not needle:
        return ()
    return tuple(dict.fromkeys((needle, *_place_spellings().get(needle, ()))))


def _place_spellings() -> dict[str, tuple[str, ...]]:
    from geo.catalog import load_atlas

    places = load_atlas().places
    if id(places) not in _SPELLINGS:
        spellings: dict[str, tuple[str, ...]] = {}
        for row in places.itertuples(index=False):
            names = [row.name, *(getattr(row, "aliases", None) or [])]
            names = tuple(dict.fromkeys(normalised_text(name) for name in names if isinstance(name, str)))
            for name in names:
                spellings[name] = tuple(dict.fromkeys((*spellings.get(name, ()), *names)))
        _SPELLINGS.clear()
        _SPELLINGS[id(places)] = spellings
    return _SPELLINGS[id(places)]


def resolve_names(names, table: pd.DataFrame, what: str) -> tuple[str, ...]:
    """Turn user-typed names into ids, matching id, name, short name or any alias.

    Raises :class:`UnknownName` listing every name that matched nothing.
    """
    lookup: dict[str, str] = {}
    for row in table.itertuples(index=False):
        spellings = [row.id, *(getattr(row, "aliases", None) or [])]
        spellings += [getattr(row, column, None) for column in ("name", "short_name", "title")]
        spellings = [spelling for spelling in spellings if isinstance(spelling, str)]
        for spelling in spellings:
            lookup.setdefault(normalised_text(spelling), row.id)
    ids, unknown = [], []
    for name in names:
        match = lookup.get(normalised_text(name))
        (ids if match else unknown).append(match or name)
    if unknown:
        raise UnknownName(f"unknown {what}: {', '.join(repr(n) for n in unknown)}")
    return tuple(dict.fromkeys(ids))


def related_groups(group_ids, groups: pd.DataFrame) -> set[str]:
    """The groups plus their units (brigades, emirates, ...) and successors, transitively."""
    children: dict[str, set[str]] = {}
    for row in groups.itertuples(index=False):
        if isinstance(row.parent, str):
            children.setdefault(row.parent, set()).add(row.id)
        for relation in row.relations or []:
            if relation.get("kind") in _SUCCESSOR_RELATIONS:
                children.setdefault(relation["group"], set()).add(row.id)
            elif relation.get("kind") == "merged-into":
                children.setdefault(row.id, set()).add(relation["group"])
    found, frontier = set(group_ids), list(group_ids)
    while frontier:
        for child in children.get(frontier.pop(), ()):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


@dataclass(frozen=True)
class EventFilter:
    """What the user asked to see. Empty fields mean 'no restriction'."""

    year_from: int | None = None
    year_to: int | None = None
    groups: tuple[str, ...] = ()  # group ids
    include_related: bool = False  # also the groups' brigades and successors
    types: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # person ids
    sources: tuple[str, ...] = ()  # report ids
    text: str = ""
    countries: tuple[str, ...] = ()  # country names, as the events' 'country' column writes them
    # Which parts a group or person must have played: by default any but 'named'.
    include_named: bool = False  # also events where they are only named
    roles: tuple[str, ...] = ()  # exactly these roles (overrides the two above)
    _expanded_groups: frozenset = field(default=frozenset(), compare=False, repr=False)

    def with_groups_expanded(self, groups: pd.DataFrame) -> "EventFilter":
        """Resolve 'brigades and successors' against the group table once."""
        expanded = related_groups(self.groups, groups) if self.include_related else set(self.groups)
        return replace(self, _expanded_groups=frozenset(expanded))

    def expanded_groups(self, groups: pd.DataFrame | None = None) -> frozenset[str]:
        """The group ids an event may have a part in to pass: the chosen groups, with their brigades and
        successors when ``include_related`` and the group table is given here or was given to
        :meth:`with_groups_expanded`."""
        if groups is not None and self.include_related:
            return frozenset(related_groups(self.groups, groups))
        return self._expanded_groups or frozenset(self.groups)

    def counted_roles(self) -> frozenset[str]:
        """The roles that make an event match a group or person filter."""
        if self.roles:
            return frozenset(self.roles)
        return frozenset(COUNTED_ROLES + (("named",) if self.include_named else ()))

    def mask(self, events: pd.DataFrame) -> pd.Series:
        """Boolean Series over ``events``: True where the event passes every filter."""
        keep = pd.Series(True, index=events.index)
        if self.year_from is not None:
            keep &= events["year_end"] >= self.year_from
        if self.year_to is not None:
            keep &= events["year_start"] <= self.year_to
        if self.groups:
            keep &= _taking_part(events, "groups", self.expanded_groups(), self.counted_roles())
        if self.types:
            keep &= events["type"].isin(self.types)
        if self.people:
            keep &= _taking_part(events, "people", frozenset(self.people), self.counted_roles())
        if self.sources:
            wanted_sources = set(self.sources)
            keep &= events["source_ids"].map(lambda ids: bool(wanted_sources.intersection(ids)))
        if self.countries:
            keep &= events["country"].isin(self.countries) if "country" in events.columns else False
        if self.text.strip():
            needles = search_needles(self.text)
            haystack = (
                events["title"].fillna("") + " " + events["summary"].fillna("") + " " + events["place_name"].fillna("")
            )
            if "actors" in events.columns:  # imported events: actors the atlas does not know stay findable
                haystack = haystack + " " + events["actors"].map(lambda names: " ".join(names or ()))
            searched = haystack.map(normalised_text)
            found = pd.Series(False, index=events.index)
            for needle in needles:
                found |= searched.str.contains(needle, regex=False)
            keep &= found
        return keep.astype(bool)

    def describe(self, names: dict[str, str] | None = None) -> str:
        """The filter in words, e.g. '2008–2010, AQIM and its brigades, kidnappings'.

        ``names`` maps ids (groups, people, sources) to display names.
        """
        names = names or {}
        parts = []
        low, high = self.year_from, self.year_to
        if low is not None and high is not None:
            parts.append(str(low) if low == high else f"{low}–{high}")
        elif high is not None:
            parts.append(f"up to {high}")
        elif low is not None:
            parts.append(f"from {low}")
        if self.groups:
            group_names = " or ".join(names.get(g, g) for g in self.groups)
            parts.append(f"{group_names} and its brigades and successors" if self.include_related else group_names)
        if self.types:
            parts.append(" or ".join(EVENT_TYPES.get(t, t).lower() for t in self.types))
        if self.people:
            parts.append("involving " + " or ".join(names.get(p, p) for p in self.people))
        if (self.groups or self.people) and self.counted_roles() != frozenset(COUNTED_ROLES):
            if self.roles:
                parts.append("as " + " or ".join(PARTICIPANT_ROLES.get(r, r) for r in self.roles))
            else:
                parts.append("including where only named")
        if self.sources:
            parts.append("reported in " + " or ".join(names.get(s, s) for s in self.sources))
        if self.countries:
            parts.append("in " + " or ".join(self.countries))
        if self.text.strip():
            parts.append(f"matching “{self.text.strip()}”")
        return ", ".join(parts) if parts else "all events"


def _taking_part(events: pd.DataFrame, column: str, wanted: frozenset, roles: frozenset) -> pd.Series:
    """True where one of ``wanted`` is among the event's ``column`` in one of ``roles``."""
    event_roles = events["roles"] if "roles" in events.columns else pd.Series([{}] * len(events), index=events.index)
    return pd.Series(
        [any(p in wanted and parts.get(p) in roles for p in ids) for ids, parts in zip(events[column], event_roles)],
        index=events.index,
        dtype=bool,
    )


def with_earlier_background(event_filter: EventFilter, first_year: int) -> EventFilter:
    """At the first year the atlas covers, what began earlier (the background) shows too."""
    if event_filter.year_from == first_year:
        return replace(event_filter, year_from=None)
    return event_filter


def events_matching(events: pd.DataFrame, event_filter: EventFilter, groups: pd.DataFrame | None = None):
    """The events that pass ``event_filter`` (a new frame; the input is not touched)."""
    if groups is not None and event_filter.include_related:
        event_filter = event_filter.with_groups_expanded(groups)
    return events[event_filter.mask(events)].copy()


def summary_line(events: pd.DataFrame, event_filter: EventFilter, names: dict[str, str] | None = None) -> str:
    """One line for a caption: '34 events, 2008–2010, AQIM and its brigades and successors'."""
    count = len(events)
    noun = "event" if count == 1 else "events"
    described = event_filter.describe(names)
    return f"{count} {noun}" if described == "all events" else f"{count} {noun}, {described}"


def disagreements_about(disagreements: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The disagreements that bear on one of ``events``.

    A disagreement tied to no event (about a name, say) is left out: no filter can
    say whether it belongs to what is shown.
    """
    if disagreements.empty or "event" not in disagreements.columns:
        return disagreements.iloc[0:0]
    return disagreements[disagreements["event"].isin(set(events["id"]))]
