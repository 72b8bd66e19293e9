"""What the v1 and v2 Acquire mappers share: participant kinds, statuses, roles, cached
participants and deferred-transcript loaders (see ``_convert_v1`` and ``_convert_v2``)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from ..._core.timeparse import UTC
from ...models import (
    AgentRole,
    AgentStatus,
    Chat,
    Message,
    Participant,
    ParticipantKind,
)
from ._coerce import to_id, to_text

__all__ = [
    "VENDOR",
    "Transcript",
    "_in_zone",
    "_join_name",
    "_kind",
    "_person",
    "_required_id",
    "_role",
    "_status",
]

VENDOR = "acquire"

_KINDS = {
    "agent": ParticipantKind.AGENT,
    "user": ParticipantKind.AGENT,  # v2: "senderType": "user" is staff
    "operator": ParticipantKind.AGENT,
    "visitor": ParticipantKind.VISITOR,
    "contact": ParticipantKind.VISITOR,  # v2: "senderType": "contact" is the customer
    "bot": ParticipantKind.BOT,
    "system": ParticipantKind.SYSTEM,
}

_STATUSES = {
    "online": AgentStatus.ONLINE,
    "available": AgentStatus.ONLINE,
    "away": AgentStatus.AWAY,
    "busy": AgentStatus.AWAY,
    "offline": AgentStatus.OFFLINE,
}

# v1: "role (1=Administrator, 2=Operator)" (agents add page) and role_name "Administrator".
_ROLES = {
    "1": AgentRole.ADMIN,
    "2": AgentRole.AGENT,
    "administrator": AgentRole.ADMIN,
    "admin": AgentRole.ADMIN,
    "operator": AgentRole.AGENT,
    "agent": AgentRole.AGENT,
    "owner": AgentRole.OWNER,
}


# Bulk listings map tens of thousands of chats (a v2 case page embeds every message): the
# transcript is mapped on first access of `Chat.messages` where the chat's raw payload holds it
# unchanged, type checks are `type(x) is ...`-first, and the Participants the same few agents
# and visitors repeat are shared (fewer objects per chat, less work for the cyclic GC).

Transcript = Callable[[Chat], tuple[Message, ...]]


@functools.lru_cache(maxsize=4096)
def _person(
    kind: ParticipantKind, person_id: str | None, name: str | None, email: str | None
) -> Participant:
    # Participants are immutable values: one per distinct (kind, id, name, e-mail), bounded.
    return Participant(kind=kind, id=person_id, name=name, email=email)


def _in_zone(load: Callable[..., tuple[Message, ...]], tz: dt.tzinfo) -> Transcript:
    """The loader ``load`` reading naive times in ``tz``: one per zone, not per chat."""
    if tz is UTC:
        return load
    try:
        return _zoned(load, tz)
    except TypeError:  # a tzinfo that cannot be hashed: a loader of its own
        return functools.partial(load, tz=tz)


@functools.lru_cache(maxsize=64)
def _zoned(load: Callable[..., tuple[Message, ...]], tz: dt.tzinfo) -> Transcript:
    return functools.partial(load, tz=tz)


def _required_id(payload: Mapping[str, Any], key: str) -> str:
    """The id under ``key``; a missing or null one raises KeyError naming the field."""
    value = to_id(payload[key])
    if value is None:
        raise KeyError(key)
    return value


def _kind(value: Any) -> ParticipantKind:
    if type(value) is str:  # "user", "contact", "agent", "visitor" as documented
        kind = _KINDS.get(value)
        if kind is not None:
            return kind
    text = to_text(value)
    if text is None:
        return ParticipantKind.UNKNOWN
    return _KINDS.get(text.strip().lower(), ParticipantKind.UNKNOWN)


def _status(value: Any) -> AgentStatus:
    # "active"/"disable" (v1 user_status, v2 status) say whether the account is enabled, not
    # whether the agent is available: they map to UNKNOWN.
    text = to_text(value)
    return _STATUSES.get(text.strip().lower(), AgentStatus.UNKNOWN) if text else AgentStatus.UNKNOWN


def _role(*values: Any) -> AgentRole:
    for value in values:
        text = to_text(value) if not isinstance(value, bool) else None
        if text:
            return _ROLES.get(text.strip().lower(), AgentRole.UNKNOWN)
    return AgentRole.UNKNOWN


def _join_name(first: Any, last: Any) -> str | None:
    name = " ".join(part for part in (to_text(first), to_text(last)) if part)
    return name or None
