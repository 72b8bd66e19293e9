"""Run one export in a fresh process and report its peak RSS (used by memory.py)."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys

import chatapi


async def main(out: str) -> dict[str, float]:
    credentials = json.loads(os.environ["SANDBOX_CREDENTIALS"])
    async with chatapi.connect("livechat", **credentials, max_concurrency=8) as client:
        report = await chatapi.export(client, "chats", out, include_raw=True)
    return {
        "records": report.records_written,
        "duration": report.duration,
        "complete": report.complete,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
