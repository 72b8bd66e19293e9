"""An event as one JSON-safe record (a line of ``chatapi listen``), credentials blanked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._core.converters import to_dict
from .._registry import vendor_spec
from ._model import Event

__all__ = ["event_record", "redact"]

REDACTED = "***"


def redact(value: Any, keys: Iterable[str]) -> Any:
    """``value`` with every mapping entry under one of ``keys`` (at any depth) blanked."""
    names = frozenset(keys)
    if not names:
        return value

    def clean(item: Any) -> Any:
        if isinstance(item, Mapping):
            return {k: REDACTED if k in names else clean(v) for k, v in item.items()}
        if isinstance(item, list):
            return [clean(v) for v in item]
        return item

    return clean(value)


def event_record(event: Event) -> dict[str, Any]:
    """The event as JSON-safe data: every field, the payload under ``raw``, the vendor's
    webhook credentials (its spec's ``webhook_secret_keys``) blanked everywhere."""
    record = to_dict(event)
    keys = vendor_spec(event.vendor).webhook_secret_keys
    cleaned: dict[str, Any] = redact(record, keys)
    return cleaned
