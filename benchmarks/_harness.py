"""Shared pieces of the benchmarks: sandboxes in child processes, timing, result tables.

Every benchmark compares figures measured in the same run (ratios); absolute times are shown
as context only, because this machine is shared and noisy.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import attrs

import chatapi
from chatapi.sandbox import SubprocessSandbox, run_in_subprocess


@attrs.define
class Section:
    """One benchmark's results: a markdown table and whether its target was met."""

    title: str
    target: str
    rows: list[tuple[str, str]] = attrs.field(factory=list)
    passed: bool | None = None
    notes: list[str] = attrs.field(factory=list)

    def add(self, label: str, value: str) -> None:
        self.rows.append((label, value))

    def markdown(self) -> str:
        verdict = {True: "met", False: "**missed**", None: "n/a"}[self.passed]
        lines = [f"### {self.title}", "", f"Target: {self.target} — {verdict}", ""]
        lines += ["| measure | value |", "|---|---|"]
        lines += [f"| {label} | {value} |" for label, value in self.rows]
        lines += [f"\n{note}" for note in self.notes]
        return "\n".join(lines) + "\n"


@contextmanager
def sandbox(vendor: str = "livechat", **options: Any) -> Iterator[SubprocessSandbox]:
    """A sandbox in a child process (its CPU is not ours)."""
    with run_in_subprocess(vendor, timeout=120, **options) as sb:
        yield sb


async def timed(coro: Awaitable[Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = await coro
    return time.perf_counter() - start, result


async def chatapi_listing(
    sb: SubprocessSandbox,
    concurrency: int,
    *,
    max_pages: int | None = None,
    read_messages: bool = False,
    **options: Any,
) -> tuple[float, int, chatapi.BaseClient]:
    """Time ``client.chats()`` over the sandbox: (seconds, records, client).

    With ``read_messages``, every chat's transcript is also mapped (``chat.messages``).
    """
    client = sb.client(max_concurrency=concurrency, **options)
    async with client:
        start = time.perf_counter()
        records = 0
        pages = client.chats().pages()
        async for page in pages:
            records += len(page.items)
            if read_messages:
                for chat in page.items:
                    chat.messages  # noqa: B018 - the access maps the transcript
            if max_pages is not None and page.number >= max_pages:
                break
        await pages.aclose()
        return time.perf_counter() - start, records, client


async def plain_listing(
    sb: SubprocessSandbox, concurrency: int, pages: int, *, keep: int = 0
) -> tuple[float, int]:
    """A plain aiohttp loop: download and ``json.loads`` the same pages, same concurrency.

    With ``keep``, the last ``keep`` decoded pages stay referenced, as they do in any stream
    that hands pages to a consumer in order (memory churn costs the decoder dearly).
    """
    kept: deque[Any] = deque(maxlen=max(keep, 1))
    creds = sb.credentials
    headers = {
        "Authorization": aiohttp.encode_basic_auth(creds["login"], creds["api_key"]),
        "X-API-Version": "2",
    }
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession() as session:

        async def one(number: int) -> int:
            async with (
                gate,
                session.get(
                    f"{sb.base_url}/chats", params={"page": str(number)}, headers=headers
                ) as resp,
            ):
                body = await resp.read()
            decoded = json.loads(body)
            if keep:
                kept.append(decoded)
            return len(decoded["chats"])

        start = time.perf_counter()
        counts = await asyncio.gather(*(one(n) for n in range(1, pages + 1)))
        return time.perf_counter() - start, sum(counts)


def run(coro_factory: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(coro_factory())  # type: ignore[arg-type]
