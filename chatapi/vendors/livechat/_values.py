"""Tolerant readers of LiveChat v2 payload values, shared by the config and ticket converters.

The REST API v2 reference (https://developers.livechat.com/docs/) shows ids and counts as
numbers, flags as ``1``/``true``/``"1"`` and times as epoch seconds; recorded ticket payloads
carry ISO times instead (``tests/fixtures/livechat/config/ticket_iso_dates.json``). Each reader
accepts every form and maps an absent or empty value to None.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..._core.mapping import optional_str
from ..._core.timeparse import UTC, from_epoch_seconds, parse_datetime
from ...errors import ResponseFormatError

__all__ = [
    "VENDOR",
    "converter",
    "count",
    "flag",
    "mapping",
    "record_id",
    "text",
    "texts",
    "when",
]

VENDOR = "livechat"

T = TypeVar("T")


def record_id(payload: Any, key: str, kind: str) -> str:
    """The identifying value under ``key`` as text.

    Raises:
        ResponseFormatError: ``payload`` is not a mapping, or ``key`` is missing, null or blank
            (``field`` names ``key``).
    """
    if not isinstance(payload, Mapping):
        raise ResponseFormatError(
            f"{VENDOR} {kind} payload must be an object, got {type(payload).__name__}",
            vendor=VENDOR,
            field=key,
        )
    value = payload.get(key)
    ident = optional_str(value) if isinstance(value, (str, int, float)) else None
    if ident is None or not ident.strip():
        raise ResponseFormatError(
            f"{VENDOR} {kind} payload lacks the required field {key!r}",
            vendor=VENDOR,
            field=key,
        )
    return ident.strip()


def converter(kind: str) -> Callable[[Callable[[Any], T]], Callable[[Any], T]]:
    """Turn any shape error of a converter into a ``ResponseFormatError`` about ``kind``."""

    def decorate(convert: Callable[[Any], T]) -> Callable[[Any], T]:
        @functools.wraps(convert)
        def guarded(payload: Any) -> T:
            try:
                return convert(payload)
            except ResponseFormatError:
                raise
            except KeyError as exc:
                field = str(exc.args[0]) if exc.args else None
                raise ResponseFormatError(
                    f"{VENDOR} {kind} payload lacks the field {field!r}",
                    vendor=VENDOR,
                    field=field,
                ) from exc
            except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                raise ResponseFormatError(
                    f"{VENDOR} {kind} payload is malformed: {type(exc).__name__}: {exc}",
                    vendor=VENDOR,
                ) from exc

        return guarded

    return decorate


def text(value: Any) -> str | None:
    """A string or number as text; None, ``""`` and odd values (lists, objects) as None."""
    if value is None or isinstance(value, (Mapping, list, tuple)):
        return None
    result = optional_str(value)
    return result or None


def texts(values: Any) -> tuple[str, ...]:
    """A list (or one value) of strings, numbers or ``{"id": ...}`` objects as texts."""
    if values is None or values == "":
        return ()
    if not isinstance(values, (list, tuple)):
        values = [values]
    out = []
    for value in values:
        item = text(value.get("id")) if isinstance(value, Mapping) else text(value)
        if item is not None:
            out.append(item)
    return tuple(out)


def mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a mapping, else an empty one (absent or ``[]`` parts)."""
    return value if isinstance(value, Mapping) else {}


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def flag(value: Any, default: bool | None = None) -> bool | None:
    """``true``/``1``/``"1"``/``"true"`` as True, their opposites as False, else ``default``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return default


def count(value: Any) -> int | None:
    """A count sent as a number or a numeric string; None when absent.

    Raises:
        ValueError: When it is not a number.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(float(value))


def when(value: Any) -> dt.datetime | None:
    """Epoch seconds (number or numeric string) or an ISO-8601 string as UTC.

    A naive ISO value is taken as UTC. Absent, ``""`` and ``0`` are None.

    Raises:
        ValueError: When it is neither.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return from_epoch_seconds(value) if value else None
    if isinstance(value, str):
        stripped = value.strip()
        try:
            seconds = float(stripped)
        except ValueError:
            return parse_datetime(stripped, assume=UTC)
        return from_epoch_seconds(seconds) if seconds else None
    raise ValueError(f"expected epoch seconds or an ISO-8601 string, got {type(value).__name__}")
