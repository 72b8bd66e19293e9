"""Acquire error answers → the error hierarchy.

Acquire documents no failure body for either generation (research notes §2.1, §2.2):

- v1 wraps every answer in ``{"success", "error", "data"}``; a failure is expected to be
  ``{"success": false, "error": <string or object>, "data": null}``, possibly with HTTP 200.
  The v1 README also promises JSON:API-style ``{"errors": [{"status", "title", "details"}]}``.
- v2 names error *type codes* (``ERROR_INVALID_INPUT`` ... ``ERROR_SERVER_ERROR``,
  rest-apis/introduction/interrelated.md on the 2.0.0 branch) without showing where they sit in
  the body; we look for them in ``error``, ``error.type``/``error.code``, ``type``, ``code``
  and ``errors[]``.

All those shapes are accepted for both generations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from ...errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    status_error_class,
)

__all__ = ["VendorError", "envelope_error", "error_class_for", "http_error", "redact"]

#: v2 type codes (interrelated.md). ERROR_RECORD_NOT_FOUND is documented with HTTP 400 (and the
#: odd description "No credentials in the request body"); its name says "not found", so it maps
#: to NotFoundError while the error keeps the real status.
V2_CODES: Mapping[str, type[APIStatusError]] = {
    "ERROR_INVALID_INPUT": BadRequestError,
    "ERROR_RECORD_NOT_FOUND": NotFoundError,
    "ERROR_DUPLICATE_RECORD_FOUND": ConflictError,
    "ERROR_UNAUTHORIZED": AuthenticationError,
    "ERROR_UNAUTHORIZED_ACCESS": PermissionDeniedError,
    "ERROR_SERVER_ERROR": ServerError,
}

# v1 gives no codes: the message's wording picks the class (checked in this order).
_WORDING: tuple[tuple[re.Pattern[str], type[APIStatusError]], ...] = (
    (re.compile(r"permission|forbidden|not allowed|access denied", re.I), PermissionDeniedError),
    (
        re.compile(r"unauthori[sz]ed|unauthenticated|authenticat|token|api key|login", re.I),
        AuthenticationError,
    ),
    (re.compile(r"not found|no record|does not exist|not exist", re.I), NotFoundError),
    (re.compile(r"too many|rate limit|throttl", re.I), RateLimitError),
    (re.compile(r"duplicate|already exists", re.I), ConflictError),
    (re.compile(r"internal|server error|try again later", re.I), ServerError),
)

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
_SECRET_VALUE = re.compile(rb'("secret_key"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)')

#: vendor_code of a ``success: false`` envelope that names no code of its own.
SUCCESS_FALSE = "success_false"


@attrs.frozen
class VendorError:
    """What an error body says: message, vendor code and the class it asks for (if any)."""

    message: str
    code: str | None
    error_class: type[APIStatusError] | None


def redact(body: bytes) -> bytes:
    """The body with every ``secret_key`` value replaced (errors keep the body for diagnosis)."""
    return _SECRET_VALUE.sub(rb'\1"***"', body)


def error_class_for(code: str | None, message: str, status: Any = None) -> type[APIStatusError]:
    """The class an envelope error stands for (its HTTP status is 200, so the body decides).

    Args:
        code: The vendor's code (a v2 ``ERROR_*`` type, a v1 code string).
        message: The vendor's message.
        status: A status the body states itself (JSON:API ``errors[].status``), if any.
    """
    if code is not None and code in V2_CODES:
        return V2_CODES[code]
    stated = _as_status(status) or _as_status(code)
    if stated is not None and stated >= 400:
        return status_error_class(stated)
    for pattern, cls in _WORDING:
        if pattern.search(message) or (code is not None and pattern.search(code)):
            return cls
    return BadRequestError


def _as_status(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 100 <= value <= 599 else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
        return number if 100 <= number <= 599 else None
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _from_object(error: Mapping[str, Any]) -> tuple[str | None, str | None, Any]:
    code = _text(error.get("type")) or _text(error.get("code"))
    message = (
        _text(error.get("message"))
        or _text(error.get("detail"))
        or _text(error.get("details"))
        or _text(error.get("title"))
    )
    return message, code, error.get("status")


def _json_api(errors: list[Any]) -> VendorError:
    messages = []
    first_code: str | None = None
    first_status: Any = None
    for item in errors:
        if isinstance(item, Mapping):
            message, code, status = _from_object(item)
            title = _text(item.get("title"))
            if title and message and title != message:
                message = f"{title}: {message}"
            if message:
                messages.append(message)
            first_code = first_code or code
            first_status = first_status if first_status is not None else status
        elif (text := _text(item)) is not None:
            messages.append(text)
            if first_code is None and _CODE.match(text):
                first_code = text
    message = "; ".join(messages) or "error"
    code = first_code or (_text(first_status) if first_status is not None else None)
    return VendorError(message, code, error_class_for(first_code, message, first_status))


def parse_error(data: Any) -> VendorError | None:
    """The error a decoded body describes, or None when it describes none."""
    if not isinstance(data, Mapping):
        return None
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        return _json_api(errors)
    error = data.get("error")
    failed = data.get("success") in (False, 0, "0", "false")
    if isinstance(error, Mapping) and error:
        message, code, status = _from_object(error)
        message = message or code or "error"
        return VendorError(message, code, error_class_for(code, message, status))
    if isinstance(error, str) and error.strip():
        text = error.strip()
        code = text if _CODE.match(text) else None
        message = _text(data.get("message")) or text
        return VendorError(message, code, error_class_for(code, message))
    top_code = _text(data.get("type")) or _text(data.get("code"))
    if top_code is not None and (top_code in V2_CODES or top_code.startswith("ERROR_")):
        message = _text(data.get("message")) or top_code
        return VendorError(message, top_code, error_class_for(top_code, message))
    if failed:
        message = _text(data.get("message")) or "request failed (success: false)"
        return VendorError(message, None, error_class_for(None, message))
    return None


def envelope_error(data: Any) -> VendorError | None:
    """The error inside a 2xx answer (``success: false``, JSON:API ``errors``, ``ERROR_*``).

    A 2xx body with both ``data`` and an ``error``/``errors`` but without ``success: false``
    is a success (v1 success bodies carry ``"error": null``).
    """
    if not isinstance(data, Mapping):
        return None
    failed = data.get("success") in (False, 0, "0", "false")
    if not failed and data.get("data") is not None:
        return None
    found = parse_error(data)
    if found is not None and failed and found.code is None:
        return attrs.evolve(found, code=SUCCESS_FALSE)
    return found


def http_error(data: Any, text: str, fallback: str) -> VendorError:
    """The message and code of an HTTP error answer (class left to its status)."""
    found = parse_error(data)
    if found is not None:
        return found
    stripped = text.strip()
    if stripped and not stripped.startswith("<"):
        return VendorError(stripped[:500], None, None)
    return VendorError(fallback, None, None)
