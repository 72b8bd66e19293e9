"""Sandbox live mode: chats arrive over time, webhooks are POSTed and retried.

Raw HTTP and JSON only: a tiny aiohttp receiver on 127.0.0.1 records what the sandbox POSTs.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from chatapi.sandbox import Live, Sandbox, serve
from chatapi.sandbox.acquire import AcquireApp

from ._livechat_http import Http

FAST = {"interval": 0.02, "retry_delay_scale": 0.0001}


class Receiver:
    """A webhook receiver on 127.0.0.1: records every request, answers from ``statuses``
    (then 200)."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.read()))
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, text="ok")

    def bodies(self) -> list[Any]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
async def receiver() -> AsyncIterator[Callable[..., Any]]:
    runners: list[web.AppRunner] = []

    async def start(statuses: list[int] | None = None) -> Receiver:
        rec = Receiver(statuses)
        app = web.Application()
        app.router.add_post("/hook", rec.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        rec.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        return rec

    yield start
    for runner in runners:
        await runner.cleanup()


# -- arrivals: every vendor and generation --------------------------------------------------


async def _list_ids(sb: Sandbox, session: aiohttp.ClientSession) -> list[str]:
    """Every chat/case/thread id a full listing gives, in listing order."""
    creds = sb.credentials
    base = creds["base_url"]
    ids: list[str] = []
    if sb.vendor == "livechat":
        http = Http(sb, session)
        page = 1
        while True:
            status, body = await http("GET", "/chats", params={"page": page})
            assert status == 200
            ids += [c["id"] for c in body["chats"]]
            if page >= body["pages"]:
                return ids
            page += 1
    if sb.vendor == "revechat":
        if sb.generation == "legacy":
            pair = f"{creds['email']}:{creds['password']}".encode()
            headers = {"Authorization": "Basic " + base64.b64encode(pair).decode()}
            url = base + "/api/chats/"
        else:
            headers = {"Authorization": creds["auth_key"]}
            url = f"{base}/api/chats/{creds['account_id']}"
        page = 1
        while True:
            async with session.get(url, params={"page_no": page}, headers=headers) as resp:
                assert resp.status == 200
                body = await resp.json(content_type=None)
            rows = body if isinstance(body, list) else body["body"]
            if not rows:
                return ids
            ids += [str(r["chat_id"] if "chat_id" in r else r["id"]) for r in rows]
            page += 1
    if sb.generation == "v2":
        headers = {"Authorization": f"Bearer {creds['api_key']}"}
        offset = 0
        while True:
            params = {"offset": offset, "limit": 25}
            async with session.get(
                base + "/crm/objects/case", params=params, headers=headers
            ) as resp:
                assert resp.status == 200
                body = (await resp.json())["data"]
            ids += [str(r["id"]) for r in body["data"]]
            offset += 25
            if offset >= body["count"]:
                return ids
    # Acquire v1: every visitor's threads.
    headers = {"Authorization": f"Bearer {creds['token']}"}
    app = sb.app
    assert isinstance(app, AcquireApp)
    for visitor in range(sb.dataset.visitor_count):
        async with session.post(
            base + "/profile/message/thread",
            data={"visitor_id": 500 + visitor, "limit": 1000},
            headers=headers,
        ) as resp:
            threads = (await resp.json())["data"]["messages"]
        ids += [str(t["chat_id"]) for t in threads if not t["offline_chat"]]
    return ids


@pytest.mark.parametrize(
    ("vendor", "generation"),
    [
        ("livechat", None),
        ("revechat", "legacy"),
        ("revechat", "current"),
        ("acquire", "v1"),
        ("acquire", "v2"),
    ],
)
async def test_chats_arrive_and_are_listed_once(vendor: str, generation: str | None) -> None:
    # Each listing runs between two arrivals (a listing takes a few ms); one spanning an
    # arrival would see the page drift of a newest-first listing.
    live = Live(chats=3, interval=0.15, retry_delay_scale=0.0001)
    async with serve(vendor, chats=30, generation=generation, live=live) as sb:
        assert sb.live is not None
        async with aiohttp.ClientSession() as session:
            before = await _list_ids(sb, session)
            await sb.live.wait_arrivals(1)
            middle = await _list_ids(sb, session)
            await sb.live.wait_arrivals(3)
            after = await _list_ids(sb, session)
            await asyncio.sleep(2 * live.interval)
            assert await _list_ids(sb, session) == after
        assert sb.live.arrived == [30, 31, 32]
        assert not sb.live.running
        assert sb.dataset.chat_count == 33
    assert len(before) == 30
    assert len(middle) == 31
    assert len(after) == 33
    for listed in (middle, after):
        assert len(listed) == len(set(listed))
        assert set(before) <= set(listed)
    assert set(middle) <= set(after)
    new = [i for i in after if i not in before]
    assert len(new) == 3
    if vendor in ("livechat", "revechat"):
        # Newest first: the arrivals head the listing, the latest first.
        assert after[:3] == new
        assert after[2] == middle[0]


async def test_server_stop_ends_live_mode_cleanly() -> None:
    live = Live(interval=0.01, chats=1000)
    async with serve("revechat", chats=5, live=live) as sb:
        assert sb.live is not None
        await sb.live.wait_arrivals(3)
        runner = sb.live
    assert not runner.running
    assert runner._session is None
    count = len(runner.arrived)
    await asyncio.sleep(0.05)
    assert len(runner.arrived) == count


def test_live_config_is_checked() -> None:
    with pytest.raises(ValueError, match="interval"):
        Live(interval=0)
    with pytest.raises(ValueError, match="webhook_url"):
        Live(webhook_url="ftp://example.com")
    with pytest.raises(ValueError, match="delivery_timeout"):
        Live(delivery_timeout=0)
    with pytest.raises(ValueError, match="chats"):
        Live(chats=-1)


async def test_revechat_has_no_webhooks() -> None:
    with pytest.raises(ValueError, match="sends no webhooks"):
        async with serve("revechat", live=Live(webhook_url="http://127.0.0.1:9/hook")):
            pass


# -- LiveChat webhooks ----------------------------------------------------------------------


async def _register(http: Http, event_type: str, data_types: list[str], url: str) -> dict[str, Any]:
    status, body = await http(
        "POST", "/webhooks", json={"event_type": event_type, "data_types": data_types, "url": url}
    )
    assert status == 200
    return dict(body["events"][-1])


async def test_livechat_deliveries_match_the_chat(receiver: Callable[..., Any]) -> None:
    started_rec = await receiver()
    ended_rec = await receiver()
    # A long interval: the test makes the chats arrive itself, after registering.
    live = Live(chats=3, interval=60, retry_delay_scale=0.0001)
    async with serve("livechat", chats=20, seed=3, live=live) as sb:
        assert sb.live is not None
        async with aiohttp.ClientSession() as session:
            http = Http(sb, session)
            started = await _register(http, "chat_started", ["chat", "visitor"], started_rec.url)
            ended = await _register(
                http, "chat_ended", ["chat", "visitor", "pre_chat_survey"], ended_rec.url
            )
            for _ in range(3):
                assert sb.live.arrive() is not None
            await sb.live.wait_idle()
            chats = {}
            for body in ended_rec.bodies():
                status, chat = await http("GET", f"/chats/{body['chat']['id']}")
                assert status == 200
                chats[chat["id"]] = chat
    assert len(started_rec.requests) == 3
    assert len(ended_rec.requests) == 3
    for (headers, raw), body in zip(started_rec.requests, started_rec.bodies(), strict=True):
        assert headers["Content-Type"] == "application/json"
        assert raw == json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        assert body["event_type"] == "chat_started"
        assert set(body) == {
            "event_type", "token", "license_id", "event_unique_id", "lc_version", "chat", "visitor",
        }  # fmt: skip
        assert body["token"] == started["token"]
        assert "ended_timestamp" not in body["chat"]
    ids = set()
    for body in ended_rec.bodies():
        assert body["event_type"] == "chat_ended"
        assert body["token"] == ended["token"]
        assert body["license_id"] == str(ended["licence"])
        assert body["lc_version"] == "2"
        assert re.fullmatch(r"[0-9a-f]{32}", body["event_unique_id"])
        ids.add(body["event_unique_id"])
        assert isinstance(body["pre_chat_survey"], list)
        chat = body["chat"]
        listed = chats[chat["id"]]
        visitor = body["visitor"]
        if listed["type"] == "missed_chat":
            assert visitor["id"] == listed["visitor_id"]
            assert chat["agents"] == []
            assert [m["text"] for m in chat["messages"]] == [listed["message"]]
            continue
        assert chat["started_timestamp"] == listed["started_timestamp"]
        assert chat["ended_timestamp"] == listed["ended_timestamp"]
        assert chat["tags"] == listed["tags"]
        assert chat["groups"] == listed["group"]
        assert chat["agents"] == [
            {"name": a["display_name"], "login": a["email"]} for a in listed["agents"]
        ]
        assert [
            (m["user_type"], m["author_name"], m.get("agent_id"), m["text"], m["timestamp"])
            for m in chat["messages"]
        ] == [
            (m["user_type"], m["author_name"], m.get("agent_id"), m["text"], m["timestamp"])
            for m in listed["messages"]
        ]
        assert visitor["id"] == listed["visitor"]["id"]
        assert visitor["name"] == listed["visitor"]["name"]
        assert visitor["city"] == listed["visitor"]["city"]
    assert len(ids) == 3
    # Started before ended for every chat; recorded on the app.
    assert [d.event for d in sb.deliveries] == ["chat_started", "chat_ended"] * 3
    assert all(d.delivered and d.statuses == [200] for d in sb.deliveries)


async def test_livechat_retries_keep_the_event_unique_id(receiver: Callable[..., Any]) -> None:
    rec = await receiver([500, 500, 200])
    live = Live(chats=1, interval=60, retry_delay_scale=0.0001)
    async with serve("livechat", chats=5, live=live) as sb:
        assert sb.live is not None
        async with aiohttp.ClientSession() as session:
            await _register(Http(sb, session), "chat_ended", ["chat"], rec.url)
        sb.live.arrive()
        await sb.live.wait_idle()
    bodies = rec.bodies()
    assert len(bodies) == 3
    assert len({b["event_unique_id"] for b in bodies}) == 1
    assert len({raw for _, raw in rec.requests}) == 1
    (delivery,) = sb.deliveries
    assert delivery.statuses == [500, 500, 200]
    assert delivery.delivered and delivery.done


async def test_livechat_gives_up_after_ten_retries(receiver: Callable[..., Any]) -> None:
    rec = await receiver([503] * 20)
    live = Live(chats=1, interval=60, retry_delay_scale=0.00001)
    async with serve("livechat", chats=5, live=live) as sb:
        assert sb.live is not None
        async with aiohttp.ClientSession() as session:
            await _register(Http(sb, session), "chat_started", ["visitor"], rec.url)
        sb.live.arrive()
        await sb.live.wait_idle()
    (delivery,) = sb.deliveries
    assert delivery.statuses == [503] * 11
    assert not delivery.delivered and delivery.done
    assert set(rec.bodies()[0]) == {
        "event_type", "token", "license_id", "event_unique_id", "lc_version", "visitor",
    }  # fmt: skip


async def test_livechat_connection_errors_are_retried() -> None:
    # Nothing listens on a port we bound and closed: every attempt fails to connect.
    probe = web.AppRunner(web.Application())
    await probe.setup()
    site = web.TCPSite(probe, "127.0.0.1", 0)
    await site.start()
    port = probe.addresses[0][1]
    await probe.cleanup()
    live = Live(chats=1, interval=0.05, retry_delay_scale=0.00001, delivery_timeout=1.0)
    async with serve(
        "livechat", chats=5, live=attrs_evolve(live, f"http://127.0.0.1:{port}/x")
    ) as sb:
        assert sb.live is not None
        await sb.live.wait_arrivals(1)
        await sb.live.wait_idle()
    assert len(sb.deliveries) == 2  # the pre-registered chat_started and chat_ended
    for delivery in sb.deliveries:
        assert delivery.statuses == [None] * 11
        assert all(a.error for a in delivery.attempts)


def attrs_evolve(live: Live, url: str) -> Live:
    import attrs

    return attrs.evolve(live, webhook_url=url)


async def test_livechat_webhook_url_registers_webhooks(receiver: Callable[..., Any]) -> None:
    rec = await receiver()
    live = Live(chats=1, webhook_url=rec.url, **FAST)
    async with serve("livechat", chats=5, live=live) as sb:
        assert sb.live is not None
        info = sb.app.live_info(sb.base_url)
        assert any("chat_started" in line for line in info)
        await sb.live.wait_arrivals(1)
        await sb.live.wait_idle()
    kinds = [b["event_type"] for b in rec.bodies()]
    assert kinds == ["chat_started", "chat_ended"]
    assert set(rec.bodies()[1]) >= {"chat", "visitor", "pre_chat_survey"}
    with pytest.raises(ValueError, match="not signed"):
        async with serve("livechat", live=Live(webhook_key="k")):
            pass


# -- Acquire webhooks -----------------------------------------------------------------------

JS_DATE = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d\d \d{4} \d\d:\d\d:\d\d GMT\+0000 "
    r"\(Coordinated Universal Time\)"
)


async def test_acquire_v2_deliveries_are_signed(receiver: Callable[..., Any]) -> None:
    rec = await receiver()
    key = "sandbox-hmac-key"
    live = Live(chats=2, webhook_url=rec.url, webhook_key=key, **FAST)
    async with serve("acquire", generation="v2", chats=10, live=live) as sb:
        assert sb.live is not None
        await sb.live.wait_arrivals(2)
        await sb.live.wait_idle()
        creds = sb.credentials
        headers = {"Authorization": f"Bearer {creds['api_key']}"}
        cases = {}
        async with aiohttp.ClientSession() as session:
            for body in rec.bodies()[::2]:
                url = f"{creds['base_url']}/crm/objects/case/{body['data']['caseId']}"
                params = {"relations": "messages"}
                async with session.get(url, params=params, headers=headers) as resp:
                    assert resp.status == 200
                    cases[body["data"]["caseId"]] = (await resp.json())["data"]
    assert [b["event"] for b in rec.bodies()] == ["case:new", "case:status"] * 2
    for (headers_in, raw), body in zip(rec.requests, rec.bodies(), strict=True):
        expected = hmac.new(key.encode(), raw, hashlib.sha256).hexdigest()
        assert headers_in["x-acquire-signature"] == expected
        assert headers_in["Content-Type"] == "application/json"
        # Compact: the body is what JSON.stringify gives.
        assert raw == json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        data = body["data"]
        assert set(data) == {"caseId", "status", "fields", "contact", "messages"}
        assert data["status"] == ("pending" if body["event"] == "case:new" else "closed")
        case = cases[data["caseId"]]
        assert data["contact"]["id"] == str(case["contactId"])
        assert set(data["contact"]["fields"]) >= {"name", "email", "countryId", "ip"}
        assert [m["id"] for m in data["messages"]] == [str(m["id"]) for m in case["messages"]]
        assert [m["message"] for m in data["messages"]] == [m["message"] for m in case["messages"]]
        for sent, listed in zip(data["messages"], case["messages"], strict=True):
            assert set(sent) == {
                "id", "channel", "senderId", "senderType", "type", "message", "seen", "dateCreated",
            }  # fmt: skip
            assert sent["senderId"] == str(listed["senderId"])
            assert JS_DATE.fullmatch(sent["dateCreated"])
            assert all(isinstance(v, str) for v in sent.values())
    assert [d.statuses for d in sb.deliveries] == [[200]] * 4


async def test_acquire_v1_deliveries_are_unsigned(receiver: Callable[..., Any]) -> None:
    rec = await receiver([500, 200])
    live = Live(chats=1, webhook_url=rec.url, **FAST)
    async with serve("acquire", generation="v1", chats=10, live=live) as sb:
        assert sb.live is not None
        await sb.live.wait_arrivals(1)
        await sb.live.wait_idle()
        app = sb.app
        assert isinstance(app, AcquireApp)
        (index,) = sb.live.arrived
        thread = app.v1_thread(index)
    start, start_again, close = rec.bodies()
    assert start == start_again  # the 500 was retried
    assert all("x-acquire-signature" not in h for h, _ in rec.requests)
    assert start["event"] == "CHAT_ON_START"
    assert start["data"][" id"] == thread["chat_id"]
    assert "id" not in start["data"]
    assert close["event"] == "CHAT_ON_CLOSE"
    assert close["id"] == str(thread["chat_id"])
    assert close["thread_id"] == str(thread["thread_id"])
    assert close["visitor_id"] == str(thread["visitor_id"])
    assert close["chat_duration"] == str(thread["chat_duration"])
    assert all(isinstance(v, str) for v in close.values())
    assert isinstance(json.loads(close["users"]), dict)
    assert [d.statuses for d in sb.deliveries] == [[500, 200], [200]]
    with pytest.raises(ValueError, match="not signed"):
        async with serve("acquire", generation="v1", live=Live(webhook_key="k")):
            pass


async def test_acquire_retries_five_more_times(receiver: Callable[..., Any]) -> None:
    rec = await receiver([500] * 10)
    live = Live(chats=1, webhook_url=rec.url, interval=0.02, retry_delay_scale=0.00001)
    async with serve("acquire", generation="v2", chats=5, live=live) as sb:
        assert sb.live is not None
        await sb.live.wait_arrivals(1)
        await sb.live.wait_idle()
    first, second = sb.deliveries
    # case:new: the first attempt and 5 more, then given up; case:status gets the rest.
    assert first.statuses == [500] * 6
    assert not first.delivered and first.done
    assert second.statuses == [500] * 4 + [200]
    assert second.delivered
    assert "x-acquire-signature" not in rec.requests[0][0]


# -- CLI and child process ------------------------------------------------------------------


def test_cli_live_options() -> None:
    from chatapi.cli import build_parser, live_from_args

    parser = build_parser()
    args = parser.parse_args(["sandbox", "livechat"])
    assert live_from_args(args) is None
    args = parser.parse_args(["sandbox", "livechat", "--live", "--live-interval", "250ms"])
    assert live_from_args(args) == Live(interval=0.25, chats=1000)
    args = parser.parse_args(
        ["sandbox", "acquire", "--generation", "v2", "--webhook-url", "http://127.0.0.1:1/h",
         "--webhook-key", "k", "--retry-delay-scale", "0.5"]
    )  # fmt: skip
    live = live_from_args(args)
    assert live.webhook_url == "http://127.0.0.1:1/h" and live.webhook_key == "k"
    assert live.retry_delay_scale == 0.5


async def test_child_process_posts_signed_webhooks(receiver: Callable[..., Any]) -> None:
    from chatapi.sandbox import run_in_subprocess

    rec = await receiver()
    live = Live(interval=0.05, chats=2, webhook_url=rec.url, webhook_key="k")
    with run_in_subprocess("acquire", generation="v2", chats=5, live=live) as child:
        for _ in range(200):
            if len(rec.requests) >= 4:
                break
            await asyncio.sleep(0.05)
        assert child.process.poll() is None
    assert [b["event"] for b in rec.bodies()] == ["case:new", "case:status"] * 2
    assert [b["data"]["caseId"] for b in rec.bodies()] == ["6", "6", "7", "7"]
    for headers, raw in rec.requests:
        assert headers["x-acquire-signature"] == hmac.new(b"k", raw, hashlib.sha256).hexdigest()
