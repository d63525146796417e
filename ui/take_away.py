"""What a user takes away from the dashboard: the data shown, a picture, an offline map, a story draft.

Files are made only when a button is pressed: there may be 100,000 imported events.
"""

from __future__ import annotations

import streamlit as st

from geo.boundaries import boundaries_in_force
from geo.export import file_bytes, places_with_event_counts
from ui import exports, imported
from ui.data import area_data, atlas_context, atlas_data
from ui.map_layers import boundary_year
from ui.state import DashboardState

__all__ = ["save_view_as_step", "downloads", "story_draft"]


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


def downloads(shown_events, state: DashboardState, view, shown_imported, store, every_year=None) -> None:
    """The data shown, a picture of it and an offline map, to take away: files are made only when asked.

    ``every_year``, the view of every year the filters allow, gives the offline map its time slider.
    """
    year = boundary_year(state)
    imported_count = 0 if shown_imported is None else len(shown_imported)

    def frames() -> dict:  # read whole only when a file is asked for: there may be 100,000 imported events
        places = places_with_event_counts(atlas_data().places, shown_events)
        mine = store.events_by_id(shown_imported["id"]) if imported_count else None
        return {
            "events": imported.combined_for_download(shown_events, mine),
            "places": places[places["event_count"] > 0],
            "boundaries": boundaries_in_force(area_data()[0], year, year),
        }

    stem = f"sahel-atlas-{state.year_from}-{state.year_to}"
    framed = exports.for_export(view)
    label, csv, geojson, package, picture, page = st.columns([2.2, 1, 1.3, 1.6, 1.5, 1.7], vertical_alignment="center")
    count = len(shown_events) + imported_count
    label.markdown("**Download the event shown**" if count == 1 else f"**Download the {count:,} events shown**")
    csv.download_button(
        "CSV",
        lambda: file_bytes(frames(), "csv"),
        file_name=f"{stem}-events.csv",
        mime="text/csv",
        icon=":material/download:",
        key="download_csv",
    )
    geojson.download_button(
        "GeoJSON",
        lambda: file_bytes(frames(), "geojson"),
        file_name=f"{stem}-events.geojson",
        mime="application/geo+json",
        icon=":material/download:",
        key="download_geojson",
    )
    package.download_button(
        "GeoPackage",
        lambda: file_bytes(frames(), "gpkg"),
        file_name=f"{stem}.gpkg",
        mime="application/geopackage+sqlite3",
        icon=":material/download:",
        key="download_gpkg",
        help=f"One file, one table per layer (events, places, boundaries in force in {year})",
    )
    picture.download_button(
        "Picture (PNG)",
        lambda: exports.view_picture(framed),
        file_name=f"{stem}.png",
        mime="image/png",
        icon=":material/image:",
        key="download_png",
        help="A 1920×1080 map for slides: title, the filters in words, legend, scale bar, "
        "north arrow. Framed on what is shown.",
    )
    page.download_button(
        "Offline map (HTML)",
        lambda: exports.view_page(framed, atlas_context(), every_year, (state.year_from, state.year_to)),
        file_name=f"{stem}.html",
        mime="text/html",
        icon=":material/public_off:",
        key="download_html",
        help="One file that opens in any browser with no internet: the map, its legend, its marks to click "
        "and its time slider.",
    )


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
    download.download_button(
        "Story file (YAML)",
        text,
        file_name=name,
        mime="application/yaml",
        icon=":material/download:",
        key="download_story_draft",
        help="Write each caption in your own words, then upload the file on 'Present a story'.",
    )
    present.page_link("app_pages/present.py", label="Present a story", icon=":material/slideshow:")
    clear.button("Clear the draft", key="clear_story_draft", on_click=lambda: st.session_state.update(story_draft=[]))
