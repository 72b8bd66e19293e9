"""Every vendor and generation against the same hostile answers, and cancelled exports."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import chatapi
from chatapi import RetryPolicy

from .conftest import Server, chat, livechat
from .test_secrets import STYLES, make_client

HOSTILE_BODIES = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b"9" * 10_000,
    b"1e999999",
    b"NaN",
    b'{"error": "\xff\xfe", "message": "\xff"}',
    b'"\\ud800"',
    b"null",
    b"true",
    b'""',
    b"[]",
    b"{}",
    b'{"error": {"error": {"error": []}}, "errors": {"a": {"b": []}}, "message": 1e308}',
    b'{"status": "error", "code": [], "message": {}, "body": 5}',
    b'{"success": false, "error": {"message": []}, "data": []}',
    b'{"status": "success", "body": [null, 1, "x", []]}',
    b'{"data": {"rows": [null], "count": "many"}, "success": true}',
    b'{"data": [{"id": {}}], "count": -1}',
    b"<html><body>Gateway</body></html>",
    b"\x00\x01\x02",
]
# No 429 here: after each 429 adaptive pacing spaces requests out (up to 1 s apart) until
# successes come back, which would make this matrix slow; 429s have their own tests.
STATUSES = [200, 400, 401, 404, 500]
CALLS: dict[str, Any] = {
    "get_agent": lambda client: client.get_agent("42"),
    "agents": lambda client: client.agents().collect(),
    "chats": lambda client: client.chats().collect(),
}


@pytest.mark.parametrize("style", sorted(STYLES))
async def test_hostile_answers_raise_only_chatapi_errors(style: str) -> None:
    current: dict[str, Any] = {}

    async def answer(request: web.Request) -> web.StreamResponse:
        await request.read()
        return web.Response(
            status=current["status"],
            body=current["body"],
            headers={"Content-Type": "application/json", "Retry-After": "0"},
        )

    srv = Server()
    srv.route("*", "/{tail:.*}", answer)
    await srv.start()
    outcomes: dict[str, int] = {}
    bad: list[str] = []
    try:
        async with make_client(style, srv.url, retry_policy=RetryPolicy.no_wait(0)) as client:
            for status in STATUSES:
                for body in HOSTILE_BODIES:
                    current.update(status=status, body=body)
                    for operation, call in CALLS.items():
                        try:
                            await asyncio.wait_for(call(client), 2)
                            outcomes["ok"] = outcomes.get("ok", 0) + 1
                        except chatapi.ChatAPIError as error:
                            name = type(error).__name__
                            outcomes[name] = outcomes.get(name, 0) + 1
                            str(error), repr(error)
                        except Exception as error:  # noqa: BLE001 - what the test looks for
                            bad.append(f"{operation} {status} {body[:40]!r}: {error!r}"[:300])
    finally:
        await srv.stop()
    assert bad == []


async def test_a_cancelled_export_resumes_with_every_record_once(
    server: Server, tmp_path: Path
) -> None:
    pages, per_page = 12, 10
    gate = asyncio.Event()

    async def handler(request: web.Request) -> web.Response:
        number = int(request.query["page"])
        if number > 5:
            await gate.wait()  # pages past 5 hang until the export is cancelled
        ids = [f"P{number}-{i}" for i in range(per_page)]
        return web.json_response(
            {"chats": [chat(i) for i in ids], "total": pages * per_page, "pages": pages}
        )

    server.route("GET", "/chats", handler)
    await server.start()
    out = tmp_path / "chats.jsonl"
    done: list[int] = []
    async with livechat(server.url, max_concurrency=4) as lc:
        task = asyncio.ensure_future(
            chatapi.export(lc, "chats", out, progress=lambda p: done.append(p.pages_done))
        )
        while not done or done[-1] < 5:  # noqa: ASYNC110 - bounded by the server's pages
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.set()
        report = await chatapi.export(lc, "chats", out, resume=True)
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == [f"P{n}-{i}" for n in range(1, pages + 1) for i in range(per_page)]
    assert report.complete and report.resumed


# -- bugs this suite found (fixed): the pacing stall, non-numeric Acquire counts ---------------


async def test_a_minute_of_429s_does_not_stall_the_client() -> None:
    # What BaseClient._attempt does when a vendor answers 429 (Retry-After: 1) for a minute:
    # one request per second, each throttled, each a new congestion event.
    async with livechat("http://127.0.0.1:9") as lc:
        pacer = lc._pacer
        now = 1000.0
        for _ in range(60):
            delay = pacer.reserve(now)
            sent = now + min(delay, 1.0)
            pacer.on_throttle(sent, sent + 0.01)
            now = sent + 1.0
        # The vendor recovers. The next request must not wait longer than the slowest
        # throttling backoff of the retry policy (30 s) ...
        assert pacer.reserve(now) <= RetryPolicy().throttle_max_delay  # currently ~30 days
        # ... and 100 successes later requests flow at least once a second again.
        for _ in range(100):
            pacer.on_success()
        assert pacer.interval <= 1.0


ACQUIRE_COUNTS = [
    pytest.param("many", id="text"),
    pytest.param("1e999", id="infinite"),
    pytest.param([], id="list"),
    pytest.param(True, id="boolean"),
]


@pytest.mark.parametrize("generation", ["v1", "v2"])
@pytest.mark.parametrize("count", ACQUIRE_COUNTS)
async def test_acquire_non_numeric_counts_are_format_errors(
    server: Server, generation: str, count: Any
) -> None:
    if generation == "v1":
        body = {"success": True, "error": None, "data": {"rows": [], "count": count}}
    else:
        body = {"data": {"data": [], "count": count}}

    async def answer(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response(body)

    server.route("*", "/{tail:.*}", answer)
    await server.start()
    style = "acquire-v1" if generation == "v1" else "acquire-v2"
    async with make_client(style, server.url) as client:
        with pytest.raises(chatapi.ResponseFormatError):
            await client.agents().collect()
