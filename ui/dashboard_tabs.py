"""The dashboard's tabs under the map: the event table, charts, disagreements, areas and distances.

Each tab is drawn only while it is open, and they run on their own (a fragment): opening a tab
or changing a chart's choice reruns the tabs, not the map above them. What must change the map
(a row picked in the table, a group clicked in the chart of groups) runs the whole page. The
charts come with PNG and SVG downloads for slides; the areas tab answers a classroom's "how
big?" and "how far?".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.export import formulas_neutralised
from geo.measure import LETTERS_REGION_READING
from ui import charts, imported
from ui.data import atlas_data
from ui.state import DashboardState
from ui.table_picks import ROW_CLICKS, picked_row, table_targets
from view import Names

__all__ = [
    "under_the_map",
    "listed_imported",
    "events_table_tab",
    "events_per_year_tab",
    "groups_tab",
    "kidnapping_tab",
    "disagreements_tab",
    "areas_and_distances",
]

# Filters and choices come back as the user left them on returning from another page.
KEPT = "session"
# The letters' region, and the north of Mali the groups held in 2012, beside France and Belgium.
COMPARED_AREAS = ("emirate-of-the-sahara", "jihadist-held-northern-mali")


@st.fragment
def under_the_map(
    shown_events, shown_imported, store, names: Names, state: DashboardState, event_filter, map_drawn: bool = True
) -> None:
    """The tabs under the map; only the open one is computed. The table waits for ``map_drawn``: its
    code is heavy for the browser, and the map comes first."""
    table_tab, chart_tab, groups_chart_tab, kidnapping_chart_tab, claims_tab, measure_tab = st.tabs(
        ["Events", "Events per year", "Groups over time", "Kidnapping economy", "Disagreements", "Areas and distances"],
        key="below_map",
        on_change="rerun",
    )
    if table_tab.open:
        with table_tab:
            if map_drawn:
                events_table_tab(shown_events, shown_imported, store, names)
            else:
                st.caption("The table of the events shown comes once the map is drawn.")
    if chart_tab.open:
        with chart_tab:
            events_per_year_tab(imported.for_charts(shown_events, shown_imported), names, state, event_filter)
    if groups_chart_tab.open:
        with groups_chart_tab:
            groups_tab(names)
    if kidnapping_chart_tab.open:
        with kidnapping_chart_tab:
            kidnapping_tab(names)
    if claims_tab.open:
        with claims_tab:
            disagreements_tab(atlas_data(), names, shown_events)
    if measure_tab.open:
        with measure_tab:
            areas_and_distances(names)


def listed_imported(store, shown_imported):
    """The imported events the table lists whole (their source, actors...): the first ones; all are drawn."""
    if shown_imported is None or not len(shown_imported):
        return None
    return imported.listed_in_table(store, shown_imported)


def events_table_tab(shown_events, shown_imported, store, names: Names) -> None:
    """Every event shown, the reports' and the user's; a click on a row selects it and pans the map to it."""
    st.caption("Click a row to select the event and show it on the map.")
    table_imported = listed_imported(store, shown_imported)
    table = charts.event_table(shown_events, names)
    if table_imported is not None:
        table = pd.concat(
            [
                table.assign(Dataset=imported.REPORTS)[["Dataset", *table.columns]],
                imported.table_rows(table_imported, names),
            ],
            ignore_index=True,
        )
        if len(shown_imported) > len(table_imported):
            st.caption(
                f"The first {len(table_imported):,} of the {len(shown_imported):,} imported events "
                "shown are listed (by date); the downloads hold them all."
            )
    # The table's own download writes its cells to a CSV file: no cell may be a formula there.
    st.dataframe(
        formulas_neutralised(table),
        width="stretch",
        hide_index=True,
        on_select="rerun",
        selection_mode=ROW_CLICKS,
        key="event_table",
    )
    # A row just picked reran only these tabs: the page runs, and selects it (table_picks.remember_table_choice).
    row = picked_row(st.session_state.get("event_table", {}).get("selection", {}))
    if row is not None:
        targets = table_targets(shown_events, table_imported)
        if row < len(targets) and targets.iloc[row]["select"] != st.session_state.get("event_table_pick"):
            st.rerun()


def _chart_downloads(chart, stem: str, key: str) -> None:
    """The chart shown, for slides: PNG and SVG, drawn offline when a button is pressed."""
    from ui import analyst_charts

    png, svg, _ = st.columns([1, 1, 4])
    png.download_button(
        "PNG",
        lambda: analyst_charts.chart_png(chart, scale=2),
        file_name=f"{stem}.png",
        mime="image/png",
        icon=":material/image:",
        key=f"{key}_png",
    )
    svg.download_button(
        "SVG",
        lambda: analyst_charts.chart_svg(chart),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        icon=":material/image:",
        key=f"{key}_svg",
    )


def events_per_year_tab(shown_events, names: Names, state: DashboardState, event_filter) -> None:
    from ui import analyst_charts  # altair: only for the chart tabs

    if shown_events.empty:
        st.info("No events match the filters.")
        return
    by = st.segmented_control(
        "Count by",
        ["group", "type"],
        key="events_per_year_by",
        persist_state=KEPT,
        default="group",
        format_func={"group": "Group", "type": "Event type"}.get,
    )
    disagreements = atlas_data().disagreements
    if by == "type":
        chart = analyst_charts.events_by_type_chart(shown_events, disagreements, state.year_from, state.year_to)
    else:
        chart = analyst_charts.events_by_group_chart(shown_events, names, disagreements, state.year_from, state.year_to)
    st.altair_chart(chart, width="stretch")
    st.caption("The faded, dashed part of a bar: events the reports disagree about (see Disagreements).")
    if event_filter.year_from is None and (shown_events["year_end"] < state.year_from).any():
        st.caption(f"Events that ended before {state.year_from} are in the table, not in the chart.")
    _chart_downloads(chart, f"sahel-atlas-events-per-year-by-{by or 'group'}", "events_per_year")


def groups_tab(names: Names) -> None:
    """The groups over time; a click on a group shows it, with its brigades and successors, on the map."""
    from ui import analyst_charts

    chart = analyst_charts.lineage_chart(atlas_data(), names)
    st.caption(
        "Click a group to show it on the map, with its brigades and successors. Hover for dates, "
        "leaders and the reports behind each mark."
    )
    with st.container(key="wide-chart-lineage"):  # its own width; a phone scrolls it sideways
        picked = st.altair_chart(
            chart, width="content", on_select="rerun", key="lineage", selection_mode=analyst_charts.GROUP_SELECTION
        )
    chosen = [
        point.get("group")
        for point in (picked or {}).get("selection", {}).get(analyst_charts.GROUP_SELECTION, [])
        if point.get("group")
    ]
    if chosen and chosen != st.session_state.get("lineage_applied"):
        st.session_state.lineage_applied = chosen
        st.session_state.next_groups = chosen[:1]  # the groups widget takes it on the next run
        st.rerun()
    _chart_downloads(chart, "sahel-atlas-groups-over-time", "lineage")


def kidnapping_tab(names: Names) -> None:
    """Every hostage-taking with its outcome, and the ransoms per hostage in one currency."""
    from ui import analyst_charts

    atlas = atlas_data()
    takings = analyst_charts.kidnapping_chart(atlas, names)
    with st.container(key="wide-chart-takings"):
        st.altair_chart(takings, width="content")
    _chart_downloads(takings, "sahel-atlas-hostage-takings", "takings")
    money = analyst_charts.ransom_chart(atlas, names)
    with st.container(key="wide-chart-ransoms"):
        st.altair_chart(money, width="content")
    st.caption(
        "Ransoms converted to US dollars at the year's average rate (US Federal Reserve, G.5A); the "
        "original amount is kept on each point. A range joins figures the reports disagree on."
    )
    _chart_downloads(money, "sahel-atlas-ransoms", "ransoms")


def disagreements_tab(atlas, names: Names, shown_events) -> None:
    """The disagreements that bear on the events shown, or all of them."""
    show_all = st.toggle("Show all disagreements", key="all_disagreements", persist_state=KEPT)
    events = None if show_all else shown_events
    shown, total = charts.disagreement_counts(atlas, events)
    st.caption(f"{shown} of {total} disagreements" + ("" if show_all else " bear on the events shown"))
    st.html(charts.disagreements_html(atlas, names, events))


@st.cache_data
def _area_comparisons() -> list[str]:
    from geo.measure import sahara_vs_france_belgium  # pyproj's equal-area sums: only in this tab

    return [sahara_vs_france_belgium(region).describe() for region in COMPARED_AREAS]


def areas_and_distances(names: Names) -> None:
    """For teachers: how big the area is, and how far apart places are (great circle)."""
    from geo.measure import great_circle_km

    st.markdown(
        "**How big?** The Timbuktu letters call the Sahara region 'equal to that of France and "
        "Belgium combined'. Measured in an equal-area projection:"
    )
    for line in _area_comparisons():
        st.markdown(f"- {line}")
    st.caption(f"Which region the letters meant: {LETTERS_REGION_READING}")
    located = atlas_data().places
    towns = located[located["kind"].isin(["city", "town", "site", "mountain"])].sort_values("name")
    left, right = st.columns(2)
    start = left.selectbox(
        "From",
        towns["id"],
        format_func=names.places.get,
        key="measure_from",
        persist_state=KEPT,
        index=int(towns["id"].tolist().index("algiers")) if "algiers" in set(towns["id"]) else 0,
    )
    end = right.selectbox(
        "To",
        towns["id"],
        format_func=names.places.get,
        key="measure_to",
        persist_state=KEPT,
        index=int(towns["id"].tolist().index("timbuktu")) if "timbuktu" in set(towns["id"]) else 0,
    )
    points = towns.set_index("id").geometry
    kilometres = great_circle_km(points[start].x, points[start].y, points[end].x, points[end].y)
    st.markdown(
        f"**{names.places[start]} → {names.places[end]}: {kilometres:,.0f} km** "
        f"({kilometres / 1.609344:,.0f} miles) as the crow flies."
    )
