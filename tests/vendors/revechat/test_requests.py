"""What goes on the wire: auth headers, URL shapes of both generations, filters, envelopes."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from aioresponses import aioresponses

from chatapi import ResponseFormatError, UnsupportedOperationError
from chatapi.vendors.revechat import ReveChat

if TYPE_CHECKING:
    from conftest import FakeReve

PASSWORD = "hunter2-PASSWORD"
ANY_URL = re.compile(r"^https://api\.revechat\.com/.*$")


def _basic() -> str:
    return "Basic " + base64.b64encode(f"john@example.com:{PASSWORD}".encode()).decode()


async def test_legacy_default_urls_and_basic_auth() -> None:
    async with ReveChat(email="john@example.com", password=PASSWORD) as client:
        with aioresponses() as mocked:
            record = {"agent_id": 1, "offline_message_id": 1, "chat_id": 1, "visitor_id": 1}
            mocked.get(ANY_URL, payload=record, repeat=True)
            await client.get_agent("463")
            await client.get_offline_message("744")
            await client.get_chat("9")
            await client.get_visitor("668745")
            calls = [(str(url), kw) for (_, url), seen in mocked.requests.items() for kw in seen]
        urls = [url for url, _ in calls]
        assert urls == [
            "https://api.revechat.com/api/agents/463",
            "https://api.revechat.com/api/offlinemessages/744",
            "https://api.revechat.com/api/chats/9",
            "https://api.revechat.com/api/visitors/668745",
        ]
        for _, call in calls:
            assert call.kwargs["headers"]["Authorization"] == _basic()


async def test_current_default_urls_and_raw_key_header(make_key: Callable[..., str]) -> None:
    key = make_key(account="8683034")
    async with ReveChat(auth_key=key, account_id="8683034") as client:
        with aioresponses() as mocked:
            mocked.get(ANY_URL, payload={"status": "success", "body": []}, repeat=True)
            assert await client.agents().collect() == []
            assert await client.chats().collect() == []
            calls = [(str(url), kw) for (_, url), seen in mocked.requests.items() for kw in seen]
        urls = {url for url, _ in calls}
        # Published shapes: /api/agents/{account_id} and /api/chats/{account_id}/
        # (https://www.revechat.com/hc/introduction-to-rest-api).
        assert "https://api.revechat.com/api/agents/8683034?page_no=1" in urls
        assert "https://api.revechat.com/api/chats/8683034/?page_no=1" in urls
        for _, call in calls:
            # The bare key, no scheme word.
            assert call.kwargs["headers"]["Authorization"] == key


@pytest.mark.parametrize(
    ("generation", "operation", "path"),
    [
        ("legacy", "agents", "/api/agents/"),
        ("legacy", "chats", "/api/chats/"),
        ("legacy", "offline_messages", "/api/offlinemessages/"),
        ("legacy", "visitors", "/api/visitors/"),
        ("current", "agents", "/api/agents/8683034"),
        ("current", "chats", "/api/chats/8683034/"),
        ("current", "offline_messages", "/api/offlinemessages/8683034/"),
        ("current", "visitors", "/api/visitors/8683034/"),
    ],
)
async def test_listing_paths_and_page_no(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    generation: str,
    operation: str,
    path: str,
) -> None:
    server.reply([])
    if generation == "legacy":
        client = make_client()
        expected_auth = _basic()
    else:
        expected_auth = make_key()
        client = make_client(auth_key=expected_auth, account_id="8683034")
    assert await getattr(client, operation)().collect() == []
    first = server.requests[0]
    assert first.method == "GET"
    assert first.path == path
    assert first.query == {"page_no": "1"}
    assert first.headers["authorization"] == expected_auth
    assert first.headers["accept"] == "application/json"


@pytest.mark.parametrize(
    ("getter", "path"),
    [
        ("get_agent", "/api/agents/8683034/77273"),
        ("get_chat", "/api/chats/8683034/77273"),
        ("get_offline_message", "/api/offlinemessages/8683034/77273"),
        ("get_visitor", "/api/visitors/8683034/77273"),
    ],
)
async def test_current_single_record_paths(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    getter: str,
    path: str,
) -> None:
    record = {
        "agent_id": 77273,
        "chat_id": 77273,
        "offline_message_id": 77273,
        "visitor_id": 77273,
    }
    server.reply({"status": "success", "message": "found", "body": record})
    client = make_client(auth_key=make_key())
    result = await getattr(client, getter)("77273")
    assert result.id == "77273"
    assert [r.path for r in server.requests] == [path]
    assert server.requests[0].query == {}


async def test_ids_cannot_change_the_path_shape(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply({"agent_id": 1})
    client = make_client()
    await client.get_agent("../chats?x=1")
    assert server.requests[0].path == "/api/agents/../chats?x=1"
    assert server.requests[0].query == {}
    with pytest.raises(ValueError):
        await client.get_agent("..")


# -- filters ----------------------------------------------------------------------------------


async def test_every_chat_filter_reaches_the_query_string(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply([])
    client = make_client()
    pager = client.chats(
        date_from=dt.date(2016, 10, 1),
        date_to="2017-01-10",
        agent_id=724,
        agent_email_id="mary@example.com",
    )
    assert await pager.collect() == []
    # The docs' own combined example (the legacy reference's Chats page, linked from
    # https://docs.revechat.com/developers-docs/rest/introduction).
    assert server.requests[0].query == {
        "date_from": "2016-10-01",
        "date_to": "2017-01-10",
        "agent_id": "724",
        "agent_email_id": "mary@example.com",
        "page_no": "1",
    }


async def test_filter_values_of_none_are_left_out(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply([])
    client = make_client()
    await client.chats(date_from=None, agent_id="463").collect()
    assert server.requests[0].query == {"agent_id": "463", "page_no": "1"}


@pytest.mark.parametrize(
    ("operation", "filters"),
    [
        ("chats", {"agent": "463"}),
        ("chats", {"page_no": 3}),
        ("offline_messages", {"date_from": "2024-01-01"}),
        ("agents", {"status": "online"}),
        ("visitors", {"country": "BANGLADESH"}),
    ],
)
async def test_unknown_filter_is_a_type_error_before_any_request(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    operation: str,
    filters: dict[str, Any],
) -> None:
    client = make_client()
    with pytest.raises(TypeError, match="unknown filter"):
        getattr(client, operation)(**filters)
    assert server.requests == []


@pytest.mark.parametrize(
    ("filters", "fragment"),
    [
        ({"date_from": "01/10/2016"}, "date_from"),
        ({"date_to": 20170110}, "date_to"),
        ({"agent_id": True}, "agent_id"),
        ({"agent_id": 4.5}, "agent_id"),
        ({"agent_email_id": ""}, "agent_email_id"),
        ({"date_from": "2017-02-01", "date_to": "2017-01-01"}, "after"),
    ],
)
async def test_bad_filter_values_raise_value_error(
    server: FakeReve, make_client: Callable[..., ReveChat], filters: dict[str, Any], fragment: str
) -> None:
    client = make_client()
    with pytest.raises(ValueError, match=fragment):
        client.chats(**filters)
    assert server.requests == []


async def test_capabilities_declare_each_listing_and_its_filters() -> None:
    assert ReveChat.capabilities == {
        "chats": frozenset({"date_from", "date_to", "agent_id", "agent_email_id"}),
        "offline_messages": frozenset(),
        "agents": frozenset(),
        "visitors": frozenset(),
    }


def test_both_generations_declare_the_same_operations_and_filters() -> None:
    from chatapi.vendors.revechat._endpoints import CURRENT_ENDPOINTS, LEGACY_ENDPOINTS

    operations = {
        "chats",
        "get_chat",
        "offline_messages",
        "get_offline_message",
        "agents",
        "get_agent",
        "visitors",
        "get_visitor",
    }
    assert set(ReveChat.endpoints) == set(LEGACY_ENDPOINTS) == set(CURRENT_ENDPOINTS)
    assert set(LEGACY_ENDPOINTS) == operations
    for name, row in LEGACY_ENDPOINTS.items():
        assert CURRENT_ENDPOINTS[name].filters == row.filters
        assert "{account}" in CURRENT_ENDPOINTS[name].path
        assert "{account}" not in row.path


# -- envelopes --------------------------------------------------------------------------------


@pytest.mark.parametrize("generation", ["legacy", "current"])
@pytest.mark.parametrize(
    "first_page",
    [
        [{"agent_id": 1}, {"agent_id": 2}],
        {
            "status": "success",
            "message": "Agents found",
            "body": [{"agent_id": 1}, {"agent_id": 2}],
        },
    ],
    ids=["bare-array", "envelope"],
)
async def test_both_envelopes_are_accepted_whatever_the_generation(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    generation: str,
    first_page: Any,
) -> None:
    pages = {"1": first_page}
    empty: Any = [] if isinstance(first_page, list) else {"status": "success", "body": None}

    async def handler(request: Any) -> Any:
        from aiohttp import web

        body = pages.get(request.query["page_no"], empty)
        return web.json_response(body)

    server.handler = handler
    client = make_client() if generation == "legacy" else make_client(auth_key=make_key())
    agents = await client.agents().collect()
    assert [a.id for a in agents] == ["1", "2"]


@pytest.mark.parametrize(
    "body",
    [{"status": "success", "body": {"agent_id": 1}}, {"agents": []}, "null", 5],
    ids=["body-object", "other-key", "null", "number"],
)
async def test_listing_body_of_another_shape_is_a_response_format_error(
    server: FakeReve, make_client: Callable[..., ReveChat], body: Any
) -> None:
    server.reply(body)
    client = make_client(max_retries=0)
    with pytest.raises(ResponseFormatError) as info:
        await client.agents().collect()
    assert info.value.vendor == "revechat"


async def test_single_record_in_a_one_item_list_is_accepted(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply({"status": "success", "body": [{"visitor_id": 5, "name": "Ann"}]})
    visitor = await make_client().get_visitor("5")
    assert (visitor.id, visitor.name) == ("5", "Ann")


async def test_single_record_as_an_empty_list_is_not_found(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    from chatapi import NotFoundError

    server.reply({"status": "success", "message": "No agent", "body": []})
    with pytest.raises(NotFoundError) as info:
        await make_client().get_agent("5")
    assert info.value.status == 200
    assert info.value.path == "/api/agents/5"


async def test_acquire_style_operations_stay_unsupported() -> None:
    async with ReveChat(email="john@example.com", password=PASSWORD) as client:
        with pytest.raises(UnsupportedOperationError):
            client._check_filters("tickets", {})


async def test_success_envelope_without_body_is_an_empty_listing(
    server: FakeReve, make_client: Callable[..., ReveChat], make_key: Callable[..., str]
) -> None:
    server.reply({"status": "success", "message": "No chats found"})
    pager = make_client(auth_key=make_key()).chats()
    assert await pager.collect() == []
    assert pager.report.pages == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": "success", "message": "No visitor found"}, "No visitor found"),
        ({"status": "success", "message": "", "body": None}, "no visitor found"),
        ({"status": "success", "body": []}, "no visitor found"),
    ],
)
async def test_single_record_envelope_without_a_record_is_not_found(
    server: FakeReve, make_client: Callable[..., ReveChat], body: Any, message: str
) -> None:
    from chatapi import NotFoundError

    server.reply(body)
    with pytest.raises(NotFoundError) as info:
        await make_client().get_visitor("5")
    assert info.value.status == 200
    assert info.value.message == message


async def test_single_record_of_another_shape_is_a_response_format_error(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply([{"visitor_id": 1}, {"visitor_id": 2}])
    with pytest.raises(ResponseFormatError):
        await make_client(max_retries=0).get_visitor("5")


async def test_caller_session_is_used_and_left_open(server: FakeReve) -> None:
    import aiohttp

    server.reply([])
    async with aiohttp.ClientSession() as session:
        client = ReveChat(
            email="john@example.com", password=PASSWORD, base_url=server.url, session=session
        )
        async with client:
            assert await client.agents().collect() == []
        assert not session.closed
        assert len(server.requests) >= 1
