"""Every LiveChat v2 operation beyond the normalized reads: method, path, query and body
exactly as the REST API v2 reference shows them, and the answer mapped (aioresponses)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import attrs
import pytest
from aioresponses import aioresponses

import chatapi
from chatapi import RetryPolicy
from chatapi.livechat import (
    CannedResponse,
    Goal,
    Greeting,
    Group,
    LiveChatStatus,
    Tag,
    Ticket,
    Webhook,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "livechat"
BASE = "https://api.livechatinc.com"
AGENT = {"login": "jenny.doe@mycompany.com", "name": "Jenny Doe", "permission": "administrator"}
RESULT = {"result": "removed successfully"}
OK = {"ok": True}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def mocked() -> Any:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def lc() -> AsyncIterator[chatapi.LiveChat]:
    async with chatapi.LiveChat(
        login="john@example.com", api_key="KEY-1234567", retry_policy=RetryPolicy.no_wait()
    ) as client:
        yield client


@attrs.frozen
class Case:
    """One call, the request it must send, and what it answers."""

    call: Callable[[chatapi.LiveChat], Awaitable[Any]]
    method: str
    path: str
    answer: Any
    query: list[tuple[str, str]] = attrs.field(factory=list)
    json: Any = None
    form: list[tuple[str, str]] | None = None
    result: Callable[[Any], bool] = lambda value: value is None


def collect(pager: chatapi.Pager[Any]) -> Awaitable[list[Any]]:
    return pager.collect()


CANNED = fixture("config/canned_response.json")
GOAL = fixture("config/goal.json")
GREETING = fixture("config/greetings.json")[0]
GROUP = fixture("config/group.json")
TAG = fixture("config/tags.json")[0]
TICKETS = fixture("config/ticket_single.json")
TICKET_ID = TICKETS["tickets"][0]["id"]
WEBHOOKS = fixture("config/webhooks.json")
CHAT = fixture("chat_rest_reference.json")

CASES = {
    # -- agents ---------------------------------------------------------------------------
    "create_agent": Case(
        lambda lc: lc.create_agent(
            "jenny.doe@mycompany.com", "Jenny Doe", permission="administrator", groups=[1, "2"]
        ),
        "POST",
        "/agents",
        AGENT,
        json={
            "login": "jenny.doe@mycompany.com",
            "name": "Jenny Doe",
            "permission": "administrator",
            "groups": [1, 2],
        },
        result=lambda a: isinstance(a, chatapi.Agent) and a.id == "jenny.doe@mycompany.com",
    ),
    "update_agent": Case(
        lambda lc: lc.update_agent(
            "jenny.doe@mycompany.com", status="not accepting chats", max_chats_count=2
        ),
        "PUT",
        "/agents/jenny.doe%40mycompany.com",
        AGENT,
        json={"status": "not accepting chats", "max_chats_count": 2},
        result=lambda a: isinstance(a, chatapi.Agent),
    ),
    "delete_agent": Case(
        lambda lc: lc.delete_agent("jenny.doe@mycompany.com"),
        "DELETE",
        "/agents/jenny.doe%40mycompany.com",
        {"result": "jenny.doe@mycompany.com removed successfully"},
    ),
    # -- chats ----------------------------------------------------------------------------
    "update_chat_tags": Case(
        lambda lc: lc.update_chat_tags(CHAT["id"], ["sales", "support"]),
        "PUT",
        f"/chats/{CHAT['id']}/tags",
        {"chats": [{**CHAT, "tags": ["sales", "support"]}], "total": 1, "pages": 1},
        json={"tag": ["sales", "support"]},
        result=lambda c: isinstance(c, chatapi.Chat) and c.tags == ("sales", "support"),
    ),
    "send_transcript": Case(
        lambda lc: lc.send_transcript("MH022RD0K5", "john.doe@mycompany.com"),
        "POST",
        "/chats/MH022RD0K5/send_transcript",
        {"result": "E-mail has been sent to john.doe@mycompany.com."},
        json={"to": "john.doe@mycompany.com"},
    ),
    # -- canned responses -----------------------------------------------------------------
    "canned_responses": Case(
        lambda lc: collect(lc.canned_responses(group=1)),
        "GET",
        "/canned_responses",
        fixture("config/canned_responses.json"),
        query=[("group", "1")],
        result=lambda rs: (
            [r.id for r in rs] == ["3151", "3161"]
            and all(isinstance(r, CannedResponse) for r in rs)
        ),
    ),
    "get_canned_response": Case(
        lambda lc: lc.get_canned_response(3151),
        "GET",
        "/canned_responses/3151",
        CANNED,
        result=lambda r: isinstance(r, CannedResponse) and r.tags == tuple(CANNED["tags"]),
    ),
    "create_canned_response": Case(
        lambda lc: lc.create_canned_response("Have a great day, goodbye.", ["bye", "cu"]),
        "POST",
        "/canned_responses",
        CANNED,
        json={"text": "Have a great day, goodbye.", "tags": ["bye", "cu"]},
        result=lambda r: isinstance(r, CannedResponse),
    ),
    "update_canned_response": Case(
        lambda lc: lc.update_canned_response(3181, tags=["bye"]),
        "PUT",
        "/canned_responses/3181",
        CANNED,
        form=[("tags[]", "bye")],  # -X PUT -d "tags[]=bye"
        result=lambda r: isinstance(r, CannedResponse),
    ),
    "delete_canned_response": Case(
        lambda lc: lc.delete_canned_response(3181), "DELETE", "/canned_responses/3181", RESULT
    ),
    # -- goals ----------------------------------------------------------------------------
    "goals": Case(
        lambda lc: collect(lc.goals(type="url")),
        "GET",
        "/goals",
        fixture("config/goals.json"),
        query=[("type", "url")],
        result=lambda gs: all(isinstance(g, Goal) for g in gs) and len(gs) == 2,
    ),
    "get_goal": Case(
        lambda lc: lc.get_goal(1181),
        "GET",
        "/goals/1181",
        GOAL,
        result=lambda g: isinstance(g, Goal) and g.settings["custom_variable_name"] == "nike_shoes",
    ),
    "create_goal": Case(
        lambda lc: lc.create_goal(
            "new goal", "url", url="http://www.mystore.com/checkout/thank_you", match_type="exact"
        ),
        "POST",
        "/goals",
        GOAL,
        json={
            "name": "new goal",
            "type": "url",
            "url": "http://www.mystore.com/checkout/thank_you",
            "match_type": "exact",
        },
        result=lambda g: isinstance(g, Goal),
    ),
    "update_goal": Case(
        lambda lc: lc.update_goal(2231, name="new goal paused", active=False),
        "PUT",
        "/goals/2231",
        GOAL,
        json={"name": "new goal paused", "active": 0},
        result=lambda g: isinstance(g, Goal),
    ),
    "delete_goal": Case(lambda lc: lc.delete_goal(2231), "DELETE", "/goals/2231", RESULT),
    "mark_goal_as_successful": Case(
        lambda lc: lc.mark_goal_as_successful(
            1181, "S1281361958.2238ee3bd3", order_id="AP723HVCA721", order_price="199.00"
        ),
        "POST",
        "/goals/1181/mark_as_successful",
        {"result": "goal marked as successful"},
        json={
            "visitor_id": "S1281361958.2238ee3bd3",
            "order_id": "AP723HVCA721",
            "order_price": "199.00",
        },
    ),
    # -- greetings ------------------------------------------------------------------------
    "greetings": Case(
        lambda lc: collect(lc.greetings(group=1)),
        "GET",
        "/greetings",
        fixture("config/greetings.json"),
        query=[("group", "1")],
        result=lambda gs: all(isinstance(g, Greeting) for g in gs),
    ),
    "get_greeting": Case(
        lambda lc: lc.get_greeting(2411),
        "GET",
        "/greetings/2411",
        GREETING,
        result=lambda g: isinstance(g, Greeting) and bool(g.rules),
    ),
    "create_greeting": Case(
        lambda lc: lc.create_greeting(
            "my custom invitation",
            [{"type": "visit_time_page", "value": 15, "operator": "greater_than"}],
        ),
        "POST",
        "/greetings",
        GREETING,
        json={
            "name": "my custom invitation",
            "rules": [{"type": "visit_time_page", "value": 15, "operator": "greater_than"}],
        },
        result=lambda g: isinstance(g, Greeting),
    ),
    "update_greeting": Case(
        lambda lc: lc.update_greeting(
            2491,
            name="athletic shoes",
            message="Hello",
            rules=[{"type": "custom_variable", "variable_name": "athletic_shoes"}],
        ),
        "PUT",
        "/greetings/2491",
        GREETING,
        # -X PUT -d "name=athletic+shoes&properties[greeting-message_text]=Hello" and
        # "rules[0][type]=custom_variable&rules[0][variable_name]=athletic_shoes"
        form=[
            ("name", "athletic shoes"),
            ("properties[greeting-message_text]", "Hello"),
            ("rules[0][type]", "custom_variable"),
            ("rules[0][variable_name]", "athletic_shoes"),
        ],
        result=lambda g: isinstance(g, Greeting),
    ),
    "delete_greeting": Case(lambda lc: lc.delete_greeting(2491), "DELETE", "/greetings/2491", OK),
    # -- groups ---------------------------------------------------------------------------
    "groups": Case(
        lambda lc: collect(lc.groups()),
        "GET",
        "/groups",
        fixture("config/groups.json"),
        result=lambda gs: [g.id for g in gs] == ["0", "1", "2", "3"],
    ),
    "get_group": Case(
        lambda lc: lc.get_group(2),
        "GET",
        "/groups/2",
        GROUP,
        result=lambda g: isinstance(g, Group) and len(g.agent_ids) == 2,
    ),
    "create_group": Case(
        lambda lc: lc.create_group(
            "Human Resources", ["jenny.doe@mycompany.com", "john.doe@mycompany.com"]
        ),
        "POST",
        "/groups",
        GROUP,
        json={
            "name": "Human Resources",
            "agents": ["jenny.doe@mycompany.com", "john.doe@mycompany.com"],
        },
        result=lambda g: isinstance(g, Group),
    ),
    "update_group": Case(
        lambda lc: lc.update_group(3, name="Quality Assurance", language="en"),
        "PUT",
        "/groups/3",
        GROUP,
        json={"name": "Quality Assurance", "language": "en"},
        result=lambda g: isinstance(g, Group),
    ),
    "delete_group": Case(lambda lc: lc.delete_group(4), "DELETE", "/groups/4", RESULT),
    # -- status and tags ------------------------------------------------------------------
    "status": Case(
        lambda lc: lc.status(1),
        "GET",
        "/status/1",
        {"status": "online"},
        result=lambda s: s is LiveChatStatus.ONLINE,
    ),
    "tags": Case(
        lambda lc: collect(lc.tags(group=1)),
        "GET",
        "/tags",
        fixture("config/tags.json"),
        query=[("group", "1")],
        result=lambda ts: [t.name for t in ts] == ["sales", "support"],
    ),
    "create_tag": Case(
        lambda lc: lc.create_tag("support", "john.doe@mycompany.com", 1),
        "POST",
        "/tags",
        TAG,
        json={"tag": "support", "author": "john.doe@mycompany.com", "group": 1},
        result=lambda t: isinstance(t, Tag),
    ),
    "delete_tag": Case(
        lambda lc: lc.delete_tag("support", 1),
        "DELETE",
        "/tags/support",
        OK,
        json={"group": 1},
    ),
    # -- tickets --------------------------------------------------------------------------
    "tickets": Case(
        lambda lc: collect(
            lc.tickets(date_from="2013-11-15", status="open", requester_mail="m@x.io", tagged=True)
        ),
        "GET",
        "/tickets",
        fixture("config/tickets_page.json"),
        query=[
            ("date_from", "2013-11-15"),
            ("status", "open"),
            ("requester[mail]", "m@x.io"),
            ("tagged", "1"),
            ("page", "1"),
        ],
        result=lambda ts: all(isinstance(t, Ticket) for t in ts) and len(ts) >= 1,
    ),
    "get_ticket": Case(
        lambda lc: lc.get_ticket(TICKET_ID),
        "GET",
        f"/tickets/{TICKET_ID}",
        TICKETS,
        result=lambda t: isinstance(t, Ticket) and t.id == TICKET_ID,
    ),
    "create_ticket": Case(
        lambda lc: lc.create_ticket(
            "Hi,I have a problem with my shoes. Could you please advise?",
            "mary.brown@email.com",
            requester_name="Mary Brown",
            subject="I have a problem",
        ),
        "POST",
        "/tickets",
        TICKETS,
        json={
            "message": "Hi,I have a problem with my shoes. Could you please advise?",
            "requester": {"mail": "mary.brown@email.com", "name": "Mary Brown"},
            "subject": "I have a problem",
        },
        result=lambda t: isinstance(t, Ticket),
    ),
    "update_ticket_tags": Case(
        lambda lc: lc.update_ticket_tags(TICKET_ID, ["sales", "support", "feedback"]),
        "PUT",
        f"/tickets/{TICKET_ID}/tags",
        TICKETS,
        json={"tag": ["sales", "support", "feedback"]},
        result=lambda t: isinstance(t, Ticket) and t.id == TICKET_ID,
    ),
    # -- webhooks -------------------------------------------------------------------------
    "webhooks": Case(
        lambda lc: collect(lc.webhooks()),
        "GET",
        "/webhooks",
        WEBHOOKS,
        result=lambda ws: [w.id for w in ws] == ["39612eee5f1b431217aafb9de19c1e32"],
    ),
    "create_webhook": Case(
        lambda lc: lc.create_webhook(
            "chat_started", ["chat", "visitor"], "https://my-company.com/parse_webhook.php"
        ),
        "POST",
        "/webhooks",
        WEBHOOKS,
        form=[
            ("event_type", "chat_started"),
            ("data_types[]", "chat"),
            ("data_types[]", "visitor"),
            ("url", "https://my-company.com/parse_webhook.php"),
        ],
        result=lambda w: isinstance(w, Webhook) and w.token == "0adec158e423091d5a36c9fce95775db",
    ),
    "delete_webhook": Case(
        lambda lc: lc.delete_webhook("39612eee5f1b431217aafb9de19c1e32"),
        "DELETE",
        "/webhooks/39612eee5f1b431217aafb9de19c1e32",
        {"result": "Push notification removed successfully"},
    ),
    # -- visitors -------------------------------------------------------------------------
    "visitors": Case(
        lambda lc: collect(lc.visitors(state="chatting", group=[0])),
        "GET",
        "/visitors",
        fixture("config/visitors.json"),
        query=[("state", "chatting"), ("group[]", "0")],
        result=lambda vs: all(isinstance(v, chatapi.Visitor) and v.raw for v in vs),
    ),
    "count_visitors": Case(
        lambda lc: lc.count_visitors(state="chatting"),
        "GET",
        "/visitors",
        {"count": 7},
        query=[("state", "chatting"), ("count", "1")],
        result=lambda n: n == 7,
    ),
    "add_visitor_details": Case(
        lambda lc: lc.add_visitor_details(
            "S1352647457.ac951bfe2e",
            1025707,
            "27f41c8da685c81a890f9e5f8ab94de1",
            [{"name": "Plan", "value": "Pro"}],
            id="my-app",
        ),
        "POST",
        "/visitors/S1352647457.ac951bfe2e/details",
        {"result": "ok"},
        form=[
            ("license_id", "1025707"),
            ("token", "27f41c8da685c81a890f9e5f8ab94de1"),
            ("fields[0][name]", "Plan"),
            ("fields[0][value]", "Pro"),
            ("id", "my-app"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
async def test_operation_sends_what_the_reference_shows(
    name: str, mocked: Any, lc: chatapi.LiveChat
) -> None:
    case = CASES[name]
    pattern = re.compile(re.escape(BASE + unquote(case.path)) + r"(\?.*)?$")
    mocked.add(pattern, method=case.method, payload=case.answer)
    result = await case.call(lc)
    ((method, url), entries), *more = mocked.requests.items()
    assert not more and len(entries) == 1
    kwargs = entries[0].kwargs
    assert method == case.method
    # yarl leaves "@" unquoted (it is allowed in a path) and aioresponses sorts the query.
    assert unquote(urlsplit(str(url)).path) == unquote(case.path)
    assert sorted(parse_qsl(urlsplit(str(url)).query)) == sorted(case.query)
    assert kwargs.get("json") == case.json
    assert (list(kwargs["data"]) if kwargs.get("data") else None) == case.form
    assert case.result(result), result


def test_every_operation_of_the_client_has_a_case() -> None:
    normalized = {"chats", "get_chat", "offline_messages", "get_offline_message", "agents"}
    normalized |= {"get_agent", "get_visitor"}
    rows = set(chatapi.LiveChat.endpoints) - normalized
    assert rows == set(CASES)
