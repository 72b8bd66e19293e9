"""``python -m chatapi``: the ``chatapi`` command line."""

import sys

from .cli import main

sys.exit(main())
