"""ACLED exports (current codebook, older upper-case layouts, the humanitarian portal's HXL variant).

Columns are matched case-blind, with the older names (``ALLY_ACTOR_1``,
``GEO_PRECIS``, ...) as aliases; ``GWNO``, ``inter1``/``inter2`` codes and the
other columns are kept in ``original`` only. Required: ``event_id_cnty`` (or
``event_id`` / ``data_id``), ``event_date``, ``event_type``, ``latitude``,
``longitude``.

Dates: 2010-09-16, 16/09/2010, 16 September 2010 or 16-September-2010.
``time_precision`` 1 is the day; 2 means only the month is sure, so the event
spans the month of the date given (precision 'month'); 3 spans the year.
``geo_precision`` 1 -> exact, 2 -> approximate (a nearby town), 3 -> centroid
(a region's centre).

Types (:data:`ACLED_TYPES`, by sub-event type, else by event type): the atlas's
types are about an armed conflict; where an ACLED type has no counterpart the
nearest honest one is taken, and ``original_type`` keeps ACLED's own words.

==========================================  ===========  ==================================================
ACLED sub-event type (event type)           atlas type   why
==========================================  ===========  ==================================================
Armed clash (Battles)                       attack       armed violence between organised groups
Government regains territory                occupation   territory changes hands
Non-state actor overtakes territory         occupation
Non-violent transfer of territory           occupation
Attack (Violence against civilians)         attack
Abduction/forced disappearance              kidnapping
Sexual violence                             attack       violence against civilians
Air/drone strike, Shelling/artillery/       attack       bombing, as the atlas's 'Attack or bombing'
missile attack, Remote explosive/landmine/
IED, Suicide bomb, Grenade, Chemical weapon
Looting/property destruction                attack       violence against property, not a military raid
Violent demonstration, Mob violence         attack       violence by crowds
Excessive force against protesters          attack       violence against civilians
Peaceful protest, Protest with              protest      'Protest or riot', a type for imported data
intervention                                             (the reports record no protests)
Agreement                                   negotiation
Arrests                                     arrest
Change to group/activity                    founding     groups forming, splitting, merging
Headquarters or base established            movement     'Movement of fighters or camps'
Disrupted weapons use                       raid         security forces intervene (seizures, defusing)
Other (Strategic developments)              decision     curfews, states of emergency, appointments
==========================================  ===========  ==================================================

Before 2019 ACLED had no sub-event types; its event types map the same way:
'Battle-No change of territory' -> attack, 'Battle-Government regains
territory' and 'Battle-Non-state actor overtakes territory' -> occupation,
'Remote violence' -> attack, 'Riots/Protests' -> protest, 'Strategic
development' -> decision. A type in none of these refuses the row.

Actors: ``actor1`` and ``assoc_actor_1`` (';'-separated) take the role
'actor', ``actor2`` and ``assoc_actor_2`` the role 'target'; see
:mod:`geo.imports.actors`.
"""

from __future__ import annotations

import pandas as pd

from geo.catalog import Atlas
from geo.imports.actors import group_resolver, participants
from geo.imports.common import (
    RowProblem,
    dataset_slug,
    date_from_parts,
    empty_result,
    fold,
    import_rows,
    new_event,
    parse_coordinates,
    parse_date,
    parse_int,
    split_names,
)
from geo.imports.model import ImportResult

__all__ = [
    "ACLED_TYPES",
    "ACLED_EVENT_TYPES",
    "ACLED_COLUMNS",
    "REQUIRED_COLUMNS",
    "import_acled",
    "acled_type",
    "find_columns",
    "header_problem",
]

ACLED_TYPES: dict[str, str] = {
    # Battles
    "Armed clash": "attack",
    "Government regains territory": "occupation",
    "Non-state actor overtakes territory": "occupation",
    # Violence against civilians
    "Attack": "attack",
    "Abduction/forced disappearance": "kidnapping",
    "Sexual violence": "attack",
    # Explosions/Remote violence
    "Air/drone strike": "attack",
    "Shelling/artillery/missile attack": "attack",
    "Remote explosive/landmine/IED": "attack",
    "Suicide bomb": "attack",
    "Grenade": "attack",
    "Chemical weapon": "attack",
    # Riots and protests
    "Violent demonstration": "attack",
    "Mob violence": "attack",
    "Excessive force against protesters": "attack",
    "Peaceful protest": "protest",
    "Protest with intervention": "protest",
    # Strategic developments
    "Agreement": "negotiation",
    "Arrests": "arrest",
    "Change to group/activity": "founding",
    "Headquarters or base established": "movement",
    "Disrupted weapons use": "raid",
    "Looting/property destruction": "attack",
    "Non-violent transfer of territory": "occupation",
    "Other": "decision",
}

# By event type, when the sub-event type is empty or unknown (older codebooks had none).
ACLED_EVENT_TYPES: dict[str, str] = {
    "Battles": "attack",
    "Battle-No change of territory": "attack",
    "Battle-Government regains territory": "occupation",
    "Battle-Non-state actor overtakes territory": "occupation",
    "Violence against civilians": "attack",
    "Explosions/Remote violence": "attack",
    "Remote violence": "attack",
    "Riots": "attack",
    "Protests": "protest",
    "Riots/Protests": "protest",
    "Strategic developments": "decision",
    "Strategic development": "decision",
    "Headquarters or base established": "movement",
    "Non-violent transfer of territory": "occupation",
}

_SUB_TYPES = {fold(name): atlas_type for name, atlas_type in ACLED_TYPES.items()}
_EVENT_TYPES = {fold(name): atlas_type for name, atlas_type in ACLED_EVENT_TYPES.items()}

# atlas field -> the column names ACLED has used for it, newest first (matched case-blind).
ACLED_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("event_id_cnty", "event_id_c", "event_id", "data_id"),
    "date": ("event_date",),
    "time_precision": ("time_precision", "time_preci"),
    "event_type": ("event_type",),
    "sub_event_type": ("sub_event_type", "sub_event_"),
    "actor1": ("actor1",),
    "assoc_actor_1": ("assoc_actor_1", "ally_actor_1", "assoc_acto"),
    "actor2": ("actor2",),
    "assoc_actor_2": ("assoc_actor_2", "ally_actor_2", "assoc_ac_1"),
    "country": ("country",),
    "admin1": ("admin1",),
    "location": ("location",),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "geo_precision": ("geo_precision", "geo_precis"),
    "source": ("source",),
    "notes": ("notes",),
    "fatalities": ("fatalities",),
}
REQUIRED_COLUMNS = {
    "id": "event_id_cnty",
    "date": "event_date",
    "event_type": "event_type",
    "latitude": "latitude",
    "longitude": "longitude",
}
_GEO_PRECISION = {"1": "exact", "2": "approximate", "3": "centroid"}


def acled_type(event_type: str, sub_event_type: str = "") -> str | None:
    """The atlas type for an ACLED event type and sub-event type, or None."""
    return _SUB_TYPES.get(fold(sub_event_type)) or _EVENT_TYPES.get(fold(event_type))


def find_columns(columns, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """atlas field -> the file's column, matching names case-blind and ignoring spaces."""
    by_name = {fold(column).replace(" ", "_"): column for column in columns}
    found = {}
    for name, spellings in aliases.items():
        for spelling in spellings:
            if fold(spelling).replace(" ", "_") in by_name:
                found[name] = by_name[fold(spelling).replace(" ", "_")]
                break
    return found


def header_problem(header) -> str | None:
    """What an ACLED file with these column names lacks (a message for the user), or None."""
    columns = find_columns(header, ACLED_COLUMNS)
    missing = [name for field, name in REQUIRED_COLUMNS.items() if field not in columns]
    if not missing:
        return None
    hint = ""
    if {"eventid", "iyear"} <= {fold(column) for column in header}:
        hint = " (this looks like a GTD file: choose GTD)"
    return f"missing column(s) {', '.join(missing)}: an ACLED file needs {', '.join(REQUIRED_COLUMNS.values())}{hint}"


def import_acled(frame: pd.DataFrame, dataset: str, atlas: Atlas) -> ImportResult:
    """Map an ACLED table (strings; index = row number) to imported events."""
    if problem := header_problem(frame.columns):
        return empty_result("acled", [problem], read=len(frame))
    columns = find_columns(frame.columns, ACLED_COLUMNS)
    slug = dataset_slug(dataset)
    resolver = group_resolver(atlas.groups)
    values = {
        field: (frame[column].tolist() if column else [""] * len(frame))
        for field, column in ((field, columns.get(field)) for field in ACLED_COLUMNS)
    }
    return import_rows(
        frame,
        values,
        "acled",
        _event_id,
        lambda cell, original, number, event_id: _event(cell, original, number, slug, dataset, resolver),
    )


def _event_id(cell: dict[str, str]) -> str:
    if not cell["id"]:
        raise RowProblem("no event id")
    return cell["id"]


def _event(cell: dict[str, str], original: dict, number: int, slug: str, dataset: str, resolver) -> dict:
    date_start, date_end, precision = parse_date(cell["date"])
    time_precision = cell["time_precision"].split(".")[0]
    if time_precision in ("2", "3") and precision == "day":
        year, month = int(date_start[:4]), int(date_start[5:7])
        date_start, date_end, precision = date_from_parts(year, month if time_precision == "2" else None, None)
    event_type, sub_event_type = cell["event_type"], cell["sub_event_type"]
    atlas_type = acled_type(event_type, sub_event_type)
    if atlas_type is None:
        raise RowProblem(
            f"event type '{' / '.join(filter(None, (event_type, sub_event_type)))}' is not an ACLED "
            "type this importer knows"
        )
    lon, lat = parse_coordinates(cell["latitude"], cell["longitude"])
    actor_side = split_names(cell["actor1"]) + split_names(cell["assoc_actor_1"])
    target_side = split_names(cell["actor2"]) + split_names(cell["assoc_actor_2"])
    groups, roles, actors = participants(resolver, actor_side, target_side)
    location = cell["location"]
    what = sub_event_type or event_type
    return new_event(
        id=f"{slug}:{cell['id']}",
        date_start=date_start,
        date_end=date_end,
        date_precision=precision,
        type=atlas_type,
        title=f"{what} in {location}" if location else what,
        summary=cell["notes"],
        place_name=location or None,
        location_precision=_GEO_PRECISION.get(cell["geo_precision"].split(".")[0], "exact"),
        groups=groups,
        roles=roles,
        actors=actors,
        country=cell["country"] or None,
        admin1=cell["admin1"] or None,
        fatalities=parse_int(cell["fatalities"], "fatalities"),
        source_text=cell["source"] or None,
        dataset=dataset,
        origin="acled",
        original_id=cell["id"],
        original_type=" / ".join(filter(None, (event_type, sub_event_type))),
        row=number,
        original=dict(original),
        lon=lon,
        lat=lat,
    )
