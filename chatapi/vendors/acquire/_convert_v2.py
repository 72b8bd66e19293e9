"""Acquire v2 payloads → normalized models (pure functions).

v2 (``https://{account}.acquire.io/api/v1``, camelCase, ISO-8601 times): cases, case messages,
users and contacts (https://developer.acquire.io/v/2.0.0/; samples under
``tests/fixtures/acquire/``): messages embedded in a case through ``relations=messages``,
contact fields under ``fields``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..._core.mapping import map_records
from ..._core.timeparse import UTC
from ...models import (
    Agent,
    Chat,
    Message,
    Participant,
    ParticipantKind,
    Visitor,
    _defer_messages,
)
from ._coerce import split_list, to_datetime, to_id, to_text
from ._convert_common import (
    VENDOR,
    _in_zone,
    _join_name,
    _kind,
    _person,
    _required_id,
    _role,
    _status,
)

__all__ = ["v2_agent", "v2_chat", "v2_message", "v2_visitor"]


# -- v2 --------------------------------------------------------------------------------------


def _v2_sender(payload: Mapping[str, Any], kind: ParticipantKind) -> Participant:
    sender = payload.get("sender")
    if type(sender) is not dict and not isinstance(sender, Mapping):
        sender = {}
    get = sender.get
    return _person(
        kind,
        to_id(payload.get("senderId")) or to_id(get("id")),
        to_text(get("name")) or _join_name(get("firstName"), get("lastName")),
        to_text(get("email")) or None,
    )


def v2_message(payload: Mapping[str, Any], tz: dt.tzinfo = dt.timezone.utc) -> Message:
    """Map one v2 case message (``/api/v1/crm/objects/case-message/{id}`` or a case relation).

    ``"type": "event"`` rows ("X just joined this thread.") are system messages whoever sent
    them (v2 webhook sample).
    """
    message_id = _required_id(payload, "id")
    kind = _kind(payload.get("senderType"))
    row_type = payload.get("type", "")
    if row_type != "message" and str(row_type).lower() == "event":
        kind = ParticipantKind.SYSTEM
    return Message(
        id=message_id,
        author=_v2_sender(payload, kind),
        text=to_text(payload.get("message")) or "",
        created_at=to_datetime(payload.get("dateCreated"), tz),
    )


def _v2_contact(contact: Any, fallback_id: Any) -> Visitor:
    if not isinstance(contact, Mapping):
        return Visitor(id=to_id(fallback_id))
    fields = contact.get("fields")
    fields = fields if isinstance(fields, Mapping) else {}
    return Visitor(
        id=to_id(contact.get("id")) or to_id(fallback_id),
        name=to_text(fields.get("name")) or to_text(contact.get("name")) or None,
        email=to_text(fields.get("email")) or to_text(contact.get("email")) or None,
        phone=to_text(fields.get("phone")) or to_text(contact.get("phone")) or None,
    )


def _names(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list):
        return tuple(split_list(items))
    names = []
    for item in items:
        if isinstance(item, Mapping):
            text = to_text(item.get("name")) or to_id(item.get("id"))
        else:
            text = to_text(item)
        if text:
            names.append(text)
    return tuple(names)


def _v2_case_agents(payload: Mapping[str, Any]) -> tuple[Participant, ...]:
    people: dict[str, Participant] = {}
    for entry in payload.get("users") or ():
        if not isinstance(entry, Mapping) or _kind(entry.get("type")) is not ParticipantKind.AGENT:
            continue
        user = entry.get("user")
        user = user if isinstance(user, Mapping) else {}
        agent_id = to_id(entry.get("userId")) or to_id(user.get("id"))
        key = agent_id or str(len(people))
        people.setdefault(
            key,
            _person(
                ParticipantKind.AGENT,
                agent_id,
                to_text(user.get("name"))
                or _join_name(user.get("firstName"), user.get("lastName")),
                to_text(user.get("email")) or None,
            ),
        )
    owner = to_id(payload.get("userId"))
    if owner and owner not in people:
        people[owner] = _person(ParticipantKind.AGENT, owner, None, None)
    return tuple(people.values())


def _v2_rating(feedbacks: Any) -> str | None:
    if not isinstance(feedbacks, list):
        return None
    for item in reversed(feedbacks):
        if isinstance(item, Mapping):
            for key in ("rating", "feedbackRating", "score"):
                text = to_text(item.get(key))
                if text is not None:
                    return text
    return None


# Closing states meaning nobody answered: only "handled" is documented (the case attribute
# table of https://developer.acquire.io/v/2.0.0/rest-apis/conversation/conversation-or-cases);
# the others are our guess at its counterparts.
_MISSED_STATES = frozenset({"missed", "unhandled", "unanswered", "offline"})


def v2_chat(payload: Mapping[str, Any], tz: dt.tzinfo = dt.timezone.utc) -> Chat:
    """Map one v2 case (``/api/v1/crm/objects/case``), messages included when related.

    Related messages are mapped from ``raw`` on first access of ``messages`` (a malformed one
    raises ``ResponseFormatError`` then).
    """
    case_id = _required_id(payload, "id")
    items = payload.get("messages")
    # A list of messages (the documented relation) is mapped on first access, from raw; any
    # other value is mapped (and fails) at once as before.
    deferred = type(items) is list and bool(items)
    messages = () if deferred else tuple(v2_message(item, tz) for item in items or ())
    departments = payload.get("departmentId", payload.get("departmentList"))
    chat = Chat(
        vendor=VENDOR,
        id=case_id,
        started_at=to_datetime(payload.get("dateCreated"), tz)
        or to_datetime(payload.get("dateQueue"), tz)
        or to_datetime(payload.get("datePending"), tz),
        ended_at=to_datetime(payload.get("dateClosed"), tz),
        visitor=_v2_contact(payload.get("contact"), payload.get("contactId")),
        agents=_v2_case_agents(payload),
        messages=messages,
        tags=_names(payload.get("tags")),
        rating=_v2_rating(payload.get("feedbacks")),
        group_ids=tuple(split_list(departments))
        if not isinstance(departments, list)
        else _names(departments),
        missed=str(payload.get("closingState") or "").lower() in _MISSED_STATES,
        raw=payload,
    )
    return _defer_messages(chat, _in_zone(_v2_transcript, tz)) if deferred else chat


def _v2_transcript(chat: Chat, tz: dt.tzinfo = UTC) -> tuple[Message, ...]:
    # The loader of a deferred v2 transcript: the case's raw payload is the case as sent.
    return map_records(
        lambda item: v2_message(item, tz), chat.raw["messages"], vendor=VENDOR, kind="case message"
    )


def v2_agent(payload: Mapping[str, Any]) -> Agent:
    """Map one v2 account user (``/api/v1/account/user``)."""
    user_id = _required_id(payload, "id")
    roles = payload.get("roles")
    role_names = _names(roles) if isinstance(roles, list) else ()
    departments = payload.get("departments", payload.get("departmentList"))
    return Agent(
        vendor=VENDOR,
        id=user_id,
        name=to_text(payload.get("name"))
        or _join_name(payload.get("firstName"), payload.get("lastName")),
        email=to_text(payload.get("email")),
        status=_status(payload.get("availability", payload.get("onlineStatus"))),
        role=_role(payload.get("role"), *role_names),
        group_ids=_names(departments),
        raw=payload,
    )


def v2_visitor(payload: Mapping[str, Any]) -> Visitor:
    """Map one v2 contact (``/api/v1/crm/objects/contact``)."""
    contact = _v2_contact(payload, _required_id(payload, "id"))
    return Visitor(
        id=contact.id, name=contact.name, email=contact.email, phone=contact.phone, raw=payload
    )
