"""``python -m sahel_atlas``: the same as the ``sahel-atlas`` command."""

import sys

from sahel_atlas.command import main

sys.exit(main())
