"""Sahel Atlas: the entry point. The dashboard is the home page; stories have a page of their own."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Sahel Atlas", page_icon="🗺️", layout="wide")

PAGES = [
    st.Page("app_pages/dashboard.py", title="Dashboard", icon=":material/map:", default=True),
    st.Page("app_pages/present.py", title="Present a story", icon=":material/slideshow:", url_path="present"),
]

st.navigation(PAGES, position="top").run()
