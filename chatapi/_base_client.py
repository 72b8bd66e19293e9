"""The one request loop every vendor client runs on: build → gate → send → classify → retry."""

from __future__ import annotations

import asyncio
import base64
import functools
import logging
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from ._core import decode_turns, jsonlib, wire
from ._core.bodies import decode_error_body
from ._core.pacing import Pacer
from ._core.params import group_repeated
from ._core.retry import RetryPolicy, decide_retry, parse_retry_after
from ._transport import RawResponse, Transport
from .errors import (
    APIConnectionError,
    APIStatusError,
    ChatAPIError,
    ConfigurationError,
    ErrorDetails,
    NotFoundError,
    RateLimitError,
    RequestInfo,
    ResponseFormatError,
    UnsupportedOperationError,
    build_status_error,
)
from .models import (
    Agent,
    Chat,
    NewAgent,
    NewCannedResponse,
    NewChat,
    NewGroup,
    NewTag,
    NewTicket,
    NewVisitor,
    OfflineMessage,
    Record,
    Visitor,
)
from .operations import OPERATIONS
from .pagination import Page, PageFetcher, Pager, Params, Strategy

if TYPE_CHECKING:
    import aiohttp

    from .endpoints import Endpoint

__all__ = ["BaseClient", "ClientStats", "Response"]

logger = logging.getLogger("chatapi")
T = TypeVar("T")
#: ``_call``'s default decode context: the client's own (``_decode_context()``).
_OWN_CONTEXT: Any = object()
_SelfT = TypeVar("_SelfT", bound="BaseClient")


@attrs.frozen
class Response:
    """A successful answer: its status, headers, decoded body and how many retries it took."""

    status: int
    headers: Mapping[str, str]
    data: Any
    retries_taken: int


@attrs.define
class ClientStats:
    """Counters of one client's traffic, for reports and tests.

    Attributes:
        requests: Attempts sent (retries included).
        retries: Attempts that repeated an earlier one.
        statuses: Answers received, by HTTP status.
        rate_limited: 429 answers received.
        paused_seconds: Wall time every request was held by the shared Retry-After pause.
    """

    requests: int = 0
    retries: int = 0
    statuses: dict[int, int] = attrs.field(factory=dict)
    rate_limited: int = 0
    paused_seconds: float = 0.0


class _SharedPause:
    """Holds every request of a client until the latest Retry-After has passed."""

    def __init__(self, stats: ClientStats) -> None:
        self._until = 0.0
        self._stats = stats

    def hold(self, seconds: float) -> None:
        now = time.monotonic()
        until = now + seconds
        if until > self._until:
            self._stats.paused_seconds += until - max(self._until, now)
            self._until = until

    async def wait(self) -> None:
        # A loop, not an Event: a later 429 can push the deadline further while we sleep.
        while (remaining := self._until - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(remaining)


class BaseClient:
    """What every vendor client shares: configuration, the request loop, paging, lifetime.

    Vendor subclasses declare and map only: ``vendor``, ``default_base_url``, ``endpoints``
    (operation name → :class:`~chatapi.endpoints.Endpoint`), :meth:`_auth_headers`,
    :meth:`_error_details` / :meth:`_envelope_error` (what an error body says) and optionally
    :meth:`_recover`, :meth:`_path_values` and :meth:`_decode_context`.

    Args:
        base_url: Override the vendor's API root (a sandbox, a proxy).
        session: A caller-owned ``aiohttp.ClientSession``; never closed by the client.
        max_concurrency: Most requests in flight at once (our gate, before aiohttp's pool).
        max_retries: Repeats of a failed idempotent call.
        timeout: Seconds per attempt.
        retry_policy: Full control of retries (overrides ``max_retries``).
    """

    vendor: ClassVar[str]
    default_base_url: ClassVar[str]
    #: Operation name -> its endpoint row (normalized operations and the vendor's own).
    endpoints: ClassVar[Mapping[str, Endpoint[Any]]] = {}
    #: What a migration reads for kinds without a normalized listing, where the vendor's own
    #: listing has another name (``{"groups": "departments"}``).
    migration_listings: ClassVar[Mapping[str, str]] = {}
    #: Normalized listing -> the filters it accepts (the README's capability table); derived
    #: from ``endpoints`` for every class that declares them.
    capabilities: ClassVar[Mapping[str, frozenset[str]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "endpoints" in cls.__dict__:
            cls.capabilities = {
                op.name: cls.endpoints[op.name].filters.names
                for op in OPERATIONS
                if op.name in cls.endpoints
            }

    def __init__(
        self,
        *,
        base_url: str | None = None,
        session: aiohttp.ClientSession | None = None,
        max_concurrency: int = 8,
        max_retries: int = 3,
        timeout: float = 60.0,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        if not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise ConfigurationError(
                f"max_concurrency must be a positive int, got {max_concurrency!r}",
                vendor=self.vendor,
            )
        if not isinstance(max_retries, int) or max_retries < 0:
            raise ConfigurationError(
                f"max_retries must be a non-negative int, got {max_retries!r}", vendor=self.vendor
            )
        if not timeout or timeout <= 0:
            raise ConfigurationError(
                f"timeout must be positive, got {timeout!r}", vendor=self.vendor
            )
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.max_concurrency = max_concurrency
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries)
        self.stats = ClientStats()
        self._transport = Transport(
            session=session,
            timeout=timeout,
            vendor=self.vendor,
            pool_size=max(max_concurrency, 10),
        )
        self._gate = asyncio.Semaphore(max_concurrency)
        self._pause = _SharedPause(self.stats)
        self._pacer = Pacer()

    # -- lifetime ---------------------------------------------------------------------------

    async def __aenter__(self: _SelfT) -> _SelfT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session if the client created it (a caller's session stays open)."""
        await self._transport.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={self._auth_kind()!r})"

    # -- vendor hooks -----------------------------------------------------------------------

    def _auth_kind(self) -> str:
        """A name for the auth scheme in use (never the credential)."""
        return "configured"

    def _auth_headers(self) -> Mapping[str, str]:
        """Headers of every request, auth included; built per request."""
        raise NotImplementedError

    def _error_details(self, status: int, data: Any, text: str) -> ErrorDetails | None:
        """What an error answer (not 2xx) says: message, vendor code, class hint, wait.

        ``data`` is the body decoded as JSON (None when it is not JSON), ``text`` the body as
        text. None leaves it to the core: the body's text (unless HTML), else the reason.
        """
        return None

    def _envelope_error(self, data: Any) -> ErrorDetails | None:
        """The error a 2xx body reports inside itself (``{"success": false}``), or None."""
        return None

    def _path_values(self) -> Mapping[str, str]:
        """Values of the client filled into path templates (``{account}``), already quoted."""
        return {}

    def _decode_context(self) -> Any:
        """The second argument of every endpoint decoder (a time zone, say; default None)."""
        return None

    def _classify(
        self,
        response: RawResponse,
        data: Any,
        info: RequestInfo,
        retry_after: float | None,
    ) -> ChatAPIError | None:
        """The error an answer stands for, or None for success: the core builds it from what
        the vendor's :meth:`_error_details` / :meth:`_envelope_error` read in the body."""
        status = response.status
        if 200 <= status < 300:
            details = self._envelope_error(data)
            if details is None:
                return None
        else:
            decoded, text = decode_error_body(response.body)
            details = self._error_details(status, decoded, text) or ErrorDetails()
        return build_status_error(
            status,
            details,
            vendor=self.vendor,
            request=info,
            body=response.body,
            reason=response.reason,
            retry_after=retry_after,
        )

    def _credential_forms(self) -> list[str]:
        """Every form of the credential an answer could echo back: the auth header's value,
        its token after the scheme word, and for Basic auth the decoded pair and password."""
        forms: set[str] = set()
        for name, value in self._auth_headers().items():
            lowered = name.lower()
            if lowered != "authorization" and not any(
                word in lowered for word in ("token", "key", "secret", "auth")
            ):
                continue
            forms.add(value)
            scheme, _, token = value.partition(" ")
            token = token.strip()
            if token:
                forms.add(token)
            if scheme.lower() == "basic" and token:
                try:
                    pair = base64.b64decode(token, validate=True).decode()
                except (ValueError, UnicodeDecodeError):
                    continue
                forms.add(pair)
                forms.add(pair.partition(":")[2])
        # Longest first, so that a token inside a longer form is not replaced piecemeal.
        return sorted((f for f in forms if len(f) >= 6), key=len, reverse=True)

    def _recover(self, error: ChatAPIError) -> bool:
        """Adjust the client after ``error`` so that one immediate repeat may succeed."""
        return False

    # -- the request loop -------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.base_url + path

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Params | Sequence[tuple[str, str]] | None = None,
        data: Mapping[str, Any] | Sequence[tuple[str, str]] | None = None,
        json_body: Any = None,
        idempotent: bool | None = None,
    ) -> Response:
        """Send a request with retries; return the decoded successful answer.

        Args:
            method: HTTP method.
            path: Path under ``base_url``, ids already quoted.
            params: Query parameters.
            data: Form body.
            json_body: JSON body.
            idempotent: Whether repeating is safe; defaults to True for GET/HEAD/OPTIONS.

        Raises:
            ChatAPIError: Any error of the hierarchy, after the retries allowed.
        """
        if idempotent is None:
            idempotent = method in ("GET", "HEAD", "OPTIONS")
        info = RequestInfo(method, path)
        url = self._url(path)
        query = _query_pairs(params)
        attempt = 0
        recovered = False
        # Closing the client ends this request: its retries must not reopen a session.
        epoch = self._transport.epoch
        while True:
            try:
                response = await self._attempt(method, url, info, query, data, json_body, epoch)
                return attrs.evolve(response, retries_taken=attempt)
            except ChatAPIError as error:
                if not recovered and self._recover(error):
                    recovered = True
                    logger.info("%s: repeating %s after adjusting the client", self.vendor, info)
                    attempt += 1
                    self.stats.retries += 1
                    continue
                decision = decide_retry(
                    error, attempt=attempt, policy=self.retry_policy, idempotent=idempotent
                )
                if decision is None:
                    if not idempotent and isinstance(error, APIConnectionError) and error.sent:
                        _say_write_may_have_applied(error)
                    raise
                if decision.pause_all:
                    self._pause.hold(decision.delay)
                logger.info(
                    "%s: %s failed (%s); retry %d/%d in %.2f s",
                    self.vendor,
                    info,
                    type(error).__name__,
                    attempt + 1,
                    self.retry_policy.max_retries,
                    decision.delay,
                )
                attempt += 1
                self.stats.retries += 1
                if not decision.pause_all and decision.delay > 0:
                    await asyncio.sleep(decision.delay)

    async def _attempt(
        self,
        method: str,
        url: str,
        info: RequestInfo,
        query: Sequence[tuple[str, str]] | None,
        data: Mapping[str, Any] | Sequence[tuple[str, str]] | None,
        json_body: Any,
        epoch: int | None = None,
    ) -> Response:
        await self._pause.wait()
        async with self._gate:
            await self._pause.wait()
            delay = self._pacer.reserve(time.monotonic())
            if delay > 0:
                await asyncio.sleep(delay)
                await self._pause.wait()  # a 429 may have paused everyone meanwhile
            sent_at = time.monotonic()
            self.stats.requests += 1
            raw = await self._transport.send(
                method,
                url,
                info=info,
                headers=self._auth_headers(),
                params=query,
                data=data,
                json_body=json_body,
                epoch=epoch,
            )
        statuses = self.stats.statuses
        statuses[raw.status] = statuses.get(raw.status, 0) + 1
        if raw.status == 429:
            self.stats.rate_limited += 1
        # Let a request waiting for the slot we just freed go on the wire before we spend CPU
        # decoding and mapping this body: in a fan-out, that keeps the pipe full. A listing's
        # page also waits for its decode turn (see _core/decode_turns.py). Not after a throttling
        # answer: the shared pause it sets must hold that request too, and the pause is only
        # set once the answer is classified.
        success = 200 <= raw.status < 300
        if success and len(raw.body) > decode_turns.EARLY_DECODE_BYTES:
            await decode_turns.wait_for_turn()
        elif raw.status not in (429, 503):
            await asyncio.sleep(0)
        decoded = self._decode(raw, info) if success else None
        error = self._classify(raw, decoded, info, parse_retry_after(raw.headers))
        if error is not None:
            _scrub(error, self._credential_forms())
            if isinstance(error, RateLimitError):
                self._pacer.on_throttle(sent_at, time.monotonic())
            raise error
        self._pacer.on_success()
        return Response(raw.status, raw.headers, decoded, 0)

    def _decode(self, raw: RawResponse, info: RequestInfo) -> Any:
        if not raw.body.strip():
            raise ResponseFormatError(
                f"empty body on HTTP {raw.status} ({info})",
                vendor=self.vendor,
                request=info,
                retryable=True,
            )
        try:
            return jsonlib.loads(raw.body)
        except jsonlib.JSONDecodeError as exc:
            ctype = raw.headers.get("content-type", "unknown")
            raise ResponseFormatError(
                f"undecodable JSON body ({ctype}, {len(raw.body)} bytes) on HTTP {raw.status} "
                f"({info}): {type(exc).__name__}",
                vendor=self.vendor,
                request=info,
                retryable=True,
            ) from exc

    # -- running endpoint rows -------------------------------------------------------------

    def _unsupported(self, operation: str) -> UnsupportedOperationError:
        return UnsupportedOperationError(
            f"{self.vendor} has no {operation} operation", vendor=self.vendor
        )

    def _endpoint_table(self) -> Mapping[str, Endpoint[Any]]:
        """The rows this client runs: the class's ``endpoints`` unless the client picks a
        table of its own (one per API generation, with the same operations and filters)."""
        return self.endpoints

    def _endpoint(self, operation: str) -> Endpoint[Any]:
        row = self._endpoint_table().get(operation)
        if row is None:
            raise self._unsupported(operation)
        return row

    async def _call(
        self,
        operation: str,
        *,
        path_args: Mapping[str, str | int] | None = None,
        arguments: Mapping[str, Any] | None = None,
        params: Params | None = None,
        body: Any = None,
        context: Any = _OWN_CONTEXT,
    ) -> Any:
        """Run the single-record (or write) row ``operation``; return its model, or None.

        Args:
            operation: The row's name in ``endpoints``.
            path_args: Values for the path template (quoted as one segment each).
            arguments: The caller's keywords, checked against the row's ``parameters`` (or
                its ``filters``) before any request and sent where the row's ``body`` says
                (for a row with ``parameters``, they make the whole body).
            params: Parameters already encoded, sent where the row's ``body`` says.
            body: A JSON body, sent as is (for rows that take a JSON document).
            context: The decoder's context for this call (default: ``_decode_context()``),
                for a record whose model needs what the caller asked for (the id sent in a
                body, not echoed in the answer).

        Raises:
            TypeError: An unknown keyword, or a missing required one (before any request).
            ValueError: A keyword's value of the wrong kind (before any request).
            UnsupportedOperationError: The vendor declares no such row.
            ChatAPIError: Any error of the hierarchy.
        """
        row = self._endpoint(operation)
        path = row.fill_path(self._path_values(), path_args or {})
        pairs: list[tuple[str, str]] = []
        if arguments is not None:
            where = f"{type(self).__name__}.{operation}()"
            if row.parameters is not None:
                row.parameters.check(arguments, where=where)
                document = row.parameters.document(arguments)
                if row.body == "json":
                    body = {**document, **dict(row.constants)}
                else:
                    pairs = [*wire.flatten(document), *row.constants]
            else:
                self._check_filters(operation, arguments)
                params = row.encode_filters(arguments)
        if not pairs and row.paging is None:
            pairs = row.page_params(params or {}, 1)
        response = await self._send(row, path, pairs, json_document=body, operation=operation)
        info = RequestInfo(row.method, path)
        if row.decode is None:
            if row.confirms is not None and not row.confirms(response.data):
                error = ResponseFormatError(
                    f"{self.vendor} {operation} answered with no acknowledgement: "
                    f"{jsonlib.dumps(response.data)[:80]!r}",
                    vendor=self.vendor,
                    request=info,
                )
                _scrub(error, self._credential_forms())
                raise error
            return None
        payload = row.single(row.unwrap(response.data))
        if row.pick is not None and isinstance(payload, list):
            payload = row.pick(payload, {**(path_args or {}), **(arguments or {})})
        if isinstance(payload, ErrorDetails) and not row.safe_to_repeat:
            # A write that succeeded, answered without the record it made or changed.
            raise ResponseFormatError(
                f"{self.vendor} {operation} succeeded but its answer holds no {row.kind}: "
                f"{payload.message}",
                vendor=self.vendor,
                request=info,
            )
        if isinstance(payload, ErrorDetails):
            # The answer succeeded but says there is no such record (an empty envelope).
            raise build_status_error(
                response.status,
                attrs.evolve(payload, error_class=payload.error_class or NotFoundError),
                vendor=self.vendor,
                request=info,
                body=b"",
                reason=None,
                retry_after=None,
            )
        if not isinstance(payload, Mapping):
            raise ResponseFormatError(
                f"{self.vendor} {row.kind} answer is not an object ({type(payload).__name__})",
                vendor=self.vendor,
                request=info,
            )
        if context is _OWN_CONTEXT:
            context = self._decode_context()
        return row.map((payload,), context, vendor=self.vendor)[0]

    async def _send(
        self,
        row: Endpoint[Any],
        path: str,
        pairs: Sequence[tuple[str, str]],
        *,
        json_document: Any = None,
        operation: str | None = None,
    ) -> Response:
        """One request of ``row`` with ``pairs`` placed where the row says."""
        query: Sequence[tuple[str, str]] | None = None
        form: Sequence[tuple[str, str]] | None = None
        json_body = json_document
        if row.body == "query":
            query = pairs or None
        elif row.body == "form":
            form = pairs or None
        elif json_body is None and pairs:
            build = row.json_document or group_repeated
            json_body = build(pairs)
        safe = row.safe_to_repeat or (
            operation is not None and self.retry_policy.repeats_write(operation)
        )
        return await self._request(
            row.method,
            path,
            params=query,
            data=form,
            json_body=json_body,
            idempotent=safe,
        )

    def _check_filters(self, operation: str, filters: Mapping[str, Any]) -> Endpoint[Any]:
        row = self._endpoint(operation)
        accepted = row.filters.names
        unknown = sorted(set(filters) - accepted)
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.{operation}() got unknown filter(s) "
                f"{', '.join(unknown)}; accepted: {', '.join(sorted(accepted)) or 'none'}"
            )
        return row

    def _list(self, operation: str, filters: Mapping[str, Any]) -> Pager[Any]:
        """A :class:`~chatapi.Pager` over the listing row ``operation``.

        Filters are checked and encoded before any request: an unknown name is a
        ``TypeError``, a value of the wrong kind a ``ValueError``.

        Raises:
            UnsupportedOperationError: The vendor declares no such row.
        """
        row = self._check_filters(operation, filters)
        return self._row_pager(operation, row.encode_filters(filters))

    async def _fetch_page(
        self, row: Endpoint[T], context: Any, params: Params, number: int
    ) -> Page[T]:
        """Page ``number`` of the listing row ``row`` with encoded ``params``."""
        path = row.fill_path(self._path_values(), {})
        try:
            if row.decode_at_once:
                with decode_turns.decode_at_once():
                    response = await self._send(row, path, row.page_params(params, number))
            else:
                response = await self._send(row, path, row.page_params(params, number))
        except NotFoundError as error:
            if not row.not_found_ends_listing or number == 1 or error.status != 404:
                raise
            # Page 1 proved the path right: past the end, this vendor answers 404.
            logger.info("%s: %s page %d answered 404: end of listing", self.vendor, path, number)
            return Page(items=(), number=number, raw=None)
        payload = row.unwrap(response.data)
        records = row.records(payload, vendor=self.vendor, where=path)
        total, pages = row.totals(payload, vendor=self.vendor)
        pages = row.served_pages(payload, params, total, pages, vendor=self.vendor, where=path)
        items = row.map(records, context, vendor=self.vendor)
        if row.paging is None and total is None:
            total, pages = len(items), 1
        return Page(items=items, number=number, raw=response.data, total=total, page_count=pages)

    def _row_fetcher(self, operation: str) -> PageFetcher[Any]:
        """The page fetcher of the listing row ``operation`` (its filters already encoded)."""
        return functools.partial(
            self._fetch_page, self._endpoint(operation), self._decode_context()
        )

    def _row_pager(
        self,
        operation: str,
        params: Params,
        *,
        key: Callable[[Any], Hashable] | None = None,
        concurrency: int | None = None,
    ) -> Pager[Any]:
        """A :class:`~chatapi.Pager` over the listing row ``operation`` with encoded ``params``
        (also a listing inside another: see :class:`~chatapi.pagination.NestedPages`).

        Args:
            operation: The row's name in ``endpoints``.
            params: The encoded parameters.
            key: The records' identity, for the engine's duplicate and repeated-page checks
                (default: their ``id``).
            concurrency: Pages of this listing fetched at once (default: the client's
                ``max_concurrency``; an inner listing that is mostly one page wants 1).
        """
        row = self._endpoint(operation)
        return Pager(
            self._row_fetcher(operation),
            params,
            row.planned(params),
            concurrency=concurrency or self.max_concurrency,
            key=key or row.identity or _record_key,
            vendor=self.vendor,
        )

    # -- normalized operations (a vendor supports those it declares a row for) --------------

    def chats(self, **filters: Any) -> Pager[Chat]:
        """Every chat matching ``filters``, as a concurrent :class:`~chatapi.Pager`."""
        return self._list("chats", filters)

    async def get_chat(self, chat_id: str) -> Chat:
        """One chat by id."""
        chat: Chat = await self._call("get_chat", path_args={"id": chat_id})
        return chat

    def offline_messages(self, **filters: Any) -> Pager[OfflineMessage]:
        """Every offline message matching ``filters``."""
        return self._list("offline_messages", filters)

    async def get_offline_message(self, message_id: str) -> OfflineMessage:
        """One offline message by id."""
        message: OfflineMessage = await self._call(
            "get_offline_message", path_args={"id": message_id}
        )
        return message

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every agent of the account."""
        return self._list("agents", filters)

    async def get_agent(self, agent_id: str) -> Agent:
        """One agent by id."""
        agent: Agent = await self._call("get_agent", path_args={"id": agent_id})
        return agent

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """Every visitor (or contact, or profile) of the account."""
        return self._list("visitors", filters)

    async def get_visitor(self, visitor_id: str) -> Visitor:
        """One visitor by id."""
        visitor: Visitor = await self._call("get_visitor", path_args={"id": visitor_id})
        return visitor

    # -- normalized writes (a vendor supports those it overrides; see chatapi.writes) ---------

    async def create_agent(self, agent: NewAgent, /) -> Agent:
        """Create an agent (no password: the vendor invites them).

        Raises:
            UnsupportedOperationError: The vendor has no such write (before any request).
        """
        raise self._unsupported("create_agent")

    async def update_agent(self, agent_id: str, agent: NewAgent, /) -> Agent:
        """Bring an existing agent's name (and job title) to ``agent``'s; its login, role and
        groups stay as they are (a migration never demotes an owner)."""
        raise self._unsupported("update_agent")

    async def find_agent(self, agent: NewAgent, /) -> Agent | None:
        """The agent with ``agent.email``, if the account has one."""
        raise self._unsupported("find_agent")

    async def create_group(self, group: NewGroup, /) -> Record:
        """Create a group (department)."""
        raise self._unsupported("create_group")

    async def find_group(self, group: NewGroup, /) -> Record | None:
        """The group named ``group.name``, if any."""
        raise self._unsupported("find_group")

    async def create_tag(self, tag: NewTag, /) -> Record:
        """Create a tag."""
        raise self._unsupported("create_tag")

    async def find_tag(self, tag: NewTag, /) -> Record | None:
        """The tag named ``tag.name`` (in ``tag.group_id``), if any."""
        raise self._unsupported("find_tag")

    async def create_canned_response(self, response: NewCannedResponse, /) -> Record:
        """Create a canned response (shortcut)."""
        raise self._unsupported("create_canned_response")

    async def find_canned_response(self, response: NewCannedResponse, /) -> Record | None:
        """The canned response with ``response.text`` (in its group), if any."""
        raise self._unsupported("find_canned_response")

    async def create_visitor(self, visitor: NewVisitor, /) -> Record:
        """Create a visitor (contact, profile)."""
        raise self._unsupported("create_visitor")

    async def find_visitor(self, visitor: NewVisitor, /) -> Record | None:
        """The visitor with ``visitor.email``, if any."""
        raise self._unsupported("find_visitor")

    async def create_ticket(self, ticket: NewTicket, /) -> Record:
        """Open a ticket with one message."""
        raise self._unsupported("create_ticket")

    async def find_ticket(self, ticket: NewTicket, /) -> Record | None:
        """The ticket of this requester, subject and message, if any."""
        raise self._unsupported("find_ticket")

    async def create_case(self, chat: NewChat, /) -> Record:
        """Write a whole conversation as a case: open it, add the messages, close it."""
        raise self._unsupported("create_case")

    async def find_case(self, chat: NewChat, /) -> Record | None:
        """The case written for this conversation, if any."""
        raise self._unsupported("find_case")

    # -- listings ---------------------------------------------------------------------------

    def _pager(
        self,
        fetch: PageFetcher[T],
        params: Params,
        strategy: Strategy,
        key: Callable[[T], Hashable] | None,
    ) -> Pager[T]:
        return Pager(
            fetch, params, strategy, concurrency=self.max_concurrency, key=key, vendor=self.vendor
        )


def _record_key(record: Any) -> Hashable:
    # Every normalized record has an ``id``: the engine drops repeats of it.
    key: Hashable = record.id
    return key


def _say_write_may_have_applied(error: APIConnectionError) -> None:
    """Say in the error that a write which was sent may have been applied.

    The answer was lost after the request left (a timeout, a reset): the vendor may have
    processed it. Repeating it could apply it twice, so the client does not; the caller
    decides (read back first, or opt in with ``RetryPolicy(retry_writes=...)``).
    """
    message = (
        f"{error.message}; the request was sent, so the write may have been applied: "
        "not repeated (read back before retrying)"
    )
    error.message = message
    error.args = (message, *error.args[1:])


def _scrub(error: ChatAPIError, secrets: Sequence[str]) -> None:
    """Blank out credentials a vendor echoed into an error's message or body.

    Some vendors (and most proxies' error pages) echo the request, headers included; the
    message and body of an error end up in logs and tracebacks.
    """

    def clean(text: str) -> str:
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, "***")
        return text

    message = clean(error.message)
    if message != error.message:
        error.message = message
        error.args = (message, *error.args[1:])
    if isinstance(error, APIStatusError):
        if error.body:
            error.body = clean(error.body)
        if error.vendor_code:
            error.vendor_code = clean(error.vendor_code)


def _query_pairs(
    params: Params | Sequence[tuple[str, str]] | None,
) -> list[tuple[str, str]] | None:
    if params is None:
        return None
    if not isinstance(params, Mapping):
        return list(params)
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if isinstance(value, tuple):
            pairs.extend((name, item) for item in value)
        else:
            pairs.append((name, value))
    return pairs
