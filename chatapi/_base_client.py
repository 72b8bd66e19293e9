"""The one request loop every vendor client runs on: build → gate → send → classify → retry."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from ._core import jsonlib, ordering
from ._core.pacing import Pacer
from ._core.retry import RetryPolicy, decide_retry, parse_retry_after
from ._transport import RawResponse, Transport
from .errors import (
    APIStatusError,
    ChatAPIError,
    ConfigurationError,
    RateLimitError,
    RequestInfo,
    ResponseFormatError,
    UnsupportedOperationError,
    make_status_error,
)
from .models import Agent, Chat, OfflineMessage, Visitor
from .pagination import PageFetcher, Pager, Params, Strategy

if TYPE_CHECKING:
    import aiohttp

__all__ = ["BaseClient", "ClientStats", "Response"]

logger = logging.getLogger("chatapi")
T = TypeVar("T")
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

    Vendor subclasses supply the mapping only: ``vendor``, ``default_base_url``,
    :meth:`_auth_headers`, :meth:`_classify` and optionally :meth:`_recover`.

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
    #: Normalized operation -> the filters it accepts (the README's capability table).
    capabilities: ClassVar[Mapping[str, frozenset[str]]] = {}

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

    def _classify(
        self,
        response: RawResponse,
        data: Any,
        info: RequestInfo,
        retry_after: float | None,
    ) -> ChatAPIError | None:
        """The error an answer stands for, or None for success.

        Called for every answer. ``data`` is the decoded JSON body of a 2xx (an error
        envelope inside a 200 is an error too), None otherwise.
        """
        raise NotImplementedError

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
        # page also waits for its decode turn (see _core/ordering.py). Not after a throttling
        # answer: the shared pause it sets must hold that request too, and the pause is only
        # set once the answer is classified.
        success = 200 <= raw.status < 300
        if success and len(raw.body) > ordering.EARLY_DECODE_BYTES:
            await ordering.wait_for_turn()
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

    # -- normalized operations (vendors override what they support) -------------------------

    def _unsupported(self, operation: str) -> UnsupportedOperationError:
        return UnsupportedOperationError(
            f"{self.vendor} has no {operation} operation", vendor=self.vendor
        )

    def chats(self, **filters: Any) -> Pager[Chat]:
        """Every chat matching ``filters``, as a concurrent :class:`~chatapi.Pager`."""
        raise self._unsupported("chats")

    async def get_chat(self, chat_id: str) -> Chat:
        """One chat by id."""
        raise self._unsupported("get_chat")

    def offline_messages(self, **filters: Any) -> Pager[OfflineMessage]:
        """Every offline message matching ``filters``."""
        raise self._unsupported("offline_messages")

    async def get_offline_message(self, message_id: str) -> OfflineMessage:
        """One offline message by id."""
        raise self._unsupported("get_offline_message")

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every agent of the account."""
        raise self._unsupported("agents")

    async def get_agent(self, agent_id: str) -> Agent:
        """One agent by id."""
        raise self._unsupported("get_agent")

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """Every visitor of the account (REVE Chat only)."""
        raise self._unsupported("visitors")

    async def get_visitor(self, visitor_id: str) -> Visitor:
        """One visitor by id (REVE Chat only)."""
        raise self._unsupported("get_visitor")

    # -- listings ---------------------------------------------------------------------------

    def _check_filters(self, operation: str, filters: Mapping[str, Any]) -> None:
        accepted = self.capabilities.get(operation)
        if accepted is None:
            raise self._unsupported(operation)
        unknown = sorted(set(filters) - accepted)
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.{operation}() got unknown filter(s) "
                f"{', '.join(unknown)}; accepted: {', '.join(sorted(accepted)) or 'none'}"
            )

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


def status_error_from_body(
    *,
    vendor: str,
    status: int,
    info: RequestInfo,
    message: str,
    vendor_code: str | None,
    body: bytes,
    retry_after: float | None,
    error_class: type[APIStatusError] | None = None,
) -> APIStatusError:
    """The hierarchy's error for a vendor's answer (shared by the vendor classifiers)."""
    return make_status_error(
        status,
        message,
        vendor=vendor,
        vendor_code=vendor_code,
        request=info,
        body=body[:4096].decode("utf-8", "replace"),
        retry_after=retry_after,
        error_class=error_class,
    )
