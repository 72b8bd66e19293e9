"""LiveChat v2 writes: checked before any request, sent once unless provably unprocessed
(real aiohttp servers on 127.0.0.1), and their answers held to what the reference shows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aioresponses import aioresponses

import chatapi
from chatapi import RetryPolicy

BASE = "https://api.livechatinc.com"
GROUP = {"id": 4, "name": "HR", "language": "en", "agents": ["a@b.c"], "status": "offline"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Server:
    """One POST /groups route; counts the requests that arrived whole."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.bodies: list[Any] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        async def route(request: web.Request) -> web.StreamResponse:
            self.bodies.append(await request.json())
            return await self.handler(request)

        app = web.Application()
        app.router.add_post("/groups", route)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def serve(handler: Handler) -> Server:
    server = Server(handler)
    await server.start()
    return server


@pytest.fixture
async def cleanup() -> AsyncIterator[list[Server]]:
    servers: list[Server] = []
    yield servers
    for server in servers:
        await server.stop()


def client(url: str, **options: Any) -> chatapi.LiveChat:
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    return chatapi.LiveChat(login="a@b.c", api_key="key-123456", base_url=url, **options)


async def reset_after_reading(request: web.Request) -> web.StreamResponse:
    # The body arrived whole; the connection dies before any answer.
    assert request.transport is not None
    request.transport.abort()
    await asyncio.sleep(0.05)
    return web.Response()


async def test_a_write_reset_after_sending_is_sent_once_and_says_so(
    cleanup: list[Server],
) -> None:
    server = await serve(reset_after_reading)
    cleanup.append(server)
    async with client(server.url) as lc:
        with pytest.raises(chatapi.APIConnectionError) as caught:
            await lc.create_group("HR", ["a@b.c"])
    assert caught.value.sent is True
    assert "may have been applied" in str(caught.value)
    assert server.bodies == [{"name": "HR", "agents": ["a@b.c"]}]
    assert lc.stats.requests == 1


async def test_a_write_the_caller_opted_in_to_is_repeated_after_a_reset(
    cleanup: list[Server],
) -> None:
    answers = iter([None, GROUP])

    async def flaky(request: web.Request) -> web.StreamResponse:
        answer = next(answers)
        if answer is None:
            return await reset_after_reading(request)
        return web.json_response(answer)

    server = await serve(flaky)
    cleanup.append(server)
    # The caller knows a second "HR" group is harmless to them, and says so.
    policy = RetryPolicy(
        max_retries=2, base_delay=0, jitter=lambda d: d, retry_writes={"create_group"}
    )
    async with client(server.url, retry_policy=policy) as lc:
        group = await lc.create_group("HR", ["a@b.c"])
    assert group.id == "4"
    assert len(server.bodies) == 2


async def test_a_write_refused_with_retry_after_is_sent_again(cleanup: list[Server]) -> None:
    answers = iter(
        [
            web.json_response(
                {"error": "Too many requests"}, status=429, headers={"Retry-After": "0"}
            ),
            web.json_response(GROUP),
        ]
    )

    async def throttled_once(request: web.Request) -> web.StreamResponse:
        return next(answers)

    server = await serve(throttled_once)
    cleanup.append(server)
    async with client(server.url) as lc:
        group = await lc.create_group("HR", ["a@b.c"])
    assert group.name == "HR" and group.agent_ids == ("a@b.c",)
    assert len(server.bodies) == 2
    assert lc.stats.statuses == {429: 1, 200: 1}


@pytest.mark.parametrize(
    ("status", "headers"),
    [(429, {}), (503, {}), (500, {"Retry-After": "0"}), (502, {})],
)
async def test_a_write_answered_without_proof_of_refusal_is_not_repeated(
    cleanup: list[Server], status: int, headers: dict[str, str]
) -> None:
    async def failing(request: web.Request) -> web.StreamResponse:
        return web.json_response({"error": "busy"}, status=status, headers=headers)

    server = await serve(failing)
    cleanup.append(server)
    async with client(server.url) as lc:
        with pytest.raises(chatapi.APIStatusError) as caught:
            await lc.create_group("HR", ["a@b.c"])
    assert caught.value.status == status
    assert len(server.bodies) == 1


async def test_a_write_to_a_closed_port_is_retried(unused_tcp_port: int) -> None:
    # Connection refused: the request provably never left, so repeating it is safe.
    async with client(f"http://127.0.0.1:{unused_tcp_port}") as lc:
        with pytest.raises(chatapi.APIConnectionError) as caught:
            await lc.create_group("HR", ["a@b.c"])
    assert caught.value.sent is False
    assert lc.stats.requests == 1 + lc.retry_policy.max_retries


@pytest.fixture
def mocked() -> Any:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def lc() -> AsyncIterator[chatapi.LiveChat]:
    async with client(BASE) as c:
        yield c


async def test_keywords_are_checked_before_any_request(mocked: Any, lc: chatapi.LiveChat) -> None:
    with pytest.raises(TypeError, match="nickname"):
        await lc.create_agent("a@b.c", "A", nickname="x")
    with pytest.raises(TypeError, match=r"missing required argument.*group"):
        await lc.create_tag("vip", "a@b.c", None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="colour"):
        await lc.update_group(3, colour="red")
    with pytest.raises(TypeError, match="requester"):
        lc.tickets(requester="m@x.io")
    with pytest.raises(ValueError, match="max_chats_count"):
        await lc.update_agent("a@b.c", max_chats_count="many")
    with pytest.raises(ValueError, match="order"):
        lc.tickets(order="sideways")
    assert not mocked.requests


@pytest.mark.parametrize("status", [400, 422])
async def test_validation_errors_carry_the_vendor_message(
    mocked: Any, lc: chatapi.LiveChat, status: int
) -> None:
    mocked.post(f"{BASE}/groups", status=status, payload={"errors": ["agents: is required"]})
    with pytest.raises(chatapi.BadRequestError, match=r"(?i)agents: is required") as caught:
        await lc.create_group("HR", [])
    assert caught.value.status == status


@pytest.mark.parametrize(
    "answer", [{"deleted": True}, {"ok": False}, [], {"error": "group is in use"}]
)
async def test_deletes_accept_only_the_documented_acknowledgement(
    mocked: Any, lc: chatapi.LiveChat, answer: Any
) -> None:
    mocked.delete(f"{BASE}/groups/4", payload=answer)
    with pytest.raises(chatapi.ResponseFormatError, match="acknowledgement"):
        await lc.delete_group(4)


async def test_a_single_ticket_answer_without_that_ticket_is_not_found(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    mocked.get(f"{BASE}/tickets/AAAAA", payload={"tickets": [], "total": 0, "pages": 0})
    with pytest.raises(chatapi.NotFoundError):
        await lc.get_ticket("AAAAA")


async def test_webhook_tokens_stay_out_of_reprs(mocked: Any, lc: chatapi.LiveChat) -> None:
    token = "0adec158e423091d5a36c9fce95775db"
    hook = {"id": "w1", "event_type": "chat_ended", "data_types": ["chat"], "url": "https://x"}
    mocked.post(f"{BASE}/webhooks", payload={"events": [{**hook, "token": token}]})
    webhook = await lc.create_webhook("chat_ended", ["chat"], "https://x")
    assert webhook.token == token
    assert token not in repr(webhook) and token not in str(webhook)


async def test_a_write_answered_without_its_record_is_a_format_error(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    # The webhook was created (200), but the answer lists none with this event and URL.
    other = {"id": "w9", "event_type": "chat_started", "data_types": [], "url": "https://y"}
    mocked.post(f"{BASE}/webhooks", payload={"events": [{**other, "token": "t" * 32}]})
    with pytest.raises(chatapi.ResponseFormatError, match="succeeded but its answer holds no"):
        await lc.create_webhook("chat_ended", ["chat"], "https://x")
