"""Source records → the target's write inputs (pure functions; no I/O).

Each mapper returns a :class:`Planned`: the New* input to write and what it loses on the way
(a ticket holds one message, a vendor that cannot set a message's author or time gets them in
the text), or the reason it cannot move at all (archived only). References to other records
(an agent's groups) are rewritten through the id map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..models import (
    Agent,
    AgentRole,
    Chat,
    Message,
    NewAgent,
    NewCannedResponse,
    NewChat,
    NewGroup,
    NewMessage,
    NewTag,
    NewTicket,
    NewVisitor,
    OfflineMessage,
    Participant,
    ParticipantKind,
    Visitor,
)
from ..writes import stamp, stamped

__all__ = ["Planned", "stamp", "stamped"]


@attrs.frozen
class Planned:
    """What one source record becomes on the target.

    Attributes:
        new: The input of the target's write (None: archived only).
        losses: What does not survive the move (the record counts as degraded).
        reason: Why it cannot move at all (with ``new`` None).
    """

    new: Any = None
    losses: tuple[str, ...] = ()
    reason: str | None = None


def _mapped(
    ids: Sequence[str], id_map: Mapping[str, str], what: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    kept = tuple(id_map[i] for i in ids if i in id_map)
    lost = tuple(f"{what} {i} was not migrated" for i in ids if i not in id_map)
    return kept, lost


def group(record: Any) -> Planned:
    """A group (department): name and language; members join through their agents."""
    name = getattr(record, "name", None)
    if not name:
        return Planned(reason="a group without a name")
    return Planned(NewGroup(name=str(name), language=getattr(record, "language", None)))


def agent(record: Agent, groups: Mapping[str, str]) -> Planned:
    """An agent: e-mail, name, role, groups (through the id map). No password."""
    email = record.email or (record.id if "@" in record.id else None)
    if not email:
        return Planned(reason="an agent without a login e-mail")
    group_ids, losses = _mapped(record.group_ids, groups, "group")
    role = record.role
    if role is AgentRole.OWNER:
        losses += ("an owner is created as an administrator",)
        role = AgentRole.ADMIN
    elif role is AgentRole.UNKNOWN:
        role = AgentRole.AGENT
    new = NewAgent(email=email, name=record.name or email, role=role, group_ids=group_ids)
    return Planned(new, losses)


def tag(record: Any, groups: Mapping[str, str]) -> Planned:
    """A tag, in its group's counterpart."""
    name = getattr(record, "name", None)
    if not name:
        return Planned(reason="a tag without a name")
    source_group = getattr(record, "group_id", None)
    losses: tuple[str, ...] = ()
    group_id = None
    if source_group is not None:
        group_id = groups.get(str(source_group))
        if group_id is None:
            losses = (f"group {source_group} was not migrated",)
    return Planned(NewTag(name=str(name), group_id=group_id), losses)


def canned_response(record: Any, groups: Mapping[str, str]) -> Planned:
    """A canned response (shortcut): text, tags, group. A shortcut (its ``message``, typed
    by its ``name``) is read the same way."""
    text = getattr(record, "text", None) or getattr(record, "message", None)
    if not text:
        return Planned(reason="a canned response without text")
    source_group = getattr(record, "group_id", None)
    group_id = groups.get(str(source_group)) if source_group is not None else None
    losses = (f"group {source_group} was not migrated",) if source_group and not group_id else ()
    tags = tuple(str(t) for t in getattr(record, "tags", ()) or ())
    if not tags and getattr(record, "name", None):
        tags = (str(record.name),)
    return Planned(NewCannedResponse(text=str(text), tags=tags, group_id=group_id), losses)


def _new_visitor(visitor: Visitor) -> NewVisitor:
    return NewVisitor(name=visitor.name, email=visitor.email, phone=visitor.phone)


def visitor(record: Visitor) -> Planned:
    """A visitor (contact, profile)."""
    if not (record.email or record.name or record.phone):
        return Planned(reason="a visitor with no name, e-mail or phone")
    return Planned(_new_visitor(record))


def _new_message(message: Message) -> NewMessage:
    return NewMessage(author=message.author, text=message.text, created_at=message.created_at)


def offline_as_ticket(record: OfflineMessage, groups: Mapping[str, str]) -> Planned:
    """An offline message as a ticket: requester, subject, the message with its time."""
    if not record.visitor.email:
        return Planned(reason="a ticket needs the requester's e-mail")
    group_ids, losses = _mapped((record.group_id,) if record.group_id else (), groups, "group")
    text = stamp(record.visitor.name, record.created_at) + record.text
    new = NewTicket(
        requester_email=record.visitor.email,
        requester_name=record.visitor.name,
        subject=record.subject,
        message=text,
        group_ids=group_ids,
    )
    return Planned(new, ("the original time is carried in the text", *losses))


def offline_as_case(record: OfflineMessage, groups: Mapping[str, str]) -> Planned:
    """An offline message as a one-message case of its visitor."""
    group_ids, losses = _mapped((record.group_id,) if record.group_id else (), groups, "group")
    author = Participant(
        kind=ParticipantKind.VISITOR, id=record.visitor.id, name=record.visitor.name
    )
    new = NewChat(
        visitor=_new_visitor(record.visitor),
        messages=(NewMessage(author=author, text=record.text, created_at=record.created_at),),
        subject=record.subject,
        group_ids=group_ids,
        started_at=record.created_at,
    )
    return Planned(new, ("the author and time are carried in the text", *losses))


def chat_as_case(record: Chat, groups: Mapping[str, str]) -> Planned:
    """A chat as a case with its whole transcript."""
    group_ids, losses = _mapped(record.group_ids, groups, "group")
    new = NewChat(
        visitor=_new_visitor(record.visitor),
        messages=tuple(_new_message(m) for m in record.messages),
        subject=f"Chat {record.id}",
        group_ids=group_ids,
        tags=record.tags,
        started_at=record.started_at,
    )
    return Planned(new, ("authors and times are carried in the text", *losses))


def chat_as_ticket(record: Chat, groups: Mapping[str, str]) -> Planned:
    """A chat as a ticket whose one message is the whole transcript."""
    if not record.visitor.email:
        return Planned(reason="a ticket needs the requester's e-mail")
    group_ids, losses = _mapped(record.group_ids, groups, "group")
    lines = [stamped(m) for m in record.messages]
    started = record.started_at.date().isoformat() if record.started_at else "undated"
    new = NewTicket(
        requester_email=record.visitor.email,
        requester_name=record.visitor.name,
        subject=f"Chat {record.id} ({started})",
        message="\n".join(lines) or "(empty chat)",
        group_ids=group_ids,
    )
    return Planned(new, ("the transcript is one message", *losses))
