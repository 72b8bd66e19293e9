"""Fault injection: each kind as configured, deterministic, counted in stats."""

from __future__ import annotations

import base64
import time
from typing import Any

import aiohttp
import pytest

from chatapi.sandbox import Faults, Sandbox, serve


def _headers(sb: Sandbox) -> dict[str, str]:
    pair = f"{sb.credentials['login']}:{sb.credentials['api_key']}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode(), "X-API-Version": "2"}


async def _get(session: aiohttp.ClientSession, sb: Sandbox, path: str = "/chats") -> Any:
    async with session.get(sb.base_url + path, headers=_headers(sb)) as resp:
        return resp.status, await resp.read(), resp.headers


@pytest.mark.parametrize(
    ("field", "status", "marker"),
    [
        ("error_500", 500, b'{"error":'),
        ("error_502", 502, b"502 Bad Gateway"),
        ("error_503", 503, b"503"),
    ],
)
async def test_status_faults_then_recovery(field: str, status: int, marker: bytes) -> None:
    faults = Faults(**{field: 1.0}, max_faults_per_request=1)  # type: ignore[arg-type]
    async with serve("livechat", chats=30, faults=faults) as sb, aiohttp.ClientSession() as s:
        got, body, _ = await _get(s, sb)
        assert got == status and marker in body
        got, body, _ = await _get(s, sb)
        assert got == 200
        assert sb.stats.faults == {str(status): 1}
        assert sb.stats.statuses == {status: 1, 200: 1}


async def test_connection_reset() -> None:
    async with serve("livechat", chats=30, faults=Faults(reset=1.0)) as sb:
        async with aiohttp.ClientSession() as s:
            with pytest.raises((aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)):
                await _get(s, sb, "/agents")
        # aiohttp repeats a GET once by itself when the connection drops before an answer.
        assert sb.stats.faults["reset"] >= 1
        assert sb.stats.statuses == {}


async def test_truncated_body() -> None:
    async with serve("livechat", chats=30, faults=Faults(truncate=1.0)) as sb:
        async with aiohttp.ClientSession() as s:
            with pytest.raises(aiohttp.ClientPayloadError):
                await _get(s, sb)
        assert sb.stats.faults == {"truncate": 1}


async def test_malformed_body() -> None:
    faults = Faults(malformed=1.0)
    async with serve("livechat", chats=30, faults=faults) as sb, aiohttp.ClientSession() as s:
        status, body, headers = await _get(s, sb)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        __import__("json").loads(body)


async def test_slow_body_and_latency() -> None:
    faults = Faults(slow_body=1.0, slow_body_seconds=0.3, latency=0.1)
    async with serve("livechat", chats=30, faults=faults) as sb, aiohttp.ClientSession() as s:
        started = time.monotonic()
        status, body, _ = await _get(s, sb)
        elapsed = time.monotonic() - started
    assert status == 200 and b'"chats"' in body
    assert elapsed >= 0.35


async def test_rate_limit_answers_429_with_retry_after() -> None:
    faults = Faults(rate_limit=1, burst=2)
    async with serve("livechat", chats=30, faults=faults) as sb, aiohttp.ClientSession() as s:
        results = [await _get(s, sb, "/agents") for _ in range(3)]
    assert [r[0] for r in results] == [200, 200, 429]
    assert results[2][2]["Retry-After"] == "1"
    assert sb.stats.faults == {"rate_limit": 1}


async def test_retry_after_override() -> None:
    faults = Faults(rate_limit=0.5, burst=1, retry_after=0.05)
    async with serve("livechat", chats=30, faults=faults) as sb, aiohttp.ClientSession() as s:
        await _get(s, sb, "/agents")
        status, _, headers = await _get(s, sb, "/agents")
    assert status == 429 and headers["Retry-After"] == "0.05"


async def test_fault_decisions_are_deterministic() -> None:
    async def run(seed: int) -> dict[str, int]:
        faults = Faults(error_500=0.3, error_503=0.3, seed=seed)
        async with serve("livechat", chats=100, faults=faults) as sb:
            async with aiohttp.ClientSession() as s:
                for page in range(1, 5):
                    for _ in range(3):
                        await _get(s, sb, f"/chats?page={page}")
            return dict(sb.stats.statuses)

    first = await run(5)
    assert first == await run(5)
    assert sum(first.values()) == 12 and first.get(200, 0) < 12


async def test_page_drift_shifts_pages() -> None:
    async with serve("livechat", chats=60, faults=Faults(page_drift=3)) as sb:
        async with aiohttp.ClientSession() as s:
            _, one, _ = await _get(s, sb)
            _, two, _ = await _get(s, sb)
        first, second = __import__("json").loads(one), __import__("json").loads(two)
    assert (first["total"], second["total"]) == (60, 61)
    # The newest chat of the first answer is now second: every boundary moved by one.
    assert second["chats"][1]["id"] == first["chats"][0]["id"]
    assert sb.dataset.chat_count == 62


def test_invalid_faults_are_rejected() -> None:
    with pytest.raises(ValueError, match="sum"):
        Faults(error_500=0.6, reset=0.6)
    with pytest.raises(ValueError):
        Faults(truncate=1.5)
    with pytest.raises(ValueError):
        Faults(rate_limit=0)
    assert Faults.uniform(0.12).total_probability == pytest.approx(0.12)
