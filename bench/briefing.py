"""Briefing outputs speed on the bundled data. Prints numbers; the last line is one JSON object.

- png_s: median of 3 renders of the default view (whole area, all events) to a 1920x1080 PNG
- png_a4_s: the same for A4 landscape at 300 dpi (3508x2480)
- *_cpu_s: the same renders in CPU seconds of this process, steadier than the clock on a busy machine
- deck_s: the bundled story's PowerPoint deck, built once (11 maps drawn, two at a time where the
  process may fork), with deck_bytes
- story_html_s, story_html_bytes: the bundled story as one offline HTML file
Goals on a 2-core machine: a 1920x1080 picture in under 3 s, the bundled story's deck in under
30 s, its offline HTML under 3 MB.

The deck's time is the pictures': 11 maps at ~1.2 s of CPU each, drawn two at a time on two
cores; building the slides with python-pptx takes well under a second. The offline page's size
is the basemap written once (~650 kB), Leaflet (~150 kB), and each step's layers (~100 kB a step).

Each render draws a new figure; the basemap clipped to the extent and the sizes of texts
already measured are cached per process, so the first render (not counted) also reads the
basemap. Where the time goes (cProfile, default view, 1920x1080, ~2.1 s a render under the
profiler): drawing text is half of it (~1.0 s: FreeType laying out and rasterising some 110
labels, legend rows and furniture texts, the white halo round each map label drawn as a path);
building the picture (~0.6 s: which marks fall in the frame and where they spread, the legend's
layout, clipping areas, placing labels); PNG compression (~0.35 s, zlib, about 0.75 MB);
rasterising land, areas and ~400 marks is small (~0.15 s). At A4 (~2.9 s profiled) text costs
the same while compression grows with the 4.2 times larger image (~0.9 s).

A measurement is a function in MEASUREMENTS returning {name: number}; add one there.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 3


def _default_view():
    from geo.filters import EventFilter
    from view import load_context, map_view

    return map_view(load_context(), EventFilter(year_from=2003, year_to=2013))


def _timed(render: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``rounds`` calls, after one call to warm the caches."""
    render()
    wall, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _png(size_name: str, key: str) -> dict[str, float]:
    from briefing.picture import PICTURE_SIZES, render_png

    view, size = _default_view(), PICTURE_SIZES[size_name]
    wall, cpu = _timed(lambda: render_png(view, size))
    print(f"picture {size[0]}x{size[1]} of the default view: median {wall:.2f} s ({cpu:.2f} s CPU)")
    return {key: round(wall, 3), f"{key[:-2]}_cpu_s": round(cpu, 3)}


def _bundled_story():
    from geo.stories import STORIES_DIR, load_story
    from view import load_context

    return load_story(STORIES_DIR / "sahel-2003-2013.yaml"), load_context()


def _deck() -> dict[str, float]:
    from briefing.slides import story_deck

    story, context = _bundled_story()
    started, started_cpu = time.perf_counter(), time.process_time()
    deck = story_deck(story, context)
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(
        f"deck of the bundled story ({len(story.steps)} steps): {wall:.1f} s ({cpu:.1f} s CPU in this "
        f"process; the maps are drawn in worker processes), {len(deck):,} bytes"
    )
    return {"deck_s": round(wall, 2), "deck_bytes": len(deck)}


def _story_html() -> dict[str, float]:
    from briefing.offline_html import story_html

    story, context = _bundled_story()
    started = time.perf_counter()
    page = story_html(story, context)
    wall = time.perf_counter() - started
    size = len(page.encode("utf-8"))
    print(f"offline HTML of the bundled story: {wall:.1f} s, {size:,} bytes")
    return {"story_html_s": round(wall, 2), "story_html_bytes": size}


MEASUREMENTS: dict[str, Callable[[], dict[str, float]]] = {
    "png": lambda: _png("1920x1080", "png_s"),
    "png_a4": lambda: _png("a4", "png_a4_s"),
    "deck": _deck,
    "story_html": _story_html,
}


def main(names: list[str] | None = None) -> None:
    results: dict[str, float] = {}
    for name in names or MEASUREMENTS:
        results.update(MEASUREMENTS[name]())
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:] or None)
