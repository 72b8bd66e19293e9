"""The LiveChat sandbox's account configuration over real HTTP: agents writes, groups,
status, canned responses, goals, greetings, tags, webhooks, visitors, chat tags and
transcripts. Raw requests only (no chatapi client)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from chatapi.sandbox import Faults, Sandbox, serve
from chatapi.sandbox._forms import parse_bracket_form

from ._livechat_http import Http

UTC = dt.timezone.utc
END = dt.datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with serve(
        "livechat", chats=200, seed=5, start=END - dt.timedelta(days=10), end=END
    ) as sandbox:
        yield sandbox


@pytest.fixture
async def http(sb: Sandbox) -> AsyncIterator[Http]:
    async with aiohttp.ClientSession() as session:
        yield Http(sb, session)


def _is_required(status: int, body: Any, param: str) -> bool:
    return status == 400 and body == {"errors": [f"{param}: is required"]}


# -- the form helper ---------------------------------------------------------------------------


def test_parse_bracket_form() -> None:
    pairs = [
        ("name", "athletic shoes"),
        ("active", "0"),
        ("properties[greeting-message_text]", "Hello"),
        ("rules[0][type]", "custom_variable"),
        ("rules[0][variable_name]", "shoes"),
        ("rules[1][type]", "url_funnel"),
        ("rules[1][urls][0][url]", "cart"),
        ("tags[]", "a"),
        ("tags[]", "b"),
        ("fields[0][name]", "n"),
        ("fields[0][value]", "v"),
    ]
    assert parse_bracket_form(pairs) == {
        "name": "athletic shoes",
        "active": "0",
        "properties": {"greeting-message_text": "Hello"},
        "rules": [
            {"type": "custom_variable", "variable_name": "shoes"},
            {"type": "url_funnel", "urls": [{"url": "cart"}]},
        ],
        "tags": ["a", "b"],
        "fields": [{"name": "n", "value": "v"}],
    }
    assert parse_bracket_form([("a", "1"), ("a", "2")]) == {"a": "2"}


# -- agents ------------------------------------------------------------------------------------


async def test_agent_round_trip(http: Http) -> None:
    new = {
        "login": "jenny.doe@example.com",
        "name": "Jenny Doe",
        "permission": "administrator",
        "groups": [1, 2],
        "max_chats_count": 4,
    }
    status, created = await http("POST", "/agents", json=new)
    assert status == 200
    assert created["login"] == new["login"] and created["status"] == "offline"
    assert [g["id"] for g in created["groups"]] == [0, 1, 2]
    status, got = await http("GET", "/agents/jenny.doe@example.com")
    assert (status, got) == (200, created)
    _, rows = await http("GET", "/agents")
    assert "jenny.doe@example.com" in [r["login"] for r in rows]

    change = {"status": "not accepting chats", "max_chats_count": 2, "groups": [1]}
    status, updated = await http("PUT", "/agents/jenny.doe@example.com", json=change)
    assert status == 200
    assert (updated["status"], updated["max_chats_count"]) == ("not accepting chats", 2)
    assert [g["id"] for g in updated["groups"]] == [0, 1]
    _, got = await http("GET", "/agents/jenny.doe@example.com")
    assert got == updated
    _, rows = await http("GET", "/agents", params={"status": "not accepting chats"})
    assert "jenny.doe@example.com" in [r["login"] for r in rows]
    _, group2 = await http("GET", "/groups/2")
    assert "jenny.doe@example.com" not in group2["agents"]

    status, body = await http("DELETE", "/agents/jenny.doe@example.com")
    assert (status, body) == (200, {"result": "jenny.doe@example.com removed successfully"})
    status, body = await http("GET", "/agents/jenny.doe@example.com")
    assert status == 404 and body == {"error": "Agent not found"}
    status, _ = await http("PUT", "/agents/jenny.doe@example.com", json={"name": "x"})
    assert status == 404


async def test_agent_writes_validate(http: Http, sb: Sandbox) -> None:
    status, body = await http("POST", "/agents", json={"name": "No Login"})
    assert _is_required(status, body, "login")
    status, body = await http("POST", "/agents", json={"login": "a@example.com"})
    assert _is_required(status, body, "name")
    status, body = await http(
        "POST", "/agents", json={"login": "a@example.com", "name": "A", "groups": 1}
    )
    assert status == 400 and body["errors"][0].startswith("groups:")
    login = sb.dataset.agents[1].email
    status, body = await http("PUT", f"/agents/{login}", json={"status": "asleep"})
    assert status == 400 and body["errors"][0].startswith("status:")


# -- groups and status -------------------------------------------------------------------------


async def test_group_round_trip(http: Http, sb: Sandbox) -> None:
    status, groups = await http("GET", "/groups")
    assert status == 200
    assert groups[0]["id"] == 0 and groups[0]["name"] == "All operators"
    assert "agents" not in groups[0]
    assert all("agents" in g for g in groups[1:])
    members = [a.email for a in sb.dataset.agents[:2]]
    status, created = await http("POST", "/groups", json={"name": "HR", "agents": members})
    assert status == 200
    assert set(created) == {"id", "name", "language", "agents", "status"}
    assert created["language"] == "en" and created["agents"] == members
    gid = created["id"]
    _, groups = await http("GET", "/groups")
    assert gid in [g["id"] for g in groups]
    _, agent = await http("GET", f"/agents/{members[0]}")
    assert gid in [g["id"] for g in agent["groups"]]
    status, updated = await http(
        "PUT", f"/groups/{gid}", json={"name": "Quality", "agents": members[:1]}
    )
    assert status == 200 and (updated["name"], updated["agents"]) == ("Quality", members[:1])
    _, got = await http("GET", f"/groups/{gid}")
    assert got == updated
    status, body = await http("DELETE", f"/groups/{gid}")
    assert (status, body) == (200, {"result": "group removed successfully"})
    status, body = await http("GET", f"/groups/{gid}")
    assert status == 404 and body == {"error": "Group not found"}
    status, body = await http("POST", "/groups", json={"name": "No agents"})
    assert _is_required(status, body, "agents")
    status, body = await http("POST", "/groups", json={"name": "X", "agents": ["who@x.com"]})
    assert status == 400


async def test_status_per_group(http: Http) -> None:
    for path, params in (("/status/1", None), ("/status", {"group": "1"}), ("/status", None)):
        status, body = await http("GET", path, params=params)
        assert status == 200 and body["status"] in ("online", "offline")
    status, _ = await http("GET", "/status/99")
    assert status == 404
    # Status follows the agents: everybody offline -> the group is offline.
    _, rows = await http("GET", "/agents")
    for row in rows:
        await http("PUT", f"/agents/{row['login']}", json={"status": "offline"})
    assert await http("GET", "/status/0") == (200, {"status": "offline"})
    await http("PUT", f"/agents/{rows[0]['login']}", json={"status": "accepting chats"})
    assert await http("GET", "/v2/status/0") == (200, {"status": "online"})


# -- canned responses --------------------------------------------------------------------------


async def test_canned_response_round_trip(http: Http, sb: Sandbox) -> None:
    status, initial = await http("GET", "/canned_responses")
    assert status == 200 and initial and all(r["group"] == 0 for r in initial)
    _, group1 = await http("GET", "/canned_responses", params={"group": "1"})
    assert group1 and all(r["group"] == 1 for r in group1)

    status, created = await http(
        "POST", "/canned_responses", json={"text": "Bye!", "tags": ["bye", "cu"], "group": 1}
    )
    assert status == 200
    assert set(created) == {"id", "group", "text", "creation_date", "created_by", "tags"}
    assert isinstance(created["id"], int) and created["created_by"] == sb.credentials["login"]
    cid = created["id"]
    assert await http("GET", f"/canned_responses/{cid}") == (200, created)
    _, group1 = await http("GET", "/canned_responses", params={"group": 1})
    assert cid in [r["id"] for r in group1]
    _, group0 = await http("GET", "/canned_responses")
    assert cid not in [r["id"] for r in group0]

    # The reference updates with a form: tags[]=bye.
    status, updated = await http(
        "PUT", f"/canned_responses/{cid}", data=[("tags[]", "bye"), ("text", "Goodbye")]
    )
    assert status == 200
    assert (updated["tags"], updated["text"]) == (["bye"], "Goodbye")
    assert updated["modified_by"] == sb.credentials["login"] and "modification_date" in updated
    status, updated = await http("PUT", f"/canned_responses/{cid}", json={"tags": ["x", "y"]})
    assert status == 200 and updated["tags"] == ["x", "y"]

    status, body = await http("DELETE", f"/canned_responses/{cid}")
    assert (status, body) == (200, {"result": "Canned response removed successfully"})
    status, body = await http("GET", f"/canned_responses/{cid}")
    assert status == 404 and body == {"error": "Canned response not found"}
    status, body = await http("POST", "/canned_responses", json={"text": "no tags"})
    assert _is_required(status, body, "tags")
    status, body = await http("POST", "/canned_responses", json={"tags": ["t"]})
    assert _is_required(status, body, "text")


# -- goals -------------------------------------------------------------------------------------


async def test_goal_round_trip(http: Http) -> None:
    status, goals = await http("GET", "/goals")
    assert status == 200 and len({g["type"] for g in goals}) >= 3
    assert all(set(g) == {"id", "name", "active", "type"} for g in goals)
    _, urls = await http("GET", "/goals", params={"type": "url"})
    assert urls and all(g["type"] == "url" for g in urls)
    _, detail = await http("GET", f"/goals/{urls[0]['id']}")
    assert "url" in detail and "match_type" in detail

    new = {"name": "new goal", "type": "url", "url": "http://shop/thanks", "match_type": "exact"}
    status, created = await http("POST", "/goals", json=new)
    assert status == 200
    assert created == {"id": created["id"], "active": 1, **new}
    gid = created["id"]
    _, goals = await http("GET", "/goals")
    assert gid in [g["id"] for g in goals]
    status, updated = await http("PUT", f"/goals/{gid}", json={"name": "paused", "active": 0})
    assert status == 200 and (updated["name"], updated["active"]) == ("paused", 0)
    assert await http("GET", f"/goals/{gid}") == (200, updated)
    status, body = await http(
        "POST", f"/goals/{gid}/mark_as_successful", json={"visitor_id": "S1.abc"}
    )
    assert (status, body) == (200, {"result": "goal marked as successful"})
    status, body = await http("POST", f"/goals/{gid}/mark_as_successful", json={})
    assert _is_required(status, body, "visitor_id")
    status, body = await http("DELETE", f"/goals/{gid}")
    assert (status, body) == (200, {"result": "goal removed successfully"})
    assert (await http("GET", f"/goals/{gid}"))[0] == 404
    assert (await http("POST", f"/goals/{gid}/mark_as_successful", json={"visitor_id": "S"}))[
        0
    ] == 404

    status, body = await http("POST", "/goals", json={"name": "v", "type": "custom_variable"})
    assert _is_required(status, body, "custom_variable_name")
    status, body = await http("POST", "/goals", json={"type": "api"})
    assert _is_required(status, body, "name")
    status, body = await http("GET", "/goals", params={"type": "bogus"})
    assert status == 400


# -- greetings ---------------------------------------------------------------------------------


async def test_greeting_round_trip(http: Http) -> None:
    status, greetings = await http("GET", "/greetings")
    assert status == 200 and greetings
    assert all(g["rules"] and "greeting-message_text" in g["properties"] for g in greetings)
    _, group1 = await http("GET", "/greetings", params={"group": 1})
    assert len(group1) < len(greetings)

    new = {
        "name": "my custom invitation",
        "rules": [
            {"type": "visit_time_page", "value": 15, "operator": "greater_than"},
            {"type": "custom", "variable_name": "empty_cart", "variable_value": True},
        ],
        "group": 1,
    }
    status, created = await http("POST", "/greetings", json=new)
    assert status == 200
    assert created["active"] is True and created["properties"]["active"] == "1"
    first, second = created["rules"]
    assert (first["value"], first["operator"], first["condition"]) == ("15", "greater_than", "and")
    assert (second["type"], second["variable_value"]) == ("custom_variable", "true")
    gid = created["id"]
    assert await http("GET", f"/greetings/{gid}") == (200, created)
    _, group1 = await http("GET", "/greetings", params={"group": 1})
    assert gid in [g["id"] for g in group1]

    form = [
        ("name", "athletic shoes"),
        ("active", "0"),
        ("properties[greeting-message_text]", "Hi, are you looking for some athletic shoes"),
        ("rules[0][type]", "custom_variable"),
        ("rules[0][variable_name]", "athletic_shoes"),
        ("rules[0][variable_value]", "true"),
    ]
    status, updated = await http("PUT", f"/greetings/{gid}", data=form)
    assert status == 200
    assert (updated["name"], updated["active"]) == ("athletic shoes", False)
    assert updated["properties"] == {
        "active": "0",
        "greeting-message_text": "Hi, are you looking for some athletic shoes",
    }
    [rule] = updated["rules"]
    assert (rule["type"], rule["variable_name"], rule["operator"]) == (
        "custom_variable",
        "athletic_shoes",
        "equals",
    )
    assert await http("GET", f"/greetings/{gid}") == (200, updated)
    status, updated = await http("PUT", f"/greetings/{gid}", json={"active": 1})
    assert status == 200 and updated["active"] is True

    assert await http("DELETE", f"/greetings/{gid}") == (200, {"ok": True})
    status, body = await http("GET", f"/greetings/{gid}")
    assert status == 404 and body == {"error": "Greeting not found"}
    status, body = await http("POST", "/greetings", json={"name": "no rules"})
    assert _is_required(status, body, "rules")
    status, body = await http("POST", "/greetings", json={"name": "x", "rules": "nope"})
    assert status == 400


# -- tags --------------------------------------------------------------------------------------


async def test_tags_per_group(http: Http, sb: Sandbox) -> None:
    status, tags = await http("GET", "/tags")
    assert status == 200 and tags
    used = {t for i in sb.dataset.chat_ids() for t in sb.app.chat_payload(i).get("tags", [])}
    assert {t["name"] for t in tags} >= used
    for tag in tags:
        assert set(tag) == {"name", "author", "creation_date", "count", "group"}
        assert set(tag["count"]) == {"inChats", "inTickets"}

    author = sb.credentials["login"]
    status, created = await http("POST", "/tags", json={"tag": "vip", "author": author, "group": 1})
    assert status == 200
    assert (created["name"], created["group"], created["count"]) == (
        "vip",
        1,
        {"inChats": 0, "inTickets": 0},
    )
    _, group1 = await http("GET", "/tags", params={"group": 1})
    _, group2 = await http("GET", "/tags", params={"group": 2})
    assert "vip" in [t["name"] for t in group1]
    assert "vip" not in [t["name"] for t in group2]
    status, _ = await http("POST", "/tags", json={"tag": "vip", "author": author, "group": 1})
    assert status == 400

    status, body = await http("POST", "/tags", json={"tag": "x", "author": author})
    assert _is_required(status, body, "group")
    status, body = await http("POST", "/tags", json={"author": author, "group": 1})
    assert _is_required(status, body, "tag")
    status, body = await http("DELETE", "/tags/vip")
    assert _is_required(status, body, "group")
    assert (await http("DELETE", "/tags/vip", json={"group": 2}))[0] == 404
    assert await http("DELETE", "/tags/vip", json={"group": 1}) == (200, {"ok": True})
    _, group1 = await http("GET", "/tags", params={"group": 1})
    assert "vip" not in [t["name"] for t in group1]
    status, body = await http("DELETE", "/tags/vip", params={"group": 1})
    assert status == 404 and body == {"error": "Tag not found"}


# -- webhooks ----------------------------------------------------------------------------------


async def test_webhook_round_trip(http: Http) -> None:
    assert await http("GET", "/webhooks") == (200, {"events": []})
    form = [
        ("event_type", "chat_started"),
        ("data_types[]", "chat"),
        ("data_types[]", "visitor"),
        ("url", "https://example.com/hook"),
    ]
    status, body = await http("POST", "/webhooks", data=form)
    assert status == 200
    [hook] = body["events"]
    assert re.fullmatch(r"[0-9a-f]{32}", hook["id"])
    assert re.fullmatch(r"[0-9a-f]{32}", hook["token"]) and hook["token"] != hook["id"]
    assert (hook["event_type"], hook["data_types"], hook["verified"]) == (
        "chat_started",
        ["chat", "visitor"],
        True,
    )
    status, body = await http(
        "POST",
        "/webhooks",
        json={"event_type": "ticket_created", "data_types": ["ticket"], "url": "http://x/y"},
    )
    assert status == 200 and len(body["events"]) == 2
    assert (await http("GET", "/webhooks"))[1] == body
    assert await http("DELETE", f"/webhooks/{hook['id']}") == (
        200,
        {"result": "Push notification removed successfully"},
    )
    _, listed = await http("GET", "/webhooks")
    assert [h["event_type"] for h in listed["events"]] == ["ticket_created"]
    assert (await http("DELETE", f"/webhooks/{hook['id']}"))[0] == 404

    status, body = await http("POST", "/webhooks", data=form[:-1])
    assert _is_required(status, body, "url")
    status, body = await http(
        "POST", "/webhooks", data=[("event_type", "chat_started"), ("url", "http://x")]
    )
    assert _is_required(status, body, "data_types")
    bad = [("event_type", "visitor_queued"), ("data_types[]", "ticket"), ("url", "http://x")]
    assert (await http("POST", "/webhooks", data=bad))[0] == 400


# -- visitors ----------------------------------------------------------------------------------


async def test_visitors(http: Http) -> None:
    status, visitors = await http("GET", "/visitors")
    assert status == 200 and len(visitors) >= 5
    assert {v["state"] for v in visitors} >= {"chatting", "queued", "browsing"}
    for visitor in visitors:
        assert {"id", "ip", "city", "country", "group", "state", "visit_path"} <= set(visitor)
        assert ("prechat_survey" in visitor) == (visitor["state"] == "chatting")
    _, chatting = await http("GET", "/visitors", params={"state": "chatting"})
    assert chatting and all(v["state"] == "chatting" for v in chatting)
    _, in_groups = await http("GET", "/visitors", params=[("group[]", "1"), ("group[]", "2")])
    assert in_groups and all(v["group"] in (1, 2) for v in in_groups)
    assert await http("GET", "/visitors", params={"count": "1"}) == (
        200,
        {"count": len(visitors)},
    )
    assert await http("GET", "/visitors", params={"count": "1", "state": "chatting"}) == (
        200,
        {"count": len(chatting)},
    )
    assert (await http("GET", "/visitors", params={"state": "asleep"}))[0] == 400

    vid = visitors[0]["id"]
    form = [
        ("license_id", "123"),
        ("token", "abc"),
        ("id", "my-app"),
        ("fields[0][name]", "Plan"),
        ("fields[0][value]", "Gold"),
    ]
    status, body = await http("POST", f"/visitors/{vid}/details", data=form)
    assert status == 200 and isinstance(body["result"], str)
    assert http.sb.app.account.visitor_details[vid] == [{"name": "Plan", "value": "Gold"}]  # type: ignore[attr-defined]
    status, body = await http("POST", f"/visitors/{vid}/details", data=form[1:])
    assert _is_required(status, body, "license_id")
    assert (await http("POST", "/visitors/S0.nobody/details", data=form))[0] == 404


# -- chat tags and transcripts -----------------------------------------------------------------


async def test_update_chat_tags_changes_later_reads(http: Http, sb: Sandbox) -> None:
    _, page = await http("GET", "/chats")
    chat = next(c for c in page["chats"] if c["type"] == "chat")
    cid = chat["id"]
    status, body = await http("PUT", f"/chats/{cid}/tags", json={"tag": ["vip", "sales"]})
    assert status == 200 and (body["total"], body["pages"]) == (1, 1)
    assert body["chats"][0]["tags"] == ["vip", "sales"]
    assert body["chats"][0] == {**chat, "tags": ["vip", "sales"]}
    _, got = await http("GET", f"/chats/{cid}")
    assert got["tags"] == ["vip", "sales"]
    # The cached first page is not served stale.
    _, again = await http("GET", "/chats")
    assert next(c for c in again["chats"] if c["id"] == cid)["tags"] == ["vip", "sales"]
    # Other pages are untouched; tag filters see the change.
    _, tagged = await http("GET", "/chats", params=[("tag[]", "vip")])
    assert [c["id"] for c in tagged["chats"]] == [cid]

    # The alternatives: "tag[]" JSON key, one string, a form.
    status, body = await http("PUT", f"/chats/{cid}/tags", json={"tag[]": "support"})
    assert status == 200 and body["chats"][0]["tags"] == ["support"]
    status, body = await http("PUT", f"/chats/{cid}/tags", json={"tag": "feedback"})
    assert body["chats"][0]["tags"] == ["feedback"]
    status, body = await http("PUT", f"/chats/{cid}/tags", data=[("tag[]", "a"), ("tag[]", "b")])
    assert body["chats"][0]["tags"] == ["a", "b"]
    _, again = await http("GET", "/chats")
    assert next(c for c in again["chats"] if c["id"] == cid)["tags"] == ["a", "b"]
    status, body = await http("PUT", f"/chats/{cid}/tags", json={"tag": []})
    assert status == 200 and body["chats"][0]["tags"] == []
    _, untagged = await http("GET", "/chats", params={"tagged": "0"})
    assert cid in [c["id"] for c in untagged["chats"]]

    status, body = await http("PUT", f"/chats/{cid}/tags", json={})
    assert _is_required(status, body, "tag")
    assert (await http("PUT", "/chats/NOPE/tags", json={"tag": ["x"]}))[0] == 404


async def test_send_transcript(http: Http) -> None:
    _, page = await http("GET", "/chats")
    cid = page["chats"][0]["id"]
    status, body = await http(
        "POST", f"/chats/{cid}/send_transcript", json={"to": "john.doe@example.com"}
    )
    assert (status, body) == (200, {"result": "E-mail has been sent to john.doe@example.com."})
    status, body = await http("POST", f"/chats/{cid}/send_transcript", json={})
    assert _is_required(status, body, "to")
    assert (await http("POST", "/chats/NOPE/send_transcript", json={"to": "a@b.c"}))[0] == 404


# -- prefixes, auth, faults, determinism -------------------------------------------------------


async def test_v2_prefix_and_auth(http: Http, sb: Sandbox) -> None:
    assert (await http("GET", "/v2/groups"))[1] == (await http("GET", "/groups"))[1]
    anonymous = {"X-API-Version": "2"}
    body = {"name": "x", "agents": []}
    async with (
        aiohttp.ClientSession() as session,
        session.post(sb.base_url + "/groups", json=body, headers=anonymous) as resp,
    ):
        assert resp.status == 401


async def test_faults_apply_to_writes() -> None:
    faults = Faults(error_500=1.0, max_faults_per_request=1)
    async with serve("livechat", chats=30, seed=3, faults=faults) as sb:
        async with aiohttp.ClientSession() as session:
            http = Http(sb, session)
            body = {"tag": "vip", "author": sb.credentials["login"], "group": 1}
            status, answer = await http("POST", "/tags", json=body)
            assert status == 500 and "error" in answer
            # The failed write changed nothing (every request fails once: read twice).
            assert (await http("GET", "/tags", params={"group": 1}))[0] == 500
            _, group1 = await http("GET", "/tags", params={"group": 1})
            assert "vip" not in [t["name"] for t in group1]
            status, created = await http("POST", "/tags", json=body)
            assert (status, created.get("name")) == (200, "vip"), created
        assert sb.stats.faults == {"500": 2}
        assert sb.stats.paths["POST /tags"] == 2


async def test_same_seed_same_configuration() -> None:
    async with (
        serve("livechat", chats=40, seed=9, end=END) as one,
        serve("livechat", chats=40, seed=9, end=END) as two,
    ):
        a, b = one.app.account, two.app.account  # type: ignore[attr-defined]
        for name in ("agents", "groups", "canned", "goals", "greetings", "tags", "visitors"):
            assert getattr(a, name) == getattr(b, name), name
        assert one.app.tickets.tickets == two.app.tickets.tickets  # type: ignore[attr-defined]
