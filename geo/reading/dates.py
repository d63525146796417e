"""Dates a report gives, by rules, in English and French, each with its precision.

- absolute: '16 September 2010', 'September 16, 2010', '16 septembre 2010', '01/16/2013',
  '2013-01-16' (day); 'September 2010', 'late March' (month; a month without a year takes the
  year the text last gave, else the report's); 'spring 2012', 'early 2013', 'le printemps 2012'
  (season); 'in 2007', '2007-2008', 'the 2000s' (year); 'since 2004' runs to the report's date;
  'this past 22 July' is in the report's year;
- relative to the report's date: 'yesterday', 'hier', 'Thursday', 'last Friday',
  'vendredi dernier', 'last month', 'l'an dernier';
- relative to the date before it in the text: 'three months after', 'two days later',
  'trois mois plus tard' (but not 'one week after the kidnapping', which counts from an event).

The day-precise forms are read by dateparser (English and French, day or month first as the
language writes it); the rest is calendar arithmetic.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["DateMention", "find_dates", "report_date_from_dateline", "MONTHS"]

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fevr": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "douze": 12,
}
_UNITS = {
    "day": "day",
    "days": "day",
    "jour": "day",
    "jours": "day",
    "week": "week",
    "weeks": "week",
    "semaine": "week",
    "semaines": "week",
    "month": "month",
    "months": "month",
    "mois": "month",
    "year": "year",
    "years": "year",
    "an": "year",
    "ans": "year",
    "année": "year",
    "années": "year",
}
_SEASONS = {
    "spring": (3, 5),
    "printemps": (3, 5),
    "summer": (6, 8),
    "été": (6, 8),
    "ete": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "automne": (9, 11),
    "winter": (12, 2),
    "hiver": (12, 2),
}
_PARTS = {
    "early": (1, 4),
    "beginning of": (1, 4),
    "start of": (1, 4),
    "début": (1, 4),
    "debut": (1, 4),
    "mid": (5, 8),
    "middle of": (5, 8),
    "mi": (5, 8),
    "late": (9, 12),
    "end of": (9, 12),
    "fin": (9, 12),
    "first half of": (1, 6),
    "second half of": (7, 12),
}
_PART = (
    r"(?P<part>early|beginning of|start of|début|debut|mid|middle of|mi|late|end of|fin|first half of|second half of)"
)

# (name, pattern): tried in this order; an earlier rule's span wins over a later one's.
_RULES = [
    ("dmy", rf"\b{_DAY}\s+{_MONTH}\s+{_YEAR}\b"),
    ("mdy", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    ("numeric", r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b"),
    ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    (
        "season",
        rf"\b(?P<season>spring|summer|autumn|fall|winter|printemps|été|automne|hiver)(?:\s+of|\s+de|\s+d')?\s*{_YEAR}\b",
    ),
    ("part_month", rf"\b{_PART}[\s-]+(?:of\s+|de\s+|d')?{_MONTH}(?:\s+{_YEAR})?\b"),
    ("part_year", rf"\b{_PART}[\s-]+{_YEAR}\b"),
    ("dm", rf"\b{_DAY}\s+{_MONTH}\b"),
    ("md", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,|\d))"),
    ("month_year", rf"\b{_MONTH}\s+{_YEAR}\b"),
    ("decade", r"\b(?:the\s+)?(?P<year>(?:19|20)\d0)'?s\b|\bles\s+années\s+(?P<fr_year>(?:19|20)\d0)\b"),
    ("year_range", r"(?<![\d$€£/.,-])(?P<year>(?:19|20)\d\d)\s*[-–]\s*(?P<year2>(?:19|20)\d\d)(?![\d])"),
    ("year", r"(?<![\d$€£/.,-])(?P<year>(?:19|20)\d\d)(?![\d%]|\s*(?:euros|dollars|people|km|hostages))"),
    (
        "yesterday",
        r"\b(?P<word>the day before yesterday|avant-hier|yesterday|hier|today|aujourd'hui|tomorrow|demain)\b",
    ),
    (
        "weekday",
        r"\b(?:(?P<last>last|this past)\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?P<dernier>\s+dernier)?\b",
    ),
    (
        "last_period",
        r"\b(?:(?P<last>last|past)\s+(?P<unit>week|month|year)|(?P<fr>la semaine|le mois|l'an|l'année)\s+derni[eè]re?)\b",
    ),
    (
        "after",
        r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|un|une|deux|trois|quatre|cinq|sept|huit|neuf|dix|douze)\s+(?P<unit>days?|weeks?|months?|years?|jours|semaines?|mois|ans|années?)\s+(?P<dir>after|later|afterwards|before|earlier|plus tard|après|auparavant|avant|plus tôt)\b",
    ),
]
_SINCE = re.compile(r"\b(?:since|depuis)\s+(?:the\s+year\s+|l'année\s+|l'an\s+)?$", re.IGNORECASE)
_THIS_PAST = re.compile(r"\b(?:this\s+past|last|past)\s+$", re.IGNORECASE)
# 'one week after the kidnapping' counts from an event, not from the date before it.
_AFTER_AN_EVENT = re.compile(r"\s+(?:the|his|her|its|their|this|that|le|la|les|l'|sa|son|ses)\b", re.IGNORECASE)
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _RULES]


@dataclass(frozen=True)
class DateMention:
    """A date the text gives: where, what span it means and how precise it is."""

    start: int
    end: int
    text: str
    date_start: dt.date
    date_end: dt.date
    precision: str  # day, month, season or year
    relative_to: str | None = None  # "report date" or "the date before" for relative dates


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@lru_cache(maxsize=4096)
def _parse_day(text: str, language: str) -> dt.date | None:
    import dateparser

    order = "DMY" if language == "fr" else "MDY"
    parsed = dateparser.parse(
        text,
        languages=[language, "en" if language == "fr" else "fr"],
        settings={"DATE_ORDER": order, "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None


def find_dates(text: str, report_date: dt.date | None, language: str = "en") -> list[DateMention]:
    """Every date in the text, in order of where it is."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, re.Match]] = []
    for name, pattern in _COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            found.append((name, match))
    found.sort(key=lambda item: item[1].start())
    mentions: list[DateMention] = []
    context_year = report_date.year if report_date else None
    for name, match in found:
        head = text[max(0, match.start() - 20) : match.start()]
        if (
            name == "after"
            and match.group("dir").casefold() in ("after", "before", "après", "avant")
            and _AFTER_AN_EVENT.match(text, match.end())
        ):
            continue
        year = report_date.year if report_date and name in ("dm", "md") and _THIS_PAST.search(head) else context_year
        mention = _read(name, match, report_date, language, year, mentions[-1] if mentions else None)
        if mention is None:
            continue
        if name in ("year", "month_year") and _SINCE.search(head) and report_date and report_date > mention.date_end:
            # 'since 2004' in a 2010 report: the span runs to the report's date.
            mention = DateMention(mention.start, mention.end, mention.text, mention.date_start, report_date, "year")
        mentions.append(mention)
        # 'since 2004' tells how long, not when: a later '22 July' is not in 2004.
        if mention.relative_to is None and not _SINCE.search(head):
            context_year = mention.date_start.year
    return mentions


def _read(name: str, match: re.Match, report_date, language, context_year, before) -> DateMention | None:
    groups = {key: value for key, value in match.groupdict().items() if value}
    text = match.group()
    made = lambda start, end, precision, relative=None: DateMention(  # noqa: E731
        match.start(), match.end(), text, start, end, precision, relative
    )
    try:
        if name in ("dmy", "mdy", "numeric", "iso"):
            if name == "numeric":
                first, second = int(groups["a"]), int(groups["b"])
                # 01/16/2013 can only be month first; 16/01/2013 only day first; else the language's way.
                month_first = first <= 12 < second or (language != "fr" and first <= 12 and second <= 12)
                month, day = (first, second) if month_first else (second, first)
                day = dt.date(int(groups["year"]), month, day)
            elif name == "iso":
                day = dt.date(int(groups["year"]), int(groups["m"]), int(groups["d"]))
            else:
                day = _parse_day(" ".join(text.split()), language)
                if day is None:
                    day = dt.date(int(groups["year"]), MONTHS[groups["month"].casefold()], int(groups["day"]))
            return made(day, day, "day")
        if name in ("dm", "md"):
            if context_year is None:
                return None
            month, day_of_month = MONTHS[groups["month"].casefold()], int(groups["day"])
            if not 1 <= day_of_month <= 31:
                return None
            day = dt.date(context_year, month, day_of_month)
            if report_date and day > report_date and context_year == report_date.year:
                day = day.replace(year=day.year - 1)  # 'this past 22 July' in an August story
            return made(day, day, "day")
        if name == "month_year":
            start, end = _month_span(int(groups["year"]), MONTHS[groups["month"].casefold()])
            return made(start, end, "month")
        if name == "part_month":
            year = int(groups["year"]) if "year" in groups else context_year
            if year is None:
                return None
            start, end = _month_span(year, MONTHS[groups["month"].casefold()])
            if "year" not in groups and report_date and start > report_date and year == report_date.year:
                start, end = _month_span(year - 1, start.month)  # 'late March' in a January story
            return made(start, end, "month")
        if name == "part_year":
            first, last = _PARTS[groups["part"].casefold()]
            year = int(groups["year"])
            return made(_month_span(year, first)[0], _month_span(year, last)[1], "season")
        if name == "season":
            year = int(groups["year"]) if "year" in groups else context_year
            if year is None:
                return None
            first, last = _SEASONS[groups["season"].casefold()]
            end_year = year + 1 if last < first else year
            return made(_month_span(year, first)[0], _month_span(end_year, last)[1], "season")
        if name == "decade":
            year = int(groups.get("year") or groups["fr_year"])
            return made(dt.date(year, 1, 1), dt.date(year + 9, 12, 31), "year")
        if name == "year_range":
            first, last = int(groups["year"]), int(groups["year2"])
            if last < first:
                return None
            return made(dt.date(first, 1, 1), dt.date(last, 12, 31), "year")
        if name == "year":
            year = int(groups["year"])
            return made(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        return _relative(name, groups, made, report_date, before)
    except (ValueError, KeyError):
        return None  # '31 February', a month name that is a word: not a date


def _relative(name, groups, made, report_date, before) -> DateMention | None:
    if name == "after":
        if before is None:
            return None
        count = int(groups["n"]) if groups["n"].isdigit() else _NUMBERS.get(groups["n"].casefold(), 1)
        unit = _UNITS[groups["unit"].casefold()]
        sign = -1 if groups["dir"].casefold() in ("before", "earlier", "auparavant", "avant", "plus tôt") else 1
        anchor = before.date_start if sign > 0 else before.date_start
        if unit in ("day", "week"):
            day = anchor + dt.timedelta(days=sign * count * (7 if unit == "week" else 1))
            precision = "day" if before.precision == "day" else before.precision
            return made(day, day, precision, "the date before")
        months = sign * count * (12 if unit == "year" else 1)
        day = _shift_months(anchor, months)
        if unit == "year":
            return made(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year", "the date before")
        start, end = _month_span(day.year, day.month)
        return made(start, end, "month", "the date before")
    if report_date is None:
        return None
    if name == "yesterday":
        word = groups["word"].casefold()
        back = {
            "the day before yesterday": 2,
            "avant-hier": 2,
            "yesterday": 1,
            "hier": 1,
            "today": 0,
            "aujourd'hui": 0,
            "tomorrow": -1,
            "demain": -1,
        }[word]
        day = report_date - dt.timedelta(days=back)
        return made(day, day, "day", "report date")
    if name == "weekday":
        weekday = _WEEKDAYS[groups["weekday"].casefold()]
        back = (report_date.weekday() - weekday) % 7
        if back == 0 and ("last" in groups or "dernier" in groups):
            back = 7  # 'last Friday' written on a Friday is a week ago
        day = report_date - dt.timedelta(days=back)
        return made(day, day, "day", "report date")
    if name == "last_period":
        unit = (
            groups.get("unit")
            or {"la semaine": "week", "le mois": "month"}.get((groups.get("fr") or "").casefold(), "year")
        ).casefold()
        if unit == "week":
            return made(report_date - dt.timedelta(days=13), report_date - dt.timedelta(days=7), "day", "report date")
        if unit == "month":
            start, end = _month_span(
                *divmod(report_date.year * 12 + report_date.month - 2, 12)[0:1],
                divmod(report_date.year * 12 + report_date.month - 2, 12)[1] + 1,
            )
            return made(start, end, "month", "report date")
        year = report_date.year - 1
        return made(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "report date")
    return None


_DATELINE = re.compile(
    r"^\s*(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ .'’-]{2,40}?)(?:,\s*[A-Za-zÀ-ÿ .]+?)?\s*[,(–—-]\s*"
    r"(?P<date>[^()\n]{3,30}?)\s*\((?:Reuters|AFP|AP|Xinhua|APS|Anadolu)\)",
    re.MULTILINE,
)


def report_date_from_dateline(text: str, language: str = "en") -> tuple[dt.date | None, str | None]:
    """(date, how it was found) from a wire dateline ('ALGIERS, Aug 12 (Reuters) -') or a date line
    at the head of the text ('August 12, 2010 / 3:06 PM'); (None, None) without one."""
    head = text[:1500]
    full = [mention for mention in find_dates(head, None, language) if mention.precision == "day"]
    line = _DATELINE.search(head)
    if line:
        dated = find_dates(line.group("date"), full[0].date_start if full else None, language)
        if dated and dated[0].precision == "day":
            return dated[0].date_start, f"dateline '{line.group().strip()}'"
    for mention in full:
        if mention.start < 300:
            return mention.date_start, f"date at the head of the text '{mention.text}'"
    return None, None
