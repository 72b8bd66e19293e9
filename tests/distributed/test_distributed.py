"""chatapi.distributed on a LocalCluster (2 worker processes on 127.0.0.1): every record of
every account exactly once, a killed worker's shard resumed, one shard per account at a time,
and no credential anywhere in the task graph."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import pickle
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

import dask
from distributed import Client, LocalCluster

from chatapi._registry import vendor_spec
from chatapi.distributed import plan, run, shard_path
from chatapi.sandbox import SubprocessSandbox, run_in_subprocess

# The sandboxes' chats end at the current hour and spread over the 30 days before it.
END = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)
START = END - dt.timedelta(days=34)


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SubprocessSandbox]]:
    with (
        run_in_subprocess("livechat", chats=300, seed=1, days=30) as lc,
        run_in_subprocess("revechat", generation="current", chats=120, seed=2, days=30) as rv,
        run_in_subprocess("acquire", generation="v2", chats=60, seed=3, days=30) as aq,
        run_in_subprocess("livechat", chats=1500, seed=4, days=30, latency="40ms") as slow,
    ):
        yield {"lc": lc, "reve": rv, "acq": aq, "slow": slow}


@pytest.fixture(scope="module")
def cluster(
    accounts: dict[str, SubprocessSandbox], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Client]:
    file = tmp_path_factory.mktemp("accounts") / "accounts.toml"
    lines = []
    for name, sb in accounts.items():
        lines.append(f"[{name}]")
        lines.append(f'vendor = "{sb.vendor}"')
        lines.extend(f"{key} = {json.dumps(value)}" for key, value in sb.credentials.items())
    file.write_text("\n".join(lines) + "\n")
    # Workers are spawned: the accounts file must be in the environment before they start.
    os.environ["CHATAPI_ACCOUNTS_FILE"] = str(file)
    # A killed worker's semaphore lease must expire fast enough for its shard's retry.
    settings = {
        "distributed.scheduler.locks.lease-timeout": "1s",
        "distributed.scheduler.locks.lease-validation-interval": "200ms",
    }
    with (
        dask.config.set(settings),
        LocalCluster(
            n_workers=2,
            threads_per_worker=2,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as local,
        Client(local) as client,
    ):
        yield client
    del os.environ["CHATAPI_ACCOUNTS_FILE"]


async def listed_ids(sb: SubprocessSandbox, kind: str, **filters: Any) -> list[str]:
    async with sb.client() as client:
        return [r.id for r in await getattr(client, kind)(**filters).collect()]


def file_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


async def test_three_vendors_every_record_exactly_once(
    cluster: Client, accounts: dict[str, SubprocessSandbox], tmp_path: Path
) -> None:
    shards = plan(["lc", "reve", "acq"], "chats", date_from=START, date_to=END)
    assert {s.vendor for s in shards} == {"livechat", "revechat", "acquire"}
    assert len([s for s in shards if s.account == "lc"]) == 5  # 35 days, weekly windows
    report = run(shards, client=cluster, output_dir=tmp_path)
    assert report.complete and len(report.results) == len(shards)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest == report.manifest
    for name in ("lc", "reve", "acq"):
        got = [i for s in shards if s.account == name for i in file_ids(shard_path(tmp_path, s))]
        filters = {"date_from": START, "date_to": END} if name != "acq" else {}
        assert sorted(got) == sorted(await listed_ids(accounts[name], "chats", **filters))
        assert len(got) == len(set(got))
        entry = manifest["accounts"][name]["kinds"]["chats"]
        assert entry["complete"] and entry["records"] == len(got)
        assert all((tmp_path / s["file"]).exists() for s in entry["shards"])
    # Two shards of one account never overlap in time.
    spans = sorted((r.started, r.finished) for r in report.results if r.shard.account == "lc")
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    # A second run finishes what is not complete: nothing here, so no shard runs again.
    again = run(shards, client=cluster, output_dir=tmp_path)
    assert again.manifest == manifest


async def test_a_killed_worker_s_shard_resumes_and_writes_each_record_once(
    cluster: Client, accounts: dict[str, SubprocessSandbox], tmp_path: Path
) -> None:
    (shard,) = plan(
        {"slow": "livechat"}, "chats", date_from=START, date_to=END, window=dt.timedelta(days=40)
    )
    path = shard_path(tmp_path, shard)
    outcome: dict[str, Any] = {}
    runner = threading.Thread(
        target=lambda: outcome.update(report=run([shard], client=cluster, output_dir=tmp_path))
    )
    runner.start()
    deadline = time.monotonic() + 30
    while not (path.exists() and path.stat().st_size > 0):  # mid-shard: pages are written
        assert time.monotonic() < deadline
        time.sleep(0.02)
    busy = [w for w, keys in cluster.processing().items() if keys]
    assert busy
    pids = cluster.run(os.getpid, workers=busy)
    written_before = len(path.read_text().splitlines())
    for pid in pids.values():
        os.kill(pid, signal.SIGKILL)
    runner.join(timeout=120)
    assert not runner.is_alive()
    report = outcome["report"]
    (result,) = report.results
    ids = file_ids(path)
    assert result.complete and written_before < len(ids) == 1500
    assert len(ids) == len(set(ids))  # resumed from its checkpoint: nothing twice
    assert sorted(ids) == sorted(
        await listed_ids(
            accounts["slow"], "chats", date_from=shard.date_from, date_to=shard.date_to
        )
    )


def test_no_credential_reaches_the_task_graph_or_the_logs(
    cluster: Client, accounts: dict[str, SubprocessSandbox], tmp_path: Path
) -> None:
    secrets = [
        str(value)
        for sb in accounts.values()
        for key, value in sb.credentials.items()
        if key in vendor_spec(sb.vendor).secrets
    ]
    assert secrets
    shards = plan(["lc", "acq"], "agents", date_from=START, date_to=END)
    pickled = pickle.dumps(shards)
    run(shards, client=cluster, output_dir=tmp_path)
    task_names = cluster.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.tasks))
    logs = json.dumps(cluster.get_worker_logs(), default=str)
    for secret in secrets:
        assert secret.encode() not in pickled
        assert all(secret not in str(name) for name in task_names)
        assert secret not in logs


def test_cli_export_many_on_a_local_cluster(
    accounts: dict[str, SubprocessSandbox],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chatapi.cli import main

    file = tmp_path / "accounts.toml"
    lines = []
    for name in ("lc", "reve"):
        sb = accounts[name]
        lines += [f"[{name}]", f'vendor = "{sb.vendor}"']
        lines += [f"{key} = {json.dumps(value)}" for key, value in sb.credentials.items()]
    file.write_text("\n".join(lines) + "\n")
    monkeypatch.delenv("CHATAPI_ACCOUNTS_FILE", raising=False)
    out = tmp_path / "out"
    command = [
        "export-many",
        "chats",
        "--accounts",
        str(file),
        "--from",
        START.isoformat(),
        "--to",
        END.isoformat(),
        "-o",
        str(out),
        "--workers",
        "2",
    ]
    assert main(command) == 0
    captured = capsys.readouterr()
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["accounts"]) == {"lc", "reve"}
    assert all(k["chats"]["complete"] for a in manifest["accounts"].values() for k in [a["kinds"]])
    assert "for 2 accounts" in captured.err and "/" in captured.err  # the one progress bar
    assert "complete" in captured.out and "manifest" in captured.out
