"""chatapi.ReveChat against the REVE Chat sandbox, both generations."""

from __future__ import annotations

import pytest

import chatapi
from chatapi.sandbox import Faults, serve

NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=5)
# 429s are not capped by max_faults_per_request: under CPU load a page can meet several in a
# row on top of its injected faults, so fault tests allow more attempts.
PATIENT = chatapi.RetryPolicy.no_wait(max_retries=15)


@pytest.mark.parametrize("generation", ["legacy", "current"])
async def test_listings_return_exactly_the_dataset(generation: str) -> None:
    async with serve("revechat", generation=generation, chats=230, seed=5) as sb:
        app = sb.app
        async with sb.client(retry_policy=NO_WAIT) as client:
            assert client.generation == generation
            chats = await client.chats().collect()
            assert [c.raw for c in chats] == app.expected("chats")
            assert len({c.id for c in chats}) == 230
            assert sum(c.missed for c in chats) == sum(sb.dataset.chat_missed[:230])
            one = await client.get_chat(chats[5].id)
            assert [m.text for m in one.messages] == [
                m.text for m in sb.dataset.chat(230 - 1 - 5).messages
            ]
            offline = await client.offline_messages().collect()
            assert [m.raw for m in offline] == app.expected("offlinemessages")
            detail = await client.get_offline_message(offline[0].id)
            assert len(detail.replies) == offline[0].raw["reply_message_count"]
            agents = await client.agents().collect()
            assert [a.email for a in agents] == [a.email for a in sb.dataset.agents]
            visitors = await client.visitors().collect()
            assert len(visitors) == sb.dataset.visitor_count
            agent_id = agents[2].id
            mine = await client.chats(agent_id=agent_id).collect()
            by_mail = await client.chats(agent_email_id=agents[2].email).collect()
            assert [c.id for c in mine] == [c.id for c in by_mail] != []


async def test_complete_despite_faults() -> None:
    faults = Faults.uniform(
        0.10, rate_limit=200, burst=10, retry_after=0.02, max_faults_per_request=3, seed=2
    )
    async with serve("revechat", generation="current", chats=600, seed=6, faults=faults) as sb:
        async with sb.client(retry_policy=PATIENT, timeout=10) as client:
            chats = await client.chats().collect()
        ids = [c.id for c in chats]
        assert ids == [str(r["chat_id"]) for r in sb.app.expected("chats")]
        assert sb.stats.injected > 0
        # Speculative requests past the end are cancelled, faulted or not: retries can be
        # fewer than injected faults for an open-ended listing, but some must have happened.
        assert client.stats.retries > 0


async def test_wrong_credentials_raise_authentication_error() -> None:
    async with serve("revechat", chats=10) as sb:
        async with sb.client(password="wrong", retry_policy=NO_WAIT) as client:
            with pytest.raises(chatapi.AuthenticationError, match="Bad credentials"):
                await client.agents().collect()
        creds = sb.app.restricted_credentials(sb.base_url)
        async with chatapi.connect("revechat", **creds, retry_policy=NO_WAIT) as client:
            with pytest.raises(chatapi.PermissionDeniedError):
                await client.agents().collect()
