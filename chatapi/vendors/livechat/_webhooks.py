"""LiveChat v2 webhook payloads -> :class:`chatapi.events.Event` (pure: no I/O, no aiohttp).

A v2 webhook is flat JSON: ``event_type``, ``token``, ``license_id`` and the data types the
webhook asked for (``chat``, ``visitor``, ``pre_chat_survey``, ``ticket``,
``canned_response``); https://developers.livechat.com/docs/ "Webhooks v2 reference
(deprecated)". Recorded payloads add ``event_unique_id``, ``lc_version``, ``chat.agents`` as
``[{name, login}]``, ``chat.groups``, ``chat.url`` and ``chat.referer``
(``tests/fixtures/samples/livechat_v2-webhook-*.json`` hold the documented examples).

Tolerant by design: keys it does not know are ignored (they stay in ``Event.raw``), an event
name it does not know is ``EventKind.UNKNOWN``, and a part that is absent, or of a type it
cannot read, is None. Only a token that does not match the configured ones raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ...events import (
    Event,
    EventKind,
    WebhookContext,
    WebhookVerificationError,
    matches_any,
    readable_part,
)
from ...models import Chat, Visitor
from ._convert import chat_from_payload
from ._convert_config import canned_response_from_payload
from ._convert_tickets import ticket_from_payload
from ._types import CannedResponse, Ticket
from ._values import VENDOR, text

__all__ = ["parse_livechat_webhook"]

T = TypeVar("T")

# The six v2 event types (https://developers.livechat.com/docs/, Webhooks v2 reference).
_KINDS = {
    "chat_started": EventKind.CHAT_STARTED,
    "chat_ended": EventKind.CHAT_ENDED,
    "chat_changed": EventKind.CHAT_CHANGED,
    "visitor_queued": EventKind.VISITOR_QUEUED,
    "ticket_created": EventKind.TICKET_CREATED,
    "canned_response_changed": EventKind.CANNED_RESPONSE_CHANGED,
}


def parse_livechat_webhook(data: Mapping[str, Any], context: WebhookContext) -> Event:
    """Turn one decoded LiveChat v2 webhook payload into an :class:`Event`.

    The chat is mapped by the converter of the ``/chats`` listing, so a chat delivered by
    webhook equals the one ``GET /chats/<id>`` gives where the two payloads carry the same
    facts (a webhook carries no rating, for one).

    Args:
        data: The decoded JSON body.
        context: The request's context; ``context.secrets`` are the webhook tokens the body's
            ``token`` must match (LiveChat v2 signs nothing: the token is all it offers).

    Returns:
        The event; ``dedupe_key`` is ``event_unique_id`` when the payload has one, else the
        hash of the body.

    Raises:
        WebhookVerificationError: Tokens were configured and the body's ``token`` is none
            of them.
    """
    verified: tuple[str, ...] = ()
    if context.secrets:
        token = data.get("token")
        if not matches_any(token if isinstance(token, str) else None, context.secrets):
            raise WebhookVerificationError(
                "the LiveChat webhook's token matches none of the configured ones", vendor=VENDOR
            )
        verified = ("token",)
    name = data.get("event_type")
    name = name if isinstance(name, str) else ""
    kind = _KINDS.get(name, EventKind.UNKNOWN)
    visitor_payload = data.get("visitor")
    chat = _part(lambda payload: _chat(payload, visitor_payload), data.get("chat"), "chat")
    visitor = _part(_visitor, visitor_payload, "visitor")
    ticket = _part(ticket_from_payload, data.get("ticket"), "ticket")
    canned = _part(canned_response_from_payload, data.get("canned_response"), "canned response")
    unique_id = data.get("event_unique_id")
    return Event(
        vendor=context.vendor,
        kind=kind,
        name=name,
        occurred_at=_occurred_at(name, chat, ticket, canned),
        dedupe_key=unique_id if isinstance(unique_id, str) and unique_id else context.dedupe_key,
        chat=chat,
        visitor=visitor,
        ticket=ticket,
        canned_response=canned,
        verified=verified,
        raw=data,
    )


def _part(convert: Callable[[Mapping[str, Any]], T], value: Any, part: str) -> T | None:
    """``convert(value)`` for an object; None when absent, not an object, or unreadable."""
    if not isinstance(value, Mapping):
        return None
    return readable_part(convert, value, vendor=VENDOR, part=part)


def _visitor(payload: Mapping[str, Any]) -> Visitor:
    # {"id", "name", "email", "custom_variables": [...]} (Webhooks v2 reference); recorded
    # ones add country, city, page_current... (kept in raw).
    return Visitor(
        id=text(payload.get("id")),
        name=text(payload.get("name")),
        email=text(payload.get("email")),
        raw=payload,
    )


def _chat(payload: Mapping[str, Any], visitor: Any) -> Chat:
    """The webhook's chat through the listing converter.

    The webhook sends the visitor beside the chat, not in it: it is put under ``visitor`` as
    ``/chats`` records carry it. Recorded webhooks list everyone who took part under
    ``agents`` (``[{name, login}]``), where ``/chats`` lists supervisors apart: an agent whose
    every message is a supervisor's (``user_type: "supervisor"``, whispered) is listed as one.
    """
    record = dict(payload)
    if "visitor" not in record and isinstance(visitor, Mapping):
        record["visitor"] = {
            "id": visitor.get("id"),
            "name": text(visitor.get("name")),
            "email": text(visitor.get("email")),
        }
    agents = record.get("agents")
    if "supervisors" not in record and isinstance(agents, list):
        supervisors = _supervisor_logins(record.get("messages"))
        if supervisors:
            record["agents"] = [a for a in agents if _login(a) not in supervisors]
            record["supervisors"] = [a for a in agents if _login(a) in supervisors]
    return chat_from_payload(record)


def _login(agent: Any) -> str | None:
    if not isinstance(agent, Mapping):
        return None
    return text(agent.get("login", agent.get("email")))


def _supervisor_logins(messages: Any) -> set[str]:
    if not isinstance(messages, list):
        return set()
    roles: dict[str, set[str]] = {}
    for item in messages:
        if isinstance(item, Mapping):
            login = text(item.get("agent_id"))
            if login is not None:
                roles.setdefault(login, set()).add(str(item.get("user_type")))
    return {login for login, kinds in roles.items() if kinds == {"supervisor"}}


def _occurred_at(
    name: str, chat: Chat | None, ticket: Ticket | None, canned: CannedResponse | None
) -> dt.datetime | None:
    if chat is not None and name == "chat_started":
        return chat.started_at
    if chat is not None and name == "chat_ended":
        return chat.ended_at
    if ticket is not None and name == "ticket_created":
        return ticket.opened_at or next(
            (e.created_at for e in ticket.events if e.created_at is not None), None
        )
    if canned is not None and name == "canned_response_changed":
        return canned.modified_at or canned.created_at
    return None
