"""Payload mapping: every sample, times in the configured zone, coercions, failures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import chatapi
from chatapi import AgentRole, AgentStatus, ParticipantKind, ResponseFormatError
from chatapi._core.mapping import map_records
from chatapi.vendors.acquire._coerce import (
    split_list,
    to_bool,
    to_datetime,
    to_id,
    to_int,
    to_text,
)
from chatapi.vendors.acquire._convert import (
    v1_agent,
    v1_chat,
    v1_message,
    v1_offline_message,
    v1_visitor,
    v2_agent,
    v2_chat,
    v2_message,
    v2_visitor,
)

UTC = dt.timezone.utc
THREAD = "acquire_v1-profile-message-thread_acquireio-developer.acquire.io.json"
OFFLINE_THREADS = "acquire_v1-profile-message-thread-offline_acquireio-developer.acquire.io.json"
MESSAGES = "acquire_v1-profile-lead-message_seed.json"
AGENTS = "acquire_v1-account-agents_acquireio-developer.acquire.io.json"
LEADS = "acquire_v1-profile-lead-list_acquireio-developer.acquire.io.json"
CASES = "acquire_v2-case-list_acquireio-developer.acquire.io.json"
CASE_MESSAGE = "acquire_v2-case-message-get_acquireio-developer.acquire.io.json"
USER = "acquire_v2-account-user-get_acquireio-developer.acquire.io.json"
USERS = "acquire_v2-account-user-list_constructed.json"
CONTACTS = "acquire_v2-contact-list_constructed.json"
WEBHOOK = "acquire_v2-webhook-case-status_acquireio-developer.acquire.io.json"


def _aware_utc(value: dt.datetime | None) -> None:
    assert value is None or value.utcoffset() == dt.timedelta(0)


# -- coercions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        (True, True),
        ("seen", True),
        ("unseen", False),
        ("yes", True),
        ("no", False),
        ("NO", False),
        ("false", False),
        ("true", True),
        ("null", None),
        ("", None),
        (None, None),
        ("maybe", None),
    ],
)
def test_to_bool(value: Any, expected: bool | None) -> None:
    assert to_bool(value) is expected


def test_numbers_ids_and_text() -> None:
    assert to_int("104111") == 104111
    assert to_int("25.0") == 25
    assert to_int("null") is None
    with pytest.raises(ValueError):
        to_int("abc")
    with pytest.raises(ValueError):
        to_int(True)
    assert to_id(104111) == "104111"
    assert to_id("6") == "6"
    assert to_id(7.0) == "7"
    assert to_id("null") is None
    assert to_text("null") is None
    assert to_text(4) == "4"
    assert split_list("1877,2139, 2140") == ["1877", "2139", "2140"]
    assert split_list([1, "2"]) == ["1", "2"]
    assert split_list(None) == []


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("2018-07-23 13:45:50", UTC, dt.datetime(2018, 7, 23, 13, 45, 50, tzinfo=UTC)),
        # Naive times are read in the configured zone (IST = UTC+5:30).
        (
            "2018-07-23 13:45:50",
            ZoneInfo("Asia/Kolkata"),
            dt.datetime(2018, 7, 23, 8, 15, 50, tzinfo=UTC),
        ),
        # first_visit: DD-MM-YYYY 12-hour (profile detail doc), in New York summer time.
        (
            "12-07-2018 11:05:51 AM",
            ZoneInfo("America/New_York"),
            dt.datetime(2018, 7, 12, 15, 5, 51, tzinfo=UTC),
        ),
        ("12-07-2018 01:05:51 PM", UTC, dt.datetime(2018, 7, 12, 13, 5, 51, tzinfo=UTC)),
        # ISO with Z ignores the zone.
        (
            "2021-03-30T15:15:52.000Z",
            ZoneInfo("Asia/Kolkata"),
            dt.datetime(2021, 3, 30, 15, 15, 52, tzinfo=UTC),
        ),
        (
            "Wed Mar 03 2021 10:19:49 GMT+0000 (Coordinated Universal Time)",
            UTC,
            dt.datetime(2021, 3, 3, 10, 19, 49, tzinfo=UTC),
        ),
        (
            "Wed Mar 03 2021 15:49:49 GMT+0530 (India Standard Time)",
            UTC,
            dt.datetime(2021, 3, 3, 10, 19, 49, tzinfo=UTC),
        ),
    ],
)
def test_to_datetime(text: str, tz: dt.tzinfo, expected: dt.datetime) -> None:
    value = to_datetime(text, tz)
    assert value == expected
    assert value is not None and value.tzinfo == UTC


@pytest.mark.parametrize("value", [None, "", "null", "0000-00-00 00:00:00"])
def test_to_datetime_nulls(value: Any) -> None:
    assert to_datetime(value) is None


def test_to_datetime_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        to_datetime("yesterday-ish")


# -- v1 samples ---------------------------------------------------------------------------------


def test_v1_thread_sample(fixture_json: Callable[[str], Any]) -> None:
    rows = fixture_json(THREAD)["data"]["messages"]
    chats = [v1_chat(row, UTC) for row in rows]
    assert [c.id for c in chats] == ["445", "446", "616"]
    first = chats[0]
    assert first.vendor == "acquire"
    assert first.raw == rows[0]
    assert first.visitor.id == "565"
    assert first.agents == (
        chatapi.Participant(kind=ParticipantKind.AGENT, id="3518", name="John"),
    )
    assert first.rating == "4"  # feedback_rating 4
    assert chats[1].rating == "4"  # from the "rating" list
    assert chats[2].rating is None
    assert first.missed is False
    assert first.started_at is None  # chat_created is null and no messages were fetched
    assert first.ended_at is None  # "thread_status": "open"


def test_v1_offline_thread_sample(fixture_json: Callable[[str], Any]) -> None:
    rows = fixture_json(OFFLINE_THREADS)["data"]["messages"]
    offline, online = (v1_chat(row, UTC) for row in rows)
    assert offline.missed is True and online.missed is False
    assert offline.agents == ()  # "users": null, "agents": null
    assert online.agents[0].id == "15416"
    message = v1_offline_message(rows[0], UTC)
    assert message.id == "40544"
    assert message.raw == rows[0]
    assert message.read is True


def test_v1_messages_sample_in_a_configured_zone(fixture_json: Callable[[str], Any]) -> None:
    rows = fixture_json(MESSAGES)["data"]["messages"]
    tz = ZoneInfo("Europe/Berlin")  # CEST in July: UTC+2
    agent, visitor = (v1_message(row, tz) for row in rows)
    assert agent.id == "944199"
    assert agent.author == chatapi.Participant(
        kind=ParticipantKind.AGENT, id="15416", name="Devid Klok"
    )
    assert agent.created_at == dt.datetime(2018, 7, 23, 11, 45, 50, tzinfo=UTC)
    assert visitor.author.kind is ParticipantKind.VISITOR
    assert visitor.author.name == "John Deo"
    assert visitor.text == "Hello"
    chat = v1_chat({"thread_id": 7, "visitor_id": None}, tz, rows)
    assert chat.visitor.id == "61793"  # vd_id of the messages
    assert chat.visitor.name == "John Deo"
    assert chat.started_at == agent.created_at
    assert [m.id for m in chat.messages] == ["944199", "944201"]


def test_v1_agents_sample(fixture_json: Callable[[str], Any]) -> None:
    row = fixture_json(AGENTS)["data"]["rows"][0]
    agent = v1_agent(row)
    assert (agent.id, agent.name, agent.email) == ("14755", "David", "davidklok@acquire.io")
    assert agent.role is AgentRole.ADMIN
    # "user_status": "active" tells the account is enabled, not whether the agent is online.
    assert agent.status is AgentStatus.UNKNOWN
    assert agent.group_ids == ()
    assert agent.raw == row
    assert "[SECRET KEY]" not in repr(agent)


def test_v1_agent_roles_and_unknown_values() -> None:
    assert v1_agent({"id": 1, "role": 2}).role is AgentRole.AGENT
    assert v1_agent({"id": 1, "role": "2"}).role is AgentRole.AGENT
    assert v1_agent({"id": 1, "role_name": "Owner"}).role is AgentRole.OWNER
    assert v1_agent({"id": 1, "role_name": "Wizard"}).role is AgentRole.UNKNOWN
    assert v1_agent({"id": 1, "availability": "online"}).status is AgentStatus.ONLINE
    assert v1_agent({"id": 1, "availability": "dancing"}).status is AgentStatus.UNKNOWN


def test_v1_profile_list_sample(fixture_json: Callable[[str], Any]) -> None:
    row = fixture_json(LEADS)["data"]["data"][0]
    visitor = v1_visitor(row)
    assert visitor.id == "70574"
    assert (visitor.name, visitor.email, visitor.phone) == (None, None, None)  # "" → None
    assert visitor.raw == row


def test_v1_profile_detail_shape() -> None:
    detail = {
        "id": 3393,
        "visitor_id": 61793,
        "visitor_name": "John",
        "visitor_email": "j@x.io",
        "visitor_phone": "123",
        "first_visit": "12-07-2018 11:05:51 AM",
    }
    visitor = v1_visitor(detail)
    assert (visitor.id, visitor.name, visitor.email, visitor.phone) == (
        "61793",
        "John",
        "j@x.io",
        "123",
    )


def test_v1_unknown_sender_kind() -> None:
    message = v1_message({"id": 1, "sender_type": "alien", "message": "x"}, UTC)
    assert message.author.kind is ParticipantKind.UNKNOWN


def test_v1_string_encoded_values() -> None:
    # Webhook-style strings: "null" for none, numbers and flags as text (v1 webhooks,
    # https://developer.acquire.io/).
    thread = {
        "thread_id": "104111",
        "visitor_id": "55",
        "offline_chat": "1",
        "chat_created": "null",
        "feedback_rating": "null",
        "rating": ["3", "5"],
        "user_id": "1,2",
        "agents": "Ann,Bob",
    }
    chat = v1_chat(thread, UTC)
    assert chat.id == "104111"
    assert chat.missed is True
    assert chat.started_at is None
    assert chat.rating == "5"
    assert [(a.id, a.name) for a in chat.agents] == [("1", "Ann"), ("2", "Bob")]


@pytest.mark.parametrize(
    ("mapper", "payload", "field"),
    [
        (lambda p: v1_chat(p, UTC), {"chat_id": 1}, "thread_id"),
        (lambda p: v1_message(p, UTC), {"message": "hi"}, "id"),
        (v1_agent, {"user_name": "x"}, "id"),
        (v1_visitor, {"name": "x"}, "id"),
        (v2_chat, {"channel": "chat"}, "id"),
        (v2_message, {"message": "x"}, "id"),
        (v2_agent, {"name": "x"}, "id"),
        (v2_visitor, {"fields": {}}, "id"),
    ],
)
def test_missing_required_field_names_it(
    mapper: Callable[[Any], Any], payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(ResponseFormatError) as info:
        map_records(mapper, [payload], vendor="acquire", kind="record")
    assert info.value.field == field
    assert repr(field) in str(info.value)


def test_malformed_time_is_a_response_format_error() -> None:
    with pytest.raises(ResponseFormatError, match="malformed"):
        map_records(
            lambda p: v1_message(p, UTC),
            [{"id": 1, "date_created": "not a date"}],
            vendor="acquire",
            kind="message",
        )


# -- v2 samples ---------------------------------------------------------------------------------


def test_v2_case_list_sample(fixture_json: Callable[[str], Any]) -> None:
    rows = fixture_json(CASES)["data"]["data"]
    chats = [v2_chat(row) for row in rows]
    assert [c.id for c in chats] == ["1", "2"]
    chat = chats[0]
    assert chat.raw == rows[0]
    assert chat.visitor.id == "1"
    assert chat.messages == ()
    assert chat.started_at is None and chat.ended_at is None
    assert chat.missed is False


def test_v2_case_with_relations() -> None:
    case = {
        "id": 854,
        "contactId": 750940,
        "status": "close",
        "closingState": "handled",
        "dateCreated": "2021-04-13T05:22:19.000Z",
        "dateClosed": "2021-04-13T12:17:02.000Z",
        "userId": None,
        "users": [
            {
                "type": "user",
                "userId": 12,
                "user": {"id": 12, "name": "vivek", "email": "vivek@acquire.io"},
            },
            {"type": "contact", "userId": 750940, "user": {"type": "contact", "id": 750940}},
        ],
        "contact": {"id": 750940, "fields": {"name": "Pat", "email": "p@x.io"}},
        "messages": [
            {
                "id": 3391,
                "senderId": 12,
                "senderType": "user",
                "type": "message",
                "message": "lk",
                "dateCreated": "2021-04-13T12:17:02.000Z",
            },
        ],
        "tags": [{"id": 1, "name": "vip"}, "sales"],
        "feedbacks": [{"rating": 5}],
    }
    chat = v2_chat(case)
    assert chat.id == "854"
    assert chat.agents == (
        chatapi.Participant(
            kind=ParticipantKind.AGENT, id="12", name="vivek", email="vivek@acquire.io"
        ),
    )
    assert (chat.visitor.id, chat.visitor.name, chat.visitor.email) == ("750940", "Pat", "p@x.io")
    assert chat.started_at == dt.datetime(2021, 4, 13, 5, 22, 19, tzinfo=UTC)
    assert chat.ended_at == dt.datetime(2021, 4, 13, 12, 17, 2, tzinfo=UTC)
    assert chat.messages[0].author.kind is ParticipantKind.AGENT
    assert chat.tags == ("vip", "sales")
    assert chat.rating == "5"


def test_v2_case_message_sample(fixture_json: Callable[[str], Any]) -> None:
    message = v2_message(fixture_json(CASE_MESSAGE)["data"])
    assert message.id == "8285"
    assert message.author == chatapi.Participant(
        kind=ParticipantKind.AGENT, id="1", name="David Guetta", email="user@example.com"
    )
    assert message.text == "hijk"
    assert message.created_at == dt.datetime(2021, 3, 30, 15, 15, 52, tzinfo=UTC)


def test_v2_webhook_messages(fixture_json: Callable[[str], Any]) -> None:
    rows = fixture_json(WEBHOOK)["data"]["messages"]
    messages = [v2_message(row) for row in rows]
    assert [m.id for m in messages] == ["323", "324", "325", "326", "327"]
    # "type": "event" rows are system notices whoever sent them.
    assert [m.author.kind for m in messages] == [
        ParticipantKind.SYSTEM,
        ParticipantKind.VISITOR,
        ParticipantKind.SYSTEM,
        ParticipantKind.SYSTEM,
        ParticipantKind.SYSTEM,
    ]
    assert messages[1].created_at == dt.datetime(2021, 3, 3, 10, 19, 49, tzinfo=UTC)
    for message in messages:
        _aware_utc(message.created_at)


def test_v2_user_samples(fixture_json: Callable[[str], Any]) -> None:
    payload = fixture_json(USER)["data"]
    agent = v2_agent(payload)
    assert (agent.id, agent.name, agent.email) == ("19", "hello user1", "hello@acquire.io")
    assert agent.status is AgentStatus.UNKNOWN  # "active" is the account state
    assert agent.role is AgentRole.UNKNOWN
    assert agent.raw == payload
    listed = fixture_json(USERS)["data"]["data"]
    assert [v2_agent(row).id for row in listed] == ["19"]


def test_v2_contact_sample(fixture_json: Callable[[str], Any]) -> None:
    row = fixture_json(CONTACTS)["data"]["list"][0]
    visitor = v2_visitor(row)
    assert (visitor.id, visitor.name, visitor.email, visitor.phone) == (
        "5",
        "Jhon",
        "jhone@test.com",
        "62626226",
    )
    assert visitor.raw == row


def test_v2_unknown_closing_state_is_not_missed() -> None:
    assert v2_chat({"id": 1, "closingState": "teleported"}).missed is False
    assert v2_chat({"id": 1, "closingState": "missed"}).missed is True


# -- through the clients: the configured zone ----------------------------------------------------


async def test_client_timezone_applies_to_v1_times(
    fake: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("POST", "/api/profile/lead/message", fake.ok(fixture_json(MESSAGES)))
    async with chatapi.Acquire(
        token="t", base_url=fake.url + "/api", timezone="America/Los_Angeles"
    ) as client:
        chat = await client.get_chat("1")
    # 13:45:50 Pacific Daylight Time = 20:45:50 UTC.
    assert chat.messages[0].created_at == dt.datetime(2018, 7, 23, 20, 45, 50, tzinfo=UTC)
    assert chat.started_at == chat.messages[0].created_at
    assert chat.raw == {"thread_id": "1", "messages": fixture_json(MESSAGES)["data"]["messages"]}


async def test_v2_get_agent_and_visitor_map_samples(
    fake: Any, v2: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route("GET", "/api/v1/account/user/19", fake.ok(fixture_json(USER)))
    contact = fixture_json(CONTACTS)["data"]["list"][0]
    fake.route("GET", "/api/v1/crm/objects/contact/5", fake.ok({"data": contact}))
    agent = await v2.get_agent("19")
    visitor = await v2.get_visitor("5")
    assert agent.raw == fixture_json(USER)["data"]
    assert visitor.raw == contact


async def test_non_object_answer_is_a_format_error(fake: Any, v2: Any) -> None:
    fake.route("GET", "/api/v1/account/user/1", fake.ok({"data": ["not", "an", "object"]}))
    with pytest.raises(ResponseFormatError, match="not an object"):
        await v2.get_agent("1")


def test_v1_chat_raw_keeps_the_fetched_messages(fixture_json: Callable[[str], Any]) -> None:
    thread = fixture_json(THREAD)["data"]["messages"][0]
    messages = fixture_json(MESSAGES)["data"]["messages"]
    chat = v1_chat(thread, UTC, messages)
    assert chat.raw["messages"] == messages
    assert {k: v for k, v in chat.raw.items() if k != "messages"} == thread
    assert "messages" not in thread  # the vendor row is not modified


def test_null_ids_count_as_missing() -> None:
    with pytest.raises(ResponseFormatError) as info:
        map_records(v2_agent, [{"id": None}], vendor="acquire", kind="user")
    assert info.value.field == "id"
    with pytest.raises(ResponseFormatError) as info2:
        map_records(
            lambda p: v1_chat(p, UTC), [{"thread_id": "null"}], vendor="acquire", kind="thread"
        )
    assert info2.value.field == "thread_id"


def test_v1_closed_thread_has_an_end() -> None:
    closed = v1_chat(
        {
            "thread_id": 1,
            "thread_status": "closed",
            "chat_created": "2019-01-17 10:06:24",
            "chat_updated": "2019-01-17 10:30:00",
        },
        UTC,
    )
    assert closed.ended_at == dt.datetime(2019, 1, 17, 10, 30, tzinfo=UTC)
    assert v1_chat({"thread_id": 1, "thread_status": None}, UTC).ended_at is None


def test_models_round_trip_through_to_dict(fixture_json: Callable[[str], Any]) -> None:
    chat = v1_chat(
        fixture_json(THREAD)["data"]["messages"][0], UTC, fixture_json(MESSAGES)["data"]["messages"]
    )
    case = v2_chat(fixture_json(CASES)["data"]["data"][0])
    for record in (chat, case):
        assert chatapi.from_dict(chatapi.Chat, chatapi.to_dict(record)) == record
