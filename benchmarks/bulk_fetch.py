"""Latency-bound bulk fetch: chatapi's concurrent pager vs the latency limit.

A LiveChat-shaped server in a separate process serves 1,000 pages (25 chats x 10 messages)
with 50 ms latency per request. We time ``LiveChat.chats()`` at ``max_concurrency=16`` and
compare it with the latency limit ceil(1000/16) x 50 ms, and with ``max_concurrency=1``
(measured on fewer pages and scaled per page, unless ``--full-serial``).

Run: ``make bench`` or ``.venv/bin/python benchmarks/bulk_fetch.py``. Figures are ratios from
one run; absolute times are context only.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import chatapi

HERE = Path(__file__).parent


@contextmanager
def server(pages: int, latency: float) -> Iterator[str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "_livechat_server.py"),
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


async def fetch_all(
    base_url: str, concurrency: int, limit_pages: int | None = None
) -> tuple[float, int]:
    async with chatapi.LiveChat(
        login="bench@example.com", api_key="bench", base_url=base_url, max_concurrency=concurrency
    ) as client:
        start = time.perf_counter()
        count = 0
        pages = 0
        async for page in client.chats().pages():
            count += len(page.items)
            pages += 1
            if limit_pages is not None and pages >= limit_pages:
                break
        elapsed = time.perf_counter() - start
        if limit_pages is None and not client.stats.retries == 0:
            raise RuntimeError("benchmark run needed retries; results would be skewed")
    return elapsed, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--serial-pages",
        type=int,
        default=100,
        help="pages to time at max_concurrency=1 (scaled per page)",
    )
    parser.add_argument(
        "--full-serial",
        action="store_true",
        help="time every page at max_concurrency=1 (~pages x latency)",
    )
    args = parser.parse_args()

    with server(args.pages, args.latency) as url:
        asyncio.run(fetch_all(url, args.concurrency, limit_pages=3))  # warm-up: imports, sockets
        fast, count = asyncio.run(fetch_all(url, args.concurrency))
        if count != args.pages * 25:
            raise RuntimeError(f"expected {args.pages * 25} chats, got {count}")
        serial_pages = args.pages if args.full_serial else min(args.serial_pages, args.pages)
        serial, _ = asyncio.run(fetch_all(url, 1, limit_pages=serial_pages))
        serial_total = serial * args.pages / serial_pages

    limit = math.ceil(args.pages / args.concurrency) * args.latency
    print(f"| measure ({args.pages} pages, {args.latency * 1000:.0f} ms latency) | value |")
    print("|---|---|")
    rate = f"{count / fast:,.0f} chats/s"
    print(f"| chatapi, max_concurrency={args.concurrency} | {fast:.2f} s ({rate}) |")
    print(f"| latency limit ceil({args.pages}/{args.concurrency}) x latency | {limit:.2f} s |")
    print(f"| **ratio to the limit** (target <= 1.2) | **{fast / limit:.3f}** |")
    scaled = "" if args.full_serial else f" (measured on {serial_pages} pages, scaled)"
    print(f"| chatapi, max_concurrency=1{scaled} | {serial_total:.2f} s |")
    print(f"| speed-up over max_concurrency=1 | {serial_total / fast:.1f}x |")
    return 0 if fast / limit <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
