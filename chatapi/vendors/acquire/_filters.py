"""Acquire listing filters: accepted names per generation and their encoding.

Filter values are validated and turned into the string parameters the pagers carry; the
clients turn those into form fields (v1) or query parameters (v2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "V1_CAPABILITIES",
    "V2_CAPABILITIES",
    "encode_filters",
]

#: v1 docs show ``limit`` 10-50 (profile list), 20 (threads), 25 (agents); v2 shows 2 (cases).
DEFAULT_PAGE_SIZE = 25
#: No documented maximum; keep pages modest so a silently capped page is unlikely.
MAX_PAGE_SIZE = 100

V1_CAPABILITIES: Mapping[str, frozenset[str]] = {
    "chats": frozenset({"visitor_id", "include_messages", "page_size"}),
    "offline_messages": frozenset({"visitor_id", "page_size"}),
    "agents": frozenset({"sort_by", "order", "page_size"}),
    "visitors": frozenset({"master", "page_size"}),
}

V2_CAPABILITIES: Mapping[str, frozenset[str]] = {
    "chats": frozenset(
        {"status", "channel", "contact_id", "where", "include_messages", "page_size"}
    ),
    "agents": frozenset({"status", "where", "page_size"}),
    "visitors": frozenset({"where", "page_size"}),
}

_FLAGS = frozenset({"include_messages"})
_ORDERS = frozenset({"asc", "desc"})


def _scalar(name: str, value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a string or an int, got a bool")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError(f"{name} must be a non-empty string or an int, got {type(value).__name__}")


def encode_filters(filters: Mapping[str, Any]) -> dict[str, str | tuple[str, ...]]:
    """Validate filter values and encode them as strings; ``None`` values are left out.

    ``page_size`` becomes an int string in 1..100, flags ``"1"``/``"0"``, ``where`` a tuple of
    conditions (``"status|eq|active"``), ``order`` ``asc``/``desc``.

    Raises:
        ValueError: For a value of the wrong kind, naming the filter.
    """
    params: dict[str, str | tuple[str, ...]] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name == "page_size":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"page_size must be an int, got {type(value).__name__}")
            if not 1 <= value <= MAX_PAGE_SIZE:
                raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {value}")
            params[name] = str(value)
        elif name in _FLAGS:
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be a bool, got {type(value).__name__}")
            params[name] = "1" if value else "0"
        elif name == "where":
            conditions = (value,) if isinstance(value, str) else tuple(value)
            if not conditions or not all(
                isinstance(c, str) and c.count("|") >= 2 for c in conditions
            ):
                raise ValueError("where takes conditions like 'status|eq|active' (a str or a list)")
            params[name] = conditions
        elif name == "order":
            text = _scalar(name, value).lower()
            if text not in _ORDERS:
                raise ValueError(f"order must be 'asc' or 'desc', got {value!r}")
            params[name] = text
        else:
            params[name] = _scalar(name, value)
    return params
