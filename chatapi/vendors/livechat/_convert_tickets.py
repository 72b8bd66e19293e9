"""LiveChat v2 ticket payloads -> :class:`chatapi.livechat.Ticket` (pure functions).

Shapes: the REST API v2 reference's ticket (https://developers.livechat.com/docs/, "Get list of
tickets"; ``tests/fixtures/livechat/config/tickets_page.json``) with epoch-second times, and
recorded ``ticket_created`` tickets with ISO times, ``groups`` as ``{"id", "inherited"}`` objects
and ``source.type`` ``"chat-window"`` (``tests/fixtures/livechat/config/ticket_iso_dates.json``).

Events are typed by ``type``: ``"message"`` -> :class:`TicketMessage`, ``"assignee_changed"``
-> :class:`TicketAssigneeChanged`, anything else -> :class:`TicketUnknownEvent` with its payload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ...models import Participant, ParticipantKind
from ._types import (
    Ticket,
    TicketAssigneeChanged,
    TicketEvent,
    TicketMessage,
    TicketStatus,
    TicketUnknownEvent,
)
from ._values import converter, flag, mapping, record_id, text, texts, when

__all__ = ["ticket_from_payload"]

# author.type of ticket events: "client" is the requester, "agent" an agent (tickets_page.json).
_AUTHOR_KINDS = {
    "client": ParticipantKind.VISITOR,
    "visitor": ParticipantKind.VISITOR,
    "customer": ParticipantKind.VISITOR,
    "agent": ParticipantKind.AGENT,
    "supervisor": ParticipantKind.SUPERVISOR,
    "bot": ParticipantKind.BOT,
    "system": ParticipantKind.SYSTEM,
}


def _email(ident: str | None) -> str | None:
    return ident if ident is not None and "@" in ident else None


def _person(
    value: Any, *, requester: Participant | None, default: ParticipantKind
) -> Participant | None:
    """An event author or assignee; None when absent.

    The kind comes from ``type`` when it is a known one, else the person is the visitor when
    their id is the requester's mail, else ``default``.
    """
    person = mapping(value)
    if not person:
        return None
    ident = text(person.get("id"))
    if ident is None:
        ident = text(person.get("mail", person.get("email")))
    kind = _AUTHOR_KINDS.get(str(person.get("type", "")).strip().lower())
    if kind is None:
        is_requester = (
            requester is not None
            and ident is not None
            and requester.id is not None
            and ident.lower() == requester.id.lower()
        )
        kind = ParticipantKind.VISITOR if is_requester else default
    return Participant(kind=kind, id=ident, name=text(person.get("name")), email=_email(ident))


def _requester(value: Any) -> Participant:
    person = mapping(value)
    mail = text(person.get("mail", person.get("email")))
    return Participant(
        kind=ParticipantKind.VISITOR, id=mail, name=text(person.get("name")), email=mail
    )


def _source(value: Any) -> str | None:
    # {"type": "mail"} in the reference; a bare string is accepted too.
    if isinstance(value, Mapping):
        return text(value.get("type"))
    return text(value)


def _event(item: Any, requester: Participant) -> TicketEvent:
    event = mapping(item)
    kind = text(event.get("type")) or ""
    created_at = when(event.get("date"))
    if kind == "message":
        author = _person(event.get("author"), requester=requester, default=ParticipantKind.AGENT)
        message = event.get("message", event.get("text"))
        return TicketMessage(
            author=author or Participant(kind=ParticipantKind.UNKNOWN),
            text=message if isinstance(message, str) else (text(message) or ""),
            is_private=bool(flag(event.get("is_private"), default=False)),
            created_at=created_at,
            source=_source(event.get("source")),
            raw=event,
        )
    if kind == "assignee_changed":
        return TicketAssigneeChanged(
            author=_person(event.get("author"), requester=requester, default=ParticipantKind.AGENT),
            assignee=_person(event.get("to"), requester=None, default=ParticipantKind.AGENT),
            created_at=created_at,
            raw=event,
        )
    return TicketUnknownEvent(type=kind, created_at=created_at, raw=event)


def _opened_at(value: Any) -> dt.datetime | None:
    # "opened": [{"from": 1384554260}] -- one period per (re)opening; the first is the opening.
    if isinstance(value, list):
        for period in value:
            start = when(mapping(period).get("from"))
            if start is not None:
                return start
        return None
    if isinstance(value, Mapping):
        return when(value.get("from"))
    return when(value)


def _first_response_at(value: Any) -> dt.datetime | None:
    # "firstResponse": {} until an agent answers; then an object with the answer's date.
    if isinstance(value, Mapping):
        for key in ("date", "time", "timestamp"):
            moment = when(value.get(key))
            if moment is not None:
                return moment
        return None
    return when(value)


@converter("ticket")
def ticket_from_payload(payload: Mapping[str, Any]) -> Ticket:
    """Map one ticket: an item of the ``tickets`` list of ``/tickets`` (and of the single-ticket,
    create and tag-update answers, which use the same envelope).

    Times may be epoch seconds or ISO-8601 strings; all come back as UTC.
    """
    ident = record_id(payload, "id", "ticket")
    get = payload.get
    requester = _requester(get("requester"))
    events = get("events")
    groups = get("groups")
    if groups is None:
        groups = get("group")
    return Ticket(
        id=ident,
        subject=text(get("subject")),
        status=TicketStatus(str(get("status") or "").strip().lower()),
        requester=requester,
        assignee=_person(get("assignee"), requester=None, default=ParticipantKind.AGENT),
        group_ids=texts(groups),
        tags=texts(get("tags")),
        source=_source(get("source")),
        opened_at=_opened_at(get("opened")),
        modified_at=when(get("modified")),
        first_response_at=_first_response_at(get("firstResponse")),
        events=tuple(_event(item, requester) for item in events)
        if isinstance(events, list)
        else (),
        raw=payload,
    )
