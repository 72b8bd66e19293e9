"""Acquire v1 payloads → normalized models (pure functions).

v1 (``https://app.acquire.io/api``, snake_case, naive times in the account's zone). Shapes
accepted (samples under ``tests/fixtures/acquire/``, sources in its ``SOURCES.md``):

- threads (``/api/profile/message/thread``): ``chat_ids``/``user_id`` as strings,
  ``users`` as ``"agent-3518"``, ``agents`` as a name string, ``rating`` as a list of strings or
  null, ``offline_chat`` 0/1 (thread sample; the older doc version shows ``offline_chat: 1``).
- messages (Profile Message API): ``seen: "seen"``, ``sender_type``, a nested ``user``.
- agents rows (``/api/account/agents``: ``user_name``, ``user_email``, ``role`` 1/2,
  ``role_name``) and the agents/edit object (``name``, ``email``, a duplicated ``role`` key that
  JSON parsers resolve to its last value, ``"Administrator"``;
  https://developer.acquire.io/rest-apis/agent/agent-edit).
- profiles (``/api/profile/lead/list`` rows with ``name``/``email``/``visitor_phone``,
  ``/api/profile/lead/detail`` with ``visitor_name``/``visitor_email``/``visitor_phone``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ..._core.mapping import map_records
from ..._core.timeparse import UTC
from ...models import (
    Agent,
    Chat,
    Message,
    OfflineMessage,
    Participant,
    ParticipantKind,
    Visitor,
    _defer_messages,
)
from ._coerce import split_list, to_bool, to_datetime, to_id, to_int, to_text
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

__all__ = [
    "v1_agent",
    "v1_chat",
    "v1_chat_from_messages",
    "v1_is_offline",
    "v1_message",
    "v1_offline_message",
    "v1_visitor",
]


# -- v1 --------------------------------------------------------------------------------------


def v1_message(payload: Mapping[str, Any], tz: dt.tzinfo) -> Message:
    """Map one Profile Message API message (``/api/profile/lead/message``)."""
    message_id = _required_id(payload, "id")
    user = payload.get("user")
    user = user if isinstance(user, Mapping) else {}
    kind = _kind(payload.get("sender_type") or user.get("type"))
    if kind is ParticipantKind.VISITOR:
        name = to_text(payload.get("vd_name")) or to_text(user.get("name"))
    elif kind is ParticipantKind.BOT:
        name = to_text(payload.get("bot_name")) or to_text(user.get("name"))
    else:
        name = to_text(user.get("name")) or _join_name(
            payload.get("first_name"), payload.get("last_name")
        )
    email = to_text(payload.get("email_from")) if kind is ParticipantKind.VISITOR else None
    author = _person(kind, to_id(payload.get("sender_id")) or to_id(user.get("id")), name, email)
    # E-mail messages carry their text in "body"; chat messages in "message".
    text = to_text(payload.get("message")) or to_text(payload.get("body")) or ""
    return Message(
        id=message_id,
        author=author,
        text=text,
        created_at=to_datetime(payload.get("date_created"), tz),
    )


def _v1_thread_agents(payload: Mapping[str, Any]) -> tuple[Participant, ...]:
    # "users": "agent-3518", "user_id": "3518", "agents": "John" (thread sample): ids and names
    # as comma-separated strings, paired only when they line up.
    ids = split_list(payload.get("user_id"))
    if not ids:
        ids = [
            part.split("-", 1)[1]
            for part in split_list(payload.get("users"))
            if part.startswith("agent-")
        ]
    names = split_list(payload.get("agents"))
    if len(names) == len(ids):
        pairs: list[tuple[str | None, str | None]] = list(zip(ids, names, strict=True))
    elif ids:
        pairs = [(agent_id, None) for agent_id in ids]
    else:
        pairs = [(None, name) for name in names]
    return tuple(_person(ParticipantKind.AGENT, agent_id, name, None) for agent_id, name in pairs)


def _v1_rating(payload: Mapping[str, Any]) -> str | None:
    rating = to_text(payload.get("feedback_rating"))
    if rating is not None:
        return rating
    ratings = payload.get("rating")
    if isinstance(ratings, list):
        # One entry per rated chat of the thread (with "rating_time"): the latest wins.
        texts = [text for item in ratings if (text := to_text(item)) is not None]
        return texts[-1] if texts else None
    return to_text(ratings)


def _merge_visitor(base: Visitor, messages: Sequence[Mapping[str, Any]]) -> Visitor:
    if base.name and base.id:
        return base
    for item in messages:
        name = to_text(item.get("vd_name"))
        visitor_id = to_id(item.get("vd_id"))
        if name or visitor_id:
            return Visitor(
                id=base.id or visitor_id,
                name=base.name or name,
                email=base.email,
                phone=base.phone,
                raw=base.raw,
            )
    return base


def _v1_flagged(payload: Mapping[str, Any], messages: Sequence[Mapping[str, Any]]) -> bool:
    for holder in (payload, *messages):
        if to_bool(holder.get("offline_chat")) or to_bool(holder.get("missed_chat")):
            return True
    return False


def v1_is_offline(payload: Mapping[str, Any]) -> bool:
    """Whether a v1 thread (or message) is flagged ``offline_chat``: an offline message, not a
    chat. A ``missed_chat`` is a chat nobody answered (``Chat.missed``), not an offline
    message: the two listings never hold the same thread."""
    return to_bool(payload.get("offline_chat")) is True


def v1_chat(
    payload: Mapping[str, Any],
    tz: dt.tzinfo,
    messages: Sequence[Mapping[str, Any]] = (),
    visitor: Visitor | None = None,
) -> Chat:
    """Map one v1 thread (``/api/profile/message/thread``) and, if fetched, its messages.

    ``raw`` is the thread row, with the fetched messages added under ``"messages"`` (the
    row has no such key: its ``message`` is a preview) so that no vendor field is lost. When
    the thread row gives the chat's times, ``messages`` is mapped from ``raw`` on first access
    (a malformed message raises ``ResponseFormatError`` then).

    Args:
        payload: The thread row.
        tz: Zone of the thread's naive times.
        messages: The thread's Profile Message API messages.
        visitor: The profile the thread was listed for (name, e-mail), when known.
    """
    return _v1_chat(payload, tz, messages, visitor, defer=True)


def _v1_chat(
    payload: Mapping[str, Any],
    tz: dt.tzinfo,
    messages: Sequence[Mapping[str, Any]],
    visitor: Visitor | None,
    *,
    defer: bool,
) -> Chat:
    thread_id = _required_id(payload, "thread_id")
    started_at = to_datetime(payload.get("chat_created"), tz)
    # v1 has no end time: an open thread has not ended; otherwise its last update (or last
    # message) is the closest thing.
    closed = (to_text(payload.get("thread_status")) or "open").lower() != "open"
    ended_at = to_datetime(payload.get("chat_updated"), tz) if closed else None
    # The transcript is deferred unless the times must come from it: raw holds the messages
    # as fetched, under "messages".
    deferred = (
        defer and bool(messages) and started_at is not None and (ended_at is not None or not closed)
    )
    mapped: tuple[Message, ...] = ()
    if messages and not deferred:
        mapped = tuple(v1_message(item, tz) for item in messages)
        times = [m.created_at for m in mapped if m.created_at is not None]
        if started_at is None and times:
            started_at = min(times)
        if closed and ended_at is None and times:
            ended_at = max(times)
    base = visitor or Visitor()
    base = Visitor(
        id=base.id or to_id(payload.get("visitor_id")),
        name=base.name,
        email=base.email,
        phone=base.phone,
        raw=base.raw,
    )
    chat = Chat(
        vendor=VENDOR,
        id=thread_id,
        started_at=started_at,
        ended_at=ended_at,
        visitor=_merge_visitor(base, messages),
        agents=_v1_thread_agents(payload),
        messages=mapped,
        rating=_v1_rating(payload),
        missed=_v1_flagged(payload, messages),
        raw={**payload, "messages": list(messages)} if messages else payload,
    )
    return _defer_messages(chat, _in_zone(_v1_transcript, tz)) if deferred else chat


def _v1_transcript(chat: Chat, tz: dt.tzinfo = UTC) -> tuple[Message, ...]:
    # The loader of a deferred v1 transcript: the fetched messages are in raw["messages"].
    return map_records(
        lambda item: v1_message(item, tz),
        chat.raw["messages"],
        vendor=VENDOR,
        kind="thread message",
    )


def v1_chat_from_messages(
    thread_id: str, messages: Sequence[Mapping[str, Any]], tz: dt.tzinfo
) -> Chat:
    """A v1 chat rebuilt from its messages alone (``get_chat``: v1 has no thread lookup).

    ``raw`` is ``{"thread_id": ..., "messages": [...]}``, the messages as sent.
    """
    mapped = tuple(v1_message(item, tz) for item in messages)
    times = [m.created_at for m in mapped if m.created_at is not None]
    agents: dict[tuple[str | None, str | None], Participant] = {}
    for message in mapped:
        if message.author.kind in (ParticipantKind.AGENT, ParticipantKind.SUPERVISOR):
            agents.setdefault((message.author.id, message.author.name), message.author)
    return Chat(
        vendor=VENDOR,
        id=thread_id,
        started_at=min(times) if times else None,
        ended_at=None,
        visitor=_merge_visitor(Visitor(), messages),
        agents=tuple(agents.values()),
        messages=mapped,
        missed=_v1_flagged({}, messages),
        raw={"thread_id": thread_id, "messages": list(messages)},
    )


def v1_offline_message(
    payload: Mapping[str, Any],
    tz: dt.tzinfo,
    messages: Sequence[Mapping[str, Any]] = (),
    visitor: Visitor | None = None,
) -> OfflineMessage:
    """Map a v1 thread flagged ``offline_chat``/``missed_chat`` and its messages.

    The visitor's messages make the text (joined by newlines), agents' messages the replies.
    ``raw`` is the thread row with the messages under ``"messages"``.
    """
    # Reads every message at once: nothing to defer (and a bad one fails the mapping as before).
    chat = _v1_chat(payload, tz, messages, visitor, defer=False)
    own = [m for m in chat.messages if m.author.kind is ParticipantKind.VISITOR]
    replies = tuple(m for m in chat.messages if m.author.kind is not ParticipantKind.VISITOR)
    text = "\n".join(m.text for m in own if m.text) or to_text(payload.get("message")) or ""
    subject = next(
        (s for item in messages if (s := to_text(item.get("subject"))) is not None), None
    )
    email = chat.visitor.email or next(
        (e for item in messages if (e := to_text(item.get("email_from"))) is not None), None
    )
    unseen = to_int(payload.get("unseen_count"))
    if unseen is not None:
        read: bool | None = unseen == 0
    else:
        seen = [to_bool(item.get("seen")) for item in messages if _is_visitor_row(item)]
        read = all(seen) if seen and None not in seen else None
    created = [m.created_at for m in own if m.created_at is not None]
    return OfflineMessage(
        vendor=VENDOR,
        id=chat.id,
        visitor=Visitor(
            id=chat.visitor.id,
            name=chat.visitor.name,
            email=email,
            phone=chat.visitor.phone,
            raw=chat.visitor.raw,
        ),
        subject=subject,
        text=text,
        created_at=min(created) if created else chat.started_at,
        read=read,
        replies=replies,
        raw={**payload, "messages": list(messages)} if messages else payload,
    )


def _is_visitor_row(item: Mapping[str, Any]) -> bool:
    return _kind(item.get("sender_type")) is ParticipantKind.VISITOR


def v1_agent(payload: Mapping[str, Any]) -> Agent:
    """Map one ``/api/account/agents`` row or the ``/api/account/agents/edit`` object.

    The row's ``secret_key`` stays in ``raw`` only (never in a repr).
    """
    agent_id = _required_id(payload, "id")
    department = payload.get("department_id", payload.get("department"))
    if isinstance(department, Mapping):
        department = department.get("id")
    return Agent(
        vendor=VENDOR,
        id=agent_id,
        name=to_text(payload.get("user_name")) or to_text(payload.get("name")),
        email=to_text(payload.get("user_email")) or to_text(payload.get("email")),
        status=_status(payload.get("availability", payload.get("online_status"))),
        role=_role(payload.get("role_name"), payload.get("role")),
        group_ids=tuple(split_list(department)),
        raw=payload,
    )


def v1_visitor(payload: Mapping[str, Any]) -> Visitor:
    """Map one ``/api/profile/lead/list`` row or ``/api/profile/lead/detail`` object."""
    visitor_id = to_id(payload.get("visitor_id")) or _required_id(payload, "id")
    return Visitor(
        id=visitor_id,
        name=to_text(payload.get("visitor_name")) or to_text(payload.get("name")) or None,
        email=to_text(payload.get("visitor_email")) or to_text(payload.get("email")) or None,
        phone=to_text(payload.get("visitor_phone")) or to_text(payload.get("phone")) or None,
        raw=payload,
    )
