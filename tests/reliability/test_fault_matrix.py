"""The fault matrix: every way a vendor or the network misbehaves, against real servers.

Reads are exercised on LiveChat (GET) and on Acquire v1 (POST reads, idempotent); the
zero-sleep retry policy keeps the suite fast wherever timing is not the point.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import math
import socket
import struct
import time
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import pytest
from aiohttp import web

import chatapi
from chatapi import RetryPolicy

from .conftest import Server, acquire_v1, agent, chat, free_port, livechat, v1_agent, wait_for


@attrs.frozen
class Target:
    """One idempotent read of one vendor: its route, its success body and the call."""

    name: str
    method: str
    path: str
    ok_body: Any
    make: Callable[..., chatapi.BaseClient]
    call: Callable[[Any], Awaitable[Any]]
    expected_id: str


TARGETS = [
    Target(
        "livechat-GET",
        "GET",
        "/agents/{id}",
        agent("a@example.com"),
        livechat,
        lambda c: c.get_agent("a@example.com"),
        "a@example.com",
    ),
    Target(
        "acquire-v1-POST",
        "POST",
        "/account/agents/edit",
        v1_agent("7"),
        acquire_v1,
        lambda c: c.get_agent("7"),
        "7",
    ),
]


@pytest.fixture(params=TARGETS, ids=lambda t: t.name)
def target(request: pytest.FixtureRequest) -> Target:
    param: Target = request.param
    return param


def sequence(*answers: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> Any:
    """A handler answering with ``answers`` in turn, the last one forever after."""
    calls = 0

    async def handler(request: web.Request) -> web.StreamResponse:
        nonlocal calls
        answer = answers[min(calls, len(answers) - 1)]
        calls += 1
        return await answer(request)

    return handler


def ok(body: Any) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def answer(request: web.Request) -> web.StreamResponse:
        await request.read()
        return web.json_response(body)

    return answer


def status(
    code: int, headers: dict[str, str] | None = None, body: Any = None
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def answer(request: web.Request) -> web.StreamResponse:
        await request.read()
        return web.json_response(
            body if body is not None else {"error": f"status {code}"},
            status=code,
            headers=headers,
        )

    return answer


def reset_connection(request: web.Request) -> None:
    transport = request.transport
    assert transport is not None
    sock = transport.get_extra_info("socket")
    if sock is not None:  # SO_LINGER 0: close() sends an RST, like a crashed upstream
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def reset(request: web.Request) -> web.StreamResponse:
    await request.read()
    reset_connection(request)
    raise web.HTTPInternalServerError()


async def close_before_headers(request: web.Request) -> web.StreamResponse:
    await request.read()
    assert request.transport is not None
    request.transport.close()
    raise web.HTTPInternalServerError()


async def run(srv: Server, target: Target, handler: Any, **options: Any) -> tuple[Any, Any]:
    srv.route(target.method, target.path, handler)
    await srv.start()
    async with target.make(srv.url, **options) as client:
        try:
            result: Any = await target.call(client)
        except chatapi.ChatAPIError as error:
            result = error
        return result, client.stats


# -- 429 and Retry-After ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        pytest.param({"Retry-After": "0.2"}, 0.18, 0.6, id="seconds"),
        pytest.param({"Retry-After-Ms": "150"}, 0.13, 0.6, id="retry-after-ms"),
        pytest.param({"Retry-After": "0"}, 0.0, 0.15, id="zero"),
        pytest.param({"Retry-After": "-5"}, 0.0, 0.15, id="negative-ignored"),
        pytest.param({"Retry-After": "soon, promise"}, 0.0, 0.15, id="garbage-ignored"),
        pytest.param({"Retry-After": "NaN", "Retry-After-Ms": "inf"}, 0.0, 0.15, id="non-finite"),
    ],
)
async def test_429_retry_after_is_honoured_then_succeeds(
    server: Server, target: Target, headers: dict[str, str], low: float, high: float
) -> None:
    srv = server
    result, stats = await run(srv, target, sequence(status(429, headers), ok(target.ok_body)))
    assert not isinstance(result, Exception), result
    assert result.id == target.expected_id
    assert len(srv.log) == 2
    assert stats.rate_limited == 1
    assert low <= srv.log[1].at - srv.log[0].at <= high


async def test_429_retry_after_http_date(server: Server, target: Target) -> None:
    when = email.utils.formatdate(time.time() + 1.0, usegmt=True)
    result, stats = await run(
        server, target, sequence(status(429, {"Retry-After": when}), ok(target.ok_body))
    )
    assert result.id == target.expected_id
    # HTTP dates have whole seconds: the wait is (0, 1] s, and every request was held.
    assert 0.0 < stats.paused_seconds <= 1.05
    assert server.log[1].at - server.log[0].at >= stats.paused_seconds - 0.05


async def test_429_retry_after_above_the_cap_raises_at_once(server: Server, target: Target) -> None:
    result, stats = await run(
        server,
        target,
        status(429, {"Retry-After": "121"}),
        retry_policy=RetryPolicy(),  # the real policy: the cap is 120 s
    )
    assert isinstance(result, chatapi.RateLimitError)
    assert result.retry_after == 121
    assert result.retryable
    assert len(server.log) == 1
    assert stats.paused_seconds == 0


async def test_429_storm_under_fan_out_holds_every_request(server: Server) -> None:
    pages, per_page, concurrency = 24, 5, 8
    storm: dict[str, float] = {}
    throttled_at: list[float] = []

    async def handler(request: web.Request) -> web.Response:
        number = int(request.query["page"])
        now = time.monotonic()
        if number >= 2 and "end" not in storm:
            storm["end"] = now + 0.3  # the vendor throttles for 300 ms from the fan-out on
        if "end" in storm and now < storm["end"]:
            throttled_at.append(now)
            wait_ms = math.ceil((storm["end"] - now) * 1000)
            return web.json_response(
                {"error": "Too many requests"}, status=429, headers={"Retry-After-Ms": str(wait_ms)}
            )
        chats = [
            {"id": f"C{number}-{i}", "started_timestamp": 1700000000, "messages": []}
            for i in range(per_page)
        ]
        return web.json_response({"chats": chats, "total": pages * per_page, "pages": pages})

    server.route("GET", "/chats", handler)
    await server.start()
    async with livechat(server.url, max_concurrency=concurrency) as lc:
        records = await lc.chats().collect()
        stats = lc.stats
    assert len(records) == pages * per_page
    assert len({r.id for r in records}) == pages * per_page
    # Only requests already in flight when the first 429 came back can be throttled: the
    # shared pause holds everything else.
    assert stats.rate_limited <= concurrency
    assert stats.requests <= pages + concurrency
    first = throttled_at[0]
    late = [s.at for s in server.log if first + 0.05 < s.at < storm["end"]]
    assert late == [], "requests reached the vendor during the shared pause"


# -- 5xx ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [500, 502, 503, 504])
async def test_5xx_then_success(server: Server, target: Target, code: int) -> None:
    result, stats = await run(
        server, target, sequence(status(code), status(code), ok(target.ok_body))
    )
    assert result.id == target.expected_id
    assert len(server.log) == 3
    assert stats.retries == 2


@pytest.mark.parametrize("code", [500, 502, 503, 504])
async def test_sustained_5xx_stops_and_raises_retryable(
    server: Server, target: Target, code: int
) -> None:
    result, stats = await run(server, target, status(code))
    assert isinstance(result, chatapi.ServerError)
    assert result.status == code
    assert result.retryable is True
    assert len(server.log) == 4  # the first attempt and max_retries=3
    assert stats.retries == 3


async def test_html_5xx_page_gives_a_clean_message(server: Server, target: Target) -> None:
    async def html(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(
            status=502,
            text="<html><body><h1>502 Bad Gateway</h1></body></html>",
            content_type="text/html",
        )

    result, _ = await run(server, target, html, max_retries=0, retry_policy=None)
    assert isinstance(result, chatapi.ServerError)
    assert "<html" not in str(result)


# -- connections -------------------------------------------------------------------------------


async def test_connection_refused_is_retried_then_raised(target: Target) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with target.make(url) as client:
        with pytest.raises(chatapi.APIConnectionError) as info:
            await target.call(client)
        assert client.stats.requests == 4
    assert info.value.sent is False
    assert not isinstance(info.value, chatapi.APITimeoutError)


# aiohttp itself repeats an idempotent-method request (GET, not POST) once when the
# connection drops before the answer, below chatapi's retries: a GET may reach the server
# twice per chatapi attempt.
def wire_attempts(target: Target, attempts: int) -> int:
    return 2 * attempts if target.method == "GET" else attempts


async def test_reset_after_the_request_is_retried(server: Server, target: Target) -> None:
    result, stats = await run(server, target, sequence(reset, ok(target.ok_body)))
    assert result.id == target.expected_id
    assert len(server.log) == 2
    assert stats.retries == (0 if target.method == "GET" else 1)


async def test_sustained_resets_raise_connection_error(server: Server, target: Target) -> None:
    result, stats = await run(server, target, reset)
    assert isinstance(result, chatapi.APIConnectionError)
    assert result.sent is True
    assert stats.requests == 4
    assert len(server.log) == wire_attempts(target, 4)


async def test_close_before_headers_is_retried(server: Server, target: Target) -> None:
    result, stats = await run(server, target, sequence(close_before_headers, ok(target.ok_body)))
    assert result.id == target.expected_id
    assert len(server.log) == 2
    assert stats.retries == (0 if target.method == "GET" else 1)


async def test_sustained_close_before_headers_raises(server: Server, target: Target) -> None:
    result, stats = await run(server, target, close_before_headers)
    assert isinstance(result, chatapi.APIConnectionError)
    assert stats.requests == 4
    assert len(server.log) == wire_attempts(target, 4)


async def test_stale_keep_alive_connection(target: Target) -> None:
    # The server drops idle keep-alive connections after 50 ms; every later request must
    # still succeed (on a fresh connection, or after one retry).
    srv = Server(keepalive_timeout=0.05)
    srv.route(target.method, target.path, ok(target.ok_body))
    await srv.start()
    try:
        async with target.make(srv.url) as client:
            for _ in range(4):
                result = await target.call(client)
                assert result.id == target.expected_id
                await asyncio.sleep(0.12)
            assert client.stats.statuses == {200: 4}
    finally:
        await srv.stop()


async def test_keep_alive_closed_by_server_right_after_answer(
    server: Server, target: Target
) -> None:
    # The worst case of a stale connection: the answer says keep-alive, then the server
    # closes the socket at once; the next request must not fail because of it.
    async def answer_then_close(request: web.Request) -> web.StreamResponse:
        await request.read()
        response = web.json_response(target.ok_body)
        await response.prepare(request)
        await response.write_eof()
        assert request.transport is not None
        request.transport.close()
        return response

    server.route(target.method, target.path, answer_then_close)
    await server.start()
    async with target.make(server.url) as client:
        for _ in range(5):
            assert (await target.call(client)).id == target.expected_id


# -- timeouts ----------------------------------------------------------------------------------


async def test_slow_headers_time_out(server: Server, target: Target) -> None:
    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(3)
        return web.json_response(target.ok_body)

    started = time.monotonic()
    result, _ = await run(server, target, slow, timeout=0.2, max_retries=1, retry_policy=None)
    assert isinstance(result, chatapi.APITimeoutError)
    assert len(server.log) == 2
    assert time.monotonic() - started < 2.5


async def test_trickling_body_times_out(server: Server, target: Target) -> None:
    async def trickle(request: web.Request) -> web.StreamResponse:
        await request.read()
        body = b" " * 200
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = len(body)
        await response.prepare(request)
        for byte in range(len(body)):
            await response.write(body[byte : byte + 1])
            await asyncio.sleep(0.02)  # each read is quick: only the total timeout fires
        return response

    started = time.monotonic()
    result, _ = await run(
        server, target, trickle, timeout=0.3, retry_policy=RetryPolicy.no_wait(max_retries=1)
    )
    assert isinstance(result, chatapi.APITimeoutError)
    assert len(server.log) == 2
    assert time.monotonic() - started < 2.5


# -- bodies ------------------------------------------------------------------------------------


async def test_truncated_body_is_retried(server: Server, target: Target) -> None:
    async def truncated(request: web.Request) -> web.StreamResponse:
        await request.read()
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = 1000
        await response.prepare(request)
        await response.write(b'{"login": "a@exa')
        assert request.transport is not None
        request.transport.close()
        return response

    result, stats = await run(server, target, sequence(truncated, ok(target.ok_body)))
    assert result.id == target.expected_id
    assert stats.retries == 1


def raw(
    body: bytes, content_type: str = "application/json", code: int = 200
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def answer(request: web.Request) -> web.StreamResponse:
        await request.read()
        return web.Response(status=code, body=body, headers={"Content-Type": content_type})

    return answer


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b'{"login": "a@example.com", "na', "application/json", id="malformed-json"),
        pytest.param(b"<html><body>Maintenance</body></html>", "text/html", id="html-page"),
        pytest.param(b"", "application/json", id="empty-body"),
        pytest.param(b"  \r\n ", "application/json", id="whitespace-body"),
    ],
)
async def test_undecodable_200_is_retried_then_a_format_error(
    server: Server, target: Target, body: bytes, content_type: str
) -> None:
    result, _ = await run(server, target, raw(body, content_type))
    assert isinstance(result, chatapi.ResponseFormatError)
    assert result.retryable
    assert len(server.log) == 4


async def test_undecodable_200_once_then_success(server: Server, target: Target) -> None:
    result, _ = await run(server, target, sequence(raw(b"<html>"), ok(target.ok_body)))
    assert result.id == target.expected_id


async def test_wrong_content_type_with_json_body_is_accepted(
    server: Server, target: Target
) -> None:
    import json

    body = json.dumps(target.ok_body).encode()
    result, _ = await run(server, target, raw(body, "text/plain; charset=latin-1"))
    assert result.id == target.expected_id


async def test_valid_json_of_the_wrong_shape_is_a_format_error(
    server: Server, target: Target
) -> None:
    result, _ = await run(server, target, raw(b"[1, 2, 3]"))
    assert isinstance(result, chatapi.ResponseFormatError)


# -- the body cap ------------------------------------------------------------------------------

CAP = 64 * 1024


async def capped_call(srv: Server, target: Target, handler: Any) -> Any:
    srv.route(target.method, target.path, handler)
    await srv.start()
    async with target.make(srv.url) as client:
        client._transport._body_cap = CAP
        try:
            return await target.call(client)
        except chatapi.ChatAPIError as error:
            return error


async def test_oversized_body_with_length_stops_at_the_cap(server: Server, target: Target) -> None:
    big = b'{"pad": "' + b"x" * (4 * CAP) + b'"}'
    result = await capped_call(server, target, raw(big))
    assert isinstance(result, chatapi.ResponseFormatError)
    assert "cap" in str(result)
    assert len(server.log) == 1  # not worth repeating


async def test_chunked_body_without_length_stops_at_the_cap(server: Server, target: Target) -> None:
    written = 0

    async def endless(request: web.Request) -> web.StreamResponse:
        nonlocal written
        await request.read()
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(b'{"pad": "')
        try:
            for _ in range(10_000):  # bounded: 160 MB at most, the client stops far earlier
                await response.write(b"x" * 16384)
                written += 16384
        except (ConnectionError, RuntimeError):
            pass
        return response

    result = await capped_call(server, target, endless)
    assert isinstance(result, chatapi.ResponseFormatError)
    assert written < 10_000 * 16384


async def test_gzip_bomb_stops_at_the_cap_with_bounded_memory(
    server: Server, target: Target
) -> None:
    import tracemalloc
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    zeros = b"0" * (1024 * 1024)
    bomb = b"".join(compressor.compress(zeros) for _ in range(256)) + compressor.flush()
    assert len(bomb) < 1024 * 1024  # 256 MiB once inflated

    async def gzipped(request: web.Request) -> web.StreamResponse:
        await request.read()
        return web.Response(
            body=bomb, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
        )

    tracemalloc.start()
    try:
        result = await capped_call(server, target, gzipped)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result, chatapi.ResponseFormatError)
    assert peak < 16 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while reading a bomb"


# -- hostile JSON ------------------------------------------------------------------------------

HOSTILE = [
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deep-array"),
    pytest.param(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, id="deep-object"),
    pytest.param(b'{"login": ' + b"9" * 10_000 + b"}", id="huge-int"),
    pytest.param(b'{"login": 1e999999}', id="huge-float"),
    pytest.param(b'{"login": NaN}', id="nan"),
    pytest.param(b'{"login": Infinity, "id": -Infinity}', id="infinity"),
    pytest.param(b'{"login": "\xff\xfe"}', id="invalid-utf8"),
    pytest.param(b'{"login": "\\ud800"}', id="lone-surrogate"),
    pytest.param(b'{"login": "a", "login": "b"}', id="duplicate-keys"),
    pytest.param(b'{"success": true, "data": {"id": [[[[[]]]]], "user_name": {}}}', id="odd-types"),
    pytest.param(b'{"login": {"x": 1}, "groups": [{"no-id": 1}], "id": {"y": []}}', id="nested"),
    pytest.param(b'\xef\xbb\xbf{"login": "bom@example.com"}', id="utf8-bom"),
]


@pytest.fixture(params=["orjson", "stdlib"])
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    from chatapi._core import jsonlib

    if request.param == "stdlib":
        monkeypatch.setattr(jsonlib, "_orjson", None)
    elif jsonlib._orjson is None:  # pragma: no cover - orjson is in the test extras
        pytest.skip("orjson not installed")
    name: str = request.param
    return name


@pytest.mark.parametrize("body", HOSTILE)
async def test_hostile_json_is_a_format_error_or_handled(
    server: Server, target: Target, decoder: str, body: bytes
) -> None:
    result, _ = await run(server, target, raw(body), retry_policy=RetryPolicy.no_wait(0))
    if isinstance(result, BaseException):
        assert isinstance(result, chatapi.ResponseFormatError), repr(result)


@pytest.mark.parametrize("body", HOSTILE)
async def test_hostile_json_in_error_bodies_keeps_the_status_error(
    server: Server, target: Target, decoder: str, body: bytes
) -> None:
    result, _ = await run(server, target, raw(body, code=500), retry_policy=RetryPolicy.no_wait(0))
    assert isinstance(result, chatapi.ServerError), repr(result)
    assert result.status == 500
    str(result), repr(result)


# -- redirects ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
async def test_redirect_to_another_origin_is_not_followed(
    server: Server, second_server: Server, target: Target, code: int
) -> None:
    second_server.route("*", "/{tail:.*}", ok(target.ok_body))
    await second_server.start()

    async def redirecting(request: web.Request) -> web.StreamResponse:
        await request.read()
        response = web.Response(status=code, headers={"Location": second_server.url + "/x"})
        return response

    result, _ = await run(server, target, redirecting)
    assert isinstance(result, chatapi.APIStatusError)
    assert result.status == code
    assert not result.retryable
    assert second_server.log == []  # credentials never left for the other origin


# -- ids in paths ------------------------------------------------------------------------------


def assert_one_segment(raw_paths: list[str], prefix: str, chat_id: str) -> None:
    """One request, whose last segment is the id, percent-encoded wherever it matters."""
    from urllib.parse import unquote

    assert len(raw_paths) == 1
    raw_path = raw_paths[0]
    assert raw_path.startswith(prefix)
    segment = raw_path[len(prefix) :]
    assert not set(segment) & set("/?#; "), raw_path
    assert segment.isascii()
    assert unquote(segment) == chat_id


IDS = ["a/b", "a?b=c", "x#frag", "../../admin", "..%2F..", "a b", "ünï cødé", "%2F", "a;b", "~u"]


@pytest.mark.parametrize("chat_id", IDS)
async def test_ids_stay_one_encoded_path_segment(server: Server, chat_id: str) -> None:
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.match_info["id"])
        return web.json_response({"id": chat_id, "started_timestamp": 1700000000, "messages": []})

    server.route("GET", "/chats/{id}", handler)
    await server.start()
    async with livechat(server.url) as lc:
        result = await lc.get_chat(chat_id)
    assert result.id == chat_id
    assert_one_segment([s.raw_path for s in server.log], "/chats/", chat_id)
    assert seen == [chat_id]


@pytest.mark.parametrize("chat_id", IDS)
async def test_revechat_ids_stay_one_encoded_path_segment(server: Server, chat_id: str) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response([{"agent_id": request.match_info["id"]}])

    server.route("GET", "/api/agents/{id}", handler)
    await server.start()
    reve = chatapi.ReveChat(
        email="rel@example.com",
        password="pw",
        base_url=server.url,
        retry_policy=RetryPolicy.no_wait(),
    )
    async with reve:
        result = await reve.get_agent(chat_id)
    assert result.id == chat_id
    assert_one_segment([s.raw_path for s in server.log], "/api/agents/", chat_id)


@pytest.mark.parametrize("bad", ["", ".", ".."])
async def test_dot_and_empty_ids_are_rejected_before_any_request(server: Server, bad: str) -> None:
    server.route("GET", "/{tail:.*}", ok({}))
    await server.start()
    async with livechat(server.url) as lc:
        with pytest.raises(ValueError):
            await lc.get_chat(bad)
    assert server.log == []


# -- cancellation ------------------------------------------------------------------------------


async def test_cancelling_100_requests_in_flight_leaks_nothing(server: Server) -> None:
    import gc

    release = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(release.wait(), 5)  # bounded even if the test fails
        return web.json_response(agent())

    server.route("GET", "/agents/{id}", hang)
    await server.start()
    lc = livechat(server.url, max_concurrency=8)
    async with lc:
        tasks = [asyncio.ensure_future(lc.get_agent(f"a{i}@example.com")) for i in range(100)]
        await wait_for(lambda: len(server.log) == 8)
        assert lc._gate._value == 0
        for task in tasks:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        assert lc._gate._value == lc.max_concurrency == 8
        session = lc._transport._session
        assert session is not None
        connector = session.connector
        assert connector is not None
        assert len(connector._acquired) == 0  # no connection left checked out
        # The client still works after the storm of cancellations.
        release.set()
        assert (await lc.get_agent("after@example.com")).id == "a@example.com"
        assert len(server.log) <= 9
    gc.collect()  # an unclosed transport or socket would warn here (warnings are errors)
    others = asyncio.all_tasks() - {asyncio.current_task()}
    await wait_for(lambda: all(task.done() for task in others))  # the server's handlers


# -- closing the client while requests are under way --------------------------------------------


async def test_closing_the_client_mid_flight_reopens_no_session(server: Server) -> None:
    import gc

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        return web.json_response(agent())

    server.route("GET", "/agents/{id}", slow)
    await server.start()
    lc = livechat(server.url, max_concurrency=4)
    tasks = [asyncio.ensure_future(lc.get_agent(f"a{i}@example.com")) for i in range(10)]
    await wait_for(lambda: len(server.log) == 4)
    await lc.close()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, chatapi.APIConnectionError) for r in results), results
    assert all(not r.retryable for r in results if isinstance(r, chatapi.ChatAPIError))
    assert lc._transport._session is None  # no session reopened behind the caller's back
    assert len(server.log) == 4
    gc.collect()  # an unclosed session or connector would warn here (warnings are errors)
    # A request started after the close may use the client again (and must close it again).
    async with lc:
        server.log.clear()
        assert (await lc.get_agent("again@example.com")).id == "a@example.com"


class Boom(Exception):
    pass


async def test_leaving_async_with_during_a_fan_out_leaks_nothing(server: Server) -> None:
    import gc

    async def page(request: web.Request) -> web.Response:
        number = int(request.query["page"])
        if number > 1:
            await asyncio.sleep(0.2)
        chats = [chat(f"P{number}-{i}") for i in range(5)]
        return web.json_response({"chats": chats, "total": 100, "pages": 20})

    server.route("GET", "/chats", page)
    await server.start()
    lc = livechat(server.url, max_concurrency=4)
    with pytest.raises(Boom):
        async with lc:
            async for _ in lc.chats():
                raise Boom  # user code fails while pages 2.. are in flight
    await asyncio.sleep(0.4)  # the abandoned fetches finish or fail
    gc.collect()
    await asyncio.sleep(0)
    assert lc._transport._session is None
    assert lc._gate._value == 4
