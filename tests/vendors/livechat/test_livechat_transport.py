"""The request loop and transport against real aiohttp servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

import chatapi
from chatapi import RetryPolicy
from chatapi._transport import Transport
from chatapi.errors import RequestInfo

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Server:
    """A one-route-table aiohttp server with a log of what it saw."""

    def __init__(self) -> None:
        self.app = web.Application()
        self.log: list[tuple[float, str]] = []
        self.cancelled = 0
        self.url = ""
        self._runner: web.AppRunner | None = None

    def route(self, path: str, handler: Handler) -> None:
        async def logged(request: web.Request) -> web.StreamResponse:
            self.log.append((time.monotonic(), request.path_qs))
            try:
                return await handler(request)
            except asyncio.CancelledError:
                self.cancelled += 1
                raise

        self.app.router.add_get(path, logged)

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    srv = Server()
    yield srv
    await srv.stop()


def client(srv: Server, **options: Any) -> chatapi.LiveChat:
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    return chatapi.LiveChat(login="a@b.c", api_key="k", base_url=srv.url, **options)


def chat(chat_id: str) -> dict[str, Any]:
    return {"id": chat_id, "started_timestamp": 1700000000, "messages": []}


async def test_retry_after_pauses_every_request_of_the_client(server: Server) -> None:
    throttled = asyncio.Event()
    answered: dict[str, int] = {}

    async def handler(request: web.Request) -> web.Response:
        chat_id = request.match_info["id"]
        answered[chat_id] = answered.get(chat_id, 0) + 1
        if chat_id == "A" and answered[chat_id] == 1:
            throttled.set()
            return web.json_response(
                {"error": "Too many requests"}, status=429, headers={"Retry-After-Ms": "400"}
            )
        return web.json_response(chat(chat_id))

    server.route("/chats/{id}", handler)
    await server.start()
    async with client(server, max_concurrency=8) as lc:
        first = asyncio.ensure_future(lc.get_chat("A"))
        await throttled.wait()
        # Poll: the client exposes no event for "a 429 was processed".
        while lc.stats.rate_limited == 0:  # noqa: ASYNC110
            await asyncio.sleep(0.001)
        t0 = time.monotonic()
        others = await asyncio.gather(*(lc.get_chat(c) for c in "BCD"))
        assert [c.id for c in others] == ["B", "C", "D"]
        assert (await first).id == "A"
        # Nothing reached the server during the pause, retries and new calls alike.
        after = [t for t, _ in server.log[1:]]
        assert min(after) - t0 >= 0.3
        assert lc.stats.rate_limited == 1
        assert 0.35 <= lc.stats.paused_seconds <= 0.5
        assert answered == {"A": 2, "B": 1, "C": 1, "D": 1}


async def test_retry_after_above_cap_raises_with_the_wait(server: Server) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"error": "slow down"}, status=429, headers={"Retry-After": "600"})

    server.route("/agents", handler)
    await server.start()
    async with client(server, retry_policy=RetryPolicy()) as lc:
        with pytest.raises(chatapi.RateLimitError) as info:
            await lc.agents().collect()
    assert info.value.retry_after == 600
    assert len(server.log) == 1


def pages_handler(total_pages: int, delay: Callable[[int], float]) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        number = int(request.query.get("page", "1"))
        await asyncio.sleep(delay(number))
        ids = [f"P{number}-{i}" for i in range(25)]
        return web.json_response(
            {"chats": [chat(i) for i in ids], "total": 25 * total_pages, "pages": total_pages}
        )

    return handler


async def test_fan_out_respects_max_concurrency(server: Server) -> None:
    in_flight = 0
    peak = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            return await pages_handler(30, lambda n: 0.02)(request)
        finally:
            in_flight -= 1

    server.route("/chats", handler)
    await server.start()
    async with client(server, max_concurrency=5) as lc:
        chats = await lc.chats().collect()
    assert len(chats) == 30 * 25
    assert len({c.id for c in chats}) == 30 * 25
    assert peak == 5


async def test_early_break_cancels_requests_in_flight(server: Server) -> None:
    server.route("/chats", pages_handler(100, lambda n: 0.0 if n <= 2 else 2.0))
    await server.start()
    async with client(server, max_concurrency=4) as lc:
        items = lc.chats().__aiter__()
        count = 0
        async for _ in items:
            count += 1
            if count == 30:  # inside page 2: pages 3.. are in flight
                break
        await items.aclose()
        assert lc._gate._value == 4  # every concurrency slot is back
    # The server saw its handlers cancelled as the connections closed.
    for _ in range(50):
        if server.cancelled:
            break
        await asyncio.sleep(0.01)
    assert server.cancelled >= 1
    assert len(server.log) <= 2 + 2 * 4
    others = asyncio.all_tasks() - {asyncio.current_task()}
    assert all(task.done() for task in others)


async def test_caller_session_is_never_closed(server: Server) -> None:
    server.route("/agents", lambda r: _json([]))
    await server.start()
    async with aiohttp.ClientSession() as session:
        async with client(server, session=session) as lc:
            assert await lc.agents().collect() == []
        assert not session.closed
        async with session.get(server.url + "/agents") as resp:
            assert resp.status == 200


async def test_owned_session_is_closed_on_exit(server: Server) -> None:
    server.route("/agents", lambda r: _json([]))
    await server.start()
    lc = client(server)
    async with lc:
        await lc.agents().collect()
        assert not lc._transport.closed
    assert lc._transport._session is None
    # A closed client can be used again: it opens a fresh session and must be closed again.
    await lc.agents().collect()
    await lc.close()


async def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status)


async def test_timeout_raises_api_timeout_error(server: Server) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response([])

    server.route("/agents", slow)
    await server.start()
    async with client(server, timeout=0.2, max_retries=1) as lc:
        lc.retry_policy = RetryPolicy.no_wait(max_retries=1)
        with pytest.raises(chatapi.APITimeoutError) as info:
            await lc.agents().collect()
    assert info.value.retryable
    assert len(server.log) == 2


async def test_connection_refused_is_unsent_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with chatapi.LiveChat(
        login="a",
        api_key="k",
        base_url=f"http://127.0.0.1:{port}",
        retry_policy=RetryPolicy.no_wait(2),
    ) as lc:
        with pytest.raises(chatapi.APIConnectionError) as info:
            await lc.agents().collect()
    assert info.value.sent is False
    assert lc.stats.requests == 3


async def test_truncated_body_is_retried(server: Server) -> None:
    calls = 0

    async def flaky(request: web.Request) -> web.StreamResponse:
        nonlocal calls
        calls += 1
        if calls == 1:
            resp = web.StreamResponse(headers={"Content-Length": "1000"})
            await resp.prepare(request)
            await resp.write(b'[{"login": "a@b.c"')
            assert request.transport is not None
            request.transport.close()
            return resp
        return web.json_response([{"login": "a@b.c"}])

    server.route("/agents", flaky)
    await server.start()
    async with client(server) as lc:
        agents = await lc.agents().collect()
    assert [a.id for a in agents] == ["a@b.c"]
    assert lc.stats.retries == 1


async def test_body_cap_stops_oversized_bodies(server: Server) -> None:
    big = b"[" + b'"xxxxxxxxxx",' * 20_000 + b'"x"]'

    async def chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for start in range(0, len(big), 8192):
            await resp.write(big[start : start + 8192])
        await resp.write_eof()
        return resp

    server.route("/big", chunked)
    await server.start()
    transport = Transport(session=None, timeout=5, body_cap=50_000, vendor="livechat")
    try:
        with pytest.raises(chatapi.ResponseFormatError, match="cap"):
            await transport.send(
                "GET", server.url + "/big", info=RequestInfo("GET", "/big"), headers={}
            )
        ok = Transport(session=None, timeout=5, vendor="livechat")
        try:
            raw = await ok.send(
                "GET", server.url + "/big", info=RequestInfo("GET", "/big"), headers={}
            )
            assert raw.body == big
        finally:
            await ok.close()
    finally:
        await transport.close()
