"""REVE Chat's error answers → the error hierarchy, and no credential in any error or log."""

from __future__ import annotations

import base64
import logging
import pickle
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from chatapi import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ChatAPIError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from chatapi._core.bodies import decode_error_body
from chatapi.errors import ErrorDetails
from chatapi.vendors.revechat import ReveChat
from chatapi.vendors.revechat._errors import error_details, wait_from_text

if TYPE_CHECKING:
    from conftest import FakeReve

PASSWORD = "hunter2-PASSWORD"


def _read(body: bytes, fallback: str) -> ErrorDetails:
    """What an error body says, decoded as the core decodes it, with ``fallback`` as the
    message when it says none."""
    return error_details(*decode_error_body(body), fallback=fallback)


@pytest.mark.parametrize(
    ("fixture", "status", "cls", "message", "code"),
    [
        ("error_401_bad_credentials.txt", 401, AuthenticationError, "Bad credentials", None),
        (
            "error_403_super_admin.txt",
            403,
            PermissionDeniedError,
            "Access is denied! Only user with Super Admin role can access the REST API",
            None,
        ),
        (
            "error_403_loose.txt",
            403,
            PermissionDeniedError,
            "You don't have permission to see offline message details with Id 744",
            "403",
        ),
        (
            "error_400_page_number.json",
            400,
            BadRequestError,
            "Invalid Page Number: -2. Please enter a valid Page Number.",
            "400",
        ),
        (
            "error_404_offline_message.json",
            404,
            NotFoundError,
            "No Record found for Offline Message Id = 744. Please enter a another Offline "
            "Message Id.",
            "404",
        ),
    ],
)
async def test_documented_error_bodies(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    fixture_bytes: Callable[[str], bytes],
    fixture: str,
    status: int,
    cls: type[APIStatusError],
    message: str,
    code: str | None,
) -> None:
    # The doc sends every one of them as application/json, even the plain-text ones.
    server.reply(fixture_bytes(fixture), status=status)
    client = make_client()
    with pytest.raises(APIStatusError) as info:
        await client.get_offline_message("744")
    error = info.value
    assert type(error) is cls
    assert error.status == status
    assert error.message == message
    assert error.vendor_code == code
    assert error.vendor == "revechat"
    assert error.path == "/api/offlinemessages/744"
    assert str(error).startswith(f"{status}")
    assert message in str(error)
    assert len(server.requests) == 1  # 4xx other than 429 is not retried


async def test_almost_json_with_error_name_and_message(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply('{error: "Forbidden", message: "Not permitted"}', status=403)
    with pytest.raises(PermissionDeniedError) as info:
        await make_client().agents().collect()
    assert info.value.message == "Not permitted"
    assert info.value.vendor_code == "Forbidden"


@pytest.mark.parametrize(
    ("body", "message", "code"),
    [
        ("{code: 403}", "Forbidden", "403"),
        ('{"code": 403}', "Forbidden", "403"),
        ("Access is denied", "Access is denied", None),
        ("<html><body>Denied</body></html>", "Forbidden", None),
    ],
)
async def test_fallback_messages_of_a_403(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    body: str,
    message: str,
    code: str | None,
) -> None:
    server.reply(body, status=403)
    with pytest.raises(PermissionDeniedError) as info:
        await make_client().get_agent("1")
    assert (info.value.message, info.value.vendor_code) == (message, code)


@pytest.mark.parametrize(
    ("body", "message", "code"),
    [
        ("{'error': 'Forbidden'}", "Forbidden", "Forbidden"),
        ('{message: "say \\"hi\\"", code: 7}', 'say "hi"', "7"),
        ('{"error": {"code": "AgentNotFound", "message": "gone"}}', "gone", "AgentNotFound"),
        ('{"message": "plain json"}', "plain json", None),
        ('[{"code": 1, "message": "listed"}]', "listed", "1"),
        ("<html><body>Forbidden</body></html>", "Forbidden", None),
        ("", "Forbidden", None),
        ("{}", "{}", None),
        ('"Bad credentials"', "Bad credentials", None),
        ("{code: 403}", "Forbidden", "403"),
        ("{not even: close", "{not even: close", None),
    ],
)
def test_error_details_variants(body: str, message: str, code: str | None) -> None:
    found = _read(body.encode(), "Forbidden")
    assert (found.message, found.vendor_code) == (message, code)


async def test_html_5xx_is_retried_then_raised_with_the_reason(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply("<html>oops</html>", status=503, content_type="text/html")
    client = make_client(retry_policy=RetryPolicy.no_wait(max_retries=2))
    with pytest.raises(ServerError) as info:
        await client.get_agent("1")
    assert info.value.message == "Service Unavailable"
    assert len(server.requests) == 3
    assert client.stats.retries == 2


# -- 429 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        ("Rate limit exceeded. Please wait 30 seconds before retrying.", {}, 30.0),
        ("Too many requests: try again in 2 minutes", {}, 120.0),
        ('{"message": "Too many requests", "retry_after": 12}', {}, 12.0),
        ('{"message": "Too many requests", "wait_time": "45"}', {}, 45.0),
        ('{"message": "Too many requests", "retryAfterMs": 1500}', {}, 1.5),
        ('{"error": [{"code": 429, "message": "Limit reached, wait 9 s"}]}', {}, 9.0),
        ("Rate limit exceeded. Please wait 30 seconds.", {"Retry-After": "7"}, 7.0),
        ('{"retry_after": 12}', {"Retry-After": "3"}, 3.0),
        ("Too many requests", {}, None),
    ],
)
async def test_429_retry_after_from_body_or_header(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    body: str,
    headers: dict[str, str],
    expected: float | None,
) -> None:
    server.reply(body, status=429, headers=headers)
    client = make_client(retry_policy=RetryPolicy.no_wait(max_retries=0))
    with pytest.raises(RateLimitError) as info:
        await client.agents().collect()
    assert info.value.retry_after == expected
    assert info.value.retryable
    assert client.stats.rate_limited >= 1


async def test_429_body_wait_drives_the_shared_pause_then_succeeds(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    answers = [
        web.Response(status=429, text="Too many requests, please wait 0.2 seconds"),
        web.json_response({"agent_id": 1}),
    ]

    async def handler(request: web.Request) -> web.StreamResponse:
        return answers.pop(0)

    server.handler = handler
    client = make_client()
    agent = await client.get_agent("1")
    assert agent.id == "1"
    assert client.stats.rate_limited == 1
    assert client.stats.retries == 1
    # The pause held is the body's 0.2 s, not the no-wait policy's zero backoff.
    assert client.stats.paused_seconds == pytest.approx(0.2, abs=0.05)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("wait 30 seconds", 30.0),
        ("Retry after 250 ms", 0.25),
        ("please wait 1 minute", 60.0),
        ("retry in 5s", 5.0),
        ("no number here", None),
        ("Invalid Page Number: -2", None),
    ],
)
def test_wait_from_text(text: str, seconds: float | None) -> None:
    assert wait_from_text(text) == seconds


# -- error envelopes inside a 200 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "cls", "message", "code"),
    [
        ({"status": "error", "message": "Invalid auth key"}, AuthenticationError, None, None),
        (
            {"status": "error", "message": "Agent not found", "code": 404, "body": None},
            NotFoundError,
            None,
            "404",
        ),
        ({"status": "failed", "message": "Permission denied"}, PermissionDeniedError, None, None),
        ({"status": "error", "message": "Invalid date_from"}, BadRequestError, None, None),
        ({"status": "error", "message": "Something odd"}, APIStatusError, None, None),
        ({"status": "error"}, APIStatusError, "envelope status 'error'", None),
        (
            {"error": [{"code": 400, "message": "Invalid Page Number: -2."}]},
            BadRequestError,
            "Invalid Page Number: -2.",
            "400",
        ),
    ],
)
async def test_error_envelope_inside_a_200(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    body: dict[str, Any],
    cls: type[APIStatusError],
    message: str | None,
    code: str | None,
) -> None:
    server.reply(body)
    client = make_client(auth_key=make_key())
    with pytest.raises(APIStatusError) as info:
        await client.agents().collect()
    error = info.value
    assert type(error) is cls
    assert error.status == 200
    assert error.message == (message or body["message"])
    assert error.vendor_code == code


async def test_agent_status_field_is_not_mistaken_for_an_error_envelope(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply({"agent_id": 1, "status": "OFFLINE", "message": "n/a"})
    agent = await make_client().get_agent("1")
    assert agent.id == "1"


# -- expired auth key -------------------------------------------------------------------------


async def test_401_after_key_expiry_says_the_key_expired(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    key = make_key(expires_in=-86400)
    server.reply("Bad credentials", status=401)
    client = make_client(auth_key=key)
    with pytest.raises(AuthenticationError) as info:
        await client.agents().collect()
    text = str(info.value)
    assert "auth key expired at" in text
    assert "Settings > Security > Auth Key" in text
    assert "Bad credentials" in text
    assert key not in text
    assert key not in repr(info.value)
    assert any("expired" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")


async def test_401_with_a_valid_key_keeps_the_vendor_message(
    server: FakeReve, make_client: Callable[..., ReveChat], make_key: Callable[..., str]
) -> None:
    server.reply("Bad credentials", status=401)
    client = make_client(auth_key=make_key(expires_in=86400 * 20))
    with pytest.raises(AuthenticationError) as info:
        await client.agents().collect()
    assert info.value.message == "Bad credentials"


async def test_expired_key_envelope_error_in_a_200_also_names_the_expiry(
    server: FakeReve, make_client: Callable[..., ReveChat], make_key: Callable[..., str]
) -> None:
    server.reply({"status": "error", "message": "Unauthorized"})
    client = make_client(auth_key=make_key(expires_in=-60))
    with pytest.raises(AuthenticationError, match="auth key expired at") as info:
        await client.get_chat("1")
    assert info.value.status == 200


# -- secrets ----------------------------------------------------------------------------------


async def test_no_credential_in_errors_or_logs(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    key = make_key(expires_in=3600)  # also triggers the expiry warning
    basic = base64.b64encode(f"john@example.com:{PASSWORD}".encode()).decode()
    server.reply("<html>down</html>", status=500, content_type="text/html")
    errors: list[ChatAPIError] = []
    for client in (
        make_client(max_concurrency=1, retry_policy=RetryPolicy.no_wait(max_retries=2)),
        make_client(
            auth_key=key, max_concurrency=1, retry_policy=RetryPolicy.no_wait(max_retries=2)
        ),
    ):
        with pytest.raises(ServerError) as info:
            await client.chats(agent_email_id="mary@example.com").collect()
        errors.append(info.value)
    assert len(server.requests) == 6
    assert caplog.records, "the retries and the expiry warning are logged"
    texts = [r.getMessage() for r in caplog.records]
    texts += [str(e) for e in errors] + [repr(e) for e in errors]
    texts += [repr(vars(e)) for e in errors]
    texts += [repr(pickle.loads(pickle.dumps(e))) for e in errors]
    for text in texts:
        for secret in (PASSWORD, basic, key, key.split(".")[1]):
            assert secret not in text


@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_error_details_never_raises_on_any_body(body: bytes) -> None:
    found = _read(body, "Fallback")
    assert isinstance(found.message, str) and found.message
    assert len(found.message) <= 500
    assert found.retry_after is None or found.retry_after >= 0
