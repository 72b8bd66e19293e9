"""pytest fixtures for testing code that uses chatapi, against chatapi's sandboxes.

Enable them in a ``conftest.py``::

    pytest_plugins = ["chatapi.testing"]

Then::

    async def test_export(chatapi_sandbox):
        sb = await chatapi_sandbox("livechat", chats=200, faults=Faults(error_503=0.1))
        async with sb.client() as client:
            assert len(await client.chats().collect()) == sb.dataset.chat_count

Requires ``pytest`` and ``pytest-asyncio`` (the ``test`` extra).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any, Protocol

import pytest
import pytest_asyncio

from ._core.retry import RetryPolicy
from .sandbox import Faults, Sandbox, serve

__all__ = [
    "SandboxFactory",
    "chatapi_faults",
    "chatapi_livechat_sandbox",
    "chatapi_retry_policy",
    "chatapi_sandbox",
]


class SandboxFactory(Protocol):
    """Starts a sandbox that stops when the test ends: ``await factory("livechat", ...)``.

    Keyword arguments are those of :func:`chatapi.sandbox.serve`.
    """

    async def __call__(self, vendor: str = "livechat", **options: Any) -> Sandbox: ...


@pytest_asyncio.fixture
async def chatapi_sandbox() -> AsyncIterator[SandboxFactory]:
    """A factory of sandboxes (any vendor, any options), all stopped after the test."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(vendor: str = "livechat", **options: Any) -> Sandbox:
            return await stack.enter_async_context(serve(vendor, **options))

        yield start


@pytest.fixture
def chatapi_faults() -> Faults:
    """The faults :func:`chatapi_livechat_sandbox` serves with (override to inject some)."""
    return Faults()


@pytest_asyncio.fixture
async def chatapi_livechat_sandbox(chatapi_faults: Faults) -> AsyncIterator[Sandbox]:
    """A LiveChat sandbox with 100 chats (seed 1) and :func:`chatapi_faults`."""
    async with serve("livechat", chats=100, seed=1, faults=chatapi_faults) as sandbox:
        yield sandbox


@pytest.fixture
def chatapi_retry_policy() -> RetryPolicy:
    """A retry policy that does not sleep, to keep fault-injection tests fast."""
    return RetryPolicy.no_wait(max_retries=5)
