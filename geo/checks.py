"""Checks of what the curated data and the stories claim against what their reports say.

Beside :mod:`geo.validate` (shape, references, locators): these read the records as a
fact-checker would.

- **Participants**: every group and person on an event is named in the sentence of one of
  the event's locators, or its ``note`` names it together with a mark saying where it comes
  from (outside knowledge, an inference, an assumption). When the sentence stands for someone
  by a pronoun or a common noun ("he", "the organization", "this brigade", a quoted letter's
  "we"), the sentence just before it counts too; a sentence that names its own subject does not
  borrow one from its neighbour. Someone known only by role is found by the passage their own
  record cites.
- **Spans**: an event whose dates run wider than its precision says (``approximate``, or a
  year or season longer than the unit) gives the basis of its range in ``note``.
- **Leaders**: two leaders of one group in the same post at once are explained in the
  group's ``note`` (which names both).
- **Dates**: an event does not give a group a part (actor, target, mediator, response)
  outside the group's active period, nor a person a part after the death their ``fate``
  dates; founding, split and merger events are left out (they straddle the dates). An event
  that runs partly outside the period is a warning unless its note names the group in a
  sentence that gives a year (when the part begins or ends).
- **Story captions**: each group, person, place and year a caption names is named in the
  sentence of one of the step's citations.

Each check returns ``(problems, warnings)``: a problem is certain, a warning is where the
check cannot decide (a report says "he" or "the organisation"; a name is given elsewhere in
the report than in the cited sentence), with the record and the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from geo.findings import Problem, normalise_text
from geo.findings import folded as _folded  # short names: "folded" and "spellings" name local values here
from geo.findings import spellings as _spellings

__all__ = [
    "MARKS",
    "locator_sentence",
    "participant_findings",
    "span_findings",
    "leader_findings",
    "date_findings",
    "caption_findings",
    "fact_findings",
]

# Words by which a note owns up to what is not in the cited passage.
MARKS = ("outside knowledge", "inferred", "assumed", "not named", "does not name", "names only")
# Words by which a note gives the basis of a span of dates.
_SPAN_BASIS = re.compile(
    r"undated|range|span|assum|estimat|infer|outside knowledge|report (?:gives|dates|says)"
    r"|dates? |follows|until|up to|before|after|between|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_COUNTED = ("actor", "target", "mediator", "response")
_DEATH = re.compile(r"\b(?:killed|died|executed|dead)\b[^.]*?\b((?:19|20)\d\d)\b", re.IGNORECASE)
# A sentence ends at a stop before a capital, a quotation mark or a bracket, a footnote number
# ("... Gaddafi's forces. 12 Wanting ...") between them included.
_SENTENCE_START = re.compile(r"[.!?][”\"’)\]]?\s+(?:\d{1,3}\s+)?(?=[A-Z“\"‘(\[])")
_SENTENCE_END = re.compile(r"[.!?](?=[”\"’)\]]?\s+(?:\d{1,3}\s+)?[A-Z“\"‘(\[]|[”\"’)\]]?\s*$)")
# Words by which a sentence stands for someone named before it: a pronoun, "the latter", "the
# organization", "this shift", or the "we" of a quoted letter whose author the sentence before names.
_ANAPHORA = re.compile(
    r" (?:he|she|him|his|her|it|its|they|them|their|we|our|us|the (?:latter|former|man|source"
    r"|insurgent|organi[sz]ation|group|brigade|board|command|emir|mediator)|this|these) "
)


def _texts(sources_dir: Path | str | None, records: dict) -> dict[str, str]:
    if sources_dir is None:
        return {}
    texts = {}
    for source in records.get("sources", []):
        if isinstance(source, dict):
            path = Path(sources_dir) / str(source.get("id"))
            if path.is_file():
                texts[source["id"]] = normalise_text(path.read_text(encoding="utf-8"))
    return texts


def locator_sentence(text: str, locator: str) -> str:
    """The sentence (or sentences) of ``text`` that hold ``locator``; '' when it is not there."""
    locator = normalise_text(locator)
    start = text.find(locator)
    if start < 0:
        return ""
    # (up to one character past the start, so that a locator opening its sentence is seen to)
    begins = [match.end() for match in _SENTENCE_START.finditer(text, 0, start + 1)]
    first = begins[-1] if begins else 0
    end = _SENTENCE_END.search(text, start + len(locator))
    return text[first : end.end() if end else len(text)]


def previous_sentence(text: str, locator: str) -> str:
    """The sentence of ``text`` just before the one that holds ``locator``; '' when there is none."""
    start = text.find(normalise_text(locator))
    if start < 0:
        return ""
    begins = [0] + [match.end() for match in _SENTENCE_START.finditer(text, 0, start + 1)]
    return text[begins[-2] : begins[-1]] if len(begins) > 1 and begins[-1] > 0 else ""


def _cited(citations, texts: dict[str, str]) -> str:
    """The folded sentences of every citation whose report is at hand."""
    parts = [
        locator_sentence(texts[c["source"]], c["locator"])
        for c in citations or []
        if isinstance(c, dict) and c.get("source") in texts and c.get("locator")
    ]
    return " ".join(_folded(part) for part in parts)


def _antecedents(citations, texts: dict[str, str]) -> str:
    """The folded sentences just before each citation's own that stands for someone by a pronoun
    or a common noun ("he", "the organization"): whom the citation means is named there."""
    parts = []
    for citation in citations or []:
        if isinstance(citation, dict) and citation.get("source") in texts and citation.get("locator"):
            text = texts[citation["source"]]
            if _ANAPHORA.search(_folded(locator_sentence(text, citation["locator"]))):
                parts.append(_folded(previous_sentence(text, citation["locator"])))
    return " ".join(parts)


def _own_passages(record: dict) -> list[str]:
    """The folded locators of a record and of its affiliations: for someone known only by role
    ("one of the mediators involved"), the passage that identifies them."""
    citations = list(record.get("sources") or [])
    for affiliation in record.get("affiliations") or []:
        if isinstance(affiliation, dict):
            citations += affiliation.get("sources") or []
    return [_folded(c["locator"]) for c in citations if isinstance(c, dict) and c.get("locator")]


def _names(spellings: list[str], text: str) -> bool:
    return any(name in text for name in spellings)


def _marked(note: str, spellings: list[str]) -> bool:
    """The note names it in a sentence that says where it comes from."""
    for sentence in re.split(r"(?<=[.;])\s+", note or ""):
        folded = _folded(sentence)
        if _names(spellings, folded) and any(f" {mark} " in folded for mark in MARKS):
            return True
    return False


def _dated_in_note(note: str | None, spellings: list[str]) -> bool:
    """The note names it in a sentence that gives a year: it says when the part begins or ends."""
    return any(
        _names(spellings, _folded(sentence)) and re.search(r"\b(?:19|20)\d\d\b", sentence)
        for sentence in re.split(r"(?<=[.;])\s+", note or "")
    )


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _events(records: dict) -> list[dict]:
    return [e for e in records.get("events", []) if isinstance(e, dict) and e.get("id")]


def participant_findings(records: dict, sources_dir: Path | str | None) -> tuple[list[Problem], list[Problem]]:
    """Participants no locator sentence names and no note owns up to."""
    texts = _texts(sources_dir, records)
    if not texts:
        return [], []
    tables = {
        table: {r.get("id"): r for r in records.get(table, []) if isinstance(r, dict)} for table in ("groups", "people")
    }
    problems, warnings = [], []
    for event in _events(records):
        cited = _cited(event.get("sources"), texts)
        if not cited:
            continue
        cited += _antecedents(event.get("sources"), texts)
        whole = " ".join(
            _folded(texts[c["source"]])
            for c in event.get("sources") or []
            if isinstance(c, dict) and c.get("source") in texts
        )
        note = " ".join(str(event.get(key) or "") for key in ("note", "no_actor"))
        roles = event.get("roles") or {}
        for table in ("groups", "people"):
            for ref in event.get(table) or []:
                record = tables[table].get(ref)
                if record is None:
                    continue
                spellings = _spellings(record)
                if record.get("named") is False:  # known by role: the passage its own record rests on
                    spellings = spellings + _own_passages(record)
                if _names(spellings, cited) or _marked(note, spellings):
                    continue
                role = roles.get(ref, "?")
                what = f"{ref} ({role})"
                if record.get("named") is False:
                    reason = "is known only by role, so its name cannot be matched"
                elif _names(spellings, _folded(note)):
                    reason = "is named in the note, but the note does not say it comes from outside the reports"
                elif _names(spellings, whole):
                    reason = "is named in the cited report, but not in the sentence of any locator"
                elif role not in _COUNTED:
                    reason = "is named in no cited report (a 'named' role)"
                else:
                    problems.append(
                        Problem(
                            "events",
                            str(event["id"]),
                            f"participant {what} is named in no cited passage and no note "
                            "marks it as outside knowledge",
                        )
                    )
                    continue
                warnings.append(
                    Problem(
                        "events",
                        str(event["id"]),
                        f"participant {what} {reason}: cite the sentence that names it, or mark it in the note",
                    )
                )
    return problems, warnings


_UNIT_DAYS = {"day": 1, "month": 31, "season": 92, "year": 366}


def span_findings(records: dict) -> tuple[list[Problem], list[Problem]]:
    """Spans of dates wider than their precision, with no basis in the note."""
    problems, warnings = [], []
    for event in _events(records):
        start, end = _date(event.get("date_start")), _date(event.get("date_end"))
        if start is None or end is None:
            continue
        precision = event.get("date_precision")
        days = (end - start).days + 1
        if precision != "approximate" and days <= _UNIT_DAYS.get(precision, 366):
            continue
        note = event.get("note") or ""
        span = f"{start} to {end} ({precision})"
        if not note.strip():
            problems.append(
                Problem(
                    "events",
                    str(event["id"]),
                    f"the span {span} has no stated basis: say in the note where the dates come from",
                )
            )
        elif not _SPAN_BASIS.search(note):
            warnings.append(
                Problem("events", str(event["id"]), f"the note does not seem to give the basis of the span {span}")
            )
    return problems, warnings


def leader_findings(records: dict) -> tuple[list[Problem], list[Problem]]:
    """Two leaders in the same post of one group at once, with no note naming both."""
    people = {p.get("id"): p for p in records.get("people", []) if isinstance(p, dict)}
    problems = []
    for group in records.get("groups", []):
        if not isinstance(group, dict):
            continue
        leaders = [leader for leader in group.get("leaders") or [] if isinstance(leader, dict)]
        note = _folded(group.get("note") or "")
        for i, first in enumerate(leaders):
            for second in leaders[i + 1 :]:
                if first.get("role") != second.get("role") or first.get("person") == second.get("person"):
                    continue
                a, b = first.get("period") or {}, second.get("period") or {}
                a_start, a_end = _date(a.get("start")) or dt.date.min, _date(a.get("end")) or dt.date.max
                b_start, b_end = _date(b.get("start")) or dt.date.min, _date(b.get("end")) or dt.date.max
                if a_start > b_end or b_start > a_end:
                    continue
                explained = all(
                    _names(_spellings(people.get(leader.get("person"), {})), note) for leader in (first, second)
                )
                if not explained:
                    problems.append(
                        Problem(
                            "groups",
                            str(group.get("id")),
                            f"leaders {first.get('person')} and {second.get('person')} are both "
                            f"{first.get('role')} from {max(a_start, b_start)} to "
                            f"{min(a_end, b_end)}: end one term, or explain in the note",
                        )
                    )
    return problems, []


def _death_year(person: dict) -> int | None:
    match = _DEATH.search(person.get("fate") or "")
    return int(match.group(1)) if match else None


def date_findings(records: dict) -> tuple[list[Problem], list[Problem]]:
    """Events that give a part to a group outside its active period, or to a person after death."""
    groups = {g.get("id"): g for g in records.get("groups", []) if isinstance(g, dict)}
    people = {p.get("id"): p for p in records.get("people", []) if isinstance(p, dict)}
    problems, warnings = [], []
    for event in _events(records):
        if event.get("type") == "founding":
            continue
        start, end = _date(event.get("date_start")), _date(event.get("date_end"))
        if start is None or end is None:
            continue
        roles = event.get("roles") or {}
        for ref in event.get("groups") or []:
            period = (groups.get(ref) or {}).get("active") or {}
            begins, ends = _date(period.get("start")), _date(period.get("end"))
            if roles.get(ref) not in _COUNTED:
                continue
            if begins and end < begins:
                problems.append(
                    Problem(
                        "events",
                        str(event["id"]),
                        f"{ref} ({roles[ref]}) acts before it exists: the event ends {end}, the group starts {begins}",
                    )
                )
            elif ends and start > ends:
                problems.append(
                    Problem(
                        "events",
                        str(event["id"]),
                        f"{ref} ({roles[ref]}) acts after it ended: the event starts {start}, the group ends {ends}",
                    )
                )
            elif ((begins and (begins - start).days > 31) or (ends and (end - ends).days > 31)) and not _dated_in_note(
                event.get("note"), _spellings(groups.get(ref) or {})
            ):
                warnings.append(
                    Problem(
                        "events",
                        str(event["id"]),
                        f"{ref} ({roles[ref]}) has a part from "
                        f"{start} to {end}, partly outside its active period "
                        f"({begins or '…'} to {ends or '…'})",
                    )
                )
        for ref in event.get("people") or []:
            died = _death_year(people.get(ref) or {})
            if died and start.year > died and roles.get(ref) in _COUNTED:
                problems.append(
                    Problem(
                        "events",
                        str(event["id"]),
                        f"{ref} ({roles[ref]}) has a part in "
                        f"{start.year}, after the death in {died} that their fate records",
                    )
                )
    return problems, warnings


def _caption_names(records: dict) -> list[tuple[str, str, list[str]]]:
    """(table, id, spellings) of every group, person and named place, longest spellings first."""
    found = []
    for table in ("groups", "people", "places"):
        for record in records.get(table, []):
            if isinstance(record, dict) and record.get("named", True) is not False:
                spellings = sorted({s for s in _spellings(record) if len(s.strip()) > 3}, key=len, reverse=True)
                if spellings:
                    found.append((table, record["id"], spellings))
    return found


def caption_findings(
    story: dict, records: dict, sources_dir: Path | str | None, name: str = "story"
) -> tuple[list[Problem], list[Problem]]:
    """Groups, people, places and years a story's captions name that no cited sentence supports."""
    texts = _texts(sources_dir, records)
    if not texts:
        return [], []
    names = _caption_names(records)
    warnings = []
    for number, step in enumerate(story.get("steps") or [], start=1):
        if not isinstance(step, dict):
            continue
        caption = _folded(step.get("caption") or "").replace(" timbuktu letters ", " letters ")  # a report's name
        cited = _cited(step.get("citations"), texts)
        if not cited:
            continue
        cited += _antecedents(step.get("citations"), texts)
        unsupported = []
        for table, ref, spellings in names:
            said = [s for s in spellings if s in caption]
            if said and not _names(spellings, cited):
                unsupported.append(f"{said[0].strip()} ({ref})")
        for year in sorted(set(re.findall(r" ((?:19|20)\d\d) ", caption))):
            if f" {year} " not in cited:
                unsupported.append(f"the year {year}")
        if unsupported:
            warnings.append(
                Problem(
                    "stories",
                    f"{name} step {number}",
                    "the caption names " + ", ".join(unsupported) + ", which no cited passage names",
                )
            )
    return [], warnings


def fact_findings(records: dict, sources_dir: Path | str | None = None) -> tuple[list[Problem], list[Problem]]:
    """Every check above on the curated records (not the stories): (problems, warnings)."""
    problems, warnings = [], []
    for found in (
        participant_findings(records, sources_dir),
        span_findings(records),
        leader_findings(records),
        date_findings(records),
    ):
        problems += found[0]
        warnings += found[1]
    return problems, warnings
