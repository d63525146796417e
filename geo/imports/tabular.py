"""Any table of events (CSV, or a GeoJSON's properties) through a column mapping.

The mapping says which of the file's columns holds each atlas field
(:data:`TABLE_FIELDS`); :func:`guess_column_mapping` proposes one from the header
for the user to confirm. A mapping value starting with '=' is a fixed value for
every row, e.g. ``{"type": "=kidnapping"}`` or ``{"country": "=Mali"}``.

Needed: a date (``date``, or ``year`` with optional ``month`` and ``day``), a
``type``, and a point: ``latitude`` and ``longitude``, or a ``place`` name found by
:mod:`geo.imports.geocode` (a row with both uses the coordinates; one whose
coordinates are empty falls back on its place). Without an ``id`` column the row
number is the id.

Types: the value is read as an atlas type id or label ('kidnapping',
'Hostage release'), else as an ACLED sub-event or event type or a GTD attack type
(through their tables: 'Abduction/forced disappearance', 'Armed Assault'), else
by its words (:data:`TYPE_WORDS`: 'ambush' -> attack, 'hostages freed' -> release,
...). A value none of these reads is refused with the accepted types listed,
rather than guessed: a wrong type would mislead every filter and count. A table
without a type column is a file problem; give every row one type with
``type='=<type>'``.

Actors (``actors``): names separated by ';', each resolved to a curated group
where it can be (role 'actor'), every one kept as text.
"""

from __future__ import annotations

import pandas as pd

from geo.catalog import Atlas
from geo.imports.acled import acled_type
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
from geo.imports.gtd import gtd_type
from geo.imports.model import ImportResult
from geo.schema import EVENT_TYPES

__all__ = [
    "TABLE_FIELDS",
    "FIELD_SYNONYMS",
    "TYPE_WORDS",
    "guess_column_mapping",
    "check_column_mapping",
    "import_table",
    "table_type",
]

# atlas field -> what it holds, for the mapping form.
TABLE_FIELDS: dict[str, str] = {
    "id": "the event's id in the file (optional: the row number otherwise)",
    "date": "the date (2010-09-16, 16/09/2010, 16 September 2010, 2010-09, 2010)",
    "date_end": "the last day, for events over several days (optional)",
    "year": "the year, when there is no date column",
    "month": "the month (1-12; 0 or empty: the whole year)",
    "day": "the day (0 or empty: the whole month)",
    "type": "the event type (an atlas, ACLED or GTD type)",
    "subtype": "a finer type, read first (ACLED's sub_event_type)",
    "latitude": "latitude in decimal degrees",
    "longitude": "longitude in decimal degrees",
    "place": "a place name, found in the gazetteer when there are no coordinates",
    "country": "the country (helps find places; checks the coordinates)",
    "admin1": "the first-level region or province",
    "title": "a short title",
    "summary": "a description or notes",
    "actors": "the groups that carried it out, separated by ';'",
    "fatalities": "the number killed",
    "source": "the file's own source or reference",
}

# Column names (folded) each field is guessed from, most likely first.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "event id", "event id cnty", "eventid", "event no", "identifier", "uid", "ref", "code"),
    "date": ("date", "event date", "date start", "start date", "start", "when", "incident date"),
    "date_end": ("date end", "end date", "end", "date to", "until"),
    "year": ("year", "iyear", "annee"),
    "month": ("month", "imonth", "mois"),
    "day": ("day", "iday", "jour"),
    "type": (
        "type",
        "event type",
        "category",
        "attacktype1 txt",
        "attack type",
        "incident type",
        "kind",
        "type d evenement",
        "categorie",
    ),
    "subtype": ("sub event type", "subtype", "sub type", "event subtype"),
    "latitude": ("latitude", "lat", "y", "lat dd", "geo lat"),
    "longitude": ("longitude", "lon", "lng", "long", "x", "lon dd", "geo lon"),
    "place": (
        "place",
        "place name",
        "location",
        "city",
        "town",
        "village",
        "locality",
        "site",
        "lieu",
        "localite",
        "ville",
    ),
    "country": ("country", "country txt", "country name", "pays"),
    "admin1": ("admin1", "province", "provstate", "state", "region"),
    "title": ("title", "headline", "name", "titre", "event"),
    "summary": ("summary", "notes", "description", "details", "note", "narrative", "comments", "comment", "resume"),
    "actors": (
        "actors",
        "actor",
        "actor1",
        "group",
        "groups",
        "perpetrator",
        "perpetrators",
        "gname",
        "organisation",
        "organization",
        "groupe",
        "auteur",
    ),
    "fatalities": ("fatalities", "deaths", "killed", "nkill", "dead", "morts", "tues"),
    "source": ("source", "sources", "reference", "references", "url", "link", "scite1", "citation"),
}

# Words in a free-text type, checked in this order (the first that appears wins): a 'hostage
# release' is a release, not a kidnapping. Matched as folded word prefixes.
TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("release", ("release", "freed", "liberat", "liberation")),
    ("ransom", ("ransom", "rancon")),
    ("negotiation", ("negotiat", "mediat", "talks", "agreement", "ceasefire")),
    ("kidnapping", ("kidnap", "abduct", "hostage", "enlev", "rapt", "otage")),
    ("killing", ("killing", "assassin", "execution", "executed", "murder", "beheading")),
    ("arrest", ("arrest", "capture", "detain", "detention", "extradit")),
    ("raid", ("raid", "operation", "intervention", "airstrike", "air strike", "strike")),
    (
        "attack",
        (
            "attack",
            "bomb",
            "explos",
            "ied",
            "ambush",
            "assault",
            "clash",
            "shelling",
            "suicide",
            "rocket",
            "mortar",
            "gunfire",
            "shooting",
            "battle",
            "fighting",
            "attentat",
            "embuscade",
        ),
    ),
    ("occupation", ("occupation", "takeover", "seizure of", "overtakes territory", "regains territory")),
    ("meeting", ("meeting", "summit", "rencontre", "reunion")),
    ("letter", ("letter", "statement", "communique", "video", "claim", "message", "declaration", "protest")),
    ("founding", ("founding", "founded", "creation", "split", "merger", "merged")),
    ("movement", ("movement", "convoy", "relocat", "base established", "camp")),
    ("arms", ("arms", "weapon")),
    ("trafficking", ("smuggl", "traffick", "trafic", "contraband")),
    ("warning", ("warning", "threat", "menace")),
    ("alliance", ("alliance", "allied", "collusion", "pledge")),
    ("decision", ("decision", "ruling", "order", "appointment", "sentence", "verdict")),
)

_ATLAS_TYPES = {fold(type_id): type_id for type_id in EVENT_TYPES}
_ATLAS_TYPES.update({fold(label): type_id for type_id, label in EVENT_TYPES.items()})


def table_type(value: str, subtype: str = "") -> str | None:
    """The atlas type a free-text type (and subtype) means, or None (see the module's order)."""
    for text in (subtype, value):
        folded = fold(text)
        if not folded:
            continue
        found = _ATLAS_TYPES.get(folded) or acled_type(text, text) or gtd_type(text)
        if found:
            return found
    for text in (subtype, value):
        words = fold(text).split()
        phrase = " ".join(words)
        for atlas_type, stems in TYPE_WORDS:
            if any((" " in stem and stem in phrase) or any(word.startswith(stem) for word in words) for stem in stems):
                return atlas_type
    return None


def guess_column_mapping(header: list[str]) -> dict[str, str]:
    """A proposed mapping (atlas field -> the file's column) from the column names; each column used once."""
    by_folded: dict[str, str] = {}
    for column in header:
        by_folded.setdefault(fold(column), column)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field, synonyms in FIELD_SYNONYMS.items():
        for synonym in synonyms:
            column = by_folded.get(synonym)
            if column is not None and column not in used:
                mapping[field] = column
                used.add(column)
                break
    if "date" in mapping:  # a full date makes the year/month/day columns redundant
        for part in ("year", "month", "day"):
            mapping.pop(part, None)
    return mapping


def check_column_mapping(mapping: dict[str, str], header: list[str], has_geometry: bool = False) -> list[str]:
    """What is wrong with a mapping, as problems for the user (empty when it can be used)."""
    problems = []
    unknown = [field for field in mapping if field not in TABLE_FIELDS]
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)}; the fields are {', '.join(TABLE_FIELDS)}")
    absent = [
        f"{field} -> '{column}'"
        for field, column in mapping.items()
        if column and not column.startswith("=") and column not in header
    ]
    if absent:
        problems.append(f"column(s) not in the file: {', '.join(absent)}; its columns are {', '.join(header)}")
    if not (mapping.get("date") or mapping.get("year")):
        problems.append("no column is mapped to date (or year): every event needs a date")
    if not mapping.get("type"):
        problems.append(
            "no column is mapped to type: map one, or give every row the same type with "
            f"'=<type>' (one of {', '.join(EVENT_TYPES)})"
        )
    if not has_geometry and not (mapping.get("latitude") and mapping.get("longitude")) and not mapping.get("place"):
        problems.append("no point: map latitude and longitude, or a place column")
    if bool(mapping.get("latitude")) != bool(mapping.get("longitude")):
        problems.append("map both latitude and longitude, or neither")
    return problems


def import_table(
    frame: pd.DataFrame,
    dataset: str,
    atlas: Atlas,
    column_mapping: dict[str, str] | None = None,
    origin: str = "csv",
    points: dict[int, tuple] | None = None,
) -> ImportResult:
    """Map a table (strings; index = row number) through ``column_mapping`` (guessed when None).

    ``points`` (GeoJSON) gives a row's point from its geometry: row -> (lon, lat, precision, how),
    or a string saying why the geometry cannot be used.
    """
    header = list(frame.columns)
    mapping = {field: column for field, column in (column_mapping or guess_column_mapping(header)).items() if column}
    problems = check_column_mapping(mapping, header, has_geometry=points is not None)
    if problems:
        guessed = "" if column_mapping else " (the mapping was guessed from the column names: give it)"
        return empty_result(origin, [problem + guessed for problem in problems], read=len(frame))
    slug = dataset_slug(dataset)
    resolver = group_resolver(atlas.groups)
    from geo.imports.geocode import geocoder

    find_place = geocoder(atlas.places).find if mapping.get("place") else None
    values = {field: _values(frame, mapping.get(field)) for field in TABLE_FIELDS}

    def to_event(cell: dict[str, str], original: dict, number: int, event_id: str | None) -> dict:
        # a row without an id of its own is known by its number
        return _event(
            cell,
            original,
            number,
            event_id or str(number),
            slug,
            dataset,
            origin,
            resolver,
            find_place,
            (points or {}).get(number),
        )

    return import_rows(frame, values, origin, lambda cell: cell["id"] or None, to_event)


def _values(frame: pd.DataFrame, column: str | None) -> list:
    if not column:
        return [""] * len(frame)
    if column.startswith("="):
        return [column[1:]] * len(frame)
    return frame[column].tolist()


def _date(cell: dict[str, str]) -> tuple[str, str, str]:
    if cell["date"]:
        start, end, precision = parse_date(cell["date"])
    elif cell["year"]:
        written = "-".join(part for part in (cell["year"], cell["month"], cell["day"]) if part)
        try:
            year = parse_int(cell["year"], "year")
            month = parse_int(cell["month"], "month") or 0 if cell["month"] else 0
            day = parse_int(cell["day"], "day") or 0 if cell["day"] and month else 0
            start, end, precision = date_from_parts(year, month, day)
        except (ValueError, TypeError, RowProblem):
            raise RowProblem(f"date '{written}' (year-month-day) is not a date") from None
    else:
        raise RowProblem("no date")
    if cell["date_end"]:
        last = parse_date(cell["date_end"])[1]
        if last < start:
            raise RowProblem(f"the end date '{cell['date_end']}' is before the date '{cell['date'] or start}'")
        end = last
    return start, end, precision


def _point(
    cell: dict[str, str], point, find_place, geometry_expected: bool
) -> tuple[float, float, str, str, str | None, str | None]:
    """(lon, lat, location precision, how found, curated place id, place name)."""
    place_name = cell["place"] or None
    if isinstance(point, str):
        raise RowProblem(point)
    if point is not None:
        lon, lat, precision, how = point
        return lon, lat, precision, how, None, place_name
    if point is None and geometry_expected and not (cell["latitude"] or cell["longitude"] or cell["place"]):
        raise RowProblem("no geometry, and no place or coordinates among its properties")
    if cell["latitude"] or cell["longitude"] or not find_place:
        lon, lat = parse_coordinates(cell["latitude"], cell["longitude"])
        return lon, lat, "exact", "coordinates", None, place_name
    if not cell["place"]:
        raise RowProblem("no latitude and longitude, and no place")
    found = find_place(cell["place"], cell["country"] or None)
    if found is None:
        where = f" in {cell['country']}" if cell["country"] else ""
        raise RowProblem(
            f"place '{cell['place']}' was not found{where} (neither in the atlas's gazetteer nor "
            "among GeoNames towns); give its latitude and longitude"
        )
    return found.lon, found.lat, found.precision, found.how, found.place, place_name


def _event(
    cell: dict[str, str],
    original: dict,
    number: int,
    original_id: str,
    slug: str,
    dataset: str,
    origin: str,
    resolver,
    find_place,
    point,
) -> dict:
    date_start, date_end, precision = _date(cell)
    if not (cell["type"] or cell["subtype"]):
        raise RowProblem("no type")
    atlas_type = table_type(cell["type"], cell["subtype"])
    if atlas_type is None:
        written = " / ".join(filter(None, (cell["type"], cell["subtype"])))
        raise RowProblem(
            f"type '{written}' is not one the atlas can read: use one of {', '.join(EVENT_TYPES)} "
            "(or an ACLED or GTD type)"
        )
    lon, lat, location_precision, how, place, place_name = _point(cell, point, find_place, origin == "geojson")
    groups, roles, actors = participants(resolver, split_names(cell["actors"]))
    title = cell["title"] or (f"{EVENT_TYPES[atlas_type]} in {place_name}" if place_name else EVENT_TYPES[atlas_type])
    return new_event(
        id=f"{slug}:{original_id}",
        date_start=date_start,
        date_end=date_end,
        date_precision=precision,
        type=atlas_type,
        title=title,
        summary=cell["summary"],
        place=place,
        places=[place] if place else [],
        place_name=place_name,
        location_precision=location_precision,
        geocode=how,
        groups=groups,
        roles=roles,
        actors=actors,
        country=cell["country"] or None,
        admin1=cell["admin1"] or None,
        fatalities=parse_int(cell["fatalities"], "fatalities"),
        source_text=cell["source"] or None,
        dataset=dataset,
        origin=origin,
        original_id=original_id,
        original_type=" / ".join(filter(None, (cell["type"], cell["subtype"]))) or None,
        row=number,
        original=dict(original),
        lon=lon,
        lat=lat,
    )
