"""The one pagination engine: concurrent, ordered, bounded, and honest about what it got.

A vendor describes *how* its listing pages (a strategy: :class:`KnownTotal`,
:class:`UntilEmpty`, :class:`UntilShortPage`, :class:`SinglePage` or :class:`DateWindowed`) and
supplies a function that fetches one page (the base client builds it from an endpoint row,
:mod:`chatapi.endpoints`). The engine does the rest: fetches pages concurrently
(the client's concurrency gate bounds the requests actually in flight), yields them in the
vendor's order while holding only a bounded number ahead, drops duplicate records, and keeps a
:class:`PageReport` of expected vs received counts.

Answers are decoded in page order as the consumer takes them (``_core/decode_turns.py``). A
fetch that needs some answers before it can send its next requests makes those requests inside
``decode_turns.decode_at_once()``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import aclosing
from typing import Any, Generic, TypeVar

import attrs

from ._core import decode_turns
from ._core.paging import DateWindow, needs_split, page_count, split_window
from ._core.tasks import gather_all
from .errors import PaginationError

__all__ = [
    "Cursor",
    "DateWindow",
    "DateWindowed",
    "KnownTotal",
    "NestedPages",
    "Page",
    "PageFetcher",
    "PageReport",
    "Pager",
    "Params",
    "Segment",
    "SinglePage",
    "Strategy",
    "UntilEmpty",
    "UntilShortPage",
]

T = TypeVar("T")
OuterT = TypeVar("OuterT")
InnerT = TypeVar("InnerT")
logger = logging.getLogger("chatapi")


_UNSET: Any = object()


@attrs.frozen(kw_only=True, init=False)
class Page(Generic[T]):
    """One page of a listing.

    Attributes:
        items: The records of the page, normalized (duplicates of earlier pages removed when
            it comes from :meth:`Pager.pages`).
        number: The vendor's page number (1-based).
        raw: The page's decoded body, exactly as the vendor sent it.
        total: The vendor's total record count, when it reports one.
        page_count: The vendor's count of pages in the listing, when it reports one (was
            ``pages``, a name too close to :meth:`Pager.pages`; ``pages`` still works, with a
            ``DeprecationWarning``).
        window: The date window the page belongs to, when the listing was split.
        cursor: Where to resume the listing right after this page (see :class:`Cursor`).
    """

    items: tuple[T, ...]
    number: int
    raw: Any = attrs.field(default=None, eq=False, repr=False)
    total: int | None = None
    page_count: int | None = None
    window: DateWindow | None = None
    cursor: Cursor | None = attrs.field(default=None, eq=False, repr=False)

    def __init__(
        self,
        *,
        items: tuple[T, ...],
        number: int,
        raw: Any = None,
        total: int | None = None,
        page_count: int | None = None,
        window: DateWindow | None = None,
        cursor: Cursor | None = None,
        pages: int | None = _UNSET,
    ) -> None:
        if pages is not _UNSET:
            warnings.warn(
                "Page(page_count=...) is now Page(page_count=...)", DeprecationWarning, stacklevel=2
            )
            page_count = pages
        self.__attrs_init__(
            items=items,
            number=number,
            raw=raw,
            total=total,
            page_count=page_count,
            window=window,
            cursor=cursor,
        )

    @property
    def pages(self) -> int | None:
        """Deprecated name of :attr:`page_count`."""
        warnings.warn("Page.pages is now Page.page_count", DeprecationWarning, stacklevel=2)
        return self.page_count


#: Query parameters of a listing; a tuple value is a repeated parameter (``tag[]``).
Params = Mapping[str, "str | tuple[str, ...]"]

#: Fetches one page: (query parameters, page number) -> the page.
PageFetcher = Callable[[Params, int], Awaitable[Page[T]]]


@attrs.frozen
class KnownTotal:
    """The first page tells how many there are (``pages`` or ``total``); the rest fan out.

    Offset/limit listings with a count are this strategy too (the endpoint row asks for page
    N by offset). A first page without a total turns the listing open-ended: it then ends at
    a short page when ``per_page`` is known (:class:`UntilShortPage`), else at an empty one.

    Attributes:
        per_page: Records per page, to derive a page count from a bare ``total``.
    """

    per_page: int | None = None


@attrs.frozen
class UntilShortPage:
    """No total: pages are fetched speculatively until one holds fewer than ``per_page``
    records (that page is the last, and is kept) or none at all.

    Attributes:
        per_page: Records a full page holds.
    """

    per_page: int


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
        cap: Most records one query returns.
        per_page: Records per page.
        from_param: Name of the inclusive start-date query parameter.
        to_param: Name of the inclusive end-date query parameter.
        earliest: Start date used when the caller gave none.
        newest_first: Whether the vendor lists newest records first.
    """

    cap: int
    per_page: int
    from_param: str
    to_param: str
    earliest: dt.date = dt.date(2000, 1, 1)
    newest_first: bool = True


Strategy = KnownTotal | UntilEmpty | UntilShortPage | SinglePage | DateWindowed


@attrs.define
class PageReport:
    """What a listing delivered, to compare with what the vendor announced.

    Attributes:
        expected: The vendor's total (summed over windows), if it reported one.
        received: Distinct records yielded.
        duplicates_dropped: Records dropped because their id was already yielded.
        pages: Pages fetched and yielded.
        repeated_pages: Pages whose records repeat the previous page exactly.
        wasted_requests: Speculative page fetches started past the end of an open-ended
            listing (an upper bound: some are cancelled before reaching the network; compare
            ``client.stats.requests`` for what was sent).
        windows: Date windows the listing was split into (1 when not split).
        capped_windows: One-day windows that reported exactly the vendor's cap: they may
            hold more than was served, and no smaller window can tell.
    """

    expected: int | None = None
    received: int = 0
    duplicates_dropped: int = 0
    pages: int = 0
    repeated_pages: int = 0
    wasted_requests: int = 0
    windows: int = 1
    capped_windows: int = 0

    @property
    def missing(self) -> int:
        """Records the vendor announced but did not deliver (0 when no total is known)."""
        if self.expected is None:
            return 0
        return max(self.expected - self.received, 0)

    @property
    def complete(self) -> bool:
        """Whether every announced record arrived (and no window may have been clipped)."""
        return self.missing == 0 and self.capped_windows == 0


@attrs.frozen
class Segment:
    """One part of a listing's plan: a date window (or the whole query) and its page count.

    Attributes:
        window: The date window, or None for the query as the caller gave it.
        pages: The number of pages, or None when the listing runs until an empty page.
    """

    window: DateWindow | None
    pages: int | None


@attrs.frozen
class Cursor:
    """Where a listing stands: its plan and the next page to fetch.

    Every page a :class:`Pager` yields carries the cursor that resumes right after it
    (``page.cursor``); ``Pager.start_at(cursor)`` continues from there without fetching any
    finished page again. ``to_json``/``from_json`` store it in a checkpoint.
    """

    segments: tuple[Segment, ...]
    index: int
    next_page: int
    total: int | None

    @property
    def finished(self) -> bool:
        """Whether nothing is left to fetch."""
        return self.index >= len(self.segments)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data for a checkpoint file."""
        return {
            "segments": [
                {
                    "window": [s.window.date_from.isoformat(), s.window.date_to.isoformat()]
                    if s.window
                    else None,
                    "pages": s.pages,
                }
                for s in self.segments
            ],
            "index": self.index,
            "next_page": self.next_page,
            "total": self.total,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Cursor:
        """Rebuild a cursor from :meth:`to_json` output.

        Raises:
            ValueError: When ``data`` is not a cursor.
        """
        try:
            segments = tuple(
                Segment(
                    DateWindow(
                        dt.date.fromisoformat(seg["window"][0]),
                        dt.date.fromisoformat(seg["window"][1]),
                    )
                    if seg["window"]
                    else None,
                    None if seg["pages"] is None else int(seg["pages"]),
                )
                for seg in data["segments"]
            )
            total = data["total"]
            return cls(
                segments,
                int(data["index"]),
                int(data["next_page"]),
                None if total is None else int(total),
            )
        except (KeyError, TypeError, IndexError, ValueError) as exc:
            raise ValueError(f"not a listing cursor: {exc}") from exc


class Pager(Generic[T]):
    """An async iterable over every record of a listing, fetched concurrently.

    ``async for`` yields each record of each page exactly once, in the vendor's order.
    Breaking out of the loop cancels the requests still in flight. Each iteration starts the
    listing afresh (or from the cursor given to :meth:`start_at`).

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
        vendor: str | None = None,
    ) -> None:
        self._fetch = fetch
        self._vendor = vendor
        self._open_ended = False
        self._capped_windows = 0
        self._params = dict(params)
        self._strategy = strategy
        self._concurrency = max(concurrency, 1)
        self._key = key
        self._start: Cursor | None = None
        self._seen_before: frozenset[Hashable] = frozenset()
        self.total: int | None = None
        self.report = PageReport()

    def start_at(self, cursor: Cursor, *, seen: Iterable[Hashable] = ()) -> Pager[T]:
        """Continue a listing from ``cursor`` (a ``page.cursor`` of an earlier run).

        Args:
            cursor: Where to continue; its plan (windows, page counts) is reused as is.
            seen: Ids already delivered before, so that records shifting across the
                resume point are still dropped as duplicates.

        Returns:
            This pager.
        """
        self._start = cursor
        self._seen_before = frozenset(seen)
        return self

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item
                del page  # not held while the next page is decoded (see _ordered)

    async def collect(self) -> list[T]:
        """Every record of the listing, as a list."""
        return [item async for item in self]

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield each :class:`Page` in order, with duplicates of earlier pages removed."""
        self.report = report = PageReport()
        self.total = None
        seen: set[Hashable] = set(self._seen_before)
        previous_ids: tuple[Hashable, ...] | None = None
        key = self._key
        async with aclosing(self._pages(report)) as source:
            async for page in source:
                if key is None:
                    fresh = page.items
                else:
                    ids = tuple(key(item) for item in page.items)
                    if ids and ids == previous_ids:
                        report.repeated_pages += 1
                        if self._open_ended:
                            # Only an empty page ends an open-ended listing: a vendor that
                            # ignores the page parameter would otherwise be asked forever.
                            raise PaginationError(
                                f"page {page.number} repeats the previous page exactly: the "
                                "vendor seems to ignore the page parameter, so the listing "
                                "cannot be completed",
                                vendor=self._vendor,
                            )
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
                del page, fresh  # not held while the next page is decoded (see _ordered)
        if not report.complete and self._start is None:
            logger.warning(
                "listing delivered %d of %d announced records", report.received, report.expected
            )

    # -- planning ---------------------------------------------------------------------------

    async def _plan(self) -> tuple[Cursor, dict[tuple[int, int], Page[T]]]:
        """The listing's segments, and the pages fetched while planning (not to refetch)."""
        if self._start is not None:
            return self._start, {}
        strategy = self._strategy
        if isinstance(strategy, (UntilEmpty, UntilShortPage)):
            return Cursor((Segment(None, None),), 0, 1, None), {}
        first = await self._fetch(self._params, 1)
        if isinstance(strategy, SinglePage):
            total = first.total if first.total is not None else len(first.items)
            return Cursor((Segment(None, 1),), 0, 1, total), {(0, 1): first}
        per_page = strategy.per_page
        if isinstance(strategy, DateWindowed) and needs_split(
            first.total, first.page_count, cap=strategy.cap, per_page=strategy.per_page
        ):
            planned = await self._split(strategy, self._whole_window(strategy))
            logger.info(
                "listing above the %d-record cap: split into %d windows",
                strategy.cap,
                len(planned),
            )
            segments = tuple(
                Segment(window, max(page_count(p.total, p.page_count, per_page) or 1, 1))
                for window, p in planned
            )
            total = sum(p.total or 0 for _, p in planned)
            prefetched = {(i, 1): p for i, (_, p) in enumerate(planned)}
            return Cursor(segments, 0, 1, total), prefetched
        count = page_count(first.total, first.page_count, per_page)
        if count is None and first.items:
            # No total after all: continue as an open-ended listing.
            return Cursor((Segment(None, None),), 0, 1, None), {(0, 1): first}
        return Cursor((Segment(None, max(count or 1, 1)),), 0, 1, first.total), {(0, 1): first}

    def _whole_window(self, strategy: DateWindowed) -> DateWindow:
        start = self._params.get(strategy.from_param)
        end = self._params.get(strategy.to_param)
        # "today" as the vendor sees it may be a day ahead of UTC: include tomorrow.
        today = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)
        return DateWindow(
            dt.date.fromisoformat(str(start)) if start else strategy.earliest,
            dt.date.fromisoformat(str(end)) if end else today,
        )

    def _segment_params(self, segment: Segment) -> Params:
        strategy = self._strategy
        if segment.window is None or not isinstance(strategy, DateWindowed):
            return self._params
        return {
            **self._params,
            strategy.from_param: segment.window.date_from.isoformat(),
            strategy.to_param: segment.window.date_to.isoformat(),
        }

    async def _split(
        self, strategy: DateWindowed, window: DateWindow
    ) -> list[tuple[DateWindow, Page[T]]]:
        """Split ``window`` until every part fits the cap; return parts with their first page."""
        first = await self._fetch(self._segment_params(Segment(window, None)), 1)
        if not needs_split(
            first.total, first.page_count, cap=strategy.cap, per_page=strategy.per_page
        ):
            return [(window, first)]
        if window.days < 2 and first.total is not None and first.total <= strategy.cap:
            # One day that reports exactly the cap: whole or clipped, nothing smaller to ask.
            self._capped_windows += 1
            logger.warning(
                "%s reports %d records, the vendor's cap: it may be truncated",
                window.date_from,
                first.total,
            )
            return [(window, first)]
        if window.days < 2:
            raise PaginationError(
                f"{window.date_from} alone holds {first.total} records, above the vendor's "
                f"{strategy.cap}-record cap: the listing cannot be fetched completely"
            )
        older, newer = split_window(window)
        parts = await asyncio.gather(self._split(strategy, older), self._split(strategy, newer))
        return [*parts[1], *parts[0]] if strategy.newest_first else [*parts[0], *parts[1]]

    # -- fetching ---------------------------------------------------------------------------

    async def _pages(self, report: PageReport) -> AsyncGenerator[Page[T], None]:
        plan, prefetched = await self._plan()
        report.expected = self.total = plan.total
        report.windows = max(sum(1 for s in plan.segments if s.window is not None), 1)
        report.capped_windows = self._capped_windows
        if plan.finished:
            return
        open_ended = self._open_ended = plan.segments[-1].pages is None
        per_page = getattr(self._strategy, "per_page", None)
        short_page = per_page if open_ended and not isinstance(self._strategy, UntilEmpty) else None

        def jobs() -> Iterator[Callable[[], Awaitable[Page[T]]]]:
            for index in range(plan.index, len(plan.segments)):
                segment = plan.segments[index]
                params = self._segment_params(segment)
                number = plan.next_page if index == plan.index else 1
                while segment.pages is None or number <= segment.pages:
                    ready = prefetched.pop((index, number), None)
                    yield self._job(plan, index, number, params, ready)
                    number += 1

        window = self._concurrency if open_ended else 2 * self._concurrency
        stop = report if open_ended else None
        stream = self._ordered(jobs(), window=window, stop_when_empty=stop, short_page=short_page)
        async with aclosing(stream):
            async for page in stream:
                yield page
                del page  # not held while the next page is decoded (see _ordered)

    def _job(
        self,
        plan: Cursor,
        index: int,
        number: int,
        params: Params,
        ready: Page[T] | None,
    ) -> Callable[[], Awaitable[Page[T]]]:
        segment = plan.segments[index]
        if segment.pages is not None and number >= segment.pages:
            after = Cursor(plan.segments, index + 1, 1, plan.total)
        else:
            after = Cursor(plan.segments, index, number + 1, plan.total)

        async def run() -> Page[T]:
            page = ready if ready is not None else await self._fetch(params, number)
            return attrs.evolve(page, window=segment.window, cursor=after)

        return run

    async def _ordered(
        self,
        jobs: Iterator[Callable[[], Awaitable[Page[T]]]],
        *,
        window: int,
        stop_when_empty: PageReport | None = None,
        short_page: int | None = None,
    ) -> AsyncGenerator[Page[T], None]:
        """Run ``jobs`` with at most ``window`` started ahead; yield results in job order.

        Each job decodes its answers only once its turn is open (``_core/decode_turns.py``):
        when the consumer asks for its page, or as soon as the consumer, having taken the
        page before, lets the event loop run. Decoding further ahead would build pages in
        bursts that keep the garbage collector busy; holding the pages the consumer has not
        reached as undecoded bytes also keeps a slow consumer's buffer small.

        With ``stop_when_empty``, the first empty page ends the listing: it is not yielded,
        the speculative requests past it are cancelled and counted as wasted in that report.
        With ``short_page`` too, a page of fewer records than that is the last one: it is
        yielded, and the requests past it are cancelled the same way.
        """
        pending: deque[tuple[asyncio.Task[Page[T]], asyncio.Event]] = deque()
        exhausted = False

        async def in_turn(job: Callable[[], Awaitable[Page[T]]], turn: asyncio.Event) -> Page[T]:
            decode_turns.use_turn(turn)
            return await job()

        def fill() -> None:
            nonlocal exhausted
            while not exhausted and len(pending) < window:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    return
                turn = asyncio.Event()
                pending.append((asyncio.ensure_future(in_turn(job, turn)), turn))

        loop = asyncio.get_running_loop()
        try:
            fill()
            while pending:
                task, turn = pending.popleft()
                decode_turns.open_turn(turn)
                page = await task
                if stop_when_empty is not None and not page.items:
                    stop_when_empty.wasted_requests += len(pending)
                    return
                if short_page is not None and len(page.items) < short_page:
                    if stop_when_empty is not None:
                        stop_when_empty.wasted_requests += len(pending)
                    yield page
                    return
                fill()
                if pending:
                    # Decode the next page while the consumer awaits something else (a file
                    # write, say). Not at once: a consumer that comes straight back opens it
                    # itself, and opening it now would decode two pages in one burst.
                    loop.call_soon(decode_turns.open_turn, pending[0][1])
                yield page
                del page  # not held while the next page is decoded (see _ordered)
        finally:
            for task, _ in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*(task for task, _ in pending), return_exceptions=True)


class NestedPages(Generic[OuterT, InnerT]):
    """A :data:`PageFetcher` over a listing of listings (profiles, then each one's threads).

    Page N is page N of the *outer* listing with every outer record expanded into the records
    of its *inner* listing, as ``(outer record, inner record)`` pairs in order. The inner
    listings of one outer page run concurrently, each by its own :class:`Pager` (built by
    ``inner``), so the engine's guards apply to them too: an inner page that repeats the
    previous one raises :class:`~chatapi.errors.PaginationError`.

    Both the outer page and the inner pages decide further requests, so they are fetched
    inside :func:`decode_turns.decode_at_once`: an outer page ahead of the consumer sends its
    inner requests at once and the listing keeps its concurrency. What the caller does with
    the pairs afterwards (a transcript per inner record, say) runs in the page's decode turn.

    A nested page reports no record total (the outer total counts outer records, not inner
    ones); its page count is the outer listing's, from the outer page's ``pages``, or its
    ``total`` and ``per_page``. Without either, a short outer page (fewer than ``per_page``
    records) is the last one.

    Args:
        outer: Fetches one page of the outer listing.
        inner: The :class:`Pager` over the inner listing of one outer record.
        per_page: Records of a full outer page.
    """

    def __init__(
        self,
        outer: PageFetcher[OuterT],
        inner: Callable[[OuterT], Pager[InnerT]],
        *,
        per_page: int | None = None,
    ) -> None:
        self._outer = outer
        self._inner = inner
        self._per_page = per_page

    async def __call__(self, params: Params, number: int) -> Page[tuple[OuterT, InnerT]]:
        with decode_turns.decode_at_once():
            page = await self._outer(params, number)
            lists = await gather_all(self._inner(item).collect() for item in page.items)
        items = tuple(
            (outer, item) for outer, inner in zip(page.items, lists, strict=True) for item in inner
        )
        pages = page_count(page.total, page.page_count, self._per_page)
        if pages is None and self._per_page is not None and len(page.items) < self._per_page:
            pages = number
        return Page(items=items, number=number, raw=page.raw, total=None, page_count=pages)
