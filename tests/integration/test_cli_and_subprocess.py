"""The ``chatapi sandbox`` command and sandboxes in a child process."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import chatapi
from chatapi.cli import main, parse_duration, sandbox_main
from chatapi.sandbox import run_in_subprocess

if TYPE_CHECKING:
    # Imported for typing only: pytest must import the plugin itself (assertion rewriting).
    from chatapi.testing import SandboxFactory


def test_sandbox_help_lists_vendors_and_faults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["sandbox", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for text in ("livechat", "revechat", "acquire", "--latency", "--rate-limit", "--fault-rate"):
        assert text in out


def test_bad_options_exit_with_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["sandbox", "livechat", "--fault-rate", "2"])
    assert exc.value.code == 2
    assert main(["sandbox", "livechat", "--error-500", "0.7", "--reset", "0.7"]) == 2


def test_python_m_entry_point_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        sandbox_main(["--help"])
    assert exc.value.code == 0
    assert "python -m chatapi.sandbox" in capsys.readouterr().out


def test_durations() -> None:
    assert parse_duration("50ms") == pytest.approx(0.05)
    assert parse_duration("0.5s") == 0.5
    assert parse_duration("2") == 2.0


async def test_run_in_subprocess_serves_the_same_data() -> None:
    options = {"chats": 120, "seed": 4, "fault_rate": 0.1, "max_faults_per_request": 2}
    with run_in_subprocess("livechat", **options) as child:
        assert child.base_url.startswith("http://127.0.0.1:")
        async with child.client(retry_policy=chatapi.RetryPolicy.no_wait()) as client:
            chats = await client.chats().collect()
    assert len(chats) == 120 == len({c.id for c in chats})
    assert child.process.returncode is not None


async def test_pytest_plugin_factory(
    chatapi_sandbox: SandboxFactory, chatapi_retry_policy: chatapi.RetryPolicy
) -> None:
    sb = await chatapi_sandbox("livechat", chats=40, seed=2)
    async with sb.client(retry_policy=chatapi_retry_policy) as client:
        assert len(await client.chats().collect()) == 40


async def test_pytest_plugin_livechat_fixture(chatapi_livechat_sandbox: object) -> None:
    sb = chatapi_livechat_sandbox
    assert sb.dataset.chat_count == 100
