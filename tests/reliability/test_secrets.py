"""No credential ever leaks: not in logs, errors, tracebacks, reprs, exports or progress.

Every vendor and auth style gets a sentinel credential; every error type is triggered with
the ``chatapi`` and ``aiohttp`` loggers at DEBUG, and every text a user could see or store is
searched for the sentinel (and for the header forms derived from it).
"""

from __future__ import annotations

import base64
import json
import logging
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import chatapi
from chatapi import RetryPolicy
from chatapi.sandbox import Faults, serve

from .conftest import Server, free_port

SENTINEL = "S3NT1NEL-c0ffee-9f8e7d6c5b4a"


def b64url(data: dict[str, Any]) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


REVE_JWT = ".".join(
    [
        b64url({"alg": "HS256", "typ": "JWT"}),
        b64url({"accountId": "8683034", "exp": int(time.time()) + 20 * 86400}),
        SENTINEL,
    ]
)

#: Auth style -> client constructor keywords (base_url added per test).
STYLES: dict[str, dict[str, Any]] = {
    "livechat-basic": {"vendor": "livechat", "login": "ops@example.com", "api_key": SENTINEL},
    "livechat-bearer": {"vendor": "livechat", "access_token": f"dal:{SENTINEL}"},
    "revechat-legacy": {"vendor": "revechat", "email": "ops@example.com", "password": SENTINEL},
    "revechat-current": {"vendor": "revechat", "auth_key": REVE_JWT, "account_id": "8683034"},
    "acquire-v1": {"vendor": "acquire", "token": SENTINEL},
    "acquire-v2": {"vendor": "acquire", "api_key": SENTINEL},
}


def forbidden(credential: str) -> list[str]:
    """The sentinel and every encoding of it a header could carry."""
    forms = [SENTINEL, credential]
    for pair in (f"ops@example.com:{credential}",):
        forms.append(base64.b64encode(pair.encode()).decode())
    return forms


def assert_clean(texts: list[str], credential: str = SENTINEL) -> None:
    for text in texts:
        for form in forbidden(credential):
            assert form not in text, f"credential leaked into: {text[:300]!r}"


def error_texts(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), repr(error.args)]
    texts.append("".join(traceback.format_exception(error)))
    texts.append(repr(vars(error)))
    cause: BaseException | None = error
    while cause is not None:
        texts.extend([str(cause), repr(cause), repr(cause.args)])
        cause = cause.__cause__ or cause.__context__
    return texts


def make_client(style: str, base_url: str, **options: Any) -> chatapi.BaseClient:
    kwargs = dict(STYLES[style])
    vendor = kwargs.pop("vendor")
    options.setdefault("retry_policy", RetryPolicy.no_wait(1))
    return chatapi.connect(vendor, base_url=base_url, **kwargs, **options)


# -- the misbehaving vendor --------------------------------------------------------------------

Mode = Callable[[web.Request], Awaitable[web.StreamResponse]]


def status_mode(code: int, headers: dict[str, str] | None = None) -> Mode:
    async def answer(request: web.Request) -> web.StreamResponse:
        await request.read()
        body = {"error": f"status {code}", "success": False, "status": "error"}
        return web.json_response(body, status=code, headers=headers)

    return answer


async def echo(request: web.Request) -> web.StreamResponse:
    # A vendor (or a proxy's error page) that echoes the request, headers included.
    await request.read()
    dump = {"error": "invalid credentials", "headers": dict(request.headers)}
    return web.json_response(dump, status=401)


async def echo_in_message(request: web.Request) -> web.StreamResponse:
    await request.read()
    header = request.headers.get("Authorization", "")
    return web.json_response(
        {"error": f"bad token {header}", "message": f"bad {header}"}, status=403
    )


async def malformed(request: web.Request) -> web.StreamResponse:
    await request.read()
    return web.Response(body=b'{"oops": ', content_type="application/json")


async def empty(request: web.Request) -> web.StreamResponse:
    await request.read()
    return web.Response(body=b"", content_type="application/json")


async def wrong_shape(request: web.Request) -> web.StreamResponse:
    await request.read()
    return web.json_response({"unexpected": [1, 2, 3]})


async def reset(request: web.Request) -> web.StreamResponse:
    await request.read()
    assert request.transport is not None
    request.transport.abort()
    raise web.HTTPInternalServerError()


async def slow(request: web.Request) -> web.StreamResponse:
    await request.read()
    import asyncio

    await asyncio.sleep(1.0)
    return web.json_response({})


def redirect(target: str) -> Mode:
    async def answer(request: web.Request) -> web.StreamResponse:
        await request.read()
        return web.Response(status=302, headers={"Location": target})

    return answer


MODES: dict[str, Mode] = {
    "400": status_mode(400),
    "401": status_mode(401),
    "403": status_mode(403),
    "404": status_mode(404),
    "409": status_mode(409),
    "500": status_mode(500),
    "503": status_mode(503),
    "echo-headers": echo,
    "echo-in-message": echo_in_message,
    "malformed": malformed,
    "empty": empty,
    "wrong-shape": wrong_shape,
    "reset": reset,
    "slow": slow,
    # Last: a 429 makes the client pace its later requests (adaptive pacing).
    "429-above-cap": status_mode(429, {"Retry-After": "3600"}),
}


async def operations(client: chatapi.BaseClient, *, quick: bool = False) -> list[BaseException]:
    """Every error a few reads raise (only one read when ``quick``)."""
    errors: list[BaseException] = []
    calls: list[Callable[[], Awaitable[Any]]] = [lambda: client.get_agent("42")]
    if not quick:
        calls += [lambda: client.agents().collect(), lambda: client.chats().collect()]
    for call in calls:
        try:
            await call()
        except chatapi.ChatAPIError as error:
            errors.append(error)
    return errors


@pytest.mark.parametrize("style", sorted(STYLES))
async def test_no_error_type_or_log_line_carries_the_credential(
    style: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    mode: dict[str, Mode] = {}
    srv = Server()
    other = Server()

    async def dispatch(request: web.Request) -> web.StreamResponse:
        return await mode["current"](request)

    srv.route("*", "/{tail:.*}", dispatch)
    other.route("*", "/{tail:.*}", status_mode(200))
    await srv.start()
    await other.start()
    seen: list[BaseException] = []
    try:
        client = make_client(style, srv.url, timeout=0.3)
        async with client:
            texts = [repr(client), str(client)]
            for name, handler in [*MODES.items(), ("redirect", redirect(other.url + "/x"))]:
                mode["current"] = handler
                errors = await operations(client, quick=name == "slow")
                assert errors, f"{name}: no error raised"
                seen.extend(errors)
        # Connection refused: nothing listens.
        refused = make_client(style, f"http://127.0.0.1:{free_port()}")
        async with refused:
            seen.extend(await operations(refused))
    finally:
        await srv.stop()
        await other.stop()
    assert other.log == []  # the redirect was not followed
    kinds = {type(e) for e in seen}
    assert {
        chatapi.APIConnectionError,
        chatapi.APITimeoutError,
        chatapi.APIStatusError,  # the redirect
        chatapi.BadRequestError,
        chatapi.AuthenticationError,
        chatapi.PermissionDeniedError,
        chatapi.NotFoundError,
        chatapi.ConflictError,
        chatapi.RateLimitError,
        chatapi.ServerError,
        chatapi.ResponseFormatError,
    } <= kinds, kinds
    for error in seen:
        texts.extend(error_texts(error))
    texts.append(caplog.text)
    texts.extend(repr(r.args) for r in caplog.records)
    assert_clean(texts, _credential(style))


def _credential(style: str) -> str:
    kwargs = STYLES[style]
    for name in ("api_key", "access_token", "password", "auth_key", "token"):
        if name in kwargs:
            value: str = kwargs[name]
            return value
    raise AssertionError(style)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"vendor": "livechat", "access_token": SENTINEL, "login": "x"}, id="lc-both"),
        pytest.param({"vendor": "livechat", "api_key": SENTINEL}, id="lc-no-login"),
        pytest.param({"vendor": "livechat", "access_token": f" {SENTINEL}\n"}, id="lc-newline"),
        pytest.param({"vendor": "revechat", "auth_key": SENTINEL}, id="reve-not-a-jwt"),
        pytest.param({"vendor": "revechat", "auth_key": f"{SENTINEL} x"}, id="reve-space"),
        pytest.param({"vendor": "revechat", "password": SENTINEL}, id="reve-no-email"),
        pytest.param(
            {"vendor": "revechat", "auth_key": SENTINEL, "email": "a@b.c"}, id="reve-both"
        ),
        pytest.param({"vendor": "acquire", "token": f"{SENTINEL}\r\nX: y"}, id="acq-crlf"),
        pytest.param({"vendor": "acquire", "token": SENTINEL, "api_key": "k"}, id="acq-both"),
        pytest.param({"vendor": "acquire", "api_key": SENTINEL}, id="acq-v2-no-account"),
        pytest.param(
            {"vendor": "acquire", "api_key": SENTINEL, "account_id": "bad host/"},
            id="acq-v2-bad-account",
        ),
    ],
)
def test_configuration_errors_never_show_the_credential(
    kwargs: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    args = dict(kwargs)
    vendor = args.pop("vendor")
    try:
        client = chatapi.connect(vendor, **args)
    except chatapi.ConfigurationError as error:
        assert_clean([*error_texts(error), caplog.text])
    else:  # accepted (e.g. a stripped token): its repr must still be clean
        assert_clean([repr(client), caplog.text])


# -- exports and progress against the sandbox -------------------------------------------------

SANDBOXES = [
    ("livechat", None, "basic"),
    ("livechat", None, "bearer"),
    ("revechat", "legacy", None),
    ("revechat", "current", None),
    ("acquire", "v1", None),
    ("acquire", "v2", None),
]


@pytest.mark.parametrize(("vendor", "generation", "auth"), SANDBOXES)
async def test_exports_checkpoints_and_progress_never_hold_the_credential(
    vendor: str,
    generation: str | None,
    auth: str | None,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    faults = Faults.uniform(0.5, max_faults_per_request=2, seed=3)
    async with serve(vendor, generation=generation, chats=150, faults=faults, seed=5) as sb:
        credentials = dict(sb.credentials)
        if auth == "bearer":
            credentials = {"access_token": sb.app.access_token, "base_url": sb.base_url}  # type: ignore[attr-defined]
        secrets = [
            v
            for k, v in credentials.items()
            if k in {"api_key", "access_token", "password", "auth_key", "token"}
        ]
        assert secrets and all(len(s) >= 8 for s in secrets)
        progress: list[str] = []
        client = chatapi.connect(
            vendor, **credentials, retry_policy=RetryPolicy.no_wait(3), max_concurrency=4
        )
        async with client:
            out = tmp_path / "chats.jsonl"
            report = await chatapi.export(
                client,
                "chats",
                out,
                include_raw=True,
                progress=lambda p: progress.append(f"{p!s} {p!r}"),
            )
            assert report.complete
            texts = [
                out.read_text(),
                chatapi.export.__globals__["checkpoint_path"](out).read_text(),
                repr(report),
                *progress,
                repr(client),
                repr(client.stats),
                caplog.text,
            ]
        assert sb.stats.injected > 0  # faults were served, retried and logged
    for secret in secrets:
        assert_clean(texts, secret)


async def test_pagination_and_unsupported_operation_errors_are_clean(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    srv = Server()

    async def same_page(request: web.Request) -> web.StreamResponse:
        return web.json_response([{"agent_id": "1", "email": "a@b.c"}])

    srv.route("GET", "/{tail:.*}", same_page)
    await srv.start()
    errors: list[BaseException] = []
    try:
        async with make_client("revechat-legacy", srv.url) as reve:
            with pytest.raises(chatapi.PaginationError) as paging:
                await reve.agents().collect()
            errors.append(paging.value)
        async with make_client("acquire-v2", srv.url) as acq:
            with pytest.raises(chatapi.UnsupportedOperationError) as unsupported:
                acq.offline_messages()
            errors.append(unsupported.value)
    finally:
        await srv.stop()
    texts = [caplog.text]
    for error in errors:
        texts.extend(error_texts(error))
    assert_clean(texts)
