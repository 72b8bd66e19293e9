"""``chatapi migrate`` from the command line: credentials files per side, the report table,
the exit status, and a dry run that writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chatapi.cli import main
from chatapi.sandbox import run_in_subprocess


def toml(vendor: str, credentials: dict[str, Any], path: Path) -> Path:
    lines = [f"[{vendor}]"] + [f"{key} = {json.dumps(value)}" for key, value in credentials.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_migrates_livechat_to_livechat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (
        run_in_subprocess("livechat", chats=12, seed=2) as src,
        run_in_subprocess("livechat", chats=2, seed=8, agents=2) as dst,
    ):
        source = toml("livechat", src.credentials, tmp_path / "source.toml")
        target = toml("livechat", dst.credentials, tmp_path / "target.toml")
        common = [
            "migrate",
            "livechat",
            "livechat",
            "--kinds",
            "groups,agents,offline-messages",
            "--state",
            str(tmp_path / "m.db"),
            "--source-credentials",
            str(source),
            "--target-credentials",
            str(target),
            "--quiet",
        ]
        assert main([*common, "--dry-run"]) == 0
        dry = capsys.readouterr().out
        assert "dry run" in dry and "reconciles" in dry
        assert main([*common, "--archive", str(tmp_path / "archive")]) == 0
        out = capsys.readouterr().out
        assert "offline_messages" in out and "create_ticket" in out and "reconciles" in out
        assert (tmp_path / "archive" / "agents.jsonl").exists()
        saved = json.loads((tmp_path / "m.db.report.json").read_text())
        assert saved["reconciles"] and not saved["dry_run"]
        # Visitors cannot go to LiveChat: refused before any request, a usage error.
        assert main([*common[:4], "visitors", *common[5:]]) == 2
        assert "cannot hold them" in capsys.readouterr().err
