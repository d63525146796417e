"""Draft events from the sentences that tell of something happening at a place and a time.

A sentence with an event verb ('kidnapped', 'attacked', 'appointed', 'enlevé', 'libérés', ...)
becomes a draft in the imported event model (:mod:`geo.imports.model`), one per verb where two
verbs of a sentence fall at different places or times:

- its type from the verb;
- its date: the one nearest the verb in the sentence, else the last date the text gave (a
  story's time holds until the text gives another; 'since 2004' in a story with no date tells how
  long, and holds for no later sentence: their events wait for a date rather than take a wrong one);
- its place: where the sentence says it happened ('in Gao', 'into northern Mali', 'the emir of
  the Sahara'), the one after the verb first, else where the sentences just before said, else
  the area the report most often says things happen in; a place named otherwise ('France's
  prime minister') only when nothing else is told; 'in Mali' in a report about northern Mali is
  northern Mali;
- its groups and people with roles where the sentence says who did what to whom, each once and
  by the atlas's name where the atlas knows it ('Laaouer' is Mokhtar Belmokhtar); 'he' or 'the
  group' with no name in the sentence stands for the last person or group named just before,
  and a sentence naming no one goes on with those of the sentence before;
- the phrase it rests on, at most 12 words, as its locator; where the date or the place came
  from (this sentence, an earlier one, the report's area) is kept with it for the reviewer.

A sentence before any date, or in a report with no place, gives none.
"""

from __future__ import annotations

import re
from collections import Counter

from shapely.geometry import Point

from geo.reading.dates import _SINCE

__all__ = ["EVENT_VERBS", "propose_events"]

# (event type, pattern): the first that matches a sentence gives its type.
EVENT_VERBS: list[tuple[str, str]] = [
    (
        "kidnapping",
        r"kidnap\w*|abduct\w*|took (?:\w+ )?hostages?|taken hostage|hostage-taking|seized (?:\w+ ){0,3}"
        r"(?:hostages?|tourists|nationals|workers|diplomats)|enlev\w*|kidnapp\w*|rapt|prise d'otages?"
        r"|pris en otages?|held (?:the )?(?:\w+ )?hostages?",
    ),
    ("release", r"releas\w*|freed|free the|set free|libér\w*|relâch\w*"),
    (
        "killing",
        r"killed|killing|executed|execution|assassinat\w*|murder\w*|tué\w*|exécut\w*|assassin\w*"
        r"|his death|sa mort",
    ),
    (
        "attack",
        r"attack\w*|bomb\w*|ambush\w*|assault\w*|attaqu\w*|attentat\w*|embuscade\w*|explosion"
        r"|retaliat\w*|turn(?:ed)? on",
    ),
    (
        "arrest",
        r"arrest\w*|captured|extradit\w*|arrêt\w*|interpell\w*|extradé\w*|capturé\w*|incarcerat\w*"
        r"|handed over|imprison\w*|charged|emprisonn\w*",
    ),
    (
        "occupation",
        r"seized|took control|taken by|occupied|overran|fell to|s'empar\w*|pris le contrôle"
        r"|tomb\w* aux mains|occup\w*|expell\w*|chass\w*",
    ),
    ("raid", r"raid\w*|military operation|intervention|opération militaire|frappes?|airstrikes?|offensive"),
    ("meeting", r"\bmet\b|meeting\w*|convened|gathered|réuni\w*|rencontr\w*|visit\w*|talks with"),
    ("negotiation", r"negotiat\w*|mediat\w*|négoci\w*|médiat\w*|coordinat\w*|arbitrat\w*"),
    ("ransom", r"ransom|rançon\w*"),
    (
        "letter",
        r"claimed responsibility|claimed|letter|statement|revendiqu\w*|communiqué|lettre|wrote|message"
        r"|interview|correspondence|called on|called for|requested|asked (?:him|them|for)|denied|video"
        r"|a écrit|déclar\w*|annonc\w*",
    ),
    (
        "founding",
        r"founded|founding|created|creation|merged?|renamed|formed|gave rise|establish\w*|new entity"
        r"|break with|broke with|fond[ée]\w*|créé\w*|fusionn\w*|fondation",
    ),
    (
        "decision",
        r"appoint\w*|replac\w*|decided|decision|ruled|approv\w*|authori[sz]\w*|allocat\w*|ordered"
        r"|nomm\w*|désign\w*|décid\w*|décision",
    ),
    (
        "movement",
        r"fled|flight|retreat\w*|withdrew|moved|transferred|transported|s'est replié|fui|se sont repliés"
        r"|settled|set up (?:\w+ )?camps?|entered|enter|travel\w*|trip to|expedition|sanctuary|haven"
        r"|returning|returned|sent (?:\w+ ){0,2}(?:platoons|fighters|men)|réfugi\w*|install[ée]\w*",
    ),
    (
        "alliance",
        r"allian\w*|allied|allegiance|affiliat\w*|pledged|married|marriage\w*|protected|shelter\w*"
        r"|sided with|agreement|relations with|relationships with|appeasement|bought off|buys off"
        r"|joint operations|s'allie\w*|allégeance|soutien|protég\w*",
    ),
    ("arms", r"weapons|arms deal|sold \w+ (?:guns|rifles)|armes|sold|selling|arsenals?|missiles|rifles"),
    ("trafficking", r"smuggl\w*|traffick\w*|trafic\w*|contrebande|cocaine|drugs|taxes"),
    ("warning", r"warn\w*|threat\w*|concerns?|menac\w*|averti\w*"),
    ("protest", r"protest\w*|riot\w*|demonstrat\w*|manifest\w*|émeutes?"),
]
_VERBS = [(kind, re.compile(rf"\b(?:{pattern})", re.IGNORECASE)) for kind, pattern in EVENT_VERBS]
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|été|a été|ont été|sont|est)\s+(?:\w+\s+)?$", re.IGNORECASE)
_BY = re.compile(r"\b(?:by|par)\b", re.IGNORECASE)
_PLACE_ORDER = {"town": 0, "site": 0, "region": 1, "river": 1, "lake": 1, "country": 2}
_STATE_KINDS = {"state-force", "government"}
# A place after one of these words is where something happens ('in Gao', 'près de Kidal').
_LOCATIVE = frozenset(
    """of along in at near from into to across around outside inside toward towards between throughout
through within over off on en à a au aux dans près pres vers depuis sur""".split()
)
_ARTICLES = frozenset("the la le les l de du d".split())
_HE = re.compile(r"\b(?:he|his|him|she|her|il|elle|lui)\b", re.IGNORECASE)
_IT = re.compile(
    r"\b(?:it|its|the (?:group|organi[sz]ation|movement|brigade)|l'organisation|le groupe)\b", re.IGNORECASE
)
_LAST_WORD = re.compile(r"([^\W\d_]+)[\W\d_]*$")
LOCATOR_WORDS = 12
CARRIED_SENTENCES = 4
ACTORS_REACH = 2


def propose_events(reading, dataset: str) -> list[dict]:
    """Rows of draft events (every column :func:`geo.imports.model.finish_events` needs)."""
    from geo.imports.common import new_event

    by_sentence: dict[int, list] = {}
    for mention in reading.mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    settings = _Setting(reading.text, _main_area(reading))
    rows = []
    for number, (start, end) in enumerate(reading.sentences):
        sentence = reading.text[start:end]
        here = by_sentence.get(number, [])
        told = set()
        for kind, verb in _verbs(sentence):
            row = _draft(
                reading, number, start, sentence, kind, verb, here, settings, dataset, len(rows) + 1, new_event
            )
            # A sentence telling two things at one place and time is one draft: the first verb's.
            if row is not None and (row["place_name"], row["date_start"]) not in told:
                told.add((row["place_name"], row["date_start"]))
                rows.append(row)
        settings.note(number, here)
    return rows


class _Setting:
    """What the sentences read so far said of time, place and people: a later sentence may lean on it."""

    def __init__(self, text: str, main_area):
        self.text = text
        self.main_area = main_area
        self.recent: list[tuple[int, list]] = []  # (sentence, its mentions), the last few
        self.last_date = None  # the last date the text gave

    def note(self, number: int, mentions: list) -> None:
        if mentions:
            self.recent = [(n, m) for n, m in self.recent if number - n < CARRIED_SENTENCES] + [(number, mentions)]
        dates = [m for m in mentions if m.kind == "date" and not self.since_unbounded(m)]
        if dates:
            self.last_date = dates[-1]

    def since_unbounded(self, mention) -> bool:
        """'since 2004' in a story with no date: it tells how long something lasted, and later
        sentences' events did not happen in 2004 (with the story's date it runs to it, and holds)."""
        head = self.text[max(0, mention.start - 20) : mention.start]
        return bool(_SINCE.search(head)) and mention.date_end.year == mention.date_start.year

    def before(self, number: int, test, reach: int = CARRIED_SENTENCES):
        """The latest mention of the sentences before, within reach, that passes ``test``."""
        chosen = self.all_before(number, test, reach)
        return chosen[-1] if chosen else None

    def all_before(self, number: int, test, reach: int = CARRIED_SENTENCES) -> list:
        """Every mention passing ``test`` in the latest sentence before, within reach, that has one."""
        for n, mentions in reversed(self.recent):
            if number - n > reach:
                break
            chosen = [m for m in mentions if test(m)]
            if chosen:
                return chosen
        return []

    def where(self, mention) -> bool:
        return _is_where(self.text, mention)


def _is_where(text: str, mention) -> bool:
    """True where the text says something happens at the place: 'in Gao', 'into northern Mali'."""
    if not mention.text[:1].isupper():
        return True  # 'northern Mali', 'the north of Mali'
    head = text[max(0, mention.start - 40) : mention.start]
    for _ in range(3):
        found = _LAST_WORD.search(head)
        if found is None:
            return False
        word = found.group(1).casefold()
        if word in _LOCATIVE:
            return True
        if word not in _ARTICLES:
            return False
        head = head[: found.start()]
    return False


def _is_vast(mention) -> bool:
    """The Sahara, the Sahel, Africa, Europe: an area across countries, too wide to place an event."""
    best = mention.candidates[0]
    return best.kind == "region" and best.country is None


def _main_area(reading):
    """The place the report most often says things happen in: where the events it places nowhere lie."""
    counted = Counter(m.id for m in reading.places if _is_where(reading.text, m))
    if not counted:
        counted = Counter(m.id for m in reading.places if not _is_vast(m))
    if not counted:
        return None
    first = {}
    for mention in reading.places:
        first.setdefault(mention.id, mention)
    main = max(counted, key=lambda place: (counted[place], -first[place].start))
    # A report about Mali that names northern Mali is about that part of it.
    country = first[main].candidates[0]
    if country.kind == "country":
        within = [
            place
            for place in counted
            if first[place].candidates[0].kind == "region" and first[place].candidates[0].country == country.country
        ]
        if within:
            main = max(within, key=lambda place: (counted[place], -first[place].start))
    return first[main]


def _verbs(sentence: str) -> list[tuple[str, re.Match]]:
    """Each event verb of the sentence, in order, with its type (the first type a word matches)."""
    found: dict[int, tuple[str, re.Match]] = {}
    for kind, pattern in _VERBS:
        for match in pattern.finditer(sentence):
            if not any(start <= match.start() < other.end() for start, (_, other) in found.items()):
                found.setdefault(match.start(), (kind, match))
    return [found[start] for start in sorted(found)]


def _place(here, number, offset, verb, settings):
    """Where the sentence tells it happened, else where the sentences before did, else the report's area."""

    def nearest(mentions):
        # Near the verb, then after it ('kidnapped ... in Arlit'), then a town before a region or a country.
        return min(
            mentions,
            key=lambda m: (
                abs(m.start - offset - verb.start()) // 40,
                m.start - offset < verb.start(),
                _PLACE_ORDER.get(m.candidates[0].kind, 3),
            ),
        )

    places = [m for m in here if m.kind == "place"]
    told = [m for m in places if settings.where(m)]
    if told:
        place = nearest(told)
        within = _within_main_area(place, settings.main_area)
        return (place, "this sentence") if within is place else (within, "the report's area")
    earlier = settings.before(number, lambda m: m.kind == "place" and not _is_vast(m) and settings.where(m))
    if earlier is not None:
        return earlier, "an earlier sentence"
    if settings.main_area is not None:
        return settings.main_area, "the report's area"
    named = [m for m in places if not _is_vast(m)] or places
    return (nearest(named), "this sentence") if named else (None, None)


def _within_main_area(place, main_area):
    """'in Mali' in a report about northern Mali: the part of the country the report is about."""
    best = place.candidates[0]
    if (
        main_area is not None
        and best.kind == "country"
        and main_area.candidates[0].kind != "country"
        and main_area.candidates[0].country
        and main_area.candidates[0].country == best.country
    ):
        return main_area
    return place


def _date(here, number, offset, verb, settings):
    dates = [m for m in here if m.kind == "date"]
    if dates:
        # The date told nearest the verb (not a dateline's at the head of the sentence).
        return min(dates, key=lambda m: abs(m.start - offset - verb.start()))
    # The story's time holds until the text gives another date.
    return settings.last_date


def _actors(here, number, offset, sentence, settings):
    actors = [m for m in here if m.kind in ("group", "person") and m.id]
    he = _HE.search(sentence)
    # 'he' before any person the sentence names stands for one named before it.
    if he and not any(m.kind == "person" and m.start - offset < he.start() for m in actors):
        earlier = settings.before(number, lambda m: m.kind == "person" and m.id)
        actors += [earlier] if earlier is not None else []
    if not any(m.kind == "group" for m in actors) and _IT.search(sentence):
        earlier = settings.before(number, lambda m: m.kind == "group" and m.id)
        actors += [earlier] if earlier is not None else []
    if not actors:
        # A sentence naming no one goes on with those the sentence before it named.
        actors = settings.all_before(number, lambda m: m.kind in ("group", "person") and m.id, reach=ACTORS_REACH)
    return actors


def _draft(reading, number, offset, sentence, kind, verb, here, settings, dataset, serial, new_event):
    place, place_from = _place(here, number, offset, verb, settings)
    date = _date(here, number, offset, verb, settings)
    if place is None or date is None:
        return None
    actors = _actors(here, number, offset, sentence, settings)
    roles = _roles(actors, sentence, offset, verb, kind)
    groups = list(dict.fromkeys(m.id for m in actors if m.kind == "group"))
    people = list(dict.fromkeys(m.id for m in actors if m.kind == "person"))
    best = place.candidates[0]
    locator = _locator(sentence, verb, place.start - offset)
    return new_event(
        id=f"{dataset}:{serial}",
        date_start=date.date_start.isoformat(),
        date_end=date.date_end.isoformat(),
        date_precision=date.precision,
        type=kind,
        title=_title(kind, best.name, date),
        summary=" ".join(sentence.split()),
        place=best.id if best.source == "curated" else None,
        place_name=best.name,
        places=[best.id] if best.source == "curated" else [],
        location_precision="exact" if best.kind in ("town", "site") else "centroid",
        groups=groups,
        people=people,
        roles=roles,
        no_actor=None if "actor" in roles.values() else "the sentence names no one who did it",
        actors=_participants(actors),
        country=None,
        dataset=dataset,
        origin="report",
        original_id=str(number + 1),
        original_type=verb.group(),
        source_text=locator,
        geocode=f"'{place.text}' -> {best.how}, confidence {best.confidence:.2f}",
        row=number + 1,
        original={
            "sentence": " ".join(sentence.split()),
            "locator": locator,
            "sentence_number": number + 1,
            "place_text": place.text,
            "date_text": date.text,
            "place_from": place_from,
            "date_from": "this sentence" if date.sentence == number else "an earlier sentence",
        },
        geometry=Point(best.lon, best.lat),
    )


def _participants(actors) -> list[str]:
    """Each participant once: one the atlas knows (through any alias or spelling) by the atlas's name,
    any other as written."""
    return list(dict.fromkeys(m.name if m.id and m.name else m.text for m in actors))


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
            role = (
                "actor"
                if at < verb_at
                else "target"
                if kind in ("kidnapping", "attack", "killing", "arrest", "raid", "release")
                else "named"
            )
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
