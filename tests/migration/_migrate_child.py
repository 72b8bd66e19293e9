"""A migration in a child process (the test kills it with SIGKILL at random points).

Usage: python _migrate_child.py SOURCE_JSON TARGET_JSON STATE KINDS
(each JSON: {"vendor": ..., "credentials": {...}}).
"""

from __future__ import annotations

import asyncio
import json
import sys

import chatapi


async def main(source: dict, target: dict, state: str, kinds: str) -> None:  # type: ignore[type-arg]
    policy = chatapi.RetryPolicy.no_wait(max_retries=8)
    async with (
        chatapi.connect(source["vendor"], **source["credentials"], retry_policy=policy) as src,
        chatapi.connect(target["vendor"], **target["credentials"], retry_policy=policy) as dst,
    ):
        report = await chatapi.migrate(src, dst, kinds=kinds.split(","), state=state)
    print(json.dumps(report.as_dict()), flush=True)


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]))
