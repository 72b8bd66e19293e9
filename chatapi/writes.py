"""The normalized writes, in one table.

A vendor supports a write by overriding its method on :class:`chatapi.BaseClient` (the
vendor's own write rows do the work); the base method raises
:class:`~chatapi.UnsupportedOperationError` before any request. Each write has a lookup by the
record's natural key (``find_agent``: the e-mail), which a migration uses to tell whether an
ambiguous write (sent, no answer) was applied before it repeats it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import attrs

from .models import (
    Message,
    NewAgent,
    NewCannedResponse,
    NewChat,
    NewGroup,
    NewMessage,
    NewTag,
    NewTicket,
    NewVisitor,
)

__all__ = [
    "WRITE_OPERATIONS",
    "WriteOperation",
    "first_match",
    "same_key",
    "stamp",
    "stamped",
    "write_operation",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class WriteOperation:
    """One normalized write and its natural-key lookup.

    Attributes:
        name: The write method (``"create_agent"``).
        find: The lookup method (``"find_agent"``): the record the input describes, or None.
        model: The input type (``NewAgent``).
        summary: What it creates, for help texts and the capability table.
    """

    name: str
    find: str
    model: type
    summary: str


WRITE_OPERATIONS: tuple[WriteOperation, ...] = (
    WriteOperation(name="create_group", find="find_group", model=NewGroup, summary="groups"),
    WriteOperation(name="create_agent", find="find_agent", model=NewAgent, summary="agents"),
    WriteOperation(name="create_tag", find="find_tag", model=NewTag, summary="tags"),
    WriteOperation(
        name="create_canned_response",
        find="find_canned_response",
        model=NewCannedResponse,
        summary="canned responses",
    ),
    WriteOperation(
        name="create_visitor", find="find_visitor", model=NewVisitor, summary="visitors"
    ),
    WriteOperation(name="create_ticket", find="find_ticket", model=NewTicket, summary="tickets"),
    WriteOperation(name="create_case", find="find_case", model=NewChat, summary="cases"),
)

_BY_NAME: Mapping[str, WriteOperation] = {op.name: op for op in WRITE_OPERATIONS}


def write_operation(name: str) -> WriteOperation:
    """The write called ``name``.

    Raises:
        ValueError: No such write.
    """
    found = _BY_NAME.get(name)
    if found is None:
        raise ValueError(f"unknown write {name!r}; known: {', '.join(_BY_NAME)}")
    return found


def stamp(author: str | None, created_at: dt.datetime | None) -> str:
    """The prefix that carries a message's author and time where the target cannot set them:
    ``"[Alice, 2024-03-01 10:02 UTC] "``.

    Either part may be missing (``"[Alice] "``, ``"[2024-03-01 10:02 UTC] "``); with neither
    the prefix is empty. A naive time is taken as UTC.
    """
    parts = []
    if author and author.strip():
        parts.append(author.strip())
    if created_at is not None:
        moment = created_at if created_at.tzinfo else created_at.replace(tzinfo=dt.timezone.utc)
        parts.append(moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    return f"[{', '.join(parts)}] " if parts else ""


def stamped(message: NewMessage | Message) -> str:
    """A message's text with its author (name, else id) and time in front (:func:`stamp`)."""
    author = message.author.name or message.author.id
    return stamp(author, message.created_at) + message.text


def same_key(a: str | None, b: str | None) -> bool:
    """Whether two natural keys (e-mails, names, texts) are the same one: compared without
    case and surrounding space; a missing key matches nothing."""
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def first_match(records: Iterable[T], matches: Callable[[T], bool]) -> T | None:
    """The first of ``records`` that ``matches`` accepts (a ``find_*`` over a listing)."""
    return next((record for record in records if matches(record)), None)
