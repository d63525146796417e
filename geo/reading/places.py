"""Place mentions: gazetteer names found in the text, near misspellings, and candidates ranked.

A name is taken as a place only where the text writes it with a capital. A GeoNames-only name
is also left out where it is an ordinary word (:data:`~geo.reading.gazetteer.COMMON_WORDS`, or
a word the same text writes in lower case elsewhere and here opens a sentence), part of a
longer capitalised name ('Lamine Chikhi'), or inside a group's or person's name.

Candidates for one name are ranked by how sure a match on each is (curated places first), then
by what the sentence says ('the Niger River', 'along the Niger': the river), then by distance
to the report's other places: the nearest first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from geo.reading.gazetteer import COMMON_WORDS, Entry, Gazetteer
from geo.reading.text import Token

__all__ = ["Candidate", "PlaceMatch", "find_places", "unplaced_names", "FUZZY_PLACE_CUTOFF"]

FUZZY_PLACE_CUTOFF = 88
# Words before or after 'Niger' or 'Senegal' that make it the river.
_RIVER_BEFORE = {
    ("the",),
    ("on", "the"),
    ("along", "the"),
    ("of", "the"),
    ("du", "fleuve"),
    ("le", "fleuve"),
    ("fleuve",),
    ("river",),
}
_RIVER_AFTER = {"river", "valley", "delta", "bend", "inland"}
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday janvier fevrier avril mai juin juillet aout septembre
octobre novembre decembre lundi mardi mercredi jeudi vendredi samedi dimanche reuters afp
arab arabs islam muslim muslims western westerners french spanish german british canadian malian algerian
tuareg tuaregs berber god allah christian president minister government army police""".split()
)

_DIRECTIONS = frozenset("""north south east west northern southern eastern western nord sud est ouest""".split())


@dataclass(frozen=True)
class Candidate:
    """One place a mention may mean, with its point and how sure the reading is (0-1)."""

    id: str
    name: str
    kind: str
    lon: float
    lat: float
    confidence: float
    source: str  # curated, basemap, GeoNames
    how: str  # what matched, for the user
    country: str | None = None


@dataclass
class PlaceMatch:
    """A place name in the text and its ranked candidates."""

    start_token: int
    end_token: int
    candidates: list[Candidate]
    fuzzy: bool = False


def _haversine_km(lon1, lat1, lon2, lat2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    term = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, term)))


def find_places(
    text: str,
    words: list[Token],
    gazetteer: Gazetteer,
    taken: list[tuple[int, int]],
    sentence_starts: set[int],
    dated: set[int] = frozenset(),
) -> list[PlaceMatch]:
    """Place names in the text; ``taken`` are token spans of groups and people (places inside are dropped);
    ``sentence_starts`` the indexes of tokens that open a sentence; ``dated`` those inside a date."""
    lowercase_words = {token.folded for token in words if token.text.islower()}
    matches: list[PlaceMatch] = []
    covered = set()

    def accept(first: int, after: int, name: tuple[str, ...]) -> bool:
        if first in dated:
            return False
        if not words[first].text[:1].isupper() and not _part_of_a_named_country(words, first, after, name, gazetteer):
            return False
        inside = [span for span in taken if span[0] <= first and after <= span[1]]
        if any(span != (first, after) for span in inside):
            return False  # 'Chad' in 'Movement for Justice and Democracy in Chad'
        if all(entry.source == "GeoNames" for entry, _ in gazetteer.entries(name)):
            return not inside and _plausible_town(words, first, after, lowercase_words, sentence_starts)
        return True

    for first, after, name in gazetteer.scan(words, accept):
        candidates = [_candidate(entry, own, name) for entry, own in gazetteer.entries(name)]
        matches.append(PlaceMatch(first, after, candidates))
        covered.update(range(first, after))
    for span in taken:
        covered.update(range(*span))
    covered.update(dated)
    matches += _near_misses(words, covered, gazetteer, sentence_starts, lowercase_words)
    matches.sort(key=lambda match: match.start_token)
    _rank(matches, words)
    return matches


def _part_of_a_named_country(words, first, after, name, gazetteer) -> bool:
    """'northern Mali', 'the north of Mali', 'nord du Mali': a curated region the press writes in lower case
    up to the country's name."""
    return (
        name[0] in _DIRECTIONS
        and words[after - 1].text[:1].isupper()
        and any(entry.source == "curated" and entry.kind == "region" for entry, _ in gazetteer.entries(name))
    )


def _plausible_town(words, first, after, lowercase_words, sentence_starts) -> bool:
    folded = " ".join(token.folded for token in words[first:after])
    if after - first == 1 and (folded in COMMON_WORDS or folded in _NOT_NAMES):
        return False
    if first in sentence_starts and after - first == 1 and folded in lowercase_words:
        return False
    # Part of a longer name of capitalised words ('Lamine Chikhi', 'Toure's government' is fine).
    for neighbour in (first - 1, after):
        if 0 <= neighbour < len(words) and words[neighbour].text[:1].isupper() and neighbour not in sentence_starts:
            gap = (
                words[neighbour].start - words[after - 1].end
                if neighbour == after
                else words[first].start - words[neighbour].end
            )
            if gap == 1 and words[neighbour].folded not in _NOT_NAMES and words[neighbour].folded not in COMMON_WORDS:
                return False
    if first in sentence_starts and after < len(words) and words[after].text[:1].isupper():
        return False
    return True


def _candidate(entry: Entry, own: bool, name: tuple[str, ...], fuzzy: float | None = None) -> Candidate:
    if fuzzy is not None:
        confidence = entry.prior * 0.75 * fuzzy / 100
        how = f"{entry.source}: {entry.name} (near spelling, {fuzzy:.0f}/100)"
    elif own:
        confidence = entry.prior
        how = f"{entry.source}: {entry.name}"
    elif own is None:
        confidence = entry.prior - 0.2
        how = f"{entry.source}: {entry.name} (GeoNames alternate name '{' '.join(name)}')"
    else:
        confidence = entry.prior - 0.05
        how = f"{entry.source}: {entry.name} (as '{' '.join(name)}')"
    return Candidate(
        entry.id, entry.name, entry.kind, entry.lon, entry.lat, round(confidence, 3), entry.source, how, entry.country
    )


@lru_cache(maxsize=4)
def _fuzzy_choices(gazetteer: Gazetteer) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(names of 4+ letters, 3-letter names) worth comparing a misspelling with: curated ones and towns
    of 10,000 people or more (short ones: 50,000)."""
    long_names, short_names = {}, {}
    for name, entries in gazetteer.names.items():
        top = entries[0][0]
        if top.kind not in ("town", "site"):
            continue  # 'Russian' is no misspelt Russia: only towns and sites are looked for this way
        joined = " ".join(name)
        if top.source != "GeoNames" or top.population >= 10_000:
            if len(joined) >= 4:
                long_names[joined] = name
            elif len(joined) == 3 and (top.source != "GeoNames" or top.population >= 50_000):
                short_names[joined] = name
    return long_names, short_names


def _near_misses(words, covered, gazetteer, sentence_starts, lowercase_words) -> list[PlaceMatch]:
    """Capitalised words no gazetteer has, near a place's spelling ('Tombuctou', 'Goa' for Gao)."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    long_names, short_names = _fuzzy_choices(gazetteer)
    found = []
    for index, token in enumerate(words):
        if index in covered or not token.text[:1].isupper() or token.text.isupper() and len(token.text) > 1:
            continue
        folded = token.folded
        if (
            folded in COMMON_WORDS
            or folded in _NOT_NAMES
            or folded in lowercase_words
            or not folded.isalpha()
            or gazetteer.entries((folded,))
        ):  # a name the scan chose not to take is no misspelling
            continue
        if index in sentence_starts and folded in lowercase_words:
            continue
        if len(folded) == 3:
            # One swapped or changed letter in a three-letter name: 'Goa' for Gao.
            near = [
                name
                for written, name in short_names.items()
                if written[0] == folded[0] and OSA.distance(folded, written) == 1
            ]
            # A swap of two letters is the likelier misprint; then the larger town.
            near.sort(key=lambda name: (sorted(name[0]) != sorted(folded), -gazetteer.entries(name)[0][0].population))
            if near:
                entries = gazetteer.entries(near[0])
                found.append(
                    PlaceMatch(index, index + 1, [_candidate(e, own, near[0], 70.0) for e, own in entries], fuzzy=True)
                )
            continue
        if len(folded) < 5:
            continue
        best = process.extractOne(folded, long_names.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_PLACE_CUTOFF)
        if best is not None:
            name = long_names[best[0]]
            entries = gazetteer.entries(name)
            found.append(
                PlaceMatch(index, index + 1, [_candidate(e, own, name, best[1]) for e, own in entries], fuzzy=True)
            )
    return found


def _rank(matches: list[PlaceMatch], words: list[Token]) -> None:
    """Order each mention's candidates, and lower the confidence where the choice stays open."""
    anchors = [
        (match.candidates[0].lon, match.candidates[0].lat)
        for match in matches
        if len({c.id for c in match.candidates}) == 1 and match.candidates[0].kind in ("town", "site")
    ]
    for number, match in enumerate(matches):
        if len(match.candidates) < 2:
            continue
        before = tuple(token.folded for token in words[max(0, match.start_token - 2) : match.start_token])
        after = words[match.end_token].folded if match.end_token < len(words) else ""
        river_cue = after in _RIVER_AFTER or before[-1:] in _RIVER_BEFORE or before in _RIVER_BEFORE
        others = [
            point
            for other, point in zip(
                [
                    m
                    for m in matches
                    if len({c.id for c in m.candidates}) == 1 and m.candidates[0].kind in ("town", "site")
                ],
                anchors,
            )
            if other is not match
        ]

        def score(candidate: Candidate) -> tuple:
            cue = 0
            if candidate.kind in ("river", "lake"):
                cue = 1 if river_cue else -1
            elif river_cue and candidate.kind == "country" and after in _RIVER_AFTER:
                cue = -1
            distance = min((_haversine_km(candidate.lon, candidate.lat, lon, lat) for lon, lat in others), default=0.0)
            # Curated first, then the cue, then nearness to the report's other places.
            return (
                -cue,
                candidate.how.find("alternate name") >= 0,
                candidate.source == "GeoNames",
                round(distance / 250),
                -candidate.confidence,
            )

        ranked = sorted(match.candidates, key=score)
        settled = ranked[0].kind in ("river", "lake") and river_cue
        if not settled and score(ranked[0])[:4] == score(ranked[1])[:4]:
            top = ranked[0]
            ranked[0] = Candidate(**{**top.__dict__, "confidence": round(top.confidence * 0.8, 3)})
        match.candidates = ranked


# A capitalised name after one of these is where something happens: 'in Konna', 'the town of Konna'.
_WHERE_WORDS = re.compile(
    r"\b(?:in|near|at|outside|around|from|into|toward|towards|à|près de|vers|dans|depuis"
    r"|(?:town|village|city|commune|ville|localité|north|south|east|west|nord|sud|est|ouest) (?:of|de))\s+"
    r"([A-ZÀ-Þ][\w'’-]+(?:[ -][A-ZÀ-Þ][\w'’-]+)?)",
)


def unplaced_names(text: str, mentions) -> list[tuple[str, int, int]]:
    """(name, start, end) of each name the text says something happens at that no gazetteer placed.

    These are the names a user may place by hand on the map ('fighting in Konna' where Konna is in
    no gazetteer); a name that is a mention already (a place, a group, a date) is not one of them.
    """
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for match in _WHERE_WORDS.finditer(text):
        start, end = match.span(1)
        name = match.group(1)
        if any(s < end and start < e for s, e in taken):
            continue
        folded = [word.casefold() for word in re.split(r"[ -]", name)]
        if any(word in COMMON_WORDS or word in _NOT_NAMES for word in folded):
            continue
        found.append((name, start, end))
    return found
