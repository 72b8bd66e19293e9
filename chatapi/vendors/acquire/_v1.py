"""The Acquire v1 API: ``POST https://app.acquire.io/api/...`` with form (or JSON) bodies.

Every operation is an endpoint row (:mod:`chatapi.endpoints`). Chats and offline messages are
a listing of listings: the profiles with chat history, each profile's threads, then each
thread's transcript (see :meth:`AcquireV1.chats`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from ..._core.mapping import map_records
from ..._core.secrets import Secret
from ..._core.tasks import gather_all
from ...errors import ResponseFormatError
from ...models import Agent, Chat, OfflineMessage, Visitor
from ...pagination import KnownTotal, NestedPages, Page, Pager, Params, SinglePage
from ._client import Acquire, credential
from ._convert_v1 import (
    v1_chat,
    v1_is_offline,
    v1_offline_message,
)
from ._filters import DEFAULT_PAGE_SIZE, encode_filters
from ._rows_v1 import ENDPOINTS, thread_key
from ._v1_writes import V1Writes

__all__ = ["ENDPOINTS", "AcquireV1"]

T = TypeVar("T")
Thread = tuple[Visitor | None, Mapping[str, Any]]


def _optional(value: Any) -> str | None:
    return str(value) if value is not None else None


class AcquireV1(V1Writes, Acquire):
    """The v1 API: ``POST https://app.acquire.io/api/...`` with form (or JSON) bodies.

    Every read is a POST, retried like a GET. Naive times are read in ``timezone``.
    Listings: :meth:`chats`, :meth:`offline_messages`, :meth:`agents`, :meth:`visitors`.
    Writes (never repeated unless provably unprocessed): :meth:`create_agent`,
    :meth:`update_agent`, :meth:`add_or_update_profile`, :meth:`delete_profiles`, and the
    normalized :meth:`create_agent` / :meth:`create_visitor` with their ``find_*`` lookups.
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
        params = encode_filters(filters)
        size = str(params.get("page_size", DEFAULT_PAGE_SIZE))

        def threads_of(visitor: Visitor | None) -> Pager[Any]:
            # lead_id 0 as in the doc example
            # (https://developer.acquire.io/rest-apis/profiles-api/thread). Pages one at a
            # time: most profiles have one page of threads, and profiles run concurrently.
            visitor_id = params.get("visitor_id") if visitor is None else visitor.id
            query = {"lead_id": "0", "visitor_id": str(visitor_id), "page_size": size}
            return self._row_pager("threads", query, key=thread_key, concurrency=1)

        visitor_id = params.get("visitor_id")
        if isinstance(visitor_id, str):

            async def one_visitor(_params: Params, number: int) -> Page[Visitor | None]:
                return Page(items=(None,), number=number, total=1, page_count=1)

            fetch = NestedPages(one_visitor, threads_of)
            return fetch, params, SinglePage()
        fetch = NestedPages(self._row_fetcher(operation), threads_of, per_page=int(size))
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
            transcripts = await gather_all(self._transcript(thread) for _, thread in pairs)
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
        return Page(
            items=items, number=number, raw=page.raw, total=None, page_count=page.page_count
        )

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
