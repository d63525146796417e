"""What the checks of the curated data report, and how they find a name in a report's text.

Shared by the validation of the records (:mod:`geo.validate`) and the fact checks against
the reports (:mod:`geo.checks`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Problem", "normalise_text", "folded", "spellings"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the curated data."""

    table: str
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.table}[{self.record}]: {self.message}"


def normalise_text(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space."""
    return re.sub(r"\s+", " ", text).strip()


def folded(text: str) -> str:
    """Lower case without accents or punctuation runs, for finding a name in a report."""
    # A possessive is the name itself ("AQIM's Advisory Board" is the AQIM Advisory Board); any
    # other apostrophe, straight or curly, parts words rather than joining them.
    text = re.sub(r"['’‘](?:s\b)?", " ", text)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " " + re.sub(r"[^a-z0-9]+", " ", plain.casefold()).strip() + " "


def spellings(record: dict) -> list[str]:
    names = [record.get("name"), record.get("short_name"), *(record.get("aliases") or [])]
    return [folded(name) for name in names if isinstance(name, str) and name.strip()]
