"""The test adapter package must be installed: ``make venv`` installs it."""

from __future__ import annotations

import importlib.util

import pytest

INSTALL_HINT = (
    "the test adapter package chatapi-tinychat is not installed: run `make venv` "
    "(it runs `pip install -e tests/adapters/tinychat`)"
)


def require_tinychat() -> None:
    """Fail (never skip) when the test adapter package is missing."""
    from chatapi import vendor_names

    if importlib.util.find_spec("chatapi_tinychat") is None or "tinychat" not in vendor_names():
        pytest.fail(INSTALL_HINT, pytrace=False)


@pytest.fixture(autouse=True)
def _tinychat_installed() -> None:
    require_tinychat()
