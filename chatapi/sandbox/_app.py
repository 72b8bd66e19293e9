"""What every fake vendor shares: stats, fault injection middleware, rendering helpers."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import struct
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
from aiohttp import web

from .._core import jsonlib
from .data import Dataset
from .faults import FaultPlan, Faults, RateLimiter

if TYPE_CHECKING:
    from ._live import Delivery, Live, LiveRunner, Outgoing

__all__ = ["PageCache", "Stats", "VendorApp", "json_response"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: Marks a request whose connection was reset on purpose (it has no status to count).
_RESET = web.RequestKey("chatapi_sandbox_reset", bool)

_PROXY_PAGES = {
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
}


@attrs.define
class Stats:
    """Requests a sandbox served, for tests that assert retries happened.

    Attributes:
        requests: Requests received.
        statuses: Answers sent, by HTTP status (a reset connection has no status).
        faults: Injected faults, by kind (``500``, ``502``, ``503``, ``reset``, ``truncate``,
            ``malformed``, ``slow_body``, ``rate_limit``).
        paths: Requests by route (method and path pattern).
    """

    requests: int = 0
    statuses: dict[int, int] = attrs.field(factory=dict)
    faults: dict[str, int] = attrs.field(factory=dict)
    paths: dict[str, int] = attrs.field(factory=dict)

    @property
    def injected(self) -> int:
        """Faults injected, every kind together."""
        return sum(self.faults.values())

    def reset_counters(self) -> None:
        """Forget everything counted so far."""
        self.requests = 0
        self.statuses.clear()
        self.faults.clear()
        self.paths.clear()

    def _fault(self, kind: str) -> None:
        self.faults[kind] = self.faults.get(kind, 0) + 1


def json_bytes(data: Any) -> bytes:
    """Compact JSON (orjson when installed)."""
    return jsonlib.dumps(data).encode()


def json_response(
    data: Any = None,
    *,
    status: int = 200,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/json",
) -> web.Response:
    """A JSON answer from ``data`` or from already encoded ``body``."""
    payload = body if body is not None else json_bytes(data)
    response = web.Response(status=status, body=payload, headers=headers)
    response.content_type = content_type
    return response


def text_response(
    text: str,
    *,
    status: int,
    content_type: str = "text/plain",
    charset: str | None = "UTF-8",
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """A plain-text answer with an explicit (possibly misleading) content type."""
    value = f"{content_type};charset={charset}" if charset else content_type
    return web.Response(
        status=status, body=text.encode(), headers={**(headers or {}), "Content-Type": value}
    )


class PageCache:
    """Rendered page bodies, least recently used dropped first beyond a byte budget.

    Benchmarks fetch the same pages again and again; rendering is the server's main cost.
    """

    def __init__(self, budget: int = 64 * 1024 * 1024) -> None:
        self._budget = budget
        self._size = 0
        self._items: OrderedDict[Any, bytes] = OrderedDict()

    def get(self, key: Any, render: Callable[[], bytes]) -> bytes:
        """The cached body for ``key``, rendering (and caching) it when absent."""
        body = self._items.get(key)
        if body is not None:
            self._items.move_to_end(key)
            return body
        body = render()
        self._items[key] = body
        self._size += len(body)
        while self._size > self._budget and self._items:
            _, dropped = self._items.popitem(last=False)
            self._size -= len(dropped)
        return body

    def clear(self) -> None:
        """Drop everything (the data changed)."""
        self._items.clear()
        self._size = 0


class VendorApp:
    """Base of a fake vendor: the aiohttp application, auth, faults and stats.

    Subclasses add routes in :meth:`setup_routes` and say how the vendor phrases errors in
    :meth:`error_response` and :meth:`rate_limited_response`.

    Args:
        dataset: The data to serve.
        faults: What to do wrong.
        generation: The API generation served (vendor-specific names).
    """

    vendor: ClassVar[str]
    generations: ClassVar[tuple[str, ...]]

    def __init__(self, dataset: Dataset, faults: Faults, generation: str | None = None) -> None:
        generation = generation or self.generations[0]
        if generation not in self.generations:
            raise ValueError(
                f"{self.vendor} sandbox generations are {', '.join(self.generations)}; "
                f"got {generation!r}"
            )
        self.generation = generation
        self.dataset = dataset
        self.faults = faults
        self.stats = Stats()
        self.seed = dataset.config.seed
        self._plan = FaultPlan(faults, self.seed)
        self._limiter = (
            RateLimiter(faults.rate_limit, faults.burst) if faults.rate_limit is not None else None
        )
        self._listings = 0
        self._faulty = bool(
            faults.total_probability or faults.latency or faults.jitter or self._limiter
        )
        self.cache = PageCache()
        #: Live mode (see :meth:`enable_live`); None when chats do not arrive over time.
        self.live: Live | None = None
        self.live_runner: LiveRunner | None = None
        self.app = web.Application(middlewares=[self._stats_middleware, self._fault_middleware])
        self.setup_routes(self.app.router)

    # -- to implement -----------------------------------------------------------------------

    def setup_routes(self, router: web.UrlDispatcher) -> None:
        """Register the vendor's endpoints."""
        raise NotImplementedError

    def credentials(self, base_url: str) -> dict[str, Any]:
        """Constructor keyword arguments of the vendor's chatapi client (``base_url`` too)."""
        raise NotImplementedError

    def error_response(self, status: int, message: str) -> web.Response:
        """The vendor's answer for an error ``status`` (used for injected 500s too)."""
        raise NotImplementedError

    def rate_limited_response(self, wait: float) -> web.Response:
        """The vendor's 429 answer, ``wait`` seconds before a request would pass."""
        retry_after = self.retry_after_value(wait)
        response = self.error_response(429, "Too many requests")
        response.headers["Retry-After"] = retry_after
        return response

    def check_live(self, live: Live) -> None:
        """Reject a live config the vendor cannot honour (default: any webhook setting, for a
        vendor that sends no webhooks).

        Raises:
            ValueError: The config asks for something the vendor does not do.
        """
        if live.webhook_url is not None or live.webhook_key is not None:
            raise ValueError(f"the {self.vendor} sandbox sends no webhooks")

    def live_events(self, index: int) -> list[list[Outgoing]]:
        """The webhook POSTs chat ``index``'s arrival causes, in groups sent one after the
        other (e.g. every "started" delivery, then every "ended" one); none by default."""
        return []

    def live_info(self, base_url: str) -> list[str]:
        """Lines describing the live mode's webhooks (printed by ``chatapi sandbox``)."""
        return []

    # -- shared behaviour -------------------------------------------------------------------

    def enable_live(self, live: Live) -> LiveRunner:
        """Turn live mode on: while the application runs, a held-back chat arrives every
        ``live.interval`` seconds and its webhooks are POSTed (see
        :mod:`chatapi.sandbox._live`). Call before the application starts serving.

        Raises:
            ValueError: The vendor cannot honour ``live`` (see :meth:`check_live`).
        """
        from ._live import LiveRunner

        self.check_live(live)
        if self.live_runner is not None:
            raise ValueError("live mode is already on")
        self.live = live
        self.live_runner = LiveRunner(self, live)
        self.app.cleanup_ctx.append(self.live_runner.context)
        return self.live_runner

    @property
    def deliveries(self) -> list[Delivery]:
        """Webhook deliveries made in live mode, with every attempt (empty otherwise)."""
        return self.live_runner.deliveries if self.live_runner is not None else []

    def retry_after_value(self, wait: float) -> str:
        """The Retry-After text for a wait of ``wait`` seconds (see ``Faults.retry_after``)."""
        if self.faults.retry_after is not None:
            return f"{self.faults.retry_after:g}"
        return RateLimiter.header_seconds(wait)

    def listing_requested(self) -> None:
        """Count a listing request; new chats arrive here when page drift is on."""
        faults = self.faults
        if not faults.page_drift:
            return
        self._listings += 1
        if self._listings % faults.drift_every == 0 and self.dataset.release(1):
            self.cache.clear()

    @web.middleware
    async def _stats_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        stats = self.stats
        stats.requests += 1
        resource = request.match_info.route.resource
        route = f"{request.method} {resource.canonical if resource else request.path}"
        stats.paths[route] = stats.paths.get(route, 0) + 1
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if request.get(_RESET):
                raise
            # Unknown routes and wrong methods: aiohttp's own 404/405.
            stats.statuses[exc.status] = stats.statuses.get(exc.status, 0) + 1
            raise
        stats.statuses[response.status] = stats.statuses.get(response.status, 0) + 1
        return response

    async def _request_key(self, request: web.Request) -> str:
        body = b""
        if request.can_read_body:
            body = await request.read()
        digest = hashlib.blake2b(body, digest_size=8).hexdigest() if body else ""
        return f"{request.method} {request.path_qs} {digest}"

    @web.middleware
    async def _fault_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self._faulty:
            # A well-behaved server (benchmarks): skip the per-request bookkeeping.
            return await handler(request)
        decision = self._plan.decide(await self._request_key(request))
        if decision.delay > 0:
            await asyncio.sleep(decision.delay)
        if self._limiter is not None:
            wait = self._limiter.acquire()
            if wait is not None:
                self.stats._fault("rate_limit")
                return self.rate_limited_response(wait)
        kind = decision.kind
        if kind is None:
            return await handler(request)
        self.stats._fault(kind)
        if kind == "500":
            return self.error_response(500, "Internal Server Error")
        if kind in ("502", "503"):
            status = int(kind)
            title = f"{status} {_PROXY_PAGES[status]}"
            page = (
                f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
                f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
                "</body>\r\n</html>\r\n"
            )
            return text_response(page, status=status, content_type="text/html", charset=None)
        if kind == "reset":
            request[_RESET] = True
            _reset(request)
            # Nothing is written on an aborted transport; aiohttp just drops this.
            raise web.HTTPInternalServerError()
        response = await handler(request)
        if not isinstance(response, web.Response) or response.status != 200:
            return response
        body = response.body
        if not isinstance(body, bytes):
            return response
        if kind == "malformed":
            # A body cut at a random point plus garbage: never valid JSON.
            cut = max(len(body) * 2 // 3, 1)
            return json_response(body=body[:cut] + b"\x00<!-- upstream", headers=None)
        if kind == "truncate":
            return await _send_truncated(request, response, body)
        return await _send_slowly(request, response, body, self.faults.slow_body_seconds)


def _reset(request: web.Request) -> None:
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # SO_LINGER 0: close() sends RST instead of FIN, like a crashed upstream.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def _send_truncated(
    request: web.Request, template: web.Response, body: bytes
) -> web.StreamResponse:
    response = web.StreamResponse(status=template.status, headers=template.headers)
    response.content_length = len(body)
    await response.prepare(request)
    await response.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return response


async def _send_slowly(
    request: web.Request, template: web.Response, body: bytes, seconds: float
) -> web.StreamResponse:
    response = web.StreamResponse(status=template.status, headers=template.headers)
    response.content_length = len(body)
    await response.prepare(request)
    chunks = 10
    size = max(len(body) // chunks + 1, 1)
    for start in range(0, len(body), size):
        await response.write(body[start : start + size])
        await asyncio.sleep(seconds / chunks)
    await response.write_eof()
    return response
