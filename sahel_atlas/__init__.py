"""Sahel Atlas, installed: the version (kept here only) and the ``sahel-atlas`` command (:mod:`sahel_atlas.command`)."""

__version__ = "0.1.0"
