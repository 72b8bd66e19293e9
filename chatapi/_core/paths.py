"""Putting caller-supplied ids into URL paths safely."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["path_segment"]


def path_segment(value: str | int) -> str:
    """Quote an id as exactly one URL path segment.

    ``/``, ``?``, ``#``, spaces and non-ASCII are percent-encoded, so an id can never change
    the path's shape or add a query.

    Raises:
        ValueError: For an empty id, ``.`` or ``..`` (they would address another resource).
    """
    text = str(value)
    if text in {"", ".", ".."}:
        raise ValueError(f"invalid id for a URL path segment: {text!r}")
    return quote(text, safe="")
