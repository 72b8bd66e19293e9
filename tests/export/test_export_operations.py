"""Export kinds come from the operations table: visitors export, unsupported kinds refuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import chatapi
import chatapi._registry
from chatapi.cli import main
from chatapi.export import KINDS, checkpoint_path
from chatapi.operations import OPERATIONS
from chatapi.sandbox import serve

NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=2)


def read_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_kinds_are_the_operations() -> None:
    assert tuple(op.name for op in OPERATIONS) == KINDS
    assert "visitors" in KINDS


async def test_export_visitors_from_a_sandbox(tmp_path: Path) -> None:
    async with serve("revechat", chats=60, seed=3) as sb, sb.client(retry_policy=NO_WAIT) as client:
        listed = await client.visitors().collect()
        out = tmp_path / "visitors.jsonl"
        report = await chatapi.export(client, "visitors", out)
    assert listed
    assert report.kind == "visitors" and report.complete
    assert report.records_written == len(listed)
    assert read_ids(out) == [v.id for v in listed]


async def test_unsupported_kind_raises_before_writing(tmp_path: Path) -> None:
    async with serve("acquire", chats=5, seed=1, generation="v2") as sb:
        async with sb.client(retry_policy=NO_WAIT) as client:
            out = tmp_path / "v.jsonl"
            with pytest.raises(chatapi.UnsupportedOperationError):
                await chatapi.export(client, "offline_messages", out)
        assert sb.stats.requests == 0
    assert not out.exists() and not checkpoint_path(out).exists()


async def test_unknown_kind_is_a_value_error(tmp_path: Path) -> None:
    async with serve("livechat", chats=5, seed=1) as sb, sb.client() as client:
        with pytest.raises(ValueError, match="visitors"):
            await chatapi.export(client, "contacts", tmp_path / "x.jsonl")


def test_cli_exports_visitors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from chatapi.sandbox import run_in_subprocess

    with run_in_subprocess("revechat", chats=60, seed=3, generation="current") as sb:
        for key, value in sb.credentials.items():
            monkeypatch.setenv(f"CHATAPI_REVECHAT_{key.upper()}", str(value))
        out = tmp_path / "visitors.jsonl"
        assert main(["export", "revechat", "visitors", "-o", str(out), "--quiet"]) == 0
    assert read_ids(out)


def test_cli_unsupported_kind_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Acquire v2 (api_key + account_id) keeps no offline messages.
    monkeypatch.setenv("CHATAPI_ACQUIRE_API_KEY", "key")
    monkeypatch.setenv("CHATAPI_ACQUIRE_ACCOUNT_ID", "acct")
    monkeypatch.setenv("CHATAPI_ACQUIRE_BASE_URL", "http://127.0.0.1:9")
    out = tmp_path / "v.jsonl"
    assert main(["export", "acquire", "offline-messages", "-o", str(out)]) == 2
    assert "offline" in capsys.readouterr().err
    assert not out.exists()


def test_help_lists_every_kind_and_vendor(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    for op in OPERATIONS:
        assert op.cli_name in text
    for spec in chatapi._registry.vendor_specs():
        for alternative in spec.credential_variables():
            for variable in alternative.values():
                assert variable in text
