"""The Acquire v2 API: ``https://{account_id}.acquire.io/api/v1`` REST, ``{"data": ...}`` bodies.

Every operation is an endpoint row (:mod:`chatapi.endpoints`). Listings page by
``offset``/``limit`` and report ``count`` (cases, users) or ``counts.total`` (contacts), so
pages fan out concurrently; without a count, a short page is the last one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..._core.secrets import Secret
from ...endpoints import Endpoint, OffsetLimit, plain
from ...errors import ConfigurationError
from ...models import Agent, Chat, Visitor
from ...pagination import KnownTotal, Pager, Params
from ._client import Acquire, credential
from ._convert_v2 import v2_agent, v2_chat, v2_visitor
from ._filters import DEFAULT_PAGE_SIZE, V2_CAPABILITIES, encode_filters
from ._v2_normalized import V2NormalizedWrites
from ._v2_rows import WRITE_ENDPOINTS

__all__ = ["ENDPOINTS", "AcquireV2"]

# A DNS label: the account id becomes the v2 host name and must not be able to change it.
_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
# v2 relations fetched with a case: the customer, the agents, and (optionally) the transcript
# ("Available relations: contact|messages|cases|users|..." on the case list page,
# https://developer.acquire.io/v/2.0.0/rest-apis/conversation/conversation-or-cases/list).
_CASE_RELATIONS = "contact|users"


def _relations(messages: bool) -> str:
    return f"{_CASE_RELATIONS}|messages" if messages else _CASE_RELATIONS


def _where(columns: Mapping[str, str], *, cases: bool = False) -> Any:
    """A filter encoder: named filters become ``where`` conditions (``column|eq|value``)."""

    def encode(filters: Mapping[str, Any]) -> Params:
        params = encode_filters(filters)
        conditions = list(params.get("where", ()))
        for name, column in columns.items():
            value = params.get(name)
            if isinstance(value, str):
                conditions.append(f"{column}|eq|{value}")
        wire: dict[str, str | tuple[str, ...]] = {}
        if "page_size" in params:
            wire["page_size"] = params["page_size"]
        if conditions:
            # "where" is an array parameter (case list page): one repeated parameter each.
            wire["where"] = tuple(conditions)
        if cases:
            wire["relations"] = _relations(params.get("include_messages", "1") == "1")
        return wire

    return encode


def _items(payload: Any) -> Any:
    # Cases and users: {"count", "data": [...]}; contacts: {"list": [...], "counts": {"total"}}
    # (tests/fixtures/acquire/acquire_v2-contact-list_constructed.json).
    if isinstance(payload, Mapping):
        return payload.get("list") if isinstance(payload.get("list"), list) else payload.get("data")
    return payload


def _case(payload: Any, tz: Any) -> Chat:
    return v2_chat(payload, tz)


def _listing(path: str, decode: Any, kind: str, operation: str, encode: Any) -> Endpoint[Any]:
    return Endpoint(
        path=path,
        decode=decode,
        kind=kind,
        envelope="data",
        items=_items,
        total=("count", "counts.total", "total"),
        paging=OffsetLimit(),
        # Without a count, the engine ends the listing at a short page.
        strategy=KnownTotal(per_page=DEFAULT_PAGE_SIZE),
        page_size=DEFAULT_PAGE_SIZE,
        size_filter="page_size",
        # Offsets step by our limit: a smaller page would skip records (PaginationError).
        served_size="limit",
        filters=V2_CAPABILITIES[operation],
        encode=encode,
    )


#: Every operation of the v2 client, as data (see :mod:`chatapi.endpoints`).
ENDPOINTS: dict[str, Endpoint[Any]] = {
    "chats": _listing(
        "/crm/objects/case",
        _case,
        "case",
        "chats",
        _where({"status": "status", "channel": "channel", "contact_id": "contactId"}, cases=True),
    ),
    "get_chat": Endpoint(path="/crm/objects/case/{id}", decode=_case, kind="case", envelope="data"),
    "agents": _listing(
        "/account/user", plain(v2_agent), "user", "agents", _where({"status": "status"})
    ),
    "get_agent": Endpoint(
        path="/account/user/{id}", decode=plain(v2_agent), kind="user", envelope="data"
    ),
    "visitors": _listing(
        "/crm/objects/contact", plain(v2_visitor), "contact", "visitors", _where({})
    ),
    "get_visitor": Endpoint(
        path="/crm/objects/contact/{id}", decode=plain(v2_visitor), kind="contact", envelope="data"
    ),
    # Users, contacts, cases, departments, tags and shortcuts: _v2_rows.py.
    **WRITE_ENDPOINTS,
}


class AcquireV2(V2NormalizedWrites, Acquire):
    """The v2 API: ``https://{account_id}.acquire.io/api/v1`` REST, ``{"data": ...}`` bodies.

    Listings page by ``offset``/``limit`` and report ``count``, so pages fan out
    concurrently. Writes (users, contacts, cases, departments, tags, shortcuts) and the
    normalized ``create_*``/``find_*`` are in ``_v2_writes.py`` and ``_v2_normalized.py``.
    Offline messages do not exist in v2 (no endpoint in https://developer.acquire.io/v/2.0.0/).
    """

    generation = "v2"
    default_base_url = "https://{account_id}.acquire.io/api/v1"
    endpoints = ENDPOINTS
    # A migration reads v2's groups as departments and canned responses as shortcuts.
    migration_listings = {"groups": "departments", "canned_responses": "shortcuts"}

    def _configure(
        self,
        token: str | None,
        api_key: str | None,
        account_id: str | int | None,
        options: dict[str, Any],
    ) -> Secret:
        secret = credential("api_key", api_key)
        if account_id is not None:
            text = str(account_id).strip()
            if isinstance(account_id, bool) or not _ACCOUNT_ID.match(text):
                raise ConfigurationError(
                    "account_id must be the account's subdomain (letters, digits, '-')",
                    vendor=self.vendor,
                )
            self.account_id: str | None = text
            options.setdefault("base_url", None)
            if options["base_url"] is None:
                options["base_url"] = f"https://{text}.acquire.io/api/v1"
        elif options.get("base_url"):
            self.account_id = None  # a sandbox or proxy root stands in for the account host
        else:
            raise ConfigurationError(
                "Acquire v2 needs account_id (the subdomain) or a base_url", vendor=self.vendor
            )
        return secret

    # -- normalized operations: typed wrappers over ENDPOINTS -------------------------------

    def chats(self, **filters: Any) -> Pager[Chat]:
        """Every case (``/crm/objects/case``) matching ``filters``, with its contact, agents
        and (by default) messages.

        Args:
            **filters: ``status`` (``active``, ``close``...), ``channel`` (``chat``...),
                ``contact_id``, ``where`` (raw conditions like ``"status|eq|active"``, a str or
                a list), ``include_messages`` (bool, default True), ``page_size``.

        Raises:
            TypeError: An unknown filter name (before any request).
            ValueError: A filter value of the wrong kind.
        """
        return self._list("chats", filters)

    async def get_chat(self, chat_id: str) -> Chat:
        """One case by id, with its contact, agents and messages.

        Raises:
            NotFoundError: No such case.
        """
        chat: Chat = await self._call(
            "get_chat", path_args={"id": chat_id}, params={"relations": _relations(True)}
        )
        return chat

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every account user (``/account/user``).

        Args:
            **filters: ``status`` (``active``...), ``where``, ``page_size``.
        """
        return self._list("agents", filters)

    async def get_agent(self, agent_id: str) -> Agent:
        """One account user by id."""
        agent: Agent = await self._call("get_agent", path_args={"id": agent_id})
        return agent

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """Every contact (``/crm/objects/contact``).

        Args:
            **filters: ``where``, ``page_size``.
        """
        return self._list("visitors", filters)

    async def get_visitor(self, visitor_id: str) -> Visitor:
        """One contact by id."""
        visitor: Visitor = await self._call("get_visitor", path_args={"id": visitor_id})
        return visitor
