"""LiveChat v2 listing filters and their encoding (REST API v2 reference, "Archives" and
"Agents", https://developers.livechat.com/docs/): dates as ``YYYY-MM-DD``, flags as ``1``/``0``,
``tag`` as the repeated ``tag[]`` parameter."""

from __future__ import annotations

from ...filters import Date, FilterSet, Flag, Repeated, Text

__all__ = ["AGENT_FILTERS", "CHAT_FILTERS", "OFFLINE_MESSAGE_FILTERS"]

CHAT_FILTERS = FilterSet(
    {
        "date_from": Date(),
        "date_to": Date(),
        "type": Text(),
        "visitor_id": Text(),
        "query": Text(),
        "agent": Text(),
        "group": Text(),
        "goal": Text(),
        "has_goal": Flag(),
        "rate": Text(),
        "timezone": Text(),
        "include_pending": Flag(),
        "tag": Repeated("tag[]"),
        "tagged": Flag(),
        "sale": Text(),
        "has_sale": Flag(),
        "queued": Flag(),
        "comment": Flag(),
        "city": Text(),
        "region": Text(),
        "country": Text(),
    }
)
OFFLINE_MESSAGE_FILTERS = FilterSet(
    {"date_from": Date(), "date_to": Date(), "skill": Text(), "query": Text()}
)
AGENT_FILTERS = FilterSet({"status": Text()})
