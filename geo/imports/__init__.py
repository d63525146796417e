"""Analysts' own data (ACLED, GTD, CSV, GeoJSON) read into the atlas's event model.

Every importer returns an :class:`geo.imports.model.ImportResult`: the events it
could map, in the same columns as the curated events (so one filter serves both)
plus what only imported events have, and every refused row with its reason.
"""
