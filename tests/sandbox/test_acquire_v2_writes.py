"""The Acquire v2 fake's writes, through the client: create -> list/get -> update -> delete,
the normalized writes with their lookups, a whole case, Acquire-shaped refusals, faults."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator

import pytest

import chatapi
from chatapi.errors import BadRequestError, ConflictError, NotFoundError
from chatapi.models import (
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
from chatapi.sandbox import Faults, Sandbox, serve
from chatapi.vendors.acquire import AcquireV2


@pytest.fixture
async def sandbox() -> AsyncIterator[tuple[Sandbox, AcquireV2]]:
    async with (
        serve("acquire", generation="v2", chats=30, seed=7) as sb,
        chatapi.Acquire(**sb.credentials) as client,
    ):
        assert isinstance(client, AcquireV2)
        yield sb, client


async def test_users_round_trip(sandbox: tuple[Sandbox, AcquireV2]) -> None:
    _, client = sandbox
    before = await client.agents().collect()
    user = await client.create_user("Nia Park", "nia@example.com", "pw-1", roles=[2])
    assert (user.name, user.email) == ("Nia Park", "nia@example.com")
    listed = await client.agents().collect()
    assert len(listed) == len(before) + 1 and listed[-1].id == user.id
    changed = await client.update_user(user.id, name="Nia P.")
    assert changed.name == "Nia P." and (await client.get_agent(user.id)).name == "Nia P."
    await client.delete_user(user.id)
    with pytest.raises(NotFoundError):
        await client.get_agent(user.id)
    await client.delete_user(before[0].id)
    assert [a.id for a in await client.agents().collect()] == [a.id for a in before[1:]]


async def test_duplicate_user_email_is_refused(sandbox: tuple[Sandbox, AcquireV2]) -> None:
    _, client = sandbox
    taken = (await client.agents().collect())[0].email
    assert taken
    with pytest.raises(ConflictError) as caught:
        await client.create_user("Again", taken.upper(), "pw", roles=[1])
    assert caught.value.status == 400
    assert caught.value.vendor_code == "ERROR_DUPLICATE_RECORD_FOUND"


async def test_missing_required_field_is_a_bad_request(sandbox: tuple[Sandbox, AcquireV2]) -> None:
    _, client = sandbox
    # Past the client's own checks: an empty name reaches the fake.
    with pytest.raises(BadRequestError) as caught:
        await client.create_user("", "x@example.com", "pw", roles=[1])
    assert caught.value.vendor_code == "ERROR_INVALID_INPUT"


async def test_contacts_round_trip(sandbox: tuple[Sandbox, AcquireV2]) -> None:
    _, client = sandbox
    contact = await client.create_contact(name="Eve", email="eve@example.com", fields={"c": "1"})
    assert contact.id and contact.email == "eve@example.com"
    assert (await client.visitors().collect())[-1].id == contact.id
    await client.update_contact(contact.id, phone="555")
    assert (await client.get_visitor(contact.id)).phone == "555"
    await client.delete_contact(contact.id)
    with pytest.raises(NotFoundError):
        await client.get_visitor(contact.id)


async def test_departments_tags_shortcuts_round_trip(sandbox: tuple[Sandbox, AcquireV2]) -> None:
    _, client = sandbox
    department = await client.create_department("Billing")
    assert department.name in [d.name for d in await client.departments().collect()]
    assert (await client.update_department(department.id, name="Billing 2")).name == "Billing 2"
    await client.delete_department(department.id)
    assert "Billing 2" not in [d.name for d in await client.departments().collect()]

    tag = await client.create_tag("vip", color="#123456")
    assert [t.name for t in await client.tags(search="vi").collect()] == ["vip"]
    assert (await client.update_tag(tag.id, name="VIP")).name == "VIP"
    with pytest.raises(ConflictError):
        await client.create_tag("vip")
    await client.delete_tag(tag.id)
    assert "VIP" not in [t.name for t in await client.tags().collect()]

    shortcut = await client.create_shortcut("See you soon!", name="bye")
    assert shortcut.message in [s.message for s in await client.shortcuts().collect()]
    assert (await client.update_shortcut(shortcut.id, message="Bye!")).message == "Bye!"
    await client.delete_shortcut(shortcut.id)
    assert shortcut.id not in [s.id for s in await client.shortcuts().collect()]


async def test_normalized_writes_and_their_lookups(
    sandbox: tuple[Sandbox, AcquireV2], caplog: pytest.LogCaptureFixture
) -> None:
    _, client = sandbox
    caplog.set_level(logging.DEBUG)
    new_agent = NewAgent(email="Zed@Example.com", name="Zed")
    assert await client.find_agent(new_agent) is None
    agent = await client.create_agent(new_agent)
    assert (await client.find_agent(NewAgent(email="zed@example.com", name="?"))) == agent
    # The password was sent once and is nowhere in what we keep, show or log.
    assert "password" not in json.dumps(agent.raw) and "password" not in repr(agent)
    assert "password" not in caplog.text

    group = NewGroup(name="Returns")
    assert await client.find_group(group) is None
    made = await client.create_group(group)
    assert (await client.find_group(group)) == made

    tag = NewTag(name="urgent")
    assert await client.find_tag(tag) is None
    assert (await client.find_tag(tag)) is None
    made_tag = await client.create_tag(tag)
    assert (await client.find_tag(NewTag(name="URGENT"))) == made_tag

    canned = NewCannedResponse(text="We are on it.", tags=("onit",))
    assert await client.find_canned_response(canned) is None
    made_canned = await client.create_canned_response(canned)
    assert (await client.find_canned_response(canned)) == made_canned

    visitor = NewVisitor(name="Kim", email="kim@example.com")
    assert await client.find_visitor(visitor) is None
    made_visitor = await client.create_visitor(visitor)
    found = await client.find_visitor(visitor)
    assert found is not None and found.id == made_visitor.id


def _msg(kind: ParticipantKind, name: str, text: str, minute: int) -> NewMessage:
    at = dt.datetime(2024, 3, 1, 10, minute, tzinfo=dt.timezone.utc)
    return NewMessage(author=Participant(kind=kind, name=name), text=text, created_at=at)


async def test_create_case_end_to_end(sandbox: tuple[Sandbox, AcquireV2]) -> None:
    _, client = sandbox
    chat = NewChat(
        visitor=NewVisitor(name="Lou", email="lou@example.com"),
        messages=(
            _msg(ParticipantKind.VISITOR, "Lou", "My parcel is late", 2),
            _msg(ParticipantKind.AGENT, "Alice", "Let me check", 3),
            _msg(ParticipantKind.VISITOR, "Lou", "Thanks", 5),
        ),
        subject="Parcel",
    )
    assert await client.find_case(chat) is None
    case = await client.create_case(chat)
    listed = {c.id: c for c in await client.chats().collect()}
    written = listed[case.id]
    assert written.raw["status"] == "closed" and written.ended_at is not None
    assert [m.text for m in written.messages] == [
        "[Lou, 2024-03-01 10:02 UTC] My parcel is late",
        "[Alice, 2024-03-01 10:03 UTC] Let me check",
        "[Lou, 2024-03-01 10:05 UTC] Thanks",
    ]
    kinds = [m.author.kind for m in written.messages]
    assert kinds == [ParticipantKind.VISITOR, ParticipantKind.AGENT, ParticipantKind.VISITOR]
    assert written.visitor.id == (await client.find_visitor(chat.visitor)).id  # type: ignore[union-attr]
    found = await client.find_case(chat)
    assert found is not None and found.id == case.id
    # A second conversation of the same contact reuses the contact.
    other = NewChat(visitor=chat.visitor, messages=chat.messages[:1], subject="Again")
    other_case = await client.create_case(other)
    assert other_case.id != case.id
    contacts = [v for v in await client.visitors().collect() if v.email == "lou@example.com"]
    assert len(contacts) == 1


async def test_messages_go_to_active_cases_only(sandbox: tuple[Sandbox, AcquireV2]) -> None:
    _, client = sandbox
    contact = await client.create_contact(name="Ola")
    assert contact.id
    case = await client.create_case_for_contact(contact.id)
    added = await client.add_case_message(case.id, "hello", as_user=False)
    assert (added.case_id, added.sender_type, added.text) == (case.id, "contact", "hello")
    await client.close_case(case.id)
    with pytest.raises(BadRequestError, match="active"):
        await client.add_case_message(case.id, "late")
    with pytest.raises(NotFoundError):
        await client.create_case_for_contact("999999999")


async def test_the_same_writes_give_the_same_records(sandbox: tuple[Sandbox, AcquireV2]) -> None:
    _, client = sandbox
    first = await client.create_contact(name="Det")
    async with (
        serve("acquire", generation="v2", chats=30, seed=7) as again,
        chatapi.Acquire(**again.credentials) as other,
    ):
        assert isinstance(other, AcquireV2)
        second = await other.create_contact(name="Det")
    assert first.raw == second.raw


async def test_faults_apply_to_writes() -> None:
    faults = Faults(error_500=1.0)
    async with (
        serve("acquire", generation="v2", chats=5, seed=3, faults=faults) as sb,
        chatapi.Acquire(**sb.credentials, max_retries=3) as client,
    ):
        with pytest.raises(chatapi.ServerError):
            await client.create_tag("x")
        # A write that may have been processed is sent once.
        assert sb.stats.requests == 1
