"""The dashboard: filters, the map, the details of what is clicked, the table and charts.

Widgets, layout and session state only.

Data comes from geo/ (load, filter), map layers from layers/, the URL round
trip and the details panel from ui/.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from view import Names, map_view
from geo.filters import events_matching, with_earlier_background
from geo.schema import EVENT_TYPES
from geo.boundaries import boundaries_in_force
from geo.export import file_bytes, formulas_neutralised, places_with_event_counts
from layers.atlas_map import LABEL_SIZES, MAX_ZOOM, new_map, offer_save_view, view_to_url
from layers.basemap import BASEMAP_CHOICES, OFFLINE
from layers.labels import settings_group
from layers.legend import legend_group, legend_html
from layers.view_layers import view_layers
from ui import charts, details, exports, imported, published
from ui import dashboard_tabs as tabs
from ui.area_details import area_html
from ui.assets import BASEMAP_URL, LEAFLET_URL, ensure_leaflet
from ui.data import (CuratedDataError, area_data, atlas_context, atlas_data, basemap_data, imported_store,
                     names_and_vocabulary)
from ui.map_layers import boundary_year
from ui.text import plain
from ui.state import LAYER_CHOICES, DashboardState, Vocabulary, link_view, parse_query, query_to_lists, to_query
from ui.table_picks import ROW_CLICKS, remember_table_choice, table_targets
from ui.headline import headline
from ui.zoom_to import events_bounds, view_for_bounds
from ui import time_slider
from layers import time_filter

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
        years=(state.year_from, state.year_to), groups=list(state.groups), related=state.include_related,
        named=state.include_named,
        types=list(state.types), people=list(state.people), sources=list(state.sources), text=state.text,
        layers=list(state.layers), basemap=state.basemap, view=state.view, selected=state.selected,
        boundary_year=state.boundary_year or LAST_YEAR_SHOWN, notices=list(state.notices),
        countries=list(state.countries), time_dates=state.dates,
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


def reports_matching(found, atlas) -> list[tuple[str, str]]:
    """The reports' events an imported event matches: (id, title)."""
    from geo.imports.matching import curated_matches

    ids = curated_matches(found, atlas.events, atlas.groups).get(found["id"].iloc[0], [])
    titles = dict(zip(atlas.events["id"], atlas.events["title"]))
    return [(event_id, titles.get(event_id, event_id)) for event_id in ids]


def reset_filters() -> None:
    vocab = names_and_vocabulary()[1]
    st.session_state.update(years=(vocab.first_year, vocab.last_year), groups=[], related=True, named=False, types=[],
                            people=[], sources=[], text="", countries=[])


def sidebar(names: Names, vocab: Vocabulary, datasets: list) -> DashboardState:
    atlas = atlas_data()
    with st.sidebar:
        st.header("Filters")
        st.slider("Years", vocab.first_year, vocab.last_year, key="years", persist_state=KEPT,
                  help=f"At {vocab.first_year}, what began earlier shows too. The slider and Play on the map "
                       "change the years at once, without waiting for the page.")
        # No "select all matches": typing "AQIM" and Enter picks AQIM, not every group whose name has it.
        group_ids = sorted(atlas.groups["id"], key=lambda g: names.groups[g].casefold())
        st.multiselect("Groups", group_ids, key="groups", persist_state=KEPT, format_func=names.groups.get, select_all=False)
        st.checkbox("Include their brigades and successors", key="related", persist_state=KEPT)
        st.multiselect("Event types", list(EVENT_TYPES), key="types", persist_state=KEPT, format_func=EVENT_TYPES.get, select_all=False)
        people_ids = sorted(atlas.people["id"], key=lambda p: names.people[p].casefold())
        st.multiselect("People", people_ids, key="people", persist_state=KEPT, format_func=names.people.get, select_all=False)
        st.checkbox("Include events where they are only named", key="named", persist_state=KEPT,
                    help="By default a group or person counts where the reports give them a part: actor, "
                         "target, mediator or state response; not where they are only mentioned.")
        st.multiselect("Source report", list(atlas.sources["id"]), key="sources", persist_state=KEPT, format_func=names.sources.get, select_all=False)
        st.multiselect("Country", sorted(vocab.countries), key="countries", persist_state=KEPT, select_all=False,
                       help="Where the event happened (its first place)")
        st.text_input("Search titles, summaries and places", key="text", persist_state=KEPT, max_chars=200)
        st.button("Reset filters", icon=":material/restart_alt:", on_click=reset_filters, key="reset",
                  width="stretch")
        if datasets:
            st.header("Your data")
            st.multiselect("Imported datasets shown", [info.name for info in datasets], key="datasets", persist_state=KEPT,
                           help="Your own data, imported on the 'Your data' page. It obeys the filters above and "
                                "is drawn apart from the reports' events.")
        st.header("Map")
        st.multiselect("Layers", list(LAYER_CHOICES), key="layers", persist_state=KEPT, format_func=LAYER_CHOICES.get)
        st.selectbox("Boundaries in force in", [LAST_YEAR_SHOWN, *range(vocab.first_year, vocab.last_year + 1)],
                     key="boundary_year", persist_state=KEPT,
                     format_func=lambda y: "the last year shown" if y == LAST_YEAR_SHOWN else str(y),
                     help="Organisational boundaries change over the years: the map draws one year's.")
        st.selectbox("Label size", list(LABEL_SIZES), key="label_size", persist_state=KEPT)
        st.selectbox("Basemap", BASEMAP_CHOICES, key="basemap", persist_state=KEPT,
                     help="Only the bundled map works offline; the others load tiles from the internet.")
    year_from, year_to = st.session_state.years
    return DashboardState(
        year_from=year_from, year_to=year_to, groups=tuple(st.session_state.groups),
        include_related=st.session_state.related, include_named=st.session_state.named,
        types=tuple(st.session_state.types),
        people=tuple(st.session_state.people), sources=tuple(st.session_state.sources),
        text=st.session_state.text.strip(), layers=tuple(st.session_state.layers), basemap=st.session_state.basemap,
        # The view a shared link opened on; as the user pans, the map itself keeps the link's view current.
        view=st.session_state.view, selected=st.session_state.selected,
        boundary_year=st.session_state.boundary_year or None, countries=tuple(st.session_state.countries),
        dates=time_slider.chosen_dates(st.session_state.years),
    )


def save_view_as_step(view, event_filter, bbox, shown_count: int) -> None:
    """Add the view on screen to the story draft, unless the bbox the map sent makes no sense."""
    try:
        west, south, east, north = (float(value) for value in bbox)
    except (TypeError, ValueError):
        return
    if not (west < east and south < north):
        return
    from briefing.drafts import draft_step  # only when a step is saved

    steps = st.session_state.setdefault("story_draft", [])
    steps.append(draft_step(view, event_filter, (west, south, east, north), shown_count))
    st.toast(f"View saved as step {len(steps)} of the story draft (under the map).", icon="📌")


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


def cell_panel(drawn_imported, cell: str) -> None:
    """A gathered mark: what it holds, its events listed (a click on one opens it), and a closer look."""
    from geo.event_grid import cell_bounds, parse_cell

    here = imported.cell_events(drawn_imported, cell)
    st.button("Clear selection", on_click=lambda: st.session_state.update(selected=None), key="clear")
    st.html(f"<div class='atlas-details'>{imported.cell_html(here, Names(atlas_data()))}</div>")
    if here.empty:
        return
    zoom, column, row = parse_cell(cell)
    west, south, east, north = cell_bounds(zoom, column, row)
    closer = min(zoom + 2, MAX_ZOOM)
    st.button("Zoom in here", icon=":material/zoom_in:", key="zoom_to_cell",
              on_click=lambda: st.session_state.update(pan_to=(round((south + north) / 2, 4),
                                                               round((west + east) / 2, 4), closer)))
    listed = imported.cell_list(here)
    if len(here) > len(listed):
        st.caption(f"The {len(listed):,} latest of these {len(here):,} events; zoom in to see fewer at a time.")
    else:
        st.caption("Click an event to read it.")
    st.dataframe(formulas_neutralised(listed.drop(columns="id")), hide_index=True, width="stretch", on_select="rerun",
                 selection_mode=ROW_CLICKS, key="cell_table")
    picks = pd.DataFrame({"select": "imported:" + listed["id"], "lat": None, "lon": None})
    before = st.session_state.selected
    remember_table_choice(picks, key="cell_table")
    if st.session_state.selected != before:
        st.rerun()


def details_panel(shown_events, names: Names, legend: dict, store=None, drawn_imported=None) -> None:
    atlas = atlas_data()
    selected = st.session_state.selected
    if not selected:
        st.info("Click a place or an event on the map to read every event there, with its sources.")
        st.html(f"<div class='atlas-side-legend'>{legend_html(**legend, unfolded=True)}</div>")
        return
    kind, ref = selected.split(":", 1)
    if kind == "cell":
        if drawn_imported is None:
            st.session_state.selected = None
            st.info("None of your imported data is shown now.")
        else:
            cell_panel(drawn_imported, ref)
        return
    if kind == "imported":
        found = store.events_by_id([ref]) if store is not None else []
        if not len(found):
            st.session_state.selected = None
            st.info("That imported event is no longer in your data.")
            return
        matches = reports_matching(found, atlas)
        st.button("Clear selection", on_click=lambda: st.session_state.update(selected=None), key="clear")
        st.html(f"<div class='atlas-details'>{imported.event_html(next(found.itertuples(index=False)), names, matches)}</div>")
        for event_id, title in matches:
            st.button(f"Read the reports' account: {title}", key=f"match_{event_id}",
                      on_click=lambda event_id=event_id: st.session_state.update(selected=f"event:{event_id}"))
        return
    if kind in ("boundary", "region"):
        table = area_data()[0 if kind == "boundary" else 1]
        html = area_html(next(table[table["id"] == ref].itertuples(index=False)), names)
    elif kind == "place":
        place = next(atlas.places[atlas.places["id"] == ref].itertuples(index=False))
        here = shown_events[shown_events["places"].map(lambda ids: ref in ids)]
        html = details.place_html(place, here, atlas, names)
    else:
        matches = atlas.events[atlas.events["id"] == ref]
        html = details.event_html(next(matches.itertuples(index=False)), atlas, names)
    st.button("Clear selection", on_click=lambda: st.session_state.update(selected=None), key="clear")
    st.html(f"<div class='atlas-details'>{html}</div>")


def downloads(shown_events, state: DashboardState, view, shown_imported, store) -> None:
    """The data shown, a picture of it and an offline map, to take away: files are made only when asked."""
    year = boundary_year(state)
    imported_count = 0 if shown_imported is None else len(shown_imported)

    def frames() -> dict:  # read whole only when a file is asked for: there may be 100,000 imported events
        places = places_with_event_counts(atlas_data().places, shown_events)
        mine = store.events_by_id(shown_imported["id"]) if imported_count else None
        return {"events": imported.combined_for_download(shown_events, mine),
                "places": places[places["event_count"] > 0],
                "boundaries": boundaries_in_force(area_data()[0], year, year)}
    stem = f"sahel-atlas-{state.year_from}-{state.year_to}"
    framed = exports.for_export(view)
    label, csv, geojson, package, picture, page = st.columns([2.2, 1, 1.3, 1.6, 1.5, 1.7],
                                                               vertical_alignment="center")
    label.markdown(f"**Download the {len(shown_events) + imported_count:,} events shown**")
    csv.download_button("CSV", lambda: file_bytes(frames(), "csv"), file_name=f"{stem}-events.csv",
                        mime="text/csv", icon=":material/download:", key="download_csv")
    geojson.download_button("GeoJSON", lambda: file_bytes(frames(), "geojson"), file_name=f"{stem}-events.geojson",
                            mime="application/geo+json", icon=":material/download:", key="download_geojson")
    package.download_button("GeoPackage", lambda: file_bytes(frames(), "gpkg"),
                            file_name=f"{stem}.gpkg", mime="application/geopackage+sqlite3",
                            icon=":material/download:", key="download_gpkg",
                            help=f"One file, one table per layer (events, places, boundaries in force in {year})")
    picture.download_button("Picture (PNG)", lambda: exports.view_picture(framed), file_name=f"{stem}.png",
                            mime="image/png", icon=":material/image:", key="download_png",
                            help="A 1920×1080 map for slides: title, the filters in words, legend, scale bar, "
                                 "north arrow. Framed on what is shown.")
    page.download_button("Offline map (HTML)", lambda: exports.view_page(framed, atlas_context()),
                         file_name=f"{stem}.html", mime="text/html", icon=":material/public_off:",
                         key="download_html",
                         help="One file that opens in any browser with no internet: the map, its legend and "
                              "its marks to click.")


def story_draft() -> None:
    """The views saved with the map's '+ Step' button, to download as a story file and present."""
    steps = st.session_state.get("story_draft") or []
    if not steps:
        st.caption("To build a story, press **+ Step** on the map for each view you want; the steps collect here.")
        return
    from briefing.drafts import draft_story_yaml

    name, text = draft_story_yaml(steps)
    label, download, present, clear = st.columns([3, 2, 2, 3], vertical_alignment="center")
    label.markdown(f"**Story draft: {len(steps)} step{'s' if len(steps) != 1 else ''}**")
    download.download_button("Story file (YAML)", text, file_name=name, mime="application/yaml",
                             icon=":material/download:", key="download_story_draft",
                             help="Write each caption in your own words, then upload the file on "
                                  "'Present a story'.")
    present.page_link("app_pages/present.py", label="Present a story", icon=":material/slideshow:")
    clear.button("Clear the draft", key="clear_story_draft", on_click=lambda: st.session_state.update(story_draft=[]))


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
        st.button("Zoom to these events", icon=":material/zoom_out_map:", key="zoom_to_events",
                  on_click=lambda: st.session_state.update(pan_to=view_for_bounds(bounds)))


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
    vocab = replace(vocab, last_year=max(vocab.last_year, overview["last_year"] or vocab.last_year),
                    countries=frozenset(atlas_data().events["country"].dropna()) | overview["countries"],
                    selectable=imported.Selectable(vocab.selectable, store))
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
    map_events = events_matching(atlas.events, map_filter, atlas.groups)
    shown_events = time_slider.in_years(map_events, event_filter)
    chosen = [info.name for info in datasets if info.name in set(st.session_state.get("datasets", []))]
    map_imported = store.shown_events(map_filter, chosen, atlas.groups) if chosen else None
    shown_imported = time_slider.in_years(map_imported, event_filter, state.dates)
    summary = headline(shown_events, event_filter, names.all(), names_and_vocabulary()[1].last_year,
                       None if shown_imported is None else len(shown_imported))
    st.markdown(f"**{plain(summary)}**")  # it quotes the search text and dataset names

    # The table lists the first imported events whole (their source, actors...); all are drawn.
    table_imported = (imported.listed_in_table(store, shown_imported)
                      if shown_imported is not None and len(shown_imported) else None)
    remember_table_choice(table_targets(shown_events, table_imported))
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
        fmap = new_map(basemap_data(), state.basemap, view=st.session_state.view, asset_base=LEAFLET_URL,
                       basemap_url=BASEMAP_URL)
        view_to_url(fmap, memory=st.session_state.setdefault("map_memory", secrets.token_hex(8)))
        offer_save_view(fmap)
        view = map_view(atlas_context(), state.event_filter(), layers=state.layers,
                        boundary_year=boundary_year(state), selected=state.selected, events=shown_events)
        every_year_view = map_view(atlas_context(), state.event_filter(), layers=state.layers,
                                   boundary_year=boundary_year(state), selected=state.selected, events=map_events,
                                   every_year=True)
        layer_groups, legend = view_layers(every_year_view)
        legend = time_filter.legend_in_range(legend, view)
        if drawn_imported is not None and len(drawn_imported):
            names_shown = [name for name in chosen if name in set(drawn_imported["dataset"])]
            layer_groups = [imported.map_layer(drawn_imported, names_shown, grid_token, state.selected),
                            *layer_groups]
            legend["imported"] = names_shown
            legend["imported_types"] = sorted(set(drawn_imported["type"]))
        overlay = [legend_group(legend_html(**legend)),
                   settings_group(LABEL_SIZES[st.session_state.label_size]),
                   time_filter.build(every_year_view, state.year_from, state.year_to, vocab.first_year,
                                     vocab.last_year, boundary_year=state.boundary_year, dates=state.dates,
                                     fine=bool(chosen))]
        # A row picked in the table moves the map; otherwise it stays where the user left it.
        centre, zoom = ((st.session_state.pan_to[:2], st.session_state.pan_to[2]) if st.session_state.pan_to
                        else (None, None))
        clicked = st_folium(fmap, key="atlas-map", height=MAP_HEIGHT, use_container_width=True,
                            returned_objects=["last_active_drawing"], feature_group_to_add=layer_groups + overlay,
                            center=centre, zoom=zoom)
        if state.basemap != OFFLINE:
            st.caption("Online basemap: map tiles are loaded from the internet.")
    def saving(bbox):
        save_view_as_step(view, state.event_filter(), bbox, len(shown_events))

    if remember_click(clicked, vocab, saving, lambda select: imported.selection_from_click(
            select, drawn_imported, grid_token) if drawn_imported is not None else None):
        st.rerun()  # the mark just clicked is drawn as selected
    with detail_column, st.container(key="details-panel", border=False):  # scrolls beside the map
        details_panel(shown_events, names, legend, store, imported_in_range)

    downloads(shown_events, state, view, shown_imported, store)
    story_draft()
    table_tab, chart_tab, groups_chart_tab, kidnapping_chart_tab, claims_tab, measure_tab = st.tabs(
        ["Events", "Events per year", "Groups over time", "Kidnapping economy", "Disagreements",
         "Areas and distances"], key="below_map", on_change="rerun")
    # Only the open tab runs: the chart and the disagreements cost nothing while the table is shown.
    if table_tab.open:
        with table_tab:
            st.caption("Click a row to select the event and show it on the map.")
            table = charts.event_table(shown_events, names)
            if table_imported is not None:
                table = pd.concat([table.assign(Dataset=imported.REPORTS)[["Dataset", *table.columns]],
                                   imported.table_rows(table_imported, names)], ignore_index=True)
                if len(shown_imported) > len(table_imported):
                    st.caption(f"The first {len(table_imported):,} of the {len(shown_imported):,} imported events "
                               "shown are listed (by date); the downloads hold them all.")
            # The table's own download writes its cells to a CSV file: no cell may be a formula there.
            st.dataframe(formulas_neutralised(table), width="stretch", hide_index=True,
                         on_select="rerun", selection_mode=ROW_CLICKS, key="event_table")
    if chart_tab.open:
        with chart_tab:
            tabs.events_per_year_tab(imported.for_charts(shown_events, shown_imported), names, state, event_filter)
    if groups_chart_tab.open:
        with groups_chart_tab:
            tabs.groups_tab(names)
    if kidnapping_chart_tab.open:
        with kidnapping_chart_tab:
            tabs.kidnapping_tab(names)
    if claims_tab.open:
        with claims_tab:
            tabs.disagreements_tab(atlas, names, shown_events)
    if measure_tab.open:
        with measure_tab:
            tabs.areas_and_distances(names)

    final = replace(state, boundary_year=st.session_state.boundary_year or None)
    query = to_query(final, vocab)
    if query != st.query_params.to_dict():
        st.query_params.from_dict(query)


main()
