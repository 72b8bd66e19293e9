"""Shared fixtures of the REVE Chat tests: fixture files, auth keys, a real local server."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from aiohttp import web

import chatapi
from chatapi.vendors.revechat import ReveChat

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "revechat"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    """Read a file of ``tests/fixtures/revechat`` as bytes."""

    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read


@pytest.fixture
def fixture_json(fixture_bytes: Callable[[str], bytes]) -> Callable[[str], Any]:
    """Read a file of ``tests/fixtures/revechat`` as JSON."""

    def read(name: str) -> Any:
        return json.loads(fixture_bytes(name))

    return read


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


@pytest.fixture
def make_key() -> Callable[..., str]:
    """Build a JWT-shaped auth key like REVE's (HS256 header, unsigned test signature).

    ``expires_in`` is seconds from now (negative: already expired); ``account`` the
    ``accountId`` claim (None leaves it out).
    """

    def build(*, expires_in: float | None = 30 * 86400, account: str | None = "8683034") -> str:
        now = int(time.time())
        claims: dict[str, Any] = {"sub": "authorization", "iat": now}
        if account is not None:
            claims["accountId"] = account
        if expires_in is not None:
            claims["exp"] = int(now + expires_in)
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64url(json.dumps(claims).encode())
        return f"{header}.{payload}.{_b64url(b'test-signature-not-a-secret-SIG')}"

    return build


@attrs.define
class Seen:
    """One request the fake server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FakeReve:
    """A real HTTP server on 127.0.0.1 whose answers each test scripts with ``handler``."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.handler: Handler | None = None
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            Seen(
                request.method,
                request.path,
                dict(request.query),
                {k.lower(): v for k, v in request.headers.items()},
            )
        )
        assert self.handler is not None, "the test set no handler"
        return await self.handler(request)

    def reply(
        self,
        body: Any,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        """Answer every request with the same ``body`` (bytes/str sent as is, else JSON)."""
        if isinstance(body, (bytes, str)):
            raw = body.encode() if isinstance(body, str) else body
        else:
            raw = json.dumps(body).encode()

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(
                body=raw, status=status, headers={"Content-Type": content_type, **(headers or {})}
            )

        self.handler = handler


@pytest.fixture
async def server() -> AsyncIterator[FakeReve]:
    fake = FakeReve()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def make_client(server: FakeReve) -> AsyncIterator[Callable[..., ReveChat]]:
    """Build clients against the fake server (no-wait retries); every one is closed after."""
    clients: list[ReveChat] = []

    def build(**kwargs: Any) -> ReveChat:
        kwargs.setdefault("base_url", server.url)
        kwargs.setdefault("retry_policy", chatapi.RetryPolicy.no_wait())
        if "auth_key" not in kwargs and "email" not in kwargs:
            kwargs.update(email="john@example.com", password="hunter2-PASSWORD")
        client = ReveChat(**kwargs)
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.close()
