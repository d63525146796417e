"""The marked text and the map of the "Read a report" page, linked both ways.

A click on a place in the text centres the map on it and rings its mark; a click on a mark lights
every mention of that place in the text and scrolls to the first. A name the text places nowhere
('fighting in Konna' where no gazetteer knows Konna) is placed by hand: the user picks it, then
clicks the map.

What is shown and lit lives in the session (``report_focus``, ``report_by_hand``), so the page's
other state (the picks, the edited events) stays as it is.
"""

from __future__ import annotations

import math

import folium
import streamlit as st

__all__ = [
    "FOCUS_KEY",
    "BY_HAND_KEY",
    "TO_PLACE_KEY",
    "MAP_KEY",
    "focus_ring",
    "lit_mentions",
    "on_map_click",
    "place_point",
    "show_marked_text",
]

FOCUS_KEY = "report_focus"  # (lat, lon) of the place shown, or None
BY_HAND_KEY = "report_by_hand"  # name as written -> (lat, lon) the user clicked
TO_PLACE_KEY = "report_to_place"  # the name waiting for a click on the map, or None
MAP_KEY = "report_map"
CLICK_PIXELS = 14  # how near a click must fall to a mark to mean it

# Runs in the page: the text is set only when it changed (the reader's scroll is kept), a click or
# Enter on a place sends its number, and a place lit from the map is scrolled into view.
_JS = """
export default function ({ data, parentElement, setTriggerValue }) {
  let box = parentElement.querySelector(".atlas-report-holder");
  if (!box) {
    box = document.createElement("div");
    box.className = "atlas-report-holder";
    parentElement.appendChild(box);
  }
  if (box._html !== data.html) {
    const scrolled = box.querySelector(".atlas-report");
    const top = scrolled ? scrolled.scrollTop : 0;
    box.innerHTML = data.html;
    box._html = data.html;
    const text = box.querySelector(".atlas-report");
    if (text) text.scrollTop = top;
  }
  const send = (event) => {
    const mark = event.target.closest("mark[data-mention]");
    if (!mark || (event.type === "keydown" && event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    setTriggerValue("mention", Number(mark.dataset.mention));
  };
  box.onclick = send;
  box.onkeydown = send;
  const lit = box.querySelector("mark.atlas-mark-lit");
  const text = box.querySelector(".atlas-report");
  if (data.scroll && lit && text && box._scrolled !== data.scroll) {
    box._scrolled = data.scroll;
    text.scrollTop = lit.offsetTop - text.offsetTop - text.clientHeight / 3;
  }
}
"""
_marked_text = st.components.v2.component("atlas_report_text", js=_JS, isolate_styles=False)


def place_point(mention, chosen: dict, by_hand: dict) -> tuple[float, float] | None:
    """(lat, lon) where a place mention is on the map: the user's pick or hand placing, else the best."""
    if mention.kind != "place":
        return by_hand.get(mention.text)
    best = chosen.get(mention.text, mention.candidates[0])
    return round(best.lat, 5), round(best.lon, 5)


def lit_mentions(reading, chosen: dict, by_hand: dict, focus) -> set[int]:
    """Numbers (in ``reading.mentions``) of the mentions of the place shown."""
    if focus is None:
        return set()
    return {i for i, m in enumerate(reading.mentions) if place_point(m, chosen, by_hand) == tuple(focus)}


def show_marked_text(html: str, scroll: str | None) -> int | None:
    """The marked text (``html`` from :func:`ui.report_reading.marked_text`); the mention clicked, if any."""
    result = _marked_text(key="report_text", data={"html": html, "scroll": scroll}, on_mention_change=lambda: None)
    clicked = getattr(result, "mention", None)
    return int(clicked) if clicked is not None else None


def focus_ring(point: tuple[float, float] | None, label: str) -> folium.FeatureGroup:
    """A ring round the place shown (drawn over the map without reloading it)."""
    group = folium.FeatureGroup(name="The place shown")
    if point is not None:
        folium.CircleMarker(
            list(point),
            radius=13,
            weight=4,
            color="#d62728",
            fill=False,
            class_name="atlas-report-focus",
            tooltip=folium.Tooltip(label),
        ).add_to(group)
    return group


def _nearest_mark(points: list[tuple[float, float]], lat: float, lng: float, zoom: float):
    """The mark within :data:`CLICK_PIXELS` of a click at this zoom, nearest first; None if none."""
    degrees = CLICK_PIXELS * 360 / (256 * 2**zoom)
    near = [(math.hypot(p[0] - lat, (p[1] - lng) * math.cos(math.radians(lat))), p) for p in points]
    near = [pair for pair in near if pair[0] <= degrees]
    return min(near)[1] if near else None


def on_map_click(points: list[tuple[float, float]], zoom: float) -> None:
    """Before the page runs: a click on a mark shows that place; with a name to place, a click places it."""
    value = st.session_state.get(MAP_KEY) or {}
    seen = st.session_state.get("report_map_seen", {})
    clicked, hit = value.get("last_clicked"), value.get("last_object_clicked")
    new_click = clicked is not None and clicked != seen.get("last_clicked")
    new_hit = hit is not None and hit != seen.get("last_object_clicked")
    name = st.session_state.get(TO_PLACE_KEY)
    if new_click and name:
        point = (round(clicked["lat"], 5), round(clicked["lng"], 5))
        st.session_state[BY_HAND_KEY] = {**st.session_state.get(BY_HAND_KEY, {}), name: point}
        st.session_state[TO_PLACE_KEY] = None
        st.session_state[FOCUS_KEY] = point
    elif new_hit or new_click:
        target = hit if new_hit else clicked
        mark = _nearest_mark(points, target["lat"], target["lng"], zoom)
        if mark is not None:
            st.session_state[FOCUS_KEY] = mark
            st.session_state["report_scroll"] = f"{mark}:{value.get('last_object_clicked_count')}"
    st.session_state["report_map_seen"] = {
        "last_clicked": clicked,
        "last_object_clicked": value.get("last_object_clicked"),
    }
