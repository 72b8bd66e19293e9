"""Construction: credentials of both generations, auth-key claims and expiry warnings, repr."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chatapi
from chatapi import ConfigurationError
from chatapi.vendors.revechat import ReveChat
from chatapi.vendors.revechat._authkey import read_claims

PASSWORD = "hunter2-PASSWORD"


async def test_lazy_export_and_registry_give_the_same_class() -> None:
    assert chatapi.ReveChat is ReveChat
    client = chatapi.connect("revechat", email="john@example.com", password=PASSWORD)
    try:
        assert isinstance(client, ReveChat)
        assert client.generation == "legacy"
        assert client.base_url == "https://api.revechat.com"
    finally:
        await client.close()


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({}, "needs credentials"),
        ({"email": "john@example.com"}, "non-empty password"),
        ({"password": PASSWORD}, "non-empty email"),
        ({"email": "  ", "password": PASSWORD}, "non-empty email"),
        ({"email": "john@example.com", "password": ""}, "non-empty password"),
        ({"email": "john@example.com", "password": PASSWORD, "auth_key": "k"}, "not both"),
        ({"password": PASSWORD, "auth_key": "k", "account_id": "1"}, "not both"),
        ({"email": "john@example.com", "password": PASSWORD, "account_id": "1"}, "account_id"),
        ({"auth_key": ""}, "auth_key is empty"),
        ({"auth_key": "   ", "account_id": "1"}, "auth_key is empty"),
        ({"auth_key": "abc def", "account_id": "1"}, "whitespace"),
        ({"auth_key": "opaque-key"}, "needs an account_id"),
        ({"auth_key": "opaque-key", "account_id": ""}, "account_id is empty"),
        ({"auth_key": "opaque-key", "account_id": 1.5}, "string or an int"),
        ({"auth_key": "opaque-key", "account_id": True}, "string or an int"),
    ],
)
def test_missing_or_contradictory_credentials_raise_configuration_error(
    kwargs: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ConfigurationError, match=fragment) as info:
        ReveChat(**kwargs)
    assert info.value.vendor == "revechat"
    assert PASSWORD not in str(info.value)
    assert "opaque-key" not in str(info.value)


def test_account_id_contradicting_the_key_is_refused(make_key: Callable[..., str]) -> None:
    key = make_key(account="8683034")
    with pytest.raises(ConfigurationError, match="contradicts") as info:
        ReveChat(auth_key=key, account_id="1111")
    assert key not in str(info.value)
    assert key not in repr(info.value)


async def test_account_id_comes_from_the_key_when_omitted(make_key: Callable[..., str]) -> None:
    async with ReveChat(auth_key=make_key(account="8683034")) as client:
        assert client.account_id == "8683034"
        assert client.generation == "current"


async def test_int_account_id_becomes_a_string(make_key: Callable[..., str]) -> None:
    async with ReveChat(auth_key=make_key(account=None), account_id=8683034) as client:
        assert client.account_id == "8683034"


def test_bad_common_option_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="max_concurrency"):
        ReveChat(email="john@example.com", password=PASSWORD, max_concurrency=0)


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        ReveChat(email="john@example.com", password=PASSWORD, colour="blue")


async def test_common_options_pass_through(make_key: Callable[..., str]) -> None:
    policy = chatapi.RetryPolicy.no_wait(max_retries=1)
    async with ReveChat(
        auth_key=make_key(),
        base_url="http://sandbox.invalid/",
        max_concurrency=3,
        timeout=5,
        retry_policy=policy,
    ) as client:
        assert client.base_url == "http://sandbox.invalid"
        assert client.max_concurrency == 3
        assert client.retry_policy is policy


# -- auth-key claims --------------------------------------------------------------------------


def test_claims_of_a_jwt_shaped_key(make_key: Callable[..., str]) -> None:
    claims = read_claims(make_key(expires_in=3600, account="42"))
    assert claims.account_id == "42"
    assert claims.expires_at is not None
    assert claims.expires_at.tzinfo is not None
    assert claims.expires_at.utcoffset() is not None and claims.expires_at.utcoffset().seconds == 0


def _jwt_with_payload(payload: bytes) -> str:
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"eyJhbGciOiJIUzI1NiJ9.{body}.c2ln"


@pytest.mark.parametrize(
    "key",
    [
        "not-a-jwt",
        "a.b",
        "a.b.c.d",
        "eyJhbGciOiJIUzI1NiJ9.!!!notbase64!!!.sig",
        _jwt_with_payload(b"not json"),
        _jwt_with_payload(b"[1, 2, 3]"),
        _jwt_with_payload(b'{"exp": "tomorrow"}'),
        _jwt_with_payload(b'{"exp": true}'),
        _jwt_with_payload(b'{"exp": 1e300}'),
        _jwt_with_payload(b"\xff\xfe"),
    ],
)
def test_garbage_keys_have_no_known_expiry(key: str) -> None:
    claims = read_claims(key)
    assert claims.expires_at is None


async def test_garbage_key_builds_a_client_without_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="chatapi")
    async with ReveChat(auth_key="opaque.garbage.key", account_id="1") as client:
        assert client.auth_key_expires_at is None
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("expires_in", "warned", "word"),
    [
        (30 * 86400, False, None),
        (3 * 86400 + 600, False, None),
        (3 * 86400 - 600, True, "expires at"),
        (3600, True, "expires at"),
        (-3600, True, "expired at"),
    ],
)
async def test_expiry_warning_when_fewer_than_three_days_remain(
    make_key: Callable[..., str],
    caplog: pytest.LogCaptureFixture,
    expires_in: float,
    warned: bool,
    word: str | None,
) -> None:
    caplog.set_level(logging.DEBUG, logger="chatapi")
    key = make_key(expires_in=expires_in)
    async with ReveChat(auth_key=key) as client:
        assert client.auth_key_expires_at is not None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "chatapi"]
    assert len(warnings) == (1 if warned else 0)
    for record in warnings:
        text = record.getMessage()
        assert word is not None and word in text
        assert "Auth Key" in text
        assert key not in text
        assert key.split(".")[1] not in text


async def test_bearer_prefixed_key_is_read_and_sent_as_given(
    make_key: Callable[..., str],
) -> None:
    key = make_key(expires_in=86400)
    async with ReveChat(auth_key=f"Bearer {key}") as client:
        assert client.auth_key_expires_at is not None
        assert client.account_id == "8683034"
        assert client._auth_headers()["Authorization"] == f"Bearer {key}"


# -- repr -------------------------------------------------------------------------------------


async def test_repr_shows_no_credential(make_key: Callable[..., str]) -> None:
    basic = base64.b64encode(f"john@example.com:{PASSWORD}".encode()).decode()
    key = make_key()
    async with (
        ReveChat(email="john@example.com", password=PASSWORD) as legacy,
        ReveChat(auth_key=key) as current,
    ):
        assert repr(legacy) == (
            "ReveChat(base_url='https://api.revechat.com', auth='basic', generation='legacy')"
        )
        assert repr(current) == (
            "ReveChat(base_url='https://api.revechat.com', auth='auth_key', generation='current')"
        )
        for text in (repr(legacy), str(legacy), repr(current), repr(vars(legacy))):
            assert PASSWORD not in text
            assert basic not in text
            assert key not in text
        assert key not in repr(vars(current))


@given(st.text(max_size=200))
def test_read_claims_never_raises(key: str) -> None:
    claims = read_claims(key)
    assert claims.expires_at is None or claims.expires_at.tzinfo is not None


_JSON_VALUES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)


@given(
    st.binary(max_size=60).map(_jwt_with_payload)
    | st.dictionaries(st.sampled_from(["exp", "accountId", "iat"]), _JSON_VALUES).map(
        lambda claims: _jwt_with_payload(json.dumps(claims).encode())
    )
)
def test_read_claims_never_raises_on_jwt_shaped_garbage(key: str) -> None:
    claims = read_claims(key)
    assert claims.expires_at is None or claims.expires_at.tzinfo is not None
    assert claims.account_id is None or isinstance(claims.account_id, str)
