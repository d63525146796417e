"""Play through the years: which years the map shows at each step, and the range given back at the end.

Pure arithmetic on (first year, last year) pairs, so the page's clock only asks for the
next step and draws it.
"""

from __future__ import annotations

__all__ = ["PLAY_MODES", "play_range", "first_step", "next_step"]

Years = tuple[int, int]
# One year at a time, or a range growing from the first year.
PLAY_MODES = {"single": "One year", "growing": "Growing"}


def play_range(chosen: Years, last_year: int) -> Years:
    """The years to play through: the chosen range, or from its one year to ``last_year``."""
    low, high = chosen
    return (low, high if high > low else last_year)


def first_step(chosen: Years) -> Years:
    """What the map shows when Play is pressed: the first year alone."""
    return (chosen[0], chosen[0])


def next_step(shown: Years, playing: Years, mode: str) -> tuple[Years, bool]:
    """The years after ``shown`` and whether play goes on; past the end, the range played is given back.

    ``mode`` is ``"single"`` (one year a step) or ``"growing"`` (from the first year to this one).
    """
    if mode not in PLAY_MODES:
        raise ValueError(f"mode should be one of {sorted(PLAY_MODES)}, got {mode!r}")
    low, high = playing
    year = shown[1] + 1
    if year > high:
        return playing, False
    return ((low, year) if mode == "growing" else (year, year)), True
