"""Mapping of the published payloads (and the constructed ones) to normalized models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from chatapi import (
    AgentRole,
    AgentStatus,
    ParticipantKind,
    ResponseFormatError,
    from_dict,
    to_dict,
)
from chatapi._core.mapping import map_records
from chatapi.models import Agent, Chat, OfflineMessage, Visitor
from chatapi.vendors.revechat import ReveChat
from chatapi.vendors.revechat._convert import (
    agent_from_payload,
    chat_from_payload,
    offline_message_from_payload,
    visitor_from_payload,
)

if TYPE_CHECKING:
    from conftest import FakeReve

UTC = dt.timezone.utc


def _utc_ms(ms: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(milliseconds=ms)


def _assert_utc(value: dt.datetime | None) -> None:
    assert value is not None
    assert value.utcoffset() == dt.timedelta(0)


async def _serve_listing(server: FakeReve, body: Any) -> None:
    from aiohttp import web

    async def handler(request: web.Request) -> web.StreamResponse:
        if request.query.get("page_no", "1") == "1":
            return web.json_response(body)
        empty: Any = [] if isinstance(body, list) else {**body, "body": []}
        return web.json_response(empty)

    server.handler = handler


async def test_legacy_agents_sample(
    server: FakeReve, make_client: Callable[..., ReveChat], fixture_json: Callable[[str], Any]
) -> None:
    payload = fixture_json("agents_legacy.json")
    await _serve_listing(server, payload)
    agents = await make_client().agents().collect()
    john, pappu = agents
    assert john == Agent(
        vendor="revechat",
        id="463",
        name="John Oliver",
        email="john@example.com",
        status=AgentStatus.OFFLINE,
        role=AgentRole.OWNER,  # "Super Admin": the account owner's role
        group_ids=(),
    )
    assert pappu.id == "516"
    assert pappu.role is AgentRole.ADMIN
    assert pappu.status is AgentStatus.OFFLINE
    assert pappu.name == "pappu-admin 123456"
    assert [a.raw for a in agents] == payload


async def test_current_agents_envelope_sample(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    fixture_json: Callable[[str], Any],
) -> None:
    envelope = fixture_json("agents_current_envelope.json")
    await _serve_listing(server, envelope)
    client = make_client(auth_key=make_key(), account_id="8683034")
    asif, mohaimin = await client.agents().collect()
    assert asif.id == "77273"
    assert asif.name == "Asif Tuhin Design"
    assert asif.status is AgentStatus.OFFLINE  # "OFFLINE" upper case in this generation
    assert asif.role is AgentRole.UNKNOWN  # "role": null
    assert asif.group_ids == ("4213",)  # departments[].id
    assert asif.email == "[email protected]"  # the page's obfuscation, kept verbatim
    assert mohaimin.name == "Mohaimin"
    assert mohaimin.group_ids == ()
    assert [asif.raw, mohaimin.raw] == envelope["body"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Online", AgentStatus.ONLINE),
        ("ONLINE", AgentStatus.ONLINE),
        ("Away", AgentStatus.AWAY),
        ("offline", AgentStatus.OFFLINE),
        ("Invisible", AgentStatus.UNKNOWN),
        (None, AgentStatus.UNKNOWN),
        ("", AgentStatus.UNKNOWN),
    ],
)
def test_agent_status_casing_and_unknown_values(status: str | None, expected: AgentStatus) -> None:
    assert agent_from_payload({"agent_id": 1, "status": status}).status is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Super Admin", AgentRole.OWNER),
        ("SUPER_ADMIN", AgentRole.OWNER),
        ("super  admin", AgentRole.OWNER),
        ("Admin", AgentRole.ADMIN),
        ("ADMIN", AgentRole.ADMIN),
        ("Agent", AgentRole.AGENT),
        ("Supervisor", AgentRole.UNKNOWN),
        (None, AgentRole.UNKNOWN),
    ],
)
def test_agent_roles(role: str | None, expected: AgentRole) -> None:
    assert agent_from_payload({"agent_id": 1, "role": role}).role is expected


def test_legacy_dash_placeholders_become_none() -> None:
    agent = agent_from_payload(
        {"agent_id": 9, "first_name": "-", "last_name": "-", "email": "-", "status": "-"}
    )
    assert (agent.name, agent.email, agent.status) == (None, None, AgentStatus.UNKNOWN)


async def test_offline_messages_list_sample(
    server: FakeReve, make_client: Callable[..., ReveChat], fixture_json: Callable[[str], Any]
) -> None:
    payload = fixture_json("offline_messages_legacy.json")
    await _serve_listing(server, payload)
    messages = await make_client().offline_messages().collect()
    assert [m.id for m in messages] == ["744", "740", "596", "594"]
    first = messages[0]
    assert first.vendor == "revechat"
    assert first.visitor == Visitor(
        id="203305", name="arafat.mobilw", email="ssd@ccc.cin", phone="23444445555"
    )
    assert first.subject == "hhhhh"
    assert first.text == "hhhhhh"
    assert first.created_at == _utc_ms(1429082063768)
    assert first.created_at == dt.datetime(2015, 4, 15, 7, 14, 23, 768000, tzinfo=UTC)
    _assert_utc(first.created_at)
    assert first.read is True  # "unread": 0
    assert first.replies == ()  # list rows only count them (reply_message_count)
    # Empty visitor strings are "not given".
    assert messages[2].visitor == Visitor(id="146598")
    assert [m.raw for m in messages] == payload


async def test_offline_message_detail_sample(
    server: FakeReve, make_client: Callable[..., ReveChat], fixture_json: Callable[[str], Any]
) -> None:
    payload = fixture_json("offline_message_detail.json")
    server.reply(payload)
    message = await make_client().get_offline_message("744")
    assert message.id == "744"
    assert message.raw == payload
    # reply_messages → replies, oldest first (the doc lists them newest first).
    assert [r.text for r in message.replies] == ["hy", "dummy message", "test", "Hello"]
    times = [r.created_at for r in message.replies]
    assert times == sorted(t for t in times if t is not None)
    for when in times:
        _assert_utc(when)
    hello = message.replies[-1]
    assert hello.created_at == _utc_ms(1439628148050)
    assert hello.author.kind is ParticipantKind.AGENT
    assert hello.author.id == "465"
    assert hello.author.name == "nurnabi Siddiquee"
    assert hello.author.email == "nurnabi-admin@revechat.com"


@pytest.mark.parametrize(
    ("unread", "read"), [(0, True), (1, False), ("1", False), (True, False), (None, None)]
)
def test_unread_flag_becomes_read(unread: Any, read: bool | None) -> None:
    message = offline_message_from_payload({"offline_message_id": 1, "unread": unread})
    assert message.read is read


async def test_chats_sample(
    server: FakeReve, make_client: Callable[..., ReveChat], fixture_json: Callable[[str], Any]
) -> None:
    payload = fixture_json("chats_legacy.json")
    await _serve_listing(server, payload)
    answered, missed = await make_client().chats().collect()
    assert answered.id == "90211"
    assert answered.started_at == _utc_ms(1482739205000)
    assert answered.ended_at == _utc_ms(1482739805000)
    _assert_utc(answered.started_at)
    _assert_utc(answered.ended_at)
    assert answered.missed is False
    assert answered.visitor == Visitor(
        id="668745", name="crome", email="test1@gmail.com", phone="123456"
    )
    (agent,) = answered.agents
    assert (agent.kind, agent.id, agent.name, agent.email) == (
        ParticipantKind.AGENT,
        "463",
        "John Oliver",
        "john@example.com",
    )
    assert answered.rating == "5"
    assert answered.messages == ()
    assert missed.missed is True
    assert missed.started_at == _utc_ms(1482825600000)  # the request time: never started
    assert missed.ended_at is None
    assert missed.agents == ()
    assert [answered.raw, missed.raw] == payload


async def test_single_chat_in_a_current_envelope(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    fixture_json: Callable[[str], Any],
) -> None:
    envelope = fixture_json("chat_detail_current.json")
    server.reply(envelope)
    chat = await make_client(auth_key=make_key()).get_chat("90211")
    assert chat.id == "90211"
    assert chat.missed is False  # from "is_missed_chat"
    assert chat.raw == envelope["body"]


def test_chat_transcript_of_a_plausible_shape() -> None:
    chat = chat_from_payload(
        {
            "chat_id": 5,
            "visitor_id": 7,
            "visitor_name": "Ann",
            "is_missed_chat": 1,
            "messages": [
                {"sender_type": "visitor", "message": "hi", "time": 1700000000000},
                {"sender_type": "agent", "agent_id": 463, "text": "hello"},
                {"sender_type": "bot", "message": "menu"},
                {"sender": "strange", "message": "?"},
            ],
        }
    )
    kinds = [m.author.kind for m in chat.messages]
    assert kinds == [
        ParticipantKind.VISITOR,
        ParticipantKind.AGENT,
        ParticipantKind.BOT,
        ParticipantKind.UNKNOWN,
    ]
    assert chat.messages[0].author.id == "7"
    assert chat.messages[0].created_at == _utc_ms(1700000000000)
    assert chat.messages[1].author.id == "463"
    assert chat.messages[1].text == "hello"
    assert chat.missed is True


async def test_visitors_sample(
    server: FakeReve, make_client: Callable[..., ReveChat], fixture_json: Callable[[str], Any]
) -> None:
    payload = fixture_json("visitors_legacy.json")
    await _serve_listing(server, payload)
    first, second = await make_client().visitors().collect()
    assert first == Visitor(id="668745", name="crome", email="test1@gmail.com", phone="123456")
    assert first.raw == payload[0]
    assert first.raw["country"] == "BANGLADESH"
    assert second == Visitor(id="668746")
    assert second.raw == payload[1]


async def test_visitor_detail(
    server: FakeReve, make_client: Callable[..., ReveChat], fixture_json: Callable[[str], Any]
) -> None:
    payload = fixture_json("visitor_detail.json")
    server.reply(payload)
    visitor = await make_client().get_visitor("668745")
    assert visitor.id == "668745"
    assert visitor.name is None
    assert visitor.raw == payload


@pytest.mark.parametrize(
    ("mapper", "payload", "field"),
    [
        (agent_from_payload, {"first_name": "John"}, "agent_id"),
        (chat_from_payload, {"visitor_id": 1}, "chat_id"),
        (offline_message_from_payload, {"message": "hi"}, "offline_message_id"),
        (visitor_from_payload, {"name": "Ann"}, "visitor_id"),
    ],
)
def test_missing_required_field_names_it(
    mapper: Callable[[Any], Any], payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(ResponseFormatError) as info:
        map_records(mapper, [payload], vendor="revechat", kind="record")
    assert info.value.field == field
    assert field in str(info.value)


async def test_missing_id_through_the_client(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    await _serve_listing(server, [{"agent_id": 1}, {"first_name": "no id"}])
    with pytest.raises(ResponseFormatError) as info:
        await make_client(max_retries=0).agents().collect()
    assert info.value.field == "agent_id"
    assert info.value.vendor == "revechat"


@pytest.mark.parametrize(
    "payload",
    [
        {"agent_id": None},
        {"agent_id": " "},
        {"agent_id": {"nested": 1}},
        {"agent_id": 1, "last_login_time": "x", "departments": 5},
    ],
)
def test_malformed_payloads_are_response_format_errors(payload: dict[str, Any]) -> None:
    with pytest.raises(ResponseFormatError):
        map_records(agent_from_payload, [payload], vendor="revechat", kind="agent")


def test_malformed_time_is_a_response_format_error() -> None:
    with pytest.raises(ResponseFormatError):
        map_records(
            offline_message_from_payload,
            [{"offline_message_id": 1, "received_time": "yesterday"}],
            vendor="revechat",
            kind="offline message",
        )


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (Agent, "agents_legacy.json"),
        (OfflineMessage, "offline_messages_legacy.json"),
        (Chat, "chats_legacy.json"),
        (Visitor, "visitors_legacy.json"),
    ],
)
def test_models_round_trip_through_to_dict(
    fixture_json: Callable[[str], Any], cls: type[Any], name: str
) -> None:
    mapper = {
        Agent: agent_from_payload,
        OfflineMessage: offline_message_from_payload,
        Chat: chat_from_payload,
        Visitor: visitor_from_payload,
    }[cls]
    for payload in fixture_json(name):
        model = mapper(payload)
        assert from_dict(cls, to_dict(model)) == model


def test_departments_without_an_id_are_skipped() -> None:
    agent = agent_from_payload(
        {"agent_id": 1, "departments": [{"deptName": "Sales"}, {"id": 7}, {"id": None}, 9]}
    )
    assert agent.group_ids == ("7", "9")
