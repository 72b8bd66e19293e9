"""Collecting parameters whose names may repeat."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["group_repeated"]


def group_repeated(
    pairs: Iterable[tuple[str, Any]], into: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``pairs`` as a mapping (added to ``into``); a repeated name collects a list of values."""
    document: dict[str, Any] = {} if into is None else into
    for name, value in pairs:
        if name in document:
            held = document[name]
            document[name] = [*held, value] if isinstance(held, list) else [held, value]
        else:
            document[name] = value
    return document
