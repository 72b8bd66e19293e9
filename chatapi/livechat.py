"""Records of the LiveChat REST API v2 configuration resources and tickets.

Canned responses, goals, greetings, groups, tags, tickets (with typed events) and webhooks,
as the LiveChat client's configuration and ticket operations return them. Every record is a
frozen attrs class: ids are strings, datetimes timezone-aware UTC, enums open (an unknown
value becomes ``UNKNOWN``), and each top-level record keeps the exact payload in ``raw``.
"""

from __future__ import annotations

from .vendors.livechat._types import (
    AvailabilityStatus,
    CannedResponse,
    Goal,
    GoalType,
    Greeting,
    GreetingRule,
    Group,
    LiveChatStatus,
    Tag,
    Ticket,
    TicketAssigneeChanged,
    TicketEvent,
    TicketMessage,
    TicketStatus,
    TicketUnknownEvent,
    Webhook,
    WebhookEventType,
)

__all__ = [
    "AvailabilityStatus",
    "CannedResponse",
    "Goal",
    "GoalType",
    "Greeting",
    "GreetingRule",
    "Group",
    "LiveChatStatus",
    "Tag",
    "Ticket",
    "TicketAssigneeChanged",
    "TicketEvent",
    "TicketMessage",
    "TicketStatus",
    "TicketUnknownEvent",
    "Webhook",
    "WebhookEventType",
]
