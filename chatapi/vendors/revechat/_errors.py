"""REVE Chat error bodies → :class:`~chatapi.errors.ErrorDetails` (message, code, class, wait).

The core builds the exception (:func:`chatapi.errors.build_status_error`); this module only
reads what a body says. Shapes accepted:

- 401 with the plain-text body ``Bad credentials`` under a JSON content type
  (``tests/fixtures/revechat/error_401_bad_credentials.txt``);
- 403 with plain text (``error_403_super_admin.txt``) or a body that is almost JSON, keys
  unquoted: ``{ code: 403, message: "You don't have permission ..." }``
  (``error_403_loose.txt``);
- 400/404 with ``{"error": [{"code": 400, "message": "Invalid Page Number: -2. ..."}]}``
  (``error_400_page_number.json``, ``error_404_offline_message.json``); all five from the
  offline messages page, https://docs.revechat.com/developers-docs/rest/offline-message;
- 429: "a body that details the reason for the rate limiter kicking in, and the amount of
  time you have to wait" (https://docs.revechat.com/developers-docs/rest/introduction); its
  shape is undocumented, so a wait is read from any ``retry``/``wait`` field of a JSON body, or
  from text such as "wait 30 seconds";
- the current generation's ``{"status", "message", "body"}`` envelope
  (https://www.revechat.com/hc/agents-api) with a failure status inside a 200 (shape inferred
  from the published success envelope).

Plain-text and HTML bodies without more to say are left to the core's fallback
(:func:`chatapi.errors.text_message`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ...errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ErrorDetails,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    WordingTable,
    status_error_class,
    text_message,
)

__all__ = ["envelope_error", "error_details", "wait_from_text"]

_MAX_MESSAGE = 500

#: ``key: "value"`` / ``key: 'value'`` / ``key: 123`` pairs of a JavaScript-like object literal.
_LOOSE_PAIR = re.compile(
    r"""["']?([A-Za-z_][\w-]*)["']?\s*:\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?)"""
)

#: "wait 30 seconds", "retry after 1.5 s", "try again in 2 minutes", "retry in 500 ms".
_WAIT_TEXT = re.compile(
    r"(?:wait|retry|try again|after)\D{0,30}?(\d+(?:\.\d+)?)\s*"
    r"(milliseconds?|millis|ms|seconds?|secs?|s|minutes?|mins?|m)?\b",
    re.IGNORECASE,
)

#: Envelope ``status`` values that mean failure (the success one is ``"success"``).
_FAILURE_STATUSES = frozenset({"error", "fail", "failed", "failure", "unauthorized", "forbidden"})

#: Words of an envelope's message (or code) → the error it stands for, when no HTTP-like code
#: says. The names are those the legacy reference lists for each operation ("Unauthorized",
#: "Forbidden", "InvalidPageNumber", "AgentNotFound", ...:
#: https://docs.revechat.com/developers-docs/rest/agents).
_WORDING = WordingTable.of(
    (r"rate.?limit|too many", RateLimitError),
    (
        r"unauthori[sz]ed|bad credentials|auth(?:entication|orization)? key|expired|"
        r"invalid token|invalid key",
        AuthenticationError,
    ),
    (r"forbidden|permission|not permitted|access is denied|denied", PermissionDeniedError),
    (r"not found|no record", NotFoundError),
    (r"invalid|bad request|must be", BadRequestError),
)


def _unit_factor(unit: str | None) -> float:
    if not unit:
        return 1.0
    unit = unit.lower()
    if unit.startswith("milli") or unit == "ms":
        return 0.001
    if unit.startswith("m"):
        return 60.0
    return 1.0


def wait_from_text(text: str) -> float | None:
    """Seconds to wait from a sentence such as ``"Rate limit exceeded, wait 30 seconds"``."""
    match = _WAIT_TEXT.search(text)
    if match is None:
        return None
    value = float(match.group(1)) * _unit_factor(match.group(2))
    return value if math.isfinite(value) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return wait_from_text(f"wait {value}")
    else:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _wait_from_fields(data: Mapping[str, Any]) -> float | None:
    """A wait from a field named like ``retry_after``, ``retryAfter``, ``wait``, ``wait_ms``."""
    for key, value in data.items():
        name = str(key).lower().replace("-", "_")
        if "retry" not in name and "wait" not in name:
            continue
        number = _number(value)
        if number is None:
            continue
        if name.endswith(("_ms", "ms", "millis", "milliseconds")):
            number /= 1000.0
        return number
    return None


def _loose_object(text: str) -> dict[str, Any] | None:
    """The fields of an almost-JSON object (``{code: 403, message: "..."}``), or None."""
    stripped = text.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    fields: dict[str, Any] = {}
    for key, raw in _LOOSE_PAIR.findall(stripped):
        if raw[:1] in "\"'":
            fields[key] = raw[1:-1].replace("\\" + raw[0], raw[0])
        else:
            fields[key] = float(raw) if "." in raw else int(raw)
    return fields or None


def _code(value: Any) -> str | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _clip(message: str) -> str | None:
    return message[:_MAX_MESSAGE] or None


def _from_items(items: Iterable[Any]) -> tuple[str, str | None, float | None]:
    messages: list[str] = []
    code: str | None = None
    wait: float | None = None
    for item in items:
        if isinstance(item, Mapping):
            text = item.get("message") or item.get("error") or item.get("detail")
            if text is not None:
                messages.append(str(text))
            code = code or _code(item.get("code"))
            wait = wait if wait is not None else _wait_from_fields(item)
        elif item is not None:
            messages.append(str(item))
    return "; ".join(m for m in messages if m), code, wait


def _from_mapping(data: Mapping[str, Any]) -> ErrorDetails | None:
    error = data.get("error")
    message = ""
    code: str | None = None
    wait = _wait_from_fields(data)
    if isinstance(error, list):
        # {"error": [{"code": 404, "message": "No Record found ..."}]}
        # (tests/fixtures/revechat/error_404_offline_message.json).
        message, code, item_wait = _from_items(error)
        wait = wait if wait is not None else item_wait
    elif isinstance(error, Mapping):
        message, code, item_wait = _from_items((error,))
        wait = wait if wait is not None else item_wait
    elif isinstance(error, str) and error:
        # {error: "Forbidden", message: "Not permitted"}: the error *name* the reference lists
        # ("Error 4xx: Name / Description") is the vendor's code, the description its message.
        code = error
    top = data.get("message") or data.get("description") or data.get("detail")
    if not message and isinstance(top, str) and top:
        message = top
    code = code or _code(data.get("code"))
    if not message and isinstance(error, str) and error:
        message = error
    if not message and code is None and wait is None:
        return None
    if wait is None and message:
        wait = wait_from_text(message)
    return ErrorDetails(message=_clip(message), vendor_code=code, retry_after=wait)


def _with_fallback(found: ErrorDetails, fallback: str | None) -> ErrorDetails:
    if found.message is None and fallback is not None:
        return attrs.evolve(found, message=fallback)
    return found


def error_details(data: Any, text: str, fallback: str | None = None) -> ErrorDetails:
    """What an error body says: message, vendor code and the wait it asks for.

    Args:
        data: The body decoded as JSON (None when it is not JSON).
        text: The body as text.
        fallback: The message when the body has none; None leaves the choice to the core
            (the body's text unless it is HTML, else the HTTP reason).
    """
    if isinstance(data, Mapping):
        found = _from_mapping(data)
        if found is not None:
            return _with_fallback(found, fallback)
    elif isinstance(data, list):
        message, code, wait = _from_items(data)
        if message or code:
            return ErrorDetails(
                message=_clip(message) or fallback, vendor_code=code, retry_after=wait
            )
    elif isinstance(data, str) and data.strip():
        # A JSON string ("Bad credentials" with quotes) is a plain-text message all the same.
        stripped = data.strip()
        return ErrorDetails(message=_clip(stripped), retry_after=wait_from_text(stripped))
    elif data is None:
        loose = _loose_object(text)
        if loose is not None:
            found = _from_mapping(loose)
            if found is not None:
                return _with_fallback(found, fallback)
    # Plain text (or HTML, or nothing): the core's reading, plus REVE's waits in words.
    shown = text_message(text, "")
    return ErrorDetails(
        message=shown or fallback, retry_after=wait_from_text(text) if shown else None
    )


def envelope_error(data: Any) -> ErrorDetails | None:
    """The error a 2xx body stands for, with its class hint; None for a success body.

    A failure is an envelope whose ``status`` is a failure word (``{"status": "error",
    "message": "..."}``), or an ``{"error": [...]}`` body without records. Records themselves
    carry a ``status`` too (an agent's ``"OFFLINE"``), so only failure words count. The wait
    of a body is kept for a rate-limit envelope only.
    """
    if not isinstance(data, Mapping):
        return None
    status = data.get("status")
    failed = isinstance(status, str) and status.strip().lower() in _FAILURE_STATUSES
    if status is False:
        failed = True
    if not failed and not ("error" in data and data.get("error") and "body" not in data):
        return None
    found = _from_mapping(data) or ErrorDetails()
    message = found.message or f"envelope status {status!r}"
    code = found.vendor_code
    cls: type[APIStatusError] | None = None
    if code is not None and code.isdigit() and 400 <= int(code) < 600:
        cls = status_error_class(int(code))
    if cls is None or cls is APIStatusError:
        cls = _WORDING.classify(message, code)
    cls = cls or APIStatusError
    return ErrorDetails(
        message=message,
        vendor_code=code,
        error_class=cls,
        retry_after=found.retry_after if cls is RateLimitError else None,
    )
