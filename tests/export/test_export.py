"""chatapi.export: JSON Lines output, checkpoints, resume, progress (against the sandbox)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import chatapi
from chatapi.export import CheckpointMismatchError, Progress, checkpoint_path
from chatapi.sandbox import Faults, run_in_subprocess, serve

UTC = dt.timezone.utc
END = dt.datetime(2026, 3, 1, tzinfo=UTC)
NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=6)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def test_export_equals_the_generated_data(tmp_path: Path) -> None:
    async with serve("livechat", chats=310, seed=11, end=END) as sb:
        expected = sb.app.expected_chats()
        async with sb.client(retry_policy=NO_WAIT) as client:
            out = tmp_path / "out" / "chats.jsonl"
            report = await chatapi.export(client, "chats", out, include_raw=True)
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == [e["id"] for e in expected]
    assert [r["raw"] for r in rows] == expected
    assert rows[0]["vendor"] == "livechat"
    dt.datetime.fromisoformat(rows[0]["started_at"])  # ISO-8601
    assert chatapi.from_dict(chatapi.Chat, rows[5]).id == rows[5]["id"]
    assert report.records_written == 310
    assert report.pages == 13
    assert report.expected_total == 310
    assert report.complete and not report.resumed
    assert report.duplicates_dropped == 0
    state = json.loads(checkpoint_path(out).read_text())
    assert state["complete"] is True
    assert state["offset"] == out.stat().st_size


async def test_raw_is_left_out_unless_asked(tmp_path: Path) -> None:
    async with (
        serve("livechat", chats=30, seed=2, end=END) as sb,
        sb.client(retry_policy=NO_WAIT) as client,
    ):
        out = tmp_path / "chats.jsonl"
        await chatapi.export(client, "chats", out)
    assert all("raw" not in row for row in read_jsonl(out))


async def test_offline_messages_and_agents(tmp_path: Path) -> None:
    async with serve("livechat", chats=100, seed=5, offline_messages=40) as sb:
        expected = sb.app.expected_offline_messages()
        async with sb.client(retry_policy=NO_WAIT) as client:
            offline = await chatapi.export(
                client, "offline-messages", tmp_path / "offline.jsonl", include_raw=True
            )
            agents = await chatapi.export(client, "agents", tmp_path / "agents.jsonl")
    assert [r["raw"] for r in read_jsonl(tmp_path / "offline.jsonl")] == expected
    assert offline.records_written == len(expected)
    assert [r["email"] for r in read_jsonl(tmp_path / "agents.jsonl")] == [
        a.email for a in sb.dataset.agents
    ]
    assert agents.kind == "agents"


async def test_export_is_complete_despite_faults(tmp_path: Path) -> None:
    faults = Faults(error_500=0.05, error_503=0.05, truncate=0.03, malformed=0.03, rate_limit=200)
    async with serve("livechat", chats=500, seed=8, end=END, faults=faults) as sb:
        expected_ids = [e["id"] for e in sb.app.expected_chats()]
        async with sb.client(retry_policy=NO_WAIT, max_concurrency=6) as client:
            out = tmp_path / "chats.jsonl"
            report = await chatapi.export(client, "chats", out)
    assert [r["id"] for r in read_jsonl(out)] == expected_ids
    # Every injected fault cost exactly one retry, and none was fatal.
    assert sb.stats.injected > 0
    assert report.retries == sb.stats.injected
    assert report.rate_limited == sb.stats.faults.get("rate_limit", 0)


class Crash(Exception):
    pass


async def test_crash_then_resume_writes_each_record_once(tmp_path: Path) -> None:
    out = tmp_path / "chats.jsonl"
    async with serve("livechat", chats=300, seed=12, end=END) as sb:
        expected_ids = [e["id"] for e in sb.app.expected_chats()]

        def crash_after_five(progress: Progress) -> None:
            if progress.pages_done == 5:
                raise Crash

        async with sb.client(retry_policy=NO_WAIT, max_concurrency=3) as client:
            with pytest.raises(Crash):
                await chatapi.export(client, "chats", out, progress=crash_after_five)
        state = json.loads(checkpoint_path(out).read_text())
        assert state["pages"] == 5 and not state["complete"]
        # A torn write past the checkpoint (a page written, its checkpoint not yet).
        with open(out, "ab") as fh:
            fh.write(b'{"id": "half a rec')
        async with sb.client(retry_policy=NO_WAIT, max_concurrency=3) as client:
            report = await chatapi.export(client, "chats", out, resume=True)
            # 12 pages in all, 5 done: the resumed run fetched exactly the other 7.
            assert client.stats.requests == 7
    ids = [r["id"] for r in read_jsonl(out)]
    assert ids == expected_ids
    assert report.resumed and report.complete
    assert report.records_written == 300


async def test_resume_of_a_complete_export_fetches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "chats.jsonl"
    async with (
        serve("livechat", chats=60, seed=3, end=END) as sb,
        sb.client(retry_policy=NO_WAIT) as client,
    ):
        await chatapi.export(client, "chats", out)
        async with sb.client(retry_policy=NO_WAIT) as client:
            report = await chatapi.export(client, "chats", out, resume=True)
            assert client.stats.requests == 0
    assert report.records_written == 60 and report.complete


async def test_resume_with_other_filters_or_vendor_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "chats.jsonl"
    async with (
        serve("livechat", chats=60, seed=3, end=END) as sb,
        sb.client(retry_policy=NO_WAIT) as client,
    ):
        await chatapi.export(client, "chats", out, filters={"date_from": dt.date(2026, 2, 1)})
        # The same filters in another spelling are the same export.
        await chatapi.export(client, "chats", out, filters={"date_from": "2026-02-01"}, resume=True)
        with pytest.raises(CheckpointMismatchError, match="filters"):
            await chatapi.export(
                client, "chats", out, filters={"date_from": "2026-01-01"}, resume=True
            )
        with pytest.raises(CheckpointMismatchError, match="kind"):
            await chatapi.export(client, "agents", out, resume=True)
        with pytest.raises(CheckpointMismatchError, match="include_raw"):
            await chatapi.export(
                client,
                "chats",
                out,
                filters={"date_from": "2026-02-01"},
                include_raw=True,
                resume=True,
            )
    state = json.loads(checkpoint_path(out).read_text())
    state["vendor"] = "revechat"
    checkpoint_path(out).write_text(json.dumps(state))
    async with serve("livechat", chats=5, seed=3, end=END) as sb, sb.client() as client:
        with pytest.raises(CheckpointMismatchError, match="vendor='revechat'"):
            await chatapi.export(
                client, "chats", out, filters={"date_from": "2026-02-01"}, resume=True
            )


async def test_progress_reports_pages_records_and_eta(tmp_path: Path) -> None:
    seen: list[Progress] = []

    async def record(progress: Progress) -> None:
        seen.append(progress)

    async with (
        serve("livechat", chats=130, seed=4, end=END) as sb,
        sb.client(retry_policy=NO_WAIT) as client,
    ):
        await chatapi.export(client, "chats", tmp_path / "c.jsonl", progress=record)
    assert [p.pages_done for p in seen] == list(range(1, 7))
    assert all(p.pages_total == 6 for p in seen)
    assert [p.records for p in seen] == [25, 50, 75, 100, 125, 130]
    assert seen[-1].eta == 0
    assert all(p.eta is not None and p.eta >= 0 for p in seen)


async def test_credentials_never_reach_output_or_checkpoint(tmp_path: Path) -> None:
    async with serve("livechat", chats=40, seed=6, end=END) as sb:
        # The login is an agent's e-mail and belongs in the data; the key must not.
        secrets = [str(sb.credentials["api_key"])]
        assert len(secrets[0]) >= 8
        async with sb.client(retry_policy=NO_WAIT) as client:
            out = tmp_path / "c.jsonl"
            await chatapi.export(client, "chats", out, include_raw=True)
    text = out.read_text() + checkpoint_path(out).read_text()
    for secret in secrets:
        assert secret not in text


# -- real processes: SIGKILL and SIGINT ----------------------------------------------------------

EXPORT_SCRIPT = """
import asyncio, json, os, sys
import chatapi

async def main():
    creds = json.loads(os.environ["SANDBOX_CREDENTIALS"])
    async with chatapi.connect("livechat", **creds, max_concurrency=2) as client:
        report = await chatapi.export(client, "chats", sys.argv[1], resume=True)
        print(report.records_written)

try:
    asyncio.run(main())
except KeyboardInterrupt:
    sys.exit(130)
"""


def _start_export(out: Path, credentials: dict[str, Any]) -> subprocess.Popen[str]:
    env = {**os.environ, "SANDBOX_CREDENTIALS": json.dumps(credentials)}
    return subprocess.Popen(
        [sys.executable, "-c", EXPORT_SCRIPT, str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_pages(out: Path, pages: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    ckpt = checkpoint_path(out)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"export ended early: {proc.communicate()}")
        try:
            if json.loads(ckpt.read_text())["pages"] >= pages:
                return
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            pass
        time.sleep(0.02)
    raise AssertionError("export made no progress")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_export_resumes_with_every_record_once(tmp_path: Path, sig: int) -> None:
    out = tmp_path / "chats.jsonl"
    with run_in_subprocess("livechat", chats=1500, seed=21, latency="30ms") as sb:
        proc = _start_export(out, sb.credentials)
        _wait_for_pages(out, 8, proc)
        proc.send_signal(sig)
        proc.communicate(timeout=30)
        if sig == signal.SIGINT:
            assert proc.returncode == 130
        state = json.loads(checkpoint_path(out).read_text())
        assert not state["complete"]
        assert state["offset"] <= out.stat().st_size
        with open(out, "rb") as fh:
            assert fh.read(state["offset"]).count(b"\n") == state["records"]
        proc = _start_export(out, sb.credentials)
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert stdout.strip() == "1500"

        async def full_listing() -> list[str]:
            async with chatapi.connect("livechat", **sb.credentials) as client:
                return [c.id for c in await client.chats().collect()]

        expected = asyncio.run(full_listing())
    ids = [r["id"] for r in read_jsonl(out)]
    assert len(ids) == 1500 == len(set(ids))
    assert ids == expected
