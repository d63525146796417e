"""How well the report reader reads: the five bundled reports against the curated data, and the
annotated wire stories under tests/fixtures/reports/.

    python bench/read_report.py [--seeds ../shared/seeds]

Prints one line per report, then the figures as JSON on the last line.

The answer for a bundled report is the curated data that cites it:

- places: every occurrence, in the report, of a curated spelling (name or alias) of a place
  that cites the report or is a place of an event that does. A found place counts when its
  first candidate is within 25 km of a curated place that the same sentence names (precision);
  an occurrence is found when a mention in its sentence is within 25 km of it (recall).
  "Towns and sites" are the curated cities, towns, sites and mountains.
- groups and people: those whose own citations include the report (people known only by a
  role have no name to find); found when the reading names them anywhere in the report.
- events: the curated events citing the report; one counts when a proposed event's date
  overlaps its own (each widened by its precision, as imports are matched), lies within 50 km,
  and shares a group or person. Event precision: the share of proposed events that match at
  least one curated event citing the report (the curators did not record every event a report
  tells, so this is a floor).
- the report's date is given as a user gives it on the page: the curated publication date.
- speed: words read per second once the gazetteer is built (its build is timed apart).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.catalog import load_atlas  # noqa: E402
from geo.imports.matching import date_bounds  # noqa: E402
from geo.reading import read_report  # noqa: E402
from geo.reading.text import fold_phrase, tokens  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
OWN_TEXTS = ROOT / "tests" / "fixtures" / "reports"
TOWNS_AND_SITES = {"city", "town", "site", "mountain"}
PLACE_KM = 25.0
EVENT_KM = 50.0


def km(lon1, lat1, lon2, lat2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    term = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, term)))


def occurrences(text: str, spellings: list[str]) -> list[tuple[int, int]]:
    """(start, end) where any spelling occurs as whole folded words, one of them capitalised."""
    words = tokens(text)
    folded = [token.folded for token in words]
    found = []
    for spelling in spellings:
        name = list(fold_phrase(spelling))
        for index in range(len(folded) - len(name) + 1):
            written = words[index : index + len(name)]
            # 'northern Mali' names Northern Mali: a spelling counts where one of its words is capitalised.
            if folded[index : index + len(name)] == name and any(word.text[:1].isupper() for word in written):
                found.append((words[index].start, words[index + len(name) - 1].end))
    return sorted(set(found))


def ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def score_bundled(seeds: Path) -> dict:
    atlas = load_atlas()
    places = atlas.places
    point = {row.id: (row.geometry.x, row.geometry.y) for row in places.itertuples()}
    counts = {
        key: [0, 0]
        for key in (
            "town_recall",
            "town_precision",
            "place_recall",
            "place_precision",
            "actor_recall",
            "event_recall",
            "event_precision",
        )
    }
    missed: dict[str, list] = {"towns": [], "wrong_towns": [], "actors": [], "events": []}
    words = seconds = 0
    published = {row.id: _as_date(row.published) for row in atlas.sources.itertuples()}
    for path in sorted(seeds.glob("*.txt")):
        report = path.name
        text = path.read_text(encoding="utf-8")
        began = time.perf_counter()
        # The report's date as a user gives it on the page: the curated publication date.
        reading = read_report(text, title=report, report_date=published.get(report), strict_language=False)
        seconds += time.perf_counter() - began
        words += reading.words

        def sentence_of(offset: int) -> int:
            return next(
                i for i, (start, end) in enumerate(reading.sentences + [(len(text), len(text) + 1)]) if offset < end
            )

        cited_events = atlas.events[atlas.events["source_ids"].map(lambda ids: report in ids)]
        cited_places = {row.id for row in places.itertuples() if any(c["source"] == report for c in row.sources)}
        cited_places |= {place for where in cited_events["places"] for place in where}
        # Every sentence naming a curated place (any place: a passage may name one the report is not cited for).
        named_in: dict[int, set[str]] = {}
        spans = {row.id: occurrences(text, [row.name, *row.aliases]) for row in places.itertuples()}
        for place, found in spans.items():
            for offset, _end in found:
                named_in.setdefault(sentence_of(offset), set()).add(place)
        every_span = [(span, place) for place, found in spans.items() for span in found]
        found_by_sentence: dict[int, list] = {}
        for mention in reading.places:
            found_by_sentence.setdefault(mention.sentence, []).append(mention)
            best = mention.candidates[0]
            near = any(
                km(best.lon, best.lat, *point[place]) <= PLACE_KM for place in named_in.get(mention.sentence, ())
            )
            keys = ["place_precision"] + (["town_precision"] if best.kind in ("town", "site") else [])
            for key in keys:
                counts[key][0] += near
                counts[key][1] += 1
            if best.kind in ("town", "site") and not near:
                missed["wrong_towns"].append(f"{report[:3]} {mention.text!r} -> {best.name}")
        for row in places.itertuples():
            if row.id not in cited_places:
                continue
            for offset, end in spans[row.id]:
                # 'Menaka' in 'the Menaka region' names the region, a place of its own.
                if any(s <= offset and end <= e and (s, e) != (offset, end) for (s, e), _ in every_span):
                    continue
                sentence = sentence_of(offset)
                hit = any(
                    km(m.candidates[0].lon, m.candidates[0].lat, *point[row.id]) <= PLACE_KM
                    for m in found_by_sentence.get(sentence, ())
                )
                keys = ["place_recall"] + (["town_recall"] if row.kind in TOWNS_AND_SITES else [])
                for key in keys:
                    counts[key][0] += hit
                    counts[key][1] += 1
                if row.kind in TOWNS_AND_SITES and not hit:
                    missed["towns"].append(f"{report[:3]} {row.name} in sentence {sentence}")
        found_actors = {m.id for m in reading.mentions if m.kind in ("group", "person") and m.id}
        expected = {row.id for row in atlas.groups.itertuples() if any(c["source"] == report for c in row.sources)}
        expected |= {
            row.id for row in atlas.people.itertuples() if row.named and any(c["source"] == report for c in row.sources)
        }
        counts["actor_recall"][0] += len(expected & found_actors)
        counts["actor_recall"][1] += len(expected)
        missed["actors"] += [f"{report[:3]} {actor}" for actor in sorted(expected - found_actors)]
        hits = event_hits(cited_events, reading.events)
        counts["event_recall"][0] += len(hits)
        counts["event_recall"][1] += len(cited_events)
        matching_drafts = sum(
            bool(event_hits(cited_events, reading.events.iloc[[row]])) for row in range(len(reading.events))
        )
        counts["event_precision"][0] += matching_drafts
        counts["event_precision"][1] += len(reading.events)
        print(
            f"{report}: {reading.words} words, {len(reading.places)} places, {len(reading.dates)} dates, "
            f"{len(reading.groups) + len(reading.people)} groups/people, {len(reading.events)} proposed events, "
            f"{len(hits)}/{len(cited_events)} curated events found"
        )
    figures = {key: ratio(*value) for key, value in counts.items()}
    figures["counts"] = {key: f"{hit}/{total}" for key, (hit, total) in counts.items()}
    figures["words"] = words
    figures["words_per_second"] = round(words / seconds) if seconds else None
    figures["missed"] = {key: value[:40] for key, value in missed.items()}
    return figures


def _as_date(value):
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def event_hits(curated, proposed) -> set[str]:
    """Ids of the curated events some proposed event matches (date, 50 km, a shared group or person)."""
    if not len(proposed) or not len(curated):
        return set()
    c_start, c_end = date_bounds(curated)
    p_start, p_end = date_bounds(proposed)
    hits = set()
    for i, event in enumerate(curated.itertuples()):
        who = {p for p in [*event.groups, *event.people] if event.roles.get(p) != "named"}
        for j, draft in enumerate(proposed.itertuples()):
            if not (p_start[j] <= c_end[i] and c_start[i] <= p_end[j]):
                continue
            if (
                event.geometry is None
                or km(event.geometry.x, event.geometry.y, draft.geometry.x, draft.geometry.y) > EVENT_KM
            ):
                continue
            if who & set([*draft.groups, *draft.people]):
                hits.add(event.id)
                break
    return hits


def score_own_texts(folder: Path) -> dict:
    """The annotated wire stories: places, groups and people, dates."""
    import datetime as dt

    import yaml

    annotations = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    counts = {key: [0, 0] for key in ("place_recall", "town_precision", "actor_recall", "date_recall")}
    missed = []
    for name, expected in annotations.items():
        text = (folder / name).read_text(encoding="utf-8")
        reading = read_report(text, title=name)
        for place in expected.get("places", []):
            hit = any(
                m.text == place["text"]
                and km(m.candidates[0].lon, m.candidates[0].lat, place["lon"], place["lat"]) <= PLACE_KM
                for m in reading.places
            )
            counts["place_recall"][0] += hit
            counts["place_recall"][1] += 1
            if not hit:
                missed.append(f"{name}: place {place['text']!r}")
        for mention in reading.places:
            best = mention.candidates[0]
            if best.kind not in ("town", "site"):
                continue
            near = any(km(best.lon, best.lat, p["lon"], p["lat"]) <= PLACE_KM for p in expected.get("places", []))
            counts["town_precision"][0] += near
            counts["town_precision"][1] += 1
            if not near:
                missed.append(f"{name}: wrong {mention.text!r} -> {best.name}")
        found = {m.id for m in reading.mentions if m.kind in ("group", "person")}
        for actor in expected.get("actors", []):
            counts["actor_recall"][0] += actor in found
            counts["actor_recall"][1] += 1
            if actor not in found:
                missed.append(f"{name}: actor {actor}")
        for date in expected.get("dates", []):
            want = dt.date.fromisoformat(str(date["start"]))
            hit = any(
                m.text == date["text"] and m.date_start == want and m.precision == date["precision"]
                for m in reading.dates
            )
            counts["date_recall"][0] += hit
            counts["date_recall"][1] += 1
            if not hit:
                missed.append(f"{name}: date {date['text']!r}")
    figures = {key: ratio(*value) for key, value in counts.items()}
    figures["counts"] = {key: f"{hit}/{total}" for key, (hit, total) in counts.items()}
    figures["missed"] = missed
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder of the five bundled reports")
    args = parser.parse_args()
    began = time.perf_counter()
    read_report("Warm-up: AQIM in Gao, Mali, on 16 September 2010.", title="warm-up")
    setup = time.perf_counter() - began
    result = {"setup_seconds": round(setup, 2)}
    if args.seeds.is_dir():
        result["bundled"] = score_bundled(args.seeds)
    else:
        print(f"no bundled reports at {args.seeds}; only the own texts are scored")
    if (OWN_TEXTS / "annotations.yaml").exists():
        result["own_texts"] = score_own_texts(OWN_TEXTS)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
