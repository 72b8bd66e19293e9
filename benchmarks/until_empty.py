"""Until-empty listing: chatapi's speculative pager on a REVE-style API vs the latency limit.

REVE Chat gives no total: a listing pages with ``page_no`` until an empty page. A REVE-shaped
server in a separate process (this script with ``--serve``) serves 400 pages of 25 legacy chat
records (bare JSON arrays) and an empty array past the end, with 50 ms latency per request.
We time ``ReveChat.chats()`` at ``max_concurrency=16`` against the latency limit
ceil(400/16) x 50 ms + 50 ms (one more round trip to see the empty page), and report the
speculative requests made past the end (``pager.report.wasted_requests``).

Run: ``.venv/bin/python benchmarks/until_empty.py``. Prints a markdown table and exits 1 when
the ratio to the limit is above the target (1.3). Figures are ratios from one run; absolute
times are context only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _harness import Section

import chatapi

TARGET = 1.3
PER_PAGE = 25


def render_pages(pages: int) -> list[bytes]:
    """Every page's body, rendered once so the server's CPU stays out of the measurement.

    Records follow ``tests/fixtures/revechat/chats_legacy.json`` (legacy chat fields); ids and
    times vary per record.
    """
    bodies = []
    for number in range(1, pages + 1):
        records = []
        for i in range(PER_PAGE):
            chat_id = number * 1000 + i
            start = 1_482_739_200_000 + chat_id * 60_000
            records.append(
                {
                    "chat_id": chat_id,
                    "chat_request_time": start,
                    "is_missed": 0,
                    "chat_started_by": 1,
                    "is_chat_transferred": 0,
                    "conversation_start_time": start + 5_000,
                    "conversation_end_time": start + 605_000,
                    "chat_ended_by": 2,
                    "visitor_id": 600_000 + chat_id,
                    "visitor_email": f"visitor{chat_id}@example.com",
                    "visitor_name": f"Visitor {chat_id}",
                    "agent_id": 463,
                    "first_name": "John",
                    "last_name": "Oliver",
                    "email": "john@example.com",
                    "rating": 5,
                }
            )
        bodies.append(json.dumps(records).encode())
    return bodies


async def serve(pages: int, latency: float) -> None:
    """Serve ``/api/chats/?page_no=N``; print ``READY <port>`` once listening."""
    from aiohttp import web

    bodies = render_pages(pages)
    empty = b"[]"

    async def chats(request: web.Request) -> web.Response:
        number = int(request.query.get("page_no", "1"))
        if latency:
            await asyncio.sleep(latency)
        body = bodies[number - 1] if 1 <= number <= len(bodies) else empty
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/api/chats/", chats)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    print(f"READY {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


@contextmanager
def server(pages: int, latency: float) -> Iterator[str]:
    """The REVE-style server in a child process; yields its base URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--serve",
            "--pages",
            str(pages),
            "--latency",
            str(latency),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("READY"):
            raise RuntimeError(f"benchmark server failed to start: {line!r}")
        yield f"http://127.0.0.1:{line.split()[1]}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def fetch_all(base_url: str, concurrency: int) -> tuple[float, int, chatapi.PageReport, int]:
    """Time one full listing: (seconds, chats, the pager's report, requests sent)."""
    async with chatapi.ReveChat(
        email="bench@example.com",
        password="bench",
        base_url=base_url,
        max_concurrency=concurrency,
    ) as client:
        pager = client.chats()
        start = time.perf_counter()
        count = 0
        async for _ in pager:
            count += 1
        elapsed = time.perf_counter() - start
        if client.stats.retries:
            raise RuntimeError("benchmark run needed retries; results would be skewed")
        return elapsed, count, pager.report, client.stats.requests


def run(*, pages: int = 400, latency: float = 0.05, concurrency: int = 16) -> Section:
    """Measure one until-empty listing against the latency limit."""
    section = Section(
        f"3. Unknown total (REVE-style, {pages} pages, {latency * 1000:.0f} ms, until empty)",
        f"chatapi at max_concurrency={concurrency} <= {TARGET} x the latency limit",
    )
    with server(pages, latency) as url:
        asyncio.run(fetch_all(url, concurrency))  # warm-up: imports, sockets
        elapsed, count, report, requests = asyncio.run(fetch_all(url, concurrency))
    if count != pages * PER_PAGE:
        raise RuntimeError(f"expected {pages * PER_PAGE} chats, got {count}")
    # Every page needs one round trip, `concurrency` at a time; seeing the end takes one more.
    limit = (math.ceil(pages / concurrency) + 1) * latency
    ratio = elapsed / limit
    needed = pages + 1  # the pages with records and the first empty one
    section.add(f"chatapi `ReveChat.chats()`, max_concurrency={concurrency}", f"{elapsed:.2f} s")
    section.add("records/s", f"{count / elapsed:,.0f}")
    section.add(f"latency limit (ceil({pages}/{concurrency}) + 1) x latency", f"{limit:.2f} s")
    section.add("**ratio to the limit**", f"**{ratio:.3f}**")
    section.add(f"requests sent (needed: {needed})", str(requests))
    section.add("sent past the end", str(requests - needed))
    section.add(
        "speculative fetches past the end (`report.wasted_requests`, includes cancelled)",
        str(report.wasted_requests),
    )
    section.passed = ratio <= TARGET
    return section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.pages, args.latency))
        return 0
    section = run(pages=args.pages, latency=args.latency, concurrency=args.concurrency)
    print(section.markdown())
    return 0 if section.passed else 1


if __name__ == "__main__":
    sys.exit(main())
