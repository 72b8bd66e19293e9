"""REVE Chat listing filters → query parameters.

Only ``/api/chats`` documents filters (the legacy reference's Chats page, linked from
https://docs.revechat.com/developers-docs/rest/introduction): ``date_from``/``date_to``
(``yyyy-mm-dd``), ``agent_id`` (Number) and ``agent_email_id`` (String). Every listing pages
with ``page_no``, which the endpoint rows add themselves.
"""

from __future__ import annotations

from ...filters import Date, FilterSet, Identifier, dates_in_order

__all__ = ["AGENT_FILTERS", "CHAT_FILTERS", "OFFLINE_MESSAGE_FILTERS", "VISITOR_FILTERS"]

CHAT_FILTERS = FilterSet(
    {
        "date_from": Date(),
        "date_to": Date(),
        # "agent_id: Number" (Chats page); our models give ids as strings, so both are taken.
        "agent_id": Identifier(),
        "agent_email_id": Identifier(),
    },
    check=dates_in_order(),
)
OFFLINE_MESSAGE_FILTERS = FilterSet()
AGENT_FILTERS = FilterSet()
VISITOR_FILTERS = FilterSet()
