"""chatapi.Acquire against the Acquire sandbox, both generations."""

from __future__ import annotations

import asyncio

import pytest

import chatapi
from chatapi.sandbox import Faults, serve

NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=5)
PATIENT = chatapi.RetryPolicy.no_wait(max_retries=15)


async def test_v1_chats_offline_messages_and_agents() -> None:
    async with serve("acquire", generation="v1", chats=80, seed=5, offline_messages=12) as sb:
        app = sb.app
        async with sb.client(retry_policy=NO_WAIT) as client:
            chats = await client.chats().collect()
            threads = {str(t["thread_id"]) for t in app.expected_v1_threads()}
            offline_threads = {str(700_000 + i) for i in range(12)}
            # v1 has no chat index: the adapter lists every thread of every profile, except
            # the offline-message threads (those are offline_messages() only).
            assert {c.id for c in chats} == threads
            assert not {c.id for c in chats} & offline_threads
            assert len(chats) == len({c.id for c in chats})
            for chat in chats:
                if chat.id in threads:
                    index = int(chat.id) - 400
                    assert [m.text for m in chat.messages] == [
                        m.text for m in sb.dataset.chat(index).messages
                    ]
            offline = await client.offline_messages().collect()
            assert {m.id for m in offline} == offline_threads
            spec = sb.dataset.offline_message(0)
            first = next(m for m in offline if m.id == "700000")
            assert first.text == spec.text and len(first.replies) == len(spec.replies)
            agents = await client.agents().collect()
            assert [a.email for a in agents] == [a.email for a in sb.dataset.agents]
            assert (await client.get_agent(agents[3].id)).email == agents[3].email


async def test_v1_chats_and_offline_messages_are_disjoint() -> None:
    # An export of both must not hold the offline threads twice.
    sandbox = serve("acquire", generation="v1", chats=80, seed=7, offline_messages=8)
    async with sandbox as sb, sb.client(retry_policy=NO_WAIT) as client:
        chats = await client.chats().collect()
        offline = await client.offline_messages().collect()
        assert len(chats) == 80
        assert len(offline) == 8
        assert not {c.id for c in chats} & {m.id for m in offline}
        # Missed chats stay chats, flagged (their messages carry missed_chat).
        assert sum(c.missed for c in chats) == sum(sb.dataset.chat_missed[:80])


async def test_v2_cases_users_contacts() -> None:
    sandbox = serve("acquire", generation="v2", chats=140, seed=6)
    async with sandbox as sb, sb.client(retry_policy=NO_WAIT) as client:
        chats = await client.chats().collect()
        assert [c.id for c in chats] == [str(i + 1) for i in range(140)]
        assert [len(c.messages) for c in chats] == [
            len(sb.dataset.chat(i).messages) for i in range(140)
        ]
        assert sum(c.missed for c in chats) == sum(sb.dataset.chat_missed[:140])
        one = await client.get_chat("7")
        assert one.id == "7" and [m.text for m in one.messages] == [
            m.text for m in sb.dataset.chat(6).messages
        ]
        agents = await client.agents().collect()
        assert len(agents) == 8
        visitors = await client.visitors().collect()
        assert len(visitors) == sb.dataset.visitor_count
        assert (await client.get_visitor(visitors[4].id)).email == visitors[4].email


@pytest.mark.parametrize("generation", ["v1", "v2"])
async def test_wrong_credentials(generation: str) -> None:
    async with serve("acquire", generation=generation, chats=5) as sb:
        wrong = {"token": "nope"} if generation == "v1" else {"api_key": "nope"}
        async with sb.client(**wrong, retry_policy=NO_WAIT) as client:
            with pytest.raises(chatapi.AuthenticationError):
                await client.agents().collect()


async def test_v2_complete_despite_faults() -> None:
    faults = Faults.uniform(
        0.10, rate_limit=200, burst=10, retry_after=0.02, max_faults_per_request=3, seed=4
    )
    async with serve("acquire", generation="v2", chats=500, seed=7, faults=faults) as sb:
        async with sb.client(retry_policy=PATIENT, timeout=10) as client:
            chats = await client.chats(page_size=25).collect()
        assert [c.id for c in chats] == [str(i + 1) for i in range(500)]
        assert sb.stats.injected > 0
        assert client.stats.retries >= sb.stats.injected - sb.stats.faults.get("reset", 0)


async def test_v1_pages_fetch_their_threads_ahead_of_the_consumer() -> None:
    # A v1 chat page takes three rounds of requests (profiles, their threads, each thread's
    # messages): later pages must run those rounds while the consumer is still on page 1, not
    # wait for the consumer to reach them before sending their second round.
    route = "POST /api/profile/lead/message"
    sandbox = serve("acquire", generation="v1", chats=120, seed=5)
    async with sandbox as sb, sb.client(retry_policy=NO_WAIT, max_concurrency=8) as client:
        every = await client.chats(page_size=5).collect()
        transcripts = sb.stats.paths[route]
        assert transcripts == len(every)  # one per thread
        sb.stats.reset_counters()
        pages = client.chats(page_size=5).pages()  # 8 pages: all within the window
        first = await pages.__anext__()
        for _ in range(200):  # the consumer holds page 1 meanwhile
            if sb.stats.paths.get(route, 0) >= transcripts:
                break
            await asyncio.sleep(0.01)
        assert sb.stats.paths.get(route, 0) == transcripts
        rest = [page async for page in pages]
    assert [c.id for p in [first, *rest] for c in p.items] == [c.id for c in every]
