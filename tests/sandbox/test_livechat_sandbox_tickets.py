"""The LiveChat sandbox's tickets over real HTTP (paging, filters, writes) and the capped
totals option of ``/chats`` and ``/tickets``. Raw requests only (no chatapi client)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from chatapi.sandbox import Sandbox, serve
from chatapi.sandbox.data import DataConfig

from ._livechat_http import Http

UTC = dt.timezone.utc
END = dt.datetime(2026, 3, 1, tzinfo=UTC)
TICKET_KEYS = {
    "events",
    "id",
    "requester",
    "groups",
    "status",
    "subject",
    "modified",
    "source",
    "opened",
    "firstResponse",
    "tags",
}


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with serve(
        "livechat", chats=50, seed=4, tickets=80, start=END - dt.timedelta(days=20), end=END
    ) as sandbox:
        yield sandbox


@pytest.fixture
async def http(sb: Sandbox) -> AsyncIterator[Http]:
    async with aiohttp.ClientSession() as session:
        yield Http(sb, session)


async def _all(http: Http, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    tickets: list[dict[str, Any]] = []
    page = 1
    while True:
        status, body = await http("GET", "/tickets", params={**(params or {}), "page": page})
        assert status == 200
        tickets += body["tickets"]
        if page >= body["pages"]:
            return tickets
        page += 1


def test_default_ticket_count() -> None:
    assert DataConfig().tickets == 60
    assert DataConfig().report_capped_totals is False


async def test_ticket_shapes_and_paging(http: Http) -> None:
    status, first = await http("GET", "/tickets")
    assert status == 200 and set(first) == {"pages", "total", "tickets"}
    assert (first["total"], first["pages"], len(first["tickets"])) == (80, 4, 25)
    every = await _all(http)
    assert len(every) == 80 and len({t["id"] for t in every}) == 80
    modified = [t["modified"] for t in every]
    assert modified == sorted(modified, reverse=True)
    asc = await _all(http, {"order": "asc"})
    assert [t["id"] for t in asc] == [t["id"] for t in reversed(every)]
    _, beyond = await http("GET", "/tickets", params={"page": 5})
    assert beyond["tickets"] == [] and beyond["total"] == 80
    kinds = set()
    for ticket in every:
        assert TICKET_KEYS <= set(ticket) <= TICKET_KEYS | {"assignee"}
        assert re.fullmatch(r"[0-9A-Z]{5}", ticket["id"])
        assert set(ticket["requester"]) == {"mail", "name"}
        assert ticket["status"] in ("open", "pending", "solved", "spam")
        assert ticket["opened"][0]["from"] == ticket["events"][0]["date"]
        assert ticket["events"][0]["author"]["type"] == "client"
        kinds |= {e["type"] for e in ticket["events"]}
    assert kinds == {"message", "assignee_changed"}
    assert any(t["firstResponse"] for t in every) and any(not t["firstResponse"] for t in every)


async def test_ticket_filters(http: Http, sb: Sandbox) -> None:
    every = await _all(http)

    async def check(params: dict[str, Any], keep: Any) -> None:
        got = await _all(http, params)
        want = [t["id"] for t in every if keep(t)]
        assert [t["id"] for t in got] == want, params
        assert 0 < len(want) < len(every), params

    await check({"status": "open"}, lambda t: t["status"] == "open")
    await check({"assigned": "1"}, lambda t: "assignee" in t)
    await check({"assigned": "0"}, lambda t: "assignee" not in t)
    login = next(t["assignee"]["id"] for t in every if "assignee" in t)
    await check({"assignee": login}, lambda t: t.get("assignee", {}).get("id") == login)
    mail = every[0]["requester"]["mail"]
    await check({"requester[mail]": mail}, lambda t: t["requester"]["mail"] == mail)
    await check({"group": "1"}, lambda t: 1 in t["groups"])
    await check({"source": "mail"}, lambda t: t["source"]["type"] == "mail")
    await check({"tag": "sales"}, lambda t: "sales" in t["tags"])
    await check({"tagged": "1"}, lambda t: bool(t["tags"]))
    await check({"tagged": "0"}, lambda t: not t["tags"])
    word = every[0]["subject"].split()[-1].lower()
    await check(
        {"query": word},
        lambda t: (
            word in t["subject"].lower()
            or any(word in e.get("message", "").lower() for e in t["events"])
        ),
    )
    day = dt.datetime.fromtimestamp(every[len(every) // 2]["events"][0]["date"], UTC).date()
    lo = dt.datetime.combine(day, dt.time(), UTC).timestamp()
    hi = lo + 86400

    def touched(t: dict[str, Any]) -> bool:
        dates = [e["date"] for e in t["events"]] + [t["modified"]]
        return any(lo <= d < hi for d in dates)

    await check({"date_from": day.isoformat(), "date_to": day.isoformat()}, touched)
    for bad in (
        {"status": "closed"},
        {"source": "phone"},
        {"tagged": "2"},
        {"order": "up"},
        {"date_from": "01/02/2026"},
        {"page": "0"},
    ):
        status, body = await http("GET", "/tickets", params=bad)
        assert status == 400 and isinstance(body["errors"][0], str), bad


async def test_ticket_writes(http: Http, sb: Sandbox) -> None:
    body = {
        "subject": "I have a problem",
        "message": "Hi, I have a problem with my shoes.",
        "requester": {"mail": "mary.brown@email.com", "name": "Mary Brown"},
    }
    status, created = await http("POST", "/tickets", json=body)
    assert status == 200 and (created["total"], created["pages"]) == (1, 1)
    [ticket] = created["tickets"]
    assert ticket["source"] == {"type": "lc2"} and ticket["status"] == "open"
    assert ticket["groups"] == [0] and ticket["subject"] == "I have a problem"
    assert ticket["events"][0]["message"] == body["message"]
    tid = ticket["id"]
    assert re.fullmatch(r"[0-9A-Z]{5}", tid)
    status, got = await http("GET", f"/tickets/{tid}")
    assert status == 200 and got == {"pages": 1, "total": 1, "tickets": [ticket]}
    _, listed = await http("GET", "/tickets", params={"source": "lc2"})
    assert tid in [t["id"] for t in listed["tickets"]]
    _, listed = await http("GET", "/tickets")
    assert listed["total"] == 81 and listed["tickets"][0]["id"] == tid

    status, updated = await http("PUT", f"/tickets/{tid}/tags", json={"tag": ["sales", "vip"]})
    assert status == 200 and updated["tickets"][0]["tags"] == ["sales", "vip"]
    _, got = await http("GET", f"/tickets/{tid}")
    assert got["tickets"][0]["tags"] == ["sales", "vip"]
    _, vip = await http("GET", "/tickets", params={"tag": "vip"})
    assert [t["id"] for t in vip["tickets"]] == [tid]

    # A form body in bracket notation and the optional fields.
    login = sb.credentials["login"]
    form = [
        ("message", "Hello"),
        ("requester[mail]", "a@b.example"),
        ("assignee[id]", login),
        ("source[type]", "chat-window"),
        ("source[url]", "https://shop.example.com/"),
        ("group[]", "1"),
        ("group[]", "2"),
    ]
    status, created = await http("POST", "/tickets", data=form)
    assert status == 200
    [ticket] = created["tickets"]
    assert ticket["assignee"]["id"] == login and ticket["groups"] == [1, 2]
    assert ticket["source"] == {"type": "chat-window", "url": "https://shop.example.com/"}
    assert ticket["subject"] == "(no subject)"

    status, answer = await http("POST", "/tickets", json={"requester": {"mail": "a@b.c"}})
    assert (status, answer) == (400, {"errors": ["message: is required"]})
    status, answer = await http("POST", "/tickets", json={"message": "hi"})
    assert (status, answer) == (400, {"errors": ["requester[mail]: is required"]})
    status, answer = await http(
        "POST", "/tickets", json={"message": "hi", "requester": {"mail": "a@b.c"}, "group": 1}
    )
    assert status == 400 and answer["errors"][0].startswith("group:")
    status, answer = await http("PUT", f"/tickets/{tid}/tags", json={})
    assert (status, answer) == (400, {"errors": ["tag: is required"]})
    for method, path in (("GET", "/tickets/ZZZZZ"), ("PUT", "/tickets/ZZZZZ/tags")):
        status, answer = await http(method, path, json={"tag": []})
        assert (status, answer) == (404, {"error": "Ticket not found"})


async def test_ticket_tags_feed_tag_counts(http: Http) -> None:
    every = await _all(http)
    _, tags = await http("GET", "/tags")
    counts = {(t["group"], t["name"]): t["count"]["inTickets"] for t in tags}
    for (group, name), count in counts.items():
        assert count == sum(1 for t in every if group in t["groups"] and name in t["tags"])


async def test_capped_totals_option_for_chats() -> None:
    async with (
        serve(
            "livechat",
            chats=26_000,
            messages_per_chat=1,
            seed=2,
            tickets=0,
            start=END - dt.timedelta(days=4),
            end=END,
            report_capped_totals=True,
        ) as sb,
        aiohttp.ClientSession() as session,
    ):
        http = Http(sb, session)
        _, first = await http("GET", "/chats")
        _, beyond = await http("GET", "/chats", params={"page": 1001})
    assert (first["total"], first["pages"], len(first["chats"])) == (25_000, 1000, 25)
    assert beyond["chats"] == [] and beyond["total"] == 25_000


async def test_capped_totals_option_for_tickets() -> None:
    async with serve(
        "livechat",
        chats=10,
        seed=2,
        tickets=25_030,
        end=END,
        report_capped_totals=True,
    ) as sb:
        async with aiohttp.ClientSession() as session:
            http = Http(sb, session)
            _, first = await http("GET", "/tickets")
            _, last = await http("GET", "/tickets", params={"page": 1000})
            _, beyond = await http("GET", "/tickets", params={"page": 1001})
        app: Any = sb.app
        oldest_served = sorted(
            app.tickets.tickets, key=lambda t: (t["modified"], t["id"]), reverse=True
        )[24_999]
    assert (first["total"], first["pages"]) == (25_000, 1000)
    assert last["tickets"][-1]["id"] == oldest_served["id"]
    assert beyond["tickets"] == []


async def test_uncapped_ticket_total_stays_true() -> None:
    async with (
        serve("livechat", chats=10, seed=2, tickets=25_030, end=END) as sb,
        aiohttp.ClientSession() as session,
    ):
        _, first = await Http(sb, session)("GET", "/tickets")
    assert (first["total"], first["pages"]) == (25_030, 1000)
