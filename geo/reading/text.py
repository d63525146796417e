"""Tokens, sentences and language of a report's text.

Tokens are words with their character offsets in the text as written, each folded for matching
(accents, case and ligatures folded: 'Ménaka' -> 'menaka'). Hyphens and apostrophes separate
tokens, so 'Gorom-Gorom' is two tokens, "d'In Aménas" is 'd', 'in', 'amenas' and "Gao's" is
'gao', 's': names written either way match the same gazetteer entry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "PhraseTrie",
    "Token",
    "tokens",
    "fold_word",
    "fold_phrase",
    "sentence_spans",
    "detect_language",
    "ENGLISH_WORDS",
    "FRENCH_WORDS",
]

_WORD = re.compile(r"[^\W_]+(?:\.(?=[A-Z]\.))?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    """One word: where it is in the text, as written and folded."""

    start: int
    end: int
    text: str
    folded: str

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """'Ménaka' -> 'menaka', 'Œuvre' -> 'oeuvre'."""
    plain = unicodedata.normalize("NFKD", word.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"))
    return "".join(char for char in plain if not unicodedata.combining(char)).casefold()


def fold_phrase(phrase: str) -> tuple[str, ...]:
    """A name as the folded tokens it matches: "In-Aménas" -> ('in', 'amenas')."""
    return tuple(fold_word(match.group()) for match in re.finditer(r"[^\W_]+", phrase))


def tokens(text: str) -> list[Token]:
    """Every word of the text with its offsets."""
    return [
        Token(match.start(), match.end(), match.group(), fold_word(match.group()))
        for match in re.finditer(r"[^\W_]+", text)
    ]


# Words ending in a full stop that do not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "maj",
    "prof",
    "mt",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "vs",
    "etc",
    "al",
    "approx",
    "m",
    "mme",
    "cf",
    "p",
    "pp",
    "ca",
    "inc",
    "co",
    "jr",
    "sr",
}
_SENTENCE_END = re.compile(r"""[.!?]+["'”’»)\]]*(?=\s+["'“‘«(\[]?[A-Z0-9À-Þ])|\n[ \t]*\n(?=\s*[A-ZÀ-Þ*•-])""")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in order; blank lines end a sentence only after a stop or a heading."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        chunk = text[start : match.start()].rstrip()
        if match.group().startswith("\n"):
            # Hard-wrapped text puts blank lines inside sentences; keep going unless the line
            # before reads as finished (a stop, a colon) or short like a heading.
            last_line = chunk.rsplit("\n", 1)[-1]
            if chunk and chunk[-1] not in '.!?:"”»)' and (len(last_line) > 60 or _unfinished(last_line)):
                continue
        else:
            last = re.search(r"(\w+)\W*$", chunk)
            if last and (
                last.group(1).casefold() in _ABBREVIATIONS or len(last.group(1)) == 1 and last.group(1).isupper()
            ):
                continue
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


# Words a heading or a sentence does not end on: a line ending on one goes on after a blank line.
_LINKING_WORDS = frozenset(
    "a an the of at in on to for from by with and or but into onto than that as "
    "un une le la les de du des et ou à au aux en par pour sur dans avec".split()
)


def _unfinished(line: str) -> bool:
    """True where a line stops mid-sentence: on a comma or a word such as 'at', 'the', 'de'."""
    last = re.search(r"(\w+)(\W*)$", line)
    return line.endswith(",") or bool(last and not last.group(2) and last.group(1) in _LINKING_WORDS)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


ENGLISH_WORDS = frozenset(
    "the of and to in that is was for on with by as at from his he it were which have has "
    "had an be are their they who this its not but after said would been".split()
)
FRENCH_WORDS = frozenset(
    "le la les des du de et un une est dans pour sur par au aux qui que il elle ont été "
    "ses son sa avec selon ce cette plus ne pas était sont".split()
)


def detect_language(words: list[Token]) -> tuple[str, float]:
    """('en' | 'fr' | 'other', the share of the words that are that language's commonest words)."""
    if not words:
        return "other", 0.0
    english = sum(token.folded in ENGLISH_WORDS for token in words)
    french = sum(token.folded in FRENCH_WORDS for token in words)
    language, hits = ("en", english) if english >= french else ("fr", french)
    share = hits / len(words)
    # Ordinary prose has 25-40 % of its words among these; a list of names or another language far fewer.
    # A sentence or two is too short to judge by shares: there, any common word will do.
    enough = hits > 0 if len(words) < 30 else share >= 0.15
    return (language if enough else "other"), share


class PhraseTrie:
    """Names as sequences of folded words, found in a text's tokens in one pass: the longest first, none overlapping."""

    def __init__(self):
        self._root: dict = {}

    def add(self, folded: tuple[str, ...]) -> None:
        node = self._root
        for word in folded:
            node = node.setdefault(word, {})
        node[None] = folded

    def scan(self, words: list[Token], accept=None) -> list[tuple[int, int, tuple[str, ...]]]:
        """Names found, as (first token, token after the last, folded name), none overlapping: at each
        word the longest name that ``accept(first, after, name)`` takes (all, without ``accept``)."""
        found = []
        index = 0
        while index < len(words):
            node, ends, cursor = self._root, [], index
            while cursor < len(words):
                node = node.get(words[cursor].folded)
                if node is None:
                    break
                cursor += 1
                if None in node:
                    ends.append((cursor, node[None]))
            chosen = next((end for end in reversed(ends) if accept is None or accept(index, *end)), None)
            if chosen:
                found.append((index, chosen[0], chosen[1]))
                index = chosen[0]
            else:
                index += 1
        return found
