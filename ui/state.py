"""The dashboard's state, and its round trip through the URL query string.

A shared link restores the filters, the layers, the basemap, the map view
and the selected feature. Parsing never raises: a value that makes no sense
is dropped and reported as a notice the app shows to the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Protocol

from geo.filters import EventFilter

__all__ = [
    "LAYER_CHOICES",
    "DEFAULT_LAYERS",
    "LINK_PARAMETERS",
    "SEARCH_TEXT_LIMIT",
    "Vocabulary",
    "DashboardState",
    "link_view",
    "parse_query",
    "query_to_lists",
    "to_query",
]

LAYER_CHOICES = {
    "events": "Events",
    "places": "Places",
    "towns": "Towns named in the reports",
    "routes": "Routes",
    "boundaries": "Boundaries in force",
    "regions": "Regions named in the reports",
}
# Routes and regions stay off at first: the first view should be readable.
DEFAULT_LAYERS = ("events", "places", "towns", "boundaries")

# The parameters a link may carry. A repeated single-valued one counts with its last value;
# a repeated list one adds its values to the list.
_SINGLE_VALUED = (
    "from",
    "to",
    "related",
    "named",
    "q",
    "basemap",
    "lat",
    "lon",
    "zoom",
    "select",
    "boundaries",
    "dates",
)
_LISTS = ("group", "type", "person", "source", "layers", "country")
LINK_PARAMETERS = _SINGLE_VALUED + _LISTS

SEARCH_TEXT_LIMIT = 200
# A link with thousands of bad ids must not bury the page under one notice.
_NAMES_SHOWN = 5
_NAME_LENGTH_SHOWN = 40


@dataclass(frozen=True)
class Vocabulary:
    """What a URL may refer to: the ids and ranges present in the data."""

    first_year: int
    last_year: int
    groups: frozenset[str]
    types: frozenset[str]
    people: frozenset[str]
    sources: frozenset[str]
    selectable: frozenset[str]  # "event:<id>" / "place:<id>"
    basemaps: tuple[str, ...]
    countries: frozenset[str] = frozenset()  # country names the events (curated and imported) are in
    aliases: tuple[tuple[str, str], ...] = ()  # ("event:<former id>", "event:<id>"): old links still select


@dataclass(frozen=True)
class DashboardState:
    year_from: int
    year_to: int
    groups: tuple[str, ...] = ()
    include_related: bool = True
    include_named: bool = False  # also events where the groups or people are only named
    types: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str = ""
    layers: tuple[str, ...] = DEFAULT_LAYERS
    basemap: str = ""
    view: tuple[float, float, float] | None = None  # lat, lon, zoom
    selected: str | None = None
    boundary_year: int | None = None  # show the boundaries in force that year; None: follow the years shown
    countries: tuple[str, ...] = ()
    # Days within the years ('2019-03-01', '2019-05-31'), for imported data dated to the day: the
    # map's slider in steps finer than a year.
    dates: tuple[str, str] | None = None
    notices: tuple[str, ...] = field(default=(), compare=False)

    def event_filter(self) -> EventFilter:
        return EventFilter(
            year_from=self.year_from,
            year_to=self.year_to,
            groups=self.groups,
            include_related=self.include_related,
            types=self.types,
            people=self.people,
            sources=self.sources,
            text=self.text,
            include_named=self.include_named,
            countries=self.countries,
        )


class _RepeatableQuery(Protocol):
    def keys(self) -> Iterable[str]: ...
    def get_all(self, key: str) -> list[str]: ...


def query_to_lists(query_params: _RepeatableQuery) -> dict[str, list[str]]:
    """Every value of every key, for ``parse_query``.

    ``st.query_params.to_dict()`` keeps only the last value of a repeated key
    (``type=kidnapping&type=release``); pass ``query_to_lists(st.query_params)`` instead.
    """
    return {key: [str(value) for value in query_params.get_all(key)] for key in query_params.keys()}


def _shown(name: str) -> str:
    """``name`` short enough to quote in a notice."""
    if len(name) <= _NAME_LENGTH_SHOWN:
        return name
    return name[: _NAME_LENGTH_SHOWN - 1] + "…"


def _listed(names: list[str]) -> str:
    """'a, b, c, d, e … and 2,995 more'."""
    names = list(dict.fromkeys(names))
    listed = ", ".join(_shown(name) or '""' for name in names[:_NAMES_SHOWN])
    if len(names) > _NAMES_SHOWN:
        listed += f" … and {len(names) - _NAMES_SHOWN:,} more"
    return listed


def _as_lists(params: Mapping) -> dict[str, list[str]]:
    """Each key's values as a list of strings, whether ``params`` gave one value or several."""
    lists: dict[str, list[str]] = {}
    for key, value in params.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        lists[str(key)] = [str(item) for item in values if item is not None]
    return lists


def _one(lists: dict[str, list[str]], key: str, notices: list[str]) -> str | None:
    """The value of a single-valued key; the last one, as Streamlit reads it, if the link repeats it."""
    values = lists.get(key)
    if not values:
        return None
    if len(set(values)) > 1:
        notices.append(
            f"Used '{key}={_shown(values[-1])}', the last of {len(values):,} values for '{key}' in the link."
        )
    return values[-1]


def _ids(
    lists: dict[str, list[str]], key: str, allowed: frozenset[str], label: str, notices: list[str]
) -> tuple[str, ...]:
    wanted = [part.strip() for value in lists.get(key, ()) for part in value.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in allowed]
    if unknown:
        notices.append(f"Ignored unknown {label} in the link: {_listed(unknown)}.")
    return tuple(dict.fromkeys(part for part in wanted if part in allowed))


def _year(raw: str | None, key: str, vocab: Vocabulary, default: int | None, notices: list[str]) -> int | None:
    if raw is None:
        return default
    try:
        year = int(raw)
    except ValueError:  # also for digit strings too long to convert
        notices.append(f"Ignored '{key}={_shown(raw)}': not a year.")
        return default
    if not vocab.first_year <= year <= vocab.last_year:
        notices.append(f"Ignored '{key}={_shown(raw)}': the data covers {vocab.first_year}–{vocab.last_year}.")
        return default
    return year


def _view(raw: list[str | None], notices: list[str]) -> tuple[float, float, float] | None:
    if all(value is None for value in raw):
        return None
    names = ("lat", "lon", "zoom")
    missing = [name for name, value in zip(names, raw) if value is None]
    if missing:
        notices.append(f"Ignored the map view in the link: {_listed(missing)} missing (lat, lon and zoom go together).")
        return None
    try:
        lat, lon, zoom = float(raw[0]), float(raw[1]), float(raw[2])
    except (TypeError, ValueError):
        words = [f"{name}={_shown(value)}" for name, value in zip(names, raw) if not _is_number(value)]
        verb = "is not a number" if len(words) == 1 else "are not numbers"
        notices.append(f"Ignored the map view in the link: {_listed(words)} {verb}.")
        return None
    # NaN fails every comparison, so it is out of range too.
    limits = {"lat": (-90, 90), "lon": (-180, 180), "zoom": (3, 10)}
    outside = [
        f"{name}={_shown(value)} (from {low} to {high})"
        for (name, (low, high)), value, number in zip(limits.items(), raw, (lat, lon, zoom))
        if not low <= number <= high
    ]
    if outside:
        notices.append(f"Ignored the map view in the link: {_listed(outside)} out of range.")
        return None
    return (lat, lon, zoom)


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _dates(raw: str | None, year_from: int, year_to: int, notices: list[str]) -> tuple[str, str] | None:
    """'2019-03-01..2019-05-31': first and last day, in the first and last year of the range."""
    if raw is None:
        return None
    first, _, last = raw.partition("..")
    try:
        start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        notices.append(f"Ignored 'dates={_shown(raw)}': write the first and last day as 2019-03-01..2019-05-31.")
        return None
    if start > end or (start.year, end.year) != (year_from, year_to):
        notices.append(f"Ignored 'dates={_shown(raw)}': the days should run from {year_from} to {year_to}.")
        return None
    return start.isoformat(), end.isoformat()


def link_view(params: Mapping) -> tuple[float, float, float] | None:
    """The map view (lat, lon, zoom) a link holds, or None where it holds none that makes sense."""
    lists = _as_lists(params)
    raw = [lists[key][-1] if lists.get(key) else None for key in ("lat", "lon", "zoom")]
    return _view(raw, [])


def parse_query(params: Mapping, vocab: Vocabulary) -> DashboardState:
    """The state a URL asks for; anything invalid is dropped and listed in ``notices``.

    ``params`` maps each key to its value or to the list of all its values
    (see ``query_to_lists``); a list key given several times takes all their values.
    """
    lists = _as_lists(params)
    notices: list[str] = []
    unknown = [key for key in lists if key not in LINK_PARAMETERS]
    if unknown:
        notices.append(f"Ignored unknown link parameter: {_listed(unknown)}.")
    one = {key: _one(lists, key, notices) for key in _SINGLE_VALUED}

    year_from = _year(one["from"], "from", vocab, vocab.first_year, notices)
    year_to = _year(one["to"], "to", vocab, vocab.last_year, notices)
    if year_from > year_to:
        notices.append(f"Ignored the years in the link: {year_from} is after {year_to}.")
        year_from, year_to = vocab.first_year, vocab.last_year
    related = one["related"]
    if related not in (None, "0", "1"):
        notices.append(f"Ignored 'related={_shown(related)}': use 1 or 0.")
    named = one["named"]
    if named not in (None, "0", "1"):
        notices.append(f"Ignored 'named={_shown(named)}': use 1 or 0.")
    # An empty 'layers=' means every layer was switched off; no 'layers' at all means the defaults.
    layers = (
        _ids(lists, "layers", frozenset(LAYER_CHOICES), "layer", notices) if lists.get("layers") else DEFAULT_LAYERS
    )
    basemap = one["basemap"]
    if basemap is not None and basemap not in vocab.basemaps:
        notices.append(f"Ignored unknown basemap '{_shown(basemap)}'.")
        basemap = None
    selected = dict(vocab.aliases).get(one["select"], one["select"])
    if selected is not None and selected not in vocab.selectable:
        notices.append(f"Ignored 'select={_shown(selected)}': no such event or place.")
        selected = None
    text = one["q"] or ""
    if len(text) > SEARCH_TEXT_LIMIT:
        notices.append(f"Shortened the search text in the link to {SEARCH_TEXT_LIMIT} characters.")
        text = text[:SEARCH_TEXT_LIMIT]
    return DashboardState(
        year_from=year_from,
        year_to=year_to,
        groups=_ids(lists, "group", vocab.groups, "group", notices),
        include_related=related != "0",
        include_named=named == "1",
        types=_ids(lists, "type", vocab.types, "event type", notices),
        people=_ids(lists, "person", vocab.people, "person", notices),
        sources=_ids(lists, "source", vocab.sources, "report", notices),
        text=text,
        layers=layers,
        basemap=basemap or vocab.basemaps[0],
        view=_view([one["lat"], one["lon"], one["zoom"]], notices),
        selected=selected,
        boundary_year=_year(one["boundaries"], "boundaries", vocab, None, notices),
        countries=_ids(lists, "country", vocab.countries, "country", notices),
        dates=_dates(one["dates"], year_from, year_to, notices),
        notices=tuple(notices),
    )


def to_query(state: DashboardState, vocab: Vocabulary) -> dict[str, str]:
    """The query string for ``state``, leaving out what is at its default."""
    query: dict[str, str] = {}
    if state.year_from != vocab.first_year:
        query["from"] = str(state.year_from)
    if state.year_to != vocab.last_year:
        query["to"] = str(state.year_to)
    for key, values in (
        ("group", state.groups),
        ("type", state.types),
        ("person", state.people),
        ("source", state.sources),
        ("country", state.countries),
    ):
        if values:
            query[key] = ",".join(values)
    if state.groups and not state.include_related:
        query["related"] = "0"
    if (state.groups or state.people) and state.include_named:
        query["named"] = "1"
    if state.text:
        query["q"] = state.text
    if tuple(state.layers) != DEFAULT_LAYERS:
        query["layers"] = ",".join(state.layers)
    if state.boundary_year is not None:
        query["boundaries"] = str(state.boundary_year)
    if state.basemap != vocab.basemaps[0]:
        query["basemap"] = state.basemap
    if state.view is not None:
        lat, lon, zoom = state.view
        query.update(lat=f"{lat:.3f}", lon=f"{lon:.3f}", zoom=f"{zoom:g}")
    if state.selected:
        query["select"] = state.selected
    if state.dates:
        query["dates"] = "..".join(state.dates)
    return query
