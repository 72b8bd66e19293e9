"""A fake Acquire (acquire.io) API, both generations (https://developer.acquire.io/ and the
samples under ``tests/fixtures/acquire/``).

``v1`` (``https://app.acquire.io/api``; the sandbox's base URL ends in ``/api``): every read
is a ``POST`` with a form (or JSON) body and ``Authorization: Bearer <token>``; answers are
``{"success": true, "error": null, "data": ...}``. Endpoints: ``/profile/lead/list``
(profiles = visitors, ``limit``/``page``/``filter[master]``, ``total``),
``/profile/lead/detail``, ``/profile/message/thread`` (a visitor's threads: one per chat, and
one with ``offline_chat: 1`` per offline message), ``/profile/lead/message`` (a thread's
messages; ``last_chat_id`` picks the chat), ``/account/agents`` (JSON ``page``/``limit``,
``rows``/``count``) and ``/account/agents/edit``. Failures: ``{"success": false, "error":
"...", "data": null}`` with HTTP 200 (bad input, unknown record), HTTP 401 for a bad token.

``v2`` (``https://{account}.acquire.io/api/v1``; base URL ends in ``/api/v1``): REST ``GET``
with ``Authorization: Bearer <api key>``; answers ``{"data": ...}``. Endpoints:
``/crm/objects/case`` (``offset``/``limit``, ``where=field|eq|value``, ``select``,
``relations``; ``{"page", "offset", "limit", "count", "data"}``), ``/crm/objects/case/<id>``,
``/crm/objects/case-message`` (``where=caseId|eq|N``) and ``/crm/objects/case-message/<id>``,
``/account/user`` (``{"count", "data"}``), ``/account/user/<id>``, ``/crm/objects/contact``
(``{"list", "counts"}``), ``/crm/objects/contact/<id>``. Errors (body shape undocumented,
chosen here): ``{"error": {"type": "ERROR_...", "message": "..."}}`` with the documented
status (``ERROR_UNAUTHORIZED`` 401, ``ERROR_INVALID_INPUT`` and ``ERROR_RECORD_NOT_FOUND``
400, ``ERROR_SERVER_ERROR`` 500).

Naive v1 times are UTC. Acquire documents no rate limit; a configured one answers 429 with
Retry-After in the generation's error shape.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from ._acquire_v1_writes import AcquireV1Writes, Refused
from ._acquire_v2_writes import CASE_BASE, AcquireV2Store, Invalid
from ._app import VendorApp, json_bytes, json_response
from .data import GROUPS, Dataset

if TYPE_CHECKING:
    from ._live import Live, Outgoing

__all__ = ["AcquireApp"]

_V1_AGENT_ID, _V1_USER_ID = 14_700, 15_000
_V1_PROFILE_ID, _V1_VISITOR_ID = 3_000, 500
_V1_CHAT_ID, _V1_THREAD_ID = 1_800, 400
_V1_OFFLINE_CHAT_ID, _V1_OFFLINE_THREAD_ID = 900_000, 700_000
_V1_ACCOUNT = 10_719
_V2_STATUS_TYPES = {
    400: "ERROR_INVALID_INPUT",
    401: "ERROR_UNAUTHORIZED",
    403: "ERROR_UNAUTHORIZED_ACCESS",
    404: "ERROR_RECORD_NOT_FOUND",
    429: "ERROR_TOO_MANY_REQUESTS",
    500: "ERROR_SERVER_ERROR",
}


def _naive(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class _Problem(Exception):
    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


class AcquireApp(VendorApp):
    """The fake Acquire server (see the module docstring)."""

    vendor: ClassVar[str] = "acquire"
    generations: ClassVar[tuple[str, ...]] = ("v1", "v2")

    def __init__(self, dataset: Dataset, faults: Any, generation: str | None = None) -> None:
        seed = dataset.config.seed
        self.token = f"acq-sandbox-token-{seed:x}"
        self.api_key = f"acq_sandbox_key_{seed:x}"
        self.account_id = f"sandbox{seed}"
        self._by_visitor: tuple[int, list[list[int]], list[list[int]]] | None = None
        # v2 writes (users, contacts, cases, departments, tags, shortcuts): made in setup_routes.
        self.v2_store: AcquireV2Store | None = None
        #: v1 writes and what they changed (:mod:`chatapi.sandbox._acquire_v1_writes`).
        self.v1_writes = AcquireV1Writes(self, dataset)
        super().__init__(dataset, faults, generation)

    @property
    def prefix(self) -> str:
        """The path the vendor's API root maps to (``/api`` or ``/api/v1``)."""
        return "/api" if self.generation == "v1" else "/api/v1"

    def setup_routes(self, router: web.UrlDispatcher) -> None:
        """The endpoints of the generation served."""
        p = self.prefix
        if self.generation == "v1":
            for path, handler in (
                ("/profile/lead/list", self.v1_profiles),
                ("/profile/lead/detail", self.v1_profile_detail),
                ("/profile/message/thread", self.v1_threads),
                ("/profile/lead/message", self.v1_messages),
                ("/account/agents", self.v1_agents),
                ("/account/agents/edit", self.v1_agent),
            ):
                router.add_post(p + path, handler)
            self.v1_writes.add_routes(router, p)
            return
        router.add_get(p + "/crm/objects/case", self.v2_cases)
        router.add_get(p + "/crm/objects/case/{item_id}", self.v2_case)
        router.add_get(p + "/crm/objects/case-message", self.v2_case_messages)
        router.add_get(p + "/crm/objects/case-message/{item_id}", self.v2_case_message)
        router.add_get(p + "/account/user", self.v2_users)
        router.add_get(p + "/account/user/{item_id}", self.v2_user)
        router.add_get(p + "/crm/objects/contact", self.v2_contacts)
        router.add_get(p + "/crm/objects/contact/{item_id}", self.v2_contact)
        self.v2_store = AcquireV2Store(self)
        self.v2_store.add_routes(router, p)

    @property
    def _store(self) -> AcquireV2Store:
        assert self.v2_store is not None, "v2 only"
        return self.v2_store

    def credentials(self, base_url: str) -> dict[str, Any]:
        """``token`` (v1) or ``api_key`` + ``account_id`` (v2), with ``base_url``."""
        root = base_url + self.prefix
        if self.generation == "v1":
            return {"token": self.token, "base_url": root}
        return {"api_key": self.api_key, "account_id": self.account_id, "base_url": root}

    # -- live mode --------------------------------------------------------------------------

    def check_live(self, live: Live) -> None:
        """v1 signs nothing: a ``webhook_key`` is an error there."""
        if self.generation == "v1" and live.webhook_key is not None:
            raise ValueError("Acquire v1 webhooks are not signed: no webhook key")

    def live_events(self, index: int) -> list[list[Outgoing]]:
        """The webhook POSTs to ``live.webhook_url`` (see
        :mod:`chatapi.sandbox._acquire_webhooks`)."""
        from ._acquire_webhooks import live_events

        if self.live is None:
            return []
        return live_events(self, self.live, index)

    def live_info(self, base_url: str) -> list[str]:
        """Where webhooks go and how they are signed."""
        live = self.live
        if live is None or live.webhook_url is None:
            return ["live: no webhook URL configured (--webhook-url): chats arrive, no webhooks"]
        if self.generation == "v1":
            how = "CHAT_ON_START / CHAT_ON_CLOSE, unsigned"
        elif live.webhook_key is not None:
            how = "case:new / case:status, signed (x-acquire-signature: hex HMAC-SHA256)"
        else:
            how = "case:new / case:status, unsigned (no --webhook-key)"
        return [f"live: webhooks -> {live.webhook_url} ({how})"]

    def error_response(self, status: int, message: str) -> web.Response:
        """v1: the ``success: false`` envelope; v2: ``{"error": {"type", "message"}}``."""
        if self.generation == "v1":
            return json_response({"success": False, "error": message, "data": None}, status=status)
        kind = _V2_STATUS_TYPES.get(status, "ERROR_SERVER_ERROR")
        return json_response({"error": {"type": kind, "message": message}}, status=status)

    def _fail(self, message: str, status: int = 200) -> _Problem:
        if self.generation == "v1":
            # v1 reports failures inside an HTTP 200 (the {success, error, data} envelope of
            # https://developer.acquire.io/).
            body = {"success": False, "error": message, "data": None}
            return _Problem(json_response(body, status=status))
        return _Problem(self.error_response(status, message))

    def _auth(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        expected = self.token if self.generation == "v1" else self.api_key
        if header != f"Bearer {expected}":
            raise _Problem(
                self.error_response(
                    401,
                    "Unauthorized: invalid API token"
                    if self.generation == "v1"
                    else "Unauthorized: invalid or missing API key",
                )
            )

    @staticmethod
    def _ok(data: Any) -> web.Response:
        return json_response(body=json_bytes({"success": True, "error": None, "data": data}))

    # -- v1 inputs --------------------------------------------------------------------------

    async def _v1_form(self, request: web.Request) -> Mapping[str, str]:
        self._auth(request)
        if request.content_type == "application/json":
            try:
                body = json.loads(await request.text() or "{}")
            except ValueError:
                raise self._fail("Invalid JSON body") from None
            if not isinstance(body, dict):
                raise self._fail("Invalid JSON body")
            return {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
        form = await request.post()
        return {k: v for k, v in form.items() if isinstance(v, str)}

    def _int(self, form: Mapping[str, str], name: str, default: int | None = None) -> int:
        raw = form.get(name)
        if raw is None or raw == "":
            if default is None:
                raise self._fail(f"{name} is required")
            return default
        try:
            return int(raw)
        except ValueError:
            raise self._fail(f"{name} must be a number") from None

    def _per_visitor(self) -> tuple[list[list[int]], list[list[int]]]:
        data = self.dataset
        if self._by_visitor is None or self._by_visitor[0] != data.chat_count:
            chats: list[list[int]] = [[] for _ in range(data.visitor_count)]
            for i in data.chat_ids():
                chats[data.chat_visitor[i]].append(i)
            offline: list[list[int]] = [[] for _ in range(data.visitor_count)]
            for i in range(data.offline_count):
                offline[data.offline_visitor[i]].append(i)
            self._by_visitor = (data.chat_count, chats, offline)
        return self._by_visitor[1], self._by_visitor[2]

    def _profiles(self, master: str | None) -> Sequence[int]:
        if master != "chathistory":
            return range(self.dataset.visitor_count)
        chats, offline = self._per_visitor()
        return [v for v in range(self.dataset.visitor_count) if chats[v] or offline[v]]

    # -- v1 handlers ------------------------------------------------------------------------

    async def v1_profiles(self, request: web.Request) -> web.Response:
        """``POST /api/profile/lead/list``."""
        try:
            form = await self._v1_form(request)
            limit = self._int(form, "limit", 10)
            page = self._int(form, "page", 1)
            if limit < 1 or page < 1:
                raise self._fail("page and limit must be positive")
        except _Problem as problem:
            return problem.response
        master = form.get("filter[master]")
        self.listing_requested()

        def render() -> bytes:
            total, rows = self.v1_writes.profile_page(self._profiles(master), master, page, limit)
            data = {
                "total": total,
                "data": rows,
                "main_query_time": 0.012,
                "chat_user_query_time": 0.003,
                "notify_query_time": 0.001,
                "tag_query_time": 0.001,
                "overall_time": 0.019,
            }
            return json_bytes({"success": True, "error": None, "data": data})

        key = ("v1profiles", master, limit, page, self.dataset.chat_count)
        return json_response(body=self.cache.get(key, render))

    def v1_profile_row(self, index: int) -> dict[str, Any]:
        """A ``/profile/lead/list`` row."""
        data = self.dataset
        visitor = data.visitor(index)
        chats, _ = self._per_visitor()
        last = chats[index][-1] if chats[index] else None
        last_chat = data.chat(last) if last is not None else None
        browser, version, os_name, os_version, _ = visitor.browser
        seen = last_chat.ended if last_chat else visitor.first_visit
        return {
            "id": _V1_PROFILE_ID + index,
            "session_id": f"{visitor.token}{index:06d}",
            "checked_status": 0,
            "visitor_id": _V1_VISITOR_ID + index,
            "source": "web",
            "name": visitor.name,
            "email": visitor.email,
            "visitor_phone": visitor.phone,
            "location_full_name": f"{visitor.city}, {visitor.country}",
            "ip": visitor.ip,
            "country_name": visitor.country,
            "timezone": visitor.timezone,
            "country_code": visitor.country_code,
            "date_updated": _naive(seen),
            "city": visitor.city,
            "browser_language": "en-US",
            "conversion": 0,
            "first_seen": _naive(visitor.first_visit),
            "last_seen": _naive(seen),
            "lead_id": 0,
            "chat_id": _V1_CHAT_ID + last if last is not None else None,
            "recording_available": None,
            "rating": None,
            "chat_updated": _naive(last_chat.ended) if last_chat else None,
            "chat_created": _naive(last_chat.started) if last_chat else None,
            "chat_date_created": _naive(last_chat.started) if last_chat else None,
            "chat_date_updated": _naive(last_chat.ended) if last_chat else None,
            "ua": f"Mozilla/5.0 ({os_name} {os_version}) {browser}/{version}",
            "browser_name": browser,
            "browser_version": version,
            "os_name": os_name,
            "os_version": os_version,
            "tags": "",
            "agent_name": (
                data.agents[last_chat.agent].name
                if last_chat and last_chat.agent is not None
                else None
            ),
            "bg_color": "#4a90d9",
        }

    async def v1_profile_detail(self, request: web.Request) -> web.Response:
        """``POST /api/profile/lead/detail``."""
        try:
            form = await self._v1_form(request)
            added = self.v1_writes.profile_detail(self._int(form, "id"))
            index = self._int(form, "id") - _V1_PROFILE_ID
        except _Problem as problem:
            return problem.response
        except Refused as refused:
            return self._fail(str(refused)).response
        if added is not None:
            return self._ok(added)
        visitor = self.dataset.visitor(index)
        chats, _ = self._per_visitor()
        first = dt.datetime.fromtimestamp(visitor.first_visit, dt.timezone.utc)
        browser, version, os_name, os_version, _ = visitor.browser
        return self._ok(
            self.v1_writes.patch_detail(
                {
                    "id": _V1_PROFILE_ID + index,
                    "visitor_id": _V1_VISITOR_ID + index,
                    "chatid": _V1_CHAT_ID + chats[index][-1] if chats[index] else None,
                    "visitor_name": visitor.name,
                    "visitor_email": visitor.email,
                    "visitor_phone": visitor.phone,
                    "visitor_remarks": "",
                    "visitor_address": "",
                    "company_name": "",
                    "lead_id": 0,
                    "date_created": _naive(visitor.first_visit),
                    # DD-MM-YYYY 12-hour, as in the doc example.
                    "first_visit": first.strftime("%d-%m-%Y %I:%M:%S %p"),
                    "ip": visitor.ip,
                    "browser_name": browser,
                    "browser_version": version,
                    "os_name": os_name,
                    "os_version": os_version,
                    "device_name": "desktop",
                    "page_views": len(chats[index]) * 3 + 1,
                    "crm_record_id": None,
                    "total_visit": len(chats[index]) + 1,
                    "last_visit": _naive(visitor.first_visit),
                    "total_chat": len(chats[index]),
                    "ua": f"Mozilla/5.0 ({os_name} {os_version}) {browser}/{version}",
                    "country": visitor.country,
                    "country_code": visitor.country_code,
                    "tags": [],
                    "tags_name": [],
                    "meta_fields": [],
                    "followers": [],
                    "custom_fields_value": [],
                    "fields": {},
                    "custom_fields": [],
                }
            )
        )

    def _threads_of(self, visitor: int) -> list[dict[str, Any]]:
        chats, offline = self._per_visitor()
        rows = [self.v1_thread(i) for i in chats[visitor]]
        rows += [self.v1_offline_thread(i) for i in offline[visitor]]
        return rows

    async def v1_threads(self, request: web.Request) -> web.Response:
        """``POST /api/profile/message/thread``: one visitor's threads, newest first."""
        try:
            form = await self._v1_form(request)
            visitor = self._int(form, "visitor_id") - _V1_VISITOR_ID
            limit = self._int(form, "limit", 20)
            page = self._int(form, "page", 1)
            if limit < 1 or page < 1:
                raise self._fail("page and limit must be positive")
            if not 0 <= visitor < self.dataset.visitor_count:
                raise self._fail("No record found")
        except _Problem as problem:
            return problem.response
        threads = self._threads_of(visitor)
        threads.sort(key=lambda t: t["thread_id"], reverse=True)
        chunk = threads[(page - 1) * limit : page * limit]
        return self._ok({"messages": chunk, "overall_threads_time": 0.042, "activity": []})

    def v1_thread(self, index: int) -> dict[str, Any]:
        """The thread row of chat ``index``."""
        data = self.dataset
        chat = data.chat(index)
        agent = data.agents[chat.agent] if chat.agent is not None else None
        rating = {"not_rated": None, "rated_good": 5, "rated_bad": 1}[chat.rating]
        return {
            "chat_id": _V1_CHAT_ID + index,
            "thread_id": _V1_THREAD_ID + index,
            "visitor_id": _V1_VISITOR_ID + chat.visitor,
            "thread_status": "closed",
            "chat_updated": _naive(chat.ended),
            "chat_created": _naive(chat.started),
            "count_chat": 1,
            "chat_ids": str(_V1_CHAT_ID + index),
            "users": f"agent-{_V1_USER_ID + agent.index}" if agent else "",
            "user_id": str(_V1_USER_ID + agent.index) if agent else "",
            "agents": agent.first_name if agent else "",
            "agent_imgs": [f"pp{_V1_USER_ID + agent.index}.png"] if agent else [],
            "recording_available": None,
            "chat_duration": chat.ended - chat.started,
            "chat_wait_time": 2 + index % 30,
            "feedback_rating": rating,
            "rating": [str(rating)] if rating is not None else None,
            "rating_time": [_naive(chat.ended)],
            "feedback_message": "" if rating is not None else None,
            "message": chat.messages[-1].text if chat.messages else "",
            "message_date": _naive(chat.messages[-1].timestamp) if chat.messages else None,
            "unseen_count": 0,
            "cobrowse_recording": "no",
            "offline_chat": 0,
            "recording_available_ids": None,
            "cobrowse_recording_ids": None,
            "encrypt_key": [],
        }

    def v1_offline_thread(self, index: int) -> dict[str, Any]:
        """The thread row of offline message ``index`` (``offline_chat: 1``)."""
        message = self.dataset.offline_message(index)
        last = message.replies[-1] if message.replies else None
        return {
            "chat_id": _V1_OFFLINE_CHAT_ID + index,
            "thread_id": _V1_OFFLINE_THREAD_ID + index,
            "visitor_id": _V1_VISITOR_ID + message.visitor,
            "thread_status": "open" if message.unread else "closed",
            "chat_updated": _naive(last.timestamp if last else message.timestamp),
            "chat_created": _naive(message.timestamp),
            "count_chat": 1,
            "chat_ids": str(_V1_OFFLINE_CHAT_ID + index),
            "users": "",
            "user_id": "",
            "agents": "",
            "agent_imgs": [],
            "recording_available": None,
            "chat_duration": 0,
            "chat_wait_time": 0,
            "feedback_rating": None,
            "rating": None,
            "rating_time": [],
            "feedback_message": None,
            "message": last.text if last else message.text,
            "message_date": _naive(last.timestamp if last else message.timestamp),
            "unseen_count": 1 if message.unread else 0,
            "cobrowse_recording": "no",
            "offline_chat": 1,
            "recording_available_ids": None,
            "cobrowse_recording_ids": None,
            "encrypt_key": [],
        }

    async def v1_messages(self, request: web.Request) -> web.Response:
        """``POST /api/profile/lead/message``: the messages of a thread's chat."""
        try:
            form = await self._v1_form(request)
            thread = self._int(form, "thread_id")
        except _Problem as problem:
            return problem.response
        data = self.dataset
        if 0 <= thread - _V1_OFFLINE_THREAD_ID < data.offline_count:
            rows = self.v1_offline_rows(thread - _V1_OFFLINE_THREAD_ID)
        elif 0 <= thread - _V1_THREAD_ID < data.chat_count:
            rows = self.v1_message_rows(thread - _V1_THREAD_ID)
        else:
            # An unknown thread has no messages (the API answers with an empty list).
            rows = []
        return self._ok({"messages": rows, "co_browse": [], "recording": [], "query_seen": 0})

    def _message_row(
        self,
        *,
        message_id: int,
        chat_id: int,
        visitor: int,
        agent: int | None,
        text: str,
        ts: int,
        offline: int,
        missed: int,
        subject: str | None = None,
    ) -> dict[str, Any]:
        data = self.dataset
        person = data.visitor(visitor)
        staff = data.agents[agent] if agent is not None else None
        sender = "agent" if staff else "visitor"
        return {
            "id": message_id,
            "chat_id": chat_id,
            "account_id": _V1_ACCOUNT,
            "sender_type": sender,
            "sender_id": _V1_USER_ID + staff.index if staff else _V1_VISITOR_ID + visitor,
            "type": "message",
            "message": text,
            "date_created": _naive(ts),
            "seen": "seen",
            "email_from": person.email if offline and not staff else None,
            "from": None,
            "to": None,
            "subject": subject,
            "body": None,
            "cm_type": None,
            "message_date": None,
            "first_name": staff.name if staff else None,
            "last_name": "" if staff else None,
            "photo": f"pp{_V1_USER_ID + staff.index}.png" if staff else None,
            "vd_name": person.name,
            "vd_id": _V1_VISITOR_ID + visitor,
            "bot_name": None,
            "bot_icon": None,
            "parent_bot_name": None,
            "parent_bot_icon": None,
            "offline_chat": offline,
            "user": {
                "id": None,
                "type": sender,
                "name": staff.name if staff else person.name,
                "photo": f"pp{_V1_USER_ID + staff.index}.png" if staff else None,
            },
            "missed_chat": missed,
        }

    def v1_message_rows(self, index: int) -> list[dict[str, Any]]:
        """The ``/profile/lead/message`` rows of chat ``index``."""
        chat = self.dataset.chat(index)
        return [
            self._message_row(
                message_id=(_V1_CHAT_ID + index) * 100 + m.index,
                chat_id=_V1_CHAT_ID + index,
                visitor=chat.visitor,
                agent=m.agent,
                text=m.text,
                ts=m.timestamp,
                offline=0,
                missed=int(chat.missed),
            )
            for m in chat.messages
        ]

    def v1_offline_rows(self, index: int) -> list[dict[str, Any]]:
        """The ``/profile/lead/message`` rows of offline message ``index`` (and replies)."""
        message = self.dataset.offline_message(index)
        chat_id = _V1_OFFLINE_CHAT_ID + index
        rows = [
            self._message_row(
                message_id=chat_id * 100,
                chat_id=chat_id,
                visitor=message.visitor,
                agent=None,
                text=message.text,
                ts=message.timestamp,
                offline=1,
                missed=0,
                subject=message.subject,
            )
        ]
        for n, reply in enumerate(message.replies, start=1):
            rows.append(
                self._message_row(
                    message_id=chat_id * 100 + n,
                    chat_id=chat_id,
                    visitor=message.visitor,
                    agent=reply.agent,
                    text=reply.text,
                    ts=reply.timestamp,
                    offline=1,
                    missed=0,
                )
            )
        return rows

    async def v1_agents(self, request: web.Request) -> web.Response:
        """``POST /api/account/agents`` (JSON ``page``/``limit``)."""
        try:
            form = await self._v1_form(request)
            page = self._int(form, "page", 1)
            limit = self._int(form, "limit", 25)
            if page < 1 or limit < 1:
                raise self._fail("page and limit must be positive")
        except _Problem as problem:
            return problem.response
        count, rows = self.v1_writes.agent_page(page, limit)
        return self._ok({"rows": rows, "count": count, "page": page, "limit": limit})

    def v1_agent_row(self, index: int) -> dict[str, Any]:
        """A ``/account/agents`` row."""
        agent = self.dataset.agents[index]
        admin = agent.role != "normal"
        group = agent.group_ids[-1]
        return {
            "id": _V1_AGENT_ID + index,
            "user_id": _V1_USER_ID + index,
            "account_id": _V1_ACCOUNT,
            "user_name": agent.name,
            "user_email": agent.email,
            "allowed_ip": "",
            "role": 1 if admin else 2,
            "role_name": "Administrator" if admin else "Operator",
            "role_status": "active",
            "user_status": "active" if agent.status != "offline" else "disable",
            "secret_key": f"sk_sandbox_{index:04d}",
            "user_type": "Agent",
            "department_id": group or None,
            "department_name": GROUPS[group][1] if group else None,
        }

    async def v1_agent(self, request: web.Request) -> web.Response:
        """``POST /api/account/agents/edit``."""
        try:
            form = await self._v1_form(request)
            index = self._int(form, "id") - _V1_AGENT_ID
            if not 0 <= index < len(self.dataset.agents):
                # One the API added (or none: "No record found").
                return self._ok(self.v1_writes.agent_detail(index + _V1_AGENT_ID, None))
        except _Problem as problem:
            return problem.response
        except Refused as refused:
            return self._fail(str(refused)).response
        agent = self.dataset.agents[index]
        admin = agent.role != "normal"
        # The doc's example has "role" twice (1, then "Administrator"); JSON keeps the last.
        return self._ok(
            self.v1_writes.agent_detail(
                _V1_AGENT_ID + index,
                {
                    "id": _V1_AGENT_ID + index,
                    "name": agent.name,
                    "email": agent.email,
                    "status": "active" if agent.status != "offline" else "disable",
                    "allowed_ip": "",
                    "userId": _V1_USER_ID + index,
                    "accountId": _V1_ACCOUNT,
                    "department": GROUPS[agent.group_ids[-1]][1],
                    "role": "Administrator" if admin else "Operator",
                },
            )
        )

    def expected_v1_threads(self) -> list[dict[str, Any]]:
        """Every chat thread (not offline ones), in chat order (oldest first)."""
        return [self.v1_thread(i) for i in self.dataset.chat_ids()]

    # -- v2 ---------------------------------------------------------------------------------

    def _v2_paging(self, request: web.Request) -> tuple[int, int]:
        query = request.query
        try:
            limit = int(query.get("limit", "25"))
            offset = int(query.get("offset", "0"))
        except ValueError:
            raise self._fail("limit and offset must be numbers", 400) from None
        if limit < 1 or offset < 0:
            raise self._fail("limit must be positive and offset not negative", 400)
        return limit, offset

    def _v2_where(self, request: web.Request) -> list[tuple[str, str]]:
        conditions = []
        for raw in request.query.getall("where", ()):
            parts = raw.split("|")
            if len(parts) != 3 or parts[1] != "eq":
                raise self._fail(f"unsupported where condition {raw!r}", 400)
            conditions.append((parts[0], parts[2]))
        return conditions

    @staticmethod
    def _select(request: web.Request, record: dict[str, Any]) -> dict[str, Any]:
        fields = [f for raw in request.query.getall("select", ()) for f in raw.split("|") if f]
        if not fields:
            return record
        return {k: v for k, v in record.items() if k in fields}

    def _v2_guard(self, request: web.Request, handler: Callable[[], web.Response]) -> web.Response:
        try:
            self._auth(request)
            return handler()
        except _Problem as problem:
            return problem.response

    def _not_found(self, raw: str) -> web.Response:
        # Documented as HTTP 400 with this type (https://developer.acquire.io/v/2.0.0/rest-apis/introduction/interrelated).
        body = {"error": {"type": "ERROR_RECORD_NOT_FOUND", "message": f"No record found: {raw}"}}
        return json_response(body, status=400)

    def _v2_item(self, request: web.Request, count: int, base: int = 1) -> int:
        raw = request.match_info["item_id"]
        if not raw.isdigit():
            raise self._fail(f"invalid id {raw!r}", 400)
        index = int(raw) - base
        if not 0 <= index < count:
            raise _Problem(self._not_found(raw))
        return index

    async def v2_cases(self, request: web.Request) -> web.Response:
        """``GET /api/v1/crm/objects/case``."""

        def run() -> web.Response:
            limit, offset = self._v2_paging(request)
            where = self._v2_where(request)
            relations = set(request.query.get("relations", "").split("|")) - {""}
            self.listing_requested()
            data = self.dataset
            ids: Sequence[int] = data.chat_ids()
            if where:
                ids = [i for i in ids if self._case_matches(i, where)]
            # Cases made through the API come after the seeded ones (ids from CASE_BASE).
            store = self._store
            made = [
                c for c in store.cases if all(store.case_summary(c).get(f) == v for f, v in where)
            ]
            keys: Sequence[int] = [*ids, *(c - 1 for c in made)] if made else ids
            chunk = keys[offset : offset + limit]
            rows = [self._select(request, self.v2_case_payload(i, relations)) for i in chunk]
            body = {
                "page": offset // limit,
                "offset": offset,
                "limit": limit,
                "count": len(keys),
                "data": rows,
            }
            return json_response({"data": body})

        return self._v2_guard(request, run)

    def _case_matches(self, index: int, where: list[tuple[str, str]]) -> bool:
        data = self.dataset
        summary = {
            "id": str(index + 1),
            "status": "closed",
            "channel": "chat",
            "contactId": str(data.chat_visitor[index] + 1),
            "userId": "" if data.chat_missed[index] else str(data.chat_agent[index] + 1),
            "closingState": "missed" if data.chat_missed[index] else "handled",
        }
        return all(summary.get(field) == value for field, value in where)

    async def v2_case(self, request: web.Request) -> web.Response:
        """``GET /api/v1/crm/objects/case/<id>``."""

        def run() -> web.Response:
            raw = request.match_info["item_id"]
            if raw.isdigit() and int(raw) in self._store.cases:
                index = int(raw) - 1
            else:
                index = self._v2_item(request, self.dataset.chat_count)
            relations = set(request.query.get("relations", "").split("|")) - {""}
            record = self.v2_case_payload(index, relations)
            return json_response({"data": self._select(request, record)})

        return self._v2_guard(request, run)

    def v2_case_payload(self, index: int, relations: set[str]) -> dict[str, Any]:
        """A case (chat ``index``) with the requested relations (contact, users, messages)."""
        if index + 1 >= CASE_BASE:
            return self._store.case(index + 1, relations)
        data = self.dataset
        chat = data.chat(index)
        case_id = index + 1
        record: dict[str, Any] = {
            "id": case_id,
            "title": f"{chat.topic.capitalize()} question",
            "description": "",
            "channel": "chat",
            "status": "closed",
            "threadId": case_id,
            "closingState": "missed" if chat.missed else "handled",
            "dateQueue": _iso(chat.started),
            "datePending": _iso(chat.started),
            "dateActive": None if chat.missed else _iso(chat.started + 4),
            "dateClosed": _iso(chat.ended),
            "userId": chat.agent + 1 if chat.agent is not None else None,
            "waitTime": 0 if chat.missed else 4,
            "contactId": chat.visitor + 1,
            "dateCreated": _iso(chat.started),
            "dateUpdated": _iso(chat.ended),
        }
        if "contact" in relations:
            record["contact"] = self.v2_contact_payload(chat.visitor, brief=True)
        if "users" in relations:
            record["users"] = (
                [
                    {
                        "id": case_id * 10,
                        "caseId": case_id,
                        "type": "user",
                        "userId": chat.agent + 1,
                        "role": "owner",
                        "status": "closed",
                        "dateCreated": _iso(chat.started + 4),
                        "dateLastAssigned": _iso(chat.started + 4),
                        "closed": "yes",
                        "meta": {},
                        "user": self._sender(chat.agent),
                    }
                ]
                if chat.agent is not None
                else []
            )
        if "messages" in relations:
            record["messages"] = [self.v2_message_payload(index, m.index) for m in chat.messages]
        return record

    def _sender(self, agent: int) -> dict[str, Any]:
        spec = self.dataset.agents[agent]
        return {
            "roles": [],
            "id": agent + 1,
            "name": spec.name,
            "firstName": spec.first_name,
            "lastName": spec.last_name,
            "photo": "",
            "email": spec.email,
            "clientId": "",
            "parentId": 0,
            "type": "user",
            "accessLevel": None,
        }

    def v2_message_payload(self, chat_index: int, position: int) -> dict[str, Any]:
        """Message ``position`` of chat ``chat_index`` as a case-message object."""
        chat = self.dataset.chat(chat_index)
        message = chat.messages[position]
        visitor = self.dataset.visitor(chat.visitor)
        if message.agent is not None:
            sender: dict[str, Any] = self._sender(message.agent)
            sender_id, sender_type = message.agent + 1, "user"
        else:
            sender_id, sender_type = chat.visitor + 1, "contact"
            sender = {
                "id": chat.visitor + 1,
                "name": visitor.name,
                "email": visitor.email,
                "type": "contact",
            }
        return {
            "id": (chat_index + 1) * 100 + position,
            "caseId": chat_index + 1,
            "channel": "chat",
            "senderId": sender_id,
            "senderType": sender_type,
            "type": "message",
            "message": message.text,
            "dateCreated": _iso(message.timestamp),
            "dateUpdated": _iso(message.timestamp),
            "seen": "yes",
            "meta": {},
            "sender": sender,
        }

    async def v2_case_messages(self, request: web.Request) -> web.Response:
        """``GET /api/v1/crm/objects/case-message?where=caseId|eq|N``."""

        def run() -> web.Response:
            limit, offset = self._v2_paging(request)
            where = dict(self._v2_where(request))
            raw = where.get("caseId", "")
            made = self._store.case_messages.get(int(raw)) if raw.isdigit() else None
            if made is None and (not raw.isdigit() or not 0 < int(raw) <= self.dataset.chat_count):
                raise self._fail("where caseId|eq|<case id> is required", 400)
            if made is not None:
                rows = list(made)
            else:
                index = int(raw) - 1
                count = len(self.dataset.chat(index).messages)
                rows = [self.v2_message_payload(index, p) for p in range(count)]
            count = len(rows)
            body = {
                "page": offset // limit,
                "offset": offset,
                "limit": limit,
                "count": count,
                "data": rows[offset : offset + limit],
            }
            return json_response({"data": body})

        return self._v2_guard(request, run)

    async def v2_case_message(self, request: web.Request) -> web.Response:
        """``GET /api/v1/crm/objects/case-message/<id>``."""

        def run() -> web.Response:
            raw = request.match_info["item_id"]
            number = int(raw) if raw.isdigit() else -1
            made = self._store.message(number)
            if made is not None:
                return json_response({"data": made})
            chat_index, position = divmod(number, 100)
            chat_index -= 1
            if not 0 <= chat_index < self.dataset.chat_count or position >= len(
                self.dataset.chat(chat_index).messages
            ):
                raise _Problem(self._not_found(raw))
            return json_response({"data": self.v2_message_payload(chat_index, position)})

        return self._v2_guard(request, run)

    async def v2_users(self, request: web.Request) -> web.Response:
        """``GET /api/v1/account/user``."""

        def run() -> web.Response:
            limit, offset = self._v2_paging(request)
            where = self._v2_where(request)
            users = [
                u
                for u in self._store.all_users()
                if all(
                    field in ("status", "id") and str(u.get(field)) == value
                    for field, value in where
                )
            ]
            rows = [self._select(request, u) for u in users[offset : offset + limit]]
            return json_response({"data": {"count": len(users), "data": rows}})

        return self._v2_guard(request, run)

    def _user_status(self, index: int) -> str:
        return "active" if self.dataset.agents[index].status != "offline" else "inactive"

    def v2_user_payload(self, index: int, *, single: bool = False) -> dict[str, Any]:
        """An account user (agent ``index``)."""
        agent = self.dataset.agents[index]
        record: dict[str, Any] = {
            "firstName": agent.first_name,
            "lastName": agent.last_name,
            "id": index + 1,
            "type": "user",
            "status": self._user_status(index),
            "lastLoginId": None,
            "parentId": None,
            "ownerId": None,
            "name": agent.name,
            "email": agent.email,
            "phone": None,
            "photo": None,
            "inviteToken": None,
            "language": None,
            "clientId": None,
            "clientAppId": None,
            "clientAuthorizer": None,
            "clientPermissions": None,
            "stateId": None,
            "countryId": None,
            "dateCreated": _iso(agent.created),
            "meta": {
                "onboard_setup": {
                    "install": True,
                    "welcome": True,
                    "setupMail": False,
                    "setupVoip": False,
                    "setupAppStore": False,
                    "setupSocialApp": False,
                }
            },
        }
        if single:
            record.update({"logo": None, "organization": "Sandbox Inc.", "sso": False})
        return record

    async def v2_user(self, request: web.Request) -> web.Response:
        """``GET /api/v1/account/user/<id>``."""

        def run() -> web.Response:
            raw = request.match_info["item_id"]
            try:
                user = self._store.user(int(raw) if raw.isdigit() else -1, single=True)
            except Invalid:
                raise _Problem(self._not_found(raw)) from None
            return json_response({"data": user})

        return self._v2_guard(request, run)

    def v2_contact_payload(self, index: int, *, brief: bool = False) -> dict[str, Any]:
        """A contact (visitor ``index``); ``brief`` is the shape embedded in cases."""
        visitor = self.dataset.visitor(index)
        browser, version, os_name, os_version, _ = visitor.browser
        record: dict[str, Any] = {
            "dateCreated": _iso(visitor.first_visit),
            "dateUpdated": _iso(visitor.first_visit + 120),
            "id": index + 1,
            "clientType": "web",
            "clientName": browser,
            "clientVersion": version,
            "clientOsName": os_name,
            "clientOsVersion": os_version,
            "clientDeviceType": None,
            "clientDeviceVendor": None,
            "clientDeviceModel": None,
            "clientDetails": {
                "ua": f"Mozilla/5.0 ({os_name} {os_version}) {browser}/{version}",
                "engine": {"name": "Blink", "version": version},
                "network": {"type": "4g", "speed": "9.8"},
            },
            "archive": "no",
            "companyId": 1,
        }
        if brief:
            return record
        record.update(
            {
                "fields": {
                    "name": visitor.name,
                    "email": visitor.email,
                    "phone": visitor.phone,
                    "city": visitor.city,
                    "state": visitor.region,
                    "country": {"name": visitor.country, "code": visitor.country_code},
                    "countryId": 500 + index % 40,
                    "ip": visitor.ip,
                },
                "tags": [],
                "status": "active",
                "isBlocked": "NO",
                "lastDateUpdated": _naive(visitor.first_visit + 120),
            }
        )
        return record

    async def v2_contacts(self, request: web.Request) -> web.Response:
        """``GET /api/v1/crm/objects/contact``."""

        def run() -> web.Response:
            limit, offset = self._v2_paging(request)
            ids = self._store.contact_ids()
            total = len(ids)
            rows = [
                self._select(request, self._store.contact(i)) for i in ids[offset : offset + limit]
            ]
            counts = {"total": total, "records": total, "pending": 0, "active": 0}
            return json_response({"data": {"list": rows, "counts": counts}})

        return self._v2_guard(request, run)

    async def v2_contact(self, request: web.Request) -> web.Response:
        """``GET /api/v1/crm/objects/contact/<id>``."""

        def run() -> web.Response:
            raw = request.match_info["item_id"]
            try:
                contact = self._store.contact(int(raw) if raw.isdigit() else -1)
            except Invalid:
                raise _Problem(self._not_found(raw)) from None
            return json_response({"data": contact})

        return self._v2_guard(request, run)

    def pages(self, total: int, limit: int) -> int:
        """Pages of ``limit`` records holding ``total``."""
        return math.ceil(total / limit)
