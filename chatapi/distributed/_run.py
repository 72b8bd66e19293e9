"""Running a plan on a dask cluster, and the manifest that says what is done."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._plan import Shard
from ._task import run_shard

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["DistributedReport", "ShardResult", "run"]


@attrs.frozen
class ShardResult:
    """What one shard exported.

    Attributes:
        shard: The shard.
        file: Its JSON Lines file, relative to the output folder.
        records: Records in the file.
        expected: The vendor's announced total for the window, if it gave one.
        complete: Whether every page of the window is in the file.
        started: When its export started (epoch seconds, on the worker).
        finished: When it ended.
        requests: Requests the shard's last run sent.
        rate_limited: How many of them the vendor answered 429.
    """

    shard: Shard
    file: str
    records: int
    expected: int | None
    complete: bool
    started: float
    finished: float
    requests: int = 0
    rate_limited: int = 0


@attrs.frozen
class DistributedReport:
    """A plan's outcome, also written as ``manifest.json`` in the output folder.

    Attributes:
        results: One per shard of the plan.
        manifest: The manifest as written.
    """

    results: tuple[ShardResult, ...]
    manifest: dict[str, Any]

    @property
    def complete(self) -> bool:
        """Whether every shard is complete."""
        return all(result.complete for result in self.results)

    @property
    def records(self) -> int:
        """Records exported, every shard together."""
        return sum(result.records for result in self.results)


def _manifest(results: Iterable[ShardResult]) -> dict[str, Any]:
    accounts: dict[str, dict[str, Any]] = {}
    for result in sorted(results, key=lambda r: r.shard.key):
        shard = result.shard
        entry = accounts.setdefault(shard.account, {"vendor": shard.vendor, "kinds": {}})
        kind = entry["kinds"].setdefault(
            shard.kind, {"records": 0, "expected": 0, "complete": True, "shards": []}
        )
        kind["records"] += result.records
        kind["expected"] = (
            None
            if kind["expected"] is None or result.expected is None
            else kind["expected"] + result.expected
        )
        kind["complete"] = kind["complete"] and result.complete
        kind["shards"].append(
            {
                "window": shard.window,
                "date_from": shard.date_from.isoformat() if shard.date_from else None,
                "date_to": shard.date_to.isoformat() if shard.date_to else None,
                "file": result.file,
                "records": result.records,
                "expected": result.expected,
                "complete": result.complete,
                "started": result.started,
                "finished": result.finished,
            }
        )
    return {"version": 1, "accounts": accounts}


def _done_before(output_dir: Path) -> dict[str, dict[str, Any]]:
    """The complete shards of an earlier run's manifest, by key."""
    try:
        manifest = json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    done: dict[str, dict[str, Any]] = {}
    for account, entry in manifest.get("accounts", {}).items():
        for kind, data in entry.get("kinds", {}).items():
            for shard in data.get("shards", []):
                if shard.get("complete"):
                    done[f"{account}/{kind}/{shard['window']}"] = shard
    return done


def _write_manifest(output_dir: Path, manifest: dict[str, Any]) -> None:
    # Written whole then renamed: a reader never sees half a manifest.
    partial = output_dir / "manifest.json.part"
    partial.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, output_dir / "manifest.json")


def run(
    shards: Iterable[Shard],
    *,
    client: Client,
    output_dir: str | os.PathLike[str],
    per_account: int = 1,
    include_raw: bool = False,
    progress: Callable[[ShardResult, int, int], None] | None = None,
) -> DistributedReport:
    """Run a plan on a dask cluster: one task per shard; returns when every shard ended.

    Each shard exports its window into ``<output_dir>/<account>/<kind>/<window>.jsonl``
    with its own checkpoint (see :func:`run_shard`); ``output_dir`` must be a filesystem every
    worker shares, with atomic rename (a POSIX filesystem, not an object store). Shards the
    previous run's manifest calls complete are not run again: calling ``run`` again finishes
    what is not complete.

    Args:
        shards: The plan (see :func:`plan`).
        client: A ``distributed.Client`` (a ``LocalCluster``'s or a real scheduler's).
        output_dir: Where the shard files and ``manifest.json`` go.
        per_account: Shards of one account running at once.
        include_raw: Keep each record's vendor payload.
        progress: Called as each shard ends: ``(result, shards done, shards in all)``.

    Raises:
        ValueError: ``per_account`` below 1.
        Exception: The first shard that failed for good (after dask's retries) re-raises its
            error; the manifest then records the shards that did end.
    """
    from distributed import as_completed

    if per_account < 1:
        raise ValueError(f"per_account must be at least 1, got {per_account}")
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    plan_list = list(shards)
    done = _done_before(folder)
    results: list[ShardResult] = []
    todo: dict[Any, Shard] = {}
    for shard in plan_list:
        earlier = done.get(shard.key)
        if earlier is not None:
            results.append(_result(shard, earlier))
            continue
        future = client.submit(
            run_shard,
            shard,
            str(folder),
            per_account,
            include_raw,
            key=f"chatapi-shard-{shard.key}",
            pure=False,
            retries=2,
        )
        todo[future] = shard
    failure: BaseException | None = None
    try:
        for future in as_completed(list(todo)):  # type: ignore[no-untyped-call]
            shard = todo[future]
            try:
                outcome = future.result()
            except Exception as error:  # noqa: BLE001 - reported after the others finish
                failure = failure or error
                continue
            result = _result(shard, outcome)
            results.append(result)
            if progress is not None:
                progress(result, len(results), len(plan_list))
    finally:
        manifest = _manifest(results)
        _write_manifest(folder, manifest)
    if failure is not None:
        raise failure
    order = {shard.key: index for index, shard in enumerate(plan_list)}
    ordered = tuple(sorted(results, key=lambda r: order[r.shard.key]))
    return DistributedReport(results=ordered, manifest=manifest)


def _result(shard: Shard, data: dict[str, Any]) -> ShardResult:
    return ShardResult(
        shard=shard,
        file=str(data["file"]),
        records=int(data["records"]),
        expected=data.get("expected"),
        complete=bool(data["complete"]),
        started=float(data["started"]),
        finished=float(data["finished"]),
        requests=int(data.get("requests", 0)),
        rate_limited=int(data.get("rate_limited", 0)),
    )
