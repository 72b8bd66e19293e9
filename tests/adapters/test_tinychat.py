"""A third-party adapter installed as a package with one entry point works with every part
of chatapi, unchanged: connect, export, ``chatapi export``, ``chatapi sandbox``, ``chatapi
demo``, the pytest fixtures and the capability table (the contract suite covers it too,
see tests/contract/test_spec_contract.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import chatapi
from chatapi._capabilities import capability_table
from chatapi._registry import vendor_spec
from chatapi.cli import main
from chatapi.sandbox import Sandbox, run_in_subprocess, serve

NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=3)


def read_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_entry_point_names_the_spec() -> None:
    import chatapi_tinychat

    spec = vendor_spec("tinychat")
    assert spec is chatapi_tinychat.SPEC
    assert spec.credential_variables() == ({"token": "CHATAPI_TINYCHAT_TOKEN"},)
    assert "tinychat" in chatapi.vendor_names()


async def test_connect_lists_every_chat() -> None:
    async with serve("tinychat", chats=45, seed=4) as sb:
        async with chatapi.connect("tinychat", **sb.credentials, retry_policy=NO_WAIT) as client:
            chats = await client.chats().collect()
            one = await client.get_chat(chats[7].id)
        assert sb.stats.paths == {"GET /api/chats": 3, "GET /api/chats/{chat_id}": 1}
    assert len(chats) == 45 == len({c.id for c in chats}) == sb.dataset.chat_count
    assert one == chats[7]
    assert all(c.vendor == "tinychat" for c in chats)


async def test_errors_go_through_the_details_hook() -> None:
    async with serve("tinychat", chats=5) as sb:
        client = chatapi.connect("tinychat", **{**sb.credentials, "token": "wrong-token"})
        async with client:
            with pytest.raises(chatapi.AuthenticationError) as info:
                await client.chats().collect()
    assert info.value.vendor_code == "E401"
    assert "invalid token" in str(info.value)
    assert "wrong-token" not in str(info.value)


async def test_export_of_an_undeclared_operation_is_refused(tmp_path: Path) -> None:
    async with serve("tinychat", chats=5) as sb, sb.client() as client:
        with pytest.raises(chatapi.UnsupportedOperationError):
            await chatapi.export(client, "agents", tmp_path / "a.jsonl")
    assert not (tmp_path / "a.jsonl").exists()


def test_cli_export_writes_every_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with run_in_subprocess("tinychat", chats=64, seed=2) as child:
        monkeypatch.setenv("CHATAPI_TINYCHAT_TOKEN", child.credentials["token"])
        monkeypatch.setenv("CHATAPI_TINYCHAT_BASE_URL", child.base_url)
        out = tmp_path / "out.jsonl"
        assert main(["export", "tinychat", "chats", "-o", str(out)]) == 0
    ids = read_ids(out)
    assert len(ids) == 64 == len(set(ids))
    assert "records written" in capsys.readouterr().out


def test_cli_export_names_the_missing_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CHATAPI_TINYCHAT_TOKEN", raising=False)
    assert main(["export", "tinychat", "chats", "-o", str(tmp_path / "o.jsonl")]) == 2
    assert "CHATAPI_TINYCHAT_TOKEN" in capsys.readouterr().err


def test_cli_help_lists_the_vendor(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("export", "sandbox"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert "tinychat" in text
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "CHATAPI_TINYCHAT_TOKEN" in capsys.readouterr().out


def test_chatapi_sandbox_command_serves() -> None:
    # The console script, as a user runs it.
    script = Path(sys.executable).with_name("chatapi")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "chatapi"]
    process = subprocess.Popen(
        [*command, "sandbox", "tinychat", "--port", "0", "--chats", "12"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        credentials: dict[str, Any] = json.loads(process.stdout.readline().partition(":")[2])
        assert base_url.startswith("http://127.0.0.1:")
        assert credentials["base_url"] == base_url and credentials["token"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


async def test_sandbox_fixture_is_generated(chatapi_tinychat_sandbox: Sandbox) -> None:
    sb = chatapi_tinychat_sandbox
    assert sb.vendor == "tinychat" and sb.dataset.chat_count == 100
    async with sb.client(retry_policy=NO_WAIT) as client:
        assert len(await client.chats().collect()) == 100


def test_demo_runs_on_the_vendor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    args = ["demo", "--vendor", "tinychat", "--dir", str(folder), "--chats", "30", "--quiet"]
    assert main(args) == 0
    assert len(read_ids(folder / "chats.jsonl")) == 30
    assert sorted(p.name for p in folder.glob("*.jsonl")) == ["chats.jsonl"]


def test_capability_row() -> None:
    table = capability_table([vendor_spec("tinychat")])
    assert "| tinychat (`TinyChat`) | ✓ (no filters) | ✓ | — | — | — | — | — | — |" in table
    # The README's table stays the built-in vendors'.
    assert "tinychat" not in capability_table()
