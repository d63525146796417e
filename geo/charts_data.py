"""The numbers behind the analysts' charts, as plain tables that can be checked without drawing.

Three subjects:

- the lineage of the GSPC/AQIM family: one row per group with its active period, how
  sure its ends are, its relations (renamings, splits, mergers, alliances) and its leaders;
- the kidnapping economy: every hostage-taking with what became of the hostages, as far
  as later events name the same hostages, and every ransom demanded or paid, in its own
  currency and in US dollars at the year's average rate (``data/exchange_rates.yaml``);
- events per year by type, with how many of them the reports dispute.

Citations stay as the curated ``{source, locator}`` records; the charts give them their
reports' names (see :class:`ui.Names`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from geo.catalog import Atlas, read_records
from geo.schema import EVENT_TYPES
from geo.stats import OTHER_GROUPS, events_by_year_and_group, years_spanned

__all__ = [
    "LINEAGE_KINDS", "LINEAGE_RELATIONS", "SIDE_RELATIONS", "RELATION_WORDS",
    "NOT_RECORDED", "RANSOM_STATUSES", "EXCHANGE_RATES_FILE",
    "lineage_groups", "lineage_table", "lineage_relations", "lineage_leaders",
    "hostage_takings", "hostage_outcomes", "exchange_rates", "usd_per_unit", "ransoms", "ransom_disputes",
    "disputed_event_ids", "events_per_year_by_type", "disputed_events_by_year_and_group",
]

# Group kinds drawn on the lineage: armed groups and their commands, not cells, communities or states.
LINEAGE_KINDS = ("organisation", "emirate", "brigade")
# Relations that make one group out of another: they join the family.
LINEAGE_RELATIONS = ("renamed-from", "split-from", "merged-into", "formed-from")
# Relations that tie a neighbour to the family without making it a member: one step only.
SIDE_RELATIONS = ("allied-with", "subordinate-to", "rival-of")
RELATION_WORDS = {
    "renamed-from": "renamed from", "split-from": "split from", "merged-into": "merged into",
    "formed-from": "formed from", "subordinate-to": "subordinate to", "allied-with": "allied with",
    "rival-of": "rival of",
}
# The group the atlas is about; its family is found from it through the curated relations.
FAMILY_SEED = "aqim"

NOT_RECORDED = "outcome not recorded"
# Event types that end a captivity, and the outcome each records.
_OUTCOME_OF_TYPE = {"release": "released", "killing": "killed", "escape": "escaped"}
# Money statuses that belong to the kidnapping economy ('price' is what arms cost).
RANSOM_STATUSES = ("demanded", "paid", "reported")

EXCHANGE_RATES_FILE = Path(__file__).parent / "data" / "exchange_rates.yaml"


# --- small helpers ---------------------------------------------------------------------------------

def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _date(value) -> dt.date | None:
    if _missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _group_names(atlas: Atlas) -> dict[str, str]:
    """Display names as the app gives them: the short name where there is one."""
    return {row.id: (row.short_name if isinstance(row.short_name, str) else row.name)
            for row in atlas.groups.itertuples(index=False)}


def _people_names(atlas: Atlas) -> dict[str, str]:
    return dict(zip(atlas.people["id"], atlas.people["name"]))


# --- 1. lineage ------------------------------------------------------------------------------------

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
    taking_part = [group_id in groups and roles.get(group_id) != "named"
                   for groups, roles in zip(events["groups"], events["roles"])]
    chosen = events[taking_part]
    return [(_date(start), _date(end)) for start, end in zip(chosen["date_start"], chosen["date_end"])]


def _first_evidence(atlas: Atlas, group_id: str) -> dt.date | None:
    """The earliest date the data gives the group: active start, else relations, leaders, events."""
    row = atlas.groups.set_index("id").loc[group_id]
    raw = _raw_group(atlas, group_id)
    if raw["start"]:
        return raw["start"]
    dates = [r["date"] for r in row["relations"] if r.get("date")]
    dates += [_date((leader.get("period") or {}).get("start")) for leader in row["leaders"]]
    dates += [start for start, _ in _event_dates(atlas, group_id)]
    dates = [d for d in dates if d]
    return min(dates) if dates else None


def _raw_group(atlas: Atlas, group_id: str) -> dict:
    """The group's active period with its dates (the groups frame keeps only the years)."""
    active = _active_periods(_data_dir())[group_id] if group_id in _active_periods(_data_dir()) else {}
    years = atlas.groups.set_index("id").loc[group_id, ["active_from", "active_to"]]
    start, end = _date(active.get("start")), _date(active.get("end"))
    # The frame is the truth about which ends are open; the file only adds the day and month.
    if start is None and not pd.isna(years["active_from"]):
        start = dt.date(int(years["active_from"]), 1, 1)
    if end is None and not pd.isna(years["active_to"]):
        end = dt.date(int(years["active_to"]), 12, 31)
    if pd.isna(years["active_from"]):
        start = None
    if pd.isna(years["active_to"]):
        end = None
    return {"start": start, "end": end, "precision": active.get("precision", "year")}


def _data_dir() -> str:
    from geo.catalog import DATA_DIR, DATA_DIR_VARIABLE
    return str(Path(os.environ.get(DATA_DIR_VARIABLE) or DATA_DIR).resolve())


@lru_cache(maxsize=4)
def _active_periods(data_dir: str) -> dict[str, dict]:
    return {record["id"]: dict(record.get("active") or {}) for record in read_records(data_dir)["groups"]}


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
    names, people = _group_names(atlas), _people_names(atlas)
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
        merged = [_date(r.get("date")) for r in row["relations"] if r["kind"] == "merged-into" and r.get("date")]
        if end:
            drawn_end, end_note = end, None
        elif merged:
            drawn_end, end_note = min(merged), "end not recorded: drawn to its merger"
        else:
            drawn_end = window_end
            end_note = f"still active at the end of {year_to} or its end is not recorded ({year_to}+)"
        relations = [
            {"kind": r["kind"], "other": r["group"], "other_name": names.get(r["group"], r["group"]),
             "date": _date(r.get("date")), "precision": r.get("precision", "year"),
             "note": r.get("note"), "sources": list(r.get("sources") or [])}
            for r in row["relations"] if r["group"] in shown
        ]
        leaders = [
            {"person": leader["person"], "name": people.get(leader["person"], leader["person"]),
             "role": leader.get("role"),
             "start": _date((leader.get("period") or {}).get("start")),
             "end": _date((leader.get("period") or {}).get("end")),
             "precision": (leader.get("period") or {}).get("precision", "year"),
             "sources": list(leader.get("sources") or [])}
            for leader in row["leaders"]
        ]
        rows.append({
            "group": gid, "name": names.get(gid, gid), "full_name": row["name"], "kind": row["kind"],
            "parent": row["parent"] if isinstance(row["parent"], str) else None,
            "family_order": order, "member": gid in family,
            "active_start": start, "active_end": end, "precision": active["precision"],
            "start_known": start is not None, "end_known": end is not None,
            "drawn_start": max(drawn_start, window_start), "drawn_end": min(drawn_end, window_end),
            "starts_before_range": drawn_start < window_start, "ends_after_range": drawn_end > window_end,
            "open_start_note": start_note, "open_end_note": end_note,
            "relations": relations, "leaders": leaders, "sources": list(row["sources"]),
            "note": row["note"] if isinstance(row["note"], str) else None,
        })
    return pd.DataFrame(rows)


def lineage_relations(table: pd.DataFrame) -> pd.DataFrame:
    """The relations of :func:`lineage_table`, one row each: group, kind, other, date, sources...

    ``lineage`` is True for renamings, splits, mergers and formations (drawn as connectors
    between the two bars), False for alliances, rivalries and subordination (marks on the bar).
    """
    rows = [{"group": row.group, "name": row.name, **relation,
             "lineage": relation["kind"] in LINEAGE_RELATIONS}
            for row in table.itertuples(index=False) for relation in row.relations]
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
            rows.append({"group": row.group, "group_name": row.name, **leader,
                         "drawn_start": start, "drawn_end": end})
    columns = ["group", "group_name", "person", "name", "role", "start", "end", "precision", "sources",
               "drawn_start", "drawn_end"]
    return pd.DataFrame(rows, columns=columns)


# --- 2. the kidnapping economy -----------------------------------------------------------------------

def _hostage_people(event, people_roles: dict[str, list[str]]) -> list[str]:
    """The event's people who are its targets and whom the data records as hostages."""
    return [person for person in event.people
            if event.roles.get(person) == "target" and "hostage" in people_roles.get(person, [])]


def _actors(event) -> set[str]:
    return {participant for participant, role in event.roles.items() if role == "actor"}


def _outcome_links(atlas: Atlas) -> dict[str, list[dict]]:
    """For each kidnapping, the later events that end the captivity of some of its hostages.

    A release or killing is linked when it names the same hostages (people ids). Where neither
    side names its hostages, a release or killing with no named hostages is linked when it
    shares an actor and a hostage nationality with the kidnapping and starts no earlier:
    ``basis`` says which.
    """
    events = atlas.events
    people_roles = dict(zip(atlas.people["id"], atlas.people["roles"]))
    kidnappings = events[events["type"] == "kidnapping"]
    endings = events[events["type"].isin(list(_OUTCOME_OF_TYPE))]
    links: dict[str, list[dict]] = {}
    for taking in kidnappings.itertuples(index=False):
        hostages = set(_hostage_people(taking, people_roles))
        found = []
        for ending in endings.itertuples(index=False):
            if ending.date_end < taking.date_start:
                continue
            freed = set(_hostage_people(ending, people_roles))
            if hostages and freed & hostages:
                count, basis, who = len(freed & hostages), "the same named hostages", sorted(freed & hostages)
            elif (not hostages and not freed and _actors(ending) & _actors(taking)
                  and set(ending.hostage_nationalities) & set(taking.hostage_nationalities)):
                count = None if pd.isna(ending.hostage_count) else int(ending.hostage_count)
                basis, who = "same captors and hostages' nationality (no hostage named)", []
            else:
                continue
            found.append({"event": ending.id, "outcome": _OUTCOME_OF_TYPE[ending.type], "count": count,
                          "date": ending.date_start, "date_end": ending.date_end, "title": ending.title,
                          "hostages": who, "basis": basis, "sources": list(ending.sources)})
        links[taking.id] = sorted(found, key=lambda link: (link["date"], link["event"]))
    return links


def hostage_takings(atlas: Atlas) -> pd.DataFrame:
    """Every kidnapping event once, with its hostages and what became of them.

    Columns: ``event``, ``title``, ``date_start``, ``date_end``, ``year``, ``groups`` (those
    that carried it out), ``hostage_count`` (None where the reports give no number, as for a
    campaign of kidnappings), ``nationalities``, ``hostages`` (people ids of named hostages),
    ``outcome`` (released, killed, escaped, ``mixed``, or :data:`NOT_RECORDED` where no
    later event in the data ends the captivity), ``outcome_date`` (the last linked ending),
    ``outcomes`` (the linked endings, see :func:`hostage_outcomes`), ``unaccounted``
    (hostages no linked ending covers, when the counts allow saying) and ``sources``.
    """
    events = atlas.events
    links = _outcome_links(atlas)
    people_roles = dict(zip(atlas.people["id"], atlas.people["roles"]))
    rows = []
    for taking in events[events["type"] == "kidnapping"].itertuples(index=False):
        endings = links[taking.id]
        count = None if pd.isna(taking.hostage_count) else int(taking.hostage_count)
        kinds = sorted({ending["outcome"] for ending in endings})
        outcome = NOT_RECORDED if not kinds else kinds[0] if len(kinds) == 1 else "mixed"
        counted = [ending["count"] for ending in endings]
        unaccounted = (count - sum(counted)) if count is not None and endings and None not in counted else None
        rows.append({
            "event": taking.id, "title": taking.title, "date_start": taking.date_start, "date_end": taking.date_end,
            "year": int(taking.year_start), "groups": list(taking.leading_groups),
            "hostage_count": count, "nationalities": list(taking.hostage_nationalities),
            "hostages": _hostage_people(taking, people_roles),
            "outcome": outcome, "outcome_date": endings[-1]["date"] if endings else None,
            "outcomes": endings, "unaccounted": unaccounted, "sources": list(taking.sources),
        })
    columns = ["event", "title", "date_start", "date_end", "year", "groups", "hostage_count", "nationalities",
               "hostages", "outcome", "outcome_date", "outcomes", "unaccounted", "sources"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def hostage_outcomes(atlas: Atlas) -> pd.DataFrame:
    """One row per kidnapping and ending (or one ``NOT_RECORDED`` row): the captivities.

    Columns: ``event`` (the kidnapping), ``title``, ``taken`` (its start), ``outcome``,
    ``ended`` (the ending's start, None when not recorded), ``ending_event``, ``ending_title``,
    ``count`` (hostages this ending covers, None where not given), ``basis`` (how the ending is
    linked), ``sources`` (the ending's, or the kidnapping's when none is recorded).
    """
    rows = []
    for taking in hostage_takings(atlas).itertuples(index=False):
        base = {"event": taking.event, "title": taking.title, "taken": taking.date_start, "year": taking.year,
                "hostage_count": taking.hostage_count, "nationalities": taking.nationalities}
        for ending in taking.outcomes:
            rows.append({**base, "outcome": ending["outcome"], "ended": ending["date"],
                         "ending_event": ending["event"], "ending_title": ending["title"], "count": ending["count"],
                         "basis": ending["basis"], "sources": ending["sources"]})
        if not taking.outcomes or (not _missing(taking.unaccounted) and taking.unaccounted > 0):
            rows.append({**base, "outcome": NOT_RECORDED, "ended": None, "ending_event": None, "ending_title": None,
                         "count": taking.unaccounted if taking.outcomes else taking.hostage_count,
                         "basis": "no later event in the data names these hostages", "sources": taking.sources})
    columns = ["event", "title", "taken", "year", "hostage_count", "nationalities", "outcome", "ended",
               "ending_event", "ending_title", "count", "basis", "sources"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


@lru_cache(maxsize=2)
def exchange_rates(path: str | Path = EXCHANGE_RATES_FILE) -> dict:
    """The yearly average rates of ``data/exchange_rates.yaml``, as written (see its header)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def usd_per_unit(currency: str, year: int, rates: dict | None = None) -> float:
    """US dollars for one unit of ``currency`` in ``year`` (its annual average).

    Raises ``KeyError`` naming the currency and year when the table has no rate for them.
    """
    if currency == "USD":
        return 1.0
    rates = rates or exchange_rates()
    entry = rates["currencies"].get(currency)
    if entry is None or year not in entry["rates"]:
        raise KeyError(f"no exchange rate for {currency} in {year} in {EXCHANGE_RATES_FILE.name}")
    rate = float(entry["rates"][year])
    return rate if entry["quote"] == "usd_per_unit" else 1.0 / rate


def _ransom_kidnapping(ransom, takings: pd.DataFrame, people_roles) -> tuple[str | None, str]:
    """The kidnapping a ransom is for, and how that was decided ('' when none is found).

    Named hostages in common decide; otherwise the one kidnapping by the same actors, begun
    no later, whose hostages were not all freed or killed before the ransom.
    """
    hostages = set(_hostage_people(ransom, people_roles))
    if hostages:
        for taking in takings.itertuples(index=False):
            if hostages & set(taking.hostages):
                return taking.event, "the same named hostages"
    candidates = []
    for taking in takings.itertuples(index=False):
        if _missing(taking.hostage_count) or taking.date_start > ransom.date_start:
            continue
        if not (_actors(ransom) & set(_actor_ids(taking))):
            continue
        still_held = _missing(taking.outcome_date) or taking.outcome_date >= ransom.date_start
        if still_held:
            candidates.append(taking.event)
    if len(candidates) == 1:
        return candidates[0], "same captors, hostages still held"
    return None, ""


def _actor_ids(taking) -> list[str]:
    return taking.actors if hasattr(taking, "actors") else []


def _held_at(taking, when: str) -> int | None:
    """Hostages of ``taking`` still held on ``when``: those taken less those freed or killed before."""
    if _missing(taking["hostage_count"]):
        return None
    ended_before = [ending["count"] for ending in taking["outcomes"] if ending["date_end"] < when]
    if any(_missing(count) for count in ended_before):
        return None
    return taking["hostage_count"] - sum(ended_before)


def ransom_disputes(atlas: Atlas) -> pd.DataFrame:
    """Amounts the reports disagree on: one row per money disagreement, its claims as a range.

    Each claim's amount and currency are read from its wording ('about EUR 7 million',
    'up to USD 10 million') and converted at the event's year; ``low_usd`` / ``high_usd`` are
    the extremes, ``claims`` keeps every claim with its value, amount, currency, USD and sources.
    """
    events = atlas.events.set_index("id")
    disagreements = atlas.disagreements
    rows = []
    if disagreements.empty:
        return pd.DataFrame(columns=["disagreement", "event", "subject", "date", "year", "claims", "low_usd",
                                     "high_usd", "shown", "reason"])
    for item in disagreements[disagreements["field"] == "money"].itertuples(index=False):
        if item.event not in events.index:
            continue
        event = events.loc[item.event]
        year = int(event["year_start"])
        claims = []
        for claim in item.claims:
            parsed = _amount_in_words(claim["value"])
            if parsed is None:
                continue
            amount, currency = parsed
            claims.append({"value": claim["value"], "amount": amount, "currency": currency,
                           "usd": amount * usd_per_unit(currency, year), "sources": list(claim["sources"])})
        if len(claims) < 2:
            continue
        rows.append({"disagreement": item.id, "event": item.event, "subject": item.subject,
                     "date": event["date_start"], "year": year, "claims": claims,
                     "low_usd": min(c["usd"] for c in claims), "high_usd": max(c["usd"] for c in claims),
                     "shown": item.shown, "reason": item.reason})
    return pd.DataFrame(rows, columns=["disagreement", "event", "subject", "date", "year", "claims", "low_usd",
                                       "high_usd", "shown", "reason"])


_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}


def _amount_in_words(text: str) -> tuple[float, str] | None:
    """(amount, ISO currency) from 'about EUR 7 million', 'up to USD 10 million', '$7.3 million'."""
    match = re.search(r"\b([A-Z]{3})\s*([\d][\d,.]*)\s*(thousand|million|billion)?", text) or \
        re.search(r"([$€£])\s*([\d][\d,.]*)\s*(thousand|million|billion)?", text)
    if not match:
        return None
    currency = _SYMBOLS.get(match.group(1), match.group(1))
    amount = float(match.group(2).replace(",", "")) * _SCALES.get(match.group(3) or "", 1.0)
    return amount, currency


def ransoms(atlas: Atlas) -> pd.DataFrame:
    """Every ransom demanded, paid or reported, in its currency and in US dollars.

    One row per money entry of status :data:`RANSOM_STATUSES` (arms prices are left out):
    ``event``, ``title``, ``date``, ``year``, ``status``, ``amount`` and ``currency`` (as the
    data gives them), ``usd_per_unit`` (the year's average, ``data/exchange_rates.yaml``),
    ``amount_usd`` = amount x rate, ``kidnapping`` (the hostage-taking it is for, when the data
    links them, see ``link_basis``), ``hostages`` (those still held then), ``per_hostage`` and
    ``per_hostage_usd`` (None without a count), ``note``, ``sources`` (the claim's own sources
    where a disagreement records the amount, else the event's), ``disputed`` and ``disagreement``.
    """
    events = atlas.events
    takings = hostage_takings(atlas)
    actors_of = {event.id: sorted(_actors(event)) for event in events.itertuples(index=False)}
    takings["actors"] = [actors_of[event_id] for event_id in takings["event"]]
    by_id = {row["event"]: row for row in takings.to_dict("records")}
    people_roles = dict(zip(atlas.people["id"], atlas.people["roles"]))
    disputes = {row.event: row for row in ransom_disputes(atlas).itertuples(index=False)}
    rows = []
    for event in events[events["money"].map(len) > 0].itertuples(index=False):
        entries = [money for money in event.money if money["status"] in RANSOM_STATUSES]
        if not entries:
            continue
        year = int(event.year_start)
        kidnapping, basis = _ransom_kidnapping(event, takings, people_roles)
        held = _held_at(by_id[kidnapping], event.date_start) if kidnapping else None
        dispute = disputes.get(event.id)
        for money in entries:
            rate = usd_per_unit(money["currency"], year)
            sources = list(event.sources)
            if dispute is not None:
                same = [claim for claim in dispute.claims
                        if claim["currency"] == money["currency"] and math.isclose(claim["amount"], money["amount"])]
                if same:
                    sources = same[0]["sources"]
            amount_usd = float(money["amount"]) * rate
            rows.append({
                "event": event.id, "title": event.title, "date": event.date_start, "year": year,
                "status": money["status"], "amount": float(money["amount"]), "currency": money["currency"],
                "usd_per_unit": rate, "amount_usd": amount_usd,
                "kidnapping": kidnapping, "link_basis": basis or "no kidnapping in the data is linked to it",
                "hostages": held,
                "per_hostage": float(money["amount"]) / held if held else None,
                "per_hostage_usd": amount_usd / held if held else None,
                "note": money.get("note"), "sources": sources,
                "disputed": dispute is not None, "disagreement": dispute.disagreement if dispute is not None else None,
            })
    columns = ["event", "title", "date", "year", "status", "amount", "currency", "usd_per_unit", "amount_usd",
               "kidnapping", "link_basis", "hostages", "per_hostage", "per_hostage_usd", "note", "sources",
               "disputed", "disagreement"]
    return pd.DataFrame(rows, columns=columns)


# --- 3. events per year by type, and what is disputed -----------------------------------------------

def disputed_event_ids(disagreements: pd.DataFrame | None) -> set[str]:
    """Events a disagreement, an error or an interpretation in disagreements.yaml bears on."""
    if disagreements is None or disagreements.empty or "event" not in disagreements.columns:
        return set()
    return {event for event in disagreements["event"] if isinstance(event, str)}


def events_per_year_by_type(events: pd.DataFrame, year_from: int, year_to: int,
                            disagreements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Events in each year of ``year_from``-``year_to`` by type: Year, Type, Type label, Events, Disputed.

    Each event counts once in every year of the range it overlaps, as in
    :func:`geo.stats.events_by_year_and_group`. ``Disputed`` counts those of them a record of
    ``disagreements`` bears on (0 without it). Every year and every type present has a row,
    zero included; types go in the schema's order.
    """
    if year_from > year_to:
        raise ValueError(f"year_from should not be after year_to, got {year_from} and {year_to}")
    disputed = disputed_event_ids(disagreements)
    rows = [(year, event.type, event.id in disputed)
            for event in events[["id", "type", "year_start", "year_end"]].itertuples(index=False)
            for year in years_spanned(event, year_from, year_to)]
    counted = pd.DataFrame(rows, columns=["Year", "Type", "Disputed"])
    present = set(counted["Type"])
    types = [kind for kind in EVENT_TYPES if kind in present] + sorted(present - set(EVENT_TYPES))
    every_cell = pd.MultiIndex.from_product([range(year_from, year_to + 1), types], names=["Year", "Type"])
    grouped = counted.groupby(["Year", "Type"])["Disputed"]
    table = pd.DataFrame({"Events": grouped.size(), "Disputed": grouped.sum()}).reindex(every_cell, fill_value=0)
    table = table.astype(int).reset_index()
    table.insert(2, "Type label", table["Type"].map(lambda kind: EVENT_TYPES.get(kind, kind)))
    return table


def disputed_events_by_year_and_group(events: pd.DataFrame, year_from: int, year_to: int,
                                      disagreements: pd.DataFrame | None, *, top: int = 10,
                                      group_names: dict[str, str] | None = None) -> pd.DataFrame:
    """:func:`geo.stats.events_by_year_and_group` with a ``Disputed`` column: of which disputed.

    The disputed events are counted under the same groups as the whole (a group folded
    into 'Other groups' in the whole is folded there too).
    """
    counts = events_by_year_and_group(events, year_from, year_to, top=top, group_names=group_names)
    disputed = disputed_event_ids(disagreements)
    subset = events[events["id"].isin(disputed)]
    counts["Disputed"] = 0
    if subset.empty:
        return counts
    # Count the subset with every group kept, then fold into the whole's groups.
    sub = events_by_year_and_group(subset, year_from, year_to, top=len(events), group_names=group_names)
    shown = set(counts["Group"])
    sub["Group"] = sub["Group"].where(sub["Group"].isin(shown), OTHER_GROUPS)
    folded = sub.groupby(["Year", "Group"])["Events"].sum()
    counts["Disputed"] = [int(folded.get((year, group), 0)) for year, group in zip(counts["Year"], counts["Group"])]
    return counts
