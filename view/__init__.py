"""The view model: what a map shows, whoever draws it, and the names it shows things by.

The dashboard, the presentation page, pictures, slides, offline pages and the command
line all start from a :class:`MapView` built here from the curated data
(:class:`AtlasContext`) and a filter; :class:`Names` gives every id its display name.
"""

from view.model import (
    CREDITS,
    OPERATING_AREA,
    AtlasContext,
    MapView,
    context_from,
    fitted_bbox,
    load_context,
    map_view,
    step_view,
    story_views,
    view_filter,
)
from view.names import Names

__all__ = [
    "AtlasContext",
    "CREDITS",
    "MapView",
    "Names",
    "OPERATING_AREA",
    "context_from",
    "fitted_bbox",
    "load_context",
    "map_view",
    "step_view",
    "story_views",
    "view_filter",
]
