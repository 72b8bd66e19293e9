"""LiveChat v2 listing filters → query parameters (REST API v2 reference, "Archives" and
"Agents", https://developers.livechat.com/docs/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._core.timeparse import to_iso_date

__all__ = ["AGENT_FILTERS", "CHAT_FILTERS", "OFFLINE_MESSAGE_FILTERS", "encode_filters"]

_DATE = frozenset({"date_from", "date_to"})
_FLAGS = frozenset({"has_goal", "include_pending", "tagged", "has_sale", "queued", "comment"})
_LISTS = {"tag": "tag[]"}

CHAT_FILTERS = frozenset(
    {
        "date_from",
        "date_to",
        "type",
        "visitor_id",
        "query",
        "agent",
        "group",
        "goal",
        "has_goal",
        "rate",
        "timezone",
        "include_pending",
        "tag",
        "tagged",
        "sale",
        "has_sale",
        "queued",
        "comment",
        "city",
        "region",
        "country",
    }
)
OFFLINE_MESSAGE_FILTERS = frozenset({"date_from", "date_to", "skill", "query"})
AGENT_FILTERS = frozenset({"status"})


def encode_filters(filters: Mapping[str, Any]) -> dict[str, str | tuple[str, ...]]:
    """Encode validated filter values as LiveChat expects them.

    Dates become ``YYYY-MM-DD``, flags ``1``/``0``, ``tag`` the repeated ``tag[]`` parameter;
    ``None`` values are left out.

    Raises:
        ValueError: For a value of the wrong kind, naming the filter.
    """
    params: dict[str, str | tuple[str, ...]] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name in _DATE:
            params[name] = to_iso_date(value, name=name)
        elif name in _FLAGS:
            if value not in (True, False, 0, 1, "0", "1"):
                raise ValueError(f"{name} must be a bool (or 1/0), got {value!r}")
            params[name] = "1" if value in (True, 1, "1") else "0"
        elif name in _LISTS:
            values = (value,) if isinstance(value, (str, int)) else tuple(value)
            params[_LISTS[name]] = tuple(str(v) for v in values)
        elif isinstance(value, bool):
            params[name] = "1" if value else "0"
        elif isinstance(value, (str, int)):
            params[name] = str(value)
        else:
            raise ValueError(f"{name} must be a string or an int, got {type(value).__name__}")
    return params
