"""Read a report: paste or upload a new report; see the places, groups, people and dates it names,
marked in its text and placed on a map; confirm or correct the events it tells; keep them.

Kept events become a workspace dataset of kind "report", with the report's full text, and show
on the dashboard beside the other imported datasets, marked as from the user's reports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.imports.limits import MAX_DATASET_NAME
from geo.reading import MAX_FILE_BYTES, ReadingError, read_report, text_from_bytes
from geo.reading.places import unplaced_names
from geo.schema import EVENT_TYPES
from layers.atlas_map import new_map
from layers.basemap import OFFLINE
from ui.assets import BASEMAP_URL, LEAFLET_URL, ensure_leaflet
from ui.data import atlas_data, basemap_data
from ui.report_links import (
    BY_HAND_KEY,
    FOCUS_KEY,
    MAP_KEY,
    TO_PLACE_KEY,
    focus_ring,
    lit_mentions,
    on_map_click,
    place_point,
    show_marked_text,
)
from ui.report_reading import (
    PRECISIONS,
    corrected_events,
    draft_rows,
    marked_text,
    place_choices,
    places_map,
    places_table,
    view_of,
)
from ui.text import plain

FILE_KINDS = ["txt", "md", "html", "htm", "pdf", "docx"]
LANGUAGES = {"": "Guess from the text", "en": "English", "fr": "French"}


@st.cache_resource(max_entries=8, show_spinner=False)
def _reading(text: str, title: str, report_date: dt.date | None, language: str):
    """The reading of one text (the same text, title, date and language read once); never changed."""
    return read_report(
        text, title=title, report_date=report_date, language=language or None, atlas=atlas_data(), strict_language=False
    )


def _input_form() -> None:
    st.markdown("Paste the report's text or upload its file, say what it is, and press **Read**.")
    pasted, uploaded = st.tabs(["Paste text", "Upload a file"])
    text = pasted.text_area(
        "The report's text",
        height=220,
        key="report_paste",
        placeholder="GAO, 3 March 2012 (Reuters) - Gunmen kidnapped two aid workers near Ménaka…",
    )
    upload = uploaded.file_uploader(
        "A report (.txt, .md, .html, .pdf with a text layer, .docx)",
        type=FILE_KINDS,
        key="report_upload",
        max_upload_size=MAX_FILE_BYTES // 1_000_000,
    )
    left, middle, right = st.columns([2, 2, 1])
    title = left.text_input("Title", key="report_title", max_chars=300)
    author = middle.text_input("Author or outlet", key="report_author", max_chars=200)
    day = right.date_input(
        "Date",
        value=None,
        key="report_day",
        min_value=dt.date(1990, 1, 1),
        help="Relative dates ('yesterday', 'last Friday') count from it. Left empty, the "
        "report's dateline gives it where there is one.",
    )
    link_column, language_column = st.columns([4, 1])
    link = link_column.text_input("Link", key="report_link", max_chars=500)
    language = language_column.selectbox("Language", list(LANGUAGES), format_func=LANGUAGES.get, key="report_lang")
    if not st.button("Read", type="primary", icon=":material/manage_search:", key="report_read"):
        return
    try:
        if upload is not None and not text.strip():
            text, file_name = text_from_bytes(upload.getvalue(), upload.name), upload.name
        else:
            file_name = ""
        if not text.strip():
            raise ReadingError("empty text: paste the report's text or upload its file")
    except ReadingError as error:
        st.session_state.pop("report_input", None)
        st.error(f"Not read: {plain(error)}")
        return
    st.session_state.report_input = {
        "text": text,
        "file_name": file_name,
        "title": title.strip() or Path(file_name).stem or "Pasted report",
        "author": author.strip(),
        "date": day,
        "link": link.strip(),
        "language": language,
    }
    for key in ("report_kept", FOCUS_KEY, BY_HAND_KEY, TO_PLACE_KEY, "report_scroll"):
        st.session_state.pop(key, None)


def _marks_and_map(reading, chosen) -> None:
    by_hand = st.session_state.setdefault(BY_HAND_KEY, {})
    focus = st.session_state.get(FOCUS_KEY)
    text_column, map_column = st.columns([3, 2])
    with text_column:
        st.subheader("The text, marked")
        st.caption("Click a place in the text to show it on the map, or a mark on the map to light it in the text.")
        lit = lit_mentions(reading, chosen, by_hand, focus)
        clicked = show_marked_text(marked_text(reading, lit), st.session_state.get("report_scroll"))
        if clicked is not None and clicked < len(reading.mentions):
            focus = place_point(reading.mentions[clicked], chosen, by_hand)
            st.session_state[FOCUS_KEY] = focus
            st.session_state["report_scroll"] = None
            st.rerun()  # the text lit and the map centred in one run
    with map_column:
        st.subheader("The places found")
        ensure_leaflet()
        view = view_of(reading)
        fmap = new_map(basemap_data(), OFFLINE, asset_base=LEAFLET_URL, basemap_url=BASEMAP_URL, view=view)
        points = sorted({place_point(m, chosen, by_hand) for m in reading.places} | set(by_hand.values()))
        names = [m.text for i, m in enumerate(reading.mentions) if i in lit] or [
            name for name, point in by_hand.items() if point == focus
        ]
        st_folium(
            places_map(reading, fmap, chosen, by_hand),
            key=MAP_KEY,
            height=440,
            use_container_width=True,
            returned_objects=["last_clicked", "last_object_clicked"],
            center=tuple(focus) if focus else None,
            feature_group_to_add=focus_ring(focus, ", ".join(dict.fromkeys(names))),
            on_change=lambda: on_map_click(points, view[2] if view else 4),
        )
        _hand_placing(reading, by_hand)


def _hand_placing(reading, by_hand: dict) -> None:
    """Names the text says something happened at that no gazetteer knows: a click on the map places one."""
    unplaced = list(dict.fromkeys(name for name, _, _ in unplaced_names(reading.text, reading.mentions)))
    if not unplaced:
        return
    st.selectbox(
        "Place by hand: a name no gazetteer knows",
        [None, *unplaced],
        key=TO_PLACE_KEY,
        format_func=lambda name: (
            "Choose a name, then click the map where it is"
            if name is None
            else (
                f"{name} (placed by hand at {by_hand[name][0]:.3f}, {by_hand[name][1]:.3f}: click to move it)"
                if name in by_hand
                else name
            )
        ),
    )
    if st.session_state.get(TO_PLACE_KEY):
        st.info(f"Click the map where “{plain(st.session_state[TO_PLACE_KEY])}” is.")


def _place_review(reading) -> dict:
    """The user's pick for each name that may mean more than one place; the reading's best by default."""
    choices = place_choices(reading)
    chosen = {}
    with st.expander(
        f"Places: {len(reading.places)} found, {len(choices)} with more than one candidate", expanded=bool(choices)
    ):
        for written, candidates in choices.items():
            picked = st.selectbox(
                f"“{written}” is",
                range(len(candidates)),
                key=f"report_place_{written}",
                format_func=lambda i, c=candidates: (
                    f"{c[i].name} ({c[i].kind}, {c[i].country or 'no country'}, sure {c[i].confidence:.0%})"
                ),
            )
            chosen[written] = candidates[picked]
        if reading.places:
            st.dataframe(places_table(reading), hide_index=True, width="stretch")
    return chosen


def _event_review(reading):
    st.subheader("The events it tells")
    if not len(reading.events):
        st.info("No event proposed: no sentence tells of something happening at a place and a time.")
        return None
    st.caption(
        "Each row is a draft: untick what the report does not tell, correct dates, type, place or names "
        "(separate names with ';'; names the atlas does not know are kept as written)."
    )
    return st.data_editor(
        draft_rows(reading.events, st.session_state.get(BY_HAND_KEY)),
        key=f"report_events_{hash(reading.text)}_{len(st.session_state.get(BY_HAND_KEY, {}))}",
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        disabled=["Phrase", "Sentence", "Where and when from"],
        column_config={
            "Keep": st.column_config.CheckboxColumn("Keep", width="small"),
            "Precision": st.column_config.SelectboxColumn("Precision", options=list(PRECISIONS), required=True),
            "Type": st.column_config.SelectboxColumn("Type", options=list(EVENT_TYPES.values()), required=True),
        },
    )


def _keep(reading, rows: pd.DataFrame, chosen: dict, facts_in: dict) -> None:
    from geo.reading.keep import ReportFacts, keep_reading
    from geo.workspace import WorkspaceError, open_workspace
    from ui.identity import current_actor

    st.subheader("Keep")
    name = st.text_input(
        "Dataset name",
        value=facts_in["title"][:MAX_DATASET_NAME],
        key="report_dataset",
        help=f"At most {MAX_DATASET_NAME} characters.",
    )
    if not st.button("Keep the events ticked", type="primary", icon=":material/bookmark_add:", key="report_keep"):
        return
    try:
        events = corrected_events(
            reading.events, rows, chosen, atlas_data(), atlas_data().places, st.session_state.get(BY_HAND_KEY)
        )
        facts = ReportFacts(facts_in["title"], facts_in["author"], reading.report_date, facts_in["link"])
        workspace = open_workspace()
        info = keep_reading(
            events,
            reading.text,
            name.strip(),
            facts,
            file_name=facts_in["file_name"],
            workspace=workspace,
            by=current_actor(workspace.shared),
        )
    except (ValueError, WorkspaceError) as error:
        st.error(f"Not kept: {plain(error)}")
        return
    st.session_state.report_kept = (info.name, info.imported)


def main() -> None:
    st.title("Read a report")
    _input_form()
    facts_in = st.session_state.get("report_input")
    if not facts_in:
        return
    reading = _reading(facts_in["text"], facts_in["title"], facts_in["date"], facts_in["language"])
    when = (
        f"{reading.report_date.isoformat()} ({'as given' if reading.report_date_basis == 'given' else plain(reading.report_date_basis)})"
        if reading.report_date
        else "unknown: relative dates are left out; give the date above and read again"
    )
    st.markdown(
        f"**{plain(facts_in['title'])}** · {reading.words:,} words · "
        f"{LANGUAGES.get(reading.language, 'another language')} · report date {when}"
    )
    for problem in reading.problems:
        st.warning(plain(problem[0].upper() + problem[1:] + "."))
    chosen = _place_review(reading)
    _marks_and_map(reading, chosen)
    rows = _event_review(reading)
    if rows is not None:
        _keep(reading, rows, chosen, facts_in)
    kept = st.session_state.get("report_kept")
    if kept:
        st.success(
            f"Kept {kept[1]} event(s) as “{plain(kept[0])}”, with the report's text. They are on the "
            "dashboard with your other datasets, marked as from your reports."
        )
        st.page_link("app_pages/dashboard.py", label="Open the dashboard", icon=":material/map:")


main()
