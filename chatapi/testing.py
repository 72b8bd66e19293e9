"""pytest fixtures for testing code that uses chatapi, against chatapi's sandboxes.

Enable them in a ``conftest.py``::

    pytest_plugins = ["chatapi.testing"]

Then::

    async def test_export(chatapi_sandbox):
        sb = await chatapi_sandbox("livechat", chats=200, faults=Faults(error_503=0.1))
        async with sb.client() as client:
            assert len(await client.chats().collect()) == sb.dataset.chat_count

Every installed vendor whose spec ships a sandbox (a third-party one too) gets a
``chatapi_<name>_sandbox`` fixture: that vendor's sandbox with 100 chats (seed 1) and
:func:`chatapi_faults`.

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
from ._registry import vendor_names, vendor_spec
from .errors import ConfigurationError
from .sandbox import Faults, Sandbox, default_vendor, serve

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
    "chatapi_retry_policy",
    "chatapi_sandbox",
    "sandbox_fixture_name",
]


class SandboxFactory(Protocol):
    """Starts a sandbox that stops when the test ends: ``await factory("livechat", ...)``.

    The vendor defaults to the first built-in vendor that ships a sandbox. Keyword
    arguments are those of :func:`chatapi.sandbox.serve`.
    """

    async def __call__(self, vendor: str | None = None, **options: Any) -> Sandbox: ...


@_async_fixture
async def chatapi_sandbox() -> AsyncIterator[SandboxFactory]:
    """A factory of sandboxes (any vendor, any options), all stopped after the test."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(vendor: str | None = None, **options: Any) -> Sandbox:
            name = vendor if vendor is not None else default_vendor()
            return await stack.enter_async_context(serve(name, **options))

        yield start


@pytest.fixture
def chatapi_faults() -> Faults:
    """The faults the ``chatapi_<vendor>_sandbox`` fixtures serve with (override to inject
    some)."""
    return Faults()


@pytest.fixture
def chatapi_retry_policy() -> RetryPolicy:
    """A retry policy that does not sleep, to keep fault-injection tests fast."""
    return RetryPolicy.no_wait(max_retries=5)


def sandbox_fixture_name(vendor: str) -> str:
    """The name of ``vendor``'s sandbox fixture: ``chatapi_<vendor>_sandbox``."""
    return f"chatapi_{vendor}_sandbox"


def _sandbox_fixture(vendor: str, title: str) -> Any:
    async def fixture(chatapi_faults: Faults) -> AsyncIterator[Sandbox]:
        async with serve(vendor, chats=100, seed=1, faults=chatapi_faults) as sandbox:
            yield sandbox

    fixture.__name__ = fixture.__qualname__ = sandbox_fixture_name(vendor)
    fixture.__doc__ = f"A {title} sandbox with 100 chats (seed 1) and :func:`chatapi_faults`."
    return _async_fixture(fixture)


def _vendor_fixtures() -> dict[str, Any]:
    """One fixture per installed vendor that ships a sandbox (unloadable vendors skipped:
    an auto-loaded plugin must never break a test run)."""
    fixtures: dict[str, Any] = {}
    for name in vendor_names():
        try:
            spec = vendor_spec(name)
        except ConfigurationError:
            continue
        if spec.sandbox is not None:
            fixtures[sandbox_fixture_name(name)] = _sandbox_fixture(name, spec.title)
    return fixtures


_GENERATED = _vendor_fixtures()
globals().update(_GENERATED)
__all__ += sorted(_GENERATED)
