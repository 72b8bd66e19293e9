"""The LiveChat v2 client: request shapes, mapping and errors (aioresponses)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from aioresponses import aioresponses

import chatapi
from chatapi import RetryPolicy

FIXTURES = Path(__file__).parents[2] / "fixtures" / "livechat"
BASE = "https://api.livechatinc.com"
UTC = dt.timezone.utc
SECRET = "SENTINEL-api-key-9f8e7d"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def mocked() -> Any:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def lc() -> AsyncIterator[chatapi.LiveChat]:
    async with chatapi.LiveChat(
        login="john@example.com", api_key=SECRET, retry_policy=RetryPolicy.no_wait()
    ) as client:
        yield client


def sent(mocked: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """Every request aioresponses saw: (method, url with query, kwargs)."""
    calls = []
    for (method, url), entries in mocked.requests.items():
        for entry in entries:
            calls.append((method, str(url), entry.kwargs))
    return calls


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def chats_page(ids: list[str], *, total: int, pages: int) -> dict[str, Any]:
    template = fixture("chat_rest_reference.json")
    return {"chats": [{**template, "id": i} for i in ids], "total": total, "pages": pages}


# -- configuration and auth ---------------------------------------------------------------


async def test_basic_auth_and_api_version_headers(mocked: Any, lc: chatapi.LiveChat) -> None:
    mocked.get(f"{BASE}/agents", payload=fixture("agents.json"))
    await lc.agents().collect()
    ((method, url, kwargs),) = sent(mocked)
    assert (method, url) == ("GET", f"{BASE}/agents")
    headers = kwargs["headers"]
    expected = base64.b64encode(f"john@example.com:{SECRET}".encode()).decode()
    assert headers["Authorization"] == f"Basic {expected}"
    assert headers["X-API-Version"] == "2"
    assert "X-Region" not in headers
    assert kwargs["allow_redirects"] is False


@pytest.mark.parametrize(
    ("token", "region"), [("fra:abc123", "fra"), ("dal:xyz", "dal"), ("fra-legacy", "fra")]
)
async def test_bearer_token_sets_region_from_prefix(mocked: Any, token: str, region: str) -> None:
    mocked.get(f"{BASE}/agents", payload=[])
    async with chatapi.LiveChat(access_token=token) as client:
        await client.agents().collect()
    ((_, _, kwargs),) = sent(mocked)
    assert kwargs["headers"]["Authorization"] == f"Bearer {token}"
    assert kwargs["headers"]["X-Region"] == region
    assert kwargs["headers"]["X-API-Version"] == "2"


async def test_bearer_without_prefix_sends_no_region(mocked: Any) -> None:
    mocked.get(f"{BASE}/agents", payload=[])
    async with chatapi.LiveChat(access_token="plain-token") as client:
        await client.agents().collect()
    ((_, _, kwargs),) = sent(mocked)
    assert "X-Region" not in kwargs["headers"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"login": "john@example.com"},
        {"api_key": "k"},
        {"login": "", "api_key": "k"},
        {"access_token": ""},
        {"access_token": "fra:x", "api_key": "k"},
        {"access_token": "fra:x", "login": "a", "api_key": "k"},
        {"login": "a", "api_key": "k", "max_concurrency": 0},
        {"login": "a", "api_key": "k", "max_retries": -1},
        {"login": "a", "api_key": "k", "timeout": 0},
    ],
)
def test_missing_or_contradictory_credentials(kwargs: dict[str, Any]) -> None:
    with pytest.raises(chatapi.ConfigurationError):
        chatapi.LiveChat(**kwargs)


async def test_connect_by_vendor_name() -> None:
    client = chatapi.connect("livechat", login="a@b.c", api_key=SECRET, max_concurrency=3)
    assert isinstance(client, chatapi.LiveChat)
    assert client.max_concurrency == 3
    await client.close()
    with pytest.raises(chatapi.ConfigurationError, match="unknown vendor 'nope'"):
        chatapi.connect("nope")
    assert {"livechat", "revechat", "acquire"} <= set(chatapi.vendor_names())


async def test_base_url_override(mocked: Any) -> None:
    mocked.get("http://127.0.0.1:9/v2/agents", payload=[])
    async with chatapi.LiveChat(login="a", api_key="k", base_url="http://127.0.0.1:9/v2/") as c:
        await c.agents().collect()
    assert sent(mocked)[0][1] == "http://127.0.0.1:9/v2/agents"


# -- filters --------------------------------------------------------------------------------


async def test_every_chat_filter_reaches_the_query_string(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    mocked.get(
        re.compile(rf"{re.escape(BASE)}/chats\?.*"), payload=chats_page([], total=0, pages=0)
    )
    filters: dict[str, Any] = {
        "date_from": dt.date(2024, 1, 1),
        "date_to": "2024-03-31",
        "type": "chat",
        "visitor_id": "S1.abc",
        "query": "refund please",
        "agent": "john@example.com",
        "group": 2,
        "goal": 71,
        "has_goal": True,
        "rate": "rated_good",
        "timezone": "Europe/Berlin",
        "include_pending": False,
        "tag": ["sales", "vip"],
        "tagged": 1,
        "sale": 5,
        "has_sale": True,
        "queued": False,
        "comment": True,
        "city": "Kraków",
        "region": "Lesser Poland",
        "country": "Poland",
    }
    assert set(filters) == chatapi.LiveChat.capabilities["chats"]
    assert await lc.chats(**filters).collect() == []
    ((_, url, _),) = sent(mocked)
    # aioresponses records the URL with its query sorted: compare as sorted pairs.
    assert sorted(query_of(url)) == sorted(
        [
            ("date_from", "2024-01-01"),
            ("date_to", "2024-03-31"),
            ("type", "chat"),
            ("visitor_id", "S1.abc"),
            ("query", "refund please"),
            ("agent", "john@example.com"),
            ("group", "2"),
            ("goal", "71"),
            ("has_goal", "1"),
            ("rate", "rated_good"),
            ("timezone", "Europe/Berlin"),
            ("include_pending", "0"),
            ("tag[]", "sales"),
            ("tag[]", "vip"),
            ("tagged", "1"),
            ("sale", "5"),
            ("has_sale", "1"),
            ("queued", "0"),
            ("comment", "1"),
            ("city", "Kraków"),
            ("region", "Lesser Poland"),
            ("country", "Poland"),
            ("page", "1"),
        ]
    )


async def test_offline_message_and_agent_filters(mocked: Any, lc: chatapi.LiveChat) -> None:
    mocked.get(
        re.compile(rf"{re.escape(BASE)}/offline_messages\?.*"),
        payload={"offline_messages": [], "total": 0, "pages": 0},
    )
    mocked.get(re.compile(rf"{re.escape(BASE)}/agents\?.*"), payload=[])
    await lc.offline_messages(
        date_from="2024-01-01", date_to=dt.date(2024, 1, 7), skill=2, query="hi"
    ).collect()
    await lc.agents(status="accepting chats").collect()
    (_, offline_url, _), (_, agents_url, _) = sent(mocked)
    assert sorted(query_of(offline_url)) == sorted(
        [
            ("date_from", "2024-01-01"),
            ("date_to", "2024-01-07"),
            ("skill", "2"),
            ("query", "hi"),
            ("page", "1"),
        ]
    )
    assert query_of(agents_url) == [("status", "accepting chats")]


async def test_unknown_filter_raises_type_error_before_any_request(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    with pytest.raises(TypeError, match="date_since"):
        lc.chats(date_since="2024-01-01")
    with pytest.raises(TypeError, match="tag"):
        lc.offline_messages(tag=["x"])
    with pytest.raises(TypeError, match="group"):
        lc.agents(group=1)
    assert sent(mocked) == []


@pytest.mark.parametrize(
    "filters", [{"date_from": "01/02/2024"}, {"has_goal": "yes"}, {"group": 1.5}]
)
def test_bad_filter_values_raise_value_error(lc: chatapi.LiveChat, filters: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(filters))):
        lc.chats(**filters)


# -- listings and mapping ---------------------------------------------------------------------


async def test_multi_page_listing_yields_each_chat_once_in_order(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    ids = [f"C{i:03d}" for i in range(60)]
    for number, start in enumerate(range(0, 60, 25), start=1):
        mocked.get(
            f"{BASE}/chats?page={number}",
            payload=chats_page(ids[start : start + 25], total=60, pages=3),
        )
    pager = lc.chats()
    chats = await pager.collect()
    assert [c.id for c in chats] == ids
    assert pager.total == 60
    assert pager.report.complete
    pages = sorted(dict(query_of(url))["page"] for _, url, _ in sent(mocked))
    assert pages == ["1", "2", "3"]


async def test_pages_expose_number_and_raw_body(mocked: Any, lc: chatapi.LiveChat) -> None:
    body = chats_page(["A", "B"], total=2, pages=1)
    mocked.get(f"{BASE}/chats?page=1", payload=body)
    pages = [page async for page in lc.chats().pages()]
    assert len(pages) == 1
    assert pages[0].number == 1
    assert pages[0].raw == body
    assert [c.id for c in pages[0].items] == ["A", "B"]


async def test_chat_mapping_from_the_rest_reference(mocked: Any, lc: chatapi.LiveChat) -> None:
    payload = fixture("chat_rest_reference.json")
    mocked.get(f"{BASE}/chats/MH022RD0K5", payload=payload)
    chat = await lc.get_chat("MH022RD0K5")
    assert chat.vendor == "livechat"
    assert chat.id == "MH022RD0K5"
    assert chat.started_at == dt.datetime(2013, 1, 23, 10, 40, 53, tzinfo=UTC)
    assert chat.ended_at == dt.datetime(2013, 1, 23, 11, 5, 9, tzinfo=UTC)
    assert chat.visitor == chatapi.Visitor(id="S1355415390.49b8940793", name="Mary Brown")
    assert [(a.kind, a.email) for a in chat.agents] == [
        (chatapi.ParticipantKind.AGENT, "john.doe@mycompany.com"),
        (chatapi.ParticipantKind.SUPERVISOR, "jane.doe@mycompany.com"),
    ]
    (message,) = chat.messages
    assert message.text == "Hello"
    assert message.author.kind is chatapi.ParticipantKind.AGENT
    assert message.author.email == "john.doe@mycompany.com"
    assert message.created_at == dt.datetime(2013, 1, 23, 10, 40, 53, tzinfo=UTC)
    assert chat.tags == ("sales", "support", "feedback")
    assert chat.rating == "not_rated"
    assert chat.group_ids == ("0",)
    assert chat.missed is False
    assert chat.raw == payload


async def test_legacy_flat_visitor_shape_and_message_authors(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    mocked.get(f"{BASE}/chats?page=1", payload=fixture("chats_page_legacy.json"))
    (chat,) = await lc.chats().collect()
    assert chat.visitor.id == "S1355415390.49b8940793"
    assert chat.visitor.name == "Mary Brown"
    kinds = [m.author.kind for m in chat.messages]
    assert kinds == [
        chatapi.ParticipantKind.AGENT,
        chatapi.ParticipantKind.VISITOR,
        chatapi.ParticipantKind.AGENT,
        chatapi.ParticipantKind.SUPERVISOR,
    ]
    assert chat.messages[1].author.id == "S1355415390.49b8940793"
    # One Participant per author, shared by their messages.
    assert chat.messages[0].author is chat.messages[2].author


async def test_missed_chats_map_without_error(mocked: Any, lc: chatapi.LiveChat) -> None:
    missed = fixture("missed_chat.json")
    body = {"chats": [fixture("chat_rest_reference.json"), missed], "total": 2, "pages": 1}
    mocked.get(f"{BASE}/chats?type=missed_chat&page=1", payload=body)
    chats = await lc.chats(type="missed_chat").collect()
    chat = chats[1]
    assert chat.missed is True
    assert chat.agents == ()
    assert chat.messages == ()
    assert chat.started_at == dt.datetime(2024, 2, 10, 14, 3, 22, tzinfo=UTC)
    assert chat.ended_at is None
    assert chat.visitor.email == "anna@example.com"
    assert chat.group_ids == ("1",)
    assert chats[0].missed is False


async def test_unknown_fields_and_user_types_are_tolerated(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    payload = {
        "id": "X1",
        "brand_new_field": {"deep": [1]},
        "messages": [{"user_type": "hologram", "author_name": "?", "text": "t", "timestamp": 1}],
    }
    mocked.get(f"{BASE}/chats/X1", payload=payload)
    chat = await lc.get_chat("X1")
    assert chat.messages[0].author.kind is chatapi.ParticipantKind.UNKNOWN
    assert chat.raw["brand_new_field"] == {"deep": [1]}
    assert chat.started_at is None


async def test_missing_required_field_names_it(mocked: Any, lc: chatapi.LiveChat) -> None:
    mocked.get(
        f"{BASE}/chats?page=1", payload={"chats": [{"type": "chat"}], "total": 1, "pages": 1}
    )
    with pytest.raises(chatapi.ResponseFormatError, match="'id'") as info:
        await lc.chats().collect()
    assert info.value.field == "id"


async def test_listing_without_its_list_is_a_format_error(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    mocked.get(f"{BASE}/chats?page=1", payload={"result": "ok"})
    with pytest.raises(chatapi.ResponseFormatError, match="'chats'"):
        await lc.chats().collect()


async def test_offline_messages_mapping(mocked: Any, lc: chatapi.LiveChat) -> None:
    page = fixture("offline_messages_page.json")
    mocked.get(f"{BASE}/offline_messages?page=1", payload=page)
    mocked.get(
        f"{BASE}/offline_messages?page=2",
        payload={"offline_messages": [], "total": 2, "pages": 2},
    )
    messages = await lc.offline_messages().collect()
    first = messages[0]
    assert first.id == "M144ESBTYG"
    assert first.text == (
        "Hi, \nI'd like to ask about your products, can somebody contact me?\n"
        "Best regards,\nMary Brown"
    )
    assert first.visitor == chatapi.Visitor(name="Mary Brown", email="mary.brown@mycompany.com")
    assert first.group_id == "0"
    assert first.read is None
    assert first.raw == page["offline_messages"][0]
    assert "Your name:" in first.raw["message"]
    assert messages[1].text == "Example message"


async def test_get_offline_message(mocked: Any, lc: chatapi.LiveChat) -> None:
    payload = fixture("offline_messages_page.json")["offline_messages"][1]
    mocked.get(f"{BASE}/offline_messages/M144DSLS7A", payload=payload)
    message = await lc.get_offline_message("M144DSLS7A")
    assert message.id == "M144DSLS7A"
    assert message.group_id == "2"


async def test_agents_mapping(mocked: Any, lc: chatapi.LiveChat) -> None:
    mocked.get(f"{BASE}/agents", payload=fixture("agents.json"))
    detail = fixture("agent_detail.json")
    mocked.get(f"{BASE}/agents/john.doe%40mycompany.com", payload=detail)
    (agent,) = await lc.agents().collect()
    assert agent.id == "john.doe@mycompany.com"
    assert agent.status is chatapi.AgentStatus.ONLINE
    assert agent.role is chatapi.AgentRole.OWNER
    full = await lc.get_agent("john.doe@mycompany.com")
    assert full.group_ids == ("1", "2")
    assert full.raw == detail


@pytest.mark.parametrize(
    ("status", "permission", "expected_status", "expected_role"),
    [
        ("not accepting chats", "administrator", "AWAY", "ADMIN"),
        ("offline", "normal", "OFFLINE", "AGENT"),
        ("on vacation", "overlord", "UNKNOWN", "UNKNOWN"),
    ],
)
async def test_agent_enums(
    mocked: Any,
    lc: chatapi.LiveChat,
    status: str,
    permission: str,
    expected_status: str,
    expected_role: str,
) -> None:
    mocked.get(
        f"{BASE}/agents", payload=[{"login": "a@b.c", "status": status, "permission": permission}]
    )
    (agent,) = await lc.agents().collect()
    assert agent.status is chatapi.AgentStatus[expected_status]
    assert agent.role is chatapi.AgentRole[expected_role]


@pytest.mark.parametrize(
    ("chat_id", "encoded"),
    [
        ("a/b", "a%2Fb"),
        ("a?b", "a%3Fb"),
        ("a#b", "a%23b"),
        ("../etc", "..%2Fetc"),
        ("two words", "two%20words"),
        ("żółw", "%C5%BC%C3%B3%C5%82w"),
    ],
)
async def test_ids_are_quoted_as_one_path_segment(
    mocked: Any, lc: chatapi.LiveChat, chat_id: str, encoded: str
) -> None:
    mocked.get(f"{BASE}/chats/{encoded}", payload={"id": chat_id})
    chat = await lc.get_chat(chat_id)
    assert chat.id == chat_id


@pytest.mark.parametrize("bad", ["", ".", ".."])
async def test_traversal_ids_are_rejected(lc: chatapi.LiveChat, bad: str) -> None:
    with pytest.raises(ValueError):
        await lc.get_chat(bad)


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "cls", "message"),
    [
        (400, {"error": "Invalid date_from"}, chatapi.BadRequestError, "Invalid date_from"),
        (401, {"error": "Invalid credentials"}, chatapi.AuthenticationError, "Invalid credentials"),
        (
            403,
            {"errors": ["access denied", "scope missing"]},
            chatapi.PermissionDeniedError,
            "Access denied; Scope missing",
        ),
        (404, {"error": "Chat not found"}, chatapi.NotFoundError, "Chat not found"),
        (409, {"errors": [{"message": "conflict"}]}, chatapi.ConflictError, "Conflict"),
        (429, {"error": "Too many requests"}, chatapi.RateLimitError, "Too many requests"),
        (500, {"error": "Internal"}, chatapi.ServerError, "Internal"),
        (502, "<html>bad gateway</html>", chatapi.ServerError, "Bad Gateway"),
        (503, "upstream down", chatapi.ServerError, "upstream down"),
        (
            422,
            {"error": {"type": "validation", "message": "bad tag"}},
            chatapi.BadRequestError,
            "bad tag",
        ),
    ],
)
async def test_each_status_maps_to_its_error_class(
    mocked: Any,
    status: int,
    body: Any,
    cls: type[chatapi.APIStatusError],
    message: str,
) -> None:
    async with chatapi.LiveChat(login="a", api_key=SECRET, max_retries=0) as client:
        if isinstance(body, str):
            mocked.get(f"{BASE}/chats/X", status=status, body=body)
        else:
            mocked.get(f"{BASE}/chats/X", status=status, payload=body)
        with pytest.raises(cls) as info:
            await client.get_chat("X")
    err = info.value
    assert type(err) is cls
    assert err.status == status
    assert err.message == message
    assert err.vendor == "livechat"
    assert err.method == "GET"
    assert err.path == "/chats/X"
    assert err.retryable == (status in (429, 500, 502, 503))
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        assert err.vendor_code == "validation"


async def test_retries_with_zero_sleep_policy(mocked: Any, lc: chatapi.LiveChat) -> None:
    mocked.get(f"{BASE}/agents", status=503, body="busy")
    mocked.get(f"{BASE}/agents", status=500, payload={"error": "oops"})
    mocked.get(f"{BASE}/agents", payload=fixture("agents.json"))
    response = await lc._request("GET", "/agents")
    assert response.retries_taken == 2
    assert lc.stats.retries == 2
    assert lc.stats.requests == 3
    assert lc.stats.statuses == {503: 1, 500: 1, 200: 1}


async def test_sustained_5xx_gives_up_with_retryable_error(mocked: Any) -> None:
    async with chatapi.LiveChat(
        login="a", api_key="k", retry_policy=RetryPolicy.no_wait(max_retries=2)
    ) as client:
        for _ in range(3):
            mocked.get(f"{BASE}/chats/X", status=502, body="")
        with pytest.raises(chatapi.ServerError) as info:
            await client.get_chat("X")
    assert info.value.retryable
    assert client.stats.requests == 3


async def test_client_errors_are_not_retried(mocked: Any, lc: chatapi.LiveChat) -> None:
    mocked.get(f"{BASE}/chats/X", status=404, payload={"error": "Not found"})
    with pytest.raises(chatapi.NotFoundError):
        await lc.get_chat("X")
    assert lc.stats.requests == 1


async def test_malformed_json_on_200_is_retried_then_format_error(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    mocked.get(f"{BASE}/agents", body='[{"login": "a@b.c"', content_type="application/json")
    mocked.get(f"{BASE}/agents", payload=fixture("agents.json"))
    agents = await lc.agents().collect()
    assert len(agents) == 1
    for _ in range(4):
        mocked.get(f"{BASE}/agents", body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(chatapi.ResponseFormatError, match="text/html"):
        await lc.agents().collect()


async def test_empty_body_on_200_is_a_format_error(mocked: Any) -> None:
    async with chatapi.LiveChat(login="a", api_key="k", max_retries=0) as client:
        mocked.get(f"{BASE}/agents", body="")
        with pytest.raises(chatapi.ResponseFormatError, match="empty body"):
            await client.agents().collect()


async def test_misdirected_request_switches_region_and_retries_once(mocked: Any) -> None:
    body = {
        "error": {
            "type": "misdirected_request",
            "message": "Wrong region",
            "data": {"region": "fra"},
        }
    }
    mocked.get(f"{BASE}/agents", status=421, payload=body)
    mocked.get(f"{BASE}/agents", payload=[])
    async with chatapi.LiveChat(access_token="dal:tok", max_retries=0) as client:
        assert await client.agents().collect() == []
        assert client.region == "fra"
    first, second = (kwargs["headers"] for _, _, kwargs in sent(mocked))
    assert first["X-Region"] == "dal"
    assert second["X-Region"] == "fra"


async def test_misdirected_request_is_not_retried_twice(mocked: Any) -> None:
    body = {"error": "Misdirected request, use region fra"}
    mocked.get(f"{BASE}/agents", status=421, payload=body)
    mocked.get(f"{BASE}/agents", status=421, payload={"error": "Misdirected request, use dal"})
    async with chatapi.LiveChat(access_token="dal:tok", max_retries=0) as client:
        with pytest.raises(chatapi.APIStatusError) as info:
            await client.agents().collect()
    assert info.value.status == 421
    assert len(sent(mocked)) == 2


async def test_redirect_is_an_error_not_followed(mocked: Any, lc: chatapi.LiveChat) -> None:
    mocked.get(f"{BASE}/agents", status=302, headers={"Location": "https://evil.example/agents"})
    with pytest.raises(chatapi.APIStatusError) as info:
        await lc.agents().collect()
    assert info.value.status == 302
    assert len(sent(mocked)) == 1


# -- secrets ------------------------------------------------------------------------------------

_ERROR_CASES = [400, 401, 403, 404, 409, 421, 429, 500, 503]


async def test_credentials_never_leak(mocked: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    token = "fra:SENTINEL-oauth-token-abc"
    encoded = base64.b64encode(f"john@example.com:{SECRET}".encode()).decode()
    sentinels = [SECRET, token, "SENTINEL", encoded]
    captured: list[BaseException] = []
    for client in (
        chatapi.LiveChat(
            login="john@example.com", api_key=SECRET, retry_policy=RetryPolicy.no_wait(1)
        ),
        chatapi.LiveChat(access_token=token, retry_policy=RetryPolicy.no_wait(1)),
    ):
        async with client:
            text = repr(client) + str(client)
            for status in _ERROR_CASES:
                mocked.get(
                    f"{BASE}/chats/E{status}", status=status, payload={"error": "nope"}, repeat=True
                )
                with pytest.raises(chatapi.ChatAPIError) as info:
                    await client.get_chat(f"E{status}")
                captured.append(info.value)
            mocked.get(f"{BASE}/chats/F", payload={"no": "id"}, repeat=True)
            with pytest.raises(chatapi.ResponseFormatError) as format_info:
                await client.get_chat("F")
            captured.append(format_info.value)
            for sentinel in sentinels:
                assert sentinel not in text
    import traceback

    for err in captured:
        rendered = [
            str(err),
            repr(err),
            repr(err.args),
            "".join(traceback.format_exception(err)),
            repr(vars(err)),
        ]
        for piece in rendered:
            for sentinel in sentinels:
                assert sentinel not in piece
    for record in caplog.records:
        line = record.getMessage() + repr(record.args)
        for sentinel in sentinels:
            assert sentinel not in line
    assert any("retry" in r.getMessage() for r in caplog.records)


async def test_unsupported_operations_raise() -> None:
    async with chatapi.LiveChat(login="a", api_key="k") as client:
        # Visitors on the site are listed; there is no single-visitor endpoint.
        with pytest.raises(chatapi.UnsupportedOperationError):
            await client.get_visitor("v")


async def test_transcripts_are_mapped_on_first_access(mocked: Any, lc: chatapi.LiveChat) -> None:
    page = fixture("chats_page_legacy.json")
    mocked.get(f"{BASE}/chats?page=1", payload=page)
    (chat,) = await lc.chats().collect()
    assert chat._message_source is not None  # nothing mapped yet
    assert [m.text for m in chat.messages] == [m["text"] for m in page["chats"][0]["messages"]]
    assert chat._message_source is None
    assert chat.messages is chat.messages  # mapped once
    assert chatapi.to_dict(chat)["messages"][1]["author"]["kind"] == "visitor"


async def test_malformed_message_is_a_format_error_on_access(
    mocked: Any, lc: chatapi.LiveChat
) -> None:
    payload = {"id": "X2", "messages": [{"text": "ok", "timestamp": 1}, {"timestamp": "soon"}]}
    mocked.get(f"{BASE}/chats/X2", payload=payload)
    chat = await lc.get_chat("X2")
    with pytest.raises(chatapi.ResponseFormatError, match="chat message"):
        _ = chat.messages
    mocked.get(f"{BASE}/chats/X3", payload={"id": "X3", "messages": "not a list"})
    with pytest.raises(chatapi.ResponseFormatError, match="messages must be a list"):
        await lc.get_chat("X3")
