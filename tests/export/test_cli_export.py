"""``chatapi export`` and ``chatapi demo`` on the command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chatapi.cli import main
from chatapi.export import checkpoint_path
from chatapi.sandbox import SubprocessSandbox, run_in_subprocess

ENV_NAMES = [
    name for name in os.environ if name.startswith("CHATAPI_")
]  # isolate from the caller's environment


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SubprocessSandbox]:
    with run_in_subprocess("livechat", chats=600, seed=31, latency="5ms") as sb:
        yield sb


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, sandbox: SubprocessSandbox) -> dict[str, str]:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    values = {
        "CHATAPI_LIVECHAT_LOGIN": sandbox.credentials["login"],
        "CHATAPI_LIVECHAT_API_KEY": sandbox.credentials["api_key"],
        "CHATAPI_LIVECHAT_BASE_URL": sandbox.base_url,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def read_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_export_with_env_credentials(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "chats.jsonl"
    assert main(["export", "livechat", "chats", "-o", str(out), "--concurrency", "4"]) == 0
    ids = read_ids(out)
    assert len(ids) == 600 == len(set(ids))
    captured = capsys.readouterr()
    assert "records written" in captured.out and "600" in captured.out
    assert "pages 24/24" in captured.err  # the plain progress lines (not a TTY)
    assert env["CHATAPI_LIVECHAT_API_KEY"] not in captured.out + captured.err + out.read_text()
    assert env["CHATAPI_LIVECHAT_API_KEY"] not in checkpoint_path(out).read_text()


def test_dates_and_filters_reach_the_listing(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = tmp_path / "all.jsonl"
    missed = tmp_path / "missed.jsonl"
    assert main(["export", "livechat", "chats", "-o", str(everything), "--quiet"]) == 0
    command = ["export", "livechat", "chats", "-o", str(missed), "--filter", "type=missed_chat"]
    status = main([*command, "--quiet", "--raw"])
    assert status == 0
    rows = [json.loads(line) for line in missed.read_text().splitlines()]
    assert rows and all(r["missed"] and r["raw"]["type"] == "missed_chat" for r in rows)
    assert len(rows) < len(read_ids(everything))
    assert capsys.readouterr().out == ""  # --quiet


def test_missing_credentials_name_the_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("CHATAPI_"):
            monkeypatch.delenv(name)
    status = main(["export", "livechat", "chats", "-o", str(tmp_path / "x.jsonl")])
    assert status == 2
    err = capsys.readouterr().err
    assert "CHATAPI_LIVECHAT_LOGIN" in err and "CHATAPI_LIVECHAT_API_KEY" in err
    assert "CHATAPI_LIVECHAT_ACCESS_TOKEN" in err
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_credentials_file(
    sandbox: SubprocessSandbox,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    suffix: str,
) -> None:
    for name in list(os.environ):
        if name.startswith("CHATAPI_"):
            monkeypatch.delenv(name)
    creds = sandbox.credentials
    file = tmp_path / f"creds{suffix}"
    if suffix == ".toml":
        file.write_text(
            "[livechat]\n"
            f'login = "{creds["login"]}"\napi_key = "{creds["api_key"]}"\n'
            f'base_url = "{sandbox.base_url}"\n'
        )
    else:
        file.write_text(json.dumps({"livechat": creds}))
    out = tmp_path / "agents.jsonl"
    assert main(["export", "livechat", "agents", "-o", str(out), "--credentials", str(file)]) == 0
    assert len(read_ids(out)) == 8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--filter", "colour=blue"], "colour"),
        (["--filter", "novalue"], "NAME=VALUE"),
    ],
)
def test_usage_errors_exit_2(
    env: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    status = main(["export", "livechat", "chats", "-o", str(tmp_path / "o.jsonl"), *args])
    assert status == 2
    assert message in capsys.readouterr().err


def test_agents_take_no_dates(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    assert main(["export", "livechat", "agents", "-o", str(out), "--from", "2024-01-01"]) == 2


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "livechat", "chats", "-o", "x.jsonl", "--from", "01/02/2024"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_failure_exits_1_and_says_how_to_resume(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CHATAPI_LIVECHAT_API_KEY", "SENTINEL-wrong-key")
    status = main(["export", "livechat", "chats", "-o", str(tmp_path / "c.jsonl")])
    assert status == 1
    err = capsys.readouterr().err
    assert "AuthenticationError" in err and "--resume" in err
    assert "SENTINEL-wrong-key" not in err


def test_resume_with_other_filters_is_refused(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c.jsonl"
    assert main(["export", "livechat", "chats", "-o", str(out), "--quiet"]) == 0
    status = main(
        ["export", "livechat", "chats", "-o", str(out), "--resume", "--from", "2024-01-01"]
    )
    assert status == 2
    assert "cannot resume" in capsys.readouterr().err


def test_help_documents_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for name in ("CHATAPI_LIVECHAT_API_KEY", "CHATAPI_REVECHAT_AUTH_KEY", "CHATAPI_ACQUIRE_TOKEN"):
        assert name in text
    assert "--resume" in text


def test_ctrl_c_saves_the_checkpoint_and_resume_completes(tmp_path: Path) -> None:
    out = tmp_path / "chats.jsonl"
    with run_in_subprocess("livechat", chats=1500, seed=32, latency="40ms") as sb:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CHATAPI_")},
            "CHATAPI_LIVECHAT_LOGIN": sb.credentials["login"],
            "CHATAPI_LIVECHAT_API_KEY": sb.credentials["api_key"],
            "CHATAPI_LIVECHAT_BASE_URL": sb.base_url,
        }
        command = [sys.executable, "-m", "chatapi", "export", "livechat", "chats"]
        command += ["-o", str(out), "--concurrency", "2"]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if json.loads(checkpoint_path(out).read_text())["pages"] >= 5:
                    break
            except (FileNotFoundError, ValueError, KeyError):
                pass
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert b"--resume" in err
        state: dict[str, Any] = json.loads(checkpoint_path(out).read_text())
        assert not state["complete"] and state["pages"] >= 5
        with open(out, "rb") as fh:
            assert fh.read(state["offset"]).count(b"\n") == state["records"]
        done = subprocess.run(
            [*command, "--resume"], env=env, capture_output=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr
    ids = read_ids(out)
    assert len(ids) == 1500 == len(set(ids))


def test_demo_exports_every_supported_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--dir", str(folder), "--chats", "300", "--quiet"]) == 0
    assert len(read_ids(folder / "chats.jsonl")) == 300
    assert read_ids(folder / "agents.jsonl")
    assert read_ids(folder / "visitors.jsonl")
    assert (folder / "offline-messages.jsonl").exists()
    out = capsys.readouterr().out
    assert out.count("complete") == 4 and "NO" not in out
    # The vendor's demo of its writes: each record created once and read back.
    assert "created group 'Demo group'" in out and "read group" in out
    assert "created agent demo.agent@example.com" in out and "read agent" in out
    assert "created ticket for demo.customer@example.com" in out and "read ticket" in out


def test_terminal_gets_a_live_progress_bar_and_a_table(tmp_path: Path) -> None:
    import pty
    import select

    out = tmp_path / "chats.jsonl"
    with run_in_subprocess("livechat", chats=300, seed=33, latency="5ms") as sb:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CHATAPI_")},
            "CHATAPI_LIVECHAT_LOGIN": sb.credentials["login"],
            "CHATAPI_LIVECHAT_API_KEY": sb.credentials["api_key"],
            "CHATAPI_LIVECHAT_BASE_URL": sb.base_url,
            "COLUMNS": "120",
        }
        leader, follower = pty.openpty()
        command = [sys.executable, "-m", "chatapi", "export", "livechat", "chats", "-o", str(out)]
        proc = subprocess.Popen(command, env=env, stdout=follower, stderr=follower)
        os.close(follower)
        chunks = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        proc.wait(timeout=30)
        os.close(leader)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, screen
    assert "12/12" in screen  # rich's pages column, completed
    assert "━" in screen  # the bar itself
    assert "export summary" in screen and "300" in screen
    assert sb.credentials["api_key"] not in screen
