"""Records of the LiveChat REST API v2 configuration resources and tickets.

Public as :mod:`chatapi.livechat`. Frozen attrs classes with no I/O: the converters in
``_convert_config`` and ``_convert_tickets`` build them from payloads
(https://developers.livechat.com/docs/ , REST API v2 reference). Ids are strings, datetimes
timezone-aware UTC, and each top-level record keeps the exact payload in ``raw`` (left out of
equality and repr). Mapping-valued fields take part in equality but not in the hash, so the
records stay hashable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ...models import Participant, _OpenEnum, _raw_field

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


def _mapping_field() -> Any:
    # Compared, never hashed: a dict cannot be hashed, and equal records must hash equal.
    return attrs.field(factory=dict, hash=False)


class GoalType(_OpenEnum):
    """What makes a goal successful."""

    CUSTOM_VARIABLE = "custom_variable"
    URL = "url"
    API = "api"
    SALES_TRACKER = "sales_tracker"
    UNKNOWN = "unknown"


class AvailabilityStatus(_OpenEnum):
    """A group's availability, from its agents' statuses."""

    ACCEPTING_CHATS = "accepting chats"
    NOT_ACCEPTING_CHATS = "not accepting chats"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


class TicketStatus(_OpenEnum):
    """Where a ticket stands."""

    OPEN = "open"
    PENDING = "pending"
    SOLVED = "solved"
    SPAM = "spam"
    UNKNOWN = "unknown"


class WebhookEventType(_OpenEnum):
    """When a webhook is sent."""

    CHAT_STARTED = "chat_started"
    CHAT_ENDED = "chat_ended"
    CHAT_CHANGED = "chat_changed"
    VISITOR_QUEUED = "visitor_queued"
    TICKET_CREATED = "ticket_created"
    CANNED_RESPONSE_CHANGED = "canned_response_changed"
    UNKNOWN = "unknown"


class LiveChatStatus(_OpenEnum):
    """Whether the chat (of a group) is online: the answer of ``GET /status``."""

    ONLINE = "online"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class CannedResponse:
    """A prepared answer agents insert into chats.

    Attributes:
        id: The canned response's id.
        group_id: The group it belongs to (``"0"``: every agent).
        text: The answer's text.
        tags: The tags (shortcuts) it is found by.
        created_at: When it was created (UTC).
        created_by: Login of its author.
        modified_at: When it was last changed (UTC); None when never changed.
        modified_by: Login of whoever changed it last.
        raw: The exact payload.
    """

    id: str
    group_id: str | None = None
    text: str = ""
    tags: tuple[str, ...] = ()
    created_at: dt.datetime | None = None
    created_by: str | None = None
    modified_at: dt.datetime | None = None
    modified_by: str | None = None
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class Goal:
    """A goal whose successes are counted for chats.

    Attributes:
        id: The goal's id.
        name: Its name.
        type: What makes it successful.
        active: Whether it is enabled.
        settings: The type's extra keys (``url``/``match_type``, ``custom_variable_name``/
            ``custom_variable_value``, the sales tracker's keys), as sent.
        raw: The exact payload.
    """

    id: str
    name: str | None = None
    type: GoalType = GoalType.UNKNOWN
    active: bool = True
    settings: Mapping[str, Any] = _mapping_field()
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class GreetingRule:
    """One condition of a greeting.

    Attributes:
        type: The rule (``visit_time_site``, ``url_current``, ``custom_variable``,
            ``url_funnel``, ...).
        id: The rule's id, once saved.
        operator: ``equals``, ``greater_than``, ``contains``, ...
        condition: How it combines with the other rules (``and``).
        value: The value compared (numbers as text).
        variable_name: A ``custom_variable`` rule's variable.
        variable_value: A ``custom_variable`` rule's value (as text).
        urls: A ``url_funnel`` rule's pages, each ``{"url", "operator"}``.
    """

    type: str
    id: str | None = None
    operator: str | None = None
    condition: str | None = None
    value: str | None = None
    variable_name: str | None = None
    variable_value: str | None = None
    urls: tuple[Mapping[str, Any], ...] = attrs.field(default=(), hash=False)


@attrs.frozen(kw_only=True)
class Greeting:
    """A message offered to visitors when its rules are met.

    Attributes:
        id: The greeting's id.
        name: Its name in the settings (visitors do not see it).
        active: Whether it is enabled.
        rules: The conditions, all of which must be met.
        message: The greeting's text (``properties["greeting-message_text"]``).
        properties: The greeting's properties, as sent.
        group_id: The group it is shown for, when the payload says.
        raw: The exact payload.
    """

    id: str
    name: str | None = None
    active: bool = True
    rules: tuple[GreetingRule, ...] = ()
    message: str | None = None
    properties: Mapping[str, Any] = _mapping_field()
    group_id: str | None = None
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class Group:
    """A group of agents.

    Attributes:
        id: The group's id (``"0"``: all agents).
        name: Its name.
        language: The chat window's language code.
        agent_ids: Logins of its members (empty for group 0, which has every agent).
        status: Whether its agents accept chats now.
        raw: The exact payload.
    """

    id: str
    name: str | None = None
    language: str | None = None
    agent_ids: tuple[str, ...] = ()
    status: AvailabilityStatus = AvailabilityStatus.UNKNOWN
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class Tag:
    """A tag agents put on chats and tickets, defined per group.

    Attributes:
        name: The tag.
        group_id: The group it is defined in.
        author: Login of whoever created it.
        created_at: When it was created (UTC).
        chats_count: How many chats carry it.
        tickets_count: How many tickets carry it.
        raw: The exact payload.
    """

    name: str
    group_id: str | None = None
    author: str | None = None
    created_at: dt.datetime | None = None
    chats_count: int | None = None
    tickets_count: int | None = None
    raw: Mapping[str, Any] = _raw_field()

    @property
    def id(self) -> str:
        """``"<group_id>:<name>"``: a name is unique only within its group."""
        return f"{self.group_id}:{self.name}"


@attrs.frozen(kw_only=True)
class TicketMessage:
    """A message in a ticket.

    Attributes:
        author: Who wrote it (the requester as a visitor, or an agent).
        text: The message.
        is_private: Whether it is an agents-only note.
        created_at: When it was written (UTC).
        source: Where it came from (``mail``, ``lc2``, ``chat-window``, ...).
        raw: The event's exact payload.
    """

    author: Participant
    text: str = ""
    is_private: bool = False
    created_at: dt.datetime | None = None
    source: str | None = None
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class TicketAssigneeChanged:
    """A ticket was handed to another agent.

    Attributes:
        author: Who reassigned it.
        assignee: The agent it went to (the event's ``to``).
        created_at: When (UTC).
        raw: The event's exact payload.
    """

    author: Participant | None = None
    assignee: Participant | None = None
    created_at: dt.datetime | None = None
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class TicketUnknownEvent:
    """A ticket event of a type this library does not model; its payload is in ``raw``.

    Attributes:
        type: The event's ``type`` as sent (``""`` when it has none).
        created_at: When (UTC), if the event says.
        raw: The event's exact payload.
    """

    type: str
    created_at: dt.datetime | None = None
    raw: Mapping[str, Any] = _raw_field()


#: One entry of :attr:`Ticket.events`.
TicketEvent = TicketMessage | TicketAssigneeChanged | TicketUnknownEvent


@attrs.frozen(kw_only=True)
class Ticket:
    """A support ticket (a case handled by e-mail rather than in a chat).

    Attributes:
        id: The ticket's id (``"5FUED"``).
        subject: Its subject.
        status: Where it stands.
        requester: The customer who raised it (a visitor; ``id`` and ``email`` are the mail).
        assignee: The agent it is assigned to, if any.
        group_ids: Groups it belongs to.
        tags: Tags put on it.
        source: Where it came from (``source.type``: ``mail``, ``lc2``, ``chat-window``, ...).
        opened_at: When it was (first) opened (UTC).
        modified_at: When it last changed (UTC).
        first_response_at: When an agent first answered (UTC); None when nobody has.
        events: Its history, oldest first as sent.
        raw: The exact payload.
    """

    id: str
    subject: str | None = None
    status: TicketStatus = TicketStatus.UNKNOWN
    requester: Participant
    assignee: Participant | None = None
    group_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str | None = None
    opened_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    first_response_at: dt.datetime | None = None
    events: tuple[TicketEvent, ...] = ()
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class Webhook:
    """A webhook (push notification) registered on the license.

    Attributes:
        id: The webhook's id (32 hex digits).
        event_type: When it is sent.
        data_types: What it carries (``chat``, ``visitor``, ``pre_chat_survey``, ``ticket``,
            ``canned_response``).
        url: Where it is sent.
        verified: Whether the endpoint is verified, when the payload says.
        license_id: The license it belongs to.
        token: The token sent along with each delivery: a credential, never in the repr.
        raw: The exact payload (holds the token too; never in the repr).
    """

    id: str
    event_type: WebhookEventType = WebhookEventType.UNKNOWN
    data_types: tuple[str, ...] = ()
    url: str = ""
    verified: bool | None = None
    license_id: str | None = None
    token: str = attrs.field(default="", repr=False)
    raw: Mapping[str, Any] = _raw_field()
