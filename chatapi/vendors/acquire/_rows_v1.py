"""The Acquire v1 operations as endpoint rows (:mod:`chatapi.endpoints`).

Every v1 read is a ``POST`` with a form (or JSON) body inside the ``{"success", "error",
"data"}`` envelope, retried like a GET. ``chats`` and ``offline_messages`` are the outer
listing (profiles with chat history) of a nested listing whose inner rows are ``threads``
and whose transcripts come from ``transcript`` (see :class:`~chatapi.vendors.acquire.AcquireV1`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import attrs

from ...endpoints import Endpoint, PageNumber, plain
from ...errors import ErrorDetails, ResponseFormatError
from ...models import Chat, OfflineMessage
from ...pagination import KnownTotal, Params, UntilShortPage
from ._convert_v1 import (
    v1_agent,
    v1_chat_from_messages,
    v1_is_offline,
    v1_offline_message,
    v1_visitor,
)
from ._filters import DEFAULT_PAGE_SIZE, V1_CAPABILITIES, encode_filters
from ._rows_v1_writes import WRITE_ENDPOINTS

__all__ = ["ENDPOINTS", "thread_key"]


def _envelope(body: Any) -> Any:
    # {"success": true, "error": null, "data": ...} (every v1 example); a bare payload is
    # accepted as the payload itself, even one with a "data" list of its own (profiles).
    if (
        isinstance(body, Mapping)
        and "data" in body
        and ("success" in body or set(body) <= {"data", "error", "success"})
    ):
        return body["data"]
    return body


def _read(path: str, decode: Any, kind: str, **fields: Any) -> Endpoint[Any]:
    """A v1 read: a POST with a form body, retried like a GET, inside the v1 envelope."""
    fields.setdefault("body", "form")
    return Endpoint(
        path=path,
        decode=decode,
        kind=kind,
        method="POST",
        idempotent=True,
        envelope=_envelope,
        **fields,
    )


def _paged(path: str, decode: Any, kind: str, **fields: Any) -> Endpoint[Any]:
    """A page/limit v1 listing whose size is the ``page_size`` filter."""
    fields.setdefault("strategy", KnownTotal(per_page=DEFAULT_PAGE_SIZE))
    return _read(
        path,
        decode,
        kind,
        paging=PageNumber(param="page", size_param="limit"),
        page_size=DEFAULT_PAGE_SIZE,
        size_filter="page_size",
        **fields,
    )


def _size(filters: Mapping[str, Any]) -> dict[str, str | tuple[str, ...]]:
    params = encode_filters(filters)
    return {"page_size": params["page_size"]} if "page_size" in params else {}


def _chat_profiles(filters: Mapping[str, Any]) -> Params:
    # Account-wide, the profile list filtered on chat history is the only chat index v1 has
    # (https://developer.acquire.io/rest-apis/profiles-api/user): its profiles' threads are
    # the chats. The other filters (visitor_id, include_messages) act on the threads.
    return {"filter[master]": "chathistory", **_size(filters)}


def _profiles(filters: Mapping[str, Any]) -> Params:
    params = encode_filters(filters)
    master = params.pop("master", None)
    return {**params, "filter[master]": master} if master is not None else params


def _agents_document(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    # JSON body (https://developer.acquire.io/rest-apis/agent/agents-list):
    # {"page", "limit", "sort_by": {key, order}}.
    values = dict(pairs)
    return {
        "page": int(values["page"]),
        "limit": int(values["limit"]),
        "sort_by": {"key": values.get("sort_by", ""), "order": values.get("order", "")},
    }


def _thread_row(payload: Any, _context: Any) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise TypeError("a thread row is not an object")
    return payload


def thread_key(row: Mapping[str, Any]) -> Hashable:
    key: Hashable = row.get("thread_id")
    return key


def _message_rows(payload: Any) -> list[Mapping[str, Any]]:
    rows = payload.get("messages") if isinstance(payload, Mapping) else payload
    if not isinstance(rows, list):
        raise ResponseFormatError(
            "acquire /profile/lead/message answer has no 'messages' list",
            vendor="acquire",
            field="messages",
        )
    for row in rows:
        if not isinstance(row, Mapping):
            raise ResponseFormatError(
                "acquire /profile/lead/message message is not an object", vendor="acquire"
            )
    return rows


def _transcript(payload: Any) -> Any:
    return payload if isinstance(payload, Mapping) else {"messages": payload}


def _chat_transcript(payload: Any) -> Any:
    # Success with no messages: v1 has no thread lookup, so the thread is not found.
    if isinstance(payload, Mapping) and payload.get("messages") == []:
        return ErrorDetails(message="the thread has no messages")
    return _transcript(payload)


def _offline_transcript(payload: Any) -> Any:
    rows = payload.get("messages") if isinstance(payload, Mapping) else None
    if isinstance(rows, list) and not any(
        isinstance(r, Mapping) and v1_is_offline(r) for r in rows
    ):
        return ErrorDetails(message="the thread is not an offline message")
    return _transcript(payload)


def _get_chat(payload: Any, context: tuple[str, dt.tzinfo]) -> Chat:
    thread_id, tz = context
    return v1_chat_from_messages(thread_id, _message_rows(payload), tz)


def _get_offline(payload: Any, context: tuple[str, dt.tzinfo]) -> OfflineMessage:
    thread_id, tz = context
    return v1_offline_message({"thread_id": thread_id}, tz, _message_rows(payload))


_MESSAGES = "/profile/lead/message"

#: Every operation of the v1 client, as data (see :mod:`chatapi.endpoints`).
# The outer listing of chats and offline messages: profiles with chat history.
_CHAT_PROFILES = _paged(
    "/profile/lead/list",
    plain(v1_visitor),
    "profile",
    items="data",
    total=("total",),
    filters=V1_CAPABILITIES["chats"],
    encode=_chat_profiles,
    decode_at_once=True,
)

ENDPOINTS: dict[str, Endpoint[Any]] = {
    "chats": _CHAT_PROFILES,
    "offline_messages": attrs.evolve(_CHAT_PROFILES, filters=V1_CAPABILITIES["offline_messages"]),
    # One profile's threads: page/limit, no count; a short page is the last.
    "threads": _paged(
        "/profile/message/thread",
        _thread_row,
        "thread",
        items="messages",
        strategy=UntilShortPage(per_page=DEFAULT_PAGE_SIZE),
        decode_at_once=True,
    ),
    # The Profile Message API: a thread's messages (the transcript of a listed thread).
    "transcript": _read(_MESSAGES, plain(_message_rows), "message", record=_transcript),
    "get_chat": _read(_MESSAGES, _get_chat, "message", record=_chat_transcript),
    "get_offline_message": _read(
        _MESSAGES, _get_offline, "offline thread", record=_offline_transcript
    ),
    "agents": _paged(
        "/account/agents",
        plain(v1_agent),
        "agent",
        body="json",
        json_document=_agents_document,
        items="rows",
        total=("count",),
        # Page numbers are the vendor's: its own "limit" (if it capped ours) sets the count.
        served_size="limit",
        filters=V1_CAPABILITIES["agents"],
        encode=encode_filters,
    ),
    "get_agent": _read("/account/agents/edit", plain(v1_agent), "agent"),
    "visitors": _paged(
        "/profile/lead/list",
        plain(v1_visitor),
        "profile",
        items="data",
        total=("total",),
        filters=V1_CAPABILITIES["visitors"],
        encode=_profiles,
    ),
    "get_visitor": _read("/profile/lead/detail", plain(v1_visitor), "profile"),
    # The writes: agents/add, agents/update, lead/add-update, lead/delete.
    **WRITE_ENDPOINTS,
}
