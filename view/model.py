"""One map view: what is drawn, where, and what stands out, whoever draws it.

The dashboard, the presentation page, the picture, the slides and the offline
page all start from a :class:`MapView`, so a story step looks the same on a
wall screen, on a slide and from a USB stick.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from geo.basemap import regions as region_table
from geo.boundaries import boundaries_in_force, load_boundaries
from geo.catalog import Atlas, load_atlas
from geo.export import places_with_event_counts
from geo.filters import EventFilter, events_matching, with_earlier_background
from geo.routes import route_lines
from geo.stories import COVERED_YEARS, DEFAULT_STORY_LAYERS, TOWN_KINDS, Highlight, Step, Story, StoryView
from style import REGION_PALETTE, with_colours
from view.names import Names

__all__ = [
    "AtlasContext",
    "MapView",
    "OPERATING_AREA",
    "context_from",
    "load_context",
    "map_view",
    "step_view",
    "story_views",
    "fitted_bbox",
    "view_filter",
    "CREDITS",
]

# West, south, east, north: the whole operating area, the map's first view.
OPERATING_AREA = (-18.0, 4.0, 26.0, 38.0)
# Who the map owes what (geo/data/README.md lists the sources and their licences).
CREDITS = (
    "Events: Sahel Atlas, from five cited reports. Basemap: DCW-GMT and GSHHG (LGPL-3+, "
    "© The GMT Team); names: GeoNames (CC BY 4.0)."
)


@dataclass(frozen=True)
class AtlasContext:
    """The curated data and the tables every view draws from (areas coloured once, on the full table)."""

    atlas: Atlas
    boundaries: gpd.GeoDataFrame  # every boundary, with 'colour'
    regions: gpd.GeoDataFrame  # the regions the reports name, with 'colour'
    towns: gpd.GeoDataFrame  # places with their counts over all events
    names: dict[str, str]  # ids of groups, people, places and reports to display names
    # What every view takes from these tables whatever the filter, made once (shared: read only).
    kept: dict = field(default_factory=dict, compare=False, repr=False)

    def once(self, key, make):
        """``make()``, made once for this context under ``key``."""
        if key not in self.kept:
            self.kept[key] = make()
        return self.kept[key]

    @property
    def first_year(self) -> int:
        return COVERED_YEARS[0]

    @property
    def last_year(self) -> int:
        events = self.atlas.events
        return max(COVERED_YEARS[1], int(events["year_end"].max())) if len(events) else COVERED_YEARS[1]


def context_from(atlas: Atlas, boundaries: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> AtlasContext:
    return AtlasContext(
        atlas=atlas,
        boundaries=with_colours(boundaries),
        regions=with_colours(regions, REGION_PALETTE),
        towns=places_with_event_counts(atlas.places, atlas.events),
        names=Names(atlas).all(),
    )


@lru_cache(maxsize=4)
def _cached_context(data_dir: str | None) -> AtlasContext:
    atlas = load_atlas(data_dir)
    boundary_file = Path(data_dir) / "boundaries.yaml" if data_dir else None
    boundaries = (
        load_boundaries(boundary_file) if boundary_file is not None and boundary_file.exists() else load_boundaries()
    )
    return context_from(atlas, boundaries, region_table())


def load_context(data_dir: Path | str | None = None) -> AtlasContext:
    """The bundled data (or the data in ``data_dir``), read once per process."""
    return _cached_context(str(data_dir) if data_dir else None)


@dataclass(frozen=True)
class MapView:
    """Everything one map needs: the frames to draw, the extent, the highlights and the words around it.

    Frames are empty when their layer is off. ``highlight`` holds ids; when any is
    given, those features stand out and the rest are drawn dimmed.
    """

    title: str
    filters_in_words: str
    bbox: tuple[float, float, float, float]  # west, south, east, north
    layers: tuple[str, ...]
    events: gpd.GeoDataFrame
    places: gpd.GeoDataFrame  # places with 'event_count' > 0 among the events shown
    towns: gpd.GeoDataFrame  # the reference towns, whatever the filters
    routes: gpd.GeoDataFrame
    boundaries: gpd.GeoDataFrame  # in force in boundary_year, with 'colour'
    regions: gpd.GeoDataFrame  # with 'colour'
    boundary_year: int
    highlight: Highlight = field(default_factory=Highlight)
    highlighted_places: gpd.GeoDataFrame | None = None  # the highlighted places, whatever their kind
    selected: str | None = None  # "event:<id>", "place:<id>", "boundary:<id>", "region:<id>"

    @property
    def highlighted(self) -> frozenset[str]:
        """Highlighted ids as 'event:<id>', 'place:<id>', 'boundary:<id>'."""
        return frozenset(
            [f"event:{i}" for i in self.highlight.events]
            + [f"place:{i}" for i in self.highlight.places]
            + [f"boundary:{i}" for i in self.highlight.boundaries]
        )

    @property
    def dims_the_rest(self) -> bool:
        return bool(self.highlighted)


def map_view(
    context: AtlasContext,
    event_filter: EventFilter,
    layers=DEFAULT_STORY_LAYERS,
    boundary_year: int | None = None,
    bbox=None,
    highlight: Highlight | None = None,
    selected: str | None = None,
    title: str = "Sahel Atlas",
    events: gpd.GeoDataFrame | None = None,
    every_year: bool = False,
) -> MapView:
    """The view the dashboard's filters ask for (``event_filter`` as the user set it).

    ``events``, when the caller has them already, are the events matching the filter.
    With ``every_year``, the years are left to the browser's time slider: the view holds the
    events of every year the other filters allow, and every version of the boundaries.
    """
    if every_year:
        event_filter = replace(event_filter, year_from=None, year_to=None)
    atlas, layers = context.atlas, tuple(layers)
    shown_filter = with_earlier_background(event_filter, context.first_year)
    if events is None:
        events = events_matching(atlas.events, shown_filter, atlas.groups)
    year = boundary_year or event_filter.year_to or context.last_year
    empty_places = context.once("no places", lambda: atlas.places.iloc[0:0].assign(event_count=0))
    counted = places_with_event_counts(atlas.places, events)
    highlighted = (highlight or Highlight()).places
    return MapView(
        title=title,
        filters_in_words=shown_filter.describe(context.names),
        bbox=tuple(float(value) for value in (bbox or OPERATING_AREA)),
        layers=layers,
        events=events if "events" in layers else events.iloc[0:0],
        places=counted[counted["event_count"] > 0] if "places" in layers else empty_places,
        towns=(
            context.once("towns", lambda: context.towns[context.towns["kind"].isin(TOWN_KINDS)])
            if "towns" in layers
            else empty_places
        ),
        routes=(
            route_lines(events, atlas.places)
            if "routes" in layers
            else context.once("no routes", lambda: route_lines(events.iloc[0:0], atlas.places))
        ),
        boundaries=(
            context.boundaries
            if every_year and "boundaries" in layers
            else context.once(("boundaries in", year), lambda: boundaries_in_force(context.boundaries, year, year))
            if "boundaries" in layers
            else context.boundaries.iloc[0:0]
        ),
        regions=context.regions if "regions" in layers else context.regions.iloc[0:0],
        boundary_year=year,
        highlight=highlight or Highlight(),
        selected=selected,
        highlighted_places=(
            atlas.places[atlas.places["id"].isin(highlighted) & atlas.places.geometry.notna()]
            if highlighted
            else context.once("no highlighted places", lambda: atlas.places.iloc[0:0])
        ),
    )


def fitted_bbox(view: MapView, margin: float = 0.12, smallest: float = 8.0) -> tuple[float, float, float, float]:
    """An extent framing what the view draws (events, else boundaries), inside the operating area.

    Used where the extent on screen is not known, e.g. a picture of the dashboard's view.
    """
    drawn = [frame.geometry for frame in (view.events, view.highlighted_places) if frame is not None and len(frame)]
    drawn = drawn or [view.boundaries.geometry]
    bounds = [
        [float(v) for v in geometry[geometry.notna()].total_bounds] for geometry in drawn if geometry.notna().any()
    ]
    if not bounds:
        return OPERATING_AREA
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
    width, height = max(east - west, smallest), max(north - south, smallest)
    centre_x, centre_y = (west + east) / 2, (south + north) / 2
    half_x, half_y = width * (1 + margin) / 2, height * (1 + margin) / 2
    area_west, area_south, area_east, area_north = OPERATING_AREA
    return (
        round(max(centre_x - half_x, area_west), 2),
        round(max(centre_y - half_y, area_south), 2),
        round(min(centre_x + half_x, area_east), 2),
        round(min(centre_y + half_y, area_north), 2),
    )


def view_filter(view: StoryView, context: AtlasContext) -> EventFilter:
    """A story view's filter, read as the dashboard reads the same link."""
    return EventFilter(
        year_from=view.year_from or context.first_year,
        year_to=view.year_to or context.last_year,
        groups=tuple(view.group),
        include_related=bool(view.related),
        types=tuple(view.type),
        people=tuple(view.person),
        sources=tuple(view.source),
        text=view.q,
        include_named=bool(view.named),
        countries=tuple(view.country),
    )


def step_view(step: Step, context: AtlasContext) -> MapView:
    """One step of a story as a map view: its filters, layers, extent and highlights."""
    return map_view(
        context,
        view_filter(step.view, context),
        layers=step.view.layers,
        boundary_year=step.view.boundaries,
        bbox=step.bbox,
        highlight=step.highlight,
        title=step.heading,
    )


def story_views(story: Story, context: AtlasContext) -> list[MapView]:
    return [step_view(step, context) for step in story.steps]
