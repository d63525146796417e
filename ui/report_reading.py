"""What the "Read a report" page shows of a reading: the text marked, the places on a map, the
proposed events as rows to confirm or correct, and the corrected rows back as events to keep.

Everything from the report is escaped: a pasted report's HTML or markdown shows as text, never as
markup. The page itself (``app_pages/read_report.py``) only lays these out.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.schema import EVENT_TYPES
from layers.atlas_map import fit_when_sized

__all__ = [
    "MARK_STYLE",
    "PRECISIONS",
    "corrected_events",
    "draft_rows",
    "hand_placed",
    "marked_text",
    "place_choices",
    "places_map",
    "places_table",
    "view_of",
]

PRECISIONS = ("day", "month", "season", "year", "approximate")
PLACES_MAX_ZOOM = 8  # the map of the places found comes no closer than a district
# Each kind of mention has its colour and its own line, so the marks read in print and without colour.
MARK_STYLE = """
<style>
.atlas-report { white-space: pre-wrap; line-height: 1.75; font-size: 1rem; max-height: 34rem; overflow-y: auto;
  border: 1px solid #d0d0d0; border-radius: .4rem; padding: .8rem 1rem; background: #fff; color: #1f1f1f; }
mark[class^="atlas-mark-"] { background: none; color: inherit; padding: 0 .05em; }
.atlas-mark-place { background: #dbe9f6 !important; border-bottom: 2px solid #1f5fa8; }
.atlas-mark-group { border-bottom: 3px dotted #b35900; font-weight: 600; }
.atlas-mark-person { border-bottom: 3px double #6a3d9a; font-style: italic; }
.atlas-mark-date { outline: 1.5px dashed #2f7d32; outline-offset: 1px; border-radius: 2px; }
mark[data-mention] { cursor: pointer; }
.atlas-mark-lit { box-shadow: 0 0 0 3px #d62728; border-radius: 2px; }
.atlas-mark-key { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; margin: .2rem 0 .6rem 0; font-size: .95rem; }
</style>
"""
_KIND_LABELS = {"place": "Place", "group": "Group", "person": "Person", "date": "Date"}


def _title_of(mention) -> str:
    if mention.kind == "place":
        best = mention.candidates[0]
        return f"Place: {best.name} ({best.kind}, sure {best.confidence:.0%})"
    if mention.kind == "date":
        span = mention.date_start.isoformat() + (
            f" to {mention.date_end.isoformat()}" if mention.date_end != mention.date_start else ""
        )
        return f"Date: {span} ({mention.precision})"
    return f"{_KIND_LABELS[mention.kind]}: {mention.name or 'not in the atlas, kept as written'}"


def marked_text(reading, lit: set[int] = frozenset()) -> str:
    """The report's text as HTML, every mention marked by kind; the text itself escaped.

    Each place mark carries its number in ``reading.mentions`` (a click on it shows it on the map);
    the mentions numbered in ``lit`` (those of the place shown on the map) are lit.
    """
    parts, cursor = [], 0
    # Of two readings of one span ('BAMAKO': the town, the government), the place is marked: it is on the map.
    numbered = sorted(
        enumerate(reading.mentions), key=lambda pair: (pair[1].start, -pair[1].end, pair[1].kind != "place")
    )
    for number, mention in numbered:
        if mention.start < cursor:
            continue  # a mention inside another's span is already marked by it
        parts.append(escape(reading.text[cursor : mention.start]))
        lit_class = " atlas-mark-lit" if number in lit else ""
        link = f" data-mention='{number}' tabindex='0' role='button'" if mention.kind == "place" else ""
        parts.append(
            f"<mark class='atlas-mark-{mention.kind}{lit_class}'{link} title='{escape(_title_of(mention), quote=True)}'>"
            f"{escape(reading.text[mention.start : mention.end])}</mark>"
        )
        cursor = mention.end
    parts.append(escape(reading.text[cursor:]))
    key = "".join(
        f"<span><mark class='atlas-mark-{kind}'>{label}</mark></span>" for kind, label in _KIND_LABELS.items()
    )
    counts = (
        f"{len(reading.places)} place(s), {len(reading.groups)} group(s), {len(reading.people)} person(s), "
        f"{len(reading.dates)} date(s)"
    )
    return (
        f"{MARK_STYLE}<div class='atlas-mark-key'>{key}<span>· {escape(counts)}</span></div>"
        f"<div class='atlas-report' data-testid='atlas-report-text'>{''.join(parts)}</div>"
    )


def places_table(reading) -> pd.DataFrame:
    """One row per place mention: as written, what it matched, how sure, where."""
    return pd.DataFrame(
        [
            {
                "As written": m.text,
                "Read as": m.candidates[0].name,
                "Kind": m.candidates[0].kind,
                "Sure": m.candidates[0].confidence,
                "Other candidates": len({c.id for c in m.candidates}) - 1,
                "Longitude": round(m.candidates[0].lon, 3),
                "Latitude": round(m.candidates[0].lat, 3),
                "Sentence": reading.sentence_text(m.sentence),
            }
            for m in reading.places
        ]
    )


def place_choices(reading) -> dict[str, list]:
    """Names written that may mean more than one place: as written -> its candidates, best first."""
    choices = {}
    for mention in reading.places:
        distinct = list({c.id: c for c in mention.candidates}.values())
        if len(distinct) > 1 and mention.text not in choices:
            choices[mention.text] = distinct
    return choices


def places_map(reading, fmap, chosen: dict[str, object], by_hand: dict | None = None) -> folium.Map:
    """The places found, one mark each, named as written and as read; ``chosen`` overrides a name's place;
    ``by_hand`` (name -> (lat, lon)) adds the names the user placed on the map."""
    group = folium.FeatureGroup(name="Places in the report")
    seen = {}
    for mention in reading.places:
        best = chosen.get(mention.text, mention.candidates[0])
        seen.setdefault((best.id, best.lon, best.lat), (best, []))[1].append(mention.text)
    few = len(seen) <= 12
    for best, written in seen.values():
        names = ", ".join(dict.fromkeys(written))
        # Named on the map where they are few: a reviewer reads which mark is which without hovering.
        folium.CircleMarker(
            [best.lat, best.lon],
            radius=7,
            weight=2,
            color="#1f5fa8",
            fill=True,
            fill_color="#5b8fd0",
            fill_opacity=0.8,
            class_name="atlas-report-place",
            tooltip=folium.Tooltip(
                escape(best.name if few else f"{names} → {best.name} ({best.kind})"),
                permanent=few,
                direction="right",
                offset=(9, 0),
            ),
        ).add_to(group)
    for name, (lat, lon) in (by_hand or {}).items():
        folium.CircleMarker(
            [lat, lon],
            radius=7,
            weight=2,
            dash_array="3 3",
            color="#1f5fa8",
            fill=True,
            fill_color="#ffffff",
            fill_opacity=0.9,
            class_name="atlas-report-place atlas-report-by-hand",
            tooltip=folium.Tooltip(escape(f"{name} (placed by hand)"), permanent=few, direction="right", offset=(9, 0)),
        ).add_to(group)
    group.add_to(fmap)
    points = [(best.lat, best.lon) for best, _ in seen.values()] + list((by_hand or {}).values())
    if points:
        # Framed on the places in the frame's real size; one town alone is not drawn at street level.
        lats, lons = [lat for lat, _ in points], [lon for _, lon in points]
        fit_when_sized(
            fmap, [[min(lats), min(lons)], [max(lats), max(lons)]], padding=(40, 40), max_zoom=PLACES_MAX_ZOOM
        )
    return fmap


def view_of(reading) -> tuple[float, float, float] | None:
    """(lat, lon, zoom) that frames the places found (the map opens on it, whatever its frame's size then)."""
    import math

    if not reading.places:
        return None
    lons = [m.candidates[0].lon for m in reading.places]
    lats = [m.candidates[0].lat for m in reading.places]
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.3, 3.0)
    zoom = max(3.0, min(9.0, math.floor(math.log2(360 * 0.8 / span) * 4) / 4))
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2, zoom


def hand_placed(event, by_hand: dict) -> str | None:
    """The name placed by hand on the map that an event's sentence says it happened at, if any.

    Where the reader took the event's place from elsewhere (an earlier sentence, the report's area),
    or the sentence names the hand-placed name before the place the reader took ('attacked the town
    of Konna ..., a day after jets struck near Gao').
    """
    original = event.original if isinstance(event.original, dict) else {}
    sentence = original.get("sentence", "")
    taken = original.get("place_text") if original.get("place_from") == "this sentence" else None
    taken_at = sentence.find(taken) if taken else len(sentence)
    for name in by_hand or {}:
        found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence)
        if found and (taken_at < 0 or found.start() < taken_at):
            return name
    return None


def draft_rows(events: gpd.GeoDataFrame, by_hand: dict | None = None) -> pd.DataFrame:
    """The proposed events as rows to confirm (Keep), correct or untick; ``by_hand``: names placed on the map."""
    rows = []
    for event in events.itertuples():
        original = event.original if isinstance(event.original, dict) else {}
        placed = hand_placed(event, by_hand or {})
        where_from = "placed by hand on the map" if placed else original.get("place_from", "?")
        rows.append(
            {
                "Keep": True,
                "From": event.date_start,
                "To": event.date_end,
                "Precision": event.date_precision,
                "Type": EVENT_TYPES.get(event.type, event.type),
                "Place": placed or event.place_name,
                "Groups and people": "; ".join(event.actors or []),
                "Phrase": event.source_text,
                "Sentence": original.get("sentence", event.summary),
                "Where and when from": f"place: {where_from}; date: {original.get('date_from', '?')}",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Keep",
            "From",
            "To",
            "Precision",
            "Type",
            "Place",
            "Groups and people",
            "Phrase",
            "Sentence",
            "Where and when from",
        ],
    )


def _date(value, label: str, number: int) -> str:
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError(f"event {number}: {label} should be a date as YYYY-MM-DD, got {str(value)!r}") from None


def corrected_events(
    events: gpd.GeoDataFrame, rows: pd.DataFrame, chosen: dict[str, object], atlas, places, by_hand=None
) -> gpd.GeoDataFrame:
    """The events the user kept, with their corrections: dates, precision, type, place, names.

    ``chosen`` maps a place name as written to the candidate the user picked; ``by_hand`` a name
    placed by hand on the map to its (lat, lon); a place typed anew is looked up in the reader's
    gazetteer (``places``: the curated places table). Raises ``ValueError`` with what is wrong (a
    date that is no date, a place no gazetteer knows).
    """
    by_hand = by_hand or {}
    from geo.reading.actors import actor_index
    from geo.reading.gazetteer import gazetteer
    from geo.reading.places import Candidate
    from geo.reading.text import fold_phrase, tokens

    types = {label: kind for kind, label in EVENT_TYPES.items()}
    index = actor_index(atlas.groups, atlas.people)
    names = gazetteer(places)
    kept = []
    for number, (row, event) in enumerate(zip(rows.to_dict("records"), events.itertuples()), start=1):
        if not row["Keep"]:
            continue
        record = event._asdict()
        record.pop("Index", None)
        start, end = _date(row["From"], "'From'", number), _date(row["To"] or row["From"], "'To'", number)
        if end < start:
            raise ValueError(f"event {number}: 'To' ({end}) is before 'From' ({start})")
        record.update(
            date_start=start,
            date_end=end,
            date_precision=row["Precision"] or "day",
            type=types.get(row["Type"], event.type),
        )
        original = dict(event.original) if isinstance(event.original, dict) else {}
        place_text = original.get("place_text")
        picked = chosen.get(place_text)
        typed = str(row["Place"] or "").strip()
        if typed in by_hand:
            lat, lon = by_hand[typed]
            picked = Candidate(f"by-hand:{typed}", typed, "town", lon, lat, 1.0, "by hand", "placed by hand on the map")
            original["place_from"] = "placed by hand on the map"
        elif typed != str(event.place_name):
            entries = names.entries(fold_phrase(typed))
            if not entries:
                raise ValueError(
                    f"event {number}: no place called {typed!r} is known; write another name or untick the event"
                )
            entry = entries[0][0]
            picked = Candidate(entry.id, entry.name, entry.kind, entry.lon, entry.lat, 1.0, entry.source, "typed")
        if picked is not None:
            curated = picked.source == "curated"
            record.update(
                place=picked.id if curated else None,
                place_name=picked.name,
                places=[picked.id] if curated else [],
                geometry=Point(picked.lon, picked.lat),
                location_precision="exact" if picked.kind in ("town", "site") else "centroid",
            )
        written = [name.strip() for name in str(row["Groups and people"] or "").split(";") if name.strip()]
        found = {}
        for name in written:  # each name as the reader knows it; any other kept as written
            scanned = [actor for _, _, actor in index.scan(tokens(name))]
            near = index.fuzzy(name) if not scanned else None
            for actor in scanned or ([near[0]] if near else []):
                found[actor.id] = actor
        roles = {key: role for key, role in (event.roles or {}).items() if key in found}
        roles.update({key: "named" for key in found if key not in roles})
        record.update(
            actors=written,
            roles=roles,
            groups=[key for key, actor in found.items() if actor.kind == "group"],
            people=[key for key, actor in found.items() if actor.kind == "person"],
            original={**original, "corrected": True},
        )
        record["title"] = f"{EVENT_TYPES.get(record['type'], record['type'])} at {record['place_name']}, {start}"
        kept.append(record)
    if not kept:
        return events.iloc[0:0]
    frame = gpd.GeoDataFrame(kept, geometry="geometry", crs=events.crs)
    return frame[list(events.columns)]
