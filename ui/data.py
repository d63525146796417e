"""The data every page shows, loaded once per server and shared by all sessions.

The curated tables are checked before any page uses them: a broken file stops
the page with its problems listed, and nothing is changed.
"""

from __future__ import annotations

import os

import streamlit as st

from geo.basemap import capitals, countries, lakes, regions, rivers
from geo.boundaries import load_boundaries
from geo.catalog import DATA_DIR, DATA_DIR_VARIABLE, former_event_ids, read_records, records_to_atlas
from geo.schema import EVENT_TYPES
from geo.validate import report_text, validate_records
from layers.basemap import BASEMAP_CHOICES, basemap_features
from ui import disk_cache
from ui.assets import basemap_texts, publish_basemap
from ui.state import Vocabulary
from view import AtlasContext, Names, context_from

__all__ = [
    "CuratedDataError",
    "atlas_data",
    "basemap_data",
    "atlas_context",
    "area_data",
    "town_data",
    "names_and_vocabulary",
    "imported_store",
]


class CuratedDataError(Exception):
    """The curated files cannot be shown: the message says what is wrong and where."""


def _checked_atlas(data_dir):
    """The curated tables, checked first: a broken file stops the page with its problems listed."""
    try:
        records = read_records(data_dir)
    except ValueError as error:
        raise CuratedDataError(str(error)) from error
    problems = validate_records(records)
    if problems:
        raise CuratedDataError(report_text(problems, records))
    return records_to_atlas(records), former_event_ids(records)


@st.cache_resource
def _curated() -> tuple:
    """The checked atlas, its context and the events' former ids, kept on disk while the files and
    the code are the same."""
    data_dir = os.environ.get(DATA_DIR_VARIABLE) or DATA_DIR

    def make():
        atlas, aliases = _checked_atlas(data_dir)
        return atlas, context_from(atlas, load_boundaries(), regions()), aliases

    return disk_cache.kept("curated", disk_cache.content_key(data_dir, DATA_DIR), make)


@st.cache_resource
def atlas_data():
    """The curated tables, checked first: a broken file stops the page with its problems listed."""
    return _curated()[0]


@st.cache_resource
def basemap_data():
    """The basemap's GeoJSON, made once (kept on disk) and published for the browser to fetch."""

    def make():
        features = basemap_features(
            {"countries": countries(), "rivers": rivers(), "lakes": lakes(), "capitals": capitals()}
        )
        return features, basemap_texts(features)

    features, texts = disk_cache.kept("basemap", disk_cache.content_key(DATA_DIR), make)
    publish_basemap(texts)
    return features


@st.cache_resource
def atlas_context() -> AtlasContext:
    """The atlas with its areas coloured and its towns counted: what a map view is made from."""
    return _curated()[1]


def area_data():
    """Boundaries and regions, each with its colour."""
    context = atlas_context()
    return context.boundaries, context.regions


def town_data():
    """Places with their counts over all events: the reference layer ranks its labels by these."""
    return atlas_context().towns


@st.cache_resource
def names_and_vocabulary():
    atlas, context = atlas_data(), atlas_context()
    names = Names(atlas)
    events = atlas.events
    boundaries, areas = context.boundaries, context.regions
    vocab = Vocabulary(
        # The slider covers 2003-2013 (later if the data reaches further); what began earlier
        # shows while the range starts at the first year.
        first_year=context.first_year,
        last_year=context.last_year,
        groups=frozenset(atlas.groups["id"]),
        types=frozenset(EVENT_TYPES),
        people=frozenset(atlas.people["id"]),
        sources=frozenset(atlas.sources["id"]),
        selectable=frozenset(
            [f"event:{i}" for i in events["id"]]
            + [f"place:{i}" for i in atlas.places["id"]]
            + [f"boundary:{i}" for i in boundaries["id"]]
            + [f"region:{i}" for i in areas["id"]]
        ),
        basemaps=BASEMAP_CHOICES,
        aliases=tuple((f"event:{old}", f"event:{new}") for old, new in _curated()[2].items()),
    )
    return names, vocab


def imported_store():
    """The store of the user's imported datasets: (store, datasets, overview, problem or None).

    The store filters on each run (see :meth:`shown_events`); a store that cannot be read is
    reported, and the curated atlas still shows.
    """
    from geo.workspace import WorkspaceError, open_workspace

    nothing = {"last_year": None, "countries": frozenset(), "events": 0}
    try:
        store = open_workspace()
        return store, store.datasets(), store.overview(), None
    except WorkspaceError as error:
        return None, [], nothing, str(error)
