"""The one style catalogue every map draws from: the web map, its legend, pictures, slides, offline pages.

Colours are chosen to stay apart on the light offline basemap and on a wall
screen; the legend is generated from the same tables, so it cannot drift
from what is drawn. Sizes and spacings in screen pixels are here too, and the
web map's script (layers/map_engine.js) gets them from :data:`ENGINE`, so a
picture spaces marks as the web map does.
"""

from __future__ import annotations

import math

from geo.stories import TOWN_KINDS

__all__ = [
    "EVENT_TYPE_COLOURS",
    "GROUP_FAMILIES",
    "GROUP_FAMILY_COLOURS",
    "PRECISION_HALO_METRES",
    "BASEMAP",
    "AREA_PALETTE",
    "REGION_PALETTE",
    "ROUTE_COLOUR",
    "CHART_GROUP_COLOURS",
    "CHART_OTHER_COLOUR",
    "CHART_NONE_COLOUR",
    "chart_family_colour",
    "chart_group_colours",
    "HOSTAGE_OUTCOME_COLOURS",
    "RANSOM_STATUS_COLOURS",
    "GROUP_RELATION_COLOURS",
    "HIGHLIGHT",
    "MARKS",
    "BRIEFING",
    "IMPORTED",
    "GATHERED",
    "CLASSROOM",
    "EVENT_TYPE_SHAPES",
    "EVENT_SHAPES",
    "OTHER_FAMILY",
    "event_shape",
    "event_colour",
    "group_family",
    "MARKER_RADIUS",
    "TOWN_DOT_RADIUS",
    "TOWN_KINDS",
    "LABELLED_KINDS",
    "LABEL_PRIORITY",
    "ENGINE",
    "place_radius",
]

# Screen sizes, in CSS pixels.
MARKER_RADIUS = 7  # an event's mark
TOWN_DOT_RADIUS = 4  # a town named in the reports (the reference layer)
# Places that carry a name on the map; the same kinds as the towns a story may refer to.
LABELLED_KINDS = TOWN_KINDS
# Which label gives way when two would overlap: the lower number.
LABEL_PRIORITY = {"town": 30, "site": 20, "mountain": 20, "region": 10, "country": 5}
# What the web map's own script needs of the catalogue (passed to it, never copied into it).
ENGINE = {
    "gap": 3,  # pixels between a mark's rim and the next mark's centre when marks are spread
    "place_spread_radius": 5,  # the room a place's mark takes when marks are spread
}


def place_radius(event_count: int) -> float:
    """A place's mark: area grows with the count, so a place with 9 events looks 3x as wide as one with 1."""
    return 4 + 4 * math.sqrt(max(event_count, 0))


EVENT_TYPE_COLOURS: dict[str, str] = {
    "kidnapping": "#d62728",
    "release": "#2ca02c",
    "ransom": "#e377c2",
    "negotiation": "#bcbd22",
    "attack": "#7f0000",
    "raid": "#ff7f0e",
    "killing": "#111111",
    "arrest": "#8c8c8c",
    "meeting": "#1f77b4",
    "letter": "#17becf",
    "decision": "#9467bd",
    "founding": "#4a1486",
    "movement": "#8c564b",
    "arms": "#6b6b00",
    "trafficking": "#d9a400",
    "warning": "#ffd92f",
    "alliance": "#66c2a5",
    "occupation": "#08306b",
    "protest": "#c49c94",
}

# The shape of an event's mark, so its type never rests on colour alone: types whose colours
# come close under protanopia, deuteranopia or tritanopia (Machado et al. 2009 simulation; see
# tests/test_colour_access.py) get different shapes. Circles for violence, squares for hostages
# and money; the rest share out what no colour can tell apart.
EVENT_SHAPES = ("circle", "square", "diamond", "triangle", "triangle-down")
EVENT_TYPE_SHAPES: dict[str, str] = {
    "attack": "circle",
    "raid": "circle",
    "killing": "circle",
    "protest": "circle",
    "kidnapping": "square",
    "ransom": "square",
    "negotiation": "square",
    "release": "triangle",
    "movement": "triangle",
    "occupation": "triangle",
    "arms": "triangle",
    "meeting": "diamond",
    "letter": "diamond",
    "founding": "diamond",
    "warning": "diamond",
    "decision": "triangle-down",
    "alliance": "triangle-down",
    "trafficking": "triangle-down",
    "arrest": "triangle-down",
}

# Outline of an event marker: which family of groups it involves. Order matters: the first
# family that matches an event's groups wins, so the specific families come first.
GROUP_FAMILIES: dict[str, tuple[str, ...]] = {
    "Belmokhtar's groups": ("al-mulathamin-brigade", "signers-in-blood", "al-murabitun", "gspc-ninth-region", "aqis"),
    "AQIM and its brigades": (
        "aqim",
        "emirate-of-the-sahara",
        "emirate-of-the-islamic-maghreb",
        "tariq-ibn-ziyad-brigade",
        "uqba-ibn-nafi-brigade",
        "aqim-advisory-board",
        "aqim-legal-committee",
        "tebessa-platoons",
    ),
    "GSPC": ("gspc",),
    "Ansar Eddine, MUJAO and allies": (
        "ansar-eddine",
        "mujao",
        "islamic-state-of-azawad",
        "ansar-al-shariah-tunisia",
        "mdjt",
    ),
    "Al-Qaeda central and other branches": (
        "al-qaeda-central",
        "aqap",
        "al-qaeda-in-iraq",
        "islamic-state-of-iraq",
        "al-qaeda-saudi-branch",
    ),
    "States and their forces": (
        "french-armed-forces",
        "mauritanian-armed-forces",
        "malian-armed-forces",
        "algerian-army",
        "us-special-forces",
        "ecowas-minusma",
        "tunisian-army",
        "burkinabe-government",
        "malian-government",
        "mauritanian-government",
        "spanish-government",
        "canadian-government",
        "algerian-government",
    ),
}
OTHER_FAMILY = "Other or none"

GROUP_FAMILY_COLOURS: dict[str, str] = {
    "Belmokhtar's groups": "#ff00aa",
    "AQIM and its brigades": "#000000",
    "GSPC": "#555555",
    "Ansar Eddine, MUJAO and allies": "#e69f00",  # apart from magenta under deuteranopia
    "Al-Qaeda central and other branches": "#7a4a00",
    "States and their forces": "#1f4fff",
    OTHER_FAMILY: "#ffffff",
}

# How far an imprecise location may be from its drawn point.
PRECISION_HALO_METRES: dict[str, int] = {"approximate": 60_000, "centroid": 250_000}

BASEMAP = {
    "background": "#cfe3ef",  # sea
    "land": "#f4f1ea",
    "land_in_area": "#fbf8f1",
    "border": "#8a7f72",
    "coast": "#6f8fa6",
    "river": "#4a90c8",
    "lake": "#a9cfe8",
    "capital": "#333333",
    "label": "#3a3a3a",
}

# Each boundary or region keeps one colour whatever the filters: the colour follows its
# position in the full, unfiltered table (see layers.boundaries.with_colours).
# The regions the reports name (physical and historical, not organisational): earthy, and apart from each other.
REGION_PALETTE = ("#8c510a", "#01665e", "#7b3294", "#b35806", "#4d9221", "#2d004b", "#d6604d", "#5ab4ac")
AREA_PALETTE = ("#b2182b", "#2166ac", "#e08214", "#762a83", "#1b7837", "#c51b7d", "#35978f", "#4d4d4d")
ROUTE_COLOUR = "#c51b7d"

# The marks' own colours (towns, place circles, uncertainty halos, the lines from a spaced mark
# back to its spot, legend swatches, label ink), shared by the web map and the picture.
MARKS = {
    "town_fill": "#222222",
    "town_edge": "#ffffff",
    "place_fill": "#ffffff",
    "place_edge": "#3b3b3b",
    "halo_fill": "#999999",
    "halo_edge": "#777777",
    "leader": "#555555",
    "selected": "#ffcc00",
    "type_swatch_edge": "#555555",
    "family_swatch_fill": "#eeeeee",
    "label_ink": "#1f1f1f",
}

# Events from the user's own data (ACLED, GTD, CSV...): filled with their type's colour but
# smaller, paler and dashed-edged, so they never pass for the reports' cited events.
IMPORTED = {"radius": 4.5, "fill_opacity": 0.5, "edge": "#2b2b2b", "dash": "2 2", "weight": 1.2}
# Where the user's data holds more events than marks can show, events close on screen are
# gathered into one mark: a pale disc sized by its count, the count written on it, ringed by
# the types of its events in proportion (the types' own colours).
GATHERED = {
    "min_radius": 10,
    "growth": 1.6,
    "max_radius": 24,
    "ring": 5,
    "fill": "#ffffff",
    "fill_opacity": 0.9,
    "edge": "#4d4d4d",
    "label_ink": "#111111",
    "label_halo": "#ffffff",
    "label_size": 11,
}

# The classroom: outlines moved at true size (one colour each, in order), the great-circle
# distance line, and the quiz's marks (the click, right or wrong, the target, the line between).
CLASSROOM = {
    "true_size": ("#d7301f", "#2166ac", "#1b7837", "#762a83"),
    "true_size_fill_opacity": 0.2,
    "distance": "#b35806",
    "distance_end": "#ffffff",
    "right": "#1a9850",
    "wrong": "#d73027",
    "click_edge": "#ffffff",
    "target": "#1f1f1f",
    "answer_line": "#555555",
}

# Slides and offline pages around the map: title slides, caption panels, rules and text.
BRIEFING = {
    "title_background": "#1b2a41",
    "accent": "#c07a12",
    "ink": "#1e1e1e",
    "muted": "#555b63",
    "on_title": "#d9dee6",
    "frame": "#b8bec6",
    "panel": "#f3f1ec",
    "white": "#ffffff",
}

# A story step's highlighted features: ringed in this colour, the rest drawn at this opacity.
HIGHLIGHT = {"ring": "#ffcc00", "ring_outline": "#1f1f1f", "dimmed_opacity": 0.3}

# Charts: one clearly different colour per group shown (no greys: those mean 'other' and 'none').
CHART_GROUP_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#222222",
)
CHART_OTHER_COLOUR = "#9e9e9e"
CHART_NONE_COLOUR = "#d9cfbf"
# A chart draws a group in its family's map outline colour, so AQIM is black on the map and in
# every chart; a second or third group of one family is a lighter shade of it (mixed with white
# by these shares). Groups of no family take the chart colours no family uses.
_FAMILY_SHADES = (0.0, 0.45, 0.72, 0.86)
_CHART_COLOURS_OF_NO_FAMILY = ("#2ca02c", "#9467bd", "#17becf", "#bcbd22", "#d62728", "#8c564b", "#1f77b4")

# The kidnapping economy (ui.analyst_charts). What became of hostages: the release and killing
# colours of the event types, so a chart and the map agree; each also has its own shape there.
HOSTAGE_OUTCOME_COLOURS: dict[str, str] = {
    "released": EVENT_TYPE_COLOURS["release"],
    "killed": EVENT_TYPE_COLOURS["killing"],
    "escaped": "#1f77b4",
    "mixed": "#9467bd",
    "outcome not recorded": CHART_OTHER_COLOUR,
}
# Ransoms by what the reports say of the money.
RANSOM_STATUS_COLOURS: dict[str, str] = {"demanded": "#c51b7d", "paid": "#1b7837", "reported": "#e08214"}
# Relations between groups on the lineage chart: lineage (renamed, split, formed, merged) in strong
# colours, ties (alliance, rivalry, subordination) in the alliance and attack colours and grey.
GROUP_RELATION_COLOURS: dict[str, str] = {
    "renamed-from": EVENT_TYPE_COLOURS["founding"],
    "split-from": "#d62728",
    "formed-from": "#1b7837",
    "merged-into": "#1f4fff",
    "allied-with": "#1b9e77",
    "rival-of": EVENT_TYPE_COLOURS["attack"],
    "subordinate-to": "#6b6b6b",
}


def event_colour(event_type: str) -> str:
    return EVENT_TYPE_COLOURS.get(event_type, "#999999")


def event_shape(event_type: str) -> str:
    return EVENT_TYPE_SHAPES.get(event_type, "circle")


def group_family(group_ids) -> str:
    """The legend family an event's groups belong to (first match in GROUP_FAMILIES)."""
    present = set(group_ids or ())
    for family, members in GROUP_FAMILIES.items():
        if present.intersection(members):
            return family
    return OTHER_FAMILY


def chart_family_colour(family: str) -> str:
    """A group family's colour in a chart: its map outline colour (grey for no family: white would not show)."""
    return CHART_OTHER_COLOUR if family == OTHER_FAMILY else GROUP_FAMILY_COLOURS[family]


def _lighter(colour: str, share: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in (red, green, blue))


def chart_group_colours(group_ids) -> list[str]:
    """One colour per group shown in a chart, in order: the first group of a family in its family's
    map colour, the next ones of that family lighter; groups of no family in the other chart colours."""
    seen: dict[str, int] = {}
    spare = iter(_CHART_COLOURS_OF_NO_FAMILY * 2)
    colours = []
    for group_id in group_ids:
        family = group_family([group_id])
        if family == OTHER_FAMILY:
            colours.append(next(spare))
            continue
        shade = _FAMILY_SHADES[min(seen.get(family, 0), len(_FAMILY_SHADES) - 1)]
        seen[family] = seen.get(family, 0) + 1
        colours.append(_lighter(GROUP_FAMILY_COLOURS[family], shade))
    return colours
