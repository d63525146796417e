"""Entry point for ``python -m geo``: the atlas's command line, which lives in the ``cli`` package above."""

import sys

from cli import main

sys.exit(main())
