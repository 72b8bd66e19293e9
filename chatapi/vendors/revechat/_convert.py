"""REVE Chat payloads → normalized models (pure functions).

Shapes accepted (fixture files are under ``tests/fixtures/revechat/``):

- agents of both generations: legacy ``"status": "Offline"``, ``"role": "Super Admin"``,
  ``"-"`` for empty strings (``agents_legacy.json``, from
  https://docs.revechat.com/developers-docs/rest/agents); current ``"status": "OFFLINE"``,
  ``"role": null``, ``departments[]`` with camelCase keys and a string ``account_id`` beside a
  numeric ``agent_id`` (``agents_current_envelope.json``, from
  https://www.revechat.com/hc/agents-api);
- offline messages with ``unread`` 0/1 and, for a single message, ``reply_messages``
  (``offline_messages_legacy.json``, ``offline_message_detail.json``, from
  https://docs.revechat.com/developers-docs/rest/offline-message);
- chats with the fields the legacy reference's Chats page lists (linked from
  https://docs.revechat.com/developers-docs/rest/introduction): the list says ``is_missed``,
  the single chat ``is_missed_chat``; the page does not show the agent's e-mail field name,
  so ``email``, ``agent_email`` and ``agent_email_id`` are all read (``chats_legacy.json``
  and ``chat_detail_current.json`` are constructed from that page);
- visitors (the Visitors page of the same reference): ``name``/``email``/``phone`` in the
  list, maybe only ``visitor_id`` and statistics in the single-visitor answer
  (``visitors_legacy.json``, ``visitor_detail.json``).

Every time is epoch milliseconds (``last_login_time`` in ``agents_legacy.json``,
``create_time`` in ``agents_current_envelope.json``); ids are numbers on the wire and strings
in the models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..._core.mapping import optional_str, required_id
from ..._core.timeparse import from_epoch_ms
from ...models import (
    Agent,
    AgentRole,
    AgentStatus,
    Chat,
    Message,
    OfflineMessage,
    Participant,
    ParticipantKind,
    Visitor,
)

__all__ = [
    "agent_from_payload",
    "chat_from_payload",
    "offline_message_from_payload",
    "visitor_from_payload",
]

VENDOR = "revechat"

# "The current status (Online/Offline)" (https://docs.revechat.com/developers-docs/rest/agents);
# the 2025 page (https://www.revechat.com/hc/agents-api) sends "OFFLINE".
_STATUSES = {
    "online": AgentStatus.ONLINE,
    "available": AgentStatus.ONLINE,
    "away": AgentStatus.AWAY,
    "busy": AgentStatus.AWAY,
    "offline": AgentStatus.OFFLINE,
}

# REVE's "Super Admin" is the account owner's role: it alone may use the REST API ("Access is
# denied! Only user with Super Admin role can access the REST API",
# tests/fixtures/revechat/error_403_super_admin.txt), so it maps to OWNER. "Admin" → ADMIN;
# plain agents → AGENT; null (agents_current_envelope.json) → UNKNOWN.
_ROLES = {
    "super admin": AgentRole.OWNER,
    "superadmin": AgentRole.OWNER,
    "super_admin": AgentRole.OWNER,
    "owner": AgentRole.OWNER,
    "admin": AgentRole.ADMIN,
    "administrator": AgentRole.ADMIN,
    "agent": AgentRole.AGENT,
    "operator": AgentRole.AGENT,
}


def _text(value: Any) -> str | None:
    """A display string, with REVE's empty markers (``""``, legacy ``"-"``) as None."""
    text = optional_str(value)
    if text is None:
        return None
    text = text.strip()
    return None if text in ("", "-") else text


def _id(value: Any) -> str | None:
    text = _text(value)
    # 0 is what a numeric column holds when no agent/visitor is linked (an unanswered chat).
    return None if text in (None, "0") else text


def _time(value: Any) -> dt.datetime | None:
    """Epoch milliseconds → UTC; 0/empty means "not happened" (a missed chat's end)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if float(value) == 0:
        return None
    return from_epoch_ms(value)


def _flag(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    text = str(value).strip().lower()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    raise ValueError(f"expected a 0/1 flag, got {value!r}")


def _full_name(payload: Mapping[str, Any]) -> str | None:
    parts = [_text(payload.get("first_name")), _text(payload.get("last_name"))]
    name = " ".join(part for part in parts if part)
    return name or None


def _department_ids(departments: Any) -> tuple[str, ...]:
    # "departments": [{"deptName": ..., "id": 4213, ...}] (current agents sample). The key set
    # is unpublished: a department without an id is skipped rather than failing the agent.
    ids = []
    for department in departments or ():
        value = department.get("id") if isinstance(department, Mapping) else department
        text = optional_str(value)
        if text is not None and text != "":
            ids.append(text)
    return tuple(ids)


def agent_from_payload(payload: Mapping[str, Any]) -> Agent:
    """Map one ``/api/agents`` row or single-agent body (either generation)."""
    agent_id = required_id(payload, "agent_id")
    status = _text(payload.get("status"))
    role = _text(payload.get("role"))
    return Agent(
        vendor=VENDOR,
        id=agent_id,
        name=_full_name(payload),
        email=_text(payload.get("email")),
        status=_STATUSES.get(status.lower(), AgentStatus.UNKNOWN)
        if status
        else AgentStatus.UNKNOWN,
        role=_ROLES.get(" ".join(role.lower().split()), AgentRole.UNKNOWN)
        if role
        else AgentRole.UNKNOWN,
        group_ids=_department_ids(payload.get("departments")),
        raw=payload,
    )


def _reply(item: Mapping[str, Any]) -> Message:
    agent_id = _id(item.get("agent_id"))
    return Message(
        id=_id(item.get("reply_message_id") or item.get("id")),
        author=Participant(
            kind=ParticipantKind.AGENT,
            id=agent_id,
            name=_full_name(item),
            email=_text(item.get("email")),
        ),
        text=optional_str(item.get("reply_message")) or "",
        created_at=_time(item.get("message_reply_time")),
    )


def _oldest_first(messages: list[Message]) -> tuple[Message, ...]:
    # The doc's reply_messages come newest first (1439628148050, 1432552096863, ...); models
    # keep conversations oldest first. Undated replies keep their place at the end.
    dated = sorted(
        ((m.created_at, n, m) for n, m in enumerate(messages) if m.created_at is not None),
        key=lambda entry: (entry[0], entry[1]),
    )
    return (*(m for _, _, m in dated), *(m for m in messages if m.created_at is None))


def offline_message_from_payload(payload: Mapping[str, Any]) -> OfflineMessage:
    """Map one ``/api/offlinemessages`` row or single-message body."""
    message_id = required_id(payload, "offline_message_id")
    unread = _flag(payload.get("unread"))
    replies = payload.get("reply_messages") or ()
    return OfflineMessage(
        vendor=VENDOR,
        id=message_id,
        visitor=Visitor(
            id=_id(payload.get("visitor_id")),
            name=_text(payload.get("visitor_name")),
            email=_text(payload.get("visitor_email")),
            phone=_text(payload.get("visitor_phone")),
        ),
        subject=_text(payload.get("subject")),
        text=optional_str(payload.get("message")) or "",
        created_at=_time(payload.get("received_time")),
        read=None if unread is None else not unread,
        replies=_oldest_first([_reply(item) for item in replies]),
        raw=payload,
    )


def _chat_message(item: Mapping[str, Any], visitor: Visitor) -> Message:
    # No transcript shape is published (the legacy Chats page shows none): read the plausible
    # keys.
    sender = str(item.get("sender_type") or item.get("user_type") or item.get("sender") or "")
    sender = sender.lower()
    if "visitor" in sender or "customer" in sender:
        author = Participant(
            kind=ParticipantKind.VISITOR, id=visitor.id, name=visitor.name, email=visitor.email
        )
    else:
        kind = ParticipantKind.AGENT if "agent" in sender else ParticipantKind.UNKNOWN
        if "bot" in sender:
            kind = ParticipantKind.BOT
        elif "system" in sender:
            kind = ParticipantKind.SYSTEM
        author = Participant(
            kind=kind,
            id=_id(item.get("agent_id")),
            name=_full_name(item) or _text(item.get("sender_name")),
            email=_text(item.get("email")),
        )
    when = item.get("time", item.get("message_time", item.get("timestamp")))
    return Message(
        id=_id(item.get("message_id") or item.get("id")),
        author=author,
        text=optional_str(item.get("message", item.get("text"))) or "",
        created_at=_time(when),
    )


def chat_from_payload(payload: Mapping[str, Any]) -> Chat:
    """Map one ``/api/chats`` row or single-chat body."""
    chat_id = required_id(payload, "chat_id")
    visitor = Visitor(
        id=_id(payload.get("visitor_id")),
        name=_text(payload.get("visitor_name")),
        email=_text(payload.get("visitor_email")),
        phone=_text(payload.get("visitor_phone")),
    )
    agents: tuple[Participant, ...] = ()
    agent_id = _id(payload.get("agent_id"))
    agent_email = next(
        (
            text
            for key in ("email", "agent_email", "agent_email_id")
            if (text := _text(payload.get(key))) is not None
        ),
        None,
    )
    if agent_id is not None or agent_email is not None:
        agents = (
            Participant(
                kind=ParticipantKind.AGENT,
                id=agent_id,
                name=_full_name(payload),
                email=agent_email,
            ),
        )
    # The list says "is_missed", the single chat "is_missed_chat" (the legacy Chats page;
    # tests/fixtures/revechat/chats_legacy.json and chat_detail_current.json).
    missed = _flag(payload.get("is_missed", payload.get("is_missed_chat")))
    started = _time(payload.get("conversation_start_time"))
    if started is None:
        # A missed chat never started a conversation: its request is when it began.
        started = _time(payload.get("chat_request_time"))
    messages = payload.get("messages") or ()
    return Chat(
        vendor=VENDOR,
        id=chat_id,
        started_at=started,
        ended_at=_time(payload.get("conversation_end_time")),
        visitor=visitor,
        agents=agents,
        messages=tuple(
            _chat_message(item, visitor) for item in messages if isinstance(item, Mapping)
        ),
        rating=_text(payload.get("rating")),
        missed=bool(missed),
        raw=payload,
    )


def visitor_from_payload(payload: Mapping[str, Any]) -> Visitor:
    """Map one ``/api/visitors`` row or single-visitor body."""
    visitor_id = required_id(payload, "visitor_id")
    return Visitor(
        id=visitor_id,
        name=_text(payload.get("name", payload.get("visitor_name"))),
        email=_text(payload.get("email", payload.get("visitor_email"))),
        phone=_text(payload.get("phone", payload.get("visitor_phone"))),
        raw=payload,
    )
