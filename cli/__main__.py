"""Entry point for ``python -m cli`` (the same as ``python -m geo``)."""

import sys

from cli import main

sys.exit(main())
