"""Run one migration in a fresh process and report its peak RSS and pace (migration.py)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

from _export_child import _peak_rss_kb

import chatapi


async def main(state: str) -> dict[str, float]:
    source = json.loads(os.environ["SOURCE_CREDENTIALS"])
    target = json.loads(os.environ["TARGET_CREDENTIALS"])
    policy = chatapi.RetryPolicy(max_retries=10)
    async with (
        chatapi.connect("livechat", **source, max_concurrency=8) as src,
        chatapi.connect("livechat", **target, max_concurrency=8, retry_policy=policy) as dst,
    ):
        start = time.perf_counter()
        report = await chatapi.migrate(
            src,
            dst,
            kinds=["offline_messages"],
            state=state,
            filters={"offline_messages": {"date_from": "2000-01-01"}},
        )
        duration = time.perf_counter() - start
        kind = report.kinds["offline_messages"]
        return {
            "source": kind.source,
            "written": kind.created + kind.degraded,
            "failed": kind.failed,
            "reconciles": report.reconciles,
            "duration": duration,
            "requests": dst.stats.requests,
            "rate_limited": dst.stats.rate_limited,
            "maxrss_kb": _peak_rss_kb(),
        }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
