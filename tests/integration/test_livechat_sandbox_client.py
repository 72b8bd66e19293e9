"""chatapi.LiveChat against the LiveChat sandbox: exactly the generated records."""

from __future__ import annotations

import datetime as dt

import chatapi
from chatapi.sandbox import Faults, serve

UTC = dt.timezone.utc
END = dt.datetime(2026, 3, 1, tzinfo=UTC)
NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=5)
# 429s are not capped by max_faults_per_request: under CPU load a page can meet several in a
# row on top of its injected faults, so fault tests allow more attempts.
PATIENT = chatapi.RetryPolicy.no_wait(max_retries=15)


async def test_listing_returns_exactly_the_dataset() -> None:
    async with serve("livechat", chats=400, seed=3, end=END) as sb:
        expected = sb.app.expected_chats()
        async with sb.client(retry_policy=NO_WAIT) as client:
            assert isinstance(client, chatapi.LiveChat)
            pager = client.chats()
            chats = await pager.collect()
            assert [c.id for c in chats] == [r["id"] for r in expected]
            assert [c.raw for c in chats] == expected
            assert pager.report.complete and pager.report.expected == 400
            for chat, record in zip(chats, expected, strict=True):
                assert len(chat.messages) == len(record.get("messages", ()))
                assert [m.text for m in chat.messages] == [
                    m["text"] for m in record.get("messages", ())
                ]
            assert sum(c.missed for c in chats) == sum(sb.dataset.chat_missed[:400])
            one = await client.get_chat(chats[10].id)
            assert one == chats[10]
            agents = await client.agents().collect()
            assert [a.email for a in agents] == [a.email for a in sb.dataset.agents]
            agent = await client.get_agent(agents[0].id)
            assert agent.name == sb.dataset.agents[0].name


async def test_filters_through_the_client() -> None:
    async with serve("livechat", chats=300, seed=4, end=END) as sb:
        data = sb.dataset
        async with sb.client(retry_policy=NO_WAIT) as client:
            login = data.agents[1].email
            mine = await client.chats(agent=login).collect()
            assert len(mine) == sum(
                1 for i in data.chat_ids() if not data.chat_missed[i] and data.chat_agent[i] == 1
            )
            missed = await client.chats(type="missed_chat").collect()
            assert missed and all(c.missed for c in missed)
            day = dt.date(2026, 2, 20)
            windowed = await client.chats(date_from=day, date_to=day).collect()
            assert windowed and all(c.started_at and c.started_at.date() == day for c in windowed)


async def test_offline_messages_default_window() -> None:
    # Default dataset end is "now": LiveChat's default 7-day window sees recent messages.
    async with serve("livechat", chats=200, seed=5, offline_messages=60) as sb:
        expected = sb.app.expected_offline_messages()
        async with sb.client(retry_policy=NO_WAIT) as client:
            got = await client.offline_messages().collect()
            assert [m.id for m in got] == [r["id"] for r in expected]
            assert len(got) > 25  # more than one page
            single = await client.get_offline_message(got[0].id)
            assert single.text == got[0].text and single.visitor.email


async def test_complete_despite_faults_and_rate_limit() -> None:
    faults = Faults.uniform(
        0.10, rate_limit=150, burst=10, retry_after=0.02, max_faults_per_request=3, seed=9
    )
    async with serve(
        "livechat", chats=1500, messages_per_chat=4, seed=6, end=END, faults=faults
    ) as sb:
        expected_ids = [r["id"] for r in sb.app.expected_chats()]
        async with sb.client(retry_policy=PATIENT, timeout=10) as client:
            pager = client.chats()
            chats = await pager.collect()
        ids = [c.id for c in chats]
        assert ids == expected_ids
        assert len(set(ids)) == len(ids)
        assert pager.report.complete
        stats = sb.stats
        assert stats.injected > 0
        assert stats.faults.get("rate_limit", 0) > 0
        assert sum(stats.faults.get(k, 0) for k in ("500", "502", "503", "reset")) > 0
        # aiohttp itself repeats a GET once when the connection drops before any answer,
        # so a reset may cost the server a request the client never counted.
        resets = stats.faults.get("reset", 0)
        assert client.stats.retries >= stats.injected - resets
        assert client.stats.requests <= stats.requests <= client.stats.requests + resets


async def test_windowing_above_the_25k_cap_yields_each_chat_once() -> None:
    async with serve(
        "livechat",
        chats=26_000,
        messages_per_chat=1,
        seed=8,
        start=END - dt.timedelta(days=6),
        end=END,
    ) as sb:
        async with sb.client(retry_policy=NO_WAIT, max_concurrency=16) as client:
            pager = client.chats()
            ids = [chat.id async for chat in pager]
        assert len(ids) == 26_000 == len(set(ids))
        assert pager.report.windows > 1 and pager.report.complete
        from chatapi.sandbox.livechat import chat_id

        assert set(ids) == {chat_id(8, i) for i in range(26_000)}


async def test_page_drift_yields_no_duplicates() -> None:
    async with serve("livechat", chats=300, seed=10, end=END, faults=Faults(page_drift=8)) as sb:
        async with sb.client(retry_policy=NO_WAIT, max_concurrency=2) as client:
            pager = client.chats()
            ids = [c.id for c in await pager.collect()]
        assert len(ids) == len(set(ids))
        assert pager.report.duplicates_dropped > 0
        existing = {r["id"] for r in sb.app.expected_chats()}
        assert set(ids) <= existing
