"""1. Latency-bound fan-out: chatapi's concurrent pager vs the latency limit.

The LiveChat sandbox, in a child process, serves 999 pages (25 chats, about 10 messages
each) with 50 ms latency: 24,975 chats, just below LiveChat's 25,000-record cap (a listing
that reports the cap itself may be clipped, so it is verified by date windows; a context row
times that case). ``LiveChat.chats()`` at ``max_concurrency=16`` is compared with the
latency limit (ceil(999/16) + 1) x 50 ms — one round trip for page 1, then full waves — and
with ``max_concurrency=1`` (timed on fewer pages and scaled per page unless ``--full-serial``).

Run alone: ``.venv/bin/python benchmarks/bulk_fetch.py``; ``make bench`` runs every benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time

from _harness import Section, chatapi_listing, plain_listing, sandbox

# Below the cap: a listing of exactly 25,000 records is verified by windows (see the last row).
PAGES = 999
LATENCY = 0.05
TARGET = 1.15


def run(*, concurrency: int = 16, serial_pages: int = 60, full_serial: bool = False) -> Section:
    section = Section(
        "1. Latency-bound fan-out (LiveChat, 999 pages, 50 ms)",
        f"chatapi at max_concurrency={concurrency} <= {TARGET} x the latency limit",
    )
    with sandbox("livechat", chats=PAGES * 25, seed=1, latency="50ms") as sb:
        # Warm-up: the sandbox renders each page on first request; keep that out of the run.
        asyncio.run(plain_listing(sb, 64, PAGES))
        elapsed, records, client = asyncio.run(chatapi_listing(sb, concurrency))
        if records != PAGES * 25 or client.stats.retries:
            raise RuntimeError(f"bad run: {records} records, {client.stats.retries} retries")
        serial_n = PAGES if full_serial else serial_pages
        serial, _, _ = asyncio.run(chatapi_listing(sb, 1, max_pages=serial_n))
    serial_total = serial * PAGES / serial_n
    limit = (math.ceil(PAGES / concurrency) + 1) * LATENCY
    ratio = elapsed / limit
    section.add(f"chatapi, max_concurrency={concurrency}", f"{elapsed:.2f} s")
    section.add("records/s", f"{records / elapsed:,.0f}")
    section.add(f"latency limit (ceil({PAGES}/{concurrency})+1) x 50 ms", f"{limit:.2f} s")
    section.add("**ratio to the limit**", f"**{ratio:.3f}**")
    waves = math.ceil(PAGES / concurrency) * LATENCY
    section.add(
        f"ratio to ceil({PAGES}/{concurrency}) x 50 ms alone (issue 2's limit, target 1.2)",
        f"{elapsed / waves:.3f}",
    )
    scaled = "" if full_serial else f" (timed on {serial_n} pages, scaled)"
    section.add(f"chatapi, max_concurrency=1{scaled}", f"{serial_total:.1f} s")
    section.add("speed-up over max_concurrency=1", f"{serial_total / elapsed:.1f}x")
    at_cap, requests, windows = _at_the_cap(concurrency)
    section.add(
        "context: 1,000 pages, exactly the 25,000 cap, verified by date windows",
        f"{at_cap:.2f} s ({at_cap / elapsed:.2f} x; {windows} windows, {requests} requests)",
    )
    section.passed = ratio <= TARGET
    return section


def _at_the_cap(concurrency: int) -> tuple[float, int, int]:
    """Time a listing whose first page reports exactly the cap (warm sandbox cache)."""

    async def listing(sb: object) -> tuple[float, int, int]:
        client = sb.client(max_concurrency=concurrency)  # type: ignore[attr-defined]
        async with client:
            start = time.perf_counter()
            pager = client.chats()
            records = len(await pager.collect())
            elapsed = time.perf_counter() - start
            if records != 25_000:
                raise RuntimeError(f"bad run at the cap: {records} records")
            return elapsed, client.stats.requests, pager.report.windows

    with sandbox("livechat", chats=25_000, seed=1, latency="50ms") as sb:
        asyncio.run(listing(sb))  # warm-up: the windows' pages are rendered on first request
        return asyncio.run(listing(sb))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--serial-pages", type=int, default=60)
    parser.add_argument("--full-serial", action="store_true", help="time all pages serially")
    args = parser.parse_args()
    section = run(
        concurrency=args.concurrency, serial_pages=args.serial_pages, full_serial=args.full_serial
    )
    print(section.markdown())
    return 0 if section.passed else 1


if __name__ == "__main__":
    sys.exit(main())
