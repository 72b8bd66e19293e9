"""Construction: generations chosen by credentials, configuration errors, repr, secrets."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import chatapi
from chatapi import ConfigurationError
from chatapi.vendors.acquire import Acquire, AcquireV1, AcquireV2


async def test_token_builds_the_v1_client() -> None:
    async with chatapi.Acquire(token="tok") as client:
        assert isinstance(client, AcquireV1)
        assert isinstance(client, Acquire)
        assert client.generation == "v1"
        assert client.base_url == "https://app.acquire.io/api"
        assert set(client.capabilities) == {"chats", "offline_messages", "agents", "visitors"}


async def test_api_key_and_account_build_the_v2_client() -> None:
    async with chatapi.Acquire(api_key="key", account_id="acme") as client:
        assert isinstance(client, AcquireV2)
        assert client.generation == "v2"
        assert client.base_url == "https://acme.acquire.io/api/v1"
        assert "offline_messages" not in client.capabilities
        assert set(client.capabilities) == {"chats", "agents", "visitors"}


async def test_connect_goes_through_the_registry() -> None:
    client = chatapi.connect("acquire", token="tok")
    async with client:
        assert isinstance(client, AcquireV1)


async def test_v2_base_url_override_is_honoured_for_sandboxes() -> None:
    async with Acquire(api_key="k", account_id="acme", base_url="https://uat.example/api/v1/") as a:
        assert a.base_url == "https://uat.example/api/v1"
    # A sandbox root stands in for the account's host.
    async with Acquire(api_key="k", base_url="https://uat.example/api/v1") as b:
        assert b.base_url == "https://uat.example/api/v1"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({}, "needs credentials"),
        ({"token": "t", "api_key": "k"}, "not both"),
        ({"token": "t", "account_id": "acme"}, "not both"),
        ({"api_key": "k"}, "account_id"),
        ({"account_id": "acme"}, "api_key"),
        ({"token": ""}, "token"),
        ({"token": "   "}, "token"),
        ({"token": "a\r\nX-Injected: 1"}, "line break"),
        ({"api_key": "k", "account_id": "evil.com/x"}, "subdomain"),
        ({"api_key": "k", "account_id": "a.b"}, "subdomain"),
        ({"token": "t", "timezone": "Pacific/California"}, "unknown timezone"),
        ({"token": "t", "timezone": ""}, "timezone"),
    ],
)
def test_bad_configuration_raises(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigurationError, match=fragment) as info:
        Acquire(**kwargs)
    assert info.value.vendor == "acquire"


def test_subclass_with_the_other_generations_credentials_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="AcquireV1 takes token"):
        AcquireV1(api_key="k", account_id="acme")
    with pytest.raises(ConfigurationError, match="AcquireV2 takes api_key"):
        AcquireV2(token="t")


def test_common_options_reach_the_base_client() -> None:
    with pytest.raises(ConfigurationError, match="max_concurrency"):
        Acquire(token="t", max_concurrency=0)
    with pytest.raises(TypeError):
        Acquire(token="t", no_such_option=1)


async def test_common_options_are_applied() -> None:
    policy = chatapi.RetryPolicy.no_wait(5)
    async with Acquire(token="t", max_concurrency=3, retry_policy=policy) as client:
        assert client.max_concurrency == 3
        assert client.retry_policy is policy


async def test_timezone_option() -> None:
    async with Acquire(token="t") as default:
        assert default.timezone == dt.timezone.utc
    async with Acquire(token="t", timezone="Asia/Kolkata") as named:
        assert named.timezone == ZoneInfo("Asia/Kolkata")
    tz = dt.timezone(dt.timedelta(hours=-5))
    async with Acquire(token="t", timezone=tz) as given:
        assert given.timezone is tz


async def test_credentials_never_in_repr() -> None:
    async with (
        Acquire(token="TOPSECRET-TOKEN") as v1,
        Acquire(api_key="TOPSECRET-KEY", account_id="acme") as v2,
    ):
        for client, secret in ((v1, "TOPSECRET-TOKEN"), (v2, "TOPSECRET-KEY")):
            text = repr(client) + str(client) + repr(vars(client))
            assert secret not in text
            assert "bearer" in repr(client)


def test_configuration_errors_never_echo_credentials() -> None:
    with pytest.raises(ConfigurationError) as info:
        Acquire(token="TOPSECRET-TOKEN", api_key="TOPSECRET-KEY")
    assert "TOPSECRET" not in str(info.value) + repr(info.value)
    with pytest.raises(ConfigurationError) as info2:
        Acquire(api_key="TOPSECRET-KEY", account_id="bad/acct")
    assert "TOPSECRET" not in str(info2.value) + repr(info2.value)
