"""The webhook parser modules are pure: they import no HTTP or I/O library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "chatapi" / "vendors"
PARSERS = [
    ROOT / "livechat" / "_webhooks.py",
    ROOT / "acquire" / "_webhooks.py",
    ROOT / "acquire" / "_webhooks_v1.py",
]
FORBIDDEN = {"aiohttp", "asyncio", "socket", "requests", "httpx", "urllib", "os", "pathlib"}


@pytest.mark.parametrize("path", PARSERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parser_module_imports_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open":
            pytest.fail(f"{path.name} calls open()")
    assert not imported & FORBIDDEN
    assert len(path.read_text().splitlines()) <= 300
