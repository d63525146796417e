"""Reading a report: text in, a :class:`Reading` out.

:func:`read_report` finds every place, date, group and person the text names, places them and
proposes the events it tells. Nothing is kept: the caller shows the reading, the user confirms.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd

from geo.reading.actors import actor_index
from geo.reading.dates import find_dates, report_date_from_dateline
from geo.reading.files import ReadingError, check_text, text_from_bytes
from geo.reading.gazetteer import gazetteer
from geo.reading.places import Candidate, find_places
from geo.reading.text import detect_language, sentence_spans, tokens

__all__ = ["Mention", "Reading", "read_report", "read_report_file", "MENTION_KINDS"]

MENTION_KINDS = ("place", "date", "group", "person")


@dataclass
class Mention:
    """Something the text names, where it names it, and what it was read as.

    Places carry ``candidates`` (best first, each with a point and a confidence); groups and
    people the curated ``id`` and ``name`` (None for a name no curated list has); dates their
    span and precision.
    """

    kind: str  # place, date, group or person
    text: str  # as written
    start: int  # character offsets in the text
    end: int
    sentence: int  # index into Reading.sentences
    confidence: float = 1.0
    candidates: list[Candidate] = field(default_factory=list)
    id: str | None = None
    name: str | None = None
    how: str = ""
    group_kind: str | None = None
    person_roles: tuple[str, ...] = ()
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    precision: str | None = None  # day, month, season, year
    relative_to: str | None = None

    @property
    def place_kind(self) -> str | None:
        """town, site, country, region, river or lake, for a place."""
        return self.candidates[0].kind if self.candidates else None


@dataclass
class Reading:
    """What a report names and tells, ready to be shown and confirmed."""

    text: str
    title: str
    language: str  # en, fr, or other
    report_date: dt.date | None
    report_date_basis: str | None  # "given", or the dateline it was read from
    sentences: list[tuple[int, int]]
    mentions: list[Mention]
    events: gpd.GeoDataFrame  # proposed events in the imported event model
    problems: list[str] = field(default_factory=list)
    words: int = 0

    def of_kind(self, kind: str) -> list[Mention]:
        return [mention for mention in self.mentions if mention.kind == kind]

    @property
    def places(self) -> list[Mention]:
        return self.of_kind("place")

    @property
    def dates(self) -> list[Mention]:
        return self.of_kind("date")

    @property
    def groups(self) -> list[Mention]:
        return self.of_kind("group")

    @property
    def people(self) -> list[Mention]:
        return self.of_kind("person")

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return " ".join(self.text[start:end].split())


def read_report_file(data: bytes, file_name: str, **options) -> Reading:
    """Read an uploaded file (.txt, .md, .html, .pdf, .docx); options as for :func:`read_report`."""
    options.setdefault("title", file_name)
    return read_report(text_from_bytes(data, file_name), **options)


def read_report(
    text: str,
    *,
    title: str = "report",
    report_date: dt.date | None = None,
    language: str | None = None,
    atlas=None,
    strict_language: bool = True,
) -> Reading:
    """Read a report's text.

    ``report_date`` anchors relative dates ('yesterday', 'last Friday'); without it, the text's
    dateline gives it where there is one. ``language`` ('en' or 'fr') is guessed from the text
    when not given. Raises :class:`ReadingError` for an empty text, or (with ``strict_language``)
    one in neither English nor French: the error's ``reading`` then holds what could be read.
    """
    check_text(text)
    if atlas is None:
        from geo.catalog import load_atlas

        atlas = load_atlas()
    words = tokens(text)
    guessed, _share = detect_language(words)
    language = language or guessed
    problems = []
    basis = "given" if report_date else None
    if report_date is None:
        report_date, basis = report_date_from_dateline(text, "fr" if language == "fr" else "en")
    spans = sentence_spans(text)
    starts = [start for start, _ in spans]

    def sentence_of(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    sentence_starts = set()
    cursor = 0
    for index, token in enumerate(words):
        while cursor < len(starts) and starts[cursor] <= token.start:
            if starts[cursor] <= token.start:
                sentence_starts.add(index)
            cursor += 1

    mentions: list[Mention] = []
    for found in find_dates(text, report_date, "fr" if language == "fr" else "en"):
        mentions.append(
            Mention(
                "date",
                found.text,
                found.start,
                found.end,
                sentence_of(found.start),
                confidence=0.9 if found.relative_to else 1.0,
                date_start=found.date_start,
                date_end=found.date_end,
                precision=found.precision,
                relative_to=found.relative_to,
                how=f"relative to the {found.relative_to}" if found.relative_to else "as written",
            )
        )
    index = actor_index(atlas.groups, atlas.people)
    taken: list[tuple[int, int]] = []
    for first, after, actor in index.scan(words):
        start, end = words[first].start, words[after - 1].end
        mentions.append(_actor_mention(actor, text[start:end], start, end, sentence_of(start), 1.0, "curated name"))
        taken.append((first, after))
    mentions += _fuzzy_actors(words, taken, index, text, sentence_of, sentence_starts)
    date_spans = [(m.start, m.end) for m in mentions if m.kind == "date"]
    dated = {index for index, token in enumerate(words) if any(start <= token.start < end for start, end in date_spans)}
    places = find_places(text, words, gazetteer(atlas.places), taken, sentence_starts, dated)
    for match in places:
        start, end = words[match.start_token].start, words[match.end_token - 1].end
        best = match.candidates[0]
        mentions.append(
            Mention(
                "place",
                text[start:end],
                start,
                end,
                sentence_of(start),
                best.confidence,
                candidates=match.candidates,
                id=best.id,
                name=best.name,
                how=best.how,
            )
        )
    mentions.sort(key=lambda mention: (mention.start, mention.kind))
    reading = Reading(text, title, language, report_date, basis, spans, mentions, None, problems, len(words))
    from geo.imports.model import finish_events
    from geo.reading.events import propose_events

    reading.events = finish_events(propose_events(reading, title))
    if not reading.places:
        problems.append("no place found in the text: nothing to put on the map")
    if guessed == "other" and language == "other":
        message = (
            "the text reads as neither English nor French; expected a report in one of them. "
            f"What could be read: {len(reading.places)} place(s), {len(reading.dates)} date(s)"
        )
        problems.append(message)
        if strict_language:
            raise ReadingError(message, reading=reading)
    return reading


def _actor_mention(actor, written, start, end, sentence, confidence, how) -> Mention:
    return Mention(
        actor.kind,
        written,
        start,
        end,
        sentence,
        confidence,
        id=actor.id,
        name=actor.name,
        how=how,
        group_kind=actor.group_kind,
        person_roles=actor.person_roles,
    )


def _fuzzy_actors(words, taken, index, text, sentence_of, sentence_starts) -> list[Mention]:
    """Runs of capitalised words no curated name matches: near spellings of curated people and groups."""
    covered = {position for first, after in taken for position in range(first, after)}
    found = []
    position = 0
    particles = {"ag", "al", "el", "ibn", "bin", "ben", "ould", "abu", "abou"}
    while position < len(words):
        if position in covered or not words[position].text[:1].isupper():
            position += 1
            continue
        run_end = position + 1
        while (
            run_end < len(words)
            and run_end not in covered
            and run_end - position < 4
            and (words[run_end].text[:1].isupper() or words[run_end].folded in particles)
            and words[run_end].start - words[run_end - 1].end <= 2
        ):
            run_end += 1
        start, end = words[position].start, words[run_end - 1].end
        near = index.fuzzy(text[start:end])
        if near is not None:
            actor, score = near
            found.append(
                _actor_mention(
                    actor,
                    text[start:end],
                    start,
                    end,
                    sentence_of(start),
                    round(score / 100, 2),
                    f"near spelling of {actor.name} ({score:.0f}/100)",
                )
            )
            taken.append((position, run_end))
        position = run_end
    return found
