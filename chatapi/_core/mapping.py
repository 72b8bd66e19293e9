"""Guarding vendor payload mappers: any shape problem becomes a typed ResponseFormatError."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ..errors import ResponseFormatError

__all__ = ["map_records", "optional_str", "required_id"]

T = TypeVar("T")


def map_records(
    mapper: Callable[[Any], T], payloads: Iterable[Any], *, vendor: str, kind: str
) -> tuple[T, ...]:
    """Map each payload with ``mapper``; a missing or malformed field raises one typed error.

    Raises:
        ResponseFormatError: Naming the field when a required one is missing (``field`` set).
    """
    try:
        return tuple(mapper(payload) for payload in payloads)
    except KeyError as exc:
        field = str(exc.args[0]) if exc.args else "?"
        raise ResponseFormatError(
            f"{vendor} {kind} payload lacks the required field {field!r}",
            vendor=vendor,
            field=field,
        ) from exc
    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ResponseFormatError(
            f"{vendor} {kind} payload is malformed: {type(exc).__name__}: {exc}", vendor=vendor
        ) from exc


def optional_str(value: Any) -> str | None:
    """A vendor value as text, None staying None (numbers become their decimal string)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise TypeError(f"expected a string or a number, got {type(value).__name__}")


def required_id(payload: Any, key: str) -> str:
    """The id under ``key`` as text.

    Raises:
        KeyError: Naming ``key`` when the id is missing, null or blank: :func:`map_records`
            turns it into a ``ResponseFormatError`` with ``field`` set.
    """
    text = optional_str(payload[key])
    if text is None or not text.strip():
        raise KeyError(key)
    return text.strip()
