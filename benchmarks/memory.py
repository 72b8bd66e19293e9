"""5. Memory: peak RSS of exporting 5,000 vs 50,000 chats (with raw payloads) from the sandbox.

Each export runs in a fresh process (``_export_child.py``) so that its peak RSS is its own;
the sandbox runs in another. An export streams page by page to disk, so 10x the chats should
cost about the same memory.
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
TARGET = 1.3


def _export(chats: int) -> dict[str, float]:
    with sandbox("livechat", chats=chats, seed=5) as sb, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SANDBOX_CREDENTIALS": json.dumps(sb.credentials)}
        done = subprocess.run(
            [sys.executable, str(HERE / "_export_child.py"), str(Path(tmp) / "chats.jsonl")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        result: dict[str, float] = json.loads(done.stdout)
        result["bytes"] = (Path(tmp) / "chats.jsonl").stat().st_size
    if result["records"] != chats or not result["complete"]:
        raise RuntimeError(f"export of {chats} chats incomplete: {result}")
    return result


def run() -> Section:
    section = Section(
        "5. Memory: export of 5,000 vs 50,000 chats",
        f"peak RSS of the 50k export <= {TARGET} x the 5k export's",
    )
    small, large = _export(5_000), _export(50_000)
    ratio = large["maxrss_kb"] / small["maxrss_kb"]
    for label, r in (("5,000 chats", small), ("50,000 chats", large)):
        section.add(
            f"{label}: peak RSS",
            f"{r['maxrss_kb'] / 1024:.1f} MiB ({r['bytes'] / 2**20:.0f} MiB written "
            f"in {r['duration']:.1f} s)",
        )
    section.add("**ratio 50k / 5k**", f"**{ratio:.2f}**")
    section.passed = ratio <= TARGET
    return section


if __name__ == "__main__":
    result = run()
    print(result.markdown())
    sys.exit(0 if result.passed else 1)
