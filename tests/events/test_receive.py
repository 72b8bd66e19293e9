"""webhook_app / webhook_handler over real HTTP on 127.0.0.1, and chatapi listen."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

import chatapi
from chatapi.events import Event, EventKind, MemoryDedupeCache, webhook_app

SAMPLES = Path(__file__).parents[1] / "fixtures" / "samples"
STARTED = (
    SAMPLES / "livechat_v2-webhook-chat-started-visitor_livechat-livechat-public-docs.json"
).read_bytes()
TOKEN = json.loads(STARTED)["token"]


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, asyncio.Queue[Event]]]:
    queue: asyncio.Queue[Event] = asyncio.Queue()
    app = webhook_app(
        "livechat",
        path="/hooks/lc",
        queue=queue,
        secret=TOKEN,
        basic_auth=[("hook", "old"), ("hook", "new")],
        dedupe=MemoryDedupeCache(),
    )
    runner, url = await serve(app)
    yield url + "/hooks/lc", queue
    await runner.cleanup()


async def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            url, data=body, headers={"Content-Type": "application/json", **headers}
        ) as resp,
    ):
        return resp.status, await resp.json()


async def test_verified_events_are_queued_and_repeats_flagged(
    receiver: tuple[str, asyncio.Queue[Event]],
) -> None:
    url, queue = receiver
    assert await post(url, STARTED, basic("hook", "new")) == (200, {"ok": True, "duplicate": False})
    assert await post(url, STARTED, basic("hook", "old")) == (200, {"ok": True, "duplicate": True})
    first, again = queue.get_nowait(), queue.get_nowait()
    assert first.kind is EventKind.CHAT_STARTED and not first.duplicate
    assert again.duplicate and again.dedupe_key == first.dedupe_key
    assert first.verified == ("basic_auth", "token")
    assert first.visitor is not None and first.visitor.id == "S1354547427.0c151b0e1b"


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (STARTED, basic("hook", "guess"), 401),  # wrong credentials
        (STARTED, {}, 401),  # none
        (STARTED.replace(TOKEN.encode(), b"f" * 32), basic("hook", "new"), 401),  # token
        (b"not json", basic("hook", "new"), 400),
        (b"[1, 2]", basic("hook", "new"), 400),
        (
            json.dumps({"token": TOKEN, "event_type": "brand_new", "x": {"y": 1}}).encode(),
            basic("hook", "new"),
            200,
        ),
        (
            json.dumps({"token": TOKEN, "event_type": "chat_ended", "chat": 7}).encode(),
            basic("hook", "new"),
            200,
        ),
    ],
)
async def test_answers_never_500(
    receiver: tuple[str, asyncio.Queue[Event]], body: bytes, headers: dict[str, str], status: int
) -> None:
    url, queue = receiver
    got, _ = await post(url, body, headers)
    assert got == status
    assert queue.qsize() == (1 if status == 200 else 0)


async def test_a_callback_runs_without_holding_the_answer() -> None:
    started = asyncio.Event()
    release = asyncio.Event()
    seen: list[Event] = []

    async def slow(event: Event) -> None:
        started.set()
        await release.wait()
        seen.append(event)

    runner, url = await serve(webhook_app("livechat", callback=slow))
    try:
        status, _ = await asyncio.wait_for(post(url + "/", STARTED, {}), timeout=2)
        assert status == 200 and not seen
        await asyncio.wait_for(started.wait(), timeout=2)
        release.set()
        await asyncio.sleep(0.05)
        assert len(seen) == 1
    finally:
        await runner.cleanup()


async def test_a_full_queue_asks_the_vendor_to_retry() -> None:
    queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=1)
    runner, url = await serve(webhook_app("livechat", queue=queue))
    try:
        assert (await post(url + "/", STARTED, {}))[0] == 200
        status, _ = await post(url + "/", STARTED, {})
        assert status == 503
    finally:
        await runner.cleanup()


def test_the_handler_checks_its_setup() -> None:
    with pytest.raises(ValueError, match="queue or a callback"):
        webhook_app("livechat")
    with pytest.raises(chatapi.UnsupportedOperationError):
        webhook_app("revechat", queue=asyncio.Queue())
    with pytest.raises(chatapi.ConfigurationError):
        webhook_app("livechat", queue=asyncio.Queue(), secret="")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_listen_writes_one_line_per_event_without_the_token(tmp_path: Path) -> None:
    import argparse

    from chatapi._cli_listen import _listen

    out = tmp_path / "events.jsonl"
    port = free_port()
    args = argparse.Namespace(
        vendor="livechat",
        host="127.0.0.1",
        port=port,
        path="/",
        output=out,
        secret=[TOKEN],
        basic_auth=None,
        keep_duplicates=False,
    )
    ready = asyncio.Event()
    task = asyncio.ensure_future(_listen(args, ready=ready))
    await asyncio.wait_for(ready.wait(), timeout=5)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert (await post(url, STARTED, {}))[0] == 200
        assert (await post(url, STARTED, {}))[0] == 200  # a redelivery: not written again
        for _ in range(50):
            if out.exists() and out.read_text().count("\n") >= 1:
                break
            await asyncio.sleep(0.02)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    lines = out.read_text().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["kind"] == "chat_started" and record["raw"]["license_id"] == "1025707"
    assert TOKEN not in lines[0] and record["raw"]["token"] == "***"
