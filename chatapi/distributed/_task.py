"""The work of one shard, as it runs on a worker: resolve the account, take the account's
semaphore and the shard's lock, export the window resumably."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .._registry import connect
from ..export import export
from ._accounts import load_account
from ._plan import Shard

__all__ = ["run_shard", "shard_path"]


def shard_path(output_dir: str | Path, shard: Shard) -> Path:
    """Where a shard's records go: ``<output_dir>/<account>/<kind>/<window>.jsonl``."""
    return Path(output_dir) / shard.account / shard.kind / f"{shard.window}.jsonl"


async def run_shard(
    shard: Shard, output_dir: str, per_account: int, include_raw: bool
) -> dict[str, Any]:
    """Export one shard (a dask task: it runs on the worker's event loop).

    At most ``per_account`` shards of one account run at once (a ``distributed.Semaphore``
    named after the account: the account's rate limit is the bottleneck), and a
    ``distributed.Lock`` per shard keeps a straggler and its rescheduled copy from writing
    the same file. The export resumes from the shard's checkpoint, so a shard rescheduled
    after its worker died continues where it stopped and writes every record once.

    Returns:
        The shard's outcome (plain data: it travels back through the scheduler).
    """
    from distributed import Lock, Semaphore

    path = shard_path(output_dir, shard)
    path.parent.mkdir(parents=True, exist_ok=True)
    account_slots = Semaphore(  # type: ignore[no-untyped-call]
        max_leases=per_account, name=f"chatapi-account:{shard.account}"
    )
    one_writer = Lock(name=f"chatapi-shard:{shard.key}")  # type: ignore[no-untyped-call]
    async with account_slots, one_writer:
        started = time.time()
        vendor, settings = load_account(shard.account)
        async with connect(vendor, **settings) as client:
            report = await export(
                client,
                shard.kind,
                path,
                filters=shard.filters(),
                resume=True,
                include_raw=include_raw,
            )
        return {
            "key": shard.key,
            "file": str(path.relative_to(output_dir)),
            "records": report.records_written,
            "expected": report.expected_total,
            "complete": report.complete,
            "requests": client.stats.requests,
            "rate_limited": client.stats.rate_limited,
            "started": started,
            "finished": time.time(),
        }
