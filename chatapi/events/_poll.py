"""Polling: the events of vendors that push none (and of any vendor, without a public URL).

Each round lists what ended since the cursor: a chat that ended (or was missed) becomes a
``CHAT_ENDED`` event, an offline message an ``OFFLINE_MESSAGE_RECEIVED`` event. The cursor is a
floor (nothing older is reported) and the ids reported since, so an event is reported once,
also across restarts from a saved cursor, and a record that shows up after newer ones (within
the lookback) is still reported.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import ChatAPIError
from ..models import Chat, OfflineMessage
from ._model import Event, EventKind

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["PollCursor", "Poller", "poll"]

logger = logging.getLogger("chatapi.events")
KINDS = ("chats", "offline_messages")


@attrs.frozen
class Mark:
    """How far one listing was reported.

    Records do not always appear in the order of their time (a long chat ends after a short
    one that started later), so the mark keeps every id reported within ``lookback`` of the
    newest one, not just the newest: a record that appears late is still reported, once.

    Attributes:
        floor: Nothing older is reported (the poll's ``since``, rising with the newest
            record reported minus the lookback).
        seen: Ids reported at or after ``floor``, with their times.
    """

    floor: dt.datetime
    seen: dict[str, dt.datetime] = attrs.field(factory=dict)

    def is_new(self, when: dt.datetime, record_id: str) -> bool:
        """Whether a record of ``when`` is to be reported."""
        return when >= self.floor and record_id not in self.seen

    def after(self, when: dt.datetime, record_id: str, lookback: dt.timedelta) -> Mark:
        """The mark once the record was reported."""
        seen = {**self.seen, record_id: when}
        floor = max(self.floor, max(seen.values()) - lookback)
        return Mark(floor, {key: at for key, at in seen.items() if at >= floor})


@attrs.frozen
class PollCursor:
    """Where a poll stands, per listing; :meth:`token` is a string to save and pass back."""

    marks: dict[str, Mark]

    @classmethod
    def starting(cls, since: dt.datetime, kinds: Sequence[str]) -> PollCursor:
        """A cursor reporting what ends at or after ``since`` (an aware datetime)."""
        if since.tzinfo is None:
            raise ValueError("since must be timezone-aware (UTC recommended)")
        at = since.astimezone(dt.timezone.utc)
        return cls({kind: Mark(at) for kind in kinds})

    @classmethod
    def from_token(cls, token: str) -> PollCursor:
        """The cursor a :meth:`token` describes.

        Raises:
            ValueError: Not a token of this class.
        """
        try:
            data = json.loads(token)
            marks = {
                kind: Mark(
                    dt.datetime.fromisoformat(mark["floor"]),
                    {key: dt.datetime.fromisoformat(at) for key, at in mark["seen"].items()},
                )
                for kind, mark in data["marks"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a poll cursor: {token[:40]!r}") from exc
        return cls(marks)

    def token(self) -> str:
        """This cursor as a JSON string (save it; pass it back as ``since``)."""
        marks = {
            kind: {
                "floor": mark.floor.isoformat(),
                "seen": {key: at.isoformat() for key, at in sorted(mark.seen.items())},
            }
            for kind, mark in sorted(self.marks.items())
        }
        return json.dumps({"v": 2, "marks": marks}, separators=(",", ":"))


def _chat_time(chat: Chat) -> dt.datetime | None:
    # A missed chat never "ends": it is over once it was missed (its start).
    return chat.ended_at or (chat.started_at if chat.missed else None)


class Poller:
    """An async iterator of :class:`Event` found by listing; see :func:`poll`."""

    def __init__(
        self,
        client: BaseClient,
        cursor: PollCursor,
        *,
        interval: float,
        kinds: Sequence[str],
        lookback: dt.timedelta,
    ) -> None:
        self.client = client
        self.interval = interval
        self.kinds = tuple(kinds)
        self.lookback = lookback
        self._cursor = cursor
        #: Rounds that failed (each logged with its typed error); the poll goes on.
        self.errors: list[ChatAPIError] = []

    @property
    def cursor(self) -> str:
        """Where the poll stands, including every event yielded so far: save it after
        handling an event, pass it back as ``since`` to resume."""
        return self._cursor.token()

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._events()

    async def _events(self) -> AsyncIterator[Event]:
        while True:
            for kind in self.kinds:
                try:
                    found = await self._round(kind)
                except ChatAPIError as error:
                    # The client already retried what its policy allows: report, wait, go on.
                    self.errors.append(error)
                    logger.warning("poll of %s %s failed: %r", self.client.vendor, kind, error)
                    continue
                for when, record in found:
                    mark = self._cursor.marks[kind].after(when, record.id, self.lookback)
                    self._cursor = PollCursor({**self._cursor.marks, kind: mark})
                    yield self._event(kind, when, record)
            await asyncio.sleep(self.interval)

    async def _round(self, kind: str) -> list[tuple[dt.datetime, Any]]:
        mark = self._cursor.marks[kind]
        filters: dict[str, Any] = {}
        if "date_from" in type(self.client).capabilities.get(kind, frozenset()):
            # Vendors filter by day (some by a day of their own zone): ask from a day earlier.
            filters["date_from"] = (mark.floor - dt.timedelta(days=1)).date()
        records = await getattr(self.client, kind)(**filters).collect()
        found = []
        for record in records:
            when = _chat_time(record) if kind == "chats" else record.created_at
            if when is not None and mark.is_new(when, record.id):
                found.append((when, record))
        found.sort(key=lambda pair: (pair[0], pair[1].id))
        return found

    def _event(self, kind: str, when: dt.datetime, record: Chat | OfflineMessage) -> Event:
        chat = record if isinstance(record, Chat) else None
        event_kind = EventKind.CHAT_ENDED if chat else EventKind.OFFLINE_MESSAGE_RECEIVED
        return Event(
            vendor=self.client.vendor,
            kind=event_kind,
            name=event_kind.value,
            occurred_at=when,
            dedupe_key=f"poll:{self.client.vendor}:{kind}:{record.id}",
            chat=chat,
            offline_message=record if isinstance(record, OfflineMessage) else None,
            visitor=record.visitor,
            verified=("api",),  # read from the vendor's API: nothing to forge
            raw=record.raw,
        )


def poll(
    client: BaseClient,
    *,
    since: dt.datetime | str,
    interval: float = 60.0,
    kinds: Sequence[str] | None = None,
    lookback: dt.timedelta = dt.timedelta(days=1),
) -> Poller:
    """Events found by listing, round after round, each reported once.

    Every ``interval`` seconds the chats (and offline messages) are listed and what ended
    after the cursor is yielded, oldest first: ``CHAT_ENDED`` with the chat,
    ``OFFLINE_MESSAGE_RECEIVED`` with the message. A failed round is logged with its typed
    error (after the client's own retries), kept in ``poller.errors``, and the next round
    tries again; nothing is skipped.

    Args:
        client: Any vendor client (REVE Chat, which pushes no webhooks, included).
        since: Report what ends at or after this aware datetime; or a saved
            ``poller.cursor`` to resume exactly where a previous poll stopped.
        interval: Seconds between rounds.
        kinds: The listings to watch (default: ``chats`` and, when the vendor has them,
            ``offline_messages``).
        lookback: How late a record may appear and still be reported: ids reported within
            this span of the newest one are remembered (in the cursor), so a chat that shows
            up after a newer one (a long chat ending after a short, later one) is reported
            once. Older late arrivals are not reported.

    Returns:
        A :class:`Poller`: ``async for event in poller``; ``poller.cursor`` to save.

    Raises:
        ValueError: A naive ``since``, a cursor string that is not one, or an unknown kind.

    Example:
        >>> poller = chatapi.events.poll(client, since=saved or dt.datetime.now(dt.UTC))
        >>> async for event in poller:
        ...     await archive(event.chat)
        ...     save(poller.cursor)
    """
    supported = type(client).capabilities
    chosen = tuple(kinds) if kinds is not None else tuple(k for k in KINDS if k in supported)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise ValueError(f"cannot poll {', '.join(unknown)}; choose from {', '.join(KINDS)}")
    if isinstance(since, str):
        cursor = PollCursor.from_token(since)
        missing = [k for k in chosen if k not in cursor.marks]
        if missing:
            raise ValueError(f"the cursor has no position for {', '.join(missing)}")
    else:
        cursor = PollCursor.starting(since, chosen)
    return Poller(client, cursor, interval=interval, kinds=chosen, lookback=lookback)
