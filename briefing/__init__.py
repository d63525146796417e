"""The briefing side of the atlas: one map view, drawn as a picture, slides or an offline page.

:mod:`view` turns the dashboard's filters (or a story's step) into the
frames a map draws; the other modules draw those frames, always with the style
catalogue of ``style``.
"""
