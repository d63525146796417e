"""The classroom: a map quiz, countries at true size, names in two languages, distances.

Everything here is plain data and geometry, no Streamlit, so a page, a test or
a notebook can use it alike.

- **Quiz**: "click on X" questions drawn from the curated places, the region
  outlines and the bundled basemap (rivers, lakes, countries). A click is right
  near a point, inside or just outside an outline, or near a river's line: within
  :data:`TOLERANCE_KM`, or :data:`SCREEN_TOLERANCE_PX` pixels at the map's zoom,
  whichever is larger. A wrong click is told how far it was, over the Earth's surface.
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

from geo.classroom.distances import (
    FAMILIAR_DISTANCES,
    KM_PER_MILE,
    Distance,
    FamiliarDistance,
    closest_familiar,
    distance_line,
    measure_distance,
)
from geo.classroom.names import (
    FRENCH_BASEMAP_NAMES,
    FRENCH_NAMES,
    LANGUAGES,
    basemap_french_texts,
    french_country_names,
    label_language,
    name_variants,
)
from geo.classroom.quiz import (
    QUIZ_SETS,
    SCREEN_TOLERANCE_PX,
    TOLERANCE_KM,
    Answer,
    Question,
    Quiz,
    Score,
    answer,
    answer_choice,
    choices,
    click_tolerance,
    find_question,
    km_per_pixel,
    new_round,
    quiz_targets,
    score,
)
from geo.classroom.shapes import nearest_on_target
from geo.classroom.true_size import TRUE_SIZE_SHAPES, TrueSizeAreas, true_size_areas, true_size_outline, true_size_shape

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
    "nearest_on_target",
    "TRUE_SIZE_SHAPES",
    "true_size_shape",
    "true_size_outline",
    "TrueSizeAreas",
    "true_size_areas",
    "FRENCH_NAMES",
    "LANGUAGES",
    "FRENCH_BASEMAP_NAMES",
    "french_country_names",
    "basemap_french_texts",
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
