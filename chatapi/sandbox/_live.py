"""Sandbox live mode: new chats arrive over time and the fake POSTs the vendor's webhooks.

A :class:`Live` config given to :func:`chatapi.sandbox.serve` (or ``make_app``) makes the app
run a background task while it serves: every :attr:`Live.interval` seconds one of the
dataset's held-back chats is released (:meth:`chatapi.sandbox.data.Dataset.release`), so
listings show it from then on, exactly once, where the vendor lists its newest chat. For each
arrival the vendor app names the webhook deliveries it makes (:meth:`VendorApp.live_events`:
LiveChat's registered webhooks, Acquire's configured URL); :class:`LiveRunner` POSTs them with
an :class:`aiohttp.ClientSession` it owns, retries them on a non-200 answer or a connection
error by the vendor's :class:`RetrySchedule`, and records every attempt in
:attr:`LiveRunner.deliveries`.

Released chats are already over (the dataset derives every chat whole), so a chat's
"started" and "ended" deliveries go out one after the other: all of an arrival's "started"
deliveries are settled (answered 200 or given up) before its "ended" ones are sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING

import aiohttp
import attrs

if TYPE_CHECKING:
    from ._app import VendorApp

__all__ = [
    "ACQUIRE_RETRIES",
    "LIVECHAT_RETRIES",
    "Attempt",
    "Delivery",
    "Live",
    "LiveRunner",
    "Outgoing",
    "RetrySchedule",
]


def _positive(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:
        raise ValueError(f"{attribute.name} must be > 0, got {value!r}")


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


def _optional_positive(
    _instance: object, attribute: attrs.Attribute[float | None], value: float | None
) -> None:
    if value is not None and not value > 0:
        raise ValueError(f"{attribute.name} must be > 0, got {value!r}")


def _count(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


def _http_url(_instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise ValueError(f"{attribute.name} must be an http(s) URL, got {value!r}")


@attrs.frozen(kw_only=True)
class Live:
    """Live mode of a sandbox: chats arriving over time, webhooks POSTed for them.

    Attributes:
        interval: Seconds between two arrivals (the first arrives ``interval`` seconds after
            the server starts).
        chats: Chats that arrive, one per ``interval``; then the arrivals stop (deliveries
            still pending go on). The dataset holds them back on top of its ``chats``.
        retry_delay_scale: Factor applied to the vendor's retry delays (LiveChat: up to 10
            retries within about 6 hours); ``0.0001`` makes a whole retry series take a few
            milliseconds in tests.
        delivery_timeout: Seconds one delivery attempt may take before it counts as failed
            (default: the vendor's, 10 s).
        webhook_url: Acquire: the URL its webhook is configured with (both generations).
            LiveChat: registers a ``chat_started`` and a ``chat_ended`` webhook with every
            data type to this URL at start (more can be registered with ``POST /webhooks``).
            REVE Chat sends no webhooks: setting it there is an error.
        webhook_key: Acquire v2: the webhook's HMAC key; deliveries carry
            ``x-acquire-signature`` = hex HMAC-SHA256(key, body). Without it they go
            unsigned. Acquire v1 signs nothing (setting it there is an error).
    """

    interval: float = attrs.field(default=1.0, validator=_positive)
    chats: int = attrs.field(default=10, validator=_count)
    retry_delay_scale: float = attrs.field(default=1.0, validator=_non_negative)
    delivery_timeout: float | None = attrs.field(default=None, validator=_optional_positive)
    webhook_url: str | None = attrs.field(default=None, validator=_http_url)
    webhook_key: str | None = None


@attrs.frozen
class RetrySchedule:
    """How a vendor retries a webhook delivery.

    Attributes:
        timeout: Seconds an attempt may take.
        delays: Seconds before each retry (its length is the number of retries).
    """

    timeout: float
    delays: tuple[float, ...]


#: "your server must answer with HTTP 200 within ~10 s; otherwise we'll retry sending the
#: webhook up to 10 times within 6 hours" (LiveChat webhooks v2 reference,
#: https://developers.livechat.com/docs/ "Webhooks v2 reference (deprecated)"). The spacing is
#: not documented; chosen here: growing delays totalling about 5 hours.
LIVECHAT_RETRIES = RetrySchedule(
    10.0, (60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 3600.0, 3600.0, 3600.0)
)
#: "Acquire will retry sending the webhook ... 5 more times" (https://developer.acquire.io/
#: webhook-api); timeout and spacing are not documented (chosen: 10 s, growing delays). Used
#: for v2 too, whose documentation only mentions a delivery log and a failure e-mail.
ACQUIRE_RETRIES = RetrySchedule(10.0, (60.0, 300.0, 900.0, 1800.0, 3600.0))


@attrs.frozen(kw_only=True)
class Outgoing:
    """One webhook POST a vendor app wants made (built by :meth:`VendorApp.live_events`).

    Attributes:
        url: Where to POST (a registered or configured URL, nothing else).
        event: The event name carried (``chat_started``, ``case:status``, ``CHAT_ON_CLOSE``).
        body: The exact bytes sent (compact JSON).
        headers: Request headers (``Content-Type`` and any signature).
        chat_index: The dataset index of the chat the event is about.
        schedule: How failed attempts are retried.
        key: Stays the same on every attempt (LiveChat's ``event_unique_id``; else empty).
    """

    url: str
    event: str
    body: bytes
    headers: Mapping[str, str]
    chat_index: int
    schedule: RetrySchedule
    key: str = ""


@attrs.frozen(kw_only=True)
class Attempt:
    """One try of a delivery.

    Attributes:
        number: 1 for the first attempt, 2 for the first retry, ...
        status: The receiver's HTTP status, or None when there was no answer.
        error: Why there was no answer (timeout, connection refused), else None.
        at: ``time.monotonic()`` when the attempt started.
    """

    number: int
    status: int | None
    error: str | None
    at: float


@attrs.define
class Delivery:
    """A webhook delivery and what became of it (see :attr:`LiveRunner.deliveries`).

    Attributes:
        outgoing: What is sent.
        attempts: Every try so far, oldest first.
        delivered: Answered with HTTP 200.
        done: Delivered or given up (retries exhausted, or the server stopped).
    """

    outgoing: Outgoing
    attempts: list[Attempt] = attrs.field(factory=list)
    delivered: bool = False
    done: bool = False

    @property
    def url(self) -> str:
        """Where it is POSTed."""
        return self.outgoing.url

    @property
    def event(self) -> str:
        """The event name it carries."""
        return self.outgoing.event

    @property
    def body(self) -> bytes:
        """The exact bytes POSTed (the same on every attempt)."""
        return self.outgoing.body

    @property
    def statuses(self) -> list[int | None]:
        """The status of every attempt (None: no answer)."""
        return [attempt.status for attempt in self.attempts]


class LiveRunner:
    """Runs live mode for one app: the arrival loop, the deliveries, their HTTP session.

    Created by :meth:`VendorApp.enable_live`; started and stopped with the aiohttp
    application (a ``cleanup_ctx``), so it lives exactly as long as the server serves.

    Args:
        app: The vendor fake.
        live: The live-mode config.
    """

    def __init__(self, app: VendorApp, live: Live) -> None:
        self.app = app
        self.live = live
        #: Every delivery made, in the order they were queued (tests assert on it).
        self.deliveries: list[Delivery] = []
        #: Dataset indices of the chats that arrived, in arrival order.
        self.arrived: list[int] = []
        self._session: aiohttp.ClientSession | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Event()

    @property
    def running(self) -> bool:
        """Whether the arrival loop is still going."""
        return self._loop_task is not None and not self._loop_task.done()

    async def context(self, _application: object) -> AsyncIterator[None]:
        """aiohttp ``cleanup_ctx``: start on server start, stop cleanly on shutdown."""
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    async def start(self) -> None:
        """Open the delivery session and start the arrival loop."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        self._changed = asyncio.Event()
        if self._loop_task is None:
            self._loop_task = asyncio.create_task(self._arrivals(), name="sandbox-live-arrivals")

    async def stop(self) -> None:
        """Stop arrivals, cancel pending deliveries, close the session."""
        tasks = [t for t in (self._loop_task, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        for delivery in self.deliveries:
            delivery.done = True
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- arrivals ---------------------------------------------------------------------------

    async def _arrivals(self) -> None:
        for _ in range(self.live.chats):
            await asyncio.sleep(self.live.interval)
            index = self.arrive()
            if index is None:
                return

    def arrive(self) -> int | None:
        """Release one held-back chat now and queue its webhooks; its index, or None when
        none is left."""
        app = self.app
        if not app.dataset.release(1):
            return None
        app.cache.clear()
        index = app.dataset.chat_count - 1
        self.arrived.append(index)
        groups = [[Delivery(outgoing) for outgoing in group] for group in app.live_events(index)]
        groups = [group for group in groups if group]
        for group in groups:
            self.deliveries.extend(group)
        if groups:
            task = asyncio.create_task(self._deliver_groups(groups))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._signal()
        return index

    def _signal(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_arrivals(self, count: int, timeout: float = 10.0) -> None:
        """Wait until ``count`` chats arrived in all.

        Raises:
            TimeoutError: They did not within ``timeout`` seconds.
        """

        async def until() -> None:
            while len(self.arrived) < count:
                await self._changed.wait()

        await asyncio.wait_for(until(), timeout)

    async def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until every delivery queued so far is settled (delivered or given up).

        Raises:
            TimeoutError: Some are still pending after ``timeout`` seconds.
        """

        async def until() -> None:
            while self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)

        await asyncio.wait_for(until(), timeout)

    # -- deliveries -------------------------------------------------------------------------

    async def _deliver_groups(self, groups: Sequence[Sequence[Delivery]]) -> None:
        for group in groups:
            await asyncio.gather(*(self._deliver(delivery) for delivery in group))

    async def _deliver(self, delivery: Delivery) -> None:
        outgoing = delivery.outgoing
        schedule = outgoing.schedule
        timeout = self.live.delivery_timeout or schedule.timeout
        delays = (0.0, *schedule.delays)
        try:
            for number, delay in enumerate(delays, start=1):
                if delay:
                    await asyncio.sleep(delay * self.live.retry_delay_scale)
                attempt = await self._attempt(outgoing, number, timeout)
                delivery.attempts.append(attempt)
                self._signal()
                if attempt.status == 200:
                    delivery.delivered = True
                    return
        finally:
            delivery.done = True
            self._signal()

    async def _attempt(self, outgoing: Outgoing, number: int, timeout: float) -> Attempt:
        session = self._session
        assert session is not None, "live mode runs only while the server serves"
        at = time.monotonic()
        try:
            async with session.post(
                outgoing.url,
                data=outgoing.body,
                headers=dict(outgoing.headers),
                timeout=aiohttp.ClientTimeout(total=timeout),
                allow_redirects=False,
            ) as response:
                await response.read()
                return Attempt(number=number, status=response.status, error=None, at=at)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            return Attempt(number=number, status=None, error=error, at=at)
