"""The Acquire v1 API: ``POST https://app.acquire.io/api/...`` with form (or JSON) bodies.

Every operation is an endpoint row (:mod:`chatapi.endpoints`). Chats and offline messages are
a listing of listings: the profiles with chat history, each profile's threads, then each
thread's transcript (see :meth:`AcquireV1.chats`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from ..._core.mapping import map_records
from ..._core.secrets import Secret
from ...endpoints import Endpoint, PageNumber, plain
from ...errors import ErrorDetails, ResponseFormatError
from ...models import Agent, Chat, OfflineMessage, Visitor
from ...pagination import KnownTotal, Page, Pager, Params, SinglePage, UntilShortPage
from ._client import Acquire, credential
from ._convert_v1 import (
    v1_agent,
    v1_chat,
    v1_chat_from_messages,
    v1_is_offline,
    v1_offline_message,
    v1_visitor,
)
from ._filters import DEFAULT_PAGE_SIZE, V1_CAPABILITIES, encode_filters

__all__ = ["ENDPOINTS", "AcquireV1"]

T = TypeVar("T")
Thread = tuple[Visitor | None, Mapping[str, Any]]


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


def _thread_key(row: Mapping[str, Any]) -> Hashable:
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
ENDPOINTS: dict[str, Endpoint[Any]] = {
    # The outer listing of chats and offline messages: profiles with chat history.
    "chats": _paged(
        "/profile/lead/list",
        plain(v1_visitor),
        "profile",
        items="data",
        total=("total",),
        filters=V1_CAPABILITIES["chats"],
        encode=_chat_profiles,
        decode_at_once=True,
    ),
    "offline_messages": _paged(
        "/profile/lead/list",
        plain(v1_visitor),
        "profile",
        items="data",
        total=("total",),
        filters=V1_CAPABILITIES["offline_messages"],
        encode=_chat_profiles,
        decode_at_once=True,
    ),
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
}


async def _gather(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Await all concurrently; on the first failure cancel the rest before raising it."""
    tasks = [asyncio.ensure_future(item) for item in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _optional(value: Any) -> str | None:
    return str(value) if value is not None else None


class AcquireV1(Acquire):
    """The v1 API: ``POST https://app.acquire.io/api/...`` with form (or JSON) bodies.

    Every read is a POST, retried like a GET. Naive times are read in ``timezone``.
    Listings: :meth:`chats`, :meth:`offline_messages`, :meth:`agents`, :meth:`visitors`.
    """

    generation = "v1"
    default_base_url = "https://app.acquire.io/api"
    endpoints = ENDPOINTS

    def _configure(
        self,
        token: str | None,
        api_key: str | None,
        account_id: str | int | None,
        options: dict[str, Any],
    ) -> Secret:
        return credential("token", token)

    # -- threads: a listing of listings -----------------------------------------------------

    def _threads(self, operation: str, filters: Mapping[str, Any]) -> tuple[Any, Params, Any]:
        """The page fetcher of profile threads, its parameters and its outer strategy."""
        row = self._check_filters(operation, filters)
        assert row is not None
        params = encode_filters(filters)
        size = str(params.get("page_size", DEFAULT_PAGE_SIZE))

        def threads_of(visitor: Visitor | None) -> Pager[Any]:
            # lead_id 0 as in the doc example
            # (https://developer.acquire.io/rest-apis/profiles-api/thread). Pages one at a
            # time: most profiles have one page of threads, and profiles run concurrently.
            visitor_id = params.get("visitor_id") if visitor is None else visitor.id
            query = {"lead_id": "0", "visitor_id": str(visitor_id), "page_size": size}
            return self._row_pager("threads", query, key=_thread_key, concurrency=1)

        visitor_id = params.get("visitor_id")
        if isinstance(visitor_id, str):

            async def one_visitor(_params: Params, number: int) -> Page[Visitor | None]:
                return Page(items=(None,), number=number, total=1, pages=1)

            fetch = self._nested(one_visitor, threads_of)
            return fetch, params, SinglePage()
        fetch = self._nested(self._row_fetcher(operation), threads_of, per_page=int(size))
        return fetch, {**row.encode_filters(filters)}, KnownTotal()

    async def _transcript(self, thread: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """A thread's messages (the Profile Message API), selecting its latest chat."""
        thread_id = thread.get("thread_id")
        if thread_id is None:
            raise ResponseFormatError(
                "acquire thread payload lacks the required field 'thread_id'",
                vendor=self.vendor,
                field="thread_id",
            )
        form = {"thread_id": str(thread_id)}
        if (visitor_id := _optional(thread.get("visitor_id"))) is not None:
            form["visitor_id"] = visitor_id
        if (chat_id := _optional(thread.get("chat_id"))) is not None:
            # Selects the chat of the thread to load: the example's last_chat_id 106241
            # returns messages whose chat_id is 106241
            # (tests/fixtures/acquire/acquire_v1-profile-lead-message_seed.json).
            form["last_chat_id"] = chat_id
        rows: list[Mapping[str, Any]] = await self._call("transcript", params=form)
        return rows

    async def _thread_page(
        self,
        fetch: Callable[[Params, int], Awaitable[Page[Thread]]],
        mapper: Callable[
            [Mapping[str, Any], dt.tzinfo, Sequence[Mapping[str, Any]], Visitor | None], T
        ],
        kind: str,
        keep: Callable[[Mapping[str, Any]], bool],
        with_messages: bool,
        params: Params,
        number: int,
    ) -> Page[T]:
        """One page of profile threads (those ``keep`` accepts), each with its transcript."""
        page = await fetch(params, number)
        pairs = [(visitor, thread) for visitor, thread in page.items if keep(thread)]
        if with_messages:
            transcripts = await _gather(self._transcript(thread) for _, thread in pairs)
        else:
            transcripts = [[] for _ in pairs]
        tz = self.timezone
        items = map_records(
            lambda job: mapper(job[0][1], tz, job[1], job[0][0]),
            zip(pairs, transcripts, strict=True),
            vendor=self.vendor,
            kind=kind,
        )
        # The vendor counts profiles, not threads: no record total to announce.
        return Page(items=items, number=number, raw=page.raw, total=None, pages=page.pages)

    def _thread_listing(
        self,
        operation: str,
        filters: Mapping[str, Any],
        mapper: Callable[
            [Mapping[str, Any], dt.tzinfo, Sequence[Mapping[str, Any]], Visitor | None], T
        ],
        kind: str,
        keep: Callable[[Mapping[str, Any]], bool],
    ) -> Pager[T]:
        fetch, params, strategy = self._threads(operation, filters)
        with_messages = filters.get("include_messages", True) is not False

        async def page(params: Params, number: int) -> Page[T]:
            return await self._thread_page(fetch, mapper, kind, keep, with_messages, params, number)

        return self._pager(page, params, strategy, _model_key)

    # -- normalized operations: typed wrappers over ENDPOINTS -------------------------------

    def chats(self, **filters: Any) -> Pager[Chat]:
        """Every chat thread, one profile page at a time (profiles fetched concurrently).

        Without ``visitor_id`` the account's profiles with chat history are listed
        (``/profile/lead/list``, ``filter[master]=chathistory``) and each one's threads
        fetched (``/profile/message/thread``); with it, that visitor's threads only. Chat ids
        are thread ids. Threads flagged ``offline_chat`` are offline messages, listed by
        :meth:`offline_messages` only; missed chats are chats (``Chat.missed``).
        ``Pager.total`` stays None: Acquire counts profiles, not threads.

        Args:
            **filters: ``visitor_id``; ``include_messages`` (bool, default True: one
                Profile Message API call per thread); ``page_size`` (1-100, default 25).

        Raises:
            TypeError: An unknown filter name (before any request).
            ValueError: A filter value of the wrong kind.
        """
        return self._thread_listing(
            "chats", filters, v1_chat, "thread", lambda thread: not v1_is_offline(thread)
        )

    async def get_chat(self, chat_id: str, *, visitor_id: str | None = None) -> Chat:
        """One chat (thread) by thread id, rebuilt from its messages.

        v1 has no thread lookup: the Profile Message API is asked for the thread's messages,
        and the chat's times, visitor and agents come from them (``raw`` holds the thread id
        and the messages).

        Args:
            chat_id: The thread id (``Chat.id`` of :meth:`chats`).
            visitor_id: The thread's visitor, sent along when known.

        Raises:
            NotFoundError: The thread has no messages (status 200: Acquire answered success).
        """
        form = {"thread_id": str(chat_id)}
        if visitor_id is not None:
            form["visitor_id"] = visitor_id
        chat: Chat = await self._call(
            "get_chat", params=form, context=(str(chat_id), self.timezone)
        )
        return chat

    def offline_messages(self, **filters: Any) -> Pager[OfflineMessage]:
        """Threads flagged ``offline_chat``, as offline messages (none of them is a chat).

        v1 has no offline-message endpoint (https://developer.acquire.io/ lists none): the
        profiles' threads whose row carries the flag are kept and their messages fetched; the
        visitor's messages make the text, the agents' the replies.

        Args:
            **filters: ``visitor_id``, ``page_size``.
        """
        return self._thread_listing(
            "offline_messages", filters, v1_offline_message, "offline thread", v1_is_offline
        )

    async def get_offline_message(
        self, message_id: str, *, visitor_id: str | None = None
    ) -> OfflineMessage:
        """One offline message by thread id.

        Raises:
            NotFoundError: The thread has no messages or is not flagged offline.
        """
        form = {"thread_id": str(message_id)}
        if visitor_id is not None:
            form["visitor_id"] = visitor_id
        message: OfflineMessage = await self._call(
            "get_offline_message", params=form, context=(str(message_id), self.timezone)
        )
        return message

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every agent (``/account/agents``, JSON page/limit, ``count`` → concurrent pages).

        Each row's ``secret_key`` is kept in ``Agent.raw`` only.

        Args:
            **filters: ``sort_by`` (a field name), ``order`` (``asc``/``desc``),
                ``page_size``.
        """
        return self._list("agents", filters)

    async def get_agent(self, agent_id: str) -> Agent:
        """One agent by id (``/account/agents/edit``)."""
        agent: Agent = await self._call("get_agent", params={"id": str(agent_id)})
        return agent

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """Every profile (``/profile/lead/list``, page/limit, ``total``).

        Args:
            **filters: ``master`` (the ``filter[master]`` segment, e.g. ``chathistory``),
                ``page_size``.
        """
        return self._list("visitors", filters)

    async def get_visitor(self, visitor_id: str) -> Visitor:
        """One profile by its profile ``id`` (``/profile/lead/detail``).

        Note: v1 has two visitor keys. ``/profile/lead/detail`` takes the profile's own ``id``
        (``id=3393`` in https://developer.acquire.io/rest-apis/profiles-api/user-detail),
        while chat threads and ``Visitor.id`` use ``visitor_id``. Pass ``visitor.raw["id"]``
        for a visitor from :meth:`visitors`.
        """
        visitor: Visitor = await self._call("get_visitor", params={"id": str(visitor_id)})
        return visitor


def _model_key(record: Any) -> Hashable:
    key: Hashable = record.id
    return key
