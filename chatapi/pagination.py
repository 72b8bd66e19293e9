"""The one pagination engine: concurrent, ordered, bounded, and honest about what it got.

A vendor describes *how* its listing pages (a strategy: :class:`KnownTotal`,
:class:`UntilEmpty`, :class:`SinglePage`, optionally wrapped in :class:`DateWindowed`) and
supplies a function that fetches one page. The engine does the rest: fetches pages concurrently
(the client's concurrency gate bounds the requests actually in flight), yields them in the
vendor's order while holding only a bounded number ahead, drops duplicate records, and keeps a
:class:`PageReport` of expected vs received counts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Hashable,
    Iterator,
    Mapping,
)
from contextlib import aclosing
from typing import Any, Generic, TypeVar

import attrs

from ._core.paging import DateWindow, needs_split, page_count, split_window
from .errors import PaginationError

__all__ = [
    "DateWindow",
    "DateWindowed",
    "KnownTotal",
    "Page",
    "PageFetcher",
    "PageReport",
    "Pager",
    "Params",
    "SinglePage",
    "Strategy",
    "UntilEmpty",
]

T = TypeVar("T")
logger = logging.getLogger("chatapi")


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a listing.

    Attributes:
        items: The records of the page, normalized (duplicates of earlier pages removed when
            it comes from :meth:`Pager.pages`).
        number: The vendor's page number (1-based).
        raw: The page's decoded body, exactly as the vendor sent it.
        total: The vendor's total record count, when it reports one.
        pages: The vendor's page count, when it reports one.
        window: The date window the page belongs to, when the listing was split.
    """

    items: tuple[T, ...]
    number: int
    raw: Any = attrs.field(default=None, eq=False, repr=False)
    total: int | None = None
    pages: int | None = None
    window: DateWindow | None = None


#: Query parameters of a listing; a tuple value is a repeated parameter (``tag[]``).
Params = Mapping[str, "str | tuple[str, ...]"]

#: Fetches one page: (query parameters, page number) -> the page.
PageFetcher = Callable[[Params, int], Awaitable[Page[T]]]


@attrs.frozen
class KnownTotal:
    """The first page tells how many there are (``pages`` or ``total``); the rest fan out.

    Attributes:
        per_page: Records per page, to derive a page count from a bare ``total``.
    """

    per_page: int | None = None


@attrs.frozen
class UntilEmpty:
    """No total: keep a window of speculative requests until the first empty page."""


@attrs.frozen
class SinglePage:
    """The whole listing comes in one response."""


@attrs.frozen(kw_only=True)
class DateWindowed:
    """A :class:`KnownTotal` listing capped at ``cap`` records per query.

    Listings that report more are split into date windows (halving) until each window fits;
    windows are fetched concurrently and yielded newest first when ``newest_first``.

    Attributes:
        cap: Most records one query returns (LiveChat ``/chats``: 25,000).
        per_page: Records per page.
        from_param: Name of the inclusive start-date query parameter.
        to_param: Name of the inclusive end-date query parameter.
        earliest: Start date used when the caller gave none.
        newest_first: Whether the vendor lists newest records first.
    """

    cap: int
    per_page: int
    from_param: str = "date_from"
    to_param: str = "date_to"
    earliest: dt.date = dt.date(2000, 1, 1)
    newest_first: bool = True


Strategy = KnownTotal | UntilEmpty | SinglePage | DateWindowed


@attrs.define
class PageReport:
    """What a listing delivered, to compare with what the vendor announced.

    Attributes:
        expected: The vendor's total (summed over windows), if it reported one.
        received: Distinct records yielded.
        duplicates_dropped: Records dropped because their id was already yielded.
        pages: Pages fetched and yielded.
        repeated_pages: Pages whose records repeat the previous page exactly.
        wasted_requests: Speculative requests made past the end of the listing.
        windows: Date windows the listing was split into (1 when not split).
    """

    expected: int | None = None
    received: int = 0
    duplicates_dropped: int = 0
    pages: int = 0
    repeated_pages: int = 0
    wasted_requests: int = 0
    windows: int = 1

    @property
    def missing(self) -> int:
        """Records the vendor announced but did not deliver (0 when no total is known)."""
        if self.expected is None:
            return 0
        return max(self.expected - self.received, 0)

    @property
    def complete(self) -> bool:
        """Whether every announced record arrived."""
        return self.missing == 0


class Pager(Generic[T]):
    """An async iterable over every record of a listing, fetched concurrently.

    ``async for`` yields each record of each page exactly once, in the vendor's order.
    Breaking out of the loop cancels the requests still in flight. Each iteration starts the
    listing afresh.

    Attributes:
        total: The vendor's total once the first page arrived (None before, or if it gives
            none).
        report: The :class:`PageReport` of the latest iteration.
    """

    def __init__(
        self,
        fetch: PageFetcher[T],
        params: Params,
        strategy: Strategy,
        *,
        concurrency: int,
        key: Callable[[T], Hashable] | None = None,
    ) -> None:
        self._fetch = fetch
        self._params = dict(params)
        self._strategy = strategy
        self._concurrency = max(concurrency, 1)
        self._key = key
        self.total: int | None = None
        self.report = PageReport()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        pages = self.pages()
        try:
            async for page in pages:
                for item in page.items:
                    yield item
        finally:
            await pages.aclose()

    async def collect(self) -> list[T]:
        """Every record of the listing, as a list."""
        return [item async for item in self]

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield each :class:`Page` in order, with duplicates of earlier pages removed."""
        self.report = report = PageReport()
        self.total = None
        seen: set[Hashable] = set()
        previous_ids: tuple[Hashable, ...] | None = None
        source = self._pages(report)
        try:
            async for page in source:
                key = self._key
                if key is None:
                    fresh = page.items
                else:
                    ids = tuple(key(item) for item in page.items)
                    if ids and ids == previous_ids:
                        report.repeated_pages += 1
                    previous_ids = ids
                    kept = []
                    for item, item_id in zip(page.items, ids, strict=True):
                        if item_id in seen:
                            report.duplicates_dropped += 1
                        else:
                            seen.add(item_id)
                            kept.append(item)
                    fresh = tuple(kept) if len(kept) != len(ids) else page.items
                report.pages += 1
                report.received += len(fresh)
                yield attrs.evolve(page, items=fresh) if fresh is not page.items else page
        finally:
            await source.aclose()
        if not report.complete:
            logger.warning(
                "listing delivered %d of %d announced records", report.received, report.expected
            )

    def _set_total(self, report: PageReport, total: int | None) -> None:
        report.expected = total
        self.total = total

    async def _pages(self, report: PageReport) -> AsyncGenerator[Page[T], None]:
        strategy = self._strategy
        if isinstance(strategy, SinglePage):
            page = await self._fetch(self._params, 1)
            self._set_total(report, page.total if page.total is not None else len(page.items))
            yield page
        elif isinstance(strategy, KnownTotal):
            async with aclosing(
                self._known_total(self._params, strategy.per_page, report)
            ) as stream:
                async for page in stream:
                    yield page
        elif isinstance(strategy, UntilEmpty):
            async with aclosing(self._until_empty(self._params, 1, report)) as stream:
                async for page in stream:
                    yield page
        else:
            async with aclosing(self._windowed(strategy, report)) as stream:
                async for page in stream:
                    yield page

    async def _known_total(
        self, params: Params, per_page: int | None, report: PageReport
    ) -> AsyncGenerator[Page[T], None]:
        first = await self._fetch(params, 1)
        self._set_total(report, first.total)
        yield first
        count = page_count(first.total, first.pages, per_page)
        if count is None:
            # No total after all: continue as an open-ended listing.
            if first.items:
                async with aclosing(self._until_empty(params, 2, report)) as stream:
                    async for page in stream:
                        yield page
            return
        jobs = (self._job(params, n) for n in range(2, count + 1))
        async with aclosing(self._ordered(jobs, window=2 * self._concurrency)) as stream:
            async for page in stream:
                yield page

    async def _until_empty(
        self, params: Params, start: int, report: PageReport
    ) -> AsyncGenerator[Page[T], None]:
        def numbers() -> Iterator[Callable[[], Awaitable[Page[T]]]]:
            n = start
            while True:
                yield self._job(params, n)
                n += 1

        async with aclosing(
            self._ordered(numbers(), window=self._concurrency, stop_when_empty=report)
        ) as stream:
            async for page in stream:
                yield page

    async def _windowed(
        self, strategy: DateWindowed, report: PageReport
    ) -> AsyncGenerator[Page[T], None]:
        first = await self._fetch(self._params, 1)
        if not needs_split(first.total, first.pages, cap=strategy.cap, per_page=strategy.per_page):
            self._set_total(report, first.total)
            yield first
            count = page_count(first.total, first.pages, strategy.per_page) or 1
            jobs = (self._job(self._params, n) for n in range(2, count + 1))
            async with aclosing(self._ordered(jobs, window=2 * self._concurrency)) as stream:
                async for page in stream:
                    yield page
            return
        whole = self._whole_window(strategy)
        planned = await self._plan(strategy, whole)
        self._set_total(report, sum(p.total or 0 for _, p in planned))
        report.windows = len(planned)
        logger.info(
            "listing above the %d-record cap: split into %d windows", strategy.cap, len(planned)
        )

        def window_jobs() -> Iterator[Callable[[], Awaitable[Page[T]]]]:
            for window, first_page in planned:
                yield _ready(attrs.evolve(first_page, window=window))
                params = self._window_params(strategy, window)
                count = page_count(first_page.total, first_page.pages, strategy.per_page) or 1
                for n in range(2, count + 1):
                    yield self._job(params, n, window)

        async with aclosing(self._ordered(window_jobs(), window=2 * self._concurrency)) as stream:
            async for page in stream:
                yield page

    def _whole_window(self, strategy: DateWindowed) -> DateWindow:
        start = self._params.get(strategy.from_param)
        end = self._params.get(strategy.to_param)
        # "today" as the vendor sees it may be a day ahead of UTC: include tomorrow.
        today = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)
        return DateWindow(
            dt.date.fromisoformat(str(start)) if start else strategy.earliest,
            dt.date.fromisoformat(str(end)) if end else today,
        )

    def _window_params(self, strategy: DateWindowed, window: DateWindow) -> Params:
        return {
            **self._params,
            strategy.from_param: window.date_from.isoformat(),
            strategy.to_param: window.date_to.isoformat(),
        }

    async def _plan(
        self, strategy: DateWindowed, window: DateWindow
    ) -> list[tuple[DateWindow, Page[T]]]:
        """Split ``window`` until every part fits the cap; return parts with their first page."""
        first = await self._fetch(self._window_params(strategy, window), 1)
        if not needs_split(first.total, first.pages, cap=strategy.cap, per_page=strategy.per_page):
            return [(window, first)]
        if window.days < 2:
            raise PaginationError(
                f"{window.date_from} alone holds {first.total} records, above the vendor's "
                f"{strategy.cap}-record cap: the listing cannot be fetched completely"
            )
        older, newer = split_window(window)
        parts = await asyncio.gather(self._plan(strategy, older), self._plan(strategy, newer))
        ordered = [*parts[1], *parts[0]] if strategy.newest_first else [*parts[0], *parts[1]]
        return ordered

    def _job(
        self, params: Params, number: int, window: DateWindow | None = None
    ) -> Callable[[], Awaitable[Page[T]]]:
        async def run() -> Page[T]:
            page = await self._fetch(params, number)
            return attrs.evolve(page, window=window) if window is not None else page

        return run

    async def _ordered(
        self,
        jobs: Iterator[Callable[[], Awaitable[Page[T]]]],
        *,
        window: int,
        stop_when_empty: PageReport | None = None,
    ) -> AsyncGenerator[Page[T], None]:
        """Run ``jobs`` with at most ``window`` started ahead; yield results in job order.

        With ``stop_when_empty``, the first empty page ends the listing: it is not yielded,
        the speculative requests past it are cancelled and counted as wasted in that report.
        """
        pending: deque[asyncio.Task[Page[T]]] = deque()
        exhausted = False

        def fill() -> None:
            nonlocal exhausted
            while not exhausted and len(pending) < window:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    return
                pending.append(asyncio.ensure_future(job()))

        try:
            fill()
            while pending:
                page = await pending.popleft()
                if stop_when_empty is not None and not page.items:
                    stop_when_empty.wasted_requests += len(pending)
                    return
                fill()
                yield page
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)


async def _ready_page(page: Page[T]) -> Page[T]:
    return page


def _ready(page: Page[T]) -> Callable[[], Awaitable[Page[T]]]:
    return lambda: _ready_page(page)
