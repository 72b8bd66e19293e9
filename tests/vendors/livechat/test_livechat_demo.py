"""The demo's write-once helper: a write whose answer is lost is read back, not repeated."""

from __future__ import annotations

import pytest

from chatapi.errors import APIConnectionError, ServerError, make_status_error
from chatapi.vendors.livechat._demo import _once


class Store:
    def __init__(self, failures: list[Exception], *, applied_anyway: bool) -> None:
        self.failures = failures
        self.applied_anyway = applied_anyway
        self.records: list[str] = []
        self.sent = 0

    async def create(self) -> str:
        self.sent += 1
        if self.failures:
            error = self.failures.pop(0)
            if self.applied_anyway:
                self.records.append("r")
            raise error
        self.records.append("r")
        return "r"

    async def find(self) -> str | None:
        return self.records[0] if self.records else None


async def test_an_applied_write_whose_answer_was_lost_is_found_not_repeated() -> None:
    store = Store([APIConnectionError("reset", sent=True)], applied_anyway=True)
    record, said = await _once("thing", store.create, store.find)
    assert record == "r" and store.sent == 1 and store.records == ["r"]
    assert "found on read-back" in said


async def test_a_write_proved_unapplied_by_read_back_is_sent_again() -> None:
    error = make_status_error(500, "boom")
    assert isinstance(error, ServerError)
    store = Store([error], applied_anyway=False)
    record, said = await _once("thing", store.create, store.find)
    assert record == "r" and store.sent == 2 and store.records == ["r"]
    assert "not applied: sent again" in said


async def test_the_last_attempt_raises() -> None:
    failures: list[Exception] = [make_status_error(500, "a") for _ in range(3)]
    store = Store(failures, applied_anyway=False)
    with pytest.raises(ServerError):
        await _once("thing", store.create, store.find)
    assert store.sent == 3 and not store.records
