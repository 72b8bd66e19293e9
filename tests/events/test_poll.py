"""chatapi.events.poll over sandboxes with chats arriving: each new chat once, across restarts."""

from __future__ import annotations

import datetime as dt

import pytest

import chatapi
from chatapi.events import EventKind, PollCursor, poll
from chatapi.sandbox import Faults, serve

NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=8)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def ended(chat: chatapi.Chat) -> dt.datetime | None:
    return chat.ended_at or (chat.started_at if chat.missed else None)


async def take(poller: chatapi.events.Poller, count: int) -> list[chatapi.events.Event]:
    events = []
    async for event in poller:
        events.append(event)
        if len(events) == count:
            break
    return events


@pytest.mark.parametrize("generation", ["legacy", "current"])
async def test_poll_reports_each_new_chat_once_across_a_restart(generation: str) -> None:
    # Page drift: one new chat arrives with every listing request, as REVE would serve it.
    faults = Faults(page_drift=12, drift_every=1)
    async with (
        serve("revechat", generation=generation, chats=20, seed=3, faults=faults) as sb,
        sb.client(retry_policy=NO_WAIT) as client,
    ):
        poller = poll(client, since=EPOCH, interval=0, kinds=["chats"])
        first = await take(poller, 15)
        saved = poller.cursor
        # Every late chat arrives (one per listing request), then a new process resumes
        # from the saved cursor.
        while sb.dataset.chat_count < 20 + 12:
            await client.chats().collect()
        expected = [c for c in await client.chats().collect() if ended(c) is not None]
        resumed = poll(client, since=saved, interval=0, kinds=["chats"])
        rest = await take(resumed, len(expected) - 15)
    ids = [e.chat.id for e in first + rest if e.chat is not None]
    assert len(ids) == len(set(ids))  # nothing twice, restart included
    assert sb.dataset.chat_count > 20  # chats did arrive while polling
    assert set(ids) == {c.id for c in expected}
    assert all(e.kind is EventKind.CHAT_ENDED and e.verified == ("api",) for e in first + rest)
    times = [e.occurred_at for e in first + rest]
    assert times == sorted(times)  # oldest first
    assert [e.dedupe_key for e in first][:1] == [f"poll:revechat:chats:{ids[0]}"]


async def test_poll_reports_offline_messages_and_only_what_is_after_since() -> None:
    async with serve("livechat", chats=40, seed=2) as sb, sb.client(retry_policy=NO_WAIT) as c:
        chats = [ch for ch in await c.chats().collect() if ended(ch) is not None]
        cut = sorted(ended(ch) for ch in chats)[len(chats) // 2]  # type: ignore[type-var]
        assert cut is not None
        poller = poll(c, since=cut, interval=0)
        newer = {ch.id for ch in chats if ended(ch) >= cut}  # type: ignore[operator]
        events = await take(poller, len(newer) + len(await c.offline_messages().collect()))
    kinds = {e.kind for e in events}
    assert kinds == {EventKind.CHAT_ENDED, EventKind.OFFLINE_MESSAGE_RECEIVED}
    assert {e.chat.id for e in events if e.chat is not None} == newer
    assert all(e.offline_message is not None for e in events if e.chat is None)


async def test_a_failed_round_is_logged_kept_and_retried(caplog: pytest.LogCaptureFixture) -> None:
    faults = Faults(error_500=1.0, max_faults_per_request=2)
    async with (
        serve("revechat", chats=5, seed=1, faults=faults) as sb,
        sb.client(retry_policy=chatapi.RetryPolicy.no_wait(max_retries=0)) as client,
    ):
        poller = poll(client, since=EPOCH, interval=0, kinds=["chats"])
        events = await take(poller, 1)
    assert events and poller.errors
    assert all(isinstance(e, chatapi.ServerError) for e in poller.errors)
    assert "poll of revechat chats failed" in caplog.text


def test_a_record_that_shows_up_after_a_newer_one_is_still_reported_once() -> None:
    from chatapi.events._poll import Mark

    day = dt.timedelta(days=1)
    t0 = dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)
    mark = Mark(t0)
    long_chat, short_chat = t0 + dt.timedelta(minutes=30), t0 + dt.timedelta(minutes=10)
    mark = mark.after(long_chat, "A", day)  # listed first: it started first
    assert mark.is_new(short_chat, "B")  # ended earlier, appeared later: still new
    mark = mark.after(short_chat, "B", day)
    assert not mark.is_new(short_chat, "B") and not mark.is_new(long_chat, "A")
    assert not mark.is_new(t0 - dt.timedelta(seconds=1), "C")  # before since
    # Two days on, what is older than the lookback is forgotten, and not reported again.
    later = mark.after(t0 + 2 * day, "D", day)
    assert set(later.seen) == {"D"} and not later.is_new(long_chat, "A")
    assert PollCursor.from_token(PollCursor({"chats": later}).token()).marks["chats"] == later


def test_cursors_round_trip_and_bad_input_is_refused() -> None:
    cursor = PollCursor.starting(EPOCH, ["chats"])
    assert PollCursor.from_token(cursor.token()) == cursor
    with pytest.raises(ValueError, match="not a poll cursor"):
        PollCursor.from_token("{}")
    with pytest.raises(ValueError, match="timezone-aware"):
        PollCursor.starting(dt.datetime(2024, 1, 1), ["chats"])


async def test_poll_checks_its_arguments() -> None:
    async with serve("livechat", chats=1) as sb, sb.client() as client:
        with pytest.raises(ValueError, match="cannot poll"):
            poll(client, since=EPOCH, kinds=["agents"])
        token = PollCursor.starting(EPOCH, ["chats"]).token()
        with pytest.raises(ValueError, match="no position for offline_messages"):
            poll(client, since=token)
