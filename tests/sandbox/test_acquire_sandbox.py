"""The Acquire sandbox: v1 envelope and POST reads, v2 REST shapes and offset paging."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from chatapi.sandbox import Sandbox, serve
from chatapi.sandbox.shapes import shape_diff


@pytest.fixture
async def v1() -> AsyncIterator[tuple[Sandbox, Callable[..., Any]]]:
    async with serve("acquire", generation="v1", chats=60, seed=4) as sb:
        headers = {"Authorization": "Bearer " + sb.credentials["token"]}
        async with aiohttp.ClientSession(headers=headers) as session:

            async def post(path: str, form: Any = None, json_body: Any = None) -> Any:
                url = sb.credentials["base_url"] + path
                async with session.post(url, data=form, json=json_body) as resp:
                    return resp.status, await resp.json()

            yield sb, post


@pytest.fixture
async def v2() -> AsyncIterator[tuple[Sandbox, Callable[..., Any]]]:
    async with serve("acquire", generation="v2", chats=60, seed=4) as sb:
        headers = {"Authorization": "Bearer " + sb.credentials["api_key"]}
        async with aiohttp.ClientSession(headers=headers) as session:

            async def get(path: str, params: Any = None) -> Any:
                url = sb.credentials["base_url"] + path
                async with session.get(url, params=params) as resp:
                    return resp.status, await resp.json()

            yield sb, get


async def test_v1_agents_match_the_sample(
    v1: tuple[Sandbox, Callable[..., Any]], sample: Callable[[str], Any]
) -> None:
    _, post = v1
    status, body = await post("/account/agents", json_body={"page": 1, "limit": 25})
    assert status == 200
    reference = sample("acquire_v1-account-agents_acquireio-developer.acquire.io.json")
    assert shape_diff(reference, body) == []
    assert body["data"]["count"] == 8 and body["data"]["limit"] == 25


async def test_v1_threads_and_messages_match_the_samples(
    v1: tuple[Sandbox, Callable[..., Any]], sample: Callable[[str], Any]
) -> None:
    _, post = v1
    _, profiles = await post(
        "/profile/lead/list", {"limit": "50", "page": "1", "filter[master]": "chathistory"}
    )
    assert profiles["success"] is True and profiles["data"]["total"] > 0
    visitor = profiles["data"]["data"][0]["visitor_id"]
    status, threads = await post(
        "/profile/message/thread",
        {"lead_id": "0", "visitor_id": str(visitor), "limit": "20", "page": "1"},
    )
    assert status == 200
    reference = sample("acquire_v1-profile-message-thread_acquireio-developer.acquire.io.json")
    assert shape_diff(reference, threads) == []
    thread = threads["data"]["messages"][0]
    _, messages = await post(
        "/profile/lead/message",
        {"thread_id": str(thread["thread_id"]), "visitor_id": str(visitor)},
    )
    assert shape_diff(sample("acquire_v1-profile-lead-message_doc.json"), messages) == []
    assert {m["chat_id"] for m in messages["data"]["messages"]} == {thread["chat_id"]}


async def test_v1_failures_are_success_false(v1: tuple[Sandbox, Callable[..., Any]]) -> None:
    sb, post = v1
    status, body = await post("/profile/lead/detail", {"id": "1"})
    assert (status, body["success"], body["data"]) == (200, False, None)
    assert isinstance(body["error"], str)
    async with aiohttp.ClientSession() as session:
        url = sb.credentials["base_url"] + "/account/agents"
        async with session.post(url, headers={"Authorization": "Bearer nope"}) as resp:
            assert resp.status == 401
            assert (await resp.json())["success"] is False


async def test_v2_case_list_matches_the_sample(
    v2: tuple[Sandbox, Callable[..., Any]], sample: Callable[[str], Any]
) -> None:
    _, get = v2
    params = {"limit": "2", "select": "id|channel|contact|threadId", "relations": "contact"}
    status, body = await get("/crm/objects/case", params)
    assert status == 200
    reference = sample("acquire_v2-case-list_acquireio-developer.acquire.io.json")
    assert shape_diff(reference, body) == []
    assert body["data"]["count"] == 60 and len(body["data"]["data"]) == 2


async def test_v2_offset_paging_and_where(v2: tuple[Sandbox, Callable[..., Any]]) -> None:
    sb, get = v2
    ids = []
    for offset in range(0, 60, 25):
        _, body = await get("/crm/objects/case", {"limit": "25", "offset": str(offset)})
        assert body["data"]["offset"] == offset and body["data"]["count"] == 60
        ids += [c["id"] for c in body["data"]["data"]]
    assert ids == list(range(1, 61))
    _, body = await get("/crm/objects/case", [("where", "closingState|eq|missed")])
    assert body["data"]["count"] == sum(sb.dataset.chat_missed[:60])


async def test_v2_message_and_user_match_the_samples(
    v2: tuple[Sandbox, Callable[..., Any]], sample: Callable[[str], Any]
) -> None:
    _, get = v2
    _, cases = await get("/crm/objects/case", {"relations": "messages", "limit": "10"})
    message = next(
        m for c in cases["data"]["data"] for m in c["messages"] if m["senderType"] == "user"
    )
    status, single = await get(f"/crm/objects/case-message/{message['id']}")
    assert status == 200 and single["data"] == message
    reference = sample("acquire_v2-case-message-get_acquireio-developer.acquire.io.json")
    assert shape_diff(reference, single) == []
    status, user = await get("/account/user/2")
    assert status == 200
    assert (
        shape_diff(sample("acquire_v2-account-user-get_acquireio-developer.acquire.io.json"), user)
        == []
    )
    _, users = await get("/account/user")
    assert users["data"]["count"] == 8
    _, contacts = await get("/crm/objects/contact", {"limit": "5"})
    assert len(contacts["data"]["list"]) == 5 and contacts["data"]["counts"]["total"] > 5


async def test_v2_errors(v2: tuple[Sandbox, Callable[..., Any]]) -> None:
    sb, get = v2
    status, body = await get("/crm/objects/case/999")
    assert status == 400 and body["error"]["type"] == "ERROR_RECORD_NOT_FOUND"
    async with aiohttp.ClientSession() as session:
        url = sb.credentials["base_url"] + "/account/user"
        async with session.get(url, headers={"Authorization": "Bearer nope"}) as resp:
            assert resp.status == 401
            assert (await resp.json())["error"]["type"] == "ERROR_UNAUTHORIZED"
