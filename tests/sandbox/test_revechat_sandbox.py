"""The REVE Chat sandbox: both generations' shapes, paging, auth and error bodies."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from chatapi.sandbox import Faults, Sandbox, serve
from chatapi.sandbox.shapes import shape_diff

LEGACY_OFFLINE = "revechat_v1-offline-messages-list-truncated_docs.revechat.com.json"
LEGACY_AGENTS = "revechat_v1-agents-list-truncated_docs.revechat.com.json"
CURRENT_AGENTS = "revechat_v2-agents-envelope-truncated_revechat.com-hc.json"


def _basic(email: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()


@pytest.fixture(params=["legacy", "current"])
async def sb(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    async with serve("revechat", generation=request.param, chats=70, seed=3) as sandbox:
        yield sandbox


def _auth(sb: Sandbox) -> str:
    creds = sb.credentials
    if sb.generation == "legacy":
        return _basic(creds["email"], creds["password"])
    return str(creds["auth_key"])


def _path(sb: Sandbox, resource: str, item: object = None) -> str:
    account = "" if sb.generation == "legacy" else f"/{sb.credentials['account_id']}"
    tail = f"/{item}" if item is not None else "/"
    return f"/api/{resource}{account}{tail}"


@pytest.fixture
async def http(sb: Sandbox) -> AsyncIterator[Callable[..., Any]]:
    async with aiohttp.ClientSession() as session:

        async def get(path: str, *, auth: str | None = None, **params: Any) -> Any:
            headers = {"Authorization": _auth(sb) if auth is None else auth}
            async with session.get(sb.base_url + path, params=params, headers=headers) as resp:
                return resp.status, await resp.text(), resp.headers

        yield get


def _records(sb: Sandbox, text: str) -> Any:
    import json

    data = json.loads(text)
    if sb.generation == "legacy":
        assert isinstance(data, (list, dict)) and "body" not in data
        return data
    assert set(data) == {"status", "message", "body"} and data["status"] == "success"
    return data["body"]


async def test_agents_match_the_samples(
    sb: Sandbox, http: Callable[..., Any], sample: Callable[[str], Any]
) -> None:
    status, text, _ = await http(_path(sb, "agents"))
    assert status == 200
    if sb.generation == "legacy":
        assert shape_diff(sample(LEGACY_AGENTS), _records(sb, text)) == []
    else:
        import json

        assert shape_diff(sample(CURRENT_AGENTS), json.loads(text)) == []


async def test_offline_messages_match_the_doc(
    sb: Sandbox, http: Callable[..., Any], sample: Callable[[str], Any]
) -> None:
    status, text, _ = await http(_path(sb, "offlinemessages"))
    rows = _records(sb, text)
    assert status == 200 and rows
    assert shape_diff(sample(LEGACY_OFFLINE), rows) == []
    assert [r["received_time"] for r in rows] == sorted(
        (r["received_time"] for r in rows), reverse=True
    )
    status, text, _ = await http(_path(sb, "offlinemessages", rows[0]["offline_message_id"]))
    single = _records(sb, text)
    assert status == 200
    assert set(single) == set(rows[0]) - {"reply_message_count"} | {"reply_messages"}
    assert len(single["reply_messages"]) == rows[0]["reply_message_count"]
    for reply in single["reply_messages"]:
        assert set(reply) == {
            "reply_message",
            "message_reply_time",
            "agent_id",
            "first_name",
            "last_name",
            "email",
        }


async def test_chat_and_visitor_fields(sb: Sandbox, http: Callable[..., Any]) -> None:
    _, text, _ = await http(_path(sb, "chats"))
    chats = _records(sb, text)
    assert len(chats) == 20
    assert {
        "chat_id",
        "chat_request_time",
        "is_missed",
        "chat_started_by",
        "is_chat_transferred",
        "conversation_start_time",
        "conversation_end_time",
        "chat_ended_by",
        "visitor_id",
        "visitor_email",
        "visitor_name",
        "visitor_phone",
        "agent_id",
        "first_name",
        "last_name",
        "email",
        "rating",
    } == set(chats[0])
    _, text, _ = await http(_path(sb, "chats", chats[0]["chat_id"]))
    single = _records(sb, text)
    # Renamed in the single-chat answer (tests/fixtures/revechat/chat_detail_current.json).
    assert "is_missed_chat" in single and "is_missed" not in single
    _, text, _ = await http(_path(sb, "visitors"))
    visitor = _records(sb, text)[0]
    assert visitor["country"].isupper() and isinstance(visitor["latitude"], str)


async def test_listing_ends_with_an_empty_page(sb: Sandbox, http: Callable[..., Any]) -> None:
    seen = []
    page = 1
    while True:
        status, text, _ = await http(_path(sb, "chats"), page_no=page)
        rows = _records(sb, text)
        assert status == 200
        if not rows:
            break
        seen += [r["chat_id"] for r in rows]
        page += 1
    assert page == 5 and len(seen) == 70 == len(set(seen))


async def test_bad_credentials_are_plain_text_401(sb: Sandbox, http: Callable[..., Any]) -> None:
    wrong = _basic("nobody@example.com", "x") if sb.generation == "legacy" else "not.a.jwt"
    status, text, headers = await http(_path(sb, "agents"), auth=wrong)
    assert (status, text) == (401, "Bad credentials")
    assert headers["Content-Type"].startswith("application/json")


async def test_error_array_on_400_and_404(sb: Sandbox, http: Callable[..., Any]) -> None:
    import json

    status, text, _ = await http(_path(sb, "offlinemessages"), page_no=-2)
    assert status == 400
    assert json.loads(text) == {
        "error": [
            {"code": 400, "message": "Invalid Page Number: -2. Please enter a valid Page Number."}
        ]
    }
    status, text, _ = await http(_path(sb, "offlinemessages", 99_999))
    assert status == 404 and json.loads(text)["error"][0]["code"] == 404


async def test_restricted_user_gets_403s() -> None:
    async with serve("revechat", chats=10) as sb, aiohttp.ClientSession() as session:
        creds = sb.app.restricted_credentials(sb.base_url)
        headers = {"Authorization": _basic(creds["email"], creds["password"])}
        async with session.get(sb.base_url + "/api/agents/", headers=headers) as resp:
            assert resp.status == 403
            assert (await resp.text()).startswith("Access is denied!")
        async with session.get(sb.base_url + "/api/offlinemessages/500", headers=headers) as resp:
            text = await resp.text()
    assert resp.status == 403
    assert "code: 403" in text and "message:" in text  # almost JSON: keys unquoted


async def test_rate_limit_says_the_wait_in_the_body() -> None:
    faults = Faults(rate_limit=1, burst=1)
    async with serve("revechat", chats=10, faults=faults) as sb, aiohttp.ClientSession() as s:
        headers = {"Authorization": _auth(sb)}
        statuses = []
        for _ in range(2):
            async with s.get(sb.base_url + "/api/agents/", headers=headers) as resp:
                statuses.append(resp.status)
                body = await resp.json()
    assert statuses == [200, 429]
    assert "Retry-After" not in resp.headers
    assert "wait 1 second" in body["error"][0]["message"]


async def test_wrong_account_in_path_is_forbidden() -> None:
    sandbox = serve("revechat", generation="current", chats=10)
    async with sandbox as sb, aiohttp.ClientSession() as session:
        headers = {"Authorization": sb.credentials["auth_key"]}
        async with session.get(sb.base_url + "/api/agents/123", headers=headers) as resp:
            assert resp.status == 403
        bearer = {"Authorization": "Bearer " + sb.credentials["auth_key"]}
        path = f"/api/agents/{sb.credentials['account_id']}"
        async with session.get(sb.base_url + path, headers=bearer) as resp:
            assert resp.status == 200
