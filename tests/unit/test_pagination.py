"""The pagination engine, driven by in-memory page sources (no HTTP)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
from collections.abc import Mapping
from contextlib import aclosing
from typing import Any

import pytest

from chatapi import Page, PaginationError
from chatapi.pagination import (
    Cursor,
    DateWindowed,
    KnownTotal,
    Pager,
    Params,
    Segment,
    SinglePage,
    UntilEmpty,
)


class Source:
    """A paged listing of ``records`` with instrumentation of what the engine asked."""

    def __init__(self, records: list[str], per_page: int, *, delay: float = 0.0) -> None:
        self.records = records
        self.per_page = per_page
        self.delay = delay
        self.requested: list[int] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.finished = 0
        self.cancelled = 0

    async def fetch(self, params: Params, number: int) -> Page[str]:
        self.requested.append(number)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay if number > 2 else 0.001)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1
        self.finished += 1
        start = (number - 1) * self.per_page
        items = tuple(self.records[start : start + self.per_page])
        total = len(self.records)
        return Page(
            items=items,
            number=number,
            raw={"n": number},
            total=total,
            page_count=math.ceil(total / self.per_page),
        )


def ident(item: str) -> str:
    return item


@pytest.mark.parametrize(("n", "per_page", "concurrency"), [(0, 5, 3), (1, 5, 3), (103, 7, 4)])
async def test_known_total_yields_every_item_once_in_order(
    n: int, per_page: int, concurrency: int
) -> None:
    records = [f"r{i}" for i in range(n)]
    source = Source(records, per_page, delay=0.001)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=concurrency, key=ident)
    assert await pager.collect() == records
    assert pager.total == n
    assert pager.report.expected == n
    assert pager.report.received == n
    assert pager.report.complete
    assert sorted(source.requested) == list(range(1, max(math.ceil(n / per_page), 1) + 1))


async def test_fan_out_is_concurrent_but_bounded() -> None:
    source = Source([str(i) for i in range(200)], 5, delay=0.005)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=4, key=ident)
    # The engine starts at most 2 x concurrency pages ahead of the consumer; the client's
    # gate (not present here) narrows that to `concurrency` requests on the wire.
    await pager.collect()
    assert 4 <= source.max_in_flight <= 8


async def test_slow_consumer_holds_bounded_buffer() -> None:
    source = Source([str(i) for i in range(500)], 5, delay=0.0)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=3, key=ident)
    seen = 0
    async for _ in pager:
        seen += 1
        if seen % 5 == 0:
            await asyncio.sleep(0.001)
            # Pages finished but not yet consumed stay within two per concurrency slot.
            consumed_pages = seen // 5
            assert source.finished - consumed_pages <= 2 * 3
    assert seen == 500


async def test_breaking_out_cancels_in_flight_requests() -> None:
    source = Source([str(i) for i in range(1000)], 10, delay=0.05)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=8, key=ident)
    pages = pager.pages()
    async for page in pages:
        if page.number == 2:  # the fan-out has started
            break
    await pages.aclose()
    assert source.in_flight == 0
    assert source.cancelled > 0
    assert source.finished < 100
    others = asyncio.all_tasks() - {asyncio.current_task()}
    assert all(task.done() for task in others)
    assert len(source.requested) <= 1 + 16


async def test_break_in_item_loop_cancels_too() -> None:
    source = Source([str(i) for i in range(1000)], 10, delay=0.05)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=8, key=ident)
    items = pager.__aiter__()
    async for item in items:
        if item == "15":
            break
    await items.aclose()  # what the event loop's async-generator finalizer does on `break`
    assert source.in_flight == 0
    assert source.cancelled > 0
    assert source.finished < 100
    others = asyncio.all_tasks() - {asyncio.current_task()}
    assert all(task.done() for task in others)


async def test_error_mid_listing_propagates_and_cancels_the_rest() -> None:
    source = Source([str(i) for i in range(100)], 5, delay=0.01)

    async def failing(params: Params, number: int) -> Page[str]:
        if number == 4:
            raise RuntimeError("page 4 broke")
        return await source.fetch(params, number)

    pager = Pager(failing, {}, KnownTotal(), concurrency=4, key=ident)
    got: list[str] = []
    with pytest.raises(RuntimeError, match="page 4"):
        async for item in pager:
            got.append(item)
    assert got == [str(i) for i in range(15)]
    await asyncio.sleep(0)
    assert source.in_flight == 0


async def test_duplicates_and_repeated_pages_are_dropped_and_reported() -> None:
    pages = {
        1: ("a", "b", "c"),
        2: ("c", "d", "e"),  # "c" shifted over the page boundary
        3: ("c", "d", "e"),  # the same page again
        4: ("f",),
    }

    async def fetch(params: Params, number: int) -> Page[str]:
        return Page(items=pages[number], number=number, total=9, page_count=4)

    pager = Pager(fetch, {}, KnownTotal(), concurrency=2, key=ident)
    assert await pager.collect() == ["a", "b", "c", "d", "e", "f"]
    report = pager.report
    assert report.duplicates_dropped == 4
    assert report.repeated_pages == 1
    assert report.received == 6
    assert report.expected == 9
    assert report.missing == 3
    assert not report.complete


async def test_until_empty_stops_at_first_empty_page_and_bounds_waste() -> None:
    records = [str(i) for i in range(37)]  # 8 pages of 5 (last partial), then empty
    source = Source(records, 5, delay=0.002)

    async def no_total(params: Params, number: int) -> Page[str]:
        page = await source.fetch(params, number)
        return Page(items=page.items, number=number)

    pager = Pager(no_total, {}, UntilEmpty(), concurrency=4, key=ident)
    assert await pager.collect() == records
    assert pager.total is None
    assert pager.report.wasted_requests <= 4
    beyond_end = [n for n in source.requested if n > 9]
    assert len(beyond_end) <= 4


async def test_until_empty_never_yields_past_the_empty_page() -> None:
    async def fetch(params: Params, number: int) -> Page[str]:
        # An anomaly: page 3 is empty but page 4 has data again.
        return Page(items=() if number == 3 else (f"p{number}",), number=number)

    pager = Pager(fetch, {}, UntilEmpty(), concurrency=4, key=ident)
    assert await pager.collect() == ["p1", "p2"]


async def test_single_page() -> None:
    async def fetch(params: Params, number: int) -> Page[str]:
        assert dict(params) == {"status": "offline"}
        return Page(items=("x", "y"), number=number)

    pager = Pager(fetch, {"status": "offline"}, SinglePage(), concurrency=4, key=ident)
    assert await pager.collect() == ["x", "y"]
    assert pager.total == 2


async def test_each_iteration_restarts_the_listing() -> None:
    source = Source([str(i) for i in range(12)], 5)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=2, key=ident)
    first = await pager.collect()
    second = await pager.collect()
    assert first == second == [str(i) for i in range(12)]
    assert pager.report.duplicates_dropped == 0


class CappedArchive:
    """A LiveChat-like archive: newest first, 25 per page, only `cap` records per query."""

    def __init__(self, per_day: Mapping[dt.date, int], *, cap: int, per_page: int) -> None:
        self.records: list[tuple[dt.date, str]] = []
        for day in sorted(per_day, reverse=True):
            self.records.extend((day, f"{day.isoformat()}#{i}") for i in range(per_day[day]))
        self.cap = cap
        self.per_page = per_page
        self.queries: list[dict[str, Any]] = []

    async def fetch(self, params: Params, number: int) -> Page[str]:
        self.queries.append({**params, "page": number})
        start = dt.date.fromisoformat(str(params["date_from"])) if "date_from" in params else None
        end = dt.date.fromisoformat(str(params["date_to"])) if "date_to" in params else None
        match = [
            rid
            for day, rid in self.records
            if (start is None or day >= start) and (end is None or day <= end)
        ]
        served = match[: self.cap]
        chunk = served[(number - 1) * self.per_page : number * self.per_page]
        await asyncio.sleep(0)
        return Page(
            items=tuple(chunk),
            number=number,
            total=len(match),
            page_count=math.ceil(len(served) / self.per_page),
        )


async def test_date_windows_split_above_cap_exactly_once_newest_first() -> None:
    days = {dt.date(2024, 1, 1) + dt.timedelta(days=i): 7 + (i % 5) for i in range(30)}
    archive = CappedArchive(days, cap=50, per_page=5)
    strategy = DateWindowed(cap=50, per_page=5, from_param="date_from", to_param="date_to")
    pager = Pager(
        archive.fetch,
        {"date_from": "2024-01-01", "date_to": "2024-01-30", "query": "x"},
        strategy,
        concurrency=4,
        key=ident,
    )
    got = await pager.collect()
    expected = [rid for _, rid in archive.records]
    assert got == expected  # every record, once, newest first
    assert pager.report.windows > 1
    assert pager.report.expected == len(expected)
    assert pager.report.complete
    assert all(q["query"] == "x" for q in archive.queries)


async def test_date_windows_default_range_when_caller_gave_none() -> None:
    today = dt.datetime.now(dt.timezone.utc).date()
    days = {today - dt.timedelta(days=i): 6 for i in range(12)}
    archive = CappedArchive(days, cap=20, per_page=5)
    pager = Pager(
        archive.fetch,
        {},
        DateWindowed(cap=20, per_page=5, from_param="date_from", to_param="date_to"),
        concurrency=3,
        key=ident,
    )
    assert await pager.collect() == [rid for _, rid in archive.records]


async def test_listing_below_cap_is_not_split() -> None:
    archive = CappedArchive({dt.date(2024, 1, 1): 12}, cap=50, per_page=5)
    pager = Pager(
        archive.fetch,
        {},
        DateWindowed(cap=50, per_page=5, from_param="date_from", to_param="date_to"),
        concurrency=3,
        key=ident,
    )
    assert len(await pager.collect()) == 12
    assert pager.report.windows == 1
    assert all("date_from" not in q for q in archive.queries)


async def test_single_day_above_cap_raises_pagination_error() -> None:
    archive = CappedArchive({dt.date(2024, 1, 1): 3, dt.date(2024, 1, 2): 60}, cap=50, per_page=5)
    pager = Pager(
        archive.fetch,
        {"date_from": "2024-01-01", "date_to": "2024-01-02"},
        DateWindowed(cap=50, per_page=5, from_param="date_from", to_param="date_to"),
        concurrency=3,
        key=ident,
    )
    with pytest.raises(PaginationError, match="2024-01-02 alone holds 60 records"):
        await pager.collect()


async def test_a_listing_reporting_exactly_the_cap_is_split_and_verified() -> None:
    # 50 records over two days: whole, but the first page cannot tell it from a clipped one.
    archive = CappedArchive({dt.date(2024, 1, 1): 20, dt.date(2024, 1, 2): 30}, cap=50, per_page=5)
    pager = Pager(
        archive.fetch,
        {"date_from": "2024-01-01", "date_to": "2024-01-02"},
        DateWindowed(cap=50, per_page=5, from_param="date_from", to_param="date_to"),
        concurrency=3,
        key=ident,
    )
    assert len(await pager.collect()) == 50
    assert pager.report.windows == 2 and pager.report.complete


async def test_one_day_at_exactly_the_cap_is_fetched_but_not_called_complete() -> None:
    archive = CappedArchive({dt.date(2024, 1, 1): 5, dt.date(2024, 1, 2): 50}, cap=50, per_page=5)
    pager = Pager(
        archive.fetch,
        {"date_from": "2024-01-01", "date_to": "2024-01-02"},
        DateWindowed(cap=50, per_page=5, from_param="date_from", to_param="date_to"),
        concurrency=3,
        key=ident,
    )
    assert len(await pager.collect()) == 55
    assert pager.report.capped_windows == 1
    assert pager.report.missing == 0 and not pager.report.complete


async def _resume_after(pager_factory: Any, stop_after_pages: int) -> tuple[list[str], Any]:
    first_run: list[str] = []
    cursor = None
    pager = pager_factory()
    async with aclosing(pager.pages()) as pages:
        async for page in pages:
            first_run.extend(page.items)
            cursor = page.cursor
            stop_after_pages -= 1
            if stop_after_pages == 0:
                break
    return first_run, cursor


async def test_resume_known_total_without_refetching_finished_pages() -> None:
    records = [f"r{i}" for i in range(47)]
    source = Source(records, 5)
    make = lambda: Pager(source.fetch, {}, KnownTotal(), concurrency=3, key=ident)  # noqa: E731
    done, cursor = await _resume_after(make, 4)
    assert done == records[:20]
    assert cursor == Cursor((Segment(None, 10),), 0, 5, 47)
    stored = json.loads(json.dumps(cursor.to_json()))
    source.requested.clear()
    rest = await make().start_at(Cursor.from_json(stored), seen=done).collect()
    assert rest == records[20:]
    assert sorted(source.requested) == list(range(5, 11))


async def test_resume_windowed_listing_mid_window() -> None:
    days = {dt.date(2024, 1, 1) + dt.timedelta(days=i): 9 for i in range(12)}
    archive = CappedArchive(days, cap=30, per_page=5)
    params = {"date_from": "2024-01-01", "date_to": "2024-01-12"}
    strategy = DateWindowed(cap=30, per_page=5, from_param="date_from", to_param="date_to")
    make = lambda: Pager(archive.fetch, params, strategy, concurrency=3, key=ident)  # noqa: E731
    done, cursor = await _resume_after(make, 7)
    assert cursor is not None and cursor.index >= 1
    archive.queries.clear()
    rest = await make().start_at(cursor, seen=done).collect()
    assert done + rest == [rid for _, rid in archive.records]
    finished = set()
    for index, segment in enumerate(cursor.segments[: cursor.index + 1]):
        assert segment.window is not None and segment.pages is not None
        last = segment.pages if index < cursor.index else cursor.next_page - 1
        for number in range(1, last + 1):
            finished.add((segment.window.date_from.isoformat(), number))
    resumed = {(q["date_from"], q["page"]) for q in archive.queries}
    assert finished and not (finished & resumed)  # no finished page fetched again


async def test_resume_until_empty_and_finished_cursor() -> None:
    records = [str(i) for i in range(23)]
    source = Source(records, 5)

    async def no_total(params: Params, number: int) -> Page[str]:
        page = await source.fetch(params, number)
        return Page(items=page.items, number=number)

    make = lambda: Pager(no_total, {}, UntilEmpty(), concurrency=2, key=ident)  # noqa: E731
    done, cursor = await _resume_after(make, 2)
    rest = await make().start_at(cursor).collect()
    assert done + rest == records
    finished = Cursor((Segment(None, 3),), 1, 1, 15)
    assert finished.finished
    assert await make().start_at(finished).collect() == []


def test_cursor_from_bad_json_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="cursor"):
        Cursor.from_json({"segments": [{"window": ["x"]}]})


async def test_open_ended_listing_that_repeats_a_page_raises() -> None:
    async def ignores_page(params: Params, number: int) -> Page[str]:
        return Page(items=("a", "b"), number=number)

    pager = Pager(ignores_page, {}, UntilEmpty(), concurrency=3, key=ident, vendor="x")
    with pytest.raises(PaginationError, match="repeats the previous page") as info:
        await pager.collect()
    assert info.value.vendor == "x"
