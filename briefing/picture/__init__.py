"""A picture of one map view, for slides and print: a PNG drawn offline with matplotlib.

The picture draws what the web map draws, from the same style catalogue
(:mod:`style`) and with the same symbols: an event is filled with its
type's colour and outlined in the colour of the family of groups that carried
it out, places are circles sized like the web map's, towns are dark dots,
boundaries and regions are outlined in their own colour, dashed when
approximate, and drawn as a wide band when a later outline repeats them.
Marks sharing a spot are spread on a spiral round it with a thin line back to
where they belong, as on the web map; labels are placed most important first
and a label that finds no free spot is left out, so none overlap.

The map is drawn in plain longitude and latitude with longitudes stretched by
cos(mid-latitude of the view's extent): shapes are true at that latitude and
the scale bar is exact there. Every size is given in pixels of a 1920x1080
slide and scaled with the picture, so an A4 print at 300 dpi looks like the slide.

Matplotlib is used through a ``Figure`` and its own Agg canvas, never pyplot,
so a Streamlit server can draw pictures from several threads at once.

The modules, in the order a picture is made: ``frame`` (sizes, what a picture holds, where
the extent goes), ``scene`` (what is drawn and how it stands out, the legend), ``clipped``
(the basemap cut to the extent), ``labels``, ``furniture`` (title, legend, scale bar,
credits) and ``draw``.
"""

from briefing.picture.draw import draw_picture, render_png
from briefing.picture.frame import (
    PICTURE_SIZES,
    LegendEntry,
    MapPicture,
    Mark,
    PlacedLabel,
    ScaleBar,
    parse_size,
    slide_extent,
)
from briefing.picture.scene import legend_entries

__all__ = [
    "PICTURE_SIZES",
    "parse_size",
    "render_png",
    "draw_picture",
    "legend_entries",
    "MapPicture",
    "LegendEntry",
    "PlacedLabel",
    "Mark",
    "ScaleBar",
    "slide_extent",
]
