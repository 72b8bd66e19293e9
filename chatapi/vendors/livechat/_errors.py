"""LiveChat v2 error bodies → what they say (the core builds the exception).

The v2 reference only says errors are "JSON-formatted" (REST API v2 reference, "Error
handling", https://developers.livechat.com/docs/). LiveChat's own PHP client reads
``{"error": "..."}`` or ``{"errors": ["...", ...]}``, and the v3 APIs send
``{"error": {"type", "message", "data"}}`` (same site, Agent Chat API "Possible errors"): all
are accepted. Plain-text and HTML bodies are left to the core's fallback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..._core.bodies import decode_error_body
from ...errors import ErrorDetails

__all__ = ["error_details", "misdirected_region"]

_REGION = re.compile(r"\b(dal|fra)\b")


def _join(items: Any) -> str:
    parts = []
    for item in items:
        if isinstance(item, Mapping):
            text = item.get("message") or item.get("title") or item.get("detail")
            parts.append(str(text) if text is not None else str(dict(item)))
        else:
            parts.append(str(item))
    return "; ".join(part[:1].upper() + part[1:] for part in parts if part)


def error_details(data: Any) -> ErrorDetails | None:
    """The message and vendor code of a decoded error body (None: the body is not one of the
    known shapes, and the core falls back to its text)."""
    if not isinstance(data, Mapping):
        return None
    error = data.get("error")
    if isinstance(error, str) and error:
        return ErrorDetails(message=error)
    if isinstance(error, Mapping):
        message = error.get("message") or error.get("title")
        code = error.get("type") or error.get("code")
        return ErrorDetails(
            message=str(message) if message else None,
            vendor_code=str(code) if code is not None else None,
        )
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        return ErrorDetails(message=_join(errors))
    if isinstance(errors, Mapping) and errors:
        return ErrorDetails(message=_join(f"{k}: {v}" for k, v in errors.items()))
    result = data.get("message")
    if isinstance(result, str) and result:
        return ErrorDetails(message=result)
    return None


def misdirected_region(status: int, vendor_code: str | None, body: str | None) -> str | None:
    """The data center a "Misdirected request" answer points to, if the answer is one.

    The v2 body is undocumented; the v3 one is ``{"error": {"type": "misdirected_request",
    "message": "Wrong region", "data": {"region": "dal"}}}``
    (https://developers.livechat.com/docs/, "Data centers").
    """
    text = body or ""
    if status != 421 and vendor_code != "misdirected_request" and "isdirected" not in text:
        return None
    data, _ = decode_error_body(text.encode())
    if isinstance(data, Mapping):
        error = data.get("error")
        for holder in (error.get("data") if isinstance(error, Mapping) else None, error, data):
            if isinstance(holder, Mapping) and isinstance(holder.get("region"), str):
                return str(holder["region"])
    match = _REGION.search(text)
    return match.group(1) if match else None
