"""The contract suite's plumbing: one "contract fixture" per adapter and a local HTTP stand-in.

Every adapter (vendor x generation) is described by a :class:`VendorContract`: how to build a
client against a base URL, which multi-page listing to exercise and how to serve a page of N
records in the vendor's shape, what an error body looks like, a minimal valid agent record and
its required id field, and a chat body for ``get_chat``. The tests in this directory are
generic: they only talk to a contract and a :class:`ContractServer`.

A new adapter joins the suite by subclassing :class:`VendorContract` and adding an instance to
:data:`CONTRACTS`. A third-party adapter's own test suite can reuse it unchanged: copy (or
import) this directory, and override the ``contract`` fixture in a ``conftest.py`` of its own,
parametrized over instances of its own :class:`VendorContract` subclasses.

Payload provenance: every record template comes from ``tests/fixtures/<vendor>/`` (whose
README/SOURCES files trace each file to the vendor's published docs); the source file is named
next to each template below. Ids are rewritten so a page of N distinct records can be built.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiohttp import web

import chatapi
from chatapi import BaseClient

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(vendor: str, name: str) -> Any:
    """A JSON file of ``tests/fixtures/<vendor>/``."""
    return json.loads((FIXTURES / vendor / name).read_bytes())


def fixture_text(vendor: str, name: str) -> bytes:
    """A file of ``tests/fixtures/<vendor>/`` as bytes (error bodies are kept verbatim)."""
    return (FIXTURES / vendor / name).read_bytes()


#: The error statuses every adapter must map, and the class each one must become.
ERROR_CLASSES: Mapping[int, type[chatapi.APIStatusError]] = {
    400: chatapi.BadRequestError,
    401: chatapi.AuthenticationError,
    403: chatapi.PermissionDeniedError,
    404: chatapi.NotFoundError,
    409: chatapi.ConflictError,
    429: chatapi.RateLimitError,
    500: chatapi.ServerError,
    502: chatapi.ServerError,
    503: chatapi.ServerError,
}

_REASONS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
}


def reason(status: int) -> str:
    """A human message for ``status`` (used in constructed error bodies)."""
    return _REASONS[status]


# -- the local stand-in -----------------------------------------------------------------------


class Received:
    """One request the stand-in received (its query, form and JSON body already read)."""

    def __init__(
        self,
        request: web.Request,
        form: Mapping[str, str] | None,
        body: Any,
    ) -> None:
        self.method = request.method
        self.path = request.path
        self.query: Mapping[str, str] = dict(request.query)
        self.headers: Mapping[str, str] = dict(request.headers)
        self.form = form
        self.json = body


#: What the stand-in answers: (status, body bytes, headers).
Answer = tuple[int, bytes, Mapping[str, str]]
Responder = Callable[[Received], Answer]


def json_answer(payload: Any, status: int = 200, **headers: str) -> Answer:
    """A JSON answer."""
    return status, json.dumps(payload).encode(), {"Content-Type": "application/json", **headers}


class ContractServer:
    """An aiohttp server on 127.0.0.1 that answers every path with :attr:`responder`."""

    def __init__(self) -> None:
        self.url = ""
        self.requests: list[Received] = []
        self.responder: Responder = lambda _: json_answer({"unexpected": True}, 599)

    async def handle(self, request: web.Request) -> web.Response:
        form: Mapping[str, str] | None = None
        body: Any = None
        if request.content_type == "application/x-www-form-urlencoded":
            form = {k: str(v) for k, v in (await request.post()).items()}
        elif request.content_type == "application/json" and request.can_read_body:
            body = await request.json()
        received = Received(request, form, body)
        self.requests.append(received)
        status, data, headers = self.responder(received)
        return web.Response(status=status, body=data, headers=dict(headers))


@pytest.fixture
async def server() -> AsyncIterator[ContractServer]:
    """A running :class:`ContractServer`, stopped after the test."""
    stand_in = ContractServer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stand_in.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stand_in.url = f"http://127.0.0.1:{port}"
    try:
        yield stand_in
    finally:
        await runner.cleanup()


# -- the contract -----------------------------------------------------------------------------


class VendorContract:
    """What the generic tests need to know about one adapter (one vendor generation).

    Subclasses set the class attributes and implement the methods; nothing else is
    vendor-specific in the suite.

    Attributes:
        id: Test id, ``"<vendor>"`` or ``"<vendor>-<generation>"``.
        secrets: Strings that must never appear in a repr or an error (credentials and the
            header values built from them).
        list_operation: A listing operation that pages (the multi-page invariant).
        list_filters: Filters passed to it (a page size, when the adapter takes one).
        per_page: Records per page the adapter expects for ``list_filters``.
        until_empty: Whether the listing ends with an empty page (no total).
        list_id_field: The required id field of a :attr:`list_operation` record.
        agent_id_field: The required id field of an agent record.
        agent_enum_fields: Agent attribute -> the payload keys that carry its value.
        known_role: (payload key, documented value, the role it must map to).
        chat_id: The id ``get_chat`` is called with.
        known_bugs: Case name -> reason, for adapter bugs the suite has found and that are not
            fixed yet: the case runs as ``xfail(strict=True)`` for this adapter only.
    """

    id: ClassVar[str]
    secrets: ClassVar[tuple[str, ...]]
    list_operation: ClassVar[str]
    list_filters: ClassVar[Mapping[str, Any]] = {}
    per_page: ClassVar[int]
    until_empty: ClassVar[bool] = False
    list_id_field: ClassVar[str]
    agent_id_field: ClassVar[str]
    agent_enum_fields: ClassVar[Mapping[str, tuple[str, ...]]]
    known_role: ClassVar[tuple[str, Any, chatapi.AgentRole]]
    chat_id: ClassVar[str] = "1"
    known_bugs: ClassVar[Mapping[str, str]] = {}

    def expect_bug(self, request: pytest.FixtureRequest, case: str) -> None:
        """Mark the running test ``xfail(strict=True)`` when ``case`` is a known bug here."""
        reason = self.known_bugs.get(case)
        if reason is not None:
            request.applymarker(pytest.mark.xfail(strict=True, reason=reason))

    def client(self, base_url: str, **options: Any) -> BaseClient:
        """A client of this adapter whose API root is ``base_url``."""
        raise NotImplementedError

    # listing
    def list_record(self, index: int) -> dict[str, Any]:
        """A valid record of :attr:`list_operation` whose id is derived from ``index``."""
        raise NotImplementedError

    def record_id(self, record: Mapping[str, Any]) -> str:
        """The normalized id (``Model.id``) the adapter must give ``record``."""
        raise NotImplementedError

    def requested_page(self, request: Received) -> int:
        """The 1-based page number a listing request asks for."""
        raise NotImplementedError

    def page_body(self, records: list[dict[str, Any]], number: int, total: int) -> Any:
        """The body of page ``number`` holding ``records`` of a ``total``-record listing."""
        raise NotImplementedError

    # single records
    def agent_record(self) -> dict[str, Any]:
        """A minimal valid agent payload (from the vendor's docs)."""
        raise NotImplementedError

    def agent_body(self, record: Any) -> Any:
        """The body of a ``get_agent`` answer carrying ``record``."""
        return record

    def chat_body(self) -> Any:
        """The body of a ``get_chat`` answer."""
        raise NotImplementedError

    def chat_record(self, body: Any) -> dict[str, Any]:
        """The chat payload inside :meth:`chat_body` (to add unknown fields to)."""
        record: dict[str, Any] = body
        return record

    def set_author_kinds(self, body: Any, value: str) -> bool:
        """Set the author type of every message of :meth:`chat_body` to ``value``.

        Returns:
            False when the vendor's chat body carries no messages (nothing to set).
        """
        return False

    # errors
    def error_answer(self, status: int) -> tuple[bytes, str]:
        """An error body of ``status`` in the vendor's shape, and its content type."""
        raise NotImplementedError

    def vendor_code(self, status: int) -> str | None:
        """The ``vendor_code`` the error of :meth:`error_answer` must carry."""
        return None

    def envelope_error(self, status: int) -> Any:
        """A failure reported inside an HTTP 200 that stands for ``status``, or None when the
        vendor reports every failure with an HTTP status."""
        return None


def _b64(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


# -- LiveChat v2 -------------------------------------------------------------------------------


class LiveChatContract(VendorContract):
    id = "livechat"
    _login = "owner@example.com"
    _key = "lc-KEY-contract-s3cr3t"
    secrets = (_key, _b64(_login, _key))
    # agents() is one page on LiveChat: offline messages page (25 per page, with "pages").
    list_operation = "offline_messages"
    per_page = 25
    list_id_field = "id"
    agent_id_field = "login"
    agent_enum_fields: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "status": ("status",),
        "role": ("permission",),
    }
    known_role = ("permission", "owner", chatapi.AgentRole.OWNER)
    chat_id = "MH022RD0K5"

    def client(self, base_url: str, **options: Any) -> BaseClient:
        return chatapi.LiveChat(login=self._login, api_key=self._key, base_url=base_url, **options)

    def list_record(self, index: int) -> dict[str, Any]:
        # livechat/offline_messages_page.json (REST reference, offline messages list example).
        record: dict[str, Any] = copy.deepcopy(
            fixture("livechat", "offline_messages_page.json")["offline_messages"][0]
        )
        record["id"] = f"M{index:09d}"
        return record

    def record_id(self, record: Mapping[str, Any]) -> str:
        return str(record["id"])

    def requested_page(self, request: Received) -> int:
        return int(request.query.get("page", "1"))

    def page_body(self, records: list[dict[str, Any]], number: int, total: int) -> Any:
        pages = -(-total // self.per_page)
        return {"total": total, "pages": pages, "offline_messages": records}

    def agent_record(self) -> dict[str, Any]:
        # livechat/agents.json (REST reference, "List all agents" example).
        record: dict[str, Any] = fixture("livechat", "agents.json")[0]
        return record

    def chat_body(self) -> Any:
        # livechat/chat_rest_reference.json (REST reference, "Get single chat" example).
        return fixture("livechat", "chat_rest_reference.json")

    def set_author_kinds(self, body: Any, value: str) -> bool:
        for message in body["messages"]:
            message["user_type"] = value
        return True

    def error_answer(self, status: int) -> tuple[bytes, str]:
        # {"error": "..."}: what LiveChat's own PHP client reads (see
        # chatapi/vendors/livechat/_errors.py).
        return json.dumps({"error": reason(status)}).encode(), "application/json"


# -- REVE Chat ----------------------------------------------------------------------------------


class _ReveContract(VendorContract):
    list_operation = "agents"
    per_page = 5
    until_empty = True
    list_id_field = "agent_id"
    agent_id_field = "agent_id"
    agent_enum_fields: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "status": ("status",),
        "role": ("role",),
    }
    # "role": "Super Admin" / "Admin" (legacy agents example).
    known_role = ("role", "Admin", chatapi.AgentRole.ADMIN)
    chat_id = "90211"

    def list_record(self, index: int) -> dict[str, Any]:
        record = self.agent_record()
        record["agent_id"] = 1000 + index
        record["email"] = f"agent{index}@example.com"
        return record

    def record_id(self, record: Mapping[str, Any]) -> str:
        return str(record["agent_id"])

    def requested_page(self, request: Received) -> int:
        return int(request.query.get("page_no", "1"))

    def error_answer(self, status: int) -> tuple[bytes, str]:
        # Verbatim bodies of revechat-offline-messages.txt where the docs give one (see
        # tests/fixtures/revechat/README.md); the documented {"error": [{"code", "message"}]}
        # shape for the statuses the docs show no body for.
        verbatim = {
            400: "error_400_page_number.json",
            401: "error_401_bad_credentials.txt",
            403: "error_403_loose.txt",
            404: "error_404_offline_message.json",
        }
        if status in verbatim:
            return fixture_text("revechat", verbatim[status]), "application/json"
        body = {"error": [{"code": status, "message": reason(status)}]}
        return json.dumps(body).encode(), "application/json"

    def vendor_code(self, status: int) -> str | None:
        # The plain-text 401 ("Bad credentials") carries no code; the others carry the status.
        return None if status == 401 else str(status)


class ReveLegacyContract(_ReveContract):
    id = "revechat-legacy"
    _password = "reve-PASSWORD-s3cr3t"
    secrets = (_password, _b64("admin@example.com", _password))

    def client(self, base_url: str, **options: Any) -> BaseClient:
        return chatapi.ReveChat(
            email="admin@example.com", password=self._password, base_url=base_url, **options
        )

    def agent_record(self) -> dict[str, Any]:
        # revechat/agents_legacy.json (legacy "List all agents data" example).
        record: dict[str, Any] = fixture("revechat", "agents_legacy.json")[0]
        return record

    def page_body(self, records: list[dict[str, Any]], number: int, total: int) -> Any:
        return records  # legacy listings are bare arrays; an empty one ends the listing

    def chat_body(self) -> Any:
        # revechat/chats_legacy.json, first record (its README says how it was built).
        return fixture("revechat", "chats_legacy.json")[0]


class ReveCurrentContract(_ReveContract):
    id = "revechat-current"
    _auth_key = "reve-AUTHKEY-contract-s3cr3t"
    secrets = (_auth_key,)

    def client(self, base_url: str, **options: Any) -> BaseClient:
        return chatapi.ReveChat(
            auth_key=self._auth_key, account_id="8683034", base_url=base_url, **options
        )

    def agent_record(self) -> dict[str, Any]:
        # revechat/agents_current_envelope.json (current "List agents" envelope, 2025 page).
        record: dict[str, Any] = fixture("revechat", "agents_current_envelope.json")["body"][0]
        return record

    def agent_body(self, record: Any) -> Any:
        return {"status": "success", "message": "Agent found", "body": record}

    def page_body(self, records: list[dict[str, Any]], number: int, total: int) -> Any:
        return {"status": "success", "message": "Agents found", "body": records}

    def chat_body(self) -> Any:
        # revechat/chat_detail_current.json (constructed envelope around one chat).
        return fixture("revechat", "chat_detail_current.json")

    def chat_record(self, body: Any) -> dict[str, Any]:
        record: dict[str, Any] = body["body"]
        return record

    def envelope_error(self, status: int) -> Any:
        # The success envelope of revechat/agents_current_envelope.json with a failure status
        # (the failure shape itself is inferred, see chatapi/vendors/revechat/_errors.py).
        return {"status": "error", "message": reason(status), "code": status}


# -- Acquire ----------------------------------------------------------------------------------


class _AcquireContract(VendorContract):
    list_operation = "agents"
    list_filters: ClassVar[Mapping[str, Any]] = {"page_size": 5}
    per_page = 5
    list_id_field = "id"
    agent_id_field = "id"

    def record_id(self, record: Mapping[str, Any]) -> str:
        return str(record["id"])


class AcquireV1Contract(_AcquireContract):
    id = "acquire-v1"
    _token = "acq-v1-TOKEN-contract-s3cr3t"
    secrets = (_token,)
    agent_enum_fields: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "status": ("availability",),
        "role": ("role_name", "role"),
    }
    # "role_name": "Administrator" (agents-list.md).
    known_role = ("role_name", "Administrator", chatapi.AgentRole.ADMIN)

    def client(self, base_url: str, **options: Any) -> BaseClient:
        return chatapi.Acquire(token=self._token, base_url=base_url, **options)

    def agent_record(self) -> dict[str, Any]:
        # acquire/acquire_v1-account-agents_acquireio-developer.acquire.io.json (agents-list.md).
        name = "acquire_v1-account-agents_acquireio-developer.acquire.io.json"
        record: dict[str, Any] = fixture("acquire", name)["data"]["rows"][0]
        return record

    def agent_body(self, record: Any) -> Any:
        return {"success": True, "error": None, "data": record}

    def list_record(self, index: int) -> dict[str, Any]:
        record = self.agent_record()
        record["id"] = 20000 + index
        return record

    def requested_page(self, request: Received) -> int:
        # Agents list: JSON body {"page", "limit", "sort_by"} (agents-list.md).
        return int(request.json["page"])

    def page_body(self, records: list[dict[str, Any]], number: int, total: int) -> Any:
        data = {"rows": records, "count": total, "page": number, "limit": self.per_page}
        return {"success": True, "error": None, "data": data}

    def chat_body(self) -> Any:
        # acquire/acquire_v1-profile-lead-message_seed.json (Profile Message API page).
        return fixture("acquire", "acquire_v1-profile-lead-message_seed.json")

    def chat_record(self, body: Any) -> dict[str, Any]:
        record: dict[str, Any] = body["data"]["messages"][0]
        return record

    def set_author_kinds(self, body: Any, value: str) -> bool:
        for message in body["data"]["messages"]:
            message["sender_type"] = value
            message["user"]["type"] = value
        return True

    def error_answer(self, status: int) -> tuple[bytes, str]:
        # The v1 envelope with a failure: {"success": false, "error": "...", "data": null}
        # (Acquire documents no failure body: see chatapi/vendors/acquire/_errors.py).
        body = {"success": False, "error": reason(status), "data": None}
        return json.dumps(body).encode(), "application/json"

    def envelope_error(self, status: int) -> Any:
        # v1 reports failures inside HTTP 200 (chatapi/vendors/acquire/_errors.py); the README of
        # the v1 docs promises JSON:API errors, whose "status" names the HTTP status meant.
        return {
            "success": False,
            "errors": [{"status": str(status), "title": reason(status), "details": "contract"}],
            "data": None,
        }


_V2_CODES = {
    400: "ERROR_INVALID_INPUT",
    401: "ERROR_UNAUTHORIZED",
    403: "ERROR_UNAUTHORIZED_ACCESS",
    404: "ERROR_RECORD_NOT_FOUND",
    409: "ERROR_DUPLICATE_RECORD_FOUND",
    500: "ERROR_SERVER_ERROR",
    502: "ERROR_SERVER_ERROR",
    503: "ERROR_SERVER_ERROR",
}


class AcquireV2Contract(_AcquireContract):
    id = "acquire-v2"
    _api_key = "acq-v2-APIKEY-contract-s3cr3t"
    secrets = (_api_key,)
    agent_enum_fields: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "status": ("availability",),
        "role": ("role",),
    }
    # v2 documents no role values; "admin" is the role name the v1 docs use.
    known_role = ("role", "admin", chatapi.AgentRole.ADMIN)

    def client(self, base_url: str, **options: Any) -> BaseClient:
        return chatapi.Acquire(api_key=self._api_key, base_url=base_url, **options)

    def agent_record(self) -> dict[str, Any]:
        # acquire/acquire_v2-account-user-get_acquireio-developer.acquire.io.json (get-single.md).
        name = "acquire_v2-account-user-get_acquireio-developer.acquire.io.json"
        record: dict[str, Any] = fixture("acquire", name)["data"]
        return record

    def agent_body(self, record: Any) -> Any:
        return {"data": record}

    def list_record(self, index: int) -> dict[str, Any]:
        record = self.agent_record()
        record["id"] = 30000 + index
        return record

    def requested_page(self, request: Received) -> int:
        limit = int(request.query["limit"])
        return int(request.query.get("offset", "0")) // limit + 1

    def page_body(self, records: list[dict[str, Any]], number: int, total: int) -> Any:
        # {"data": {"count", "data": [...]}}
        # (tests/fixtures/acquire/acquire_v2-account-user-list_constructed.json).
        offset = (number - 1) * self.per_page
        data = {"count": total, "offset": offset, "limit": self.per_page, "data": records}
        return {"data": data}

    def chat_body(self) -> Any:
        # Constructed: the first case of acquire_v2-case-list_acquireio-developer.acquire.io.json
        # (list.md) with the messages of acquire_v2-webhook-case-status_acquireio-developer
        # .acquire.io.json as its "messages" relation, as GET /crm/objects/case/{id} answers.
        case = fixture("acquire", "acquire_v2-case-list_acquireio-developer.acquire.io.json")
        hook = fixture(
            "acquire", "acquire_v2-webhook-case-status_acquireio-developer.acquire.io.json"
        )
        return {"data": {**case["data"]["data"][0], "messages": hook["data"]["messages"]}}

    def chat_record(self, body: Any) -> dict[str, Any]:
        record: dict[str, Any] = body["data"]
        return record

    def set_author_kinds(self, body: Any, value: str) -> bool:
        for message in body["data"]["messages"]:
            message["senderType"] = value
        return True

    def error_answer(self, status: int) -> tuple[bytes, str]:
        # v2 type codes (interrelated.md, 2.0.0 branch) in an {"error": {"type", "message"}}
        # object; 429 has no documented code, so only a message.
        error: dict[str, str] = {"message": reason(status)}
        if status in _V2_CODES:
            error["type"] = _V2_CODES[status]
        return json.dumps({"error": error}).encode(), "application/json"

    def vendor_code(self, status: int) -> str | None:
        return _V2_CODES.get(status)


#: Every adapter the suite runs against.
CONTRACTS: tuple[VendorContract, ...] = (
    LiveChatContract(),
    ReveLegacyContract(),
    ReveCurrentContract(),
    AcquireV1Contract(),
    AcquireV2Contract(),
)


@pytest.fixture(params=CONTRACTS, ids=[c.id for c in CONTRACTS])
def contract(request: pytest.FixtureRequest) -> VendorContract:
    """Each adapter's contract in turn."""
    found: VendorContract = request.param
    return found


@pytest.fixture
async def make_client(
    contract: VendorContract, server: ContractServer
) -> AsyncIterator[Callable[..., BaseClient]]:
    """Build clients of ``contract`` against ``server`` (no sleeping retries); all closed."""
    clients: list[BaseClient] = []

    def build(**options: Any) -> BaseClient:
        options.setdefault("retry_policy", chatapi.RetryPolicy.no_wait(max_retries=0))
        client = contract.client(server.url, **options)
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.close()
