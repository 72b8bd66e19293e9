"""Shared fixtures of the Acquire tests: fixture files and a real local Acquire stand-in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from aiohttp import web

import chatapi

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "acquire"

TOKEN = "v1-TOKEN-s3cr3t-value"
API_KEY = "v2-APIKEY-s3cr3t-value"


def load(name: str) -> Any:
    """A file of ``tests/fixtures/acquire`` as JSON."""
    return json.loads((FIXTURES / name).read_bytes())


@pytest.fixture
def fixture_json() -> Callable[[str], Any]:
    """Read a file of ``tests/fixtures/acquire`` as JSON."""
    return load


@attrs.define
class Recorded:
    """One request the stand-in received."""

    method: str
    path: str
    raw_path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    form: list[tuple[str, str]] | None
    json: Any
    content_type: str


#: A canned answer: (status, JSON value or raw bytes, extra headers).
Answer = tuple[int, Any, dict[str, str]]
Responder = Callable[[Recorded], Answer]


@attrs.define
class FakeAcquire:
    """An HTTP server on 127.0.0.1 answering from per-route queues and recording requests.

    ``route(method, path, *answers)``: each request pops the next answer; the last one repeats.
    An answer may be a callable taking the :class:`Recorded` request.
    """

    url: str = ""
    requests: list[Recorded] = attrs.field(factory=list)
    routes: dict[tuple[str, str], list[Answer | Responder]] = attrs.field(factory=dict)

    @staticmethod
    def ok(payload: Any, status: int = 200, **headers: str) -> Answer:
        """A JSON answer."""
        return (status, payload, dict(headers))

    @staticmethod
    def v1_ok(data: Any) -> Answer:
        """A v1 success envelope."""
        return (200, {"success": True, "error": None, "data": data}, {})

    def route(self, method: str, path: str, *answers: Answer | Responder) -> None:
        self.routes[(method, path)] = list(answers)

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        form: list[tuple[str, str]] | None = None
        body: Any = None
        ctype = request.content_type
        if ctype == "application/x-www-form-urlencoded":
            posted = await request.post()
            form = [(k, str(v)) for k, v in posted.items()]
        elif ctype == "application/json":
            body = await request.json()
        recorded = Recorded(
            method=request.method,
            path=request.path,
            raw_path=request.raw_path,
            query=list(request.query.items()),
            headers=dict(request.headers),
            form=form,
            json=body,
            content_type=ctype,
        )
        self.requests.append(recorded)
        queue = self.routes.get((request.method, request.path))
        if not queue:
            return web.json_response({"unexpected": request.path}, status=599)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(answer):
            answer = answer(recorded)
        status, payload, headers = answer
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return web.Response(
            status=status, body=data, headers={"Content-Type": "application/json", **headers}
        )


@pytest.fixture
def token() -> str:
    """The v1 token the ``v1`` client uses."""
    return TOKEN


@pytest.fixture
def api_key() -> str:
    """The v2 API key the ``v2`` client uses."""
    return API_KEY


@pytest.fixture
async def fake() -> AsyncIterator[FakeAcquire]:
    """A running stand-in server (stopped after the test)."""
    server = FakeAcquire()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    sockets = site._server.sockets if site._server is not None else ()  # type: ignore[union-attr]
    port = sockets[0].getsockname()[1]
    server.url = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        await runner.cleanup()


@pytest.fixture
async def v1(fake: FakeAcquire) -> AsyncIterator[chatapi.BaseClient]:
    """A v1 client on the stand-in (no retry sleeps)."""
    client = chatapi.Acquire(
        token=TOKEN,
        base_url=fake.url + "/api",
        retry_policy=chatapi.RetryPolicy.no_wait(),
    )
    async with client:
        yield client


@pytest.fixture
async def v2(fake: FakeAcquire) -> AsyncIterator[chatapi.BaseClient]:
    """A v2 client on the stand-in (no retry sleeps)."""
    client = chatapi.Acquire(
        api_key=API_KEY,
        account_id="acme",
        base_url=fake.url + "/api/v1",
        retry_policy=chatapi.RetryPolicy.no_wait(),
    )
    async with client:
        yield client
