"""Groups and people a report names, through the curated names, aliases and spellings.

Every curated group (name, short name, aliases, and the dataset spellings the importers know,
:data:`geo.imports.actors.EXTRA_ACTOR_NAMES`) and every named person (name and aliases) goes
into one token trie. Acronyms and one-word names match only as capitalised in the text ('UN'
is not French 'un'; 'Khaled' not 'khaled'). Capitalised names that match nothing exactly are
compared with rapidfuzz to the people's and groups' spellings: 'Bilmukhtar' is Belmokhtar,
'Iyad Ag Ghaly' is Iyad Ag Ghali.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.reading.text import PhraseTrie, Token, fold_phrase

__all__ = ["Actor", "ActorIndex", "actor_index", "FUZZY_ACTOR_CUTOFF", "READING_SPELLINGS"]

FUZZY_ACTOR_CUTOFF = 80
# Press spellings the curated aliases lack, found in wire copy: spelling -> curated id.
READING_SPELLINGS = {
    "Al-Qaida au Maghreb islamique": "aqim",
    "Al-Qaïda au Maghreb islamique": "aqim",
    "Aqmi": "aqim",
    "al-Qaida": "al-qaeda-central",
    "Al-Qaïda": "al-qaeda-central",
    "Mujao": "mujao",
    "Mouvement pour l'unicité et le jihad": "mujao",
    "Ansar Dine": "ansar-eddine",
    "Ançar Dine": "ansar-eddine",
    "Al-Mourabitoune": "al-murabitun",
    "Les Signataires par le sang": "signers-in-blood",
    "armée française": "french-armed-forces",
    "armée malienne": "malian-armed-forces",
    "soldats français": "french-armed-forces",
    "armée mauritanienne": "mauritanian-armed-forces",
    "soldats maliens": "malian-armed-forces",
    "Mokhtar Belmokhtar": "mokhtar-belmokhtar",
    "Mokhtar Bel Mokhtar": "mokhtar-belmokhtar",
    "Abou Zeïd": "abdelhamid-abu-zeid",
    "Iyad ag Ghaly": "iyad-ag-ghali",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """A curated group or person."""

    id: str
    name: str
    kind: str  # "group" or "person"
    group_kind: str | None  # the curated group kind (organisation, state-force, ...), for roles
    person_roles: tuple[str, ...]  # hostage, mediator, ... for people


def _strict(spelling: str) -> str | None:
    """How the text must write the spelling: "acronym" in capitals, "capital" with a capital, else None."""
    if spelling.isupper() and len(spelling) <= 8:
        return "acronym"
    if spelling[:1].isupper() and len(spelling.split()) == 1:
        return "capital"
    return None


class ActorIndex:
    """Folded spellings of groups and people, a trie over them, and the fuzzy choices."""

    def __init__(self, groups, people):
        from geo.imports.actors import EXTRA_ACTOR_NAMES

        self.actors: dict[str, Actor] = {}
        self.names: dict[tuple[str, ...], list[tuple[Actor, str | None]]] = {}  # tokens -> (actor, capitals needed)
        self._trie = PhraseTrie()
        for row in groups.itertuples(index=False):
            actor = Actor(row.id, row.name, "group", row.kind, ())
            self.actors[row.id] = actor
            for spelling in [row.name, row.short_name, *(row.aliases or [])]:
                if isinstance(spelling, str):
                    self._add(spelling, actor)
        for row in people.itertuples(index=False):
            if not row.named:
                continue  # known only by a role ('the former insurgent'): no name to find
            actor = Actor(row.id, row.name, "person", None, tuple(row.roles or ()))
            self.actors[row.id] = actor
            for spelling in [row.name, *(row.aliases or [])]:
                self._add(spelling, actor)
        for spelling, actor_id in {**EXTRA_ACTOR_NAMES, **READING_SPELLINGS}.items():
            if actor_id in self.actors:
                self._add(spelling, self.actors[actor_id])
        # Fuzzy choices: names long enough that a near spelling is a telling sign (not 'ATT', 'UN').
        self.fuzzy_choices = {
            " ".join(name): entries[0][0]
            for name, entries in self.names.items()
            if len(" ".join(name)) >= 6
            and entries[0][0].kind == "person"
            or len(name) >= 2
            and len(" ".join(name)) >= 8
        }

    def _add(self, spelling: str, actor: Actor) -> None:
        folded = fold_phrase(spelling)
        if not folded:
            return
        entries = self.names.setdefault(folded, [])
        strict = _strict(spelling)
        if any(existing.id == actor.id and rule == strict for existing, rule in entries):
            return
        entries.append((actor, strict))
        self._trie.add(folded)

    def scan(self, words: list[Token]) -> list[tuple[int, int, Actor]]:
        """(first token, token after the last, actor) of each name found, longest first, none overlapping."""

        def fits(first, after, name):
            return self._fitting(name, words[first:after]) is not None

        return [
            (first, after, self._fitting(name, words[first:after]))
            for first, after, name in self._trie.scan(words, fits)
        ]

    def _fitting(self, name: tuple[str, ...], written: list[Token]) -> Actor | None:
        for actor, strict in self.names[name]:
            if strict is None:
                return actor
            if strict == "acronym":
                if all(token.text.isupper() for token in written):
                    return actor
            elif written[0].text[:1].isupper():
                return actor
        return None

    def fuzzy(self, phrase: str) -> tuple[Actor, float] | None:
        """The actor whose spelling is nearest a capitalised phrase, with its score (0-100), or None."""
        from rapidfuzz import fuzz, process

        folded = " ".join(fold_phrase(phrase))
        if len(folded) < 6:
            return None
        best = process.extractOne(folded, list(self.fuzzy_choices), scorer=fuzz.ratio, score_cutoff=FUZZY_ACTOR_CUTOFF)
        if best is None:
            return None
        return self.fuzzy_choices[best[0]], best[1]


# Small words inside names that are written in lower case ('Iyad ag Ghali', 'Abu al-Hammam').
_PARTICLES = frozenset("ag al el ibn bin ben ould le la de du des the of in and bil biddam".split())

_INDEXES: dict[int, tuple[object, ActorIndex]] = {}


def actor_index(groups=None, people=None) -> ActorIndex:
    """One index per curated groups table (the bundled atlas's by default), built once."""
    if groups is None or people is None:
        from geo.catalog import load_atlas

        atlas = load_atlas()
        groups, people = atlas.groups, atlas.people
    cached = _INDEXES.get(id(groups))
    if cached is None or cached[0] is not groups:
        cached = (groups, ActorIndex(groups, people))
        _INDEXES[id(groups)] = cached
    return cached[1]
