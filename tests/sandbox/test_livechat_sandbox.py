"""The LiveChat sandbox speaks LiveChat v2: shapes, paging, cap, filters, auth, errors."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from chatapi.sandbox import Sandbox, serve
from chatapi.sandbox.livechat import chat_id, chat_index
from chatapi.sandbox.shapes import shape_diff

UTC = dt.timezone.utc
END = dt.datetime(2026, 3, 1, tzinfo=UTC)

# Documented as present only sometimes (REST reference, Archives, "Additional info").
CHAT_OPTIONAL = {
    "supervisors",
    "goals",
    "referrer",
    "custom_variables",
    "integration_variables",
    "queue",
    "postchat_survey",
    "events",
    "agent_id",
}


def _basic(login: str, key: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{key}".encode()).decode()


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with serve(
        "livechat", chats=300, seed=7, start=END - dt.timedelta(days=10), end=END
    ) as sandbox:
        yield sandbox


@pytest.fixture
async def http(sb: Sandbox) -> AsyncIterator[Callable[..., Any]]:
    headers = {
        "Authorization": _basic(sb.credentials["login"], sb.credentials["api_key"]),
        "X-API-Version": "2",
    }
    async with aiohttp.ClientSession() as session:

        async def get(
            path: str, params: Any = None, *, auth: bool = True, **extra: str
        ) -> tuple[int, Any, aiohttp.typedefs.LooseHeaders]:
            sent = {**(headers if auth else {"X-API-Version": "2"}), **extra}
            async with session.get(sb.base_url + path, params=params, headers=sent) as resp:
                text = await resp.text()
                try:
                    body: Any = await resp.json(content_type=None)
                except ValueError:
                    body = text
                return resp.status, body, resp.headers

        yield get


# -- shapes against the vendor docs ------------------------------------------------------------


async def test_chat_records_match_the_rest_reference(
    http: Callable[..., Any], sample: Callable[[str], Any]
) -> None:
    status, body, _ = await http("/chats", {"type": "chat"})
    assert status == 200
    assert set(body) == {"chats", "total", "pages"}
    reference = sample("livechat_doc_chat_rest_reference.json")
    # "engagement" is unquoted in the doc (tests/fixtures/livechat/README.md): a string once
    # quoted.
    for record in body["chats"]:
        assert shape_diff(reference, record, optional=CHAT_OPTIONAL) == []
    assert any("supervisors" in r or "referrer" in r for r in body["chats"])


async def test_single_chat_is_the_list_record(http: Callable[..., Any], sb: Sandbox) -> None:
    _, page, _ = await http("/chats")
    first = page["chats"][0]
    status, body, _ = await http(f"/chats/{first['id']}")
    assert status == 200
    assert body == first


async def test_missed_chat_records(http: Callable[..., Any], sample: Callable[[str], Any]) -> None:
    _, body, _ = await http("/chats", {"type": "missed_chat"})
    assert body["total"] > 0
    for record in body["chats"]:
        assert record["type"] == "missed_chat"
        assert shape_diff(sample("livechat_doc_missed_chat.json"), record) == []


async def test_messages_match_the_webhook_chat_sample(
    http: Callable[..., Any], sample: Callable[[str], Any]
) -> None:
    chat = sample("livechat_v2-webhook-chat-datatype_livechat-livechat-public-docs.json")["chat"]
    _, body, _ = await http("/chats", {"type": "chat"})
    for message in body["chats"][0]["messages"]:
        # The archive adds "date" to the webhook's message keys (REST reference example).
        assert shape_diff(chat["messages"][0], message, optional={"agent_id"}, extra={"date"}) == []


async def test_offline_messages_match_the_doc(
    http: Callable[..., Any], sample: Callable[[str], Any]
) -> None:
    status, body, _ = await http("/offline_messages", {"date_from": "2026-02-01"})
    assert status == 200
    doc = sample("livechat_doc_offline_messages_page.json")
    assert shape_diff(doc, body, extra={"timestamp"}) == []
    assert body["offline_messages"]
    one = body["offline_messages"][0]
    status, single, _ = await http(f"/offline_messages/{one['id']}")
    assert (status, single) == (200, one)
    assert one["message"].startswith(f"Your name: {one['visitor_name']}\r\nE-mail: ")


async def test_agents_match_the_doc(http: Callable[..., Any], sample: Callable[[str], Any]) -> None:
    status, rows, _ = await http("/agents")
    assert status == 200
    assert shape_diff(sample("livechat_doc_agents.json"), rows) == []
    status, detail, _ = await http(f"/agents/{rows[1]['login']}")
    assert status == 200
    assert shape_diff(sample("livechat_doc_agent_detail.json"), detail) == []
    _, online, _ = await http("/agents", {"status": "offline"})
    assert all(r["status"] == "offline" for r in online)
    assert len(online) < len(rows) or all(r["status"] == "offline" for r in rows)


# -- paging, ordering, filters -----------------------------------------------------------------


async def test_pages_of_25_newest_first(http: Callable[..., Any], sb: Sandbox) -> None:
    _, first, _ = await http("/chats")
    total = sb.dataset.chat_count
    assert first["total"] == total
    assert first["pages"] == -(-total // 25)
    ids = []
    for page in range(1, first["pages"] + 2):
        _, body, _ = await http("/chats", {"page": page})
        ids += [c["id"] for c in body["chats"]]
        assert len(body["chats"]) == (
            25
            if page < first["pages"]
            else (0 if page > first["pages"] else total - 25 * (first["pages"] - 1))
        )
    assert ids == [chat_id(7, i) for i in reversed(range(total))]
    assert [chat_index(7, x) for x in ids[:3]] == [total - 1, total - 2, total - 3]


async def test_date_type_agent_and_query_filters(http: Callable[..., Any], sb: Sandbox) -> None:
    data = sb.dataset
    day = (END - dt.timedelta(days=3)).date()
    lo = int(dt.datetime.combine(day, dt.time(), UTC).timestamp())
    hi = lo + 86400
    expected = [i for i in data.chat_ids() if lo <= data.chat_start[i] < hi]
    _, body, _ = await http("/chats", {"date_from": day.isoformat(), "date_to": day.isoformat()})
    assert body["total"] == len(expected) > 0

    agent = data.agents[2]
    _, body, _ = await http("/chats", {"agent": agent.email})
    want = [i for i in data.chat_ids() if not data.chat_missed[i] and data.chat_agent[i] == 2]
    assert body["total"] == len(want)
    assert all(c["agents"][0]["email"] == agent.email for c in body["chats"])

    _, body, _ = await http("/chats", {"query": "refund"})
    assert 0 < body["total"] < data.chat_count
    for record in body["chats"]:
        texts = [m["text"] for m in record.get("messages", [])] + [record.get("message", "")]
        assert any("refund" in t.lower() for t in texts)

    _, body, _ = await http("/chats", [("tag[]", "sales")])
    assert all("sales" in c["tags"] for c in body["chats"]) and body["total"] > 0

    _, body, _ = await http("/chats", {"date_to": "2026-02-15", "type": "missed_chat"})
    assert all(c["type"] == "missed_chat" and c["time"] < "2026-02-16" for c in body["chats"])


async def test_record_cap_serves_only_the_latest_25000() -> None:
    async with serve(
        "livechat",
        chats=25_060,
        messages_per_chat=1,
        seed=2,
        start=END - dt.timedelta(days=4),
        end=END,
    ) as sb:
        headers = {"Authorization": "Bearer " + sb.app.access_token, "X-API-Version": "2"}
        async with aiohttp.ClientSession(headers=headers) as session:
            async with session.get(sb.base_url + "/chats") as resp:
                first = await resp.json()
            async with session.get(sb.base_url + "/chats", params={"page": 1000}) as resp:
                last = await resp.json()
            async with session.get(sb.base_url + "/chats", params={"page": 1001}) as resp:
                beyond = await resp.json()
    assert (first["total"], first["pages"]) == (25_060, 1000)
    assert len(last["chats"]) == 25
    # The oldest 60 chats are beyond the cap: the last served one is chat 60.
    assert last["chats"][-1]["id"] == chat_id(2, 60)
    assert beyond["chats"] == [] and beyond["total"] == 25_060


# -- auth and errors ---------------------------------------------------------------------------


async def test_wrong_credentials_get_401(http: Callable[..., Any], sb: Sandbox) -> None:
    status, body, _ = await http("/chats", auth=False)
    assert status == 401 and set(body) == {"error"}
    status, body, _ = await http("/agents", Authorization=_basic(sb.credentials["login"], "wrong"))
    assert status == 401 and isinstance(body["error"], str)
    status, _, _ = await http("/agents", Authorization="Bearer " + sb.app.access_token)
    assert status == 200


async def test_bad_parameters_get_400_errors_list(http: Callable[..., Any]) -> None:
    for params in ({"page": "0"}, {"date_from": "01/02/2026"}, {"type": "bogus"}):
        status, body, _ = await http("/chats", params)
        assert status == 400
        assert isinstance(body["errors"], list) and isinstance(body["errors"][0], str)


async def test_unknown_ids_get_404(http: Callable[..., Any]) -> None:
    for path in ("/chats/NOPE", "/offline_messages/MZZZZZZZZZ", "/agents/who@example.com"):
        status, body, _ = await http(path)
        assert status == 404 and isinstance(body["error"], str)


async def test_same_seed_same_data() -> None:
    async with (
        serve("livechat", chats=50, seed=11, end=END) as one,
        serve("livechat", chats=50, seed=11, end=END) as two,
    ):
        assert one.app.expected_chats() == two.app.expected_chats()
    async with serve("livechat", chats=50, seed=12, end=END) as other:
        assert other.app.expected_chats() != one.app.expected_chats()


@pytest.mark.parametrize("query", ["supervisor", "refund", "hello", "E-MAIL", "zzz"])
def test_query_filter_matches_rendered_messages(query: str) -> None:
    from chatapi.sandbox import make_app

    data = make_app("livechat", chats=200, seed=3, end=END).dataset
    fast = [i for i in data.chat_ids() if data.chat_text_matches(i, query)]
    slow = [
        i
        for i in data.chat_ids()
        if any(query.lower() in m.text.lower() for m in data.chat(i).messages)
    ]
    assert fast == slow
