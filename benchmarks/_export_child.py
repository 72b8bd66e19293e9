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
        "maxrss_kb": _peak_rss_kb(),
    }


def _peak_rss_kb() -> int:
    """This process's own peak RSS in KiB.

    Linux's ``ru_maxrss`` survives fork + exec: a child started by a big parent (``run_all``
    after the other benchmarks) reports the parent's peak. ``VmHWM`` belongs to the process's
    own address space, which exec replaces.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
