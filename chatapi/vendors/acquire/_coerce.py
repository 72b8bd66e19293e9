"""Acquire's loose value encoding → Python values (pure functions).

Acquire sends numbers, booleans and nulls as strings in many places: ``"user_id": "3518"``
and ``"chat_ids": "1877,2139"`` (v1 thread sample), ``"seen": "seen"`` (Profile Message API),
``"seen": "yes"``/``"no"`` and ``"caseId": "6"`` (v2 docs), ``"isBlocked": "NO"`` (v2 contact
list), ``"chat_wait_time": "null"`` and ``"translate_form_show": "false"`` (v1 webhooks);
samples under ``tests/fixtures/acquire/`` and https://developer.acquire.io/.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..._core.timeparse import UTC, parse_datetime

__all__ = ["is_null", "split_list", "to_bool", "to_datetime", "to_id", "to_int", "to_text"]

_NULLS = frozenset({"", "null", "none", "undefined"})
_TRUE = frozenset({"1", "true", "yes", "y", "seen", "read", "on"})
_FALSE = frozenset({"0", "false", "no", "n", "unseen", "unread", "off"})

# MySQL's zero date, which PHP back ends like v1's send for "never".
_ZERO_DATES = frozenset({"0000-00-00 00:00:00", "0000-00-00"})

_fromisoformat = dt.datetime.fromisoformat

# JavaScript Date.toString(): "Wed Mar 03 2021 10:19:49 GMT+0000 (Coordinated Universal Time)"
# (v2 webhook sample, samples/acquire_v2-webhook-case-status_*.json).
_JS_DATE = re.compile(
    r"^[A-Z][a-z]{2} (?P<rest>[A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}) GMT(?P<off>[+-]\d{4})"
)


# These coercions run several times per message of a bulk listing (the hot path of mapping):
# each tests `type(x) is str/int` first, the types JSON decoding gives, before the general
# checks, which take every other value the same way as before.


def _null_text(text: str) -> bool:
    # Only text that strips to at most 9 characters ("undefined") can be a null word: longer
    # text with no surrounding whitespace (message bodies, names) skips the strip-and-lowercase
    # copy. (Lowercasing never shortens a string, and strip() and isspace() agree on what
    # whitespace is.)
    if len(text) > 9 and not text[0].isspace() and not text[-1].isspace():
        return False
    return text.strip().lower() in _NULLS


def is_null(value: Any) -> bool:
    """Whether a vendor value means "no value" (None, ``""``, ``"null"``, ...)."""
    return value is None or (isinstance(value, str) and _null_text(value))


def to_bool(value: Any) -> bool | None:
    """A vendor flag (``1``, ``"1"``, ``"yes"``, ``"seen"``, ``true``, ...) as a bool.

    Returns:
        None for null-like or unrecognized values (a flag we cannot read is not "false").
    """
    if type(value) is int:  # v1's "offline_chat": 0 (thread sample)
        return value != 0
    if is_null(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def to_int(value: Any) -> int | None:
    """A vendor number (``4``, ``"4"``, ``"4.0"``) as an int; None for null-like values.

    Raises:
        ValueError: For text that is not a number.
    """
    if is_null(value):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            return int(float(text))
    raise ValueError(f"expected a number, got {type(value).__name__}")


def to_id(value: Any) -> str | None:
    """A vendor id (int or string, ``"null"`` meaning none) as a string."""
    if type(value) is int:  # v2's ids ("id": 854, "senderId": 12)
        return str(value)
    if type(value) is str:  # v1's ("user_id": "3518")
        return None if _null_text(value) else value.strip()
    if is_null(value):
        return None
    if isinstance(value, bool):
        raise ValueError("expected an id, got a boolean")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    raise ValueError(f"expected an id, got {type(value).__name__}")


def to_text(value: Any) -> str | None:
    """A vendor text field; None for JSON null and ``"null"``, numbers as decimal text."""
    if type(value) is str:
        return None if _null_text(value) else value
    if is_null(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"expected text, got {type(value).__name__}")


def split_list(value: Any) -> list[str]:
    """A comma-separated string (``"1877,2139"``) or a list as a list of non-empty strings."""
    if is_null(value):
        return []
    if isinstance(value, (list, tuple)):
        return [text for item in value if (text := to_id(item))]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    raise ValueError(f"expected a list, got {type(value).__name__}")


def to_datetime(value: Any, tz: dt.tzinfo = UTC) -> dt.datetime | None:
    """A vendor time as an aware UTC datetime; naive values are taken to be in ``tz``.

    Accepts ISO-8601 (``...Z``), ``YYYY-MM-DD HH:MM:SS``, ``DD-MM-YYYY hh:mm:ss AM`` (v1
    ``first_visit``), JavaScript ``Date.toString()`` (v2 webhooks) and epoch seconds.

    Raises:
        ValueError: For text in no known format.
    """
    if type(value) is str and isinstance(tz, dt.tzinfo):
        # The formats Acquire sends for nearly every time, v2's ISO-8601 with "Z"
        # ("2021-04-13T05:22:19.000Z", case docs) and v1's "2018-07-23 13:45:50" (thread
        # sample), are ISO forms that fromisoformat reads as they are: what it accepts
        # unchanged, the general path below (strip, "Z" as +00:00, fromisoformat first) reads
        # the same way. Anything it rejects (nulls, zero dates, JS dates, padded text, other
        # formats; "Z" before Python 3.11) takes the general path.
        try:
            parsed = _fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=tz)
            return parsed.astimezone(UTC)
    if is_null(value):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a time, got a boolean")
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(float(value), UTC)
    if not isinstance(value, str):
        raise ValueError(f"expected a time, got {type(value).__name__}")
    text = value.strip()
    if text in _ZERO_DATES:
        return None
    js = _JS_DATE.match(text)
    if js is not None:
        parsed = dt.datetime.strptime(f"{js['rest']} {js['off']}", "%b %d %Y %H:%M:%S %z")
        return parsed.astimezone(UTC)
    return parse_datetime(text, assume=tz)
