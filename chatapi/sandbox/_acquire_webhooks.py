"""Acquire webhook payloads the sandbox POSTs in live mode, both generations.

v1 (https://developer.acquire.io/ "Webhook API", events ``CHAT_ON_START`` ... ``CHAT_ON_CLOSE``):
unsigned. ``CHAT_ON_START`` wraps its data, whose chat id key is literally ``" id"`` (a leading
space) and a number, as in ``tests/fixtures/samples/acquire_v1-webhook-chat-on-start_*.json``;
``CHAT_ON_CLOSE`` is flat with every value a string (numbers, ``"null"``, ``"false"``, nested
JSON), as in the documented "On Chat Close" example. Ids are those of the v1 listings: ``id``
is the thread row's ``chat_id``, ``thread_id`` its ``thread_id``, ``visitor_id`` the profile's.

v2 (https://developer.acquire.io/v/2.0.0/ "Webhook API"): ``{"event", "data": {caseId,
status, fields, contact{id, fields}, messages[...]}}`` with string ids and JavaScript
``Date.toString()`` dates (``tests/fixtures/samples/acquire_v2-webhook-case-status_*.json``),
signed with ``x-acquire-signature`` = hex HMAC-SHA256(key, body) ("Securing webhook"). A new
case sends ``case:new`` (status ``pending``), then ``case:status`` (status ``closed``, as the
case listing serves it). ``caseId``/``contact.id``/message ids are the REST ids of the same
case, contact and case messages.

Chosen where Acquire documents nothing: the released chat is already over, so both events
carry every message; v1 ``CHAT_ON_CLOSE`` says ``"status": "closed"`` (the thread's status).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._live import Live, Outgoing
    from .acquire import AcquireApp

__all__ = ["encode", "js_date", "live_events", "sign", "v1_close", "v1_start", "v2_case"]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def js_date(ts: int) -> str:
    """JavaScript ``Date.prototype.toString()`` of ``ts`` in UTC, e.g. ``Wed Mar 03 2021
    10:19:49 GMT+0000 (Coordinated Universal Time)`` (locale-independent)."""
    t = dt.datetime.fromtimestamp(ts, dt.timezone.utc)
    return (
        f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day:02d} {t.year:04d} "
        f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} GMT+0000 (Coordinated Universal Time)"
    )


def encode(body: Mapping[str, Any]) -> bytes:
    """Compact JSON, byte for byte what JavaScript's ``JSON.stringify(body)`` gives (so the
    signature matches over the raw body and over a re-serialisation alike)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def sign(key: str, body: bytes) -> str:
    """The ``x-acquire-signature`` value: hex HMAC-SHA256 of ``body`` with ``key``."""
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def v1_start(app: AcquireApp, index: int) -> dict[str, Any]:
    """``CHAT_ON_START`` for chat ``index`` (wrapped, with the ``" id"`` key)."""
    from .acquire import _V1_CHAT_ID, _naive

    chat = app.dataset.chat(index)
    visitor = app.dataset.visitor(chat.visitor)
    return {
        "data": {
            " id": _V1_CHAT_ID + index,
            "details": {
                "name": visitor.name,
                "email": visitor.email,
                "phone": visitor.phone,
                "remarks": "",
                "meta": "_by:visitor",
            },
            "status": "pending",
            "date_created": _naive(chat.started),
            "date_updated": _naive(chat.started),
            "department_id": "",
        },
        "event": "CHAT_ON_START",
    }


def v1_close(app: AcquireApp, index: int) -> dict[str, Any]:
    """``CHAT_ON_CLOSE`` for chat ``index`` (flat, every value a string)."""
    from .acquire import (
        _V1_ACCOUNT,
        _V1_CHAT_ID,
        _V1_THREAD_ID,
        _V1_USER_ID,
        _V1_VISITOR_ID,
        _naive,
    )

    data = app.dataset
    chat = data.chat(index)
    visitor = data.visitor(chat.visitor)
    thread = app.v1_thread(index)
    agent = data.agents[chat.agent] if chat.agent is not None else None
    users: dict[str, Any] = {
        "visitor": {
            "name": visitor.name,
            "email": visitor.email,
            "phone": visitor.phone,
            "remarks": "",
            "meta": "_by:visitor",
            "fields": {},
            "tags": {},
            "custom_fields": [],
        }
    }
    if agent is not None:
        users = {
            "agent": {
                "name": agent.name,
                "email": agent.email,
                "photo": None,
                "role": "Operator",
                "clients": {
                    f"agent-{_V1_USER_ID + agent.index}-web-1": {"name": "web", "online": True}
                },
            },
            **users,
        }
    wait = thread["chat_wait_time"]
    return {
        "id": str(_V1_CHAT_ID + index),
        "thread_id": str(_V1_THREAD_ID + index),
        "account_id": str(_V1_ACCOUNT),
        "session_id": str(_V1_VISITOR_ID + chat.visitor),
        "room_id": hashlib.md5(f"{app.seed}:room:{index}".encode()).hexdigest(),
        "visitor_id": str(_V1_VISITOR_ID + chat.visitor),
        "type": "text",
        "comments": "[]",
        "chat_notes": "{}",
        "chat_wait_time": str(wait) if agent is not None else "null",
        "chat_duration": str(chat.ended - chat.started),
        "status": "closed",
        "translate_to": "en",
        "account_translate_language": "",
        "translate_form_show": "false",
        "date_created": _naive(chat.started),
        "date_updated": _naive(chat.ended),
        "department_id": "",
        "past_comment": "[]",
        "past_chat": "[]",
        "translation_mode": "false",
        "users": json.dumps(users, separators=(",", ":"), ensure_ascii=False),
        "by": f"agent-{_V1_USER_ID + agent.index}" if agent is not None else "",
        "ahead_chats": "0",
        "ahead_time": "0",
        "date_picked": _naive(chat.started + wait) if agent is not None else "null",
        "event": "CHAT_ON_CLOSE",
    }


def v2_case(app: AcquireApp, index: int, event: str, status: str) -> dict[str, Any]:
    """A v2 case event (``case:new``, ``case:status``) for chat ``index``."""
    chat = app.dataset.chat(index)
    contact = app.v2_contact_payload(chat.visitor)["fields"]
    messages = []
    for message in chat.messages:
        row = app.v2_message_payload(index, message.index)
        messages.append(
            {
                "id": str(row["id"]),
                "channel": row["channel"],
                "senderId": str(row["senderId"]),
                "senderType": row["senderType"],
                "type": row["type"],
                "message": row["message"],
                "seen": row["seen"],
                "dateCreated": js_date(message.timestamp),
            }
        )
    return {
        "event": event,
        "data": {
            "caseId": str(index + 1),
            "status": status,
            "fields": {},
            "contact": {
                "id": str(chat.visitor + 1),
                "fields": {
                    "name": contact["name"],
                    "email": contact["email"],
                    "phone": contact["phone"],
                    "city": contact["city"],
                    "state": contact["state"],
                    "countryId": str(contact["countryId"]),
                    "ip": contact["ip"],
                },
            },
            "messages": messages,
        },
    }


def live_events(app: AcquireApp, live: Live, index: int) -> list[list[Outgoing]]:
    """The deliveries of chat ``index``'s arrival to ``live.webhook_url`` (none without one):
    v1 ``CHAT_ON_START`` then ``CHAT_ON_CLOSE``; v2 ``case:new`` then ``case:status``."""
    from ._live import ACQUIRE_RETRIES, Outgoing

    url = live.webhook_url
    if url is None:
        return []
    if app.generation == "v1":
        bodies = [v1_start(app, index), v1_close(app, index)]
    else:
        bodies = [
            v2_case(app, index, "case:new", "pending"),
            v2_case(app, index, "case:status", "closed"),
        ]
    groups = []
    for body in bodies:
        raw = encode(body)
        headers = {"Content-Type": "application/json"}
        if app.generation == "v2" and live.webhook_key is not None:
            headers["x-acquire-signature"] = sign(live.webhook_key, raw)
        groups.append(
            [
                Outgoing(
                    url=url,
                    event=str(body["event"]),
                    body=raw,
                    headers=headers,
                    chat_index=index,
                    schedule=ACQUIRE_RETRIES,
                )
            ]
        )
    return groups
