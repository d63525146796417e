"""Draft events from the sentences that tell of something happening at a place and a time.

A sentence with an event verb ('kidnapped', 'attacked', 'enlevé', 'libérés', ...) and a place
(in it, or in the sentence before) becomes a draft in the imported event model
(:mod:`geo.imports.model`): its type from the verb, its date from the sentence (else the one
before, else the last date the text gave), its place (a town or site before a region, a region
before a country), its groups and people with roles where the sentence says who did what to
whom, and the phrase it rests on, at most 12 words, as its locator.
"""

from __future__ import annotations

import re

from shapely.geometry import Point

__all__ = ["EVENT_VERBS", "propose_events"]

# (event type, pattern): the first that matches a sentence gives its type.
EVENT_VERBS: list[tuple[str, str]] = [
    ("kidnapping", r"kidnap\w*|abduct\w*|took (?:\w+ )?hostages?|taken hostage|hostage-taking|seized (?:\w+ ){0,3}"
                   r"(?:hostages?|tourists|nationals|workers|diplomats)|enlev\w*|kidnapp\w*|rapt|prise d'otages?"
                   r"|pris en otages?"),
    ("release", r"releas\w*|freed|free the|set free|libér\w*|relâch\w*"),
    ("killing", r"killed|killing|executed|execution|assassinat\w*|murder\w*|tué\w*|exécut\w*|assassin\w*"),
    ("attack", r"attack\w*|bomb\w*|ambush\w*|assault\w*|attaqu\w*|attentat\w*|embuscade\w*|explosion"),
    ("arrest", r"arrest\w*|captured|extradit\w*|arrêt\w*|interpell\w*|extradé\w*|capturé\w*"),
    ("occupation", r"seized|took control|taken by|occupied|overran|fell to|s'empar\w*|pris le contrôle"
                   r"|tomb\w* aux mains|occup\w*"),
    ("raid", r"raid\w*|military operation|intervention|opération militaire|frappes?|airstrikes?"),
    ("meeting", r"\bmet\b|meeting\w*|convened|gathered|réuni\w*|rencontr\w*"),
    ("negotiation", r"negotiat\w*|mediat\w*|négoci\w*|médiat\w*"),
    ("ransom", r"ransom|rançon\w*"),
    ("letter", r"claimed responsibility|claimed|letter|statement|revendiqu\w*|communiqué|lettre"),
    ("founding", r"founded|created|merged|renamed|formed|fond[ée]\w*|créé\w*|fusionn\w*"),
    ("movement", r"fled|retreated|withdrew|moved|transferred|transported|s'est replié|fui|se sont repliés"),
    ("arms", r"weapons|arms deal|sold \w+ (?:guns|rifles)|armes"),
    ("trafficking", r"smuggl\w*|traffick\w*|trafic\w*|contrebande"),
]
_VERBS = [(kind, re.compile(rf"\b(?:{pattern})", re.IGNORECASE)) for kind, pattern in EVENT_VERBS]
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|été|a été|ont été|sont|est)\s+(?:\w+\s+)?$", re.IGNORECASE)
_BY = re.compile(r"\b(?:by|par)\b", re.IGNORECASE)
_PLACE_ORDER = {"town": 0, "site": 0, "region": 1, "river": 1, "lake": 1, "country": 2}
_STATE_KINDS = {"state-force", "government"}
LOCATOR_WORDS = 12
CARRIED_SENTENCES = 4


def propose_events(reading, dataset: str) -> list[dict]:
    """Rows of draft events (every column :func:`geo.imports.model.finish_events` needs)."""
    from geo.imports.common import new_event

    by_sentence: dict[int, list] = {}
    for mention in reading.mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    rows = []
    last_date = None
    for number, (start, end) in enumerate(reading.sentences):
        sentence = reading.text[start:end]
        here = by_sentence.get(number, [])
        dates_here = [m for m in here if m.kind == "date"]
        found = _verb(sentence)
        if found is not None:
            kind, verb = found
            row = _draft(reading, number, start, sentence, kind, verb, here, by_sentence.get(number - 1, []),
                         last_date, dataset, len(rows) + 1, new_event)
            if row is not None:
                rows.append(row)
        if dates_here:
            last_date = (number, dates_here[-1])
    return rows


def _verb(sentence: str) -> tuple[str, re.Match] | None:
    for kind, pattern in _VERBS:
        match = pattern.search(sentence)
        if match:
            return kind, match
    return None


def _draft(reading, number, offset, sentence, kind, verb, here, before, last_date, dataset, serial, new_event):
    places = [m for m in here if m.kind == "place"] or [m for m in before if m.kind == "place"]
    if not places:
        return None
    # The place told nearest the verb; a town before a region or a country at the same distance.
    place = min(places, key=lambda m: (abs(m.start - offset - verb.start()) // 40,
                                       _PLACE_ORDER.get(m.candidates[0].kind, 3)))
    dates = [m for m in here if m.kind == "date"] or [m for m in before if m.kind == "date"]
    # Else the last date the text gave, if it is recent enough to still be the story's time.
    # The date told nearest the verb (not a dateline's at the head of the sentence).
    date = (min(dates, key=lambda m: abs(m.start - offset - verb.start())) if dates
            else last_date[1] if last_date and number - last_date[0] <= CARRIED_SENTENCES else None)
    if date is None:
        return None
    actors = [m for m in here if m.kind in ("group", "person") and m.id]
    if not actors:
        actors = [m for m in before if m.kind in ("group", "person") and m.id]
    roles = _roles(actors, sentence, offset, verb, kind)
    groups = list(dict.fromkeys(m.id for m in actors if m.kind == "group"))
    people = list(dict.fromkeys(m.id for m in actors if m.kind == "person"))
    best = place.candidates[0]
    locator = _locator(sentence, verb, place.start - offset)
    return new_event(
        id=f"{dataset}:{serial}", date_start=date.date_start.isoformat(), date_end=date.date_end.isoformat(),
        date_precision=date.precision, type=kind, title=_title(kind, best.name, date),
        summary=" ".join(sentence.split()), place=best.id if best.source == "curated" else None,
        place_name=best.name, places=[best.id] if best.source == "curated" else [],
        location_precision="exact" if best.kind in ("town", "site") else "centroid",
        groups=groups, people=people, roles=roles,
        no_actor=None if "actor" in roles.values() else "the sentence names no one who did it",
        actors=list(dict.fromkeys(m.text for m in actors)), country=None, dataset=dataset, origin="report",
        original_id=str(number + 1), original_type=verb.group(), source_text=locator,
        geocode=f"'{place.text}' -> {best.how}, confidence {best.confidence:.2f}", row=number + 1,
        original={"sentence": " ".join(sentence.split()), "locator": locator, "sentence_number": number + 1,
                  "place_text": place.text, "date_text": date.text},
        geometry=Point(best.lon, best.lat))


def _roles(actors, sentence, offset, verb, kind) -> dict[str, str]:
    roles: dict[str, str] = {}
    verb_at = verb.start()
    passive = _PASSIVE.search(sentence[:verb_at]) is not None
    by = _BY.search(sentence, verb.end())
    for mention in actors:
        at = mention.start - offset
        group_kind = getattr(mention, "group_kind", None)
        person_roles = getattr(mention, "person_roles", ()) or ()
        if kind in ("arrest", "raid") and group_kind in _STATE_KINDS:
            role = "response"
        elif "hostage" in person_roles:
            role = "target"
        elif "mediator" in person_roles and kind in ("negotiation", "release", "ransom"):
            role = "mediator"
        elif passive:
            role = "actor" if by and at >= by.start() else "target" if at < verb_at else "named"
        else:
            role = "actor" if at < verb_at else "target" if kind in (
                "kidnapping", "attack", "killing", "arrest", "raid", "release") else "named"
        roles.setdefault(mention.id, role)
    return roles


def _locator(sentence: str, verb: re.Match, place_at: int) -> str:
    """At most 12 words of the sentence around the verb, reaching toward the place where they can."""
    words = list(re.finditer(r"\S+", sentence))
    at = next((i for i, w in enumerate(words) if w.end() > verb.start()), 0)
    place_word = next((i for i, w in enumerate(words) if w.end() > place_at), at)
    first = max(0, min(at, place_word) - 2)
    last = min(len(words), first + LOCATOR_WORDS)
    if max(at, place_word) >= last:
        first = max(0, max(at, place_word) - LOCATOR_WORDS + 1)
        last = first + LOCATOR_WORDS
    phrase = " ".join(w.group() for w in words[first:last])
    return phrase.strip(" ,;:()[]\"'“”")


def _title(kind: str, place: str, date) -> str:
    from geo.schema import EVENT_TYPES

    return f"{EVENT_TYPES.get(kind, kind)} at {place}, {date.text}"[:120]
