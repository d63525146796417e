"""The panel beside the dashboard's map: what the user clicked, with every report that tells it.

A place, an event, an outline, an imported event (with the reports' account of it, if any),
or a gathered mark of imported events (its events listed, a click on one opens it).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.export import formulas_neutralised
from layers.atlas_map import MAX_ZOOM
from layers.legend import legend_html
from ui import details, imported
from ui.area_details import area_html
from ui.data import area_data, atlas_data
from ui.table_picks import ROW_CLICKS, remember_table_choice
from view import Names

__all__ = ["details_panel"]


def reports_matching(found, atlas) -> list[tuple[str, str]]:
    """The reports' events an imported event matches: (id, title)."""
    from geo.imports.matching import curated_matches

    ids = curated_matches(found, atlas.events, atlas.groups).get(found["id"].iloc[0], [])
    titles = dict(zip(atlas.events["id"], atlas.events["title"]))
    return [(event_id, titles.get(event_id, event_id)) for event_id in ids]


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
    st.button(
        "Zoom in here",
        icon=":material/zoom_in:",
        key="zoom_to_cell",
        on_click=lambda: st.session_state.update(
            pan_to=(round((south + north) / 2, 4), round((west + east) / 2, 4), closer)
        ),
    )
    listed = imported.cell_list(here)
    if len(here) > len(listed):
        st.caption(f"The {len(listed):,} latest of these {len(here):,} events; zoom in to see fewer at a time.")
    else:
        st.caption("Click an event to read it.")
    st.dataframe(
        formulas_neutralised(listed.drop(columns="id")),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode=ROW_CLICKS,
        key="cell_table",
    )
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
        st.html(
            f"<div class='atlas-details'>{imported.event_html(next(found.itertuples(index=False)), names, matches)}</div>"
        )
        for event_id, title in matches:
            st.button(
                f"Read the reports' account: {title}",
                key=f"match_{event_id}",
                on_click=lambda event_id=event_id: st.session_state.update(selected=f"event:{event_id}"),
            )
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
