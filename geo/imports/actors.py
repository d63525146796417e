"""Actor names as ACLED and GTD write them, resolved to the curated groups.

A name is matched, folded (case, accents, punctuation), against every curated
group's id, name, short name and aliases. ACLED writes 'AQIM: Al Qaeda in the
Islamic Maghreb' and 'Military Forces of Mali (2002-2012)'; GTD writes
'Al-Qaida in the Islamic Maghreb (AQIM)' and 'Ansar al-Dine (Mali)'. So each name
is tried as written, then split into its acronym prefix ('AQIM') and the rest,
then without a trailing bracket ('(Mali)', '(2012-)') and with the bracket's own
content (GTD's acronyms), and each form also through :data:`EXTRA_ACTOR_NAMES`,
the forms the curated aliases lack. A name that matches nothing (JNIM, Islamic
State (Greater Sahara), Civilians (Mali), ...) stays text in the event's
``actors`` so a text search still finds it.

The curated YAML is not edited: spellings specific to these datasets live here.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.imports.common import fold

__all__ = ["EXTRA_ACTOR_NAMES", "GroupResolver", "group_resolver", "participants"]

# Dataset spellings -> curated group id, for forms the curated names and aliases do not cover.
# Deliberately absent: 'Tuareg extremists' (GTD) and Tuareg militias are not the Tuareg people
# (the curated 'tuareg' community); JNIM, ISGS, Ansaroul Islam and Katiba Macina are not curated.
EXTRA_ACTOR_NAMES: dict[str, str] = {
    "Al-Qaida in the Islamic Maghreb": "aqim",
    "Al Qaida in the Islamic Maghreb": "aqim",
    "Al-Qaeda in the Islamic Maghreb": "aqim",
    "Al-Qaida Organization in the Islamic Maghreb": "aqim",
    "Al Mourabitoune": "al-murabitun",
    "Al Mourabitoune Battalion": "al-murabitun",
    "Al-Mourabitoun Battalion": "al-murabitun",
    "Al-Mulathamun Battalion": "al-mulathamin-brigade",
    "Al Moulathamoune Battalion": "al-mulathamin-brigade",
    "Al-Mua'qi'oon Biddam Brigade": "signers-in-blood",
    "Those Who Sign in Blood": "signers-in-blood",
    "Ansar al-Dine": "ansar-eddine",
    "Ansar Eddine": "ansar-eddine",
    "Movement for Oneness and Jihad in West Africa": "mujao",
    "Movement for the Unity and Jihad in West Africa": "mujao",
    "Salafist Group for Preaching and Fighting": "gspc",
    "Salafist Group for Call and Combat": "gspc",
    "Armed Islamic Group": "gia",
    "Military Forces of Mali": "malian-armed-forces",
    "Military Forces of Mauritania": "mauritanian-armed-forces",
    "Military Forces of Algeria": "algerian-army",
    "Military Forces of France": "french-armed-forces",
    "Military Forces of Tunisia": "tunisian-army",
    "Military Forces of Libya": "gaddafi-forces",  # ACLED's 1969-2011 label is Gaddafi's army
    "Government of Burkina Faso": "burkinabe-government",
    "Tuareg Ethnic Group": "tuareg",
    "Songhai Ethnic Group": "songhay",
    "Arab Ethnic Group": "arab-tribes-northern-mali",
    "Berabiche Ethnic Group": "barabich-tribe",
}

# 'AQIM: Al Qaeda ...' -> ('AQIM', 'Al Qaeda ...'); an acronym of capitals, digits and a few signs.
_ACRONYM_PREFIX = re.compile(r"^\s*([A-Z0-9][A-Za-z0-9'&./-]{1,15})\s*:\s*(.+)$")
# '... (Mali)', '... (2002-2012)', '... (AQIM)': a trailing bracket.
_TRAILING_BRACKET = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{1,9}$")


class GroupResolver:
    """Resolves actor names to curated group ids, remembering each name it has seen."""

    def __init__(self, groups: pd.DataFrame):
        self.lookup: dict[str, str] = {}
        for row in groups.itertuples(index=False):
            spellings = [row.id, row.name, row.short_name, *(row.aliases or [])]
            for spelling in spellings:
                if isinstance(spelling, str) and fold(spelling):
                    self.lookup.setdefault(fold(spelling), row.id)
        known = set(groups["id"])
        for spelling, group in EXTRA_ACTOR_NAMES.items():
            if group in known:  # a smaller curated dataset (tests) may lack the group
                self.lookup.setdefault(fold(spelling), group)
        self._seen: dict[str, str | None] = {}

    def resolve(self, name: str) -> str | None:
        """The curated group id for one actor name, or None."""
        if name not in self._seen:
            self._seen[name] = self._resolve(name)
        return self._seen[name]

    def _resolve(self, name: str) -> str | None:
        for form in _forms(name):
            group = self.lookup.get(fold(form))
            if group:
                return group
        return None


def _forms(name: str) -> list[str]:
    """The forms of a name to try, most specific first."""
    forms = [name]
    prefix = _ACRONYM_PREFIX.match(name)
    if prefix:
        forms += [prefix[2], prefix[1]]
    for form in list(forms):
        bracket = _TRAILING_BRACKET.match(form)
        if bracket and bracket[1]:
            forms += [bracket[1]]
            if _ACRONYM.match(bracket[2]):  # GTD's '(AQIM)'; not '(Mali)' or '(2012-)'
                forms.append(bracket[2])
    return forms


_RESOLVERS: dict[int, tuple[pd.DataFrame, GroupResolver]] = {}


def group_resolver(groups: pd.DataFrame) -> GroupResolver:
    """One resolver per group table (the atlas's tables are cached and never changed in place)."""
    cached = _RESOLVERS.get(id(groups))
    if cached is None or cached[0] is not groups:
        cached = (groups, GroupResolver(groups))
        _RESOLVERS[id(groups)] = cached
    return cached[1]


def participants(
    resolver: GroupResolver, actor_names: list[str], target_names: list[str] = ()
) -> tuple[list[str], dict[str, str], list[str]]:
    """(group ids, roles, every raw name) for an event's actor side and target side.

    Actor-side groups get the role 'actor', target-side ones 'target'; a group on both sides
    keeps 'actor'.
    """
    groups: list[str] = []
    roles: dict[str, str] = {}
    for names, role in ((actor_names, "actor"), (target_names, "target")):
        for name in names:
            group = resolver.resolve(name)
            if group and group not in roles:
                groups.append(group)
                roles[group] = role
    actors = list(dict.fromkeys([*actor_names, *target_names]))
    return groups, roles, actors
