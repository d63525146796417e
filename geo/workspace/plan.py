"""The dashboard's queries on imported events: an :class:`geo.filters.EventFilter` as a
:class:`FilterPlan` both stores apply, and :class:`PreparedEvents`, the columns the GeoPackage
store answers each rerun's filter from.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import pandas as pd

from geo.workspace.base import object_array

__all__ = [
    "SHOWN_COLUMNS",
    "PREPARED_JSON",
    "PREPARED_TEXT",
    "FilterPlan",
    "filter_plan",
    "search_texts",
    "empty_shown",
    "PreparedEvents",
    "empty_prepared_frame",
]

# What the map, the table's first columns and the counts need of each imported event.
SHOWN_COLUMNS = (
    "id",
    "dataset",
    "type",
    "x",
    "y",
    "date_start",
    "date_end",
    "year_start",
    "year_end",
    "title",
    "place_name",
    "country",
    "groups",
    "roles",
    "leading_groups",
)
# Distinct (filter, datasets) answers kept per store version: Play steps through a dozen years.
_ANSWERS_KEPT = 24


@dataclass(frozen=True)
class FilterPlan:
    """An :class:`geo.filters.EventFilter` as both stores apply it to imported events: the groups
    already expanded (as ``events_matching`` does for ``include_related``), the text normalised.
    ``None`` or empty means no restriction, except ``nothing``: no imported event can pass."""

    year_from: int | None
    year_to: int | None
    groups: frozenset | None
    people: frozenset | None
    roles: frozenset  # the parts that count for a group or person
    types: tuple | None
    countries: tuple | None
    needles: tuple | None  # the search text and, when it names a curated place, the place's other names
    nothing: bool  # a source filter: imported events are never cited to the reports

    @property
    def key(self) -> tuple:
        return dataclasses.astuple(self)


def filter_plan(event_filter, groups=None) -> FilterPlan:
    """The filter as :func:`geo.filters.events_matching` applies it (same expansion, same text form)."""
    from geo.filters import search_needles

    wanted_groups = event_filter.expanded_groups(groups) if event_filter.groups else None
    text = event_filter.text
    return FilterPlan(
        year_from=None if event_filter.year_from is None else int(event_filter.year_from),
        year_to=None if event_filter.year_to is None else int(event_filter.year_to),
        groups=frozenset(wanted_groups) if wanted_groups is not None else None,
        people=frozenset(event_filter.people) if event_filter.people else None,
        roles=frozenset(event_filter.counted_roles()),
        types=tuple(sorted(set(event_filter.types))) if event_filter.types else None,
        countries=tuple(sorted(set(event_filter.countries))) if event_filter.countries else None,
        needles=search_needles(text) if text.strip() else None,
        # Imported events' source_ids are always empty (finish_events): a source filter keeps none.
        nothing=bool(event_filter.sources),
    )


def search_texts(frame: pd.DataFrame) -> pd.Series:
    """What the text filter searches, normalised as :meth:`EventFilter.mask` does it."""
    from geo.filters import normalised_text

    haystack = frame["title"].fillna("") + " " + frame["summary"].fillna("") + " " + frame["place_name"].fillna("")
    haystack = haystack + " " + frame["actors"].map(lambda names: " ".join(names or ()))
    return haystack.map(normalised_text)


def empty_shown() -> pd.DataFrame:
    """No events, in :data:`SHOWN_COLUMNS` with their dtypes: the answer when nothing passes."""
    columns = {column: pd.Series([], dtype=object) for column in SHOWN_COLUMNS}
    for column in ("x", "y"):
        columns[column] = pd.Series([], dtype=float)
    for column in ("year_start", "year_end"):
        columns[column] = pd.Series([], dtype="Int64")
    return pd.DataFrame(columns)


class _Members:
    """(event, member, role) triples of one list column (groups or people), as integer codes, so a
    group or person filter is two ``isin`` over arrays instead of a loop over rows."""

    def __init__(self, members: list, roles: list):
        import numpy as np

        events, names, parts = [], [], []
        for position, (ids, event_roles) in enumerate(zip(members, roles)):
            if not ids:
                continue
            event_roles = event_roles if isinstance(event_roles, dict) else {}
            for member in ids:
                events.append(position)
                names.append(member)
                parts.append(event_roles.get(member))
        self.events = np.asarray(events, dtype=np.int64)
        codes, uniques = pd.factorize(pd.Series(names, dtype=object), use_na_sentinel=True)
        self.members, self.member_codes = codes, {value: code for code, value in enumerate(uniques)}
        codes, uniques = pd.factorize(pd.Series(parts, dtype=object), use_na_sentinel=True)
        self.roles, self.role_codes = codes, {value: code for code, value in enumerate(uniques)}

    def mask(self, count: int, wanted: frozenset, roles: frozenset):
        import numpy as np

        member_codes = [self.member_codes[m] for m in wanted if m in self.member_codes]
        role_codes = [self.role_codes[r] for r in roles if r in self.role_codes]
        keep = np.zeros(count, dtype=bool)
        if member_codes and role_codes:
            hits = np.isin(self.members, member_codes) & np.isin(self.roles, role_codes)
            keep[self.events[hits]] = True
        return keep


class _Codes:
    """A text column as integer codes: an ``isin`` over integers instead of strings."""

    def __init__(self, column: pd.Series):
        codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
        self.codes = codes
        self.values = list(uniques)
        self.lookup = {value: code for code, value in enumerate(self.values)}

    def mask(self, wanted):
        import numpy as np

        return np.isin(self.codes, [self.lookup[value] for value in wanted if value in self.lookup])


class _Search:
    """The search texts joined into one string: a text filter is one ``str.find`` a matching event
    (jumping to the next event after each hit) instead of a ``contains`` over every row."""

    _SEPARATOR = "\x00"

    def __init__(self, texts: pd.Series):
        import numpy as np

        values = [str(text) for text in texts]
        self.texts = values
        self.joined = self._SEPARATOR.join(values)
        lengths = np.fromiter((len(value) + 1 for value in values), dtype=np.int64, count=len(values))
        self.starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64).tolist() if len(values) else []
        self.found: dict[str, object] = {}

    def mask(self, needle: str):
        import bisect

        import numpy as np

        if needle in self.found:
            return self.found[needle]
        keep = np.zeros(len(self.texts), dtype=bool)
        if self._SEPARATOR in needle:  # cannot span two events: look row by row
            keep[:] = [needle in text for text in self.texts]
        else:
            starts, find = self.starts, self.joined.find
            position = find(needle)
            while position >= 0:
                row = bisect.bisect_right(starts, position) - 1
                keep[row] = True
                if row + 1 >= len(starts):
                    break
                position = find(needle, starts[row + 1])
        if len(self.found) >= 8:
            self.found.pop(next(iter(self.found)))
        self.found[needle] = keep
        return keep


class PreparedEvents:
    """The imported events of one store version as columns, read once: every rerun's filter is a
    few vectorised masks over them. Rows are in the order ``Workspace.events()`` gives. The
    GeoPackage store answers from it; the PostGIS store asks its database instead."""

    def __init__(self, frame: pd.DataFrame, dataset_names: list[str], places: list[tuple] | None = None):
        import numpy as np

        from geo.catalog import leading_groups

        # frame: id, dataset, type, x, y, date_start, date_end, title, summary, place_name, country, groups,
        # people, roles, actors (lists and dicts decoded), in events() order.
        self.count = len(frame)
        self.dataset_names = list(dataset_names)
        self.dataset_codes = pd.Categorical(frame["dataset"], categories=self.dataset_names).codes.astype(np.int64)
        self.year_start = pd.to_numeric(frame["date_start"].str[:4], errors="coerce").to_numpy(dtype=float)
        self.year_end = pd.to_numeric(frame["date_end"].str[:4], errors="coerce").to_numpy(dtype=float)
        self.types = _Codes(frame["type"])
        self.countries = _Codes(frame["country"])
        self.x = frame["x"].to_numpy(dtype=float)
        self.y = frame["y"].to_numpy(dtype=float)
        self.search = _Search(search_texts(frame))
        self.groups = _Members(list(frame["groups"]), list(frame["roles"]))
        self.people = _Members(list(frame["people"]), list(frame["roles"]))
        self.places = places  # (layer, fid) of each row, for events_by_id on the GeoPackage
        shown = pd.DataFrame(
            {
                column: frame[column]
                for column in SHOWN_COLUMNS
                if column not in ("year_start", "year_end", "leading_groups")
            }
        )
        for column in ("id", "dataset", "type", "date_start", "date_end", "title", "place_name", "country"):
            shown[column] = shown[column].astype("str")  # as the events frame has them
        shown["year_start"] = pd.array(pd.Series(self.year_start).round(), dtype="Int64")
        shown["year_end"] = pd.array(pd.Series(self.year_end).round(), dtype="Int64")
        leading = [
            leading_groups(g or [], r if isinstance(r, dict) else {}) for g, r in zip(frame["groups"], frame["roles"])
        ]
        shown["leading_groups"] = object_array(leading)
        self.shown = shown[list(SHOWN_COLUMNS)]  # converted once: a rerun only takes rows
        self.ids = frame["id"].to_numpy(dtype=object)
        self.date_starts = frame["date_start"].to_numpy(dtype=object)
        self.answers: dict = {}

    def mask(self, plan: FilterPlan, datasets, bbox=None):
        import numpy as np

        codes = [self.dataset_names.index(name) for name in dict.fromkeys(datasets) if name in self.dataset_names]
        if plan.nothing or not codes or not self.count:
            return np.zeros(self.count, dtype=bool), codes
        keep = np.isin(self.dataset_codes, codes)
        if plan.year_from is not None:
            keep &= self.year_end >= plan.year_from
        if plan.year_to is not None:
            keep &= self.year_start <= plan.year_to
        if plan.groups is not None:
            keep &= self.groups.mask(self.count, plan.groups, plan.roles)
        if plan.types is not None:
            keep &= self.types.mask(plan.types)
        if plan.people is not None:
            keep &= self.people.mask(self.count, plan.people, plan.roles)
        if plan.countries is not None:
            keep &= self.countries.mask(plan.countries)
        if bbox is not None:
            west, south, east, north = (float(value) for value in bbox)
            keep &= (self.x >= west) & (self.x <= east) & (self.y >= south) & (self.y <= north)
        if plan.needles is not None and keep.any():
            found = self.search.mask(plan.needles[0])
            for needle in plan.needles[1:]:
                found = found | self.search.mask(needle)
            keep &= found
        return keep, codes

    def answer(self, plan: FilterPlan, datasets, bbox=None) -> pd.DataFrame:
        import numpy as np

        key = (plan.key, tuple(dict.fromkeys(datasets)), None if bbox is None else tuple(map(float, bbox)))
        if key in self.answers:
            return self.answers[key]
        keep, codes = self.mask(plan, datasets, bbox)
        rows = np.flatnonzero(keep)
        if len(codes) > 1 and list(codes) != sorted(codes) and len(rows):
            # Rows tie on (date_start, id) only across datasets; events(datasets) breaks such ties in
            # the order the datasets were asked for.
            order = pd.DataFrame(
                {
                    "date_start": self.date_starts[rows],
                    "id": self.ids[rows],
                    "rank": [codes.index(code) for code in self.dataset_codes[rows]],
                }
            )
            order = order.sort_values(["date_start", "id", "rank"], kind="stable")
            rows = rows[order.index.to_numpy()]
        answer = self.shown.take(rows).reset_index(drop=True)
        while len(self.answers) >= _ANSWERS_KEPT:
            self.answers.pop(next(iter(self.answers)))
        self.answers[key] = answer
        return answer

    def overview(self) -> dict:
        import numpy as np

        years = self.year_end[~np.isnan(self.year_end)]
        return {
            "last_year": int(years.max()) if len(years) else None,
            "countries": frozenset(str(c) for c in self.countries.values if isinstance(c, str) and c),
            "events": int(self.count),
        }


# The columns a store reads for PreparedEvents, besides dataset, x and y: lists and dicts decoded, and text.
PREPARED_JSON = ("groups", "people", "roles", "actors")
PREPARED_TEXT = ("id", "type", "date_start", "date_end", "title", "summary", "place_name", "country")


@functools.lru_cache(maxsize=1)
def no_prepared_events() -> PreparedEvents:
    """No events, prepared once: a workspace not yet written is asked on every run."""
    return PreparedEvents(empty_prepared_frame(), [])


def empty_prepared_frame() -> pd.DataFrame:
    """No events, in the columns :class:`PreparedEvents` is made from."""
    frame = pd.DataFrame({column: pd.Series([], dtype=object) for column in PREPARED_TEXT + PREPARED_JSON})
    frame["dataset"] = pd.Series([], dtype=object)
    frame["x"] = pd.Series([], dtype=float)
    frame["y"] = pd.Series([], dtype=float)
    return frame
