"""LiveChat v2 webhooks: each event type's kind, parts, times, dedupe key and token check
(https://developers.livechat.com/docs/, "Webhooks v2 reference (deprecated)")."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from chatapi.events import EventKind, MemoryDedupeCache, WebhookVerificationError, parse_webhook
from chatapi.livechat import CannedResponse, Ticket
from chatapi.vendors.livechat._convert_config import canned_response_from_payload
from chatapi.vendors.livechat._convert_tickets import ticket_from_payload

from ._webhook_payloads import (
    TOKEN,
    UNIQUE_ID,
    answered_chats,
    body,
    livechat_app,
    livechat_webhook,
    parse,
)

CONFIG = Path(__file__).resolve().parents[1] / "fixtures" / "livechat" / "config"
TICKET = json.loads((CONFIG / "ticket_iso_dates.json").read_text())
CANNED = json.loads((CONFIG / "canned_response.json").read_text())
UTC = dt.timezone.utc


def _base(event_type: Any, **parts: Any) -> dict[str, Any]:
    return {"event_type": event_type, "token": TOKEN, "license_id": "1025707", **parts}


def _archive() -> dict[str, Any]:
    return livechat_app().chat_payload(answered_chats()[0])


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("chat_started", EventKind.CHAT_STARTED),
        ("chat_ended", EventKind.CHAT_ENDED),
        ("chat_changed", EventKind.CHAT_CHANGED),
        ("visitor_queued", EventKind.VISITOR_QUEUED),
        ("ticket_created", EventKind.TICKET_CREATED),
        ("canned_response_changed", EventKind.CANNED_RESPONSE_CHANGED),
        ("chat_transferred", EventKind.UNKNOWN),
        ("CHAT_STARTED", EventKind.UNKNOWN),
    ],
)
def test_event_type_maps_to_its_kind(name: str, kind: EventKind) -> None:
    event = parse("livechat", _base(name))
    assert event.kind is kind
    assert event.name == name
    assert event.vendor == "livechat"
    assert (event.chat, event.visitor, event.ticket, event.canned_response) == (None,) * 4


@pytest.mark.parametrize("payload", [{"token": TOKEN}, _base(None), _base(12), _base(["x"])])
def test_missing_or_odd_event_type_is_unknown_with_an_empty_name(payload: dict[str, Any]) -> None:
    event = parse("livechat", payload)
    assert (event.kind, event.name) == (EventKind.UNKNOWN, "")
    assert event.raw == payload


def test_chat_started_occurred_at_is_the_chat_start() -> None:
    archive = _archive()
    event = parse("livechat", livechat_webhook(archive, "chat_started"))
    start = dt.datetime.fromtimestamp(archive["started_timestamp"], UTC)
    assert event.occurred_at == start == (event.chat and event.chat.started_at)
    assert event.chat is not None and event.chat.ended_at is None


def test_chat_ended_occurred_at_is_the_chat_end() -> None:
    archive = _archive()
    event = parse("livechat", livechat_webhook(archive, "chat_ended"))
    assert event.occurred_at == dt.datetime.fromtimestamp(archive["ended_timestamp"], UTC)
    assert event.occurred_at is not None and event.occurred_at.tzinfo is not None


def test_chat_changed_says_no_time() -> None:
    event = parse("livechat", livechat_webhook(_archive(), "chat_changed"))
    assert event.kind is EventKind.CHAT_CHANGED
    assert event.occurred_at is None
    assert event.chat is not None


def test_visitor_part_maps_to_a_visitor() -> None:
    visitor = {
        "id": "S1354547427.0c151b0e1b",
        "name": "John",
        "email": "john@example.com",
        "custom_variables": [{"key": "age", "value": 34}],
        "page_current": "https://shop.example.com/",
    }
    event = parse("livechat", _base("visitor_queued", visitor=visitor))
    assert event.kind is EventKind.VISITOR_QUEUED
    assert event.visitor is not None
    assert (event.visitor.id, event.visitor.name, event.visitor.email) == (
        "S1354547427.0c151b0e1b",
        "John",
        "john@example.com",
    )
    assert event.visitor.raw == visitor


def test_webhook_visitor_becomes_the_chat_visitor() -> None:
    archive = _archive()
    payload = livechat_webhook(archive)
    payload["visitor"]["email"] = "someone@example.com"
    event = parse("livechat", payload)
    assert event.chat is not None and event.visitor is not None
    assert event.chat.visitor == event.visitor
    assert event.chat.visitor.email == "someone@example.com"


def test_ticket_created_maps_the_ticket_and_its_time() -> None:
    event = parse("livechat", _base("ticket_created", ticket=TICKET))
    assert isinstance(event.ticket, Ticket)
    assert event.ticket == ticket_from_payload(TICKET)
    assert event.occurred_at == dt.datetime(2019, 5, 14, 11, 48, 10, tzinfo=UTC)


def test_canned_response_changed_maps_it_and_its_time() -> None:
    event = parse("livechat", _base("canned_response_changed", canned_response=CANNED))
    assert isinstance(event.canned_response, CannedResponse)
    assert event.canned_response == canned_response_from_payload(CANNED)
    assert event.occurred_at == dt.datetime.fromtimestamp(1358866813, UTC)


@pytest.mark.parametrize("part", ["chat", "visitor", "ticket", "canned_response"])
@pytest.mark.parametrize("value", [[], "text", 12, None, True])
def test_a_part_of_another_type_is_none(part: str, value: Any) -> None:
    event = parse("livechat", _base("chat_ended", **{part: value}))
    assert getattr(event, part) is None


def test_an_unreadable_chat_is_none_not_an_error() -> None:
    archive = _archive()
    for broken in ({"id": None}, {"messages": "oops"}, {"messages": [1, 2]}, {"agents": [3]}):
        payload = livechat_webhook(archive)
        payload["chat"].update(broken)
        event = parse("livechat", payload)
        assert event.chat is None
        assert event.visitor is not None


def test_an_unreadable_ticket_is_none() -> None:
    event = parse("livechat", _base("ticket_created", ticket={"subject": "no id"}))
    assert event.ticket is None and event.kind is EventKind.TICKET_CREATED


def test_dedupe_key_is_the_event_unique_id() -> None:
    event = parse("livechat", livechat_webhook(_archive()))
    assert event.dedupe_key == UNIQUE_ID


@pytest.mark.parametrize("unique_id", [None, "", 12345])
def test_dedupe_key_is_the_body_hash_without_a_usable_event_id(unique_id: Any) -> None:
    payload = _base("chat_started", event_unique_id=unique_id)
    raw = body(payload)
    event = parse_webhook("livechat", raw)
    assert event.dedupe_key == hashlib.sha256(raw).hexdigest()


def test_redelivery_is_a_duplicate_even_with_another_body() -> None:
    cache = MemoryDedupeCache()
    payload = livechat_webhook(_archive())
    first = parse("livechat", payload, dedupe=cache)
    again = parse_webhook("livechat", json.dumps(payload, indent=2).encode(), dedupe=cache)
    assert (first.duplicate, again.duplicate) == (False, True)


def test_token_matching_one_of_the_configured_passes() -> None:
    event = parse("livechat", _base("chat_started"), secret=["old-token", TOKEN])
    assert event.verified == ("token",)


def test_token_mismatch_fails() -> None:
    with pytest.raises(WebhookVerificationError, match="token"):
        parse("livechat", _base("chat_started"), secret="another-token")


def test_no_token_configured_verifies_nothing() -> None:
    assert parse("livechat", _base("chat_started")).verified == ()


def test_basic_credentials_and_token_are_both_reported() -> None:
    header = "Basic " + base64.b64encode(b"hook:pw").decode()
    event = parse(
        "livechat",
        _base("chat_started"),
        headers={"Authorization": header},
        secret=TOKEN,
        basic_auth=[("hook", "pw")],
    )
    assert event.verified == ("basic_auth", "token")


_PARTS_BY_EVENT = {
    "chat_started": ("chat", "visitor", "pre_chat_survey"),
    "chat_ended": ("chat", "visitor", "pre_chat_survey"),
    "chat_changed": ("chat", "visitor"),
    "visitor_queued": ("visitor",),
    "ticket_created": ("ticket",),
    "canned_response_changed": ("canned_response",),
}


def _every_combination() -> list[tuple[str, tuple[str, ...]]]:
    from itertools import combinations

    return [
        (name, chosen)
        for name, parts in _PARTS_BY_EVENT.items()
        for size in range(len(parts) + 1)
        for chosen in combinations(parts, size)
    ]


@pytest.mark.parametrize(("name", "data_types"), _every_combination())
def test_every_event_with_any_combination_of_data_types(
    name: str, data_types: tuple[str, ...]
) -> None:
    fixtures = Path(__file__).parents[1] / "fixtures"
    samples = fixtures / "samples"
    chat = json.loads(
        (
            samples / "livechat_v2-webhook-chat-datatype_livechat-livechat-public-docs.json"
        ).read_text()
    )["chat"]
    visitor = json.loads(
        (
            samples / "livechat_v2-webhook-chat-started-visitor_livechat-livechat-public-docs.json"
        ).read_text()
    )["visitor"]
    config = fixtures / "livechat" / "config"
    parts: dict[str, Any] = {
        "chat": chat,
        "visitor": visitor,
        "pre_chat_survey": [{"id": "1", "type": "name", "label": "Name:", "answer": "John"}],
        "ticket": json.loads((config / "ticket_single.json").read_text())["tickets"][0],
        "canned_response": json.loads((config / "canned_response.json").read_text()),
    }
    payload = {
        "event_type": name,
        "token": "t0k",
        "license_id": "1",
        **{k: parts[k] for k in data_types},
    }
    event = parse_webhook("livechat", json.dumps(payload).encode(), secret="t0k")
    assert event.kind is EventKind(name) and event.name == name
    assert (event.chat is not None) == ("chat" in data_types)
    assert (event.visitor is not None) == ("visitor" in data_types)
    assert (event.ticket is not None) == ("ticket" in data_types)
    assert (event.canned_response is not None) == ("canned_response" in data_types)
    assert event.verified == ("token",) and event.raw == payload
