"""REVE Chat's operations as endpoint rows (see :mod:`chatapi.endpoints`), one table per
generation, and the readers of its two body shapes.

* Legacy (https://docs.revechat.com/developers-docs/rest/introduction): paths
  ``/api/<resource>/`` and ``/api/<resource>/<id>``; bodies are bare JSON arrays
  (``tests/fixtures/revechat/agents_legacy.json``).
* Current (https://www.revechat.com/hc/introduction-to-rest-api): the account id is a path
  segment, ``/api/agents/{account_id}`` and ``/api/chats/{account_id}/`` are the two published
  listing paths (https://www.revechat.com/hc/agents-api); bodies are ``{"status", "message",
  "body": [...]}`` envelopes (``tests/fixtures/revechat/agents_current_envelope.json``).

Both body shapes are accepted whichever generation is configured. Every listing pages with
``page_no`` ("The requested page number. Default value: 1", on each page of the legacy
reference) until an empty page: REVE reports no total.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...endpoints import Decoder, Endpoint, PageNumber, Reader, plain
from ...errors import ErrorDetails
from ...pagination import UntilEmpty
from ._convert import (
    agent_from_payload,
    chat_from_payload,
    offline_message_from_payload,
    visitor_from_payload,
)
from ._filters import (
    AGENT_FILTERS,
    CHAT_FILTERS,
    OFFLINE_MESSAGE_FILTERS,
    VISITOR_FILTERS,
)

__all__ = [
    "CURRENT",
    "CURRENT_ENDPOINTS",
    "ENDPOINTS_BY_GENERATION",
    "LEGACY",
    "LEGACY_ENDPOINTS",
    "listing_records",
    "single_record",
]

LEGACY = "legacy"
CURRENT = "current"

#: The only keys of an envelope that carries no records (no ``body`` at all).
_ENVELOPE_KEYS = frozenset({"status", "message", "code"})


def _bodyless_success(data: Any) -> bool:
    """Whether ``data`` is ``{"status": "success", "message": ...}`` with no ``body``.

    Only a success envelope with records is published (https://www.revechat.com/hc/agents-api);
    an answer without records may plausibly leave ``body`` out. Records have a ``status`` too
    (an agent's ``"OFFLINE"``), hence the strict key set.
    """
    if not isinstance(data, Mapping) or "body" in data or not set(data) <= _ENVELOPE_KEYS:
        return False
    status = data.get("status")
    return isinstance(status, str) and status.strip().lower() == "success"


def listing_records(data: Any) -> Any:
    """The records of a listing body: a bare array (legacy) or an envelope's ``body``.

    ``body: null`` and a success envelope without ``body`` are an empty page (the end of the
    listing). Anything else is returned as is (not a list): the core then raises
    ``ResponseFormatError``.
    """
    if isinstance(data, list):
        return data
    if _bodyless_success(data):
        return []
    if isinstance(data, Mapping) and "body" in data:
        body = data["body"]
        return [] if body is None else body
    return None


def single_record(kind: str) -> Reader:
    """A reader of the one record of a ``get_*`` body, bare or in an envelope.

    An envelope without a record (``body`` null, empty or absent) is
    :class:`~chatapi.errors.ErrorDetails` with the envelope's message: the core raises
    ``NotFoundError``. A one-item list is its item; any other non-object is left for the core
    to reject.
    """

    def read(data: Any) -> Any:
        record = data
        enveloped = _bodyless_success(data) or (isinstance(data, Mapping) and "body" in data)
        if enveloped:
            record = data.get("body")
            if record is None or record == []:
                message = data.get("message")
                if not isinstance(message, str) or not message:
                    message = f"no {kind} found"
                return ErrorDetails(message=message)
        if isinstance(record, list) and len(record) == 1:
            return record[0]
        return record

    read.__name__ = f"read_{kind.replace(' ', '_')}"
    return read


def _listing(path: str, decode: Decoder[Any], kind: str, **fields: Any) -> Endpoint[Any]:
    return Endpoint(
        path=path,
        decode=decode,
        kind=kind,
        items=listing_records,
        paging=PageNumber(param="page_no"),
        strategy=UntilEmpty(),
        # What REVE answers past the last page is undocumented; its "No Record found" 404s
        # (tests/fixtures/revechat/error_404_offline_message.json) suggest it may be a 404.
        # After page 1 proved the path right, a 404 ends the listing like an empty page.
        not_found_ends_listing=True,
        **fields,
    )


def _get(path: str, decode: Decoder[Any], kind: str) -> Endpoint[Any]:
    return Endpoint(path=path, decode=decode, kind=kind, record=single_record(kind))


def _table(listings: Mapping[str, str], items: Mapping[str, str]) -> dict[str, Endpoint[Any]]:
    """The rows of one generation from its listing and item paths (by resource)."""
    chat = plain(chat_from_payload)
    offline = plain(offline_message_from_payload)
    agent = plain(agent_from_payload)
    visitor = plain(visitor_from_payload)
    return {
        "chats": _listing(listings["chats"], chat, "chat", filters=CHAT_FILTERS),
        "get_chat": _get(items["chats"], chat, "chat"),
        "offline_messages": _listing(
            listings["offlinemessages"],
            offline,
            "offline message",
            filters=OFFLINE_MESSAGE_FILTERS,
        ),
        "get_offline_message": _get(items["offlinemessages"], offline, "offline message"),
        "agents": _listing(listings["agents"], agent, "agent", filters=AGENT_FILTERS),
        "get_agent": _get(items["agents"], agent, "agent"),
        "visitors": _listing(listings["visitors"], visitor, "visitor", filters=VISITOR_FILTERS),
        "get_visitor": _get(items["visitors"], visitor, "visitor"),
    }


_RESOURCES = ("agents", "chats", "offlinemessages", "visitors")

#: The legacy generation: "/api/offlinemessages/", "/api/offlinemessages/744"
#: (https://docs.revechat.com/developers-docs/rest/offline-message), "/api/agents/463"
#: (https://docs.revechat.com/developers-docs/rest/introduction).
LEGACY_ENDPOINTS: dict[str, Endpoint[Any]] = _table(
    {resource: f"/api/{resource}/" for resource in _RESOURCES},
    {resource: f"/api/{resource}/{{id}}" for resource in _RESOURCES},
)

#: The current generation. Only the agents (no trailing slash) and chats (with one) listing
#: paths are published (https://www.revechat.com/hc/introduction-to-rest-api,
#: https://www.revechat.com/hc/agents-api); the others follow the chats shape [inferred]. No
#: item path is published: the account id takes the place the legacy paths give the record id
#: (``/api/agents/{account}``), so the record id follows it [inferred].
CURRENT_ENDPOINTS: dict[str, Endpoint[Any]] = _table(
    {
        "agents": "/api/agents/{account}",
        "chats": "/api/chats/{account}/",
        "offlinemessages": "/api/offlinemessages/{account}/",
        "visitors": "/api/visitors/{account}/",
    },
    {resource: f"/api/{resource}/{{account}}/{{id}}" for resource in _RESOURCES},
)

#: The rows of each generation (same operations, same filters; paths differ).
ENDPOINTS_BY_GENERATION: dict[str, dict[str, Endpoint[Any]]] = {
    LEGACY: LEGACY_ENDPOINTS,
    CURRENT: CURRENT_ENDPOINTS,
}
