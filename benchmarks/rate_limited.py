"""4. Rate-limited vendor: achieved request rate vs what the vendor allows.

The LiveChat sandbox allows 20 requests/s (token bucket) and answers 429 with Retry-After
beyond it. chatapi lists chats at max_concurrency=16 for 30 s. Reported: successful requests
per second vs 20/s, failures, and the share of requests that were 429s.
"""

from __future__ import annotations

import asyncio
import sys
import time

from _harness import Section, sandbox

import chatapi

RATE = 20.0
TARGET_RATE = 0.85


async def _listing(sb: object, seconds: float, concurrency: int) -> tuple[float, int, object]:
    client = sb.client(max_concurrency=concurrency)  # type: ignore[attr-defined]
    async with client:
        start = time.perf_counter()
        pages = client.chats().pages()
        failures = 0
        try:
            async for _ in pages:
                if time.perf_counter() - start >= seconds:
                    break
        except chatapi.ChatAPIError:
            failures += 1
        finally:
            await pages.aclose()
        return time.perf_counter() - start, failures, client.stats


def run(*, seconds: float = 30.0, concurrency: int = 16) -> Section:
    section = Section(
        f"4. Rate-limited vendor ({RATE:.0f} requests/s, 429 + Retry-After beyond)",
        f">= {TARGET_RATE} x {RATE:.0f}/s achieved, 0 failures, 429s <= 5% of requests",
    )
    with sandbox("livechat", chats=25000, seed=2, rate_limit=RATE, latency="20ms") as sb:
        elapsed, failures, stats = asyncio.run(_listing(sb, seconds, concurrency))
    ok = stats.statuses.get(200, 0)  # type: ignore[attr-defined]
    limited = stats.statuses.get(429, 0)  # type: ignore[attr-defined]
    requests = stats.requests  # type: ignore[attr-defined]
    achieved = ok / elapsed
    share = limited / requests if requests else 0.0
    section.add("run length", f"{elapsed:.1f} s")
    section.add("successful requests/s", f"{achieved:.1f} ({achieved / RATE:.2f} x allowed)")
    section.add("requests sent / 429s", f"{requests} / {limited} ({share:.1%})")
    section.add("failures", str(failures))
    section.add("time held by the shared pause", f"{stats.paused_seconds:.1f} s")  # type: ignore[attr-defined]
    section.passed = achieved >= TARGET_RATE * RATE and failures == 0 and share <= 0.05
    return section


if __name__ == "__main__":
    result = run()
    print(result.markdown())
    sys.exit(0 if result.passed else 1)
