"""The atlas's command line (``python -m geo`` or ``./atlas geo``): one command group, one command a verb.

It sits above the data (``geo``) and the drawing (``briefing``), and imports the drawing
modules only when a command draws, so the data commands start quickly.
"""

from cli.main import build_parser, main

__all__ = ["build_parser", "main"]
