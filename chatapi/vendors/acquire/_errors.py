"""Acquire error answers → the error hierarchy.

Acquire documents no failure body for either generation:

- v1 wraps every answer in ``{"success", "error", "data"}`` (every example of
  https://developer.acquire.io/); a failure is expected to be ``{"success": false, "error":
  <string or object>, "data": null}``, possibly with HTTP 200. The v1 README also promises
  JSON:API-style ``{"errors": [{"status", "title", "details"}]}``.
- v2 names error *type codes* (``ERROR_INVALID_INPUT`` ... ``ERROR_SERVER_ERROR``,
  https://developer.acquire.io/v/2.0.0/rest-apis/introduction/interrelated) without showing
  where they sit in the body; we look for them in ``error``, ``error.type``/``error.code``,
  ``type``, ``code`` and ``errors[]``.

All those shapes are accepted for both generations. The readers here only say what a body
holds (:class:`~chatapi.errors.ErrorDetails`); the core builds the exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import attrs

from ...errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetails,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    WordingTable,
    status_error_class,
)

__all__ = ["envelope_error", "error_class_for", "http_error", "redact"]

#: v2 type codes (the interrelated page above). ERROR_RECORD_NOT_FOUND is documented with
#: HTTP 400 (and the odd description "No credentials in the request body"); its name says "not
#: found", so it hints NotFoundError (the core applies it to the 400; the error keeps its status).
V2_CODES: Mapping[str, type[APIStatusError]] = {
    "ERROR_INVALID_INPUT": BadRequestError,
    "ERROR_RECORD_NOT_FOUND": NotFoundError,
    "ERROR_DUPLICATE_RECORD_FOUND": ConflictError,
    "ERROR_UNAUTHORIZED": AuthenticationError,
    "ERROR_UNAUTHORIZED_ACCESS": PermissionDeniedError,
    "ERROR_SERVER_ERROR": ServerError,
}

# v1 gives no codes: the message's wording picks the class (checked in this order).
WORDING = WordingTable.of(
    (r"permission|forbidden|not allowed|access denied", PermissionDeniedError),
    (r"unauthori[sz]ed|unauthenticated|authenticat|token|api key|login", AuthenticationError),
    (r"not found|no record|does not exist|not exist", NotFoundError),
    (r"too many|rate limit|throttl", RateLimitError),
    (r"duplicate|already exists", ConflictError),
    (r"internal|server error|try again later", ServerError),
)

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
_SECRET_VALUE = re.compile(rb'("secret_key"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)')

#: vendor_code of a ``success: false`` envelope that names no code of its own.
SUCCESS_FALSE = "success_false"


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
    return WORDING.classify(message, code) or BadRequestError


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


def _json_api(errors: list[Any]) -> ErrorDetails:
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
    return ErrorDetails(
        message=message,
        vendor_code=code,
        error_class=error_class_for(first_code, message, first_status),
    )


def parse_error(data: Any) -> ErrorDetails | None:
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
        return ErrorDetails(
            message=message, vendor_code=code, error_class=error_class_for(code, message, status)
        )
    if isinstance(error, str) and error.strip():
        text = error.strip()
        code = text if _CODE.match(text) else None
        message = _text(data.get("message")) or text
        return ErrorDetails(
            message=message, vendor_code=code, error_class=error_class_for(code, message)
        )
    top_code = _text(data.get("type")) or _text(data.get("code"))
    if top_code is not None and (top_code in V2_CODES or top_code.startswith("ERROR_")):
        message = _text(data.get("message")) or top_code
        return ErrorDetails(
            message=message, vendor_code=top_code, error_class=error_class_for(top_code, message)
        )
    if failed:
        message = _text(data.get("message")) or "request failed (success: false)"
        return ErrorDetails(message=message, error_class=error_class_for(None, message))
    return None


def envelope_error(data: Any) -> ErrorDetails | None:
    """The error inside a 2xx answer (``success: false``, JSON:API ``errors``, ``ERROR_*``).

    A 2xx body with both ``data`` and an ``error``/``errors`` but without ``success: false``
    is a success (v1 success bodies carry ``"error": null``). The class hint decides (the
    status is 2xx); ``body`` is the answer with every ``secret_key`` redacted.
    """
    if not isinstance(data, Mapping):
        return None
    failed = data.get("success") in (False, 0, "0", "false")
    if not failed and data.get("data") is not None:
        return None
    found = parse_error(data)
    if found is None:
        return None
    if failed and found.vendor_code is None:
        found = attrs.evolve(found, vendor_code=SUCCESS_FALSE)
    return attrs.evolve(
        found,
        error_class=found.error_class or BadRequestError,
        # The decoded answer, written back as JSON: the error keeps it without the secrets.
        body=redact(json.dumps(data, ensure_ascii=False, default=str).encode()),
    )


def http_error(data: Any, text: str) -> ErrorDetails:
    """What an HTTP error answer says: message, code and, for a v2 ``ERROR_*`` code, the
    class it asks for (the core applies it to a 4xx other than 429: ``ERROR_RECORD_NOT_FOUND``
    comes with 400). Other answers are classed by their status; ``body`` is redacted."""
    body = redact(text.encode())
    found = parse_error(data)
    if found is not None:
        code = found.vendor_code
        hint = V2_CODES.get(code) if code is not None else None
        return attrs.evolve(found, error_class=hint, body=body)
    # No known shape: the core takes the (redacted) text, or the reason for an HTML page.
    return ErrorDetails(body=body)
