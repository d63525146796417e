"""The dashboard: filters, the map, the details of what is clicked, the table and charts.

Widgets, layout and session state only.

Data comes from geo/ (load, filter), map layers from layers/, the URL round
trip and the details panel from ui/.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from geo.filters import with_earlier_background
from geo.schema import EVENT_TYPES
from layers import time_filter
from layers.atlas_map import LABEL_SIZES, new_map, offer_save_view, view_to_url
from layers.basemap import BASEMAP_CHOICES, OFFLINE
from layers.labels import settings_group
from layers.legend import legend_group, legend_html
from ui import dashboard_map, details, imported, published, time_slider
from ui import dashboard_tabs as tabs
from ui.assets import BASEMAP_URL, LEAFLET_URL, ensure_leaflet
from ui.data import CuratedDataError, atlas_data, basemap_data, imported_store, names_and_vocabulary
from ui.details_panel import details_panel
from ui.headline import headline
from ui.map_layers import boundary_year
from ui.state import LAYER_CHOICES, DashboardState, Vocabulary, link_view, parse_query, query_to_lists, to_query
from ui.table_picks import remember_table_choice, table_targets
from ui.take_away import downloads, save_view_as_step, story_draft
from ui.text import plain
from ui.zoom_to import events_bounds, view_for_bounds
from view import Names

# Filters, layers and settings are as the user left them on coming back from another page.
KEPT = "session"
# The map takes the height of the screen under the title; no less than this on a small one.
MAP_MIN_HEIGHT = 420
MAP_HEIGHT = 660  # the frame's own height, before the page's CSS fits it to the screen
LAST_YEAR_SHOWN = 0  # "Boundaries in force in" the last year of the range (a select box cannot hold None)


def load_state_from_url(vocab: Vocabulary) -> None:
    """On a session's first run, put what the link asks for into the widgets."""
    state = parse_query(query_to_lists(st.query_params), vocab)
    st.session_state.update(
        years=(state.year_from, state.year_to),
        groups=list(state.groups),
        related=state.include_related,
        named=state.include_named,
        types=list(state.types),
        people=list(state.people),
        sources=list(state.sources),
        text=state.text,
        layers=list(state.layers),
        basemap=state.basemap,
        view=state.view,
        selected=state.selected,
        boundary_year=state.boundary_year or LAST_YEAR_SHOWN,
        notices=list(state.notices),
        countries=list(state.countries),
        time_dates=state.dates,
        url_loaded=True,
        pan_to=None,
    )


def keep_map_view() -> None:
    """On coming back from another page, the link's view is the last one the map put in it.

    The map writes its view into the link as the user pans (no rerun) and keeps it in the
    tab (:func:`layers.atlas_map.view_to_url`), so it reopens there by itself; a row picked
    in the table before the user left must not move it again.
    """
    seen = link_view(query_to_lists(st.query_params))
    if seen is not None:
        st.session_state.view_seen = seen
    if st.session_state.get("page_changed") and st.session_state.get("view_seen"):
        st.session_state.update(view=st.session_state.view_seen, pan_to=None)


def show_new_datasets(names: list[str]) -> None:
    """A dataset imported since the last run shows at once; a deleted one leaves the list."""
    known = st.session_state.get("known_datasets")
    shown = st.session_state.get("datasets")
    if known is None or shown is None:
        st.session_state.datasets = list(names)
    else:
        st.session_state.datasets = [n for n in shown if n in names] + [n for n in names if n not in known]
    st.session_state.known_datasets = list(names)


def reset_filters() -> None:
    vocab = names_and_vocabulary()[1]
    st.session_state.update(
        years=(vocab.first_year, vocab.last_year),
        groups=[],
        related=True,
        named=False,
        types=[],
        people=[],
        sources=[],
        text="",
        countries=[],
    )


def sidebar(names: Names, vocab: Vocabulary, datasets: list) -> DashboardState:
    atlas = atlas_data()
    with st.sidebar:
        st.header("Filters")
        st.slider(
            "Years",
            vocab.first_year,
            vocab.last_year,
            key="years",
            persist_state=KEPT,
            help=f"At {vocab.first_year}, what began earlier shows too. The slider and Play on the map "
            "change the years at once, without waiting for the page.",
        )
        # No "select all matches": typing "AQIM" and Enter picks AQIM, not every group whose name has it.
        group_ids = sorted(atlas.groups["id"], key=lambda g: names.groups[g].casefold())
        st.multiselect(
            "Groups", group_ids, key="groups", persist_state=KEPT, format_func=names.groups.get, select_all=False
        )
        st.checkbox("Include their brigades and successors", key="related", persist_state=KEPT)
        st.multiselect(
            "Event types",
            list(EVENT_TYPES),
            key="types",
            persist_state=KEPT,
            format_func=EVENT_TYPES.get,
            select_all=False,
        )
        people_ids = sorted(atlas.people["id"], key=lambda p: names.people[p].casefold())
        st.multiselect(
            "People", people_ids, key="people", persist_state=KEPT, format_func=names.people.get, select_all=False
        )
        st.checkbox(
            "Include events where they are only named",
            key="named",
            persist_state=KEPT,
            help="By default a group or person counts where the reports give them a part: actor, "
            "target, mediator or state response; not where they are only mentioned.",
        )
        st.multiselect(
            "Source report",
            list(atlas.sources["id"]),
            key="sources",
            persist_state=KEPT,
            format_func=names.sources.get,
            select_all=False,
        )
        st.multiselect(
            "Country",
            sorted(vocab.countries),
            key="countries",
            persist_state=KEPT,
            select_all=False,
            help="Where the event happened (its first place)",
        )
        st.text_input("Search titles, summaries and places", key="text", persist_state=KEPT, max_chars=200)
        st.button("Reset filters", icon=":material/restart_alt:", on_click=reset_filters, key="reset", width="stretch")
        if datasets:
            st.header("Your data")
            st.multiselect(
                "Imported datasets shown",
                [info.name for info in datasets],
                key="datasets",
                persist_state=KEPT,
                help="Your own data, imported on the 'Your data' page. It obeys the filters above and "
                "is drawn apart from the reports' events.",
            )
        st.header("Map")
        st.multiselect("Layers", list(LAYER_CHOICES), key="layers", persist_state=KEPT, format_func=LAYER_CHOICES.get)
        st.selectbox(
            "Boundaries in force in",
            [LAST_YEAR_SHOWN, *range(vocab.first_year, vocab.last_year + 1)],
            key="boundary_year",
            persist_state=KEPT,
            format_func=lambda y: "the last year shown" if y == LAST_YEAR_SHOWN else str(y),
            help="Organisational boundaries change over the years: the map draws one year's.",
        )
        st.selectbox("Label size", list(LABEL_SIZES), key="label_size", persist_state=KEPT)
        st.selectbox(
            "Basemap",
            BASEMAP_CHOICES,
            key="basemap",
            persist_state=KEPT,
            help="Only the bundled map works offline; the others load tiles from the internet.",
        )
    year_from, year_to = st.session_state.years
    return DashboardState(
        year_from=year_from,
        year_to=year_to,
        groups=tuple(st.session_state.groups),
        include_related=st.session_state.related,
        include_named=st.session_state.named,
        types=tuple(st.session_state.types),
        people=tuple(st.session_state.people),
        sources=tuple(st.session_state.sources),
        text=st.session_state.text.strip(),
        layers=tuple(st.session_state.layers),
        basemap=st.session_state.basemap,
        # The view a shared link opened on; as the user pans, the map itself keeps the link's view current.
        view=st.session_state.view,
        selected=st.session_state.selected,
        boundary_year=st.session_state.boundary_year or None,
        countries=tuple(st.session_state.countries),
        dates=time_slider.chosen_dates(st.session_state.years),
    )


def remember_click(clicked, vocab: Vocabulary, saving=None, imported_click=None) -> bool:
    """A click on a mark selects it (once per click, not on every rerun); True when the page must change.

    ``saving(bbox)`` keeps the view when the map's '+ Step' button was pressed;
    ``imported_click(select)`` reads a click on the gathered layer of imported events.
    """
    feature = (clicked or {}).get("last_active_drawing")
    if not feature or feature == st.session_state.get("last_click"):
        return False
    st.session_state.last_click = feature
    properties = feature.get("properties") or {}
    if properties.get("action") == "use-offline-basemap":  # the map's own offer when tiles fail to load
        st.session_state.next_basemap = OFFLINE  # the basemap widget takes it on the next run
        return True
    if properties.get("action") == "save-view" and saving is not None:
        saving(properties.get("bbox"))
        return True
    selected = properties.get("select")
    if isinstance(selected, str) and selected.startswith(("cell:", "imported-at:")) and imported_click:
        selected = imported_click(selected)
    if selected in vocab.selectable and selected != st.session_state.selected:
        st.session_state.selected = selected
        return True
    return False


PAGE_CSS = f"""
<style>
h1 {{ font-size: 2rem !important; padding-bottom: .2rem !important; }}
.block-container {{ padding-left: 1.5rem; padding-right: 1.5rem; max-width: none; }}
/* The map and the panel beside it take the height of the screen under the title. */
iframe[title="streamlit_folium.st_folium"] {{ height: max({MAP_MIN_HEIGHT}px, calc(100vh - 190px)) !important; }}
[class*="st-key-wide-chart"] {{ overflow-x: auto; }}
.st-key-details-panel {{ height: max({MAP_MIN_HEIGHT}px, calc(100vh - 190px)); overflow-y: auto; }}
</style>
"""


def offer_zoom_to_events(state: DashboardState, datasets: list[str], shown_events, drawn_imported) -> None:
    """With a country, a group or a dataset chosen, a button that brings all the events shown into view."""
    if not (state.countries or state.groups or datasets):
        return
    bounds = events_bounds(shown_events, drawn_imported)
    if bounds is not None:
        st.button(
            "Zoom to these events",
            icon=":material/zoom_out_map:",
            key="zoom_to_events",
            on_click=lambda: st.session_state.update(pan_to=view_for_bounds(bounds)),
        )


def link_notices() -> None:
    """What the link asked for that could not be done, until the user dismisses it."""
    if not st.session_state.notices:
        return
    for notice in st.session_state.notices:
        st.warning(plain(notice), icon="⚠️")  # it quotes the link, which anyone may write
    st.button("Dismiss", key="dismiss_notices", on_click=lambda: st.session_state.update(notices=[]))


def main() -> None:
    ensure_leaflet()
    try:
        names, vocab = names_and_vocabulary()
    except CuratedDataError as error:
        st.error("The curated data could not be loaded. Nothing was changed; fix these and reload:")
        st.code(str(error), language=None)
        st.stop()
    store, datasets, overview, workspace_problem = imported_store()
    # Countries and imported events the link and the widgets may name, with the user's data of today.
    vocab = replace(
        vocab,
        last_year=max(vocab.last_year, overview["last_year"] or vocab.last_year),
        countries=frozenset(atlas_data().events["country"].dropna()) | overview["countries"],
        selectable=imported.Selectable(vocab.selectable, store),
    )
    if not st.session_state.get("url_loaded"):
        load_state_from_url(vocab)
    keep_map_view()
    show_new_datasets([info.name for info in datasets])
    time_slider.take_range_from_map(vocab.first_year, vocab.last_year)  # the hand lifted off the map's slider
    if st.session_state.get("next_basemap"):
        st.session_state.basemap = st.session_state.pop("next_basemap")
    if st.session_state.get("next_groups"):  # a group clicked in the chart of groups over time
        st.session_state.update(groups=st.session_state.pop("next_groups"), related=True)
    st.session_state.setdefault("label_size", "Normal")
    state = sidebar(names, vocab, datasets)
    atlas = atlas_data()

    st.html(details.PANEL_CSS + PAGE_CSS)
    st.title("Sahel Atlas")
    link_notices()
    if workspace_problem:
        st.warning(f"Your imported data could not be read: {plain(workspace_problem)}", icon="⚠️")
    event_filter = with_earlier_background(state.event_filter(), vocab.first_year)
    # The map gets every year the other filters allow and filters by time in the browser.
    map_filter = time_slider.every_year(event_filter)
    map_events = dashboard_map.curated_events(map_filter)  # shared by every session: read only
    shown_events = dashboard_map.curated_events_in_range(event_filter)
    chosen = [info.name for info in datasets if info.name in set(st.session_state.get("datasets", []))]
    map_imported = store.shown_events(map_filter, chosen, atlas.groups) if chosen else None
    shown_imported = time_slider.in_years(map_imported, event_filter, state.dates)
    summary = headline(
        shown_events,
        event_filter,
        names.all(),
        names_and_vocabulary()[1].last_year,
        None if shown_imported is None else len(shown_imported),
    )
    st.markdown(f"**{plain(summary)}**")  # it quotes the search text and dataset names

    # The table is filled after the map is drawn; a row picked in it is read here, before the map.
    remember_table_choice(lambda: table_targets(shown_events, tabs.listed_imported(store, shown_imported)))
    state = replace(state, selected=st.session_state.selected)
    drawn_imported = imported.located(map_imported) if map_imported is not None else None
    imported_in_range = imported.located(shown_imported) if shown_imported is not None else None
    version = store.version() if store is not None else None
    # Event sets published for another version of the store (a dataset deleted since) are no longer served.
    published.withdraw_stale(version)
    grid_token = imported.token_for(version, map_filter, chosen) if drawn_imported is not None else ""
    offer_zoom_to_events(state, chosen, shown_events, imported_in_range)
    map_column, detail_column = st.columns([7, 3], gap="medium")
    with map_column:
        fmap = new_map(
            basemap_data(), state.basemap, view=st.session_state.view, asset_base=LEAFLET_URL, basemap_url=BASEMAP_URL
        )
        view_to_url(fmap, memory=st.session_state.setdefault("map_memory", secrets.token_hex(8)))
        offer_save_view(fmap)
        view = dashboard_map.range_view(
            state.event_filter(), state.layers, boundary_year(state), state.selected, shown_events
        )
        every_year = dashboard_map.every_year_layers(map_filter, map_events, state)
        legend = time_filter.legend_in_range(every_year.legend, view)
        layer_groups = list(every_year.groups)
        if drawn_imported is not None and len(drawn_imported):
            drawn_names = set(drawn_imported["dataset"].unique())  # unique first: 100,000 rows, a few names
            names_shown = [name for name in chosen if name in drawn_names]
            layer_groups = [imported.map_layer(drawn_imported, names_shown, grid_token, state.selected), *layer_groups]
            # The legend tells what the range shows (the map holds every year, for its slider).
            in_range = imported_in_range if imported_in_range is not None else drawn_imported.iloc[:0]
            names_in_range = set(in_range["dataset"].unique())
            legend["imported"] = [name for name in names_shown if name in names_in_range]
            legend["from_reports"] = [info.name for info in datasets if info.format == "report"]
            legend["imported_types"] = sorted(set(in_range["type"].unique()))
        overlay = [
            legend_group(legend_html(**legend)),
            settings_group(LABEL_SIZES[st.session_state.label_size]),
            time_filter.build(
                every_year.view,
                state.year_from,
                state.year_to,
                vocab.first_year,
                vocab.last_year,
                boundary_year=state.boundary_year,
                dates=state.dates,
                fine=bool(chosen),
                known_spans=every_year.spans,
            ),
        ]
        # A row picked in the table moves the map; otherwise it stays where the user left it.
        centre, zoom = (
            (st.session_state.pan_to[:2], st.session_state.pan_to[2]) if st.session_state.pan_to else (None, None)
        )
        clicked = st_folium(
            fmap,
            key="atlas-map",
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            feature_group_to_add=layer_groups + overlay,
            center=centre,
            zoom=zoom,
        )
        if state.basemap != OFFLINE:
            st.caption("Online basemap: map tiles are loaded from the internet.")

    def saving(bbox):
        save_view_as_step(view, state.event_filter(), bbox, len(shown_events))

    if remember_click(
        clicked,
        vocab,
        saving,
        lambda select: (
            imported.selection_from_click(select, drawn_imported, grid_token) if drawn_imported is not None else None
        ),
    ):
        st.rerun()  # the mark just clicked is drawn as selected
    with detail_column, st.container(key="details-panel", border=False):  # scrolls beside the map
        details_panel(shown_events, names, legend, store, imported_in_range)

    downloads(shown_events, state, view, shown_imported, store, every_year.view)
    story_draft()
    tabs.under_the_map(shown_events, shown_imported, store, names, state, event_filter, time_slider.map_drawn())

    final = replace(state, boundary_year=st.session_state.boundary_year or None)
    query = to_query(final, vocab)
    if query != st.query_params.to_dict():
        st.query_params.from_dict(query)


main()
