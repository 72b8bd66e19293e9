"""Listings: every page fetched exactly once, in order, for both generations' paging."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

import chatapi

OFFLINE_THREADS = "acquire_v1-profile-message-thread-offline_acquireio-developer.acquire.io.json"
MESSAGES = "acquire_v1-profile-lead-message_seed.json"
LEADS = "acquire_v1-profile-lead-list_acquireio-developer.acquire.io.json"


def _agent_row(n: int) -> dict[str, Any]:
    return {
        "id": n,
        "user_name": f"agent {n}",
        "user_email": f"a{n}@x.io",
        "role": 2,
        "secret_key": f"SECRET-{n}",
    }


async def test_v1_agents_fan_out_page_limit_count_once(fake: Any, v1: Any) -> None:
    def answer(request: Any) -> Any:
        page, limit = request.json["page"], request.json["limit"]
        ids = range((page - 1) * limit + 1, min(page * limit, 5) + 1)
        return fake.v1_ok(
            {"rows": [_agent_row(n) for n in ids], "count": 5, "page": page, "limit": limit}
        )

    fake.route("POST", "/api/account/agents", answer)
    pager = v1.agents(page_size=2)
    agents = await pager.collect()
    assert [a.id for a in agents] == ["1", "2", "3", "4", "5"]
    pages = Counter(r.json["page"] for r in fake.calls("POST", "/api/account/agents"))
    assert pages == {1: 1, 2: 1, 3: 1}
    assert pager.total == 5
    assert pager.report.complete


async def test_v1_agents_follow_the_vendors_own_limit(fake: Any, v1: Any) -> None:
    # Asked for 3 a page, the vendor serves 2 and says so: its page numbers rule.
    def answer(request: Any) -> Any:
        page = request.json["page"]
        ids = range((page - 1) * 2 + 1, min(page * 2, 5) + 1)
        return fake.v1_ok({"rows": [_agent_row(n) for n in ids], "count": 5, "limit": 2})

    fake.route("POST", "/api/account/agents", answer)
    agents = await v1.agents(page_size=3).collect()
    assert [a.id for a in agents] == ["1", "2", "3", "4", "5"]
    assert sorted(r.json["page"] for r in fake.requests) == [1, 2, 3]


async def test_v2_offset_limit_count_fan_out_once(fake: Any, v2: Any) -> None:
    def answer(request: Any) -> Any:
        query = dict(request.query)
        offset, limit = int(query["offset"]), int(query["limit"])
        rows = [
            {"id": n, "name": f"user {n}"} for n in range(offset + 1, min(offset + limit, 5) + 1)
        ]
        return fake.ok({"data": {"count": 5, "offset": offset, "limit": limit, "data": rows}})

    fake.route("GET", "/api/v1/account/user", answer)
    pager = v2.agents(page_size=2)
    agents = await pager.collect()
    assert [a.id for a in agents] == ["1", "2", "3", "4", "5"]
    offsets = Counter(dict(r.query)["offset"] for r in fake.requests)
    assert offsets == {"0": 1, "2": 1, "4": 1}
    assert all(dict(r.query)["limit"] == "2" for r in fake.requests)
    assert pager.total == 5


async def test_v2_contacts_list_counts_shape(
    fake: Any, v2: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route(
        "GET",
        "/api/v1/crm/objects/contact",
        fake.ok(fixture_json("acquire_v2-contact-list_constructed.json")),
    )
    pager = v2.visitors()
    visitors = await pager.collect()
    assert [(v.id, v.name, v.email, v.phone) for v in visitors] == [
        ("5", "Jhon", "jhone@test.com", "62626226")
    ]
    assert pager.total == 1
    assert len(fake.requests) == 1


async def test_v2_without_count_a_short_page_ends_the_listing(fake: Any, v2: Any) -> None:
    def answer(request: Any) -> Any:
        offset = int(dict(request.query)["offset"])
        rows = [{"id": n} for n in range(offset + 1, min(offset + 2, 3) + 1)]
        return fake.ok({"data": rows})

    fake.route("GET", "/api/v1/crm/objects/contact", answer)
    visitors = await v2.visitors(page_size=2).collect()
    assert [v.id for v in visitors] == ["1", "2", "3"]


async def test_v2_smaller_served_limit_is_refused(fake: Any, v2: Any) -> None:
    fake.route(
        "GET",
        "/api/v1/crm/objects/case",
        fake.ok({"data": {"count": 72, "limit": 2, "offset": 0, "data": [{"id": 1}, {"id": 2}]}}),
    )
    with pytest.raises(chatapi.PaginationError, match="page_size=2"):
        await v2.chats(page_size=25).collect()
    assert len(fake.requests) == 1


def _thread(n: int, visitor: int, *, offline: int = 0) -> dict[str, Any]:
    return {
        "thread_id": n,
        "chat_id": n * 10,
        "visitor_id": visitor,
        "thread_status": "open",
        "offline_chat": offline,
        "user_id": "7",
        "agents": "Ann",
        "unseen_count": 0,
    }


def _message(n: int, thread: int, sender: str, text: str) -> dict[str, Any]:
    return {
        "id": n,
        "chat_id": thread * 10,
        "sender_type": sender,
        "sender_id": 7,
        "message": text,
        "date_created": "2018-07-23 13:45:50",
        "seen": "seen",
        "vd_name": "Vee",
        "vd_id": 900,
        "offline_chat": 0,
        "missed_chat": 0,
    }


async def test_v1_chats_account_wide_fan_out(fake: Any, v1: Any) -> None:
    profiles = {1: [101, 102], 2: [103]}

    def leads(request: Any) -> Any:
        form = dict(request.form)
        assert form["filter[master]"] == "chathistory"
        page = int(form["page"])
        rows = [
            {"id": v, "visitor_id": v, "name": f"visitor {v}", "email": f"{v}@x.io"}
            for v in profiles[page]
        ]
        return fake.v1_ok({"total": 3, "data": rows})

    def threads(request: Any) -> Any:
        form = dict(request.form)
        visitor, page = int(form["visitor_id"]), int(form["page"])
        # Visitor 101 has 3 threads over two pages of 2; the others one each.
        all_threads = {101: [1, 2, 3], 102: [4], 103: [5]}[visitor]
        chunk = all_threads[(page - 1) * 2 : page * 2]
        return fake.v1_ok({"messages": [_thread(n, visitor) for n in chunk]})

    def messages(request: Any) -> Any:
        thread = int(dict(request.form)["thread_id"])
        return fake.v1_ok({"messages": [_message(thread * 100, thread, "visitor", "hi")]})

    fake.route("POST", "/api/profile/lead/list", leads)
    fake.route("POST", "/api/profile/message/thread", threads)
    fake.route("POST", "/api/profile/lead/message", messages)
    pager = v1.chats(page_size=2)
    chats = await pager.collect()
    assert [c.id for c in chats] == ["1", "2", "3", "4", "5"]
    assert chats[0].visitor.name == "visitor 101"
    assert chats[0].visitor.email == "101@x.io"
    assert chats[0].messages[0].id == "100"
    assert Counter(dict(r.form)["page"] for r in fake.calls("POST", "/api/profile/lead/list")) == {
        "1": 1,
        "2": 1,
    }
    thread_calls = Counter(
        (dict(r.form)["visitor_id"], dict(r.form)["page"])
        for r in fake.calls("POST", "/api/profile/message/thread")
    )
    assert thread_calls == {("101", "1"): 1, ("101", "2"): 1, ("102", "1"): 1, ("103", "1"): 1}
    assert len(fake.calls("POST", "/api/profile/lead/message")) == 5
    # Acquire counts profiles, not threads: no record total is announced.
    assert pager.total is None


async def test_v1_thread_pages_that_repeat_raise(fake: Any, v1: Any) -> None:
    fake.route(
        "POST",
        "/api/profile/message/thread",
        fake.v1_ok({"messages": [_thread(1, 9), _thread(2, 9)]}),
    )
    with pytest.raises(chatapi.PaginationError, match="repeats"):
        await v1.chats(visitor_id="9", page_size=2, include_messages=False).collect()
    assert len(fake.requests) == 2


async def test_v1_offline_messages_are_the_flagged_threads(
    fake: Any, v1: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("POST", "/api/profile/lead/list", fake.ok(fixture_json(LEADS)))
    fake.route("POST", "/api/profile/message/thread", fake.ok(fixture_json(OFFLINE_THREADS)))
    left = {
        "id": 5001,
        "chat_id": 197849,
        "sender_type": "visitor",
        "sender_id": 86602,
        "type": "message",
        "message": "Is anyone there?",
        "date_created": "2018-07-23 13:45:50",
        "seen": "unseen",
        "email_from": "vee@example.com",
        "subject": "Pricing",
        "vd_name": "Vee",
        "vd_id": 86602,
        "offline_chat": 1,
        "missed_chat": 0,
    }
    reply = {
        **left,
        "id": 5002,
        "sender_type": "agent",
        "message": "Yes!",
        "subject": None,
        "user": {"id": None, "type": "agent", "name": "Ann"},
    }
    fake.route("POST", "/api/profile/lead/message", fake.v1_ok({"messages": [left, reply]}))
    found = await v1.offline_messages().collect()
    assert [m.id for m in found] == ["40544"]
    message = found[0]
    assert message.text == "Is anyone there?"
    assert message.subject == "Pricing"
    assert message.visitor.id == "70574"
    assert message.visitor.email == "vee@example.com"
    assert message.read is True  # the thread's unseen_count is 0
    assert [(r.author.kind, r.text) for r in message.replies] == [
        (chatapi.ParticipantKind.AGENT, "Yes!")
    ]
    # Only the flagged thread's messages were fetched.
    assert [dict(r.form)["thread_id"] for r in fake.calls("POST", "/api/profile/lead/message")] == [
        "40544"
    ]


async def test_v1_get_offline_message_checks_the_flag(
    fake: Any, v1: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("POST", "/api/profile/lead/message", fake.ok(fixture_json(MESSAGES)))
    with pytest.raises(chatapi.NotFoundError) as info:
        await v1.get_offline_message("445")
    assert info.value.status == 200
    flagged = fixture_json(MESSAGES)
    flagged["data"]["messages"][1]["offline_chat"] = "1"
    fake.route("POST", "/api/profile/lead/message", fake.ok(flagged))
    message = await v1.get_offline_message("445")
    assert message.id == "445"
    assert message.text == "Hello"
    assert message.visitor.name == "John Deo"


async def test_v1_get_chat_without_messages_is_not_found(fake: Any, v1: Any) -> None:
    fake.route("POST", "/api/profile/lead/message", fake.v1_ok({"messages": []}))
    with pytest.raises(chatapi.NotFoundError, match="no messages"):
        await v1.get_chat("1")
