"""8. Distributed export: 8 accounts, each limited to 20 requests/s, on a 2-worker LocalCluster.

Each account is a LiveChat sandbox in its own process allowing 20 requests/s; the plan (one
shard per account) runs on ``chatapi.distributed`` with 2 worker processes, then the same plan
runs one account after another. With every account's limit the bottleneck, the plan should
use nearly all of them at once: at least 0.85 x 160 successful requests/s, with 0 failures.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _harness import Section, sandbox

ACCOUNTS = 8
RATE = 20
CHATS = 2_500  # 100 pages of 25, plus the first
TARGET = 0.85


def _rate(report: object, seconds: float) -> tuple[float, int, int]:
    results = report.results  # type: ignore[attr-defined]
    ok = sum(r.requests - r.rate_limited for r in results)
    failed = sum(0 if r.complete else 1 for r in results)
    limited = sum(r.rate_limited for r in results)
    return ok / seconds, failed, limited


def run() -> Section:
    from distributed import Client, LocalCluster

    from chatapi.distributed import plan
    from chatapi.distributed import run as run_plan

    section = Section(
        f"8. Distributed export: {ACCOUNTS} accounts at {RATE} requests/s each, 2 workers",
        f"successful requests/s >= {TARGET} x {ACCOUNTS * RATE}, 0 failures",
    )
    today = dt.datetime.now(dt.timezone.utc).date()
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        boxes = [
            stack.enter_context(sandbox("livechat", chats=CHATS, seed=i, rate_limit=RATE))
            for i in range(ACCOUNTS)
        ]
        accounts = Path(tmp) / "accounts.toml"
        lines = []
        for i, sb in enumerate(boxes):
            lines += [f"[account{i}]", 'vendor = "livechat"']
            lines += [f"{k} = {json.dumps(v)}" for k, v in sb.credentials.items()]
        accounts.write_text("\n".join(lines) + "\n")
        os.environ["CHATAPI_ACCOUNTS_FILE"] = str(accounts)
        shards = plan(
            {f"account{i}": "livechat" for i in range(ACCOUNTS)},
            "chats",
            date_from=today - dt.timedelta(days=40),
            date_to=today + dt.timedelta(days=1),
            window=dt.timedelta(days=60),
        )
        with (
            LocalCluster(
                n_workers=2,
                threads_per_worker=ACCOUNTS // 2,
                processes=True,
                host="127.0.0.1",
                dashboard_address=":0",
            ) as cluster,
            Client(cluster) as client,
        ):
            start = time.perf_counter()
            together = run_plan(shards, client=client, output_dir=Path(tmp) / "together")
            parallel = time.perf_counter() - start
            time.sleep(1.5)  # let every account's bucket refill
            start = time.perf_counter()
            for shard in shards:
                run_plan([shard], client=client, output_dir=Path(tmp) / "one-by-one")
            serial = time.perf_counter() - start
    rate, failed, limited = _rate(together, parallel)
    records = together.records
    if records != ACCOUNTS * CHATS:
        raise RuntimeError(f"the plan exported {records} chats, not {ACCOUNTS * CHATS}")
    section.add("plan on 2 workers", f"{parallel:.1f} s, {records:,} chats, {limited} 429s")
    section.add("successful requests/s", f"{rate:.1f} (limit sum {ACCOUNTS * RATE})")
    section.add("**rate / limit sum**", f"**{rate / (ACCOUNTS * RATE):.2f}**")
    section.add("same plan, one account after another", f"{serial:.1f} s")
    section.add("speed-up over one after another", f"{serial / parallel:.1f}x")
    section.passed = failed == 0 and rate >= TARGET * ACCOUNTS * RATE
    return section


if __name__ == "__main__":
    result = run()
    print(result.markdown())
    sys.exit(0 if result.passed else 1)
