"""The Acquire v1 fake accepts writes statefully: agents added and updated, profiles added,
updated and deleted, read back through the listings; v1-shaped refusals; faults apply."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

import chatapi
from chatapi.models import AgentRole, NewAgent, NewVisitor
from chatapi.sandbox import Sandbox, serve
from chatapi.sandbox.faults import Faults


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with serve("acquire", generation="v1", chats=30, seed=4) as sb:
        yield sb


def client(sb: Sandbox, **options: Any) -> chatapi.BaseClient:
    options.setdefault("retry_policy", chatapi.RetryPolicy.no_wait())
    return chatapi.Acquire(**sb.credentials, **options)


async def post(sb: Sandbox, path: str, form: Any = None, json_body: Any = None) -> Any:
    headers = {"Authorization": "Bearer " + sb.credentials["token"]}
    async with aiohttp.ClientSession(headers=headers) as session:
        url = sb.credentials["base_url"] + path
        async with session.post(url, data=form, json=json_body) as resp:
            return resp.status, await resp.json()


async def test_an_added_agent_is_listed_and_readable(sandbox: Sandbox) -> None:
    async with client(sandbox) as acq:
        assert await acq.create_agent("Dana Roe", "dana@example.com", "pw-1", role=1) is None
        listed = {a.email: a for a in await acq.agents().collect()}
        dana = listed["dana@example.com"]
        assert dana.name == "Dana Roe" and dana.role == AgentRole.ADMIN
        again = await acq.get_agent(dana.id)
    assert (again.name, again.email) == ("Dana Roe", "dana@example.com")
    assert "pw-1" not in repr(dana.raw) + repr(again.raw)


async def test_an_updated_agent_reads_back_changed(sandbox: Sandbox) -> None:
    async with client(sandbox) as acq:
        first = (await acq.agents().collect())[0]
        await acq.update_agent(first.id, name="Renamed Person", role=2, status="disable")
        again = await acq.get_agent(first.id)
        listed = {a.id: a for a in await acq.agents().collect()}
    assert again.name == listed[first.id].name == "Renamed Person"
    assert listed[first.id].role == AgentRole.AGENT
    assert listed[first.id].raw["user_status"] == "disable"


async def test_agent_writes_are_refused_in_the_v1_envelope(sandbox: Sandbox) -> None:
    status, body = await post(sandbox, "/account/agents/add", {"name": "x", "email": "x@y.z"})
    assert status == 200
    assert body == {"success": False, "error": "The role field is required.", "data": None}
    first = sandbox.app.dataset.agents[0]  # type: ignore[attr-defined]
    async with client(sandbox) as acq:
        with pytest.raises(chatapi.ConflictError):
            await acq.create_agent("Twin", first.email.upper(), "pw")
        with pytest.raises(chatapi.NotFoundError):
            await acq.update_agent("999999", name="x")
        agent = (await acq.agents().collect())[0]
    _, body = await post(
        sandbox, "/account/agents/update", {"id": agent.id, "email": "other@example.com"}
    )
    assert body["error"] == "Email address can not be changed"


async def test_profiles_added_updated_and_deleted_round_trip(sandbox: Sandbox) -> None:
    async with client(sandbox) as acq:
        before = await acq.visitors().collect()
        await acq.add_or_update_profile(
            name="Ann Lee", email="ann@example.com", tags=[73, 74], extra_field={"plan": "gold"}
        )
        listed = await acq.visitors().collect()
        assert len(listed) == len(before) + 1
        ann = next(v for v in listed if v.email == "ann@example.com")
        assert ann.name == "Ann Lee" and ann.raw["tags"] == "73,74"
        detail = await acq.get_visitor(str(ann.raw["id"]))
        assert detail.raw["fields"] == {"plan": "gold"}
        await acq.add_or_update_profile(visitor_id=ann.id, phone="555")
        updated = next(v for v in await acq.visitors().collect() if v.id == ann.id)
        assert updated.phone == "555"
        # An account-wide chat listing never shows the new profile (no chat history).
        gone = [before[0].raw["id"], ann.raw["id"]]
        await acq.delete_profiles(gone)
        after = await acq.visitors().collect()
        assert {v.raw["id"] for v in after} == {v.raw["id"] for v in before} - {gone[0]}
        with pytest.raises(chatapi.NotFoundError):
            await acq.get_visitor(str(gone[0]))
        with pytest.raises(chatapi.NotFoundError):
            await acq.delete_profiles(gone)


async def test_profile_listing_pages_stay_consistent_after_writes(sandbox: Sandbox) -> None:
    async with client(sandbox) as acq:
        for n in range(3):
            await acq.add_or_update_profile(name=f"P{n}", email=f"p{n}@example.com")
        await acq.delete_profiles([(await acq.visitors().collect())[0].raw["id"]])
        whole = await acq.visitors(page_size=100).collect()
        paged = await acq.visitors(page_size=7).collect()
    assert [v.id for v in paged] == [v.id for v in whole]
    assert [v.email for v in whole[-3:]] == [f"p{n}@example.com" for n in range(3)]


async def test_normalized_writes_create_then_find(sandbox: Sandbox) -> None:
    new_agent = NewAgent(email="Zoe@Example.com", name="Zoe", role=AgentRole.AGENT)
    new_visitor = NewVisitor(name="Vic", email="vic@example.com", phone="1", fields={"a": "b"})
    async with client(sandbox) as acq:
        assert await acq.find_agent(new_agent) is None
        agent = await acq.create_agent(new_agent)
        assert agent.email == "Zoe@Example.com" and agent.role == AgentRole.AGENT
        assert await acq.find_agent(new_agent) == agent
        assert await acq.find_visitor(new_visitor) is None
        profile = await acq.create_visitor(new_visitor)
        assert profile.visitor.email == "vic@example.com" and profile.profile_id
        assert await acq.find_visitor(new_visitor) == profile
        # The e-mail is the key: the same agent again is refused.
        with pytest.raises(chatapi.ConflictError):
            await acq.create_agent(new_agent)


async def test_writes_are_deterministic_from_the_seed() -> None:
    results = []
    for _ in range(2):
        async with serve("acquire", generation="v1", chats=10, seed=9) as sb:
            async with client(sb) as acq:
                await acq.create_agent("A", "a@example.com", "pw")
                await acq.add_or_update_profile(name="B", email="b@example.com")
                agents = await acq.agents().collect()
                visitors = await acq.visitors().collect()
            results.append(([a.raw for a in agents], [v.raw for v in visitors]))
    assert results[0] == results[1]


async def test_faults_apply_to_writes_and_a_reset_write_is_not_repeated() -> None:
    faults = Faults(reset=1.0, seed=1)
    async with serve("acquire", generation="v1", chats=10, seed=2, faults=faults) as sb:
        async with client(sb, max_retries=3) as acq:
            with pytest.raises(chatapi.APIConnectionError):
                await acq.create_agent("A", "a@example.com", "pw")
            assert acq.stats.requests == 1
        assert sb.stats.faults == {"reset": 1}
        assert sb.stats.paths == {"POST /api/account/agents/add": 1}
