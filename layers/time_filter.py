"""The map's own time slider: the years (or days) shown, filtered in the browser.

The map is sent the events of every year the other filters allow, with each one's span
of time, and every version of the boundaries; ``atlas.time`` (time_filter.js, part of the
map's engine) hides what lies outside the range on the slider, resizes the places, and
redraws the gathered imported events, at every move of the hand with no run of the app.
When the hand is lifted (or Play pauses) the map sends the range to the app once, as it
sends a click, so the table, the charts and the link follow.

Spans are whole days since 1970-01-01, first and last day included: a reports' event
dated by years spans from the first day of its first year to the last day of its last.
"""

from __future__ import annotations

import datetime as dt

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.event_grid import epoch_days
from style import place_radius
from view.playback import PLAY_MODES

__all__ = ["STEPS", "PLAY_SPEEDS", "TRAIL_STEPS", "spans", "build", "year_days", "legend_in_range"]

# The slider's steps for imported data (dated to the day); the reports' events step by year.
STEPS = ("year", "quarter", "month", "week", "day")
PLAY_SPEEDS = (1, 2, 5, 10, 20)  # steps a second
TRAIL_STEPS = 4  # with the trail on, events stay this many steps after they end, fading
_EPOCH = dt.date(1970, 1, 1)


def year_days(year_from: int, year_to: int) -> tuple[int, int]:
    """The first day of ``year_from`` and the last of ``year_to``, in days since 1970."""
    return (dt.date(year_from, 1, 1) - _EPOCH).days, (dt.date(year_to, 12, 31) - _EPOCH).days


def _year_spans(frame) -> list[list[int]]:
    if frame is None or frame.empty:
        return []
    start = epoch_days([f"{int(y)}-01-01" for y in frame["year_start"]])
    end = epoch_days([f"{int(y)}-12-31" for y in frame["year_end"]], end=True)
    return [[int(a), int(b)] for a, b in zip(start, end)]


def spans(view) -> dict:
    """What the browser needs to filter a view's layers by time, keyed as the features are.

    ``events``: 'event:<id>' -> [first day, last day]; ``places``: 'place:<id>' -> the spans of
    its events; ``halos``: place id -> the spans of its imprecisely placed events;
    ``boundaries``: 'boundary:<id>' -> [first year, last year or None].
    """
    events = view.events
    located = events[events.geometry.notna()] if len(events) else events
    event_spans = _year_spans(located)
    by_event = {f"event:{row_id}": span for row_id, span in zip(located["id"], event_spans)}
    places: dict[str, list] = {}
    halos: dict[str, list] = {}
    if len(events):
        for places_of, span in zip(events["places"], _year_spans(events)):
            for place in places_of if places_of is not None else ():
                places.setdefault(f"place:{place}", []).append(span)
        if "location_precision" in located.columns:
            from style import PRECISION_HALO_METRES

            imprecise = located["location_precision"].isin(list(PRECISION_HALO_METRES))
            for place, span in zip(located.loc[imprecise, "place"], [s for s, i in zip(event_spans, imprecise) if i]):
                halos.setdefault(str(place), []).append(span)
    boundaries = {}
    for row in view.boundaries.itertuples(index=False):
        start, end = str(row.valid_from or "")[:4], str(row.valid_to or "")[:4]
        boundaries[f"boundary:{row.id}"] = [
            int(start) if start.isdigit() else None,
            int(end) if end.isdigit() else None,
        ]
    return {"events": by_event, "places": places, "halos": halos, "boundaries": boundaries}


class _TimeFilter(MacroElement):
    _template = Template("""
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = new (L.Layer.extend({
        onAdd: function (map) { if (map.atlas && map.atlas.time) { map.atlas.time.configure({{ this.data|tojson }}); } },
        onRemove: function () {}
    }))();
    {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self, data: dict):
        super().__init__()
        self._name = "TimeFilter"
        self.data = data


def build(
    view,
    year_from: int,
    year_to: int,
    first_year: int,
    last_year: int,
    boundary_year: int | None = None,
    dates: tuple[str, str] | None = None,
    fine: bool = False,
    earlier_background: bool = True,
    send: bool = True,
    known_spans: dict | None = None,
) -> folium.FeatureGroup:
    """The slider's group: the range shown, the axis, and the spans of the view's features.

    ``dates`` (first and last day, ISO), when set, is a range finer than whole years (imported data);
    ``fine`` offers steps finer than a year; ``boundary_year`` a year chosen for the boundaries
    (None: the last year of the range); with ``earlier_background``, a range that starts at
    ``first_year`` shows what began earlier too; ``send`` tells the map to send the range to
    the app when the hand is lifted, and to tell it once when it has first drawn its marks; ``known_spans``, :func:`spans` of ``view`` when the caller
    has them already.
    """
    first_day, last_day = year_days(first_year, last_year)
    start, end = (
        ((dt.date.fromisoformat(dates[0]) - _EPOCH).days, (dt.date.fromisoformat(dates[1]) - _EPOCH).days)
        if dates
        else year_days(year_from, year_to)
    )
    group = folium.FeatureGroup(name="Time", control=False)
    _TimeFilter(
        {
            "range": [int(start), int(end)],
            "axis": [first_day, last_day],
            "steps": list(STEPS) if fine else ["year"],
            "boundaryYear": boundary_year,
            "earlierBackground": earlier_background,
            "send": send,
            "speeds": list(PLAY_SPEEDS),
            "modes": PLAY_MODES,
            "trailSteps": TRAIL_STEPS,
            "placeRadius": [place_radius(0), place_radius(1) - place_radius(0)],
            **(known_spans if known_spans is not None else spans(view)),
        }
    ).add_to(group)
    return group


def legend_in_range(legend: dict, view) -> dict:
    """The legend of the layers drawn for every year, told what the range on the slider shows:
    the boundaries in force and the event types of ``view`` (the view of the range)."""
    from layers.boundaries import outline_styles

    areas = []
    for frame, layer in ((view.regions, "regions"), (view.boundaries, "boundaries")):
        if layer in view.layers:
            areas += list(zip(frame["name"], frame["colour"], frame["approximate"], outline_styles(frame)))
    legend = {**legend, "areas": areas}
    if "events" in view.layers:
        legend["event_types"] = set(view.events["type"])
    return legend
