"""Properties of the webhook parsers (hypothesis): added keys, unknown names, removed or
mistyped parts never raise; any changed byte of a signed Acquire v2 body fails verification;
a signature under any configured key passes; the LiveChat token is checked."""

from __future__ import annotations

import copy
import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chatapi.events import Event, EventKind, WebhookError, WebhookVerificationError, parse_webhook

from ._webhook_payloads import (
    TOKEN,
    acquire_case,
    acquire_v2_webhook,
    answered_chats,
    body,
    livechat_app,
    livechat_webhook,
    parse,
    sample,
    sign,
)

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ACQUIRE_V1_START = json.loads(
    sample("acquire_v1-webhook-chat-on-start_acquireio-developer.acquire.io.json")
)
ACQUIRE_V2_SAMPLE = sample("acquire_v2-webhook-case-status_acquireio-developer.acquire.io.json")

# The documented v1 examples (https://developer.acquire.io/webhook-api/webhook-events), made
# valid JSON: the nested objects shown inside quotes are JSON text.
ACQUIRE_V1_CLOSE = {
    "id": "104111",
    "thread_id": "-1",
    "visitor_id": "61111",
    "chat_wait_time": "2",
    "chat_duration": "25",
    "translate_form_show": "false",
    "date_created": "2018-07-23 05:17:40",
    "date_updated": "2018-07-23 05:17:40",
    "users": json.dumps(
        {"agent": {"name": "John Deo"}, "visitor": {"name": "David Klok", "email": ""}}
    ),
    "by": "agent-15111",
    "event": "CHAT_ON_CLOSE",
}


def _payloads() -> list[tuple[str, Any]]:
    archive = livechat_app().chat_payload(answered_chats()[0])
    return [
        ("livechat", livechat_webhook(archive)),
        (
            "livechat",
            json.loads(
                sample("livechat_v2-webhook-chat-datatype_livechat-livechat-public-docs.json")
            ),
        ),
        (
            "livechat",
            json.loads(
                sample(
                    "livechat_v2-webhook-chat-started-visitor_livechat-livechat-public-docs.json"
                )
            ),
        ),
        ("acquire", ACQUIRE_V1_START),
        ("acquire", ACQUIRE_V1_CLOSE),
        ("acquire", json.loads(ACQUIRE_V2_SAMPLE)),
        ("acquire", acquire_v2_webhook(acquire_case(answered_chats()[0]))),
    ]


PAYLOADS = _payloads()
NAME_KEY = {"livechat": "event_type", "acquire": "event"}
KNOWN_NAMES = {
    "chat_started",
    "chat_ended",
    "chat_changed",
    "visitor_queued",
    "ticket_created",
    "canned_response_changed",
    "CHAT_ON_START",
    "CHAT_ON_ACCEPT",
    "CHAT_ON_MESSAGE",
    "CHAT_ON_CLOSE",
    "case:status",
    "case:new",
    "case:create",
    "case:created",
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every object and array in ``value``."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        found.append(path)
        for key, item in value.items():
            found += _containers(item, (*path, key))
    elif isinstance(value, list):
        found.append(path)
        for i, item in enumerate(value):
            found += _containers(item, (*path, i))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _same(a: Event, b: Event) -> bool:
    # Equal but for the body hash (raw is not compared).
    return attrs.evolve(a, dedupe_key="") == attrs.evolve(b, dedupe_key="")


@st.composite
def payload_and_dict(draw: st.DrawFn) -> tuple[str, Any, tuple[Any, ...]]:
    vendor, payload = draw(st.sampled_from(PAYLOADS))
    dicts = [p for p in _containers(payload) if isinstance(_at(payload, p), dict)]
    return vendor, copy.deepcopy(payload), draw(st.sampled_from(dicts))


@SETTINGS
@given(payload_and_dict(), st.text(min_size=1), json_values)
def test_any_added_key_never_raises(
    target: tuple[str, Any, tuple[Any, ...]], key: str, value: Any
) -> None:
    vendor, payload, path = target
    holder = _at(payload, path)
    assume(key not in holder and key.strip() not in holder)
    holder[key] = value
    event = parse(vendor, payload)
    assert event.raw == payload


@SETTINGS
@given(payload_and_dict(), st.text(max_size=12), json_values)
def test_an_added_unknown_key_changes_nothing(
    target: tuple[str, Any, tuple[Any, ...]], suffix: str, value: Any
) -> None:
    vendor, payload, path = target
    before = parse(vendor, payload)
    _at(payload, path)[f"x_added_{suffix}"] = value
    assert _same(parse(vendor, payload), before)


@SETTINGS
@given(st.sampled_from(PAYLOADS), st.text())
def test_any_unknown_event_name_is_unknown_with_the_payload_kept(
    target: tuple[str, Any], name: str
) -> None:
    vendor, payload = target
    assume(name not in KNOWN_NAMES)
    changed = {**payload, NAME_KEY[vendor]: name}
    event = parse(vendor, changed)
    assert event.kind in (EventKind.UNKNOWN, EventKind.AGENT_STATUS_CHANGED)
    assert event.name == name
    assert event.raw == changed


@SETTINGS
@given(st.sampled_from(PAYLOADS), json_values)
def test_an_event_name_of_any_type_never_raises(target: tuple[str, Any], name: Any) -> None:
    vendor, payload = target
    event = parse(vendor, {**payload, NAME_KEY[vendor]: name})
    assert isinstance(event.name, str)


@st.composite
def payload_and_key(draw: st.DrawFn) -> tuple[str, Any, tuple[Any, ...]]:
    vendor, payload = draw(st.sampled_from(PAYLOADS))
    keys = [
        (*p, k)
        for p in _containers(payload)
        if isinstance(_at(payload, p), dict)
        for k in _at(payload, p)
    ]
    return vendor, copy.deepcopy(payload), draw(st.sampled_from(keys))


@SETTINGS
@given(payload_and_key())
def test_any_removed_part_never_raises(target: tuple[str, Any, tuple[Any, ...]]) -> None:
    vendor, payload, path = target
    del _at(payload, path[:-1])[path[-1]]
    parse(vendor, payload)


@SETTINGS
@given(payload_and_key(), json_values)
def test_any_part_of_another_type_never_raises(
    target: tuple[str, Any, tuple[Any, ...]], value: Any
) -> None:
    vendor, payload, path = target
    _at(payload, path[:-1])[path[-1]] = value
    event = parse(vendor, payload)
    if path in (("chat",), ("visitor",), ("ticket",), ("canned_response",)) and not isinstance(
        value, dict
    ):
        assert getattr(event, path[0]) is None


# -- Acquire v2 signatures --------------------------------------------------------------------

KEY = "whsec-acquire-test-key"
SIGNED_BODIES = [
    ACQUIRE_V2_SAMPLE,  # as the vendor's docs print it, signed over these bytes
    body(json.loads(ACQUIRE_V2_SAMPLE)),  # JSON.stringify form, as the vendor signs it
    body(acquire_v2_webhook(acquire_case(answered_chats()[1]))),
]


@pytest.mark.parametrize("raw", SIGNED_BODIES, ids=["pretty", "compact", "sandbox"])
def test_the_signed_body_verifies(raw: bytes) -> None:
    event = parse_webhook("acquire", raw, sign(raw, KEY), secret=KEY)
    assert event.verified == ("signature",)
    assert event.kind is EventKind.CASE_STATUS_CHANGED


@SETTINGS
@given(st.sampled_from(SIGNED_BODIES), st.data())
def test_any_changed_byte_fails_verification(raw: bytes, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(raw) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != raw[position]))
    changed = raw[:position] + bytes([byte]) + raw[position + 1 :]
    with pytest.raises(WebhookError):  # WebhookVerificationError, or the JSON broke
        parse_webhook("acquire", changed, sign(raw, KEY), secret=KEY)
    try:
        json.loads(changed)
    except ValueError:
        return
    with pytest.raises(WebhookVerificationError):
        parse_webhook("acquire", changed, sign(raw, KEY), secret=KEY)


secrets = st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=5, unique=True)


@SETTINGS
@given(secrets, st.data())
def test_a_signature_under_any_listed_key_passes(keys: list[str], data: st.DataObject) -> None:
    raw = SIGNED_BODIES[data.draw(st.integers(0, len(SIGNED_BODIES) - 1))]
    key = data.draw(st.sampled_from(keys))
    event = parse_webhook("acquire", raw, sign(raw, key), secret=keys)
    assert event.verified == ("signature",)


@SETTINGS
@given(secrets, st.text(min_size=1, max_size=40))
def test_a_signature_under_another_key_fails(keys: list[str], other: str) -> None:
    assume(other not in keys)
    raw = SIGNED_BODIES[1]
    with pytest.raises(WebhookVerificationError):
        parse_webhook("acquire", raw, sign(raw, other), secret=keys)


@SETTINGS
@given(secrets)
def test_v1_with_any_secret_is_refused_as_unverifiable(keys: list[str]) -> None:
    with pytest.raises(WebhookVerificationError, match="v1"):
        parse("acquire", ACQUIRE_V1_START, secret=keys)


# -- LiveChat tokens --------------------------------------------------------------------------


@SETTINGS
@given(secrets, st.data())
def test_livechat_token_in_the_list_passes(keys: list[str], data: st.DataObject) -> None:
    token = data.draw(st.sampled_from(keys))
    archive = livechat_app().chat_payload(answered_chats()[0])
    event = parse("livechat", livechat_webhook(archive, token=token), secret=keys)
    assert event.verified == ("token",)


@SETTINGS
@given(secrets, st.text(max_size=40) | st.none() | st.integers())
def test_livechat_token_mismatch_fails(keys: list[str], token: Any) -> None:
    assume(token not in keys)
    archive = livechat_app().chat_payload(answered_chats()[0])
    payload = {**livechat_webhook(archive), "token": token}
    with pytest.raises(WebhookVerificationError):
        parse("livechat", payload, secret=keys)


def test_livechat_missing_token_fails_when_one_is_configured() -> None:
    archive = livechat_app().chat_payload(answered_chats()[0])
    payload = livechat_webhook(archive)
    del payload["token"]
    with pytest.raises(WebhookVerificationError):
        parse("livechat", payload, secret=TOKEN)
    assert parse("livechat", payload).verified == ()
