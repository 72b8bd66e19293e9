"""Shared helpers of the reliability suite: real aiohttp servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from hypothesis import settings

import chatapi
from chatapi import RetryPolicy

# Deterministic, modest property tests: CI sees the same examples on every run.
settings.register_profile(
    "reliability", derandomize=True, max_examples=60, deadline=None, print_blob=True
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Seen:
    """What a server saw of one request."""

    def __init__(self, request: web.Request) -> None:
        self.at = time.monotonic()
        self.method = request.method
        self.path = request.path
        self.raw_path = request.raw_path
        self.headers = dict(request.headers)


class Server:
    """An aiohttp server on 127.0.0.1 with a log of every request it received."""

    def __init__(self, **runner_options: Any) -> None:
        self.app = web.Application()
        self.log: list[Seen] = []
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._runner_options = {"handler_cancellation": True, "shutdown_timeout": 0.5}
        self._runner_options.update(runner_options)

    def route(self, method: str, path: str, handler: Handler) -> None:
        async def logged(request: web.Request) -> web.StreamResponse:
            self.log.append(Seen(request))
            return await handler(request)

        self.app.router.add_route(method, path, logged)

    async def start(self) -> Server:
        self._runner = web.AppRunner(self.app, access_log=None, **self._runner_options)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    srv = Server()
    yield srv
    await srv.stop()


@pytest.fixture
async def second_server() -> AsyncIterator[Server]:
    srv = Server()
    yield srv
    await srv.stop()


def livechat(url: str, **options: Any) -> chatapi.LiveChat:
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    return chatapi.LiveChat(login="rel@example.com", api_key="rel-key", base_url=url, **options)


def acquire_v1(url: str, **options: Any) -> chatapi.BaseClient:
    options.setdefault("retry_policy", RetryPolicy.no_wait())
    return chatapi.Acquire(token="rel-token", base_url=url, **options)


def chat(chat_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": chat_id, "started_timestamp": 1700000000, "messages": [], **extra}


def agent(login: str = "a@example.com") -> dict[str, Any]:
    return {"login": login, "name": "Agent", "status": "offline", "permission": "normal"}


def v1_agent(agent_id: str = "7") -> dict[str, Any]:
    return {"success": True, "error": None, "data": {"id": agent_id, "user_name": "Agent"}}


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def wait_for(predicate: Callable[[], bool], timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # polling a test condition, bounded
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.005)
