"""Reading vendors' error bodies: JSON when it is JSON, text otherwise."""

from __future__ import annotations

from typing import Any

from . import jsonlib

__all__ = ["decode_error_body"]


def decode_error_body(body: bytes) -> tuple[Any, str]:
    """The decoded JSON of an error body (None when not JSON) and its text."""
    text = body.decode("utf-8", "replace")
    try:
        return jsonlib.loads(body), text
    except jsonlib.JSONDecodeError:
        return None, text
