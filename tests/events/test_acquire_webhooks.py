"""Acquire webhooks: v1 events (unsigned, string-typed values, the " id" key) and v2 events
(signed, JavaScript dates); https://developer.acquire.io/webhook-api/ and
``tests/fixtures/samples/acquire_*webhook*``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest

from chatapi.events import EventKind, WebhookVerificationError, parse_webhook
from chatapi.models import ParticipantKind
from chatapi.vendors.acquire._convert_v1 import v1_chat

from ._webhook_payloads import body, parse, sample, sign

UTC = dt.timezone.utc
START = sample("acquire_v1-webhook-chat-on-start_acquireio-developer.acquire.io.json")
V2 = sample("acquire_v2-webhook-case-status_acquireio-developer.acquire.io.json")

# The documented v1 examples (https://developer.acquire.io/webhook-api/webhook-events/), made
# valid JSON: the objects the docs show inside quotes are JSON text.
ACCEPT = {
    "id": "32654",
    "status": "active",
    "chat_wait_time": "null",
    "user": {
        "id": "agent-12345",
        "status": "active",
        "type": "agent",
        "virtual": False,
        "owner": True,
        "photo": None,
        "state": "online",
        "id_real": 15416,
        "name": "John Deo",
    },
    "event": "CHAT_ON_ACCEPT",
}
MESSAGE = {
    "id": "104111",
    "thread_id": "-1",
    "account_id": "10111",
    "session_id": "61111",
    "visitor_id": "61111",
    "message": json.dumps(
        {
            "type": "message",
            "msg": "sadsdd",
            "user": {"id": 15111, "name": "John", "type": "agent", "photo": None},
        }
    ),
    "recording": "[]",
    "chat_wait_time": "null",
    "chat_duration": "null",
    "translate_form_show": "false",
    "date_created": "2018-07-23 05:17:40",
    "date_updated": "2018-07-23 05:17:41",
    "date_picked": "2018-07-23 05:17:42",
    "event": "CHAT_ON_MESSAGE",
}
CLOSE = {
    "id": "104111",
    "thread_id": "-1",
    "visitor_id": "61111",
    "type": "text",
    "comments": "[]",
    "chat_notes": "{}",
    "chat_wait_time": "2",
    "chat_duration": "25",
    "status": "active",
    "translate_form_show": "false",
    "date_created": "2018-07-23 05:17:40",
    "date_updated": "2018-07-23 05:18:05",
    "department_id": "",
    "users": json.dumps(
        {
            "agent": {"name": "John Deo", "email": "johndeo@acquire.io", "role": "Administrator"},
            "visitor": {"name": "David Klok", "email": "", "phone": "", "fields": {}},
        }
    ),
    "by": "agent-15111",
    "event": "CHAT_ON_CLOSE",
}


# -- v1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (json.loads(START), EventKind.CHAT_STARTED),
        (ACCEPT, EventKind.CHAT_ACCEPTED),
        (MESSAGE, EventKind.MESSAGE_RECEIVED),
        (CLOSE, EventKind.CHAT_ENDED),
        ({**CLOSE, "event": "CHAT_ON_TRANSFER"}, EventKind.UNKNOWN),
        ({"event": "AGENT_ON_LOGIN", "id": "3"}, EventKind.UNKNOWN),
    ],
)
def test_v1_event_maps_to_its_kind(payload: dict[str, Any], kind: EventKind) -> None:
    event = parse("acquire", payload)
    assert event.kind is kind
    assert event.name == payload["event"]
    assert event.verified == ()


def test_v1_start_reads_the_leading_space_id_and_details() -> None:
    event = parse_webhook("acquire", START)
    assert event.chat is not None and event.chat.id == "172"
    assert event.chat.started_at == dt.datetime(2017, 9, 20, 10, 17, 8, tzinfo=UTC)
    assert event.chat.ended_at is None
    assert event.visitor is not None
    assert (event.visitor.name, event.visitor.email, event.visitor.phone) == (
        "John",
        "John@acquire.io",
        None,
    )
    assert event.chat.visitor == event.visitor
    assert event.occurred_at == dt.datetime(2017, 9, 20, 10, 17, 8, tzinfo=UTC)


def test_v1_plain_id_wins_over_the_leading_space_one() -> None:
    payload = json.loads(START)
    payload["data"]["id"] = 173
    assert parse("acquire", payload).chat.id == "173"  # type: ignore[union-attr]


def test_v1_accept_names_the_agent() -> None:
    event = parse("acquire", ACCEPT)
    assert event.chat is not None and event.chat.id == "32654"
    (agent,) = event.chat.agents
    assert (agent.kind, agent.id, agent.name) == (ParticipantKind.AGENT, "15416", "John Deo")
    assert event.occurred_at is None  # the documented example carries no time


def test_v1_message_decodes_the_nested_json_and_its_author() -> None:
    event = parse("acquire", MESSAGE)
    assert event.chat is not None
    assert event.chat.id == "104111"  # thread_id "-1": no thread yet, the chat's own id
    assert [(a.id, a.name) for a in event.chat.agents] == [("15111", "John")]
    assert event.chat.visitor.id == "61111"
    assert event.occurred_at == dt.datetime(2018, 7, 23, 5, 17, 41, tzinfo=UTC)


def test_v1_close_reads_string_typed_values() -> None:
    event = parse("acquire", CLOSE)
    assert event.chat is not None
    assert event.chat.ended_at == dt.datetime(2018, 7, 23, 5, 18, 5, tzinfo=UTC)
    assert event.chat.started_at == dt.datetime(2018, 7, 23, 5, 17, 40, tzinfo=UTC)
    assert [(a.id, a.name) for a in event.chat.agents] == [("15111", "John Deo")]
    assert event.visitor is not None
    assert (event.visitor.id, event.visitor.name, event.visitor.email) == (
        "61111",
        "David Klok",
        None,
    )
    assert event.occurred_at == event.chat.ended_at


def test_v1_chat_is_the_thread_converters() -> None:
    payload = {**CLOSE, "thread_id": "2139", "users": "not json {", "missed_chat": "true"}
    event = parse("acquire", payload)
    assert event.chat is not None and event.chat.id == "2139"
    assert event.chat.missed is True  # "true" as a string
    row = {
        "thread_id": "2139",
        "chat_created": CLOSE["date_created"],
        "chat_updated": CLOSE["date_updated"],
        "thread_status": "closed",
        "user_id": "15111",
        "visitor_id": "61111",
        "missed_chat": "true",
    }
    assert event.chat == v1_chat(row, UTC)


def test_v1_values_as_strings_or_not_read_the_same() -> None:
    typed = {**ACCEPT, "id": 32654, "chat_wait_time": None}
    assert parse("acquire", typed).chat == parse("acquire", ACCEPT).chat


@pytest.mark.parametrize("value", ["{broken", "[1, 2", "12", "true", "", "null"])
def test_v1_odd_strings_never_raise(value: str) -> None:
    for key in ("users", "message", "user", "details", "date_created", "id", "thread_id"):
        event = parse("acquire", {**CLOSE, key: value})
        assert event.kind is EventKind.CHAT_ENDED


def test_v1_unparseable_time_is_none() -> None:
    event = parse("acquire", {**CLOSE, "date_updated": "someday", "date_created": "never"})
    assert event.occurred_at is None
    assert event.kind is EventKind.CHAT_ENDED


def test_v1_dedupe_key_is_the_body_hash() -> None:
    assert parse_webhook("acquire", START).dedupe_key == hashlib.sha256(START).hexdigest()


def test_v1_with_a_secret_is_refused_as_unverifiable() -> None:
    with pytest.raises(WebhookVerificationError, match="basic_auth"):
        parse_webhook("acquire", START, secret="k")


# -- v2 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("case:status", EventKind.CASE_STATUS_CHANGED),
        ("case:new", EventKind.CHAT_STARTED),
        ("user:status", EventKind.AGENT_STATUS_CHANGED),
        ("agent:availability", EventKind.AGENT_STATUS_CHANGED),
        ("user:case-invite", EventKind.UNKNOWN),
        ("case:deleted", EventKind.UNKNOWN),
        ("", EventKind.UNKNOWN),
    ],
)
def test_v2_event_maps_to_its_kind(name: str, kind: EventKind) -> None:
    payload = {**json.loads(V2), "event": name}
    event = parse("acquire", payload)
    assert event.kind is kind
    assert event.name == name
    if kind is EventKind.AGENT_STATUS_CHANGED:
        assert event.chat is None


def test_v2_case_status_maps_the_case() -> None:
    event = parse_webhook("acquire", V2)
    assert event.kind is EventKind.CASE_STATUS_CHANGED
    assert event.chat is not None and event.chat.id == "72"
    assert event.visitor is not None
    assert (event.visitor.id, event.visitor.name, event.visitor.email) == (
        "5",
        "Jhon",
        "jhone@test.com",
    )
    kinds = [m.author.kind for m in event.chat.messages]
    assert kinds == [ParticipantKind.SYSTEM, ParticipantKind.VISITOR] + [ParticipantKind.SYSTEM] * 3
    assert event.occurred_at is None  # the status change carries no time of its own
    assert event.dedupe_key == hashlib.sha256(V2).hexdigest()


def test_v2_js_dates_are_utc() -> None:
    event = parse_webhook("acquire", V2)
    assert event.chat is not None
    assert event.chat.messages[0].created_at == dt.datetime(2021, 3, 3, 10, 19, 49, tzinfo=UTC)
    payload = json.loads(V2)
    payload["data"]["messages"][0]["dateCreated"] = (
        "Wed Mar 03 2021 15:49:49 GMT+0530 (India Standard Time)"
    )
    shifted = parse("acquire", payload).chat
    assert shifted is not None
    assert shifted.messages[0].created_at == dt.datetime(2021, 3, 3, 10, 19, 49, tzinfo=UTC)


def test_v2_case_new_occurred_at_is_the_case_start() -> None:
    payload = json.loads(V2)
    payload["event"] = "case:new"
    payload["data"]["dateCreated"] = (
        "Wed Mar 03 2021 10:19:49 GMT+0000 (Coordinated Universal Time)"
    )
    event = parse("acquire", payload)
    assert event.occurred_at == dt.datetime(2021, 3, 3, 10, 19, 49, tzinfo=UTC)


@pytest.mark.parametrize("data", [None, [], "text", 3, {"status": "closed"}])
def test_v2_without_a_case_has_no_chat(data: Any) -> None:
    event = parse("acquire", {"event": "case:status", "data": data})
    assert event.chat is None and event.kind is EventKind.CASE_STATUS_CHANGED


def test_v2_unreadable_messages_leave_no_chat_but_no_error() -> None:
    payload = json.loads(V2)
    payload["data"]["messages"] = [{"message": "no id"}]
    event = parse("acquire", payload)
    assert event.chat is None
    assert event.visitor is not None


def test_v2_signature_over_the_raw_body_verifies() -> None:
    event = parse_webhook("acquire", V2, sign(V2, "key"), secret="key")
    assert event.verified == ("signature",)


def test_v2_signature_over_json_stringify_verifies() -> None:
    # The vendor signs JSON.stringify(body): the compact form, not the bytes it sent.
    compact = body(json.loads(V2))
    event = parse_webhook("acquire", V2, sign(compact, "key"), secret=["old", "key"])
    assert event.verified == ("signature",)


@pytest.mark.parametrize(
    "headers", [{}, {"x-acquire-signature": ""}, {"x-acquire-signature": "00"}]
)
def test_v2_missing_or_wrong_signature_fails(headers: dict[str, str]) -> None:
    with pytest.raises(WebhookVerificationError, match="x-acquire-signature"):
        parse_webhook("acquire", V2, headers, secret="key")


def test_v2_without_a_secret_verifies_nothing() -> None:
    assert parse_webhook("acquire", V2, sign(V2, "key")).verified == ()
