"""Pure page arithmetic for the pagination engine: page counts and date-window splits."""

from __future__ import annotations

import datetime as dt
import math

import attrs

__all__ = ["DateWindow", "needs_split", "page_count", "split_window"]


@attrs.frozen
class DateWindow:
    """An inclusive range of calendar days used to cut a capped listing into parts."""

    date_from: dt.date
    date_to: dt.date

    @property
    def days(self) -> int:
        """Number of days covered."""
        return (self.date_to - self.date_from).days + 1

    def __str__(self) -> str:
        return f"{self.date_from.isoformat()}..{self.date_to.isoformat()}"


def page_count(total: int | None, pages: int | None, per_page: int | None) -> int | None:
    """The number of pages of a listing, from the vendor's ``pages`` or its ``total``."""
    if pages is not None:
        return max(pages, 0)
    if total is not None and per_page:
        return math.ceil(max(total, 0) / per_page)
    return None


def needs_split(total: int | None, pages: int | None, *, cap: int, per_page: int) -> bool:
    """Whether a listing may hold more records than the vendor serves (its cap).

    A listing that reports the cap itself is possibly truncated: a vendor may report
    ``total`` (and ``pages``) clipped to what it serves (LiveChat's ``/chats`` above 25,000
    records may say 25,000 and 1,000 pages). Only a smaller window can tell.
    """
    if total is not None:
        return total >= cap
    return pages is not None and pages * per_page >= cap


def split_window(window: DateWindow) -> tuple[DateWindow, DateWindow]:
    """Split a window of at least two days into two halves that share no day.

    Raises:
        ValueError: For a one-day window.
    """
    if window.days < 2:
        raise ValueError(f"cannot split the one-day window {window}")
    middle = window.date_from + dt.timedelta(days=window.days // 2 - 1)
    return (
        DateWindow(window.date_from, middle),
        DateWindow(middle + dt.timedelta(days=1), window.date_to),
    )
