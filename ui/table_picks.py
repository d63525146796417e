"""Tables of events that select what the user clicks: a click anywhere on a row, not only its box.

Streamlit's tables tell a row picked by its selection box apart from a cell clicked
(``selection.rows`` and ``selection.cells``); to a reader both mean "this event", so
both select it. The map pans to it when it has a point.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

__all__ = ["ROW_CLICKS", "PAN_ZOOM", "picked_row", "table_targets", "remember_table_choice"]

# The selection a table of events asks Streamlit for: a row by its box, or any of its cells.
ROW_CLICKS = ["single-row", "single-cell"]
PAN_ZOOM = 6  # the zoom the map pans to for an event picked in a table


def picked_row(selection: dict) -> int | None:
    """The row a table's selection points at: the row picked, else the row of the cell clicked."""
    rows = selection.get("rows") or []
    if rows:
        return int(rows[0])
    cells = selection.get("cells") or []
    return int(cells[0][0]) if cells else None


def table_targets(shown_events, table_imported=None) -> pd.DataFrame:
    """What each row of the event table selects, in the table's order: the selection and its point."""
    curated = pd.DataFrame(
        {"select": "event:" + shown_events["id"], "lat": shown_events.geometry.y, "lon": shown_events.geometry.x}
    )
    if table_imported is None or table_imported.empty:
        return curated.reset_index(drop=True)
    mine = pd.DataFrame(
        {
            "select": "imported:" + table_imported["id"],
            "lat": table_imported.geometry.y,
            "lon": table_imported.geometry.x,
        }
    )
    return pd.concat([curated, mine], ignore_index=True)


def remember_table_choice(targets, key: str = "event_table") -> None:
    """A row picked (or a cell clicked) in a table of events selects that event and pans the map to it.

    ``targets`` is :func:`table_targets`' answer, or a function giving it, asked only when a row is picked.
    """
    row = picked_row(st.session_state.get(key, {}).get("selection", {}))
    if row is not None and callable(targets):
        targets = targets()
    picked = targets.iloc[row] if row is not None and row < len(targets) else None
    if picked is None or st.session_state.get(f"{key}_pick") == picked["select"]:
        return
    st.session_state[f"{key}_pick"] = picked["select"]
    st.session_state.selected = picked["select"]
    if pd.notna(picked["lat"]) and pd.notna(picked["lon"]):
        st.session_state.pan_to = (round(float(picked["lat"]), 4), round(float(picked["lon"]), 4), PAN_ZOOM)
