"""The ``sahel-atlas`` command: the dashboard, the data command line and the version, from any folder.

    sahel-atlas [app] [--processes N] [STREAMLIT OPTIONS]   the dashboard (http://localhost:8501)
    sahel-atlas geo COMMAND …                               the data command line (python -m geo)
    sahel-atlas --version

The dashboard is Streamlit run on the installed ``app.py`` (:data:`geo.app_files.APP_DIR`):
Streamlit reads the ``.streamlit/config.toml`` beside that script and serves the ``static/``
folder beside it, whatever the current folder, so the current folder stays the user's (files
named on the command line are found where the user means).
"""

from __future__ import annotations

import os
import sys

from sahel_atlas import __version__

__all__ = ["main", "USAGE"]

USAGE = """usage: sahel-atlas [app] [--processes N] [streamlit options, e.g. --server.port 8502]
       sahel-atlas geo COMMAND …   (sahel-atlas geo --help lists the commands)
       sahel-atlas --version"""


def _run_app(arguments: list[str]) -> int:
    from geo.app_files import APP_DIR, STATIC_DIR

    if any(argument == "--processes" or argument.startswith("--processes=") for argument in arguments):
        from cli.serve import main as serve

        return serve(arguments)
    # The app writes Leaflet and the basemap into the folder Streamlit serves: say so at once
    # rather than show a map that cannot load.
    if not os.access(STATIC_DIR if STATIC_DIR.exists() else APP_DIR, os.W_OK):
        print(
            f"sahel-atlas: cannot write {STATIC_DIR}, where the app keeps the files the map loads; "
            "install Sahel Atlas into an environment you can write to (a virtual environment, or pip --user)",
            file=sys.stderr,
        )
        return 1
    from streamlit.web import cli as streamlit_cli

    from ui import warm_up

    warm_up.start()  # the dashboard's code loads while the server starts and the browser opens the page
    sys.argv = ["streamlit", "run", str(APP_DIR / "app.py"), "--server.headless", "true", *arguments]
    return streamlit_cli.main(prog_name="streamlit")


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    first = arguments[0] if arguments else "app"
    if first in ("--version", "-V"):
        print(f"sahel-atlas {__version__}")
        return 0
    if first in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if first == "geo":
        from cli import main as data_command

        return data_command(arguments[1:])
    if first == "app":
        return _run_app(arguments[1:])
    if first.startswith("-"):  # streamlit options straight away: the dashboard
        return _run_app(arguments)
    print(f"{USAGE}\nsahel-atlas: error: unknown command {first!r}", file=sys.stderr)
    return 2
