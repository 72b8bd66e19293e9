"""LiveChat v2 payloads → normalized models (pure functions; the hot path of bulk fetching).

Shapes accepted (each one in a fixture under ``tests/fixtures/livechat/``):
- chats with a ``visitor`` object (``chat_rest_reference.json``) or flat
  ``visitor_id``/``visitor_name`` (``chats_page_legacy.json``, the older ``/chats`` page);
- ``"type": "missed_chat"`` records without ``agents`` and with a ``time`` string instead of
  ``started_timestamp`` (``missed_chat.json``);
- agents in chats as ``{display_name, email}`` (``chat_rest_reference.json``) or
  ``{name, login}`` (webhook payloads,
  ``tests/fixtures/samples/livechat_v2-webhook-chat-started-visitor_livechat-livechat-public-docs.json``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

from ..._core.mapping import map_records, optional_str, required_id
from ..._core.timeparse import UTC, parse_datetime
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
    _defer_messages,
)

__all__ = ["agent_from_payload", "chat_from_payload", "offline_message_from_payload"]

VENDOR = "livechat"

_KINDS = {
    "agent": ParticipantKind.AGENT,
    "supervisor": ParticipantKind.SUPERVISOR,
    "visitor": ParticipantKind.VISITOR,
    "client": ParticipantKind.VISITOR,
    "customer": ParticipantKind.VISITOR,
    "bot": ParticipantKind.BOT,
    "system": ParticipantKind.SYSTEM,
}

# "accepting chats" / "not accepting chats" / "offline" (tests/fixtures/livechat/agents.json).
_STATUSES = {
    "accepting chats": AgentStatus.ONLINE,
    "not accepting chats": AgentStatus.AWAY,
    "offline": AgentStatus.OFFLINE,
}

# "permission can take the following values: owner, administrator, normal" (Agents).
_ROLES = {
    "owner": AgentRole.OWNER,
    "administrator": AgentRole.ADMIN,
    "normal": AgentRole.AGENT,
}

_fromtimestamp = dt.datetime.fromtimestamp

# The hot path of bulk fetching: a /chats page is 25 of these, and an export maps tens of
# thousands. Type checks are `type(x) is dict`-first (ABC isinstance checks cost ~0.3 µs each)
# and values the same few agents and groups repeat are shared, not rebuilt per chat: fewer
# objects per chat is also less work for the cyclic garbage collector while pages are held.


def _epoch(value: Any) -> dt.datetime | None:
    if type(value) is int:  # the documented form: epoch seconds
        return _fromtimestamp(value, UTC)
    if value is None or value == "":
        return None
    return _fromtimestamp(float(value), UTC)


def _visitor(payload: Mapping[str, Any]) -> Visitor:
    nested = payload.get("visitor")
    if nested is not None and (type(nested) is dict or isinstance(nested, Mapping)):
        return Visitor(
            id=optional_str(nested.get("id")),
            name=nested.get("name"),
            email=nested.get("email") or payload.get("visitor_email") or payload.get("email"),
            phone=nested.get("phone"),
        )
    return Visitor(
        id=optional_str(payload.get("visitor_id")),
        name=payload.get("visitor_name"),
        email=payload.get("visitor_email") or payload.get("email"),
    )


@functools.lru_cache(maxsize=4096)
def _person(kind: ParticipantKind, email: str | None, name: str | None) -> Participant:
    # Participants are immutable and the same few agents staff thousands of chats: share them.
    return Participant(kind=kind, id=email, name=name, email=email)


def _staff(entries: Any, kind: ParticipantKind) -> tuple[Participant, ...]:
    if not entries:
        return ()
    people = []
    for entry in entries:
        get = entry.get
        email = get("email") or get("login")
        name = get("display_name") or get("name")
        if (email is None or type(email) is str) and (name is None or type(name) is str):
            people.append(_person(kind, email, name))
        else:  # unhashable or odd values: build one without the cache
            people.append(Participant(kind=kind, id=email, name=name, email=email))
    return _shared(tuple(people))


#: Tuples that many chats have in common (the same agents, the same groups), shared.
_SHARED: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_SHARED_MAX = 4096


def _shared(value: tuple[Any, ...]) -> tuple[Any, ...]:
    """``value``, or an equal tuple seen before: a chat keeps the shared one."""
    try:
        known = _SHARED.get(value)
    except TypeError:  # an odd payload value that cannot be hashed: keep it unshared
        return value
    if known is not None:
        return known
    if len(_SHARED) >= _SHARED_MAX:  # bounded: a long-lived process must not grow it
        _SHARED.clear()
    _SHARED[value] = value
    return value


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    if type(value) is int:  # LiveChat group ids
        return str(value)
    if isinstance(value, Mapping):
        return str(value["id"])
    return str(value)


def _texts(values: Any) -> tuple[str, ...]:
    if not values:
        return ()
    if type(values) is not list:
        values = [values]
    return _shared(tuple(map(_text, values)))


def _author(user_type: Any, agent_id: Any, name: Any, visitor: Visitor) -> Participant:
    kind = _KINDS.get(user_type, ParticipantKind.UNKNOWN)
    if kind is ParticipantKind.VISITOR:
        return Participant(kind=kind, id=visitor.id, name=name, email=visitor.email)
    agent_text = optional_str(agent_id)
    email = agent_text if agent_text and "@" in agent_text else None
    return Participant(kind=kind, id=agent_text, name=name, email=email)


def chat_from_payload(payload: Mapping[str, Any]) -> Chat:
    """Map one ``/chats`` record (a finished, pending or missed chat)."""
    get = payload.get
    chat_id = required_id(payload, "id")
    visitor = _visitor(payload)
    started_at = _epoch(get("started_timestamp"))
    if started_at is None and get("time"):
        # missed_chat records carry only a "time" string (tests/fixtures/livechat/missed_chat.json).
        started_at = parse_datetime(str(payload["time"]), assume=UTC)
    agents = _staff(get("agents"), ParticipantKind.AGENT)
    supervisors = get("supervisors")
    if supervisors:
        agents = _shared(agents + _staff(supervisors, ParticipantKind.SUPERVISOR))
    items = get("messages")
    if items and type(items) is not list:
        raise TypeError(f"messages must be a list, got {type(items).__name__}")
    groups = get("group")
    if groups is None:
        groups = get("groups")
    fields: dict[str, Any] = {
        "vendor": VENDOR,
        "id": chat_id,
        "started_at": started_at,
        "ended_at": _epoch(get("ended_timestamp")),
        "visitor": visitor,
        "agents": agents,
        "tags": _texts(get("tags")),
        "rating": optional_str(get("rate")),
        "group_ids": _texts(groups),
        "missed": get("type") == "missed_chat",
        "raw": payload,
    }
    if not items:
        return Chat(**fields)
    # The transcript is mapped on first access: most of a chat's cost, and bulk readers often
    # never look at it (design.md, "The hot path").
    return _defer_messages(Chat(**fields), _transcript)


def _transcript(chat: Chat) -> tuple[Message, ...]:
    # The loader of a deferred transcript: the messages are still in the chat's raw payload.
    return _messages(chat.raw["messages"], chat.visitor)


def _messages(items: list[Any], visitor: Visitor) -> tuple[Message, ...]:
    # One Participant per distinct author: a chat's 10+ messages usually have two.
    authors: dict[tuple[Any, Any, Any], Participant] = {}

    def message(item: Mapping[str, Any]) -> Message:
        get = item.get
        user_type = get("user_type")
        agent_id = get("agent_id")
        name = get("author_name")
        author_key = (user_type, agent_id, name)
        author = authors.get(author_key)
        if author is None:
            author = authors[author_key] = _author(user_type, agent_id, name, visitor)
        ts = get("timestamp")
        message_id = get("id")
        return Message(
            id=message_id if message_id is None else str(message_id),
            author=author,
            text=get("text") or "",
            created_at=_fromtimestamp(ts, UTC) if type(ts) is int else _epoch(ts),
        )

    return map_records(message, items, vendor=VENDOR, kind="chat message")


# "Your name: …\r\nE-mail: …\r\n\r\nMessage:\r\n…" (offline messages reference).
_MESSAGE_MARKER = re.compile(r"(?:^|\n)Message:[ \t]*\r?\n")
_FORM_LINE = re.compile(r"^(Your name|E-mail):[ \t]*(.*?)\r?$", re.MULTILINE)


def split_offline_body(body: str) -> tuple[str, dict[str, str]]:
    """The visitor's message and the form fields before it, from an offline message body."""
    marker = _MESSAGE_MARKER.search(body)
    if marker is None:
        return body.strip("\r\n"), {}
    head = body[: marker.start()]
    fields = {m.group(1): m.group(2) for m in _FORM_LINE.finditer(head)}
    return body[marker.end() :].rstrip("\r\n"), fields


def offline_message_from_payload(payload: Mapping[str, Any]) -> OfflineMessage:
    """Map one ``/offline_messages`` record."""
    message_id = required_id(payload, "id")
    body = payload.get("message") or ""
    text, form = split_offline_body(body)
    created = payload.get("timestamp")
    created_at = _epoch(created) if created is not None else None
    if created_at is None:
        when = payload.get("date") or payload.get("time")
        created_at = parse_datetime(str(when)) if when else None
    skill = payload.get("skill", payload.get("group"))
    return OfflineMessage(
        vendor=VENDOR,
        id=message_id,
        visitor=Visitor(
            id=optional_str(payload.get("visitor_id")),
            name=payload.get("visitor_name") or form.get("Your name") or None,
            email=payload.get("email") or form.get("E-mail") or None,
        ),
        subject=payload.get("subject"),
        text=text,
        created_at=created_at,
        group_id=optional_str(skill),
        read=None,
        replies=(),
        raw=payload,
    )


def agent_from_payload(payload: Mapping[str, Any]) -> Agent:
    """Map one ``/agents`` row or ``/agents/<login>`` body."""
    login = required_id(payload, "login")
    groups = payload.get("groups") or ()
    return Agent(
        vendor=VENDOR,
        id=login,
        name=payload.get("name"),
        email=login,
        status=_STATUSES.get(str(payload.get("status", "")).lower(), AgentStatus.UNKNOWN),
        role=_ROLES.get(str(payload.get("permission", "")).lower(), AgentRole.UNKNOWN),
        group_ids=tuple(str(g["id"] if isinstance(g, Mapping) else g) for g in groups),
        raw=payload,
    )
