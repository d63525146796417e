"""Sahel Atlas: the entry point. The dashboard is the home page; stories, the classroom and the user's own data have pages of their own."""

from __future__ import annotations

import streamlit as st

from layers import quick_render
from sahel_atlas import __version__

quick_render.install()  # before any map is made: the maps of every rerun render without recompiling
ABOUT = (
    f"**Sahel Atlas {__version__}**: a map and timeline of the Sahel operating area of AQIM and the groups "
    "around it, 2003–2013, every record cited. MIT licence."
)
st.set_page_config(page_title="Sahel Atlas", page_icon="🗺️", layout="wide", menu_items={"About": ABOUT})
# Streamlit's captions (text at 60% opacity) read at under 4.5:1 on white: a solid grey, on every page.
st.html("<style>[data-testid='stCaptionContainer'] { opacity: 1; color: #5c5b5a; }</style>")

PAGES = [
    st.Page("app_pages/dashboard.py", title="Dashboard", icon=":material/map:", default=True),
    st.Page("app_pages/present.py", title="Present a story", icon=":material/slideshow:", url_path="present"),
    st.Page("app_pages/classroom.py", title="Classroom", icon=":material/school:", url_path="classroom"),
    st.Page("app_pages/data.py", title="Your data", icon=":material/upload_file:", url_path="data"),
    st.Page("app_pages/read_report.py", title="Read a report", icon=":material/article:", url_path="read_report"),
]

page = st.navigation(PAGES, position="top")
# A page that the user has just come back to restores what it showed when they left.
st.session_state.page_changed = st.session_state.get("page_shown") != page.url_path
st.session_state.page_shown = page.url_path
page.run()
