"""Acquire v2 records no normalized model fits: departments, tags, message shortcuts and the
message a case receives, each with the vendor's payload in ``raw``; and the error of a case
written only in part.

Shapes: https://developer.acquire.io/v/2.0.0/ (settings-configuration/account-department,
platform/tags, platform/message-shortcuts, conversation/conversation-or-cases/messages-1/add).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ...errors import ChatAPIError
from ...models import _raw_field
from ._coerce import to_datetime, to_id, to_text
from ._convert_common import _required_id

__all__ = [
    "CaseMessage",
    "Department",
    "PartialWriteError",
    "Shortcut",
    "Tag",
    "case_message_from_payload",
    "department_from_payload",
    "shortcut_from_payload",
    "tag_from_payload",
]


@attrs.frozen(kw_only=True)
class Department:
    """An account department (``/api/v1/account/department``).

    Attributes:
        id: The department's id.
        name: Its (unique) name.
        status: ``active`` or ``disabled`` (a draft).
        user_ids: The users who belong to it, where the answer lists them.
        raw: The exact payload.
    """

    id: str
    name: str | None
    status: str | None = None
    user_ids: tuple[str, ...] = ()
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class Tag:
    """A tag (``/api/v1/crm/tag``).

    Attributes:
        id: The tag's id.
        name: Its (unique) name.
        color: Hex colour code.
        types: What it may be put on: ``case`` and/or ``contact``.
        raw: The exact payload.
    """

    id: str
    name: str | None
    color: str | None = None
    types: tuple[str, ...] = ()
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class Shortcut:
    """A message shortcut, Acquire's canned response (``/api/v1/crm/message-shortcut``).

    Attributes:
        id: The shortcut's id.
        name: The shortcut key (``shortcut_name``).
        message: What it inserts.
        group_name: Its shortcut group, if any.
        raw: The exact payload.
    """

    id: str
    name: str | None
    message: str
    group_name: str | None = None
    raw: Mapping[str, Any] = _raw_field()


@attrs.frozen(kw_only=True)
class CaseMessage:
    """A message added to a case (``POST /api/v1/crm/messenger/chat/add-message``).

    The documented answer shows no message id: ``id`` is None then.

    Attributes:
        id: The message's id, if the answer gives one.
        case_id: The case it went to.
        sender_type: ``user`` (an agent) or ``contact``.
        type: ``message``, ``note`` or ``event``.
        text: The message.
        created_at: When Acquire stored it.
        raw: The exact payload.
    """

    id: str | None
    case_id: str | None
    sender_type: str | None
    type: str | None
    text: str
    created_at: dt.datetime | None = None
    raw: Mapping[str, Any] = _raw_field()


class PartialWriteError(ChatAPIError):
    """A case was opened but not completely written (some messages added, or not closed).

    Attributes:
        case_id: The case that was opened (resume it or delete it).
        messages_written: How many of the conversation's messages it holds, in order.
        closed: Whether the case was closed.
    """

    def __init__(
        self,
        message: str,
        *,
        case_id: str,
        messages_written: int,
        closed: bool = False,
        vendor: str | None = None,
    ) -> None:
        super().__init__(message, vendor=vendor)
        self.case_id = case_id
        self.messages_written = messages_written
        self.closed = closed


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(text for item in value if (text := to_text(item)))


def department_from_payload(payload: Mapping[str, Any]) -> Department:
    """Map one department (list item, add, update)."""
    users = payload.get("users")
    user_ids = tuple(
        user_id
        for user in (users if isinstance(users, list) else ())
        if isinstance(user, Mapping) and (user_id := to_id(user.get("id")))
    )
    return Department(
        id=_required_id(payload, "id"),
        name=to_text(payload.get("name")),
        status=to_text(payload.get("status")),
        user_ids=user_ids,
        raw=payload,
    )


def tag_from_payload(payload: Mapping[str, Any]) -> Tag:
    """Map one tag (list item, add, update)."""
    return Tag(
        id=_required_id(payload, "id"),
        name=to_text(payload.get("name")),
        color=to_text(payload.get("color")),
        types=_strings(payload.get("type")),
        raw=payload,
    )


def shortcut_from_payload(payload: Mapping[str, Any]) -> Shortcut:
    """Map one message shortcut (list item, add, update)."""
    return Shortcut(
        id=_required_id(payload, "id"),
        name=to_text(payload.get("shortcut_name")),
        message=to_text(payload.get("message")) or "",
        group_name=to_text(payload.get("groupName")),
        raw=payload,
    )


def case_message_from_payload(payload: Mapping[str, Any], tz: dt.tzinfo) -> CaseMessage:
    """Map the answer of add-message (the message, its case embedded)."""
    case = payload.get("case")
    case_id = to_id(payload.get("caseId")) or (
        to_id(case.get("id")) if isinstance(case, Mapping) else None
    )
    return CaseMessage(
        id=to_id(payload.get("id")),
        case_id=case_id,
        sender_type=to_text(payload.get("senderType")),
        type=to_text(payload.get("type")),
        text=to_text(payload.get("message")) or "",
        created_at=to_datetime(payload.get("dateCreated"), tz),
        raw=payload,
    )
