"""Acquire v1 webhook payloads (unsigned) -> :class:`chatapi.events.Event`.

The v1 events (https://developer.acquire.io/webhook-api/webhook-events):

- ``CHAT_ON_START``: ``{"data": {" id": 172, "details": {name, email, phone, ...}, "status",
  "date_created", "date_updated", "department_id"}, "event"}``, the id key with a leading space
  (``tests/fixtures/samples/acquire_v1-webhook-chat-on-start_acquireio-developer.acquire.io.json``);
- ``CHAT_ON_ACCEPT``: flat ``{id, status, chat_wait_time, user: {id: "agent-12345", id_real,
  name, ...}, event}``;
- ``CHAT_ON_MESSAGE``: flat ``{id, thread_id, session_id, visitor_id, message: "{type, msg,
  user}", date_created, date_updated, date_picked, ..., event}``;
- ``CHAT_ON_CLOSE``: flat ``{id, thread_id, visitor_id, chat_wait_time, chat_duration,
  users: "{agent: {...}, visitor: {...}}", by: "agent-15111", date_created, date_updated, ...}``.

Numbers, booleans and nulls arrive as strings (``"12"``, ``"false"``, ``"null"``) and nested
objects as JSON text (``"users": "{...}"``); keys may carry stray spaces. Times are naive: they
are read as UTC (the receiver has no account zone). The chat is mapped by the thread
listing's converter (``v1_chat``); its id is the ``thread_id`` when the payload gives a real
one (v1 sends ``"-1"`` before a thread exists), else the chat's own ``id``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from ..._core.timeparse import UTC
from ...events import Event, EventKind, WebhookContext, readable_part
from ...models import Chat, Visitor
from ._coerce import to_datetime, to_id, to_text
from ._convert_common import VENDOR
from ._convert_v1 import v1_chat

__all__ = ["first_time", "parse_v1"]

_KINDS = {
    "CHAT_ON_START": EventKind.CHAT_STARTED,
    "CHAT_ON_ACCEPT": EventKind.CHAT_ACCEPTED,
    "CHAT_ON_MESSAGE": EventKind.MESSAGE_RECEIVED,
    "CHAT_ON_CLOSE": EventKind.CHAT_ENDED,
}

# When each event happened, by the first of these times it carries.
_TIMES = {
    "CHAT_ON_START": ("date_created", "date_updated"),
    "CHAT_ON_ACCEPT": ("date_picked", "date_updated"),
    "CHAT_ON_MESSAGE": ("date_updated", "date_created"),
    "CHAT_ON_CLOSE": ("date_updated",),
}


def parse_v1(data: Mapping[str, Any], context: WebhookContext, name: str) -> Event:
    """One v1 event (the caller has checked that no secret was configured for it)."""
    nested = data.get("data")
    record = _record(nested if isinstance(nested, Mapping) else data)
    visitor = _visitor(record)
    chat = _chat(record, name, visitor)
    return Event(
        vendor=context.vendor,
        kind=_KINDS.get(name, EventKind.UNKNOWN),
        name=name,
        occurred_at=first_time(record, _TIMES.get(name, ())),
        dedupe_key=context.dedupe_key,
        chat=chat,
        visitor=visitor,
        raw=data,
    )


def first_time(record: Mapping[str, Any], keys: tuple[str, ...]) -> dt.datetime | None:
    """The first of ``keys`` holding a readable time, as UTC; None when none does."""
    for key in keys:
        try:
            moment = to_datetime(record.get(key), UTC)
        except (TypeError, ValueError, OverflowError):
            moment = None
        if moment is not None:
            return moment
    return None


def _loose(value: Any) -> Any:
    """A value that may be JSON text (``"{...}"``, ``"[]"``) as what it encodes."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                return json.loads(text)
            except ValueError:
                return value
    return value


def _record(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload with stripped keys (``" id"`` -> ``id``; an exact key wins) and nested
    JSON text decoded."""
    record: dict[str, Any] = {}
    for key, value in payload.items():
        if not isinstance(key, str):
            continue
        clean = key.strip()
        if clean == key or clean not in payload:
            record[clean] = _loose(value)
    return record


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _safe(convert: Any, value: Any) -> Any:
    try:
        return convert(value)
    except (TypeError, ValueError):
        return None


def _visitor(record: Mapping[str, Any]) -> Visitor | None:
    # START: "details"; CLOSE: users.visitor (https://developer.acquire.io/webhook-api/).
    users = _mapping(record.get("users"))
    person = _mapping(record.get("details")) or _mapping(users.get("visitor"))
    visitor = Visitor(
        id=_safe(to_id, record.get("visitor_id")),
        name=_safe(to_text, person.get("name")),
        email=_safe(to_text, person.get("email")),
        phone=_safe(to_text, person.get("phone")),
        raw=person,
    )
    return None if visitor == Visitor() else visitor


def _agent(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(id, name) of the agent the event names: ACCEPT's ``user``, CLOSE's ``by`` and
    ``users.agent``, MESSAGE's agent author."""
    user = _mapping(record.get("user"))
    message = _mapping(record.get("message"))
    if not user and str(_mapping(message.get("user")).get("type", "")).lower() == "agent":
        user = _mapping(message.get("user"))
    ident = _safe(to_id, user.get("id_real")) or _safe(to_id, user.get("id"))
    name = _safe(to_text, user.get("name"))
    if not user:
        ident = _safe(to_id, record.get("by"))
        name = _safe(to_text, _mapping(_mapping(record.get("users")).get("agent")).get("name"))
    if ident is not None and ident.startswith("agent-"):
        ident = ident.split("-")[1] or None
    return ident, name


def _chat(record: Mapping[str, Any], name: str, visitor: Visitor | None) -> Chat | None:
    thread = _safe(to_id, record.get("thread_id"))
    chat_id = thread if thread not in (None, "-1", "0") else _safe(to_id, record.get("id"))
    if chat_id is None:
        return None
    agent_id, agent_name = _agent(record)
    row: dict[str, Any] = {
        **record,
        "thread_id": chat_id,
        "chat_created": record.get("date_created"),
        "chat_updated": record.get("date_updated"),
        "thread_status": "closed" if name == "CHAT_ON_CLOSE" else "open",
        "user_id": agent_id,
        "agents": agent_name,
    }
    row.pop("users", None)  # CLOSE's object, not the thread row's "agent-3518" list
    return readable_part(
        lambda thread: v1_chat(thread, UTC, visitor=visitor), row, vendor=VENDOR, part="chat"
    )
