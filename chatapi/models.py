"""Normalized, vendor-neutral records.

Every class is a frozen attrs class with no I/O and no wire rules: the vendor converters in
``chatapi.vendors.<vendor>`` build them, :func:`chatapi.to_dict` and :func:`chatapi.from_dict`
serialize them. Datetimes are timezone-aware UTC; ids are always strings. Each top-level record
keeps the vendor's exact payload in ``raw`` (left out of equality and repr), so nothing is lost
in normalization.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import attrs

__all__ = [
    "Agent",
    "AgentRole",
    "AgentStatus",
    "Chat",
    "Message",
    "NewAgent",
    "NewCannedResponse",
    "NewChat",
    "NewGroup",
    "NewMessage",
    "NewTag",
    "NewTicket",
    "NewVisitor",
    "OfflineMessage",
    "Participant",
    "ParticipantKind",
    "Record",
    "Visitor",
]


class _OpenEnum(str, enum.Enum):
    """A string enum whose unknown values map to ``UNKNOWN`` instead of raising."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return cls.__members__["UNKNOWN"]


class ParticipantKind(_OpenEnum):
    """Who wrote a message or took part in a chat."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    VISITOR = "visitor"
    BOT = "bot"
    SYSTEM = "system"
    UNKNOWN = "unknown"


class AgentStatus(_OpenEnum):
    """An agent's availability."""

    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


class AgentRole(_OpenEnum):
    """An agent's permission level."""

    OWNER = "owner"
    ADMIN = "admin"
    AGENT = "agent"
    UNKNOWN = "unknown"


def _raw_field() -> Any:
    # A new dict per instance, not a shared read-only mapping: records must stay picklable
    # (multiprocessing, caches), and a mappingproxy is not.
    return attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Participant:
    """A person or bot in a conversation.

    Attributes:
        kind: Agent, supervisor, visitor, bot, system, or unknown.
        id: The vendor's id for them (a LiveChat agent's login e-mail), if given.
        name: Display name, if given.
        email: E-mail address, if given.
    """

    kind: ParticipantKind
    id: str | None = None
    name: str | None = None
    email: str | None = None


@attrs.frozen(kw_only=True)
class Visitor:
    """The customer side of a chat.

    Attributes:
        id: The vendor's visitor id.
        name: Name, if known.
        email: E-mail address, if known.
        phone: Phone number, if known.
        raw: The vendor's payload when the visitor was fetched as a record of its own.
    """

    id: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class Message:
    """One message of a chat, or one reply to an offline message.

    Attributes:
        id: The vendor's message id (LiveChat v2 gives none).
        author: Who wrote it.
        text: The message text.
        created_at: When it was sent (UTC), if the vendor says.
    """

    id: str | None
    author: Participant
    text: str
    created_at: dt.datetime | None


@attrs.frozen(kw_only=True)
class Chat:
    """A finished (or missed) chat conversation.

    Attributes:
        vendor: The vendor it came from.
        id: The vendor's chat id.
        started_at: When it started (UTC).
        ended_at: When it ended (UTC); None for missed or pending chats.
        visitor: The customer.
        agents: Agents and supervisors who took part.
        messages: The transcript, oldest first as the vendor sends it.
        tags: Tags put on the chat.
        rating: The vendor's rating value (LiveChat ``rated_good``, REVE's number as text).
        group_ids: Groups (departments, skills) the chat belongs to.
        missed: Whether nobody answered it.
        raw: The exact vendor payload.

    A vendor converter may build the transcript lazily (:meth:`with_deferred_messages`):
    ``messages`` is then mapped from the payload on first access. It behaves as a plain tuple
    field in every other way (equality, hashing, repr, :func:`chatapi.to_dict`).
    """

    vendor: str
    id: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    visitor: Visitor
    agents: tuple[Participant, ...] = ()
    messages: tuple[Message, ...] = ()
    tags: tuple[str, ...] = ()
    rating: str | None = None
    group_ids: tuple[str, ...] = ()
    missed: bool = False
    raw: Mapping[str, Any] = _raw_field()
    _message_source: Callable[[Chat], tuple[Message, ...]] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )

    @classmethod
    def with_deferred_messages(
        cls, load: Callable[[Chat], tuple[Message, ...]], **fields: Any
    ) -> Chat:
        """A chat whose ``messages`` come from ``load(chat)`` on first access.

        Bulk listings yield tens of thousands of chats of which many are never read message
        by message; mapping a transcript costs more than the rest of the chat together.
        ``load`` receives the chat itself (its ``raw`` payload holds the transcript), so one
        module-level function serves every chat: nothing is allocated per chat to defer.
        """
        return _defer_messages(cls(**fields), load)

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: a deferred `messages` slot not yet filled.
        if name == "messages":
            load = object.__getattribute__(self, "_message_source")
            if load is not None:
                messages = load(self)
                object.__setattr__(self, "messages", messages)
                object.__setattr__(self, "_message_source", None)
                return messages
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


@attrs.frozen(kw_only=True)
class OfflineMessage:
    """A message a visitor left while no agent was available.

    Attributes:
        vendor: The vendor it came from.
        id: The vendor's id.
        visitor: Who left it.
        subject: Subject line, if the vendor has one.
        text: The message itself (LiveChat's form preamble removed; see ``raw``).
        created_at: When it was left (UTC), if the vendor says.
        group_id: Group/skill/department it was left for.
        read: Whether an agent has read it (None when the vendor does not say).
        replies: Agents' replies.
        raw: The exact vendor payload.
    """

    vendor: str
    id: str
    visitor: Visitor
    subject: str | None
    text: str
    created_at: dt.datetime | None
    group_id: str | None = None
    read: bool | None = None
    replies: tuple[Message, ...] = ()
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class Agent:
    """A vendor account's agent (operator).

    Attributes:
        vendor: The vendor it came from.
        id: The vendor's id (LiveChat: the login e-mail).
        name: Display name.
        email: Login e-mail, if known.
        status: Availability now.
        role: Permission level.
        group_ids: Groups the agent belongs to.
        raw: The exact vendor payload (may hold secrets such as Acquire's ``secret_key``:
            never in the repr).
    """

    vendor: str
    id: str
    name: str | None
    email: str | None
    status: AgentStatus = AgentStatus.UNKNOWN
    role: AgentRole = AgentRole.UNKNOWN
    group_ids: tuple[str, ...] = ()
    raw: Mapping[str, Any] = _raw_field()


def _defer_messages(chat: Chat, load: Callable[[Chat], tuple[Message, ...]]) -> Chat:
    """Turn ``chat``, just built, into one whose ``messages`` come from ``load(chat)``.

    :meth:`Chat.with_deferred_messages` for converters that already hold the fields in a
    dict: passing ``**fields`` through a second call costs more than building the chat.
    """
    object.__delattr__(chat, "messages")
    object.__setattr__(chat, "_message_source", load)
    return chat


# -- inputs of the normalized writes ----------------------------------------------------------
#
# What a vendor-neutral write asks for (``client.create_agent(NewAgent(...))``); each vendor maps
# it to its own call. Ids inside are the *target's* ids (a migration rewrites them through its
# id map).


class Record(Protocol):
    """What every record a write returns has: the vendor's id for it."""

    @property
    def id(self) -> str:
        """The vendor's id."""


@attrs.frozen(kw_only=True)
class NewAgent:
    """An agent to create. No password: the vendor's invitation flow sends one.

    Attributes:
        email: Login e-mail (the natural key: an agent with it is "already there").
        name: Display name.
        role: Permission level (``OWNER`` is created as ``ADMIN``).
        group_ids: Groups (departments) to join, by the target's ids.
        job_title: Job title, where the vendor keeps one.
    """

    email: str
    name: str
    role: AgentRole = AgentRole.AGENT
    group_ids: tuple[str, ...] = ()
    job_title: str | None = None


@attrs.frozen(kw_only=True)
class NewGroup:
    """A group (department, skill) to create; ``name`` is its natural key.

    Attributes:
        name: The group's name.
        agent_ids: Members, by the target's agent ids.
        language: Chat window language, where the vendor keeps one.
    """

    name: str
    agent_ids: tuple[str, ...] = ()
    language: str | None = None


@attrs.frozen(kw_only=True)
class NewTag:
    """A tag to create; ``name`` (within ``group_id``) is its natural key.

    Attributes:
        name: The tag.
        group_id: The target's group it belongs to (None: the vendor's default).
        author: Who creates it (an agent's login), where the vendor records one.
    """

    name: str
    group_id: str | None = None
    author: str | None = None


@attrs.frozen(kw_only=True)
class NewCannedResponse:
    """A canned response (shortcut) to create; ``text`` (within ``group_id``) is its key.

    Attributes:
        text: What the agent sends.
        tags: The shortcuts that insert it.
        group_id: The target's group it belongs to (None: the vendor's default).
    """

    text: str
    tags: tuple[str, ...] = ()
    group_id: str | None = None


@attrs.frozen(kw_only=True)
class NewVisitor:
    """A visitor (contact, profile) to create; ``email`` is its natural key when given.

    Attributes:
        name: Name, if known.
        email: E-mail address, if known.
        phone: Phone number, if known.
        fields: Further fields the vendor keeps (text values).
    """

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    fields: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class NewTicket:
    """A ticket to open with one message from its requester.

    Its natural key is the requester's e-mail with the subject and the message.

    Attributes:
        requester_email: Who it is from.
        message: The requester's message.
        requester_name: Their name, if known.
        subject: Subject line, if any.
        group_ids: The target's groups it belongs to.
    """

    requester_email: str
    message: str
    requester_name: str | None = None
    subject: str | None = None
    group_ids: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class NewMessage:
    """One message of a conversation to write.

    Attributes:
        author: Who wrote it (a vendor that cannot set authors puts them in the text).
        text: The message.
        created_at: When it was sent (a vendor that cannot set times puts it in the text).
    """

    author: Participant
    text: str
    created_at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class NewChat:
    """A conversation to write as a case (a vendor that keeps transcripts).

    Attributes:
        visitor: The customer (the target's contact is found or created by e-mail).
        messages: The transcript, oldest first.
        subject: A title, where the vendor keeps one.
        group_ids: The target's groups it belongs to.
        tags: Tags to put on it.
        started_at: When the original conversation started.
    """

    visitor: NewVisitor
    messages: tuple[NewMessage, ...] = ()
    subject: str | None = None
    group_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    started_at: dt.datetime | None = None
