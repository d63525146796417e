"""Play through time: which steps the map shows, one after another, and the range given back at the end.

The map plays in the browser (layers/time_filter.js), with no run of the app; this is its rule,
in steps (years, or quarters, months, weeks, days of imported data) counted from the slider's
start, and the names the map's control gives the modes.
"""

from __future__ import annotations

__all__ = ["PLAY_MODES", "windows"]

Steps = tuple[int, int]
# One step at a time, a range growing from its first step, or a window of the chosen width sliding on.
PLAY_MODES = {"one": "One step", "growing": "Growing", "sliding": "Sliding (its width)"}


def windows(chosen: Steps, last: int, mode: str) -> list[Steps]:
    """The (first, last) steps shown at each step of Play; after them the map gives ``chosen`` back.

    A chosen range of one step plays on to ``last``; a wider one plays within itself, except the
    sliding window, which keeps its width and moves on to ``last``.
    """
    if mode not in PLAY_MODES:
        raise ValueError(f"mode should be one of {sorted(PLAY_MODES)}, got {mode!r}")
    low, high = chosen
    end = high if high > low else last
    if mode == "sliding" and high > low:
        return [(k, k + high - low) for k in range(low, last - (high - low) + 1)]
    if mode == "growing":
        return [(low, k) for k in range(low, end + 1)]
    return [(k, k) for k in range(low, end + 1)]
