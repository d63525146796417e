"""Colours and outline styles of areas (boundaries, regions), the same on every map."""

from __future__ import annotations

import geopandas as gpd

from style.catalogue import AREA_PALETTE

__all__ = ["with_colours", "outline_styles"]

# Two outlines are "the same" when they differ by less than this share of their area.
_SAME_OUTLINE = 0.02


def with_colours(areas: gpd.GeoDataFrame, palette: tuple[str, ...] = AREA_PALETTE) -> gpd.GeoDataFrame:
    """Give each area its colour once, on the full table, so filtering never recolours it."""
    return areas.assign(colour=[palette[i % len(palette)] for i in range(len(areas))])


def outline_styles(areas: gpd.GeoDataFrame) -> list[str]:
    """'band' for an area whose outline a later area repeats, 'line' for every other."""
    shapes = list(areas.geometry)
    # Comparing outlines is slow (whole countries); the same areas come back on every rerun.
    key = tuple((str(ref), round(shape.area, 6)) for ref, shape in zip(areas["id"], shapes))
    if key not in _STYLES_SEEN:
        styles = ["line"] * len(shapes)
        for later in range(len(shapes)):
            for earlier in range(later):
                union = shapes[earlier].union(shapes[later]).area
                if union and shapes[earlier].symmetric_difference(shapes[later]).area / union < _SAME_OUTLINE:
                    styles[earlier] = "band"
        _STYLES_SEEN[key] = styles
    return list(_STYLES_SEEN[key])


_STYLES_SEEN: dict[tuple, list[str]] = {}
