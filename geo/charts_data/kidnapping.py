"""The kidnapping economy: hostage-takings and what became of the hostages, ransoms in their currency and in dollars."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from geo.catalog import Atlas
from geo.charts_data.common import is_missing

__all__ = [
    "NOT_RECORDED",
    "RANSOM_STATUSES",
    "EXCHANGE_RATES_FILE",
    "hostage_takings",
    "hostage_outcomes",
    "exchange_rates",
    "usd_per_unit",
    "ransoms",
    "ransom_disputes",
]

NOT_RECORDED = "outcome not recorded"
# Event types that end a captivity, and the outcome each records.
_OUTCOME_OF_TYPE = {"release": "released", "killing": "killed", "escape": "escaped"}
# Money statuses that belong to the kidnapping economy ('price' is what arms cost).
RANSOM_STATUSES = ("demanded", "paid", "reported")

EXCHANGE_RATES_FILE = Path(__file__).resolve().parent.parent / "data" / "exchange_rates.yaml"


def _hostage_people(event, people_roles: dict[str, list[str]]) -> list[str]:
    """The event's people who are its targets and whom the data records as hostages."""
    return [
        person
        for person in event.people
        if event.roles.get(person) == "target" and "hostage" in people_roles.get(person, [])
    ]


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
            elif (
                not hostages
                and not freed
                and _actors(ending) & _actors(taking)
                and set(ending.hostage_nationalities) & set(taking.hostage_nationalities)
            ):
                count = None if pd.isna(ending.hostage_count) else int(ending.hostage_count)
                basis, who = "same captors and hostages' nationality (no hostage named)", []
            else:
                continue
            found.append(
                {
                    "event": ending.id,
                    "outcome": _OUTCOME_OF_TYPE[ending.type],
                    "count": count,
                    "date": ending.date_start,
                    "date_end": ending.date_end,
                    "title": ending.title,
                    "hostages": who,
                    "basis": basis,
                    "sources": list(ending.sources),
                }
            )
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
        rows.append(
            {
                "event": taking.id,
                "title": taking.title,
                "date_start": taking.date_start,
                "date_end": taking.date_end,
                "year": int(taking.year_start),
                "groups": list(taking.leading_groups),
                "hostage_count": count,
                "nationalities": list(taking.hostage_nationalities),
                "hostages": _hostage_people(taking, people_roles),
                "outcome": outcome,
                "outcome_date": endings[-1]["date"] if endings else None,
                "outcomes": endings,
                "unaccounted": unaccounted,
                "sources": list(taking.sources),
            }
        )
    columns = [
        "event",
        "title",
        "date_start",
        "date_end",
        "year",
        "groups",
        "hostage_count",
        "nationalities",
        "hostages",
        "outcome",
        "outcome_date",
        "outcomes",
        "unaccounted",
        "sources",
    ]
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
        base = {
            "event": taking.event,
            "title": taking.title,
            "taken": taking.date_start,
            "year": taking.year,
            "hostage_count": taking.hostage_count,
            "nationalities": taking.nationalities,
        }
        for ending in taking.outcomes:
            rows.append(
                {
                    **base,
                    "outcome": ending["outcome"],
                    "ended": ending["date"],
                    "ending_event": ending["event"],
                    "ending_title": ending["title"],
                    "count": ending["count"],
                    "basis": ending["basis"],
                    "sources": ending["sources"],
                }
            )
        if not taking.outcomes or (not is_missing(taking.unaccounted) and taking.unaccounted > 0):
            rows.append(
                {
                    **base,
                    "outcome": NOT_RECORDED,
                    "ended": None,
                    "ending_event": None,
                    "ending_title": None,
                    "count": taking.unaccounted if taking.outcomes else taking.hostage_count,
                    "basis": "no later event in the data names these hostages",
                    "sources": taking.sources,
                }
            )
    columns = [
        "event",
        "title",
        "taken",
        "year",
        "hostage_count",
        "nationalities",
        "outcome",
        "ended",
        "ending_event",
        "ending_title",
        "count",
        "basis",
        "sources",
    ]
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
        if is_missing(taking.hostage_count) or taking.date_start > ransom.date_start:
            continue
        if not (_actors(ransom) & set(_actor_ids(taking))):
            continue
        still_held = is_missing(taking.outcome_date) or taking.outcome_date >= ransom.date_start
        if still_held:
            candidates.append(taking.event)
    if len(candidates) == 1:
        return candidates[0], "same captors, hostages still held"
    return None, ""


def _actor_ids(taking) -> list[str]:
    return taking.actors if hasattr(taking, "actors") else []


def _held_at(taking, when: str) -> int | None:
    """Hostages of ``taking`` still held on ``when``: those taken less those freed or killed before."""
    if is_missing(taking["hostage_count"]):
        return None
    ended_before = [ending["count"] for ending in taking["outcomes"] if ending["date_end"] < when]
    if any(is_missing(count) for count in ended_before):
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
        return pd.DataFrame(
            columns=[
                "disagreement",
                "event",
                "subject",
                "date",
                "year",
                "claims",
                "low_usd",
                "high_usd",
                "shown",
                "reason",
            ]
        )
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
            claims.append(
                {
                    "value": claim["value"],
                    "amount": amount,
                    "currency": currency,
                    "usd": amount * usd_per_unit(currency, year),
                    "sources": list(claim["sources"]),
                }
            )
        if len(claims) < 2:
            continue
        rows.append(
            {
                "disagreement": item.id,
                "event": item.event,
                "subject": item.subject,
                "date": event["date_start"],
                "year": year,
                "claims": claims,
                "low_usd": min(c["usd"] for c in claims),
                "high_usd": max(c["usd"] for c in claims),
                "shown": item.shown,
                "reason": item.reason,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "disagreement",
            "event",
            "subject",
            "date",
            "year",
            "claims",
            "low_usd",
            "high_usd",
            "shown",
            "reason",
        ],
    )


_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}


def _amount_in_words(text: str) -> tuple[float, str] | None:
    """(amount, ISO currency) from 'about EUR 7 million', 'up to USD 10 million', '$7.3 million'."""
    match = re.search(r"\b([A-Z]{3})\s*([\d][\d,.]*)\s*(thousand|million|billion)?", text) or re.search(
        r"([$€£])\s*([\d][\d,.]*)\s*(thousand|million|billion)?", text
    )
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
                same = [
                    claim
                    for claim in dispute.claims
                    if claim["currency"] == money["currency"] and math.isclose(claim["amount"], money["amount"])
                ]
                if same:
                    sources = same[0]["sources"]
            amount_usd = float(money["amount"]) * rate
            rows.append(
                {
                    "event": event.id,
                    "title": event.title,
                    "date": event.date_start,
                    "year": year,
                    "status": money["status"],
                    "amount": float(money["amount"]),
                    "currency": money["currency"],
                    "usd_per_unit": rate,
                    "amount_usd": amount_usd,
                    "kidnapping": kidnapping,
                    "link_basis": basis or "no kidnapping in the data is linked to it",
                    "hostages": held,
                    "per_hostage": float(money["amount"]) / held if held else None,
                    "per_hostage_usd": amount_usd / held if held else None,
                    "note": money.get("note"),
                    "sources": sources,
                    "disputed": dispute is not None,
                    "disagreement": dispute.disagreement if dispute is not None else None,
                }
            )
    columns = [
        "event",
        "title",
        "date",
        "year",
        "status",
        "amount",
        "currency",
        "usd_per_unit",
        "amount_usd",
        "kidnapping",
        "link_basis",
        "hostages",
        "per_hostage",
        "per_hostage_usd",
        "note",
        "sources",
        "disputed",
        "disagreement",
    ]
    return pd.DataFrame(rows, columns=columns)
