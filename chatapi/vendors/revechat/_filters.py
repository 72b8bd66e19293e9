"""REVE Chat listing filters → query parameters.

Only ``/api/chats`` documents filters (the legacy reference's Chats page, linked from
https://docs.revechat.com/developers-docs/rest/introduction): ``date_from``/``date_to``
(``yyyy-mm-dd``), ``agent_id`` (Number) and ``agent_email_id`` (String). Every listing pages
with ``page_no``, which the endpoint rows add themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._core.timeparse import to_iso_date

__all__ = [
    "AGENT_FILTERS",
    "CHAT_FILTERS",
    "OFFLINE_MESSAGE_FILTERS",
    "VISITOR_FILTERS",
    "encode_chat_filters",
]

CHAT_FILTERS = frozenset({"date_from", "date_to", "agent_id", "agent_email_id"})
OFFLINE_MESSAGE_FILTERS: frozenset[str] = frozenset()
AGENT_FILTERS: frozenset[str] = frozenset()
VISITOR_FILTERS: frozenset[str] = frozenset()


def encode_chat_filters(filters: Mapping[str, Any]) -> dict[str, str]:
    """Encode validated ``chats()`` filters; ``None`` values are left out.

    Raises:
        ValueError: For a value of the wrong kind, naming the filter, or ``date_from`` after
            ``date_to``.
    """
    params: dict[str, str] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name in ("date_from", "date_to"):
            params[name] = to_iso_date(value, name=name)
        elif name == "agent_id":
            # "agent_id: Number" (Chats page); our models give ids as strings, so both are taken.
            if isinstance(value, bool) or not isinstance(value, (int, str)) or str(value) == "":
                raise ValueError(f"agent_id must be an int or a non-empty string, got {value!r}")
            params[name] = str(value).strip()
        elif name == "agent_email_id":
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"agent_email_id must be a non-empty string, got {value!r}")
            params[name] = value.strip()
        else:  # pragma: no cover - _check_filters rejects other names first
            raise TypeError(f"unknown chats filter {name!r}")
    start, end = params.get("date_from"), params.get("date_to")
    if start and end and start > end:
        raise ValueError(f"date_from {start} is after date_to {end}")
    return params
