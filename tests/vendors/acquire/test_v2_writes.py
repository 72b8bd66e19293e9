"""Acquire v2 writes: the request each wrapper sends (method, path, query, JSON body), as the
pages of https://developer.acquire.io/v/2.0.0/ show them, and what the answers map to."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

import chatapi
from chatapi.errors import ChatAPIError, ServerError
from chatapi.models import (
    AgentRole,
    NewAgent,
    NewCannedResponse,
    NewChat,
    NewGroup,
    NewMessage,
    NewTag,
    NewVisitor,
    Participant,
    ParticipantKind,
)
from chatapi.vendors.acquire import AcquireV2
from chatapi.vendors.acquire._v2_types import PartialWriteError
from chatapi.writes import stamp

ROOT = "https://acme.acquire.io/api/v1"
USER = {"id": 24, "name": "Ann Lee", "email": "ann@example.com", "roles": [{"id": 1}]}
CONTACT = {"id": 12, "fields": {"name": "Bo", "email": "bo@example.com", "phone": "9"}}
CASE = {"id": 2071, "status": "active", "contactId": 12, "dateCreated": "2021-03-30T18:21:41Z"}


@pytest.fixture
async def client() -> AsyncIterator[AcquireV2]:
    async with chatapi.Acquire(api_key="KEY", account_id="acme", max_retries=2) as acq:
        assert isinstance(acq, AcquireV2)
        yield acq


def _sent(mocked: aioresponses) -> list[tuple[str, str, Any]]:
    """Every request as (method, URL, JSON body), in order."""
    out = []
    for (method, url), calls in mocked.requests.items():
        for call in calls:
            out.append((method, str(url), call.kwargs.get("json")))
    return out


@pytest.mark.parametrize(
    ("call", "method", "url", "body", "answer"),
    [
        (
            lambda c: c.create_user("Ann Lee", "ann@example.com", "pw", roles=[1]),
            "POST",
            "/account/user",
            {
                "name": "Ann Lee",
                "email": "ann@example.com",
                "password": "pw",
                "roles": [1],
                "department": [],
            },
            {"data": {"user": USER, "success": True}},
        ),
        (
            lambda c: c.update_user(24, name="QA", departments=["3"]),
            "PUT",
            "/account/user/24",
            {"name": "QA", "departments": [3]},
            {"data": [USER]},
        ),
        (
            lambda c: c.delete_user(24),
            "DELETE",
            "/account/user?userId=24",
            None,
            {"data": {"deleted": 1}},
        ),
        (
            lambda c: c.create_contact(name="Bo", email="bo@example.com", fields={"city": "X"}),
            "POST",
            "/crm/objects/contact",
            {"fields": {"city": "X", "name": "Bo", "email": "bo@example.com"}},
            {"data": CONTACT},
        ),
        (
            lambda c: c.update_contact(12, phone="9"),
            "PUT",
            "/crm/objects/contact/12",
            {"fields": {"phone": "9"}},
            {"data": CONTACT},
        ),
        (
            lambda c: c.delete_contact(12),
            "DELETE",
            "/crm/objects/contact/12",
            None,
            {"data": {"deleted": 1}},
        ),
        (
            lambda c: c.create_case_for_contact(12, title="Hi"),
            "POST",
            "/crm/messenger/chat/create?contactId=12",
            {"title": "Hi", "channel": "chat"},
            {"data": CASE},
        ),
        (
            lambda c: c.add_case_message(2071, "hello", as_user=False),
            "POST",
            "/crm/messenger/chat/add-message?x-user-type=contact",
            {"caseId": 2071, "message": {"message": "hello", "type": "message"}, "channel": "chat"},
            {"data": {"senderType": "contact", "type": "message", "message": "hello"}},
        ),
        (
            lambda c: c.add_case_message("2071", "n", type="note"),
            "POST",
            "/crm/messenger/chat/add-message?x-user-type=user",
            {"caseId": 2071, "message": {"message": "n", "type": "note"}, "channel": "chat"},
            {"data": {"senderType": "user", "type": "note", "message": "n", "case": CASE}},
        ),
        (
            lambda c: c.close_case(2071, closing_state="handled"),
            "POST",
            "/crm/messenger/chat/close",
            {"caseId": 2071, "closingState": "handled"},
            {"data": {"0": {"caseId": 2071, "foreverClosed": True}, "userType": "user"}},
        ),
        (
            lambda c: c.create_department("Sales"),
            "POST",
            "/account/department",
            {"department_list": [{"name": "Sales", "status": "active"}]},
            {"data": [{"name": "Sales", "status": "active", "id": 14}]},
        ),
        (
            lambda c: c.update_department(14, name="Sales 2"),
            "PUT",
            "/account/department/14",
            {"name": "Sales 2"},
            {"data": {"id": 14, "name": "Sales 2", "status": "active", "users": []}},
        ),
        (
            lambda c: c.delete_department(14),
            "DELETE",
            "/account/department?id=14",
            None,
            {"data": {"deleted": 1}},
        ),
        (
            lambda c: c.create_tag("vip", color="#c034eb"),
            "POST",
            "/crm/tag",
            {"name": "vip", "color": "#c034eb", "type": ["case", "contact"]},
            {"data": {"id": 2, "name": "vip", "color": "#c034eb", "type": ["case", "contact"]}},
        ),
        (
            lambda c: c.update_tag(2, name="VIP", types=["case"]),
            "PUT",
            "/crm/tag/2",
            {"name": "VIP", "type": ["case"]},
            {"data": {"id": 2, "name": "VIP", "type": ["case"]}},
        ),
        (lambda c: c.delete_tag(2), "DELETE", "/crm/tag?id=2", None, {"data": {"deleted": 1}}),
        (
            lambda c: c.create_shortcut("Hello there", name="hi"),
            "POST",
            "/crm/message-shortcut",
            {"message": "Hello there", "shortcut_name": "hi"},
            {"data": {"shortcut_name": "hi", "message": "Hello there", "id": 36}},
        ),
        (
            lambda c: c.update_shortcut(36, message="Bye"),
            "PUT",
            "/crm/message-shortcut/36",
            {"message": "Bye"},
            {"data": {"id": 36, "shortcut_name": "hi", "message": "Bye"}},
        ),
        (
            lambda c: c.delete_shortcut(36),
            "DELETE",
            "/crm/message-shortcut?id=36",
            None,
            {"data": {"deleted": 1}},
        ),
    ],
)
async def test_write_request_shapes(
    client: AcquireV2, call: Any, method: str, url: str, body: Any, answer: Any
) -> None:
    with aioresponses() as mocked:
        mocked.add(ROOT + url, method, payload=answer)
        result = await call(client)
        assert _sent(mocked) == [(method, ROOT + url, body)]
    if result is not None:
        assert result.raw  # the vendor's record, kept


async def test_answers_map_to_records(client: AcquireV2) -> None:
    with aioresponses() as mocked:
        mocked.post(ROOT + "/account/user", payload={"data": {"user": USER, "success": True}})
        mocked.post(ROOT + "/crm/objects/contact", payload={"data": CONTACT})
        mocked.post(ROOT + "/crm/messenger/chat/create?contactId=12", payload={"data": CASE})
        mocked.post(
            ROOT + "/account/department",
            payload={"data": [{"name": "Other", "id": 1}, {"name": "Sales", "id": 14}]},
        )
        agent = await client.create_user("Ann Lee", "ann@example.com", "pw")
        visitor = await client.create_contact(email="bo@example.com")
        case = await client.create_case_for_contact("12")
        department = await client.create_department("Sales")
    assert (agent.id, agent.email, agent.role) == ("24", "ann@example.com", AgentRole.ADMIN)
    assert (visitor.id, visitor.email, visitor.phone) == ("12", "bo@example.com", "9")
    assert (case.id, case.visitor.id) == ("2071", "12")
    assert (department.id, department.name) == ("14", "Sales")


async def test_writes_are_not_retried(client: AcquireV2) -> None:
    with aioresponses() as mocked:
        mocked.post(ROOT + "/crm/tag", status=503, repeat=True)
        with pytest.raises(ServerError):
            await client.create_tag("vip")
        assert len(_sent(mocked)) == 1


async def test_duplicate_user_is_a_400_error(client: AcquireV2) -> None:
    body = {"error": {"type": "ERROR_DUPLICATE_RECORD_FOUND", "message": "Email already exists"}}
    with aioresponses() as mocked:
        mocked.post(ROOT + "/account/user", status=400, payload=body)
        with pytest.raises(chatapi.ConflictError) as caught:
            await client.create_user("A", "a@example.com", "pw")
    assert caught.value.status == 400
    assert caught.value.vendor_code == "ERROR_DUPLICATE_RECORD_FOUND"


async def test_missing_required_fields_fail_before_any_request(client: AcquireV2) -> None:
    with aioresponses() as mocked:
        with pytest.raises(TypeError, match="case_id"):
            await client._call("add_case_message", path_args={"user_type": "user"}, arguments={})
        assert _sent(mocked) == []


async def test_create_agent_password_is_random_and_never_kept(
    client: AcquireV2, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    new = NewAgent(email="ann@example.com", name="Ann Lee", role=AgentRole.AGENT, group_ids=("3",))
    with aioresponses() as mocked:
        mocked.post(ROOT + "/account/user", payload={"data": {"user": USER, "success": True}})
        mocked.post(ROOT + "/account/user", payload={"data": {"user": USER, "success": True}})
        agent = await client.create_agent(new)
        await client.create_agent(new)
        bodies = [body for _, _, body in _sent(mocked)]
    passwords = {body["password"] for body in bodies}
    assert len(passwords) == 2 and all(len(p) >= 32 for p in passwords)
    assert bodies[0]["roles"] == [2] and bodies[0]["department"] == [3]
    for password in passwords:
        assert password not in repr(agent)
        assert password not in json.dumps(agent.raw)
        assert password not in caplog.text


def _message(kind: ParticipantKind, name: str, text: str, minute: int) -> NewMessage:
    at = dt.datetime(2024, 3, 1, 10, minute, tzinfo=dt.timezone.utc)
    return NewMessage(author=Participant(kind=kind, name=name), text=text, created_at=at)


CHAT = NewChat(
    visitor=NewVisitor(name="Bo", email="BO@example.com"),
    messages=(
        _message(ParticipantKind.VISITOR, "Bo", "Hi", 2),
        _message(ParticipantKind.AGENT, "Alice", "Hello", 3),
    ),
    subject="Help",
)


def test_stamp() -> None:
    at = dt.datetime(2024, 3, 1, 11, 2, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert stamp("Alice", at) == "[Alice, 2024-03-01 10:02 UTC] "
    assert stamp("Alice", None) == "[Alice] "
    assert stamp(None, at.replace(tzinfo=None)) == "[2024-03-01 11:02 UTC] "
    assert stamp(" ", None) == ""


async def test_create_case_sends_every_step_in_order(client: AcquireV2) -> None:
    contacts = {"data": {"list": [CONTACT], "counts": {"total": 1}}}
    with aioresponses() as mocked:
        mocked.get(URL(ROOT + "/crm/objects/contact?limit=25&offset=0"), payload=contacts)
        mocked.post(ROOT + "/crm/messenger/chat/create?contactId=12", payload={"data": CASE})
        for user_type in ("contact", "user"):
            mocked.post(
                ROOT + f"/crm/messenger/chat/add-message?x-user-type={user_type}",
                payload={"data": {"message": "x"}},
            )
        mocked.post(ROOT + "/crm/messenger/chat/close", payload={"data": {"0": {}}})
        case = await client.create_case(CHAT)
        sent = _sent(mocked)
    assert case.id == "2071"
    assert [(m, u.removeprefix(ROOT)) for m, u, _ in sent] == [
        ("GET", "/crm/objects/contact?limit=25&offset=0"),
        ("POST", "/crm/messenger/chat/create?contactId=12"),
        ("POST", "/crm/messenger/chat/add-message?x-user-type=contact"),
        ("POST", "/crm/messenger/chat/add-message?x-user-type=user"),
        ("POST", "/crm/messenger/chat/close"),
    ]
    assert sent[1][2] == {"title": "Help", "channel": "chat"}
    assert sent[2][2]["message"]["message"] == "[Bo, 2024-03-01 10:02 UTC] Hi"
    assert sent[3][2]["message"]["message"] == "[Alice, 2024-03-01 10:03 UTC] Hello"
    assert sent[4][2] == {"caseId": 2071, "closingState": "handled"}


async def test_create_case_failing_halfway_says_what_was_written(client: AcquireV2) -> None:
    contacts = {"data": {"list": [CONTACT], "counts": {"total": 1}}}
    with aioresponses() as mocked:
        mocked.get(URL(ROOT + "/crm/objects/contact?limit=25&offset=0"), payload=contacts)
        mocked.post(ROOT + "/crm/messenger/chat/create?contactId=12", payload={"data": CASE})
        mocked.post(
            ROOT + "/crm/messenger/chat/add-message?x-user-type=contact",
            payload={"data": {"message": "x"}},
        )
        mocked.post(ROOT + "/crm/messenger/chat/add-message?x-user-type=user", status=500)
        with pytest.raises(PartialWriteError) as caught:
            await client.create_case(CHAT)
    error = caught.value
    assert isinstance(error, ChatAPIError)
    assert (error.case_id, error.messages_written, error.closed) == ("2071", 1, False)
    assert "2071" in str(error) and isinstance(error.__cause__, ServerError)


async def test_normalized_writes_map_their_inputs(client: AcquireV2) -> None:
    with aioresponses() as mocked:
        mocked.post(ROOT + "/account/department", payload={"data": [{"name": "Sales", "id": 3}]})
        mocked.post(ROOT + "/crm/tag", payload={"data": {"id": 2, "name": "vip"}})
        mocked.post(ROOT + "/crm/message-shortcut", payload={"data": {"id": 5, "message": "Hi"}})
        mocked.post(ROOT + "/crm/objects/contact", payload={"data": CONTACT})
        group = await client.create_group(NewGroup(name="Sales"))
        tag = await client.create_tag(NewTag(name="vip", group_id="3"))
        shortcut = await client.create_canned_response(NewCannedResponse(text="Hi", tags=("h",)))
        visitor = await client.create_visitor(NewVisitor(name="Bo", phone="9", fields={"c": "d"}))
        bodies = [body for _, _, body in _sent(mocked)]
    assert [group.id, tag.id, shortcut.id, visitor.id] == ["3", "2", "5", "12"]
    assert bodies == [
        {"department_list": [{"name": "Sales", "status": "active"}]},
        {"name": "vip", "type": ["case", "contact"]},
        {"message": "Hi", "shortcut_name": "h"},
        {"fields": {"c": "d", "name": "Bo", "phone": "9"}},
    ]
