"""7. Migration: memory flat in the number of records, and the pace against a rate-limited target.

Offline messages of one LiveChat sandbox become tickets in another (``chatapi.migrate``), each
migration in a fresh process (``_migrate_child.py``) so its peak RSS is its own. The id map
lives in SQLite and pages are written as they arrive, so 10x the records should cost about the
same memory. Against a target that allows 20 requests/s, the writes should keep to the limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _harness import Section, sandbox

HERE = Path(__file__).parent
MEMORY_TARGET = 1.3
RATE = 20
RATE_TARGET = 0.85


def _migrate(messages: int, **target_options: object) -> dict[str, float]:
    with (
        sandbox("livechat", chats=10, offline_messages=messages, days=400, seed=3) as src,
        sandbox("livechat", chats=2, seed=4, **target_options) as dst,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = {
            **os.environ,
            "SOURCE_CREDENTIALS": json.dumps(src.credentials),
            "TARGET_CREDENTIALS": json.dumps(dst.credentials),
        }
        done = subprocess.run(
            [sys.executable, str(HERE / "_migrate_child.py"), str(Path(tmp) / "m.db")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        )
    result: dict[str, float] = json.loads(done.stdout)
    if result["failed"] or not result["reconciles"] or result["source"] != messages:
        raise RuntimeError(f"migration of {messages} offline messages went wrong: {result}")
    return result


def run(*, rate_messages: int = 600) -> Section:
    section = Section(
        "7. Migration: 2,000 vs 20,000 offline messages; a target limited to 20 requests/s",
        f"peak RSS of 20k <= {MEMORY_TARGET} x 2k's; writes >= {RATE_TARGET} x {RATE}/s, "
        "0 failures",
    )
    small, large = _migrate(2_000), _migrate(20_000)
    ratio = large["maxrss_kb"] / small["maxrss_kb"]
    for label, r in (("2,000 messages", small), ("20,000 messages", large)):
        section.add(
            f"{label}: peak RSS",
            f"{r['maxrss_kb'] / 1024:.1f} MiB "
            f"({r['written']:.0f} tickets in {r['duration']:.1f} s)",
        )
    section.add("**ratio 20k / 2k**", f"**{ratio:.2f}**")
    paced = _migrate(rate_messages, rate_limit=RATE)
    pace = paced["written"] / paced["duration"]
    section.add(
        f"{rate_messages} messages to a target allowing {RATE} requests/s",
        f"{pace:.1f} writes/s, {paced['failed']:.0f} failures, "
        f"{paced['rate_limited']:.0f} 429s of {paced['requests']:.0f} requests",
    )
    section.add("**pace / limit**", f"**{pace / RATE:.2f}**")
    section.passed = ratio <= MEMORY_TARGET and pace >= RATE_TARGET * RATE
    return section


if __name__ == "__main__":
    result = run()
    print(result.markdown())
    sys.exit(0 if result.passed else 1)
