"""A story file's YAML, read without anchors and aliases.

YAML lets one value be named (``&name``) and repeated (``*name``); ten levels of ten
aliases each stand for ten billion values in a file of a few hundred bytes, and every
check that walks the story walks each of them ("billion laughs"). Stories never need
them (a step's view is short to write out), so the first anchor or alias refuses the
file at once, with its line, before anything is built from it.
"""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent

__all__ = ["RepeatedValue", "StoryLoader", "read_story_yaml"]


class RepeatedValue(ComposerError):
    """An anchor or alias in a story file (the message is for the user, the mark gives the line)."""


class StoryLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses anchors (``&name``) and aliases (``*name``)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            written = f"*{event.anchor}" if isinstance(event, AliasEvent) else f"&{event.anchor}"
            raise RepeatedValue(
                None,
                None,
                f"'{written}': a story may not use YAML anchors or aliases (&name, *name); write each value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def read_story_yaml(text: str):
    """The Python values of a story's YAML text; raises ``yaml.YAMLError`` (:class:`RepeatedValue` for an alias)."""
    return yaml.load(text, Loader=StoryLoader)  # noqa: S506 - a SafeLoader, without anchors and aliases
