"""Reading TOML on every supported Python (stdlib ``tomllib`` from 3.11, ``tomli`` before)."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["load_toml"]


def load_toml(text: str) -> Any:
    """The TOML document ``text`` as Python data (raises ``ValueError`` when invalid)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]
    return tomllib.loads(text)
