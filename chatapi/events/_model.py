"""The event a webhook (or a poll) reports, and the errors of receiving one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import ChatAPIError
from ..models import Chat, OfflineMessage, Visitor, _OpenEnum

__all__ = [
    "Event",
    "EventKind",
    "WebhookContext",
    "WebhookError",
    "WebhookVerificationError",
]


class EventKind(_OpenEnum):
    """What happened. Open: a vendor's new event name is ``UNKNOWN``, its payload kept."""

    CHAT_STARTED = "chat_started"
    CHAT_ENDED = "chat_ended"
    CHAT_CHANGED = "chat_changed"
    CHAT_ACCEPTED = "chat_accepted"
    MESSAGE_RECEIVED = "message_received"
    VISITOR_QUEUED = "visitor_queued"
    TICKET_CREATED = "ticket_created"
    CANNED_RESPONSE_CHANGED = "canned_response_changed"
    CASE_STATUS_CHANGED = "case_status_changed"
    AGENT_STATUS_CHANGED = "agent_status_changed"
    #: A visitor left a message while nobody was available (reported by polling).
    OFFLINE_MESSAGE_RECEIVED = "offline_message_received"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class Event:
    """One thing that happened at a vendor, from a webhook or a poll.

    Attributes:
        vendor: The vendor it came from.
        kind: What happened (``EventKind.UNKNOWN`` for an event name chatapi does not know).
        name: The vendor's own name for it (``chat_started``, ``CHAT_ON_START``,
            ``case:status``), as sent.
        occurred_at: When it happened (UTC), when the payload says.
        dedupe_key: The vendor's event id when it sends one, else a stable hash of the body:
            a redelivered event has the same key.
        chat: The chat, mapped by the same converter as the vendor's listings, when the
            payload carries one.
        visitor: The visitor, when the payload carries one.
        ticket: The ticket (a vendor type such as ``chatapi.livechat.Ticket``), if any.
        canned_response: The canned response (a vendor type), if any.
        offline_message: The offline message, for ``OFFLINE_MESSAGE_RECEIVED``.
        verified: What was checked before the event was trusted: ``"signature"``,
            ``"basic_auth"``, ``"token"``, ``"fetch_back"`` (empty: nothing could be).
        duplicate: Whether a dedupe cache had seen ``dedupe_key`` before.
        raw: The payload as received (decoded JSON).
    """

    vendor: str
    kind: EventKind
    name: str
    occurred_at: dt.datetime | None = None
    dedupe_key: str
    chat: Chat | None = None
    visitor: Visitor | None = None
    ticket: object | None = None
    canned_response: object | None = None
    offline_message: OfflineMessage | None = None
    verified: tuple[str, ...] = ()
    duplicate: bool = False
    raw: Any = attrs.field(factory=dict, eq=False, repr=False)


class WebhookError(ChatAPIError):
    """A webhook body chatapi cannot read (not JSON, not an object)."""


class WebhookVerificationError(WebhookError):
    """A webhook failed verification: its signature, credentials or token do not match."""


@attrs.frozen(kw_only=True)
class WebhookContext:
    """What a vendor's webhook parser gets besides the decoded payload.

    Attributes:
        vendor: The vendor name.
        body: The body exactly as received (signatures are over bytes).
        headers: The request headers, names lower-cased.
        secrets: What the receiver was configured to check against (an HMAC key, a webhook
            token), each a candidate (key rotation); empty when none was given.
        dedupe_key: The stable hash of the body, for vendors without an event id.
    """

    vendor: str
    body: bytes = attrs.field(repr=False)
    headers: Mapping[str, str] = attrs.field(repr=False)
    secrets: tuple[str, ...] = attrs.field(repr=False)
    dedupe_key: str
