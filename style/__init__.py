"""The style catalogue: colours, shapes, sizes and spacings every map draws with.

The web map (``layers``), pictures and slides (``briefing``) and charts (``ui``) read
these tables; nothing here imports folium or matplotlib.
"""

from style.areas import outline_styles, with_colours
from style.catalogue import (
    AREA_PALETTE, BASEMAP, BRIEFING, CHART_GROUP_COLOURS, CHART_NONE_COLOUR, CHART_OTHER_COLOUR,
    CLASSROOM, ENGINE, EVENT_SHAPES, EVENT_TYPE_COLOURS, EVENT_TYPE_SHAPES, GATHERED, GROUP_FAMILIES,
    GROUP_FAMILY_COLOURS, GROUP_RELATION_COLOURS, HIGHLIGHT, HOSTAGE_OUTCOME_COLOURS, IMPORTED,
    LABELLED_KINDS, LABEL_PRIORITY, MARKER_RADIUS, MARKS, OTHER_FAMILY, PRECISION_HALO_METRES,
    RANSOM_STATUS_COLOURS, REGION_PALETTE, ROUTE_COLOUR, TOWN_DOT_RADIUS, TOWN_KINDS, event_colour,
    event_shape, group_family, place_radius,
)

__all__ = [
    "AREA_PALETTE", "BASEMAP", "BRIEFING", "CHART_GROUP_COLOURS", "CHART_NONE_COLOUR",
    "CHART_OTHER_COLOUR", "CLASSROOM", "ENGINE", "EVENT_SHAPES", "EVENT_TYPE_COLOURS",
    "EVENT_TYPE_SHAPES", "GATHERED", "GROUP_FAMILIES", "GROUP_FAMILY_COLOURS", "GROUP_RELATION_COLOURS",
    "HIGHLIGHT", "HOSTAGE_OUTCOME_COLOURS", "IMPORTED", "LABELLED_KINDS", "LABEL_PRIORITY",
    "MARKER_RADIUS", "MARKS", "OTHER_FAMILY", "PRECISION_HALO_METRES", "RANSOM_STATUS_COLOURS",
    "REGION_PALETTE", "ROUTE_COLOUR", "TOWN_DOT_RADIUS", "TOWN_KINDS", "event_colour", "event_shape",
    "group_family", "outline_styles", "place_radius", "with_colours",
]
