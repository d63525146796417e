"""The lineage of the GSPC/AQIM family: one row per group with its active period, relations and leaders."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.catalog import Atlas
from geo.charts_data.common import as_date, group_names, people_names

__all__ = [
    "LINEAGE_KINDS",
    "LINEAGE_RELATIONS",
    "SIDE_RELATIONS",
    "RELATION_WORDS",
    "FAMILY_SEED",
    "lineage_groups",
    "lineage_table",
    "lineage_relations",
    "lineage_leaders",
]

# Group kinds drawn on the lineage: armed groups and their commands, not cells, communities or states.
LINEAGE_KINDS = ("organisation", "emirate", "brigade")
# Relations that make one group out of another: they join the family.
LINEAGE_RELATIONS = ("renamed-from", "split-from", "merged-into", "formed-from")
# Relations that tie a neighbour to the family without making it a member: one step only.
SIDE_RELATIONS = ("allied-with", "subordinate-to", "rival-of")
RELATION_WORDS = {
    "renamed-from": "renamed from",
    "split-from": "split from",
    "merged-into": "merged into",
    "formed-from": "formed from",
    "subordinate-to": "subordinate to",
    "allied-with": "allied with",
    "rival-of": "rival of",
}
# The group the atlas is about; its family is found from it through the curated relations.
FAMILY_SEED = "aqim"


def _family_and_neighbours(atlas: Atlas, seed: str) -> tuple[list[str], list[str]]:
    """(family in drawing order, neighbours in drawing order); see :func:`lineage_groups`."""
    groups = atlas.groups.set_index("id")
    armed = {gid for gid, kind in groups["kind"].items() if kind in LINEAGE_KINDS}
    if seed not in armed:
        return [], []
    links: dict[str, set[str]] = {gid: set() for gid in armed}
    side: dict[str, set[str]] = {gid: set() for gid in armed}
    for gid in armed:
        parent = groups.at[gid, "parent"]
        if isinstance(parent, str) and parent in armed:
            links[gid].add(parent)
            links[parent].add(gid)
        for relation in groups.at[gid, "relations"]:
            other = relation["group"]
            if other not in armed:
                continue
            table = links if relation["kind"] in LINEAGE_RELATIONS else side
            table[gid].add(other)
            table[other].add(gid)

    def start(gid: str) -> dt.date:
        return _first_evidence(atlas, gid) or dt.date.min

    family, todo = {seed}, [seed]
    while todo:
        for other in links[todo.pop()]:
            if other not in family:
                family.add(other)
                todo.append(other)
    # A staircase: earliest first, an organisation before its commands and units.
    rank = {kind: position for position, kind in enumerate(LINEAGE_KINDS)}
    order = sorted(family, key=lambda g: (start(g), rank[groups.at[g, "kind"]], g))
    neighbours = sorted({other for gid in family for other in side[gid]} - family, key=lambda g: (start(g), g))
    return order, neighbours


def lineage_groups(atlas: Atlas, seed: str = FAMILY_SEED) -> list[str]:
    """The GSPC/AQIM family and its neighbours, in drawing order.

    The family is every armed group (:data:`LINEAGE_KINDS`) reached from ``seed`` through
    parent units and :data:`LINEAGE_RELATIONS`, whichever way they point. Neighbours are
    armed groups one :data:`SIDE_RELATIONS` step from a member (AQIM's allies, al-Qaeda
    central). Order: the family by the first date the data gives each group (an organisation
    before its emirates, an emirate before its brigades), then the neighbours the same way.
    """
    family, neighbours = _family_and_neighbours(atlas, seed)
    return family + neighbours


def _event_dates(atlas: Atlas, group_id: str) -> list[tuple[dt.date, dt.date]]:
    """Dates of the events the group took part in (merely named ones do not count)."""
    events = atlas.events
    taking_part = [
        group_id in groups and roles.get(group_id) != "named"
        for groups, roles in zip(events["groups"], events["roles"])
    ]
    chosen = events[taking_part]
    return [(as_date(start), as_date(end)) for start, end in zip(chosen["date_start"], chosen["date_end"])]


def _first_evidence(atlas: Atlas, group_id: str) -> dt.date | None:
    """The earliest date the data gives the group: active start, else relations, leaders, events."""
    row = atlas.groups.set_index("id").loc[group_id]
    raw = _raw_group(atlas, group_id)
    if raw["start"]:
        return raw["start"]
    dates = [r["date"] for r in row["relations"] if r.get("date")]
    dates += [as_date((leader.get("period") or {}).get("start")) for leader in row["leaders"]]
    dates += [start for start, _ in _event_dates(atlas, group_id)]
    dates = [d for d in dates if d]
    return min(dates) if dates else None


def _raw_group(atlas: Atlas, group_id: str) -> dict:
    """The group's active period with its dates (the frame's years, with the day and month where recorded)."""
    row = atlas.groups.set_index("id").loc[group_id]
    active = row["active"] if isinstance(row["active"], dict) else {}
    start, end = as_date(active.get("start")), as_date(active.get("end"))
    # The years are the truth about which ends are open; the record only adds the day and month.
    if start is None and not pd.isna(row["active_from"]):
        start = dt.date(int(row["active_from"]), 1, 1)
    if end is None and not pd.isna(row["active_to"]):
        end = dt.date(int(row["active_to"]), 12, 31)
    if pd.isna(row["active_from"]):
        start = None
    if pd.isna(row["active_to"]):
        end = None
    return {"start": start, "end": end, "precision": active.get("precision", "year")}


def _window(year_from: int, year_to: int) -> tuple[dt.date, dt.date]:
    return dt.date(year_from, 1, 1), dt.date(year_to, 12, 31)


def lineage_table(atlas: Atlas, year_from: int = 2003, year_to: int = 2013) -> pd.DataFrame:
    """One row per group of the GSPC/AQIM family and its neighbours (see :func:`lineage_groups`).

    Columns: ``group`` (id), ``name``, ``kind``, ``parent``, ``family_order`` (drawing order),
    ``member`` (False for a neighbour), ``active_start`` / ``active_end`` (the curated dates,
    None where groups.yaml leaves them open), ``precision``, ``start_known`` / ``end_known``,
    ``drawn_start`` / ``drawn_end`` (what a bar covers inside ``year_from``-``year_to``: an
    open start is drawn from the first date the data gives the group, an open end to the end
    of the range, as the group outlives the data), ``open_start_note`` / ``open_end_note``
    (said in words), ``relations`` (the curated relations to other groups drawn, each with its
    date, precision, note and sources) and ``leaders`` (person, role, period, sources), and
    ``sources``.
    """
    ids = lineage_groups(atlas)
    shown = set(ids)
    names, people = group_names(atlas), people_names(atlas)
    frame = atlas.groups.set_index("id")
    window_start, window_end = _window(year_from, year_to)
    rows = []
    family = set(_family_and_neighbours(atlas, FAMILY_SEED)[0])
    for order, gid in enumerate(ids):
        row = frame.loc[gid]
        active = _raw_group(atlas, gid)
        start, end = active["start"], active["end"]
        first = _first_evidence(atlas, gid)
        if start:
            drawn_start, start_note = start, None
        elif first:
            drawn_start = first
            start_note = f"start not recorded: drawn from the first date the data gives it ({first.isoformat()})"
        else:
            drawn_start, start_note = window_start, "start not recorded"
        # A group that merged into another ends there even if its own period is left open.
        merged = [as_date(r.get("date")) for r in row["relations"] if r["kind"] == "merged-into" and r.get("date")]
        if end:
            drawn_end, end_note = end, None
        elif merged:
            drawn_end, end_note = min(merged), "end not recorded: drawn to its merger"
        else:
            drawn_end = window_end
            end_note = f"still active at the end of {year_to} or its end is not recorded ({year_to}+)"
        relations = [
            {
                "kind": r["kind"],
                "other": r["group"],
                "other_name": names.get(r["group"], r["group"]),
                "date": as_date(r.get("date")),
                "precision": r.get("precision", "year"),
                "note": r.get("note"),
                "sources": list(r.get("sources") or []),
            }
            for r in row["relations"]
            if r["group"] in shown
        ]
        leaders = [
            {
                "person": leader["person"],
                "name": people.get(leader["person"], leader["person"]),
                "role": leader.get("role"),
                "start": as_date((leader.get("period") or {}).get("start")),
                "end": as_date((leader.get("period") or {}).get("end")),
                "precision": (leader.get("period") or {}).get("precision", "year"),
                "sources": list(leader.get("sources") or []),
            }
            for leader in row["leaders"]
        ]
        rows.append(
            {
                "group": gid,
                "name": names.get(gid, gid),
                "full_name": row["name"],
                "kind": row["kind"],
                "parent": row["parent"] if isinstance(row["parent"], str) else None,
                "family_order": order,
                "member": gid in family,
                "active_start": start,
                "active_end": end,
                "precision": active["precision"],
                "start_known": start is not None,
                "end_known": end is not None,
                "drawn_start": max(drawn_start, window_start),
                "drawn_end": min(drawn_end, window_end),
                "starts_before_range": drawn_start < window_start,
                "ends_after_range": drawn_end > window_end,
                "open_start_note": start_note,
                "open_end_note": end_note,
                "relations": relations,
                "leaders": leaders,
                "sources": list(row["sources"]),
                "note": row["note"] if isinstance(row["note"], str) else None,
            }
        )
    return pd.DataFrame(rows)


def lineage_relations(table: pd.DataFrame) -> pd.DataFrame:
    """The relations of :func:`lineage_table`, one row each: group, kind, other, date, sources...

    ``lineage`` is True for renamings, splits, mergers and formations (drawn as connectors
    between the two bars), False for alliances, rivalries and subordination (marks on the bar).
    """
    rows = [
        {"group": row.group, "name": row.name, **relation, "lineage": relation["kind"] in LINEAGE_RELATIONS}
        for row in table.itertuples(index=False)
        for relation in row.relations
    ]
    columns = ["group", "name", "kind", "other", "other_name", "date", "precision", "note", "sources", "lineage"]
    return pd.DataFrame(rows, columns=columns)


def lineage_leaders(table: pd.DataFrame, year_from: int = 2003, year_to: int = 2013) -> pd.DataFrame:
    """The leaders of :func:`lineage_table` by period, clipped to the group's drawn bar."""
    rows = []
    for row in table.itertuples(index=False):
        for leader in row.leaders:
            start = max(leader["start"] or row.drawn_start, row.drawn_start)
            end = min(leader["end"] or row.drawn_end, row.drawn_end)
            if end < start:
                continue
            rows.append({"group": row.group, "group_name": row.name, **leader, "drawn_start": start, "drawn_end": end})
    columns = [
        "group",
        "group_name",
        "person",
        "name",
        "role",
        "start",
        "end",
        "precision",
        "sources",
        "drawn_start",
        "drawn_end",
    ]
    return pd.DataFrame(rows, columns=columns)
