"""Errors: v1 envelopes inside 200, JSON:API bodies, v2 ERROR_* codes, retries, no secrets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

import chatapi
from chatapi import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)

AGENTS = "acquire_v1-account-agents_acquireio-developer.acquire.io.json"


# -- v1: success false inside HTTP 200 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "cls", "code", "message"),
    [
        ("Invalid token", AuthenticationError, "success_false", "Invalid token"),
        ("Record not found", NotFoundError, "success_false", "Record not found"),
        ("You do not have permission", PermissionDeniedError, "success_false", "permission"),
        ("Something odd", BadRequestError, "success_false", "Something odd"),
        ("INVALID_TOKEN", AuthenticationError, "INVALID_TOKEN", "INVALID_TOKEN"),
        ({"code": "E42", "message": "Too many requests"}, RateLimitError, "E42", "Too many"),
        ({"code": 404, "message": "Missing"}, NotFoundError, "404", "Missing"),
        (None, BadRequestError, "success_false", "success: false"),
    ],
)
async def test_v1_success_false_on_200(
    fake: Any, v1: Any, error: Any, cls: type[Exception], code: str, message: str
) -> None:
    fake.route(
        "POST",
        "/api/account/agents/edit",
        fake.ok({"success": False, "error": error, "data": None}),
    )
    with pytest.raises(cls) as info:
        await v1.get_agent("1")
    err = info.value
    assert isinstance(err, chatapi.APIStatusError)
    assert err.status == 200
    assert err.vendor_code == code
    assert err.vendor == "acquire"
    assert message in err.message
    assert err.path == "/account/agents/edit"
    # Envelope errors are the vendor's answer, not a transient failure (RateLimitError
    # excepted): one request unless the class itself is retryable.
    expected = 1 + (v1.retry_policy.max_retries if cls is RateLimitError else 0)
    assert len(fake.requests) == expected


async def test_v1_success_false_with_string_flag(fake: Any, v1: Any) -> None:
    fake.route("POST", "/api/account/agents/edit", fake.ok({"success": "false", "error": "nope"}))
    with pytest.raises(BadRequestError):
        await v1.get_agent("1")


async def test_json_api_errors_on_200(fake: Any, v1: Any) -> None:
    body = {"errors": [{"status": "403", "title": "Forbidden", "details": "No access to agents"}]}
    fake.route("POST", "/api/account/agents/edit", fake.ok(body))
    with pytest.raises(PermissionDeniedError) as info:
        await v1.get_agent("1")
    assert info.value.status == 200
    assert info.value.vendor_code == "403"
    assert info.value.message == "Forbidden: No access to agents"


async def test_json_api_errors_on_http_401(fake: Any, v1: Any) -> None:
    body = {"errors": [{"status": 401, "title": "Unauthorized", "details": "bad token"}]}
    fake.route("POST", "/api/account/agents/edit", fake.ok(body, status=401))
    with pytest.raises(AuthenticationError) as info:
        await v1.get_agent("1")
    assert info.value.status == 401
    assert "bad token" in str(info.value)
    assert len(fake.requests) == 1


# -- v2: ERROR_* type codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "cls", "code"),
    [
        (
            400,
            {"error": {"type": "ERROR_INVALID_INPUT", "message": "bad"}},
            BadRequestError,
            "ERROR_INVALID_INPUT",
        ),
        (
            400,
            {"type": "ERROR_RECORD_NOT_FOUND", "message": "no case"},
            NotFoundError,
            "ERROR_RECORD_NOT_FOUND",
        ),
        (
            400,
            {"error": "ERROR_DUPLICATE_RECORD_FOUND"},
            ConflictError,
            "ERROR_DUPLICATE_RECORD_FOUND",
        ),
        (
            401,
            {"code": "ERROR_UNAUTHORIZED", "message": "no"},
            AuthenticationError,
            "ERROR_UNAUTHORIZED",
        ),
        (
            403,
            {"error": {"code": "ERROR_UNAUTHORIZED_ACCESS"}},
            PermissionDeniedError,
            "ERROR_UNAUTHORIZED_ACCESS",
        ),
        (404, {"message": "Not Found"}, NotFoundError, None),
        (400, {"errors": ["ERROR_INVALID_INPUT"]}, BadRequestError, "ERROR_INVALID_INPUT"),
    ],
)
async def test_v2_error_codes(
    fake: Any, v2: Any, status: int, body: Any, cls: type[Exception], code: str | None
) -> None:
    fake.route("GET", "/api/v1/crm/objects/case/9", fake.ok(body, status=status))
    with pytest.raises(cls) as info:
        await v2.get_chat("9")
    err = info.value
    assert isinstance(err, chatapi.APIStatusError)
    assert err.status == status
    assert err.vendor_code == code
    assert len(fake.requests) == 1


async def test_v2_error_code_inside_200(fake: Any, v2: Any) -> None:
    body = {"data": None, "error": {"type": "ERROR_RECORD_NOT_FOUND", "message": "gone"}}
    fake.route("GET", "/api/v1/account/user/3", fake.ok(body))
    with pytest.raises(NotFoundError) as info:
        await v2.get_agent("3")
    assert (info.value.status, info.value.vendor_code) == (200, "ERROR_RECORD_NOT_FOUND")


async def test_v2_server_error_is_retried_then_raised(fake: Any, v2: Any) -> None:
    fake.route("GET", "/api/v1/account/user/3", fake.ok({"type": "ERROR_SERVER_ERROR"}, status=500))
    with pytest.raises(ServerError) as info:
        await v2.get_agent("3")
    assert info.value.vendor_code == "ERROR_SERVER_ERROR"
    assert len(fake.requests) == 1 + v2.retry_policy.max_retries


# -- retries of POST reads -----------------------------------------------------------------------


async def test_v1_post_reads_are_retried_like_gets(
    fake: Any, v1: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route(
        "POST",
        "/api/account/agents",
        (503, b"<html>busy</html>", {"Content-Type": "text/html"}),
        fake.ok({"success": False}, status=502),
        (200, b"{truncated", {}),
        fake.ok(fixture_json(AGENTS)),
    )
    policy = chatapi.RetryPolicy.no_wait(max_retries=3)
    async with chatapi.Acquire(token="t", base_url=fake.url + "/api", retry_policy=policy) as c:
        agents = await c.agents().collect()
        assert c.stats.retries == 3
    assert [a.id for a in agents] == ["14755"]
    assert len(fake.requests) == 4


async def test_v1_429_retry_after_is_honoured(
    fake: Any, v1: Any, fixture_json: Callable[[str], Any]
) -> None:
    fake.route(
        "POST",
        "/api/account/agents",
        fake.ok({"errors": [{"title": "Too Many Requests"}]}, status=429, **{"Retry-After": "0"}),
        fake.ok(fixture_json(AGENTS)),
    )
    agents = await v1.agents().collect()
    assert len(agents) == 1
    assert v1.stats.rate_limited == 1


# -- secrets -------------------------------------------------------------------------------------


async def test_agent_secret_key_stays_in_raw_only(
    fake: Any, v1: Any, fixture_json: Callable[[str], Any], caplog: pytest.LogCaptureFixture
) -> None:
    body = fixture_json(AGENTS)
    body["data"]["rows"][0]["secret_key"] = "AGENT-SECRET-KEY-123"
    fake.route("POST", "/api/account/agents", fake.ok(body))
    caplog.set_level(logging.DEBUG)
    pager = v1.agents()
    agents = await pager.collect()
    agent = agents[0]
    assert agent.raw["secret_key"] == "AGENT-SECRET-KEY-123"
    assert "AGENT-SECRET-KEY-123" not in repr(agent) + str(agent) + repr(agents)
    assert "AGENT-SECRET-KEY-123" not in chatapi.to_dict(agent, include_raw=False).__repr__()
    assert "AGENT-SECRET-KEY-123" not in caplog.text


async def test_secret_key_absent_from_error_text_and_body(fake: Any, v1: Any) -> None:
    # A failing envelope that still carries agent rows: the error keeps a redacted body.
    body = {
        "success": False,
        "error": "Internal server error",
        "data": {"rows": [{"id": 1, "secret_key": "AGENT-SECRET-KEY-123"}]},
    }
    fake.route("POST", "/api/account/agents", fake.ok(body))
    with pytest.raises(ServerError) as info:
        await v1.agents().collect()
    err = info.value
    assert err.status == 200
    assert "AGENT-SECRET-KEY-123" not in str(err) + repr(err) + (err.body or "")
    assert '"secret_key": "***"' in (err.body or "")


async def test_secret_key_absent_from_mapping_errors(fake: Any, v1: Any) -> None:
    rows = [{"user_name": "no id here", "secret_key": "AGENT-SECRET-KEY-123"}]
    fake.route("POST", "/api/account/agents", fake.v1_ok({"rows": rows, "count": 1}))
    with pytest.raises(chatapi.ResponseFormatError) as info:
        await v1.agents().collect()
    assert info.value.field == "id"
    assert "AGENT-SECRET-KEY-123" not in str(info.value) + repr(info.value)


@pytest.mark.parametrize("generation", ["v1", "v2"])
async def test_credentials_absent_from_errors_and_logs(
    fake: Any, generation: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = f"CREDENTIAL-{generation}-XYZ"
    policy = chatapi.RetryPolicy.no_wait(max_retries=2)
    if generation == "v1":
        client = chatapi.Acquire(token=secret, base_url=fake.url + "/api", retry_policy=policy)
        fake.route(
            "POST",
            "/api/account/agents/edit",
            fake.ok({}, status=500),
            fake.ok({"errors": [{"status": 401, "title": "Unauthorized"}]}, status=401),
        )
        call = client.get_agent("1")
    else:
        client = chatapi.Acquire(api_key=secret, base_url=fake.url + "/api/v1", retry_policy=policy)
        fake.route(
            "GET",
            "/api/v1/account/user/1",
            fake.ok({}, status=500),
            fake.ok({"type": "ERROR_UNAUTHORIZED"}, status=401),
        )
        call = client.get_agent("1")
    async with client:
        with pytest.raises(AuthenticationError) as info:
            await call
    err = info.value
    assert len(fake.requests) == 2
    assert fake.requests[0].headers["Authorization"] == f"Bearer {secret}"
    assert secret not in str(err) + repr(err) + (err.body or "") + repr(client)
    assert "retry 1/2" in caplog.text
    for record in caplog.records:
        assert secret not in record.getMessage()
