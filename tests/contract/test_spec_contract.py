"""The contract every installed vendor keeps, read from its spec and driven by its sandbox.

Parametrized over every spec of :func:`chatapi._registry.vendor_specs` (built-in and
third-party, such as the test adapter ``tests/adapters/tinychat``) x each generation its
sandbox serves: a vendor joins by being installed, with nothing to write here.

- every normalized listing the generation's class declares returns the dataset's records,
  each once;
- each ``get_*`` lookup it declares returns a record the listing returned;
- an unknown filter is a ``TypeError`` and an undeclared operation an
  ``UnsupportedOperationError``, both before any request;
- chats and offline messages are disjoint.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import attrs
import pytest

import chatapi
from chatapi import BaseClient
from chatapi._capabilities import supports
from chatapi._registry import vendor_specs
from chatapi.operations import OPERATIONS, Operation
from chatapi.sandbox import Dataset, Sandbox, serve
from chatapi.spec import Generation, VendorSpec

Start = Callable[["Case"], Awaitable[Sandbox]]
NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=2)

#: (vendor, generation, case) -> reason: adapter deviations from the generic contract; those
#: cases run as ``xfail(strict=True)``, so they fail once fixed (then remove the entry).
KNOWN_BUGS: Mapping[tuple[str, str, str], str] = {
    ("acquire", "v1", "get-visitors"): "Acquire v1 get_visitor() takes the profile id "
    "(visitor.raw['id']), not Visitor.id (documented on AcquireV1.get_visitor; the lookup "
    "should accept the id its listing gives)",
}

#: How many records the sandbox's dataset holds for each normalized listing.
EXPECTED: Mapping[str, Callable[[Dataset], int]] = {
    "chats": lambda data: data.chat_count,
    "offline_messages": lambda data: data.offline_count,
    "agents": lambda data: len(data.agents),
    "visitors": lambda data: data.visitor_count,
}


@attrs.frozen
class Case:
    """One vendor generation with a sandbox."""

    spec: VendorSpec
    generation: Generation

    @property
    def id(self) -> str:
        if len(self.spec.generations) == 1:
            return self.spec.name
        return f"{self.spec.name}-{self.generation.name}"

    def supports(self, operation: str) -> bool:
        return supports(self.generation.client, operation)


def _cases() -> list[Case]:
    cases = []
    for spec in vendor_specs():
        app = spec.load_sandbox()
        if app is None:
            continue
        for generation in spec.generations:
            if generation.name in app.generations:
                cases.append(Case(spec, generation))
    return cases


CASES = _cases()


def _marks(case: Case, name: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN_BUGS.get((case.spec.name, case.generation.name, name))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _params(name: str, want: Callable[[Case], bool] = lambda case: True) -> list[object]:
    return [
        pytest.param(case, id=case.id, marks=_marks(case, name)) for case in CASES if want(case)
    ]


def _listing_params(kind: str, want: Callable[[Case, Operation], bool]) -> list[object]:
    return [
        pytest.param(case, op, id=f"{case.id}-{op.name}", marks=_marks(case, f"{kind}-{op.name}"))
        for case in CASES
        for op in OPERATIONS
        if want(case, op)
    ]


@pytest.fixture
async def started() -> AsyncIterator[Start]:
    """Start a case's sandbox (small data, all of it inside every default date window)."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(case: Case) -> Sandbox:
            return await stack.enter_async_context(
                serve(
                    case.spec.name,
                    generation=case.generation.name,
                    chats=30,
                    seed=5,
                    agents=4,
                    offline_messages=7,
                    # Offline messages fall in the last days: inside every default window.
                    start=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3),
                )
            )

        yield start


async def _client(start: Start, case: Case) -> tuple[Sandbox, BaseClient]:
    sandbox = await start(case)
    client = sandbox.client(retry_policy=NO_WAIT)
    # The sandbox's credentials select the generation's class.
    assert type(client) is case.generation.client
    return sandbox, client


def test_every_installed_vendor_with_a_sandbox_is_covered() -> None:
    ids = {case.id for case in CASES}
    assert "tinychat" in ids, (
        "the test adapter package chatapi-tinychat is not installed: run `make venv`"
    )
    for spec in vendor_specs():
        if spec.sandbox is not None:
            assert any(case.spec is spec for case in CASES), spec.name


def test_every_operation_has_an_expected_count() -> None:
    assert set(EXPECTED) == {op.name for op in OPERATIONS}


@pytest.mark.parametrize(
    ("case", "op"), _listing_params("count", lambda case, op: case.supports(op.name))
)
async def test_listing_returns_the_dataset(started: Start, case: Case, op: Operation) -> None:
    sandbox, client = await _client(started, case)
    async with client:
        records = await getattr(client, op.name)().collect()
    assert len(records) == EXPECTED[op.name](sandbox.dataset)
    assert len({r.id for r in records}) == len(records)
    assert all(isinstance(r, op.model) for r in records)
    assert all(getattr(r, "vendor", case.spec.name) == case.spec.name for r in records)


@pytest.mark.parametrize(
    ("case", "op"),
    _listing_params("get", lambda case, op: case.supports(op.name) and case.supports(op.get)),
)
async def test_lookup_returns_a_listed_record(started: Start, case: Case, op: Operation) -> None:
    _, client = await _client(started, case)
    async with client:
        records = await getattr(client, op.name)().collect()
        assert records, f"the {case.id} sandbox lists no {op.name}"
        for record in (records[0], records[-1]):
            found = await getattr(client, op.get)(record.id)
            assert isinstance(found, op.model)
            assert found.id == record.id


@pytest.mark.parametrize("case", _params("filters"))
async def test_unknown_filter_is_a_type_error_before_any_request(
    started: Start, case: Case
) -> None:
    sandbox, client = await _client(started, case)
    async with client:
        for op in OPERATIONS:
            if case.supports(op.name):
                with pytest.raises(TypeError, match="zz_not_a_filter"):
                    getattr(client, op.name)(zz_not_a_filter="1")
    assert sandbox.stats.requests == 0


@pytest.mark.parametrize("case", _params("undeclared"))
async def test_undeclared_operations_raise_before_any_request(started: Start, case: Case) -> None:
    sandbox, client = await _client(started, case)
    async with client:
        for op in OPERATIONS:
            if not case.supports(op.name):
                with pytest.raises(chatapi.UnsupportedOperationError):
                    getattr(client, op.name)()
            if not case.supports(op.get):
                with pytest.raises(chatapi.UnsupportedOperationError):
                    await getattr(client, op.get)("1")
    assert sandbox.stats.requests == 0


@pytest.mark.parametrize(
    "case",
    _params("disjoint", lambda case: case.supports("chats") and case.supports("offline_messages")),
)
async def test_chats_and_offline_messages_are_disjoint(started: Start, case: Case) -> None:
    _, client = await _client(started, case)
    async with client:
        chats = {c.id for c in await client.chats().collect()}
        offline = {m.id for m in await client.offline_messages().collect()}
    assert offline, f"the {case.id} sandbox lists no offline messages"
    assert not chats & offline, f"offline messages listed as chats: {sorted(chats & offline)}"
