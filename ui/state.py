"""The dashboard's state, and its round trip through the URL query string.

A shared link restores the filters, the layers, the basemap, the map view
and the selected feature. Parsing never raises: a value that makes no sense
is dropped and reported as a notice the app shows to the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from geo.filters import EventFilter

__all__ = ["LAYER_CHOICES", "Vocabulary", "DashboardState", "parse_query", "to_query"]

LAYER_CHOICES = {
    "events": "Events",
    "places": "Places",
    "routes": "Routes",
    "boundaries": "Boundaries in force",
    "regions": "Regions named in the reports",
}
DEFAULT_LAYERS = ("events", "places", "routes", "boundaries")


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


@dataclass(frozen=True)
class DashboardState:
    year_from: int
    year_to: int
    groups: tuple[str, ...] = ()
    include_related: bool = True
    types: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str = ""
    layers: tuple[str, ...] = DEFAULT_LAYERS
    basemap: str = ""
    view: tuple[float, float, float] | None = None  # lat, lon, zoom
    selected: str | None = None
    notices: tuple[str, ...] = field(default=(), compare=False)

    def event_filter(self) -> EventFilter:
        return EventFilter(year_from=self.year_from, year_to=self.year_to, groups=self.groups,
                           include_related=self.include_related, types=self.types, people=self.people,
                           sources=self.sources, text=self.text)


def default_state(vocab: Vocabulary) -> DashboardState:
    return DashboardState(year_from=vocab.first_year, year_to=vocab.last_year, basemap=vocab.basemaps[0])


def _first(params: Mapping, key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return None if value is None else str(value)


def _ids(params: Mapping, key: str, allowed: frozenset[str], label: str, notices: list[str]) -> tuple[str, ...]:
    raw = _first(params, key)
    if not raw:
        return ()
    wanted = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in allowed]
    if unknown:
        notices.append(f"Ignored unknown {label} in the link: {', '.join(unknown)}.")
    return tuple(dict.fromkeys(part for part in wanted if part in allowed))


def _year(params: Mapping, key: str, vocab: Vocabulary, default: int, notices: list[str]) -> int:
    raw = _first(params, key)
    if raw is None:
        return default
    try:
        year = int(raw)
    except ValueError:
        notices.append(f"Ignored '{key}={raw}': not a year.")
        return default
    if not vocab.first_year <= year <= vocab.last_year:
        notices.append(f"Ignored '{key}={raw}': the data covers {vocab.first_year}–{vocab.last_year}.")
        return default
    return year


def _view(params: Mapping, notices: list[str]) -> tuple[float, float, float] | None:
    raw = [_first(params, key) for key in ("lat", "lon", "zoom")]
    if all(value is None for value in raw):
        return None
    try:
        lat, lon, zoom = float(raw[0]), float(raw[1]), float(raw[2])
    except (TypeError, ValueError):
        notices.append("Ignored the map view in the link: lat, lon and zoom must all be numbers.")
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 3 <= zoom <= 10):  # NaN fails too
        notices.append("Ignored the map view in the link: it is outside the map.")
        return None
    return (lat, lon, zoom)


def parse_query(params: Mapping, vocab: Vocabulary) -> DashboardState:
    """The state a URL asks for; anything invalid is dropped and listed in ``notices``."""
    notices: list[str] = []
    year_from = _year(params, "from", vocab, vocab.first_year, notices)
    year_to = _year(params, "to", vocab, vocab.last_year, notices)
    if year_from > year_to:
        notices.append(f"Ignored the years in the link: {year_from} is after {year_to}.")
        year_from, year_to = vocab.first_year, vocab.last_year
    related = _first(params, "related")
    if related not in (None, "0", "1"):
        notices.append(f"Ignored 'related={related}': use 1 or 0.")
    layers = _ids(params, "layers", frozenset(LAYER_CHOICES), "layer", notices) if "layers" in params else DEFAULT_LAYERS
    basemap = _first(params, "basemap")
    if basemap is not None and basemap not in vocab.basemaps:
        notices.append(f"Ignored unknown basemap '{basemap}'.")
        basemap = None
    selected = _first(params, "select")
    if selected is not None and selected not in vocab.selectable:
        notices.append(f"Ignored 'select={selected}': no such event or place.")
        selected = None
    text = (_first(params, "q") or "")[:200]
    return DashboardState(
        year_from=year_from, year_to=year_to,
        groups=_ids(params, "group", vocab.groups, "group", notices),
        include_related=related != "0",
        types=_ids(params, "type", vocab.types, "event type", notices),
        people=_ids(params, "person", vocab.people, "person", notices),
        sources=_ids(params, "source", vocab.sources, "report", notices),
        text=text, layers=layers, basemap=basemap or vocab.basemaps[0],
        view=_view(params, notices), selected=selected, notices=tuple(notices),
    )


def to_query(state: DashboardState, vocab: Vocabulary) -> dict[str, str]:
    """The query string for ``state``, leaving out what is at its default."""
    query: dict[str, str] = {}
    if state.year_from != vocab.first_year:
        query["from"] = str(state.year_from)
    if state.year_to != vocab.last_year:
        query["to"] = str(state.year_to)
    for key, values in (("group", state.groups), ("type", state.types), ("person", state.people),
                        ("source", state.sources)):
        if values:
            query[key] = ",".join(values)
    if state.groups and not state.include_related:
        query["related"] = "0"
    if state.text:
        query["q"] = state.text
    if tuple(state.layers) != DEFAULT_LAYERS:
        query["layers"] = ",".join(state.layers)
    if state.basemap != vocab.basemaps[0]:
        query["basemap"] = state.basemap
    if state.view is not None:
        lat, lon, zoom = state.view
        query.update(lat=f"{lat:.3f}", lon=f"{lon:.3f}", zoom=f"{zoom:g}")
    if state.selected:
        query["select"] = state.selected
    return query
