"""The Acquire clients: v1 (``app.acquire.io/api``) and v2 (``{account}.acquire.io/api/v1``).

``Acquire(token=...)`` builds an :class:`AcquireV1`, ``Acquire(api_key=..., account_id=...)`` an
:class:`AcquireV2`: the two generations share no host, verb, envelope or field name (research
notes §2.3), so each is its own subclass with its own ``capabilities``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import math
import re
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..._base_client import BaseClient, status_error_from_body
from ..._core import decode_turns
from ..._core.bodies import decode_error_body
from ..._core.mapping import map_records
from ..._core.paths import path_segment
from ..._core.secrets import Secret
from ..._transport import RawResponse
from ...errors import (
    BadRequestError,
    ChatAPIError,
    ConfigurationError,
    NotFoundError,
    PaginationError,
    RequestInfo,
    ResponseFormatError,
    make_status_error,
)
from ...models import Agent, Chat, OfflineMessage, Visitor
from ...pagination import KnownTotal, Page, Pager, Params, SinglePage
from ._coerce import to_int
from ._convert import (
    v1_agent,
    v1_chat,
    v1_chat_from_messages,
    v1_is_offline,
    v1_offline_message,
    v1_visitor,
    v2_agent,
    v2_chat,
    v2_visitor,
)
from ._errors import V2_CODES, envelope_error, http_error, redact
from ._filters import DEFAULT_PAGE_SIZE, V1_CAPABILITIES, V2_CAPABILITIES, encode_filters

__all__ = ["Acquire", "AcquireV1", "AcquireV2"]

T = TypeVar("T")
R = TypeVar("R")

# A DNS label: the account id becomes the v2 host name and must not be able to change it.
_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
# v2 relations fetched with a case: the customer, the agents, and (optionally) the transcript
# ("Available relations: contact|messages|cases|users|..." on the case list page).
_CASE_RELATIONS = "contact|users"


def _key(record: Any) -> Hashable:
    # Every model of a listing has an ``id``: Chat, OfflineMessage, Agent, Visitor.
    identity: Hashable = record.id
    return identity


def _credential(name: str, value: Any) -> Secret:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string", vendor=Acquire.vendor)
    if any(ch in value for ch in "\r\n"):
        # A line break would let the value add headers to every request.
        raise ConfigurationError(f"{name} contains a line break", vendor=Acquire.vendor)
    return Secret(value.strip())


def _zone(value: str | dt.tzinfo) -> dt.tzinfo:
    if isinstance(value, dt.tzinfo):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(
            "timezone must be an IANA name or a datetime.tzinfo", vendor=Acquire.vendor
        )
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(
            f"unknown timezone {value!r} (use an IANA name such as 'Europe/London')",
            vendor=Acquire.vendor,
        ) from exc


def _generation(
    token: str | None, api_key: str | None, account_id: str | int | None
) -> type[Acquire]:
    if token is not None and (api_key is not None or account_id is not None):
        raise ConfigurationError(
            "Acquire takes either token (v1) or api_key + account_id (v2), not both",
            vendor=Acquire.vendor,
        )
    if token is not None:
        return AcquireV1
    if api_key is not None or account_id is not None:
        return AcquireV2
    raise ConfigurationError(
        "Acquire needs credentials: token (v1 API) or api_key + account_id (v2 API)",
        vendor=Acquire.vendor,
    )


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


def _one(mapper: Callable[[Any], R], payload: Any, kind: str) -> R:
    if not isinstance(payload, Mapping):
        raise ResponseFormatError(
            f"acquire {kind} answer is not an object ({type(payload).__name__})",
            vendor=Acquire.vendor,
        )
    return map_records(mapper, (payload,), vendor=Acquire.vendor, kind=kind)[0]


def _page_size(params: Params) -> int:
    value = params.get("page_size")
    return int(value) if isinstance(value, str) else DEFAULT_PAGE_SIZE


def _pages(total: int | None, per_page: int) -> int | None:
    return math.ceil(max(total, 0) / per_page) if total is not None else None


def _not_found(message: str, path: str) -> NotFoundError:
    error = make_status_error(
        200,
        message,
        vendor=Acquire.vendor,
        request=RequestInfo("POST", path),
        error_class=NotFoundError,
    )
    assert isinstance(error, NotFoundError)
    return error


def _number(data: Any, key: str) -> int | None:
    """A paging number (``count``, ``total``, ``limit``) of a listing body, None if absent.

    Raises:
        ResponseFormatError: The value is not a finite number (naming the field).
    """
    if not isinstance(data, Mapping):
        return None
    try:
        return to_int(data.get(key))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ResponseFormatError(
            f"acquire listing has a non-numeric {key!r}: {data.get(key)!r:.40}",
            vendor="acquire",
            field=key,
        ) from exc


class Acquire(BaseClient):
    """Client of the Acquire (acquire.io) REST APIs, both generations.

    ``Acquire(token=...)`` returns an :class:`AcquireV1` (``https://app.acquire.io/api``, the
    generation of the Profile Message API); ``Acquire(api_key=..., account_id=...)`` returns an
    :class:`AcquireV2` (``https://{account_id}.acquire.io/api/v1``).

    Args:
        token: v1 API token (*Setting > API Token and Whitelist*), sent as a Bearer token.
        api_key: v2 API key (*Settings > For Developers > API Key*), sent as a Bearer token.
        account_id: v2 account (the instance's subdomain); optional with a ``base_url``.
        timezone: Zone of the naive ``YYYY-MM-DD HH:MM:SS`` times Acquire sends (an IANA name
            or a tzinfo; default UTC: Acquire does not say which zone they are in).
        **options: ``base_url``, ``session``, ``max_concurrency``, ``max_retries``,
            ``timeout``, ``retry_policy`` (see :class:`chatapi.BaseClient`).

    Raises:
        ConfigurationError: Missing or contradictory credentials, a malformed account id or an
            unknown timezone.

    Example:
        >>> async with chatapi.Acquire(token="TOKEN", timezone="Asia/Kolkata") as acq:
        ...     async for agent in acq.agents():
        ...         print(agent.id, agent.name)
    """

    vendor = "acquire"
    default_base_url = "https://app.acquire.io/api"
    #: ``"v1"`` or ``"v2"``.
    generation: ClassVar[str] = ""

    def __new__(
        cls,
        *,
        token: str | None = None,
        api_key: str | None = None,
        account_id: str | int | None = None,
        **options: Any,
    ) -> Acquire:
        target = _generation(token, api_key, account_id)
        if cls is Acquire:
            cls = target
        elif cls is not target:
            raise ConfigurationError(
                f"{cls.__name__} takes {'token' if cls is AcquireV1 else 'api_key + account_id'}",
                vendor=cls.vendor,
            )
        return super().__new__(cls)

    def __init__(
        self,
        *,
        token: str | None = None,
        api_key: str | None = None,
        account_id: str | int | None = None,
        timezone: str | dt.tzinfo = dt.timezone.utc,
        **options: Any,
    ) -> None:
        self.timezone = _zone(timezone)
        self._secret = self._configure(token, api_key, account_id, options)
        super().__init__(**options)

    def _configure(
        self,
        token: str | None,
        api_key: str | None,
        account_id: str | int | None,
        options: dict[str, Any],
    ) -> Secret:
        raise NotImplementedError

    # -- hooks ------------------------------------------------------------------------------

    def _auth_kind(self) -> str:
        return f"bearer ({self.generation})"

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self._secret.reveal()}", "Accept": "application/json"}

    def _classify(
        self, response: RawResponse, data: Any, info: RequestInfo, retry_after: float | None
    ) -> ChatAPIError | None:
        if 200 <= response.status < 300:
            # v1 reports failures inside HTTP 200 ({"success": false, ...}); research notes §2.1.
            found = envelope_error(data)
            if found is None:
                return None
            return status_error_from_body(
                vendor=self.vendor,
                status=response.status,
                info=info,
                message=found.message,
                vendor_code=found.code,
                body=redact(response.body),
                retry_after=retry_after,
                error_class=found.error_class or BadRequestError,
            )
        decoded, text = decode_error_body(response.body)
        found = http_error(decoded, text, response.reason or f"HTTP {response.status}")
        # A v2 type code refines a 4xx (ERROR_RECORD_NOT_FOUND comes with 400); the status
        # decides for throttling and server errors.
        refine = found.code in V2_CODES and response.status < 500 and response.status != 429
        return status_error_from_body(
            vendor=self.vendor,
            status=response.status,
            info=info,
            message=found.message,
            vendor_code=found.code,
            body=redact(response.body),
            retry_after=retry_after,
            error_class=found.error_class if refine else None,
        )

    # -- shared helpers ---------------------------------------------------------------------

    def _rows(self, data: Any, key: str, path: str) -> list[Any]:
        if isinstance(data, Mapping) and isinstance(data.get(key), list):
            return list(data[key])
        if isinstance(data, list):
            return data  # the same rows without the wrapper object
        raise ResponseFormatError(
            f"acquire {path} answer has no {key!r} list", vendor=self.vendor, field=key
        )

    def _listing(
        self, operation: str, filters: Mapping[str, Any]
    ) -> dict[str, str | tuple[str, ...]]:
        self._check_filters(operation, filters)
        return encode_filters(filters)


class AcquireV1(Acquire):
    """The v1 API: ``POST https://app.acquire.io/api/...`` with form (or JSON) bodies.

    Every read is a POST, retried like a GET. Naive times are read in ``timezone``.
    Listings: :meth:`chats`, :meth:`offline_messages`, :meth:`agents`, :meth:`visitors`.
    """

    generation = "v1"
    default_base_url = "https://app.acquire.io/api"
    capabilities = V1_CAPABILITIES

    def _configure(
        self,
        token: str | None,
        api_key: str | None,
        account_id: str | int | None,
        options: dict[str, Any],
    ) -> Secret:
        return _credential("token", token)

    async def _read(
        self,
        path: str,
        *,
        form: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        json_body: Any = None,
    ) -> Any:
        """POST a read (idempotent: retried on 5xx/timeouts) and return the envelope's data."""
        response = await self._request(
            "POST", path, data=form, json_body=json_body, idempotent=True
        )
        body = response.data
        # {"success": true, "error": null, "data": ...} (every v1 example); a bare payload is
        # accepted as the payload itself.
        if (
            isinstance(body, Mapping)
            and "data" in body
            and ("success" in body or set(body) <= {"data", "error", "success"})
        ):
            return body["data"]
        return body

    # -- threads and messages ---------------------------------------------------------------

    async def _threads(self, visitor_id: str, page_size: int) -> list[Mapping[str, Any]]:
        """Every thread of one profile (``/profile/message/thread``, page/limit)."""
        path = "/profile/message/thread"
        threads: list[Mapping[str, Any]] = []
        seen: set[Any] = set()
        page = 1
        while True:
            # lead_id 0 as in the doc example (rest-apis/profiles-api/thread.md).
            data = await self._read(
                path,
                form={
                    "lead_id": "0",
                    "visitor_id": visitor_id,
                    "limit": str(page_size),
                    "page": str(page),
                },
            )
            rows = self._rows(data, "messages", path)
            fresh = []
            for row in rows:
                if not isinstance(row, Mapping):
                    raise ResponseFormatError(
                        f"acquire {path} row is not an object", vendor=self.vendor
                    )
                if row.get("thread_id") not in seen:
                    seen.add(row.get("thread_id"))
                    fresh.append(row)
            if rows and not fresh:
                raise PaginationError(
                    f"acquire {path} page {page} repeats earlier threads of visitor "
                    f"{visitor_id}: the listing cannot be completed",
                    vendor=self.vendor,
                )
            threads.extend(fresh)
            if len(rows) < page_size:
                return threads
            page += 1

    async def _messages(
        self, thread_id: str, visitor_id: str | None = None, last_chat_id: str | None = None
    ) -> list[Mapping[str, Any]]:
        """The Profile Message API: messages of a thread (``/profile/lead/message``)."""
        path = "/profile/lead/message"
        form = {"thread_id": thread_id}
        if visitor_id is not None:
            form["visitor_id"] = visitor_id
        if last_chat_id is not None:
            # Selects the chat of the thread to load: the example's last_chat_id 106241 returns
            # messages whose chat_id is 106241 (acquire-profile-message.txt).
            form["last_chat_id"] = last_chat_id
        data = await self._read(path, form=form)
        rows = self._rows(data, "messages", path)
        for row in rows:
            if not isinstance(row, Mapping):
                raise ResponseFormatError(
                    f"acquire {path} message is not an object", vendor=self.vendor
                )
        return rows

    async def _thread_messages(self, thread: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        thread_id = thread.get("thread_id")
        if thread_id is None:
            raise ResponseFormatError(
                "acquire thread payload lacks the required field 'thread_id'",
                vendor=self.vendor,
                field="thread_id",
            )
        chat_id = thread.get("chat_id")
        visitor_id = thread.get("visitor_id")
        return await self._messages(
            str(thread_id),
            str(visitor_id) if visitor_id is not None else None,
            str(chat_id) if chat_id is not None else None,
        )

    async def _profile_threads(
        self, params: Params, number: int
    ) -> tuple[list[tuple[Visitor | None, Mapping[str, Any]]], Any, int | None]:
        """Threads of one page of profiles (or of the one ``visitor_id``), with the page raw."""
        size = _page_size(params)
        visitor_id = params.get("visitor_id")
        if isinstance(visitor_id, str):
            threads = await self._threads(visitor_id, size)
            return [(None, thread) for thread in threads], threads, 1
        # Account-wide: threads are per profile, and the profile list filtered on chat history
        # is the only account-wide chat index v1 has (research notes §2.1, "Not found").
        path = "/profile/lead/list"
        data = await self._read(
            path,
            form=[
                ("limit", str(size)),
                ("page", str(number)),
                ("filter[master]", "chathistory"),
            ],
        )
        rows = self._rows(data, "data", path)
        profiles = map_records(v1_visitor, rows, vendor=self.vendor, kind="profile")
        total = _number(data, "total")
        lists = await _gather(self._threads(str(p.id), size) for p in profiles)
        pairs: list[tuple[Visitor | None, Mapping[str, Any]]] = [
            (p, thread) for p, threads in zip(profiles, lists, strict=True) for thread in threads
        ]
        return pairs, data, _pages(total, size)

    # -- pages ------------------------------------------------------------------------------

    async def _thread_page(
        self,
        params: Params,
        number: int,
        mapper: Callable[
            [Mapping[str, Any], dt.tzinfo, Sequence[Mapping[str, Any]], Visitor | None], T
        ],
        kind: str,
        *,
        only: Callable[[Mapping[str, Any]], bool] | None = None,
        with_messages: bool = True,
    ) -> Page[T]:
        """One page of profile threads (optionally only some), each with its transcript."""
        # Profiles and threads are needed to ask for the transcripts: decoded on arrival, so
        # that pages ahead of the consumer send their next requests (see _core/decode_turns.py).
        with decode_turns.decode_at_once():
            pairs, raw, pages = await self._profile_threads(params, number)
        if only is not None:
            pairs = [(visitor, thread) for visitor, thread in pairs if only(thread)]
        if with_messages:
            transcripts = await _gather(self._thread_messages(t) for _, t in pairs)
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
        return Page(items=items, number=number, raw=raw, total=None, pages=pages)

    async def _chats_page(self, params: Params, number: int) -> Page[Chat]:
        with_messages = params.get("include_messages", "1") == "1"
        return await self._thread_page(
            params, number, v1_chat, "thread", with_messages=with_messages
        )

    async def _offline_page(self, params: Params, number: int) -> Page[OfflineMessage]:
        return await self._thread_page(
            params, number, v1_offline_message, "offline thread", only=v1_is_offline
        )

    async def _agents_page(self, params: Params, number: int) -> Page[Agent]:
        path = "/account/agents"
        size = _page_size(params)
        # JSON body (rest-apis/agent/agents-list.md): {"page", "limit", "sort_by": {key, order}}.
        body = {
            "page": number,
            "limit": size,
            "sort_by": {"key": params.get("sort_by", ""), "order": params.get("order", "")},
        }
        data = await self._read(path, json_body=body)
        rows = self._rows(data, "rows", path)
        items = map_records(v1_agent, rows, vendor=self.vendor, kind="agent")
        count = _number(data, "count")
        # Page numbers are the vendor's: its own "limit" (if it capped ours) sets the count.
        limit = _number(data, "limit") or size
        return Page(items=items, number=number, raw=data, total=count, pages=_pages(count, limit))

    async def _visitors_page(self, params: Params, number: int) -> Page[Visitor]:
        path = "/profile/lead/list"
        size = _page_size(params)
        form = [("limit", str(size)), ("page", str(number))]
        master = params.get("master")
        if isinstance(master, str):
            form.append(("filter[master]", master))
        data = await self._read(path, form=form)
        rows = self._rows(data, "data", path)
        items = map_records(v1_visitor, rows, vendor=self.vendor, kind="profile")
        total = _number(data, "total")
        return Page(items=items, number=number, raw=data, total=total, pages=_pages(total, size))

    # -- normalized operations --------------------------------------------------------------

    def chats(self, **filters: Any) -> Pager[Chat]:
        """Every chat thread, one profile page at a time (profiles fetched concurrently).

        Without ``visitor_id`` the account's profiles with chat history are listed
        (``/profile/lead/list``, ``filter[master]=chathistory``) and each one's threads
        fetched (``/profile/message/thread``); with it, that visitor's threads only. Chat ids
        are thread ids. ``Pager.total`` stays None: Acquire counts profiles, not threads.

        Args:
            **filters: ``visitor_id``; ``include_messages`` (bool, default True: one
                Profile Message API call per thread); ``page_size`` (1-100, default 25).

        Raises:
            TypeError: An unknown filter name (before any request).
            ValueError: A filter value of the wrong kind.
        """
        params = self._listing("chats", filters)
        strategy = SinglePage() if "visitor_id" in params else KnownTotal()
        return self._pager(self._chats_page, params, strategy, _key)

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
        messages = await self._messages(str(chat_id), visitor_id)
        if not messages:
            raise _not_found(f"thread {chat_id} has no messages", "/profile/lead/message")
        return map_records(
            lambda m: v1_chat_from_messages(str(chat_id), m, self.timezone),
            (messages,),
            vendor=self.vendor,
            kind="message",
        )[0]

    def offline_messages(self, **filters: Any) -> Pager[OfflineMessage]:
        """Threads flagged ``offline_chat`` (or ``missed_chat``), as offline messages.

        v1 has no offline-message endpoint (research notes §2.1): the threads of :meth:`chats`
        whose row carries the flag are kept and their messages fetched; the visitor's messages
        make the text, the agents' the replies.

        Args:
            **filters: ``visitor_id``, ``page_size``.
        """
        params = self._listing("offline_messages", filters)
        strategy = SinglePage() if "visitor_id" in params else KnownTotal()
        return self._pager(self._offline_page, params, strategy, _key)

    async def get_offline_message(
        self, message_id: str, *, visitor_id: str | None = None
    ) -> OfflineMessage:
        """One offline message by thread id.

        Raises:
            NotFoundError: The thread has no messages or is not flagged offline/missed.
        """
        messages = await self._messages(str(message_id), visitor_id)
        if not messages or not any(v1_is_offline(m) for m in messages):
            raise _not_found(
                f"thread {message_id} is not an offline message", "/profile/lead/message"
            )
        return map_records(
            lambda m: v1_offline_message({"thread_id": str(message_id)}, self.timezone, m),
            (messages,),
            vendor=self.vendor,
            kind="offline thread",
        )[0]

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every agent (``/account/agents``, JSON page/limit, ``count`` → concurrent pages).

        Each row's ``secret_key`` is kept in ``Agent.raw`` only.

        Args:
            **filters: ``sort_by`` (a field name), ``order`` (``asc``/``desc``),
                ``page_size``.
        """
        params = self._listing("agents", filters)
        return self._pager(self._agents_page, params, KnownTotal(per_page=_page_size(params)), _key)

    async def get_agent(self, agent_id: str) -> Agent:
        """One agent by id (``/account/agents/edit``)."""
        data = await self._read("/account/agents/edit", form={"id": str(agent_id)})
        return _one(v1_agent, data, "agent")

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """Every profile (``/profile/lead/list``, page/limit, ``total``).

        Args:
            **filters: ``master`` (the ``filter[master]`` segment, e.g. ``chathistory``),
                ``page_size``.
        """
        params = self._listing("visitors", filters)
        return self._pager(
            self._visitors_page, params, KnownTotal(per_page=_page_size(params)), _key
        )

    async def get_visitor(self, visitor_id: str) -> Visitor:
        """One profile by its profile ``id`` (``/profile/lead/detail``).

        Note: v1 has two visitor keys. ``/profile/lead/detail`` takes the profile's own ``id``
        (research notes §2.1: ``id=3393``), while chat threads and ``Visitor.id`` use
        ``visitor_id``. Pass ``visitor.raw["id"]`` for a visitor from :meth:`visitors`.
        """
        data = await self._read("/profile/lead/detail", form={"id": str(visitor_id)})
        return _one(v1_visitor, data, "profile")


class AcquireV2(Acquire):
    """The v2 API: ``https://{account_id}.acquire.io/api/v1`` REST, ``{"data": ...}`` bodies.

    Listings page by ``offset``/``limit`` and report ``count``, so pages fan out
    concurrently. Offline messages do not exist in v2 (no endpoint: research notes §2.2).
    """

    generation = "v2"
    default_base_url = "https://{account_id}.acquire.io/api/v1"
    capabilities = V2_CAPABILITIES

    def _configure(
        self,
        token: str | None,
        api_key: str | None,
        account_id: str | int | None,
        options: dict[str, Any],
    ) -> Secret:
        secret = _credential("api_key", api_key)
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

    async def _get(self, path: str, params: Params | None = None) -> Any:
        response = await self._request("GET", path, params=params)
        body = response.data
        # {"data": ...} (every v2 example); a bare object is accepted as the payload.
        if isinstance(body, Mapping) and "data" in body:
            return body["data"]
        return body

    async def _page(
        self,
        path: str,
        mapper: Callable[[Any], T],
        kind: str,
        params: Params,
        number: int,
    ) -> Page[T]:
        limit = int(str(params["limit"]))
        query = {**params, "offset": str((number - 1) * limit)}
        data = await self._get(path, query)
        if isinstance(data, Mapping):
            # Cases and users: {"count", "data": [...]}; contacts: {"list": [...],
            # "counts": {"total"}} (research notes §2.2).
            key = "list" if isinstance(data.get("list"), list) else "data"
            counts = data.get("counts")
            total = _number(data, "count")
            if total is None and isinstance(counts, Mapping):
                total = _number(counts, "total")
            if total is None:
                total = _number(data, "total")
            served = _number(data, "limit")
            if served is not None and 0 < served < limit:
                # Offsets step by our limit: a smaller page would skip records.
                raise PaginationError(
                    f"acquire {path} serves {served} records per page, fewer than the "
                    f"requested {limit}: use page_size={served}",
                    vendor=self.vendor,
                )
        else:
            key, total = "data", None
        rows = self._rows(data, key, path)
        items = map_records(mapper, rows, vendor=self.vendor, kind=kind)
        if total is None:
            # No count: a short page is the last one.
            return Page(
                items=items, number=number, raw=data, pages=number if len(rows) < limit else None
            )
        return Page(items=items, number=number, raw=data, total=total, pages=_pages(total, limit))

    def _wire(
        self, params: Mapping[str, str | tuple[str, ...]], where: Mapping[str, str]
    ) -> dict[str, str | tuple[str, ...]]:
        conditions = list(params.get("where", ()))
        for name, column in where.items():
            value = params.get(name)
            if isinstance(value, str):
                conditions.append(f"{column}|eq|{value}")
        wire: dict[str, str | tuple[str, ...]] = {"limit": str(_page_size(params))}
        if conditions:
            # "where" is an array parameter (case list page): one repeated parameter each.
            wire["where"] = tuple(conditions)
        return wire

    def _pager_for(
        self, path: str, mapper: Callable[[Any], T], kind: str, params: Params
    ) -> Pager[T]:
        fetch = functools.partial(self._page, path, mapper, kind)
        limit = int(str(params["limit"]))
        return self._pager(fetch, params, KnownTotal(per_page=limit), _key)

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
        params = self._listing("chats", filters)
        wire = self._wire(
            params, {"status": "status", "channel": "channel", "contact_id": "contactId"}
        )
        wire["relations"] = self._relations(params.get("include_messages", "1") == "1")
        tz = self.timezone
        return self._pager_for("/crm/objects/case", lambda p: v2_chat(p, tz), "case", wire)

    @staticmethod
    def _relations(messages: bool) -> str:
        return f"{_CASE_RELATIONS}|messages" if messages else _CASE_RELATIONS

    async def get_chat(self, chat_id: str) -> Chat:
        """One case by id, with its contact, agents and messages.

        Raises:
            NotFoundError: No such case.
        """
        data = await self._get(
            f"/crm/objects/case/{path_segment(chat_id)}",
            {"relations": self._relations(True)},
        )
        tz = self.timezone
        return _one(lambda p: v2_chat(p, tz), data, "case")

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every account user (``/account/user``).

        Args:
            **filters: ``status`` (``active``...), ``where``, ``page_size``.
        """
        params = self._listing("agents", filters)
        wire = self._wire(params, {"status": "status"})
        return self._pager_for("/account/user", v2_agent, "user", wire)

    async def get_agent(self, agent_id: str) -> Agent:
        """One account user by id."""
        data = await self._get(f"/account/user/{path_segment(agent_id)}")
        return _one(v2_agent, data, "user")

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """Every contact (``/crm/objects/contact``).

        Args:
            **filters: ``where``, ``page_size``.
        """
        params = self._listing("visitors", filters)
        return self._pager_for(
            "/crm/objects/contact", v2_visitor, "contact", self._wire(params, {})
        )

    async def get_visitor(self, visitor_id: str) -> Visitor:
        """One contact by id."""
        data = await self._get(f"/crm/objects/contact/{path_segment(visitor_id)}")
        return _one(v2_visitor, data, "contact")
