"""Request shapes of both generations: URLs, auth, verbs, form/JSON bodies, filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aioresponses import aioresponses

import chatapi

THREAD = "acquire_v1-profile-message-thread_acquireio-developer.acquire.io.json"
MESSAGES = "acquire_v1-profile-lead-message_seed.json"
AGENTS = "acquire_v1-account-agents_acquireio-developer.acquire.io.json"
LEADS = "acquire_v1-profile-lead-list_acquireio-developer.acquire.io.json"
CASES = "acquire_v2-case-list_acquireio-developer.acquire.io.json"
USER = "acquire_v2-account-user-get_acquireio-developer.acquire.io.json"


# -- default URLs and auth (aioresponses: no real host is contacted) -------------------------


async def test_v1_default_url_auth_and_form_body(fixture_json: Callable[[str], Any]) -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(
                "https://app.acquire.io/api/profile/lead/detail",
                payload={"success": True, "error": None, "data": {"id": 3393, "visitor_id": 7}},
            )
            visitor = await client.get_visitor("3393")
            ((method, url), calls) = next(iter(mocked.requests.items()))
        assert (method, str(url)) == ("POST", "https://app.acquire.io/api/profile/lead/detail")
        kwargs = calls[0].kwargs
        assert kwargs["headers"]["Authorization"] == "Bearer TKN"
        assert dict(kwargs["data"]) == {"id": "3393"}
        assert visitor.id == "7"


async def test_v2_default_url_and_auth(fixture_json: Callable[[str], Any]) -> None:
    async with chatapi.Acquire(api_key="KEY", account_id="acme") as client:
        with aioresponses() as mocked:
            mocked.get("https://acme.acquire.io/api/v1/account/user/19", payload=fixture_json(USER))
            agent = await client.get_agent("19")
            ((method, url), calls) = next(iter(mocked.requests.items()))
        assert (method, str(url)) == ("GET", "https://acme.acquire.io/api/v1/account/user/19")
        assert calls[0].kwargs["headers"]["Authorization"] == "Bearer KEY"
        assert agent.id == "19"


# -- v1 on a real local server ---------------------------------------------------------------


async def test_v1_reads_are_posts_with_bearer_and_form_bodies(
    fake: Any, v1: Any, token: str, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("POST", "/api/profile/message/thread", fake.ok(fixture_json(THREAD)))
    fake.route("POST", "/api/profile/lead/message", fake.ok(fixture_json(MESSAGES)))
    chats = await v1.chats(visitor_id="565").collect()
    assert [c.id for c in chats] == ["445", "446", "616"]
    thread_call = fake.calls("POST", "/api/profile/message/thread")[0]
    assert thread_call.headers["Authorization"] == f"Bearer {token}"
    assert thread_call.content_type == "application/x-www-form-urlencoded"
    assert dict(thread_call.form) == {
        "lead_id": "0",
        "visitor_id": "565",
        "limit": "25",
        "page": "1",
    }
    message_calls = fake.calls("POST", "/api/profile/lead/message")
    # One Profile Message API call per thread, selecting the thread's latest chat.
    assert sorted(dict(c.form)["thread_id"] for c in message_calls) == ["445", "446", "616"]
    first = next(dict(c.form) for c in message_calls if dict(c.form)["thread_id"] == "446")
    assert first == {"thread_id": "446", "visitor_id": "565", "last_chat_id": "2142"}


async def test_v1_filters_reach_the_request(
    fake: Any, v1: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("POST", "/api/profile/message/thread", fake.ok(fixture_json(THREAD)))
    chats = await v1.chats(visitor_id=565, include_messages=False, page_size=10).collect()
    assert len(chats) == 3
    assert all(c.messages == () for c in chats)
    form = dict(fake.calls("POST", "/api/profile/message/thread")[0].form)
    assert form["visitor_id"] == "565"
    assert form["limit"] == "10"
    assert fake.calls("POST", "/api/profile/lead/message") == []

    fake.route("POST", "/api/profile/lead/list", fake.ok(fixture_json(LEADS)))
    await v1.visitors(master="chathistory", page_size=5).collect()
    form = fake.calls("POST", "/api/profile/lead/list")[0].form
    assert form == [("filter[master]", "chathistory"), ("page", "1"), ("limit", "5")]


async def test_v1_agents_use_a_json_body(
    fake: Any, v1: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("POST", "/api/account/agents", fake.ok(fixture_json(AGENTS)))
    agents = await v1.agents(sort_by="user_name", order="DESC", page_size=25).collect()
    assert [a.id for a in agents] == ["14755"]
    call = fake.calls("POST", "/api/account/agents")[0]
    assert call.content_type == "application/json"
    assert call.json == {"page": 1, "limit": 25, "sort_by": {"key": "user_name", "order": "desc"}}


async def test_v1_get_agent_posts_the_id(fake: Any, v1: Any) -> None:
    # The agents/edit doc example repeats "role" (1, then "Administrator"): the last one wins.
    body = (
        b'{"success": true, "error": null, "data": {"id": 5, "name": "Ann", "email": "a@x.io",'
        b' "status": "active", "role": 1, "department": 3, "role": "Administrator"}}'
    )
    fake.route("POST", "/api/account/agents/edit", (200, body, {}))
    agent = await v1.get_agent("5")
    assert dict(fake.calls("POST", "/api/account/agents/edit")[0].form) == {"id": "5"}
    assert (agent.id, agent.name, agent.email) == ("5", "Ann", "a@x.io")
    assert agent.role is chatapi.AgentRole.ADMIN
    assert agent.group_ids == ("3",)


async def test_v1_get_chat_posts_thread_and_visitor(
    fake: Any, v1: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("POST", "/api/profile/lead/message", fake.ok(fixture_json(MESSAGES)))
    chat = await v1.get_chat("445", visitor_id="61793")
    form = dict(fake.calls("POST", "/api/profile/lead/message")[0].form)
    assert form == {"thread_id": "445", "visitor_id": "61793"}
    assert chat.id == "445"
    assert len(chat.messages) == 2


@pytest.mark.parametrize(
    ("operation", "filters"),
    [
        ("chats", {"date_from": "2024-01-01"}),
        ("offline_messages", {"include_messages": True}),
        ("agents", {"status": "active"}),
        ("visitors", {"query": "x"}),
    ],
)
async def test_v1_unknown_filter_raises_before_any_request(
    fake: Any, v1: Any, operation: str, filters: dict[str, Any]
) -> None:
    with pytest.raises(TypeError, match="unknown filter"):
        getattr(v1, operation)(**filters)
    assert fake.requests == []


@pytest.mark.parametrize(
    "filters",
    [
        {"page_size": 0},
        {"page_size": 101},
        {"page_size": "10"},
        {"include_messages": "yes"},
        {"order": "sideways"},
        {"visitor_id": ""},
        {"visitor_id": True},
    ],
)
async def test_v1_bad_filter_values_raise_value_error(
    fake: Any, v1: Any, filters: dict[str, Any]
) -> None:
    operation = "agents" if "order" in filters else "chats"
    with pytest.raises(ValueError):
        getattr(v1, operation)(**filters)
    assert fake.requests == []


# -- v2 on a real local server ---------------------------------------------------------------


async def test_v2_listing_query_filters_and_relations(
    fake: Any, v2: Any, api_key: str, fixture_json: Callable[[str], Any]
) -> None:
    body = fixture_json(CASES)
    body["data"]["count"] = 2
    fake.route("GET", "/api/v1/crm/objects/case", fake.ok(body))
    chats = await v2.chats(
        status="active",
        channel="chat",
        contact_id=5,
        where="dateCreated|gte|2021-01-01",
        page_size=2,
    ).collect()
    assert [c.id for c in chats] == ["1", "2"]
    call = fake.calls("GET", "/api/v1/crm/objects/case")[0]
    assert call.headers["Authorization"] == f"Bearer {api_key}"
    assert ("limit", "2") in call.query
    assert ("offset", "0") in call.query
    assert ("relations", "contact|users|messages") in call.query
    wheres = [v for k, v in call.query if k == "where"]
    assert wheres == [
        "dateCreated|gte|2021-01-01",
        "status|eq|active",
        "channel|eq|chat",
        "contactId|eq|5",
    ]


async def test_v2_without_messages_drops_the_relation(
    fake: Any, v2: Any, fixture_json: Callable[[str], Any]
) -> None:
    body = fixture_json(CASES)
    body["data"]["count"] = 2
    fake.route("GET", "/api/v1/crm/objects/case", fake.ok(body))
    chats = await v2.chats(include_messages=False, page_size=2).collect()
    assert [c.id for c in chats] == ["1", "2"]
    assert ("relations", "contact|users") in fake.requests[0].query


async def test_v2_get_chat_asks_for_the_transcript(fake: Any, v2: Any) -> None:
    fake.route("GET", "/api/v1/crm/objects/case/a/b", fake.ok({"data": {"id": 30}}))
    chat = await v2.get_chat("a/b")
    # The id is one quoted path segment: it cannot reach another resource.
    assert fake.requests[0].raw_path.startswith("/api/v1/crm/objects/case/a%2Fb?")
    assert ("relations", "contact|users|messages") in fake.requests[0].query
    assert chat.id == "30"


async def test_v2_agents_and_visitors_filters(
    fake: Any, v2: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("GET", "/api/v1/account/user", fake.ok({"data": {"count": 0, "data": []}}))
    fake.route(
        "GET",
        "/api/v1/crm/objects/contact",
        fake.ok({"data": {"list": [], "counts": {"total": 0}}}),
    )
    assert await v2.agents(status="active").collect() == []
    assert await v2.visitors(where=["status|eq|active", "isBlocked|eq|NO"]).collect() == []
    agents_call = fake.calls("GET", "/api/v1/account/user")[0]
    assert ("where", "status|eq|active") in agents_call.query
    contact_call = fake.calls("GET", "/api/v1/crm/objects/contact")[0]
    assert [v for k, v in contact_call.query if k == "where"] == [
        "status|eq|active",
        "isBlocked|eq|NO",
    ]


async def test_v2_has_no_offline_messages(fake: Any, v2: Any) -> None:
    with pytest.raises(chatapi.UnsupportedOperationError):
        v2.offline_messages()
    with pytest.raises(chatapi.UnsupportedOperationError):
        await v2.get_offline_message("1")
    assert fake.requests == []


@pytest.mark.parametrize(
    ("operation", "filters"),
    [
        ("chats", {"visitor_id": "1"}),
        ("agents", {"sort_by": "name"}),
        ("visitors", {"master": "chathistory"}),
    ],
)
async def test_v2_unknown_filter_raises_before_any_request(
    fake: Any, v2: Any, operation: str, filters: dict[str, Any]
) -> None:
    with pytest.raises(TypeError, match="unknown filter"):
        getattr(v2, operation)(**filters)
    assert fake.requests == []


async def test_v2_where_must_look_like_a_condition(fake: Any, v2: Any) -> None:
    with pytest.raises(ValueError, match=r"status\|eq\|active"):
        v2.chats(where="status=active")
    assert fake.requests == []
