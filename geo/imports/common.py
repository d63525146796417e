"""What every importer shares: reading dates, numbers and coordinates, the row checks, and the finished result.

An importer maps each row to a dict (see :func:`new_event`) through
:func:`import_rows`: a :class:`RowProblem` (or any unexpected error) refuses that
row with a reason and the import goes on. :func:`finish_import` then applies the checks that look at
all rows at once (the point far outside its own country), fills in the country
from the point where the file gives none, and builds the events frame.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import shapely

from geo.imports.model import ImportResult, RefusedRow, finish_events

__all__ = [
    "OUTSIDE_COUNTRY_KM",
    "RowProblem",
    "fold",
    "dataset_slug",
    "split_names",
    "parse_date",
    "date_from_parts",
    "parse_number",
    "parse_int",
    "parse_coordinates",
    "new_event",
    "country_code",
    "duplicate_reason",
    "refuse_unexpected",
    "import_rows",
    "finish_import",
    "empty_result",
]

# A point this far outside the country its own row names is refused: beyond what border
# towns, coarse coordinates and simplified outlines explain.
OUTSIDE_COUNTRY_KM = 100
# The longest country name in use ('The United Kingdom of Great Britain and Northern Ireland') is 56.
MAX_COUNTRY_CHARS = 80
EARTH_RADIUS_KM = 6371.0


class RowProblem(ValueError):
    """Why one row cannot be imported (the message is for the user)."""


def refuse_unexpected(error: Exception) -> str:
    """A reason for a row that failed in a way no check foresaw (never a traceback)."""
    return f"could not be read ({type(error).__name__}: {str(error)[:200]})"


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Text folded for matching names: no accents, case, punctuation or repeated spaces.

    'Al-Qaïda au Maghreb islamique' -> 'al qaida au maghreb islamique'; "Al-Qa'ida" -> 'al qaida'.
    """
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(char for char in plain if not unicodedata.combining(char)).casefold()
    plain = re.sub(r"['’‘`ʼ]", "", plain)  # apostrophes join: Qa'ida -> qaida
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace("_", " ").split())


def dataset_slug(name: str) -> str:
    """'ACLED Burkina Faso 2020' -> 'acled-burkina-faso-2020'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "import"


def split_names(text: str, separator: str = ";") -> list[str]:
    """'A; B;; C' -> ['A', 'B', 'C']."""
    return [part.strip() for part in str(text or "").split(separator) if part.strip()]


# --- Dates ---------------------------------------------------------------------------------------

_MONTHS = {fold(name): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({fold(name): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS.update({"sept": 9})
# French month names: reports and hand-made tables from the area often use them.
_MONTHS.update(
    {
        fold(name): number
        for number, name in enumerate(
            [
                "",
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ]
        )
        if name
    }
)

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ \-/.]+([^\W\d_]+)\.?,?[ \-/.]+(\d{4}|\d{2})$")
_WORDS_MONTH_FIRST = re.compile(r"^([^\W\d_]+)\.?[ \-]+(\d{1,2})(?:st|nd|rd|th)?,?[ \-]+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([^\W\d_]+)\.?,?[ \-/]+(\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # '12-Aug-10': the 1900s before 70, as spreadsheets read it
        year += 2000 if year < 70 else 1900
    return year


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_from_parts(year: int, month: int | None, day: int | None) -> tuple[str, str, str]:
    """A date with unknown parts as a span: (start, end, precision); month None or 0 means the whole year."""
    if not 1000 <= year <= 2999:
        raise ValueError(f"year {year}")
    if not month:
        return f"{year:04d}-01-01", f"{year:04d}-12-31", "year"
    last = calendar.monthrange(year, month)[1]
    if not day:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}", "month"
    date = dt.date(year, month, day).isoformat()
    return date, date, "day"


@functools.lru_cache(maxsize=65536)
def parse_date(text: str, month_first: bool = False) -> tuple[str, str, str]:
    """(start, end, precision) from a date as files write it; raises :class:`RowProblem`.

    Day dates: 2010-09-16 (with a time, as spreadsheets give it), 16/09/2010 (day first, as ACLED and
    Europe write it; 09/16/2010 is read month first only when the day-first reading is impossible, or
    always with ``month_first``, as GTD's American dates),
    16 September 2010, 16-Sep-10, September 16, 2010, 16 septembre 2010. A month (2010-09, September
    2010) or a year (2010) is read as its whole span with precision 'month' or 'year'.
    """
    value = " ".join(str(text or "").split())
    if not value:
        raise RowProblem("no date")
    try:
        return _parse_date(value, month_first)
    except (ValueError, OverflowError):
        raise RowProblem(f"date '{value}' is not a date") from None


def _parse_date(value: str, month_first: bool = False) -> tuple[str, str, str]:
    if match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
        return date_from_parts(year, month, day)
    if match := _DAY_FIRST.match(value):
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        if month_first:
            first, second = second, first
        date = _day(year, second, first) or (_day(year, first, second) if second > 12 else None)
        if date is None:
            raise ValueError(value)
        return date_from_parts(date.year, date.month, date.day)
    if match := _YEAR_MONTH.match(value):
        return date_from_parts(int(match[1]), _month(match[2]), None)
    if match := _YEAR.match(value):
        return date_from_parts(int(match[1]), None, None)
    if match := _WORDS.match(value):
        return date_from_parts(_year(match[3]), _month(match[2]), int(match[1]))
    if match := _WORDS_MONTH_FIRST.match(value):
        return date_from_parts(int(match[3]), _month(match[1]), int(match[2]))
    if match := _MONTH_YEAR.match(value):
        return date_from_parts(int(match[2]), _month(match[1]), None)
    raise ValueError(value)


def _month(text: str) -> int:
    if text.isdigit():
        month = int(text)
    else:
        month = _MONTHS.get(fold(text), 0)
    if not 1 <= month <= 12:
        raise ValueError(text)
    return month


# --- Numbers and coordinates ---------------------------------------------------------------------


def parse_number(text: str, what: str) -> float | None:
    """A number as files write it ('12.5', '12,5', ' 3 '); empty is None; anything else a RowProblem."""
    value = str(text or "").strip()
    if not value:
        return None
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")  # a decimal comma (semicolon-separated files from Europe)
    try:
        number = float(value)
    except ValueError:
        raise RowProblem(f"{what} '{text}' is not a number") from None
    if not math.isfinite(number):
        raise RowProblem(f"{what} '{text}' is not a number")
    return number


def parse_int(text: str, what: str, unknown: tuple[int, ...] = ()) -> int | None:
    """A whole number ('3', '3.0'); empty, negative or one of ``unknown`` (GTD's -99) is None."""
    number = parse_number(text, what)
    if number is None or number < 0 or int(number) in unknown or number != int(number):
        return None
    return int(number)


def parse_coordinates(latitude: str, longitude: str) -> tuple[float, float]:
    """(lon, lat), refusing what is missing, not a number or off the globe."""
    lat = parse_number(latitude, "latitude")
    lon = parse_number(longitude, "longitude")
    if lat is None or lon is None:
        missing = " and ".join(what for what, value in (("latitude", lat), ("longitude", lon)) if value is None)
        raise RowProblem(f"no {missing}")
    if not -90 <= lat <= 90:
        raise RowProblem(f"latitude {latitude.strip()} is outside -90..90")
    if not -180 <= lon <= 180:
        raise RowProblem(f"longitude {longitude.strip()} is outside -180..180")
    return lon, lat


# --- Rows ------------------------------------------------------------------------------------------


def new_event(**fields) -> dict:
    """An imported event row with every column that has no natural value in a file at its empty value.

    ``lon`` / ``lat`` give the point; ``country`` is the file's own country name (checked later).
    """
    row = {
        "place": None,
        "place_name": None,
        "places": [],
        "route": [],
        "groups": [],
        "people": [],
        "roles": {},
        "no_actor": None,
        "hostage_count": None,
        "hostage_nationalities": [],
        "money": [],
        "note": None,
        "summary": "",
        "title": "",
        "actors": [],
        "country": None,
        "admin1": None,
        "fatalities": None,
        "ransom": None,
        "source_text": None,
        "geocode": "coordinates",
        "location_precision": "exact",
        "original_type": None,
    }
    row.update(fields)
    return row


@functools.lru_cache(maxsize=1)
def _country_table() -> tuple[dict[str, str], dict[str, str], dict[str, object]]:
    """(folded name or code -> ISO alpha-2, ISO -> display name, ISO -> polygon) for the bundled countries."""
    from geo.basemap import countries

    table = countries()
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    shapes: dict[str, object] = {}
    for iso2, iso3, name, geometry in zip(table["iso_a2"], table["iso_a3"], table["name"], table.geometry):
        for spelling in (iso2, iso3, name):
            codes[fold(spelling)] = iso2
        names[iso2] = name
        shapely.prepare(geometry)
        shapes[iso2] = geometry
    # Other spellings files use (ACLED, GTD, French tables); the curated country aliases too.
    for spelling, iso2 in _COUNTRY_SPELLINGS.items():
        codes.setdefault(fold(spelling), iso2)
    try:
        from geo.catalog import load_atlas

        places = load_atlas().places
        for row in places[places["kind"] == "country"].itertuples(index=False):
            if isinstance(row.country, str) and row.country in shapes:
                for spelling in [row.name, *row.aliases]:
                    codes.setdefault(fold(spelling), row.country)
    except Exception:  # the check still works with the basemap's own names
        pass
    return codes, names, shapes


_COUNTRY_SPELLINGS = {
    "Côte d'Ivoire": "CI",
    "Cote d Ivoire": "CI",
    "Ivory Coast": "CI",
    "Burkina": "BF",
    "Tchad": "TD",
    "Mauritanie": "MR",
    "Algérie": "DZ",
    "Libye": "LY",
    "Tunisie": "TN",
    "Maroc": "MA",
    "Sénégal": "SN",
    "Nigéria": "NG",
    "Soudan": "SD",
    "Guinée": "GN",
    "Bénin": "BJ",
    "Cameroun": "CM",
    "Gambie": "GM",
    "Libyan Arab Jamahiriya": "LY",
    "Sahrawi Arab Democratic Republic": "EH",
    "Western Sahara": "EH",
    "Congo (Kinshasa)": "CD",
    "DR Congo": "CD",
    "Democratic Republic of Congo": "CD",
}


def country_code(name: str | None) -> str | None:
    """The ISO alpha-2 code of a bundled country from a name or code as files write it, else None."""
    if not name:
        return None
    return _country_table()[0].get(fold(name))


def _haversine_km(lon1, lat1, lon2, lat2) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _distance_outside_km(shape, lon: float, lat: float) -> float:
    """Great-circle distance from the point to the nearest point of the outline (near enough for a 100 km test)."""
    from shapely.ops import nearest_points

    nearest = nearest_points(shape, shapely.Point(lon, lat))[0]
    return _haversine_km(lon, lat, nearest.x, nearest.y)


def _country_problem(name: str) -> str | None:
    """Why a country value cannot be one (markup, or longer than any country's name), or None.

    The Country filter lists every country the events give: a value that is markup or a
    paragraph would be offered there as a country.
    """
    shown = name if len(name) <= 60 else name[:60] + "…"
    if "<" in name or ">" in name:
        return f"country '{shown}' is not a country name (it holds markup: '<' or '>')"
    if len(name) > MAX_COUNTRY_CHARS:
        return f"country '{shown}' is not a country name ({len(name):,} characters; at most {MAX_COUNTRY_CHARS})"
    return None


def _check_countries(rows: list[dict]) -> tuple[list[dict], list[RefusedRow]]:
    """Refuse points far outside the row's own country, and a country that is not a name (markup); name the
    country where the row gives none.

    One vectorised point-in-polygon test per country named; only points outside get a distance.
    """
    codes, names, shapes = _country_table()
    kept_mask = np.ones(len(rows), dtype=bool)
    refused: list[RefusedRow] = []
    lons = np.array([row["lon"] for row in rows], dtype=float)
    lats = np.array([row["lat"] for row in rows], dtype=float)
    by_country: dict[str, list[int]] = {}
    unnamed: list[int] = []
    for position, row in enumerate(rows):
        if row.get("country") and (problem := _country_problem(row["country"])):
            kept_mask[position] = False
            refused.append(RefusedRow(row["row"], problem))
            continue
        iso = codes.get(fold(row["country"])) if row.get("country") else None
        if iso:
            by_country.setdefault(iso, []).append(position)
        elif not row.get("country"):
            unnamed.append(position)
    for iso, positions in by_country.items():
        index = np.array(positions)
        inside = shapely.contains_xy(shapes[iso], lons[index], lats[index])
        for position in index[~inside]:
            distance = _distance_outside_km(shapes[iso], lons[position], lats[position])
            if distance > OUTSIDE_COUNTRY_KM:
                row = rows[position]
                kept_mask[position] = False
                refused.append(
                    RefusedRow(
                        row["row"],
                        (
                            f"the point ({lats[position]:.4f}, {lons[position]:.4f}) is {distance:,.0f} km outside "
                            f"{row['country']} (more than {OUTSIDE_COUNTRY_KM} km: latitude and longitude swapped "
                            "or mistyped?)"
                        ),
                    )
                )
    if unnamed:
        # Rows without a country are named from the point: one spatial index query for them all.
        index = np.array(unnamed)
        isos = list(shapes)
        tree = shapely.STRtree([shapes[iso] for iso in isos])
        points = shapely.points(lons[index], lats[index])
        point_at, shape_at = tree.query(points, predicate="intersects")
        for point_position, shape_position in zip(point_at, shape_at):
            row = rows[index[point_position]]
            if not row.get("country"):
                row["country"] = names[isos[shape_position]]
    return [row for row, keep in zip(rows, kept_mask) if keep], refused


def import_rows(
    frame,
    values: Mapping[str, Sequence],
    origin: str,
    event_id: Callable[[dict[str, str]], str | None],
    to_event: Callable[[dict[str, str], dict, int, str | None], dict],
) -> ImportResult:
    """Map every row of ``frame`` (index = row number) to an event, refusing a row with its number and reason.

    ``values`` is field -> that field's values in the frame's order (the file's column, or
    blanks); a row's cell is each value as stripped text. ``event_id(cell)`` gives the row's
    id in the file, or None where it has none (it raises :class:`RowProblem` where an id is
    required); an id met twice refuses the later row. ``to_event(cell, original, number,
    event_id)`` builds the event (see :func:`new_event`) from the cell, the row as read and
    its number.
    """
    records = frame.to_dict("records")
    rows: list[dict] = []
    refused: list[RefusedRow] = []
    first_seen: dict[str, int] = {}
    for position, number in enumerate(frame.index):
        cell = {field: str(column_values[position]).strip() for field, column_values in values.items()}
        try:
            original_id = event_id(cell)
            if original_id is not None:
                if original_id in first_seen:
                    raise RowProblem(duplicate_reason(original_id, first_seen[original_id]))
                first_seen[original_id] = number
            rows.append(to_event(cell, records[position], number, original_id))
        except RowProblem as problem:
            refused.append(RefusedRow(number, str(problem)))
        except MemoryError:  # not this row's fault: the whole import is over its memory
            raise
        except Exception as error:  # never a traceback: the row is refused with what went wrong
            refused.append(RefusedRow(number, refuse_unexpected(error)))
    return finish_import(rows, refused, len(frame), origin)


def finish_import(
    rows: list[dict], refused: list[RefusedRow], read: int, origin: str, problems: list[str] | None = None
) -> ImportResult:
    """The import's result from mapped rows (with ``lon``/``lat``) and the rows refused so far."""
    refused = list(refused)
    if rows:
        rows, outside = _check_countries(rows)
        refused += outside
    for row in rows:
        row["geometry"] = shapely.Point(row.pop("lon"), row.pop("lat"))
    events = finish_events(rows)
    refused.sort(key=lambda refusal: refusal.row)
    return ImportResult(events=events, read=read, refused=refused, problems=list(problems or []), origin=origin)


def duplicate_reason(original_id: str, first_row: int) -> str:
    """The reason a row is refused for repeating an id first seen on ``first_row``."""
    return f"duplicate id {original_id}, first seen on row {first_row}"


def empty_result(origin: str, problems: list[str], read: int = 0) -> ImportResult:
    """A result with no events: the file as a whole could not be imported, for ``problems``."""
    return finish_import([], [], read, origin, problems)
