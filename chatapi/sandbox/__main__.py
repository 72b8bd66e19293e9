"""``python -m chatapi.sandbox <vendor> ...``: the same as ``chatapi sandbox <vendor> ...``."""

import sys

from ..cli import sandbox_main

if __name__ == "__main__":
    sys.exit(sandbox_main())
