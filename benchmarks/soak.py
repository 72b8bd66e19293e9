"""Soak: tens of thousands of requests through the bulk fetcher against a flaky, rate-limited
sandbox, watching that nothing grows and nothing is lost.

A LiveChat sandbox runs in a child process (``chatapi.sandbox.run_in_subprocess``) with 10 %
faults (500/502/503, resets, truncated and malformed bodies) and a rate limit. One client lists
every chat again and again (``client.chats()``, concurrent fan-out) until it has sent
``--requests`` requests, checking that each listing delivers every chat exactly once. Meanwhile
it samples its own RSS (``/proc/self/status`` VmRSS), open file descriptors and sockets
(``/proc/self/fd``) and asyncio task count. After a warm-up, the last quarter's average of each
must stay within ``--tolerance`` x the first quarter's.

Run: ``make soak`` or ``.venv/bin/python benchmarks/soak.py [--requests 50000]``.
Exit status 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import Counter
from typing import Any

import attrs

import chatapi
from chatapi import RetryPolicy
from chatapi.sandbox import run_in_subprocess

#: A retry policy shaped like the default one, with delays scaled down 50x: the sleeping
#: paths run, and the soak still finishes in minutes.
SOAK_POLICY = RetryPolicy(
    max_retries=6,
    base_delay=0.01,
    max_delay=0.16,
    throttle_base_delay=0.02,
    throttle_max_delay=0.6,
)


@attrs.frozen
class Sample:
    elapsed: float
    requests: int
    rss_kib: int
    fds: int
    sockets: int
    tasks: int


def rss_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def descriptors() -> tuple[int, int]:
    """Open file descriptors, and how many of them are sockets."""
    fds = sockets = 0
    for name in os.listdir("/proc/self/fd"):
        fds += 1
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                sockets += 1
        except OSError:  # closed between listdir and readlink
            pass
    return fds, sockets


async def sampler(
    client: chatapi.BaseClient, samples: list[Sample], every: float, started: float
) -> None:
    while True:
        fds, sockets = descriptors()
        samples.append(
            Sample(
                elapsed=time.monotonic() - started,
                requests=client.stats.requests,
                rss_kib=rss_kib(),
                fds=fds,
                sockets=sockets,
                tasks=len(asyncio.all_tasks()),
            )
        )
        await asyncio.sleep(every)


@attrs.define
class Outcome:
    rounds: int = 0
    records: int = 0
    failures: list[str] = attrs.field(factory=list)
    timed_out: bool = False
    duration: float = 0.0
    stats: chatapi.ClientStats | None = None


async def soak(
    base_client: Any,
    target: int,
    expected: int,
    concurrency: int,
    every: float,
    max_seconds: float,
) -> tuple[Outcome, list[Sample]]:
    outcome = Outcome()
    samples: list[Sample] = []
    started = time.monotonic()
    async with base_client(retry_policy=SOAK_POLICY, max_concurrency=concurrency) as client:
        watcher = asyncio.create_task(sampler(client, samples, every, started))
        try:
            last_note = started
            while client.stats.requests < target:
                now = time.monotonic()
                if now - started > max_seconds:
                    outcome.timed_out = True
                    break
                if now - last_note >= 15:
                    last_note = now
                    print(
                        f"  {now - started:5.0f} s: {client.stats.requests:,} requests, "
                        f"{outcome.rounds} listings",
                        file=sys.stderr,
                    )
                pager = client.chats()
                seen: Counter[str] = Counter()
                async for page in pager.pages():
                    seen.update(chat.id for chat in page.items)
                outcome.rounds += 1
                outcome.records += sum(seen.values())
                doubles = [i for i, n in seen.items() if n > 1]
                if len(seen) != expected or doubles or not pager.report.complete:
                    outcome.failures.append(
                        f"round {outcome.rounds}: {len(seen)} distinct of {expected}, "
                        f"{len(doubles)} duplicated, report {pager.report}"
                    )
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
        fds, sockets = descriptors()
        samples.append(
            Sample(
                time.monotonic() - started,
                client.stats.requests,
                rss_kib(),
                fds,
                sockets,
                len(asyncio.all_tasks()),
            )
        )
        outcome.stats = client.stats
    outcome.duration = time.monotonic() - started
    return outcome, samples


def quarter_means(samples: list[Sample], warmup: float) -> dict[str, tuple[float, float]]:
    """Average of each measure over the first and the last quarter after the warm-up."""
    steady = samples[int(len(samples) * warmup) :]
    quarter = max(len(steady) // 4, 1)
    first, last = steady[:quarter], steady[-quarter:]
    means: dict[str, tuple[float, float]] = {}
    for name in ("rss_kib", "fds", "sockets", "tasks"):
        a = sum(getattr(s, name) for s in first) / len(first)
        b = sum(getattr(s, name) for s in last) / len(last)
        means[name] = (a, b)
    return means


def report(args: argparse.Namespace, outcome: Outcome, samples: list[Sample], command: str) -> bool:
    stats = outcome.stats
    assert stats is not None
    print(f"## Soak: `{command}`\n")
    print("| elapsed (s) | requests | RSS (MiB) | open fds | sockets | asyncio tasks |")
    print("|---:|---:|---:|---:|---:|---:|")
    rows = 10
    step = max(len(samples) // rows, 1)
    shown = samples[::step]
    if shown[-1] is not samples[-1]:
        shown.append(samples[-1])
    for s in shown:
        print(
            f"| {s.elapsed:.1f} | {s.requests:,} | {s.rss_kib / 1024:.1f} | {s.fds} | "
            f"{s.sockets} | {s.tasks} |"
        )
    print()
    codes = ", ".join(f"{code}: {n:,}" for code, n in sorted(stats.statuses.items()))
    print("| measure | value |")
    print("|---|---|")
    print(f"| duration | {outcome.duration:.1f} s |")
    print(f"| requests sent (retries included) | {stats.requests:,} |")
    print(f"| retries | {stats.retries:,} |")
    print(f"| answers by status | {codes} |")
    print(f"| 429 answers / shared pause | {stats.rate_limited:,} / {stats.paused_seconds:.1f} s |")
    print(f"| listings (rounds) | {outcome.rounds} x {args.chats:,} chats |")
    print(f"| records received | {outcome.records:,} |")
    print(f"| samples | {len(samples)} (every {args.sample_every} s) |")
    ok = not outcome.failures
    print(f"| every record exactly once, every round | {'yes' if ok else 'NO'} |")
    means = quarter_means(samples, args.warmup)
    for name, (a, b) in means.items():
        # Small absolute slack: 40 vs 41 sockets is noise, not a leak.
        slack = {"rss_kib": 0.0, "fds": 2.0, "sockets": 2.0, "tasks": 2.0}[name]
        flat = b <= args.tolerance * a + slack
        ok = ok and flat
        unit = " MiB" if name == "rss_kib" else ""
        scale = 1024 if name == "rss_kib" else 1
        print(
            f"| {name.replace('_kib', '')}: first / last quarter mean | {a / scale:.1f}{unit} / "
            f"{b / scale:.1f}{unit} ({b / a if a else 0:.2f}x) {'flat' if flat else 'GROWS'} |"
        )
    if outcome.timed_out:
        print(f"| note | stopped by --max-seconds {args.max_seconds:g} before --requests |")
    print(f"| **verdict** | **{'PASS' if ok else 'FAIL'}** |")
    for failure in outcome.failures[:10]:
        print(f"- {failure}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50_000, help="requests to send")
    parser.add_argument("--chats", type=int, default=2_000, help="chats per listing")
    parser.add_argument("--messages", type=int, default=3, help="messages per chat")
    parser.add_argument("--fault-rate", type=float, default=0.10)
    parser.add_argument("--rate-limit", type=float, default=600.0, help="requests/s")
    parser.add_argument("--burst", type=int, default=30)
    parser.add_argument("--retry-after", type=float, default=0.1, help="seconds in 429s")
    parser.add_argument(
        "--max-seconds", type=float, default=300.0, help="stop listing after this long"
    )
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--sample-every", type=float, default=0.5)
    parser.add_argument("--warmup", type=float, default=0.1, help="share of samples skipped")
    parser.add_argument("--tolerance", type=float, default=1.2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    command = "python benchmarks/soak.py " + " ".join(sys.argv[1:])

    with run_in_subprocess(
        "livechat",
        chats=args.chats,
        messages=args.messages,
        fault_rate=args.fault_rate,
        rate_limit=args.rate_limit,
        burst=args.burst,
        retry_after=args.retry_after,
        seed=args.seed,
    ) as sb:
        outcome, samples = asyncio.run(
            soak(
                sb.client,
                args.requests,
                args.chats,
                args.concurrency,
                args.sample_every,
                args.max_seconds,
            )
        )
    return 0 if report(args, outcome, samples, command.strip()) else 1


if __name__ == "__main__":
    sys.exit(main())
