"""Fixtures of the sandbox's own tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


@pytest.fixture
def sample() -> Callable[[str], Any]:
    """Loads a body from ``tests/fixtures/samples`` (see PROVENANCE.md there)."""

    def load(name: str) -> Any:
        return json.loads((SAMPLES / name).read_text(encoding="utf-8"))

    return load
