"""pytest fixtures for testing code that uses chatapi, against chatapi's sandboxes.

Enable them in a ``conftest.py``::

    pytest_plugins = ["chatapi.testing"]

Then::

    async def test_export(chatapi_sandbox):
        sb = await chatapi_sandbox("livechat", chats=200, faults=Faults(error_503=0.1))
        async with sb.client() as client:
            assert len(await client.chats().collect()) == sb.dataset.chat_count

Requires ``pytest`` and ``pytest-asyncio`` (the ``test`` extra). Without pytest-asyncio
the module still imports (so an auto-loaded plugin never breaks a test run); the async
fixtures then fail with a message saying what to install.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol, TypeVar, cast

import pytest

from ._core.retry import RetryPolicy
from .sandbox import Faults, Sandbox, serve

F = TypeVar("F", bound=Callable[..., Any])


def _async_fixture(function: F) -> F:
    """``pytest_asyncio.fixture``, or a fixture explaining it is missing."""
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - exercised only without the test extra

        @pytest.fixture(name=function.__name__)
        def missing() -> None:
            pytest.fail(f"the {function.__name__} fixture needs pytest-asyncio installed")

        return cast(F, missing)
    return cast(F, pytest_asyncio.fixture(function))


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


@_async_fixture
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


@_async_fixture
async def chatapi_livechat_sandbox(chatapi_faults: Faults) -> AsyncIterator[Sandbox]:
    """A LiveChat sandbox with 100 chats (seed 1) and :func:`chatapi_faults`."""
    async with serve("livechat", chats=100, seed=1, faults=chatapi_faults) as sandbox:
        yield sandbox


@pytest.fixture
def chatapi_retry_policy() -> RetryPolicy:
    """A retry policy that does not sleep, to keep fault-injection tests fast."""
    return RetryPolicy.no_wait(max_retries=5)
