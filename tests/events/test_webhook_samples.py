"""Every ``*webhook*`` sample parses into the right kind, its chat equal to the listing
converter's; and a sandbox chat delivered by webhook equals the same chat listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatapi.events import EventKind, parse_webhook
from chatapi.vendors.acquire._convert_v2 import v2_chat
from chatapi.vendors.livechat._convert import chat_from_payload

from ._webhook_payloads import (
    acquire_case,
    acquire_same_facts,
    acquire_v2_webhook,
    answered_chats,
    livechat_app,
    livechat_same_facts,
    livechat_webhook,
    parse,
    supervised_chats,
    webhook_samples,
)

# name -> (vendor, kind, whether the payload carries a chat)
EXPECTED = {
    "acquire_v1-webhook-chat-on-start_acquireio-developer.acquire.io.json": (
        "acquire",
        EventKind.CHAT_STARTED,
        True,
    ),
    "acquire_v2-webhook-case-status_acquireio-developer.acquire.io.json": (
        "acquire",
        EventKind.CASE_STATUS_CHANGED,
        True,
    ),
    "livechat_v2-webhook-chat-datatype_livechat-livechat-public-docs.json": (
        "livechat",
        EventKind.UNKNOWN,
        True,
    ),
    "livechat_v2-webhook-chat-started-visitor_livechat-livechat-public-docs.json": (
        "livechat",
        EventKind.CHAT_STARTED,
        False,
    ),
}


def test_every_webhook_sample_is_listed() -> None:
    assert {path.name for path in webhook_samples()} == set(EXPECTED)


@pytest.mark.parametrize("path", webhook_samples(), ids=lambda p: p.name)
def test_sample_parses_into_its_kind(path: Path) -> None:
    vendor, kind, has_chat = EXPECTED[path.name]
    raw = path.read_bytes()
    event = parse_webhook(vendor, raw)
    assert event.kind is kind
    assert event.raw == json.loads(raw)
    assert (event.chat is not None) is has_chat


def test_livechat_chat_datatype_sample_is_unknown_with_its_chat_mapped() -> None:
    path = webhook_samples()[2]
    payload = json.loads(path.read_bytes())
    event = parse_webhook("livechat", path.read_bytes())
    assert event.kind is EventKind.UNKNOWN
    assert event.name == ""
    assert event.chat == chat_from_payload(payload["chat"])
    assert event.chat is not None and len(event.chat.messages) == 3
    assert event.chat.tags == ("sales", "support", "feedback")


def test_livechat_chat_started_sample_has_its_visitor() -> None:
    event = parse_webhook("livechat", webhook_samples()[3].read_bytes())
    assert event.visitor is not None
    assert (event.visitor.id, event.visitor.name, event.visitor.email) == (
        "S1354547427.0c151b0e1b",
        "John",
        "john.smith@gmail.com",
    )


def test_acquire_v2_sample_chat_equals_the_case_converter() -> None:
    path = webhook_samples()[1]
    data = json.loads(path.read_bytes())["data"]
    event = parse_webhook("acquire", path.read_bytes())
    assert event.chat == v2_chat({**data, "id": data["caseId"]})
    assert event.chat is not None and event.chat.id == "72"
    assert [m.id for m in event.chat.messages] == ["323", "324", "325", "326", "327"]


@pytest.mark.parametrize("index", answered_chats()[:6] + supervised_chats()[:2])
@pytest.mark.parametrize("event_type", ["chat_started", "chat_ended", "chat_changed"])
def test_livechat_webhook_chat_equals_the_listed_chat(index: int, event_type: str) -> None:
    archive = livechat_app().chat_payload(index)
    event = parse("livechat", livechat_webhook(archive, event_type))
    listed = chat_from_payload(livechat_same_facts(archive, event_type))
    assert event.chat == listed
    assert event.chat is not None and event.chat.messages == listed.messages
    assert event.chat.messages and event.chat.agents and event.chat.visitor.id


def test_livechat_supervised_chat_lists_the_supervisor_apart() -> None:
    index = supervised_chats()[0]
    archive = livechat_app().chat_payload(index)
    event = parse("livechat", livechat_webhook(archive))
    assert event.chat is not None
    assert [p.kind.value for p in event.chat.agents] == ["agent", "supervisor"]


@pytest.mark.parametrize("index", answered_chats()[:5])
def test_acquire_v2_webhook_chat_equals_the_listed_case(index: int) -> None:
    case = acquire_case(index)
    event = parse("acquire", acquire_v2_webhook(case))
    listed = v2_chat(acquire_same_facts(case))
    assert event.chat == listed
    assert event.chat is not None and event.chat.messages == listed.messages
    assert event.chat.messages and all(m.created_at for m in event.chat.messages)
    assert event.visitor == listed.visitor
