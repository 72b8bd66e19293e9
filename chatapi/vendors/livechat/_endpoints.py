"""Every LiveChat REST API v2 operation, as rows of the endpoint table
(:mod:`chatapi.endpoints`; REST API v2 reference, https://developers.livechat.com/docs/)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...endpoints import Endpoint, listing, plain
from ...errors import ErrorDetails
from ...pagination import DateWindowed, SinglePage
from . import _params as p
from ._convert import agent_from_payload, chat_from_payload, offline_message_from_payload
from ._convert_config import (
    canned_response_from_payload,
    goal_from_payload,
    greeting_from_payload,
    group_from_payload,
    tag_from_payload,
    visitor_from_payload,
    webhook_from_payload,
)
from ._convert_tickets import ticket_from_payload
from ._filters import AGENT_FILTERS, CHAT_FILTERS, OFFLINE_MESSAGE_FILTERS
from ._types import LiveChatStatus

__all__ = ["ENDPOINTS", "PER_PAGE", "RECORD_CAP"]

#: "each containing 25 chats" / "25 offline messages" / "25 tickets" (reference, "Archives"
#: and "Tickets"; the page shape is in tests/fixtures/livechat/chats_page_legacy.json).
PER_PAGE = 25
#: "the results are limited to the latest 25000 records" ("Archives"). Tickets page the same
#: way; their limit is undocumented and treated alike.
RECORD_CAP = 25_000


def _acknowledged(data: Any) -> bool:
    # Deletes and sends answer {"result": "<sentence>"}; greetings and tags {"ok": true}.
    return isinstance(data, Mapping) and ("result" in data or data.get("ok") is True)


def _tickets(payload: Any) -> Any:
    # The single-ticket calls answer with the listing's envelope, {"tickets": [...]}
    # (tests/fixtures/livechat/config/ticket_single.json); a bare ticket is accepted too.
    if isinstance(payload, Mapping) and isinstance(payload.get("tickets"), list):
        return payload["tickets"]
    return payload


def _chats(payload: Any) -> Any:
    # PUT /chats/<id>/tags answers with the archive's envelope, {"chats": [...]}.
    if isinstance(payload, Mapping) and isinstance(payload.get("chats"), list):
        return payload["chats"]
    return payload


def _webhooks(payload: Any) -> Any:
    # POST /webhooks answers with every webhook, {"events": [...]}.
    if isinstance(payload, Mapping) and isinstance(payload.get("events"), list):
        return payload["events"]
    return payload


def _by_id(records: Sequence[Any], arguments: Mapping[str, Any]) -> Any:
    """The record of the id the call named (the one record when the call named none)."""
    wanted = arguments.get("id")
    if wanted is None and len(records) == 1:
        return records[0]
    for record in records:
        if isinstance(record, Mapping) and str(record.get("id")) == str(wanted):
            return record
    return ErrorDetails(message=f"the answer holds no record {wanted!r}")


def _created_ticket(records: Sequence[Any], arguments: Mapping[str, Any]) -> Any:
    """The new ticket: the requester's, the last one listed if several."""
    mail = arguments.get("requester_mail")
    if len(records) == 1:
        return records[0]
    for record in reversed(records):
        requester = record.get("requester") if isinstance(record, Mapping) else None
        if isinstance(requester, Mapping) and requester.get("mail") == mail:
            return record
    return ErrorDetails(message="the answer holds no ticket of this requester")


def _created_webhook(records: Sequence[Any], arguments: Mapping[str, Any]) -> Any:
    """The new webhook among all of the license's: same event and URL, the last listed."""
    for record in reversed(records):
        if (
            isinstance(record, Mapping)
            and record.get("url") == arguments.get("url")
            and record.get("event_type") == arguments.get("event_type")
        ):
            return record
    return ErrorDetails(message="the answer holds no webhook with this event and URL")


def _count(payload: Any) -> Any:
    # The count's shape is undocumented: a bare number, or an object holding it.
    if isinstance(payload, int) and not isinstance(payload, bool):
        return {"count": payload}
    return payload


def _count_from_payload(payload: Mapping[str, Any]) -> int:
    for key in ("count", "total", "visitors"):
        value = payload.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
    raise ValueError(f"no visitor count in {sorted(payload)}")


def _status_from_payload(payload: Mapping[str, Any]) -> LiveChatStatus:
    value = payload["status"]
    if not isinstance(value, str):
        raise ValueError(f"status is {type(value).__name__}, not text")
    return LiveChatStatus(value.strip().lower())


def _write(path: str, method: str, params: Any, decode: Any = None, **fields: Any) -> Endpoint[Any]:
    body = fields.pop("body", "json")
    confirms = fields.pop("confirms", _acknowledged if decode is None else None)
    return Endpoint(
        path=path,
        method=method,
        body=body,
        parameters=params,
        decode=decode,
        confirms=confirms,
        **fields,
    )


def _config_rows(
    name: str, path: str, decode: Any, kind: str, create: Any, update: Any, **listing: Any
) -> dict[str, Endpoint[Any]]:
    """The list/get/create/update/delete rows of a configuration resource."""
    plural = f"{name}s"
    update_body = listing.pop("update_body", "json")
    update_method = listing.pop("update_method", "PUT")
    return {
        plural: Endpoint(path=path, decode=decode, kind=kind, strategy=SinglePage(), **listing),
        f"get_{name}": Endpoint(path=path + "/{id}", decode=decode, kind=kind),
        f"create_{name}": _write(path, "POST", create, decode, kind=kind),
        f"update_{name}": _write(
            path + "/{id}", update_method, update, decode, kind=kind, body=update_body
        ),
        f"delete_{name}": _write(path + "/{id}", "DELETE", None, kind=kind),
    }


def _archive(
    path: str, decode: Any, kind: str, items: str, filters: Any, *, capped: bool = True
) -> Endpoint[Any]:
    """A listing of 25 records per page reporting ``total`` and ``pages``; at (or above) the
    25,000-record cap it is cut into date windows fetched concurrently."""
    windows = DateWindowed(
        cap=RECORD_CAP, per_page=PER_PAGE, from_param="date_from", to_param="date_to"
    )
    return listing(
        path,
        decode,
        kind=kind,
        items=items,
        total=("total",),
        pages="pages",
        filters=filters,
        per_page=PER_PAGE,
        **({"strategy": windows} if capped else {}),
    )


_agent = plain(agent_from_payload)
_ticket = plain(ticket_from_payload)

#: Every operation of the client, as data (see :mod:`chatapi.endpoints`).
ENDPOINTS: dict[str, Endpoint[Any]] = {
    # -- archives ---------------------------------------------------------------------------
    "chats": _archive("/chats", plain(chat_from_payload), "chat", "chats", CHAT_FILTERS),
    "get_chat": Endpoint(path="/chats/{id}", decode=plain(chat_from_payload), kind="chat"),
    "update_chat_tags": _write(
        "/chats/{id}/tags",
        "PUT",
        p.CHAT_TAGS,
        plain(chat_from_payload),
        kind="chat",
        record=_chats,
        pick=_by_id,
    ),
    "send_transcript": _write("/chats/{id}/send_transcript", "POST", p.TRANSCRIPT),
    "offline_messages": _archive(
        "/offline_messages",
        plain(offline_message_from_payload),
        "offline message",
        "offline_messages",
        OFFLINE_MESSAGE_FILTERS,
        capped=False,
    ),
    "get_offline_message": Endpoint(
        path="/offline_messages/{id}",
        decode=plain(offline_message_from_payload),
        kind="offline message",
    ),
    # -- configuration ------------------------------------------------------------------------
    **_config_rows(
        "agent", "/agents", _agent, "agent", p.AGENT_CREATE, p.AGENT_UPDATE, filters=AGENT_FILTERS
    ),
    **_config_rows(
        "canned_response",
        "/canned_responses",
        plain(canned_response_from_payload),
        "canned response",
        p.CANNED_RESPONSE_CREATE,
        p.CANNED_RESPONSE_UPDATE,
        filters={"group"},
        update_body="form",
    ),
    **_config_rows(
        "goal",
        "/goals",
        plain(goal_from_payload),
        "goal",
        p.GOAL_CREATE,
        p.GOAL_UPDATE,
        filters={"type"},
    ),
    "mark_goal_as_successful": _write(
        "/goals/{id}/mark_as_successful", "POST", p.GOAL_SUCCESS, kind="goal"
    ),
    **_config_rows(
        "greeting",
        "/greetings",
        plain(greeting_from_payload),
        "greeting",
        p.GREETING_CREATE,
        p.GREETING_UPDATE,
        filters={"group"},
        update_body="form",
    ),
    **_config_rows(
        "group",
        "/groups",
        plain(group_from_payload),
        "group",
        p.GROUP_CREATE,
        p.GROUP_UPDATE,
    ),
    # The reference's example asks GET /status/1 for group 1.
    "status": Endpoint(path="/status/{group}", decode=plain(_status_from_payload), kind="status"),
    "tags": Endpoint(
        path="/tags",
        decode=plain(tag_from_payload),
        kind="tag",
        filters={"group"},
        strategy=SinglePage(),
    ),
    "create_tag": _write("/tags", "POST", p.TAG_CREATE, plain(tag_from_payload), kind="tag"),
    # A DELETE with a JSON body naming the group, as the reference shows.
    "delete_tag": _write("/tags/{id}", "DELETE", p.TAG_DELETE, kind="tag"),
    # -- tickets -----------------------------------------------------------------------------
    "tickets": _archive("/tickets", _ticket, "ticket", "tickets", p.TICKET_FILTERS),
    "get_ticket": Endpoint(
        path="/tickets/{id}", decode=_ticket, kind="ticket", record=_tickets, pick=_by_id
    ),
    "create_ticket": _write(
        "/tickets",
        "POST",
        p.TICKET_CREATE,
        _ticket,
        kind="ticket",
        record=_tickets,
        pick=_created_ticket,
    ),
    "update_ticket_tags": _write(
        "/tickets/{id}/tags",
        "PUT",
        p.TICKET_TAGS,
        _ticket,
        kind="ticket",
        record=_tickets,
        pick=_by_id,
    ),
    # -- webhooks ----------------------------------------------------------------------------
    "webhooks": Endpoint(
        path="/webhooks",
        decode=plain(webhook_from_payload),
        kind="webhook",
        items="events",
        strategy=SinglePage(),
    ),
    "create_webhook": _write(
        "/webhooks",
        "POST",
        p.WEBHOOK_CREATE,
        plain(webhook_from_payload),
        kind="webhook",
        body="form",
        record=_webhooks,
        pick=_created_webhook,
    ),
    "delete_webhook": _write("/webhooks/{id}", "DELETE", None, kind="webhook"),
    # -- visitors ----------------------------------------------------------------------------
    "visitors": Endpoint(
        path="/visitors",
        decode=plain(visitor_from_payload),
        kind="visitor",
        filters=p.VISITOR_FILTERS,
        strategy=SinglePage(),
    ),
    "count_visitors": Endpoint(
        path="/visitors",
        decode=plain(_count_from_payload),
        kind="visitor count",
        filters=p.VISITOR_FILTERS,
        constants=(("count", "1"),),
        record=_count,
    ),
    "add_visitor_details": _write(
        "/visitors/{id}/details", "POST", p.VISITOR_DETAILS, kind="visitor", body="form"
    ),
}
