"""Constant-time checks and the dedupe cache (pure)."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

import chatapi
from chatapi.events import (
    MemoryDedupeCache,
    WebhookError,
    body_hash,
    check_basic_auth,
    hmac_sha256_hex,
    matches_any,
    parse_webhook,
    signature_matches,
)


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"authorization": f"Basic {token}"}


def test_matches_any_compares_every_candidate() -> None:
    assert matches_any("b", ["a", "b"])
    assert not matches_any("c", ["a", "b"])
    assert not matches_any(None, ["a"])
    assert not matches_any("a", [])


def test_signatures_over_the_raw_body_or_its_compact_json() -> None:
    body = b'{"event": "case:status",  "data": {"caseId": "72", "name": "Zo\\u00eb"}}'
    compact = '{"event":"case:status","data":{"caseId":"72","name":"Zoë"}}'.encode()
    raw_sig = hmac.new(b"k2", body, hashlib.sha256).hexdigest()
    compact_sig = hmac_sha256_hex("k1", compact)
    assert signature_matches(raw_sig, body, ["k1", "k2"])
    assert signature_matches(compact_sig, body, ["k0", "k1"])  # JSON.stringify form
    assert signature_matches(compact_sig.upper(), body, ["k1"])
    assert not signature_matches(compact_sig, body, ["k1"], reserialize=False)
    assert not signature_matches(raw_sig, body, ["other"])
    assert not signature_matches(None, body, ["k1"])
    assert not signature_matches(raw_sig, body, [])
    assert not signature_matches(raw_sig, body + b" ", ["k2"])


def test_basic_credentials_from_a_list() -> None:
    pairs = [("hook", "old"), ("hook", "new")]
    assert check_basic_auth(basic("hook", "new"), pairs)
    assert check_basic_auth(basic("hook", "old"), pairs)
    assert not check_basic_auth(basic("hook", "guess"), pairs)
    assert not check_basic_auth({}, pairs)
    assert not check_basic_auth({"authorization": "Basic !!!"}, pairs)
    assert not check_basic_auth({"authorization": "Bearer x"}, pairs)


def test_dedupe_cache_forgets_the_oldest() -> None:
    cache = MemoryDedupeCache(maxsize=2)
    assert not cache.seen("a") and not cache.seen("b")
    assert cache.seen("a")  # refreshed
    assert not cache.seen("c")  # evicts b
    assert cache.seen("a") and not cache.seen("b")
    assert len(cache) == 2
    with pytest.raises(ValueError):
        MemoryDedupeCache(0)


def test_body_hash_is_stable() -> None:
    assert body_hash(b"x") == hashlib.sha256(b"x").hexdigest()


def test_a_vendor_without_webhooks_is_unsupported() -> None:
    with pytest.raises(chatapi.UnsupportedOperationError, match="poll"):
        parse_webhook("revechat", b"{}")


def test_the_body_must_be_bytes() -> None:
    with pytest.raises(TypeError, match="raw bytes"):
        parse_webhook("livechat", {"event_type": "chat_started"})  # type: ignore[arg-type]


def test_webhook_errors_are_chatapi_errors() -> None:
    assert issubclass(WebhookError, chatapi.ChatAPIError)
    assert issubclass(chatapi.events.WebhookVerificationError, WebhookError)
