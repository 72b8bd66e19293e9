"""NestedPages: a listing of listings run by the one engine (outer pages, inner Pagers)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from chatapi.errors import PaginationError
from chatapi.pagination import (
    KnownTotal,
    NestedPages,
    Page,
    Pager,
    Params,
    UntilShortPage,
)

# Outer records 1..5, two a page; inner record lists per outer record.
OUTER = [1, 2, 3, 4, 5]
INNER = {1: ["1a", "1b", "1c"], 2: [], 3: ["3a"], 4: ["4a", "4b"], 5: ["5a"]}


class Vendor:
    def __init__(self, inner: dict[int, list[str]] = INNER, *, repeat: int | None = None) -> None:
        self.inner = inner
        self.repeat = repeat
        self.calls: Counter[tuple[str, int, int]] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0

    async def outer(self, params: Params, number: int) -> Page[int]:
        self.calls["outer", 0, number] += 1
        chunk = tuple(OUTER[(number - 1) * 2 : number * 2])
        return Page(items=chunk, number=number, total=len(OUTER))

    def inner_pager(self, record: int) -> Pager[str]:
        async def fetch(params: Params, number: int) -> Page[str]:
            self.calls["inner", record, number] += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            await asyncio.sleep(0.01)
            self.in_flight -= 1
            if record == self.repeat:
                return Page(items=("r1", "r2"), number=number)
            rows = self.inner[record]
            return Page(items=tuple(rows[(number - 1) * 2 : number * 2]), number=number)

        return Pager(fetch, {}, UntilShortPage(per_page=2), concurrency=1, key=lambda x: x)


async def test_nested_pages_expand_every_outer_record_in_order() -> None:
    vendor = Vendor()
    fetch = NestedPages(vendor.outer, vendor.inner_pager, per_page=2)
    pager = Pager(fetch, {}, KnownTotal(), concurrency=4, key=lambda pair: pair[1])
    pairs = await pager.collect()
    assert pairs == [(1, "1a"), (1, "1b"), (1, "1c"), (3, "3a"), (4, "4a"), (4, "4b"), (5, "5a")]
    # Each outer page once; each inner listing until its short page, once per page.
    assert {k: v for k, v in vendor.calls.items() if k[0] == "outer"} == {
        ("outer", 0, 1): 1,
        ("outer", 0, 2): 1,
        ("outer", 0, 3): 1,
    }
    assert all(count == 1 for count in vendor.calls.values())
    assert vendor.calls["inner", 1, 2] == 1  # record 1's second page (a short one)
    assert ("inner", 1, 3) not in vendor.calls
    # The outer total counts outer records: none is announced for the pairs.
    assert pager.total is None
    # Inner listings of the outer pages ran concurrently.
    assert vendor.most_in_flight > 1


async def test_a_repeated_inner_page_raises() -> None:
    vendor = Vendor(repeat=3)
    fetch = NestedPages(vendor.outer, vendor.inner_pager, per_page=2)
    pager = Pager(fetch, {}, KnownTotal(), concurrency=2, key=lambda pair: pair[1])
    with pytest.raises(PaginationError, match="repeats the previous page"):
        await pager.collect()
    # The inner listing stopped at its first repeat.
    assert vendor.calls["inner", 3, 2] == 1
    assert ("inner", 3, 3) not in vendor.calls


async def test_without_a_count_a_short_outer_page_is_the_last() -> None:
    async def outer(params: Params, number: int) -> Page[int]:
        return Page(items=tuple(OUTER[(number - 1) * 2 : number * 2]), number=number)

    def inner(record: int) -> Pager[Any]:
        async def fetch(params: Params, number: int) -> Page[str]:
            return Page(items=(f"{record}x",) if number == 1 else (), number=number)

        return Pager(fetch, {}, UntilShortPage(per_page=2), concurrency=1)

    fetch = NestedPages(outer, inner, per_page=2)
    page = await fetch({}, 3)
    assert page.page_count == 3 and page.items == ((5, "5x"),)
    assert (await fetch({}, 1)).page_count is None
