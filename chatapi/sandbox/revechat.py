"""A fake REVE Chat REST API, both generations (shapes of ``tests/fixtures/revechat/``).

``legacy`` (docs.revechat.com): HTTP Basic ``email:password`` of a Super Admin, paths
``/api/<resource>/`` and ``/api/<resource>/<id>``, bodies are bare JSON arrays; a listing ends
with an empty array.

``current`` (revechat.com/hc, 2025): ``Authorization: <auth key>`` (an HS256 JWT with
``accountId``, valid 30 days), paths ``/api/<resource>/{account_id}`` (and
``.../{account_id}/<id>`` for one record), bodies ``{"status", "message", "body"}``.

Resources: ``agents``, ``chats`` (``date_from``, ``date_to``, ``agent_id``,
``agent_email_id``), ``visitors``, ``offlinemessages`` (single ones with ``reply_messages``).
Every listing pages with ``page_no`` (default 1).

Errors as the docs show them: 401 plain-text ``Bad credentials`` under a JSON content type;
403 plain text for a non-Super-Admin user on a listing and an almost-JSON body with unquoted
keys on a single record; ``{"error": [{"code", "message"}]}`` on 400/404 (and, chosen here,
500 and 429, whose message says how many seconds to wait; REVE sends no Retry-After).

Chosen where REVE documents nothing: 20 records per page; listings newest first (agents
and visitors by id); the single chat carries a ``messages`` transcript (``message_id``,
``sender_type``, ``agent_id``, ``message``, ``time`` in ms); the current generation's errors
use the legacy bodies.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime as dt
import hashlib
import hmac
import json
import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from aiohttp import web

from ._app import VendorApp, json_bytes, json_response, text_response
from .data import GROUPS, Dataset

__all__ = ["PER_PAGE", "ReveChatApp", "make_auth_key"]

PER_PAGE = 20
_BASIC_REALM = {"WWW-Authenticate": 'Basic realm="revechat"'}
_AGENT_BASE = 460
_CHAT_BASE = 100_000
_VISITOR_BASE = 140_000
_OFFLINE_BASE = 500
_ROLES = {"owner": "Super Admin", "administrator": "Admin", "normal": "Agent"}
_LABELS = {
    "agents": ("Agent", "Agents"),
    "chats": ("Chat", "Chats"),
    "visitors": ("Visitor", "Visitors"),
    "offlinemessages": ("Offline Message", "Offline messages"),
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_auth_key(account_id: str, secret: bytes, *, issued: int, days: int = 30) -> str:
    """An auth key like REVE's: HS256 JWT ``{"accountId", "sub", "exp", "iat"}``."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {
        "accountId": account_id,
        "sub": "authorization",
        "exp": issued + days * 86400,
        "iat": issued,
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _verify_key(token: str, secret: bytes) -> dict[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    expected = _b64(hmac.new(secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, parts[2]):
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int):
        return None
    if claims["exp"] < time.time():
        return None
    return claims


def _ms(seconds: int) -> int:
    return seconds * 1000 + (seconds * 7919) % 1000


class _Problem(Exception):
    """An error answer prepared deep in a handler."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


class ReveChatApp(VendorApp):
    """The fake REVE Chat server (see the module docstring)."""

    vendor: ClassVar[str] = "revechat"
    generations: ClassVar[tuple[str, ...]] = ("legacy", "current")

    def __init__(self, dataset: Dataset, faults: Any, generation: str | None = None) -> None:
        seed = dataset.config.seed
        self.account_id = str(8_683_000 + seed)
        self._secret = hashlib.sha256(f"revechat-sandbox-{seed}".encode()).digest()
        self.password = f"sandbox-{seed}-123456"
        self.auth_key = make_auth_key(self.account_id, self._secret, issued=int(time.time()))
        self._visitor_chats: Counter[int] | None = None
        super().__init__(dataset, faults, generation)
        self.email = dataset.agents[0].email
        # A second user without the Super Admin role: REVE answers it with 403s.
        self.restricted_email = dataset.agents[-1].email if len(dataset.agents) > 1 else ""

    @property
    def legacy(self) -> bool:
        """Whether the legacy generation is served."""
        return self.generation == "legacy"

    # -- setup ------------------------------------------------------------------------------

    def setup_routes(self, router: web.UrlDispatcher) -> None:
        """``/api/<resource>/...`` for the generation served."""
        for resource in _LABELS:
            if self.legacy:
                lists = (f"/api/{resource}", f"/api/{resource}/")
                item = f"/api/{resource}/{{item_id}}"
            else:
                lists = (f"/api/{resource}/{{account}}", f"/api/{resource}/{{account}}/")
                item = f"/api/{resource}/{{account}}/{{item_id}}"
            for path in lists:
                router.add_get(path, self._lister(resource))
            router.add_get(item, self._getter(resource))

    def credentials(self, base_url: str) -> dict[str, Any]:
        """``email`` + ``password`` (legacy) or ``auth_key`` + ``account_id`` (current)."""
        if self.legacy:
            return {"email": self.email, "password": self.password, "base_url": base_url}
        return {"auth_key": self.auth_key, "account_id": self.account_id, "base_url": base_url}

    def restricted_credentials(self, base_url: str) -> dict[str, Any]:
        """Credentials of a user who is not Super Admin (legacy only): every call is a 403."""
        return {"email": self.restricted_email, "password": self.password, "base_url": base_url}

    def error_response(self, status: int, message: str) -> web.Response:
        """``{"error": [{"code": status, "message": message}]}``."""
        return json_response({"error": [{"code": status, "message": message}]}, status=status)

    def rate_limited_response(self, wait: float) -> web.Response:
        """A 429 whose body says how long to wait (REVE documents no Retry-After)."""
        seconds = self.retry_after_value(wait)
        unit = "second" if seconds == "1" else "seconds"
        return self.error_response(
            429,
            f"Rate limit exceeded: too many requests per minute. Please wait {seconds} {unit} "
            "before making further requests.",
        )

    # -- auth -------------------------------------------------------------------------------

    def _unauthorized(self) -> web.Response:
        # Verbatim from the docs: plain text under a JSON content type.
        return text_response(
            "Bad credentials",
            status=401,
            content_type="application/json",
            headers=_BASIC_REALM,
        )

    def _authorize(self, request: web.Request, single: str | None) -> None:
        header = request.headers.get("Authorization", "").strip()
        if self.legacy:
            scheme, _, value = header.partition(" ")
            email = ""
            if scheme.lower() == "basic":
                try:
                    email, _, password = (
                        base64.b64decode(value.strip(), validate=True).decode().partition(":")
                    )
                except (binascii.Error, UnicodeDecodeError):
                    email, password = "", ""
                if password != self.password:
                    email = ""
            if email == self.email:
                return
            if email and email == self.restricted_email:
                raise _Problem(self._forbidden(single))
            raise _Problem(self._unauthorized())
        # The documented form is the bare key; "Bearer <key>" is accepted too (a public app
        # sends it; whether REVE accepts it is unknown).
        token = header[7:] if header.lower().startswith("bearer ") else header
        claims = _verify_key(token, self._secret) if token else None
        if claims is None:
            raise _Problem(self._unauthorized())
        if str(claims.get("accountId")) != request.match_info.get("account"):
            raise _Problem(self._forbidden(single))

    def _forbidden(self, single: str | None) -> web.Response:
        if single is None:
            return text_response(
                "Access is denied! Only user with Super Admin role can access the REST API",
                status=403,
                content_type="application/json",
                headers=_BASIC_REALM,
            )
        # Almost JSON, keys unquoted, exactly as the offline-message doc shows it.
        text = f'{{\n\tcode: 403,\n\tmessage: "You don\'t have permission to see {single}"\n\n}}'
        return text_response(text, status=403, content_type="application/json", charset=None)

    # -- envelopes --------------------------------------------------------------------------

    def _wrap(self, resource: str, records: Any) -> Any:
        if self.legacy:
            return records
        one, many = _LABELS[resource]
        if isinstance(records, list):
            message = f"{many} found" if records else f"No {many.lower()} found"
        else:
            message = f"{one} found"
        return {"status": "success", "message": message, "body": records}

    # -- handlers ---------------------------------------------------------------------------

    def _lister(self, resource: str) -> Callable[[web.Request], Any]:
        async def handler(request: web.Request) -> web.Response:
            try:
                self._authorize(request, None)
                raw = request.query.get("page_no", "1")
                if not raw.lstrip("-").isdigit() or int(raw) < 1:
                    raise _Problem(
                        self.error_response(
                            400, f"Invalid Page Number: {raw}. Please enter a valid Page Number."
                        )
                    )
                page = int(raw)
                if resource == "chats":
                    self.listing_requested()
                    key, ids = self._chat_selection(request)
                else:
                    key, ids = (), self._ids(resource)
            except _Problem as problem:
                return problem.response

            def render() -> bytes:
                chunk = ids[(page - 1) * PER_PAGE : page * PER_PAGE]
                rows = [self.record(resource, i, single=False) for i in chunk]
                return json_bytes(self._wrap(resource, rows))

            body = self.cache.get((resource, key, page, self.dataset.chat_count), render)
            return json_response(body=body)

        return handler

    def _getter(self, resource: str) -> Callable[[web.Request], Any]:
        one = _LABELS[resource][0]

        async def handler(request: web.Request) -> web.Response:
            raw = request.match_info["item_id"]
            try:
                self._authorize(request, f"{one.lower()} details with Id {raw}")
            except _Problem as problem:
                return problem.response
            if not raw.lstrip("-").isdigit() or int(raw) < 0:
                return self.error_response(
                    400, f"Invalid {one} Id: {raw}. Please enter a Valid {one} Id."
                )
            index = self._index(resource, int(raw))
            if index is None:
                return self.error_response(
                    404, f"No Record found for {one} Id = {raw}. Please enter a another {one} Id."
                )
            return json_response(self._wrap(resource, self.record(resource, index, single=True)))

        return handler

    # -- selection --------------------------------------------------------------------------

    def _ids(self, resource: str) -> Sequence[int]:
        data = self.dataset
        if resource == "agents":
            return range(len(data.agents))
        if resource == "visitors":
            return range(data.visitor_count)
        if resource == "offlinemessages":
            return range(data.offline_count - 1, -1, -1)
        return range(data.chat_count - 1, -1, -1)

    def _index(self, resource: str, number: int) -> int | None:
        base, count = {
            "agents": (_AGENT_BASE, len(self.dataset.agents)),
            "visitors": (_VISITOR_BASE, self.dataset.visitor_count),
            "offlinemessages": (_OFFLINE_BASE, self.dataset.offline_count),
            "chats": (_CHAT_BASE, self.dataset.chat_count),
        }[resource]
        index = number - base
        return index if 0 <= index < count else None

    def _chat_selection(self, request: web.Request) -> tuple[tuple[Any, ...], Sequence[int]]:
        query = request.query
        days = []
        for name, default in (("date_from", "1970-01-01"), ("date_to", None)):
            raw = query.get(name) or default
            if raw is None:
                days.append(dt.datetime.now(dt.timezone.utc).date())
                continue
            try:
                days.append(dt.date.fromisoformat(raw))
            except ValueError:
                raise _Problem(
                    self.error_response(
                        400, f"Invalid {name}: {raw}. Please enter a date as yyyy-mm-dd."
                    )
                ) from None
        lo = int(dt.datetime.combine(days[0], dt.time(), dt.timezone.utc).timestamp())
        hi = int(
            dt.datetime.combine(
                days[1] + dt.timedelta(days=1), dt.time(), dt.timezone.utc
            ).timestamp()
        )
        data = self.dataset
        released = data.chat_count
        first = bisect.bisect_left(data.chat_start, lo, 0, released)
        last = bisect.bisect_left(data.chat_start, hi, 0, released)
        agent: int | None = None
        if query.get("agent_id"):
            raw = query["agent_id"]
            if not raw.isdigit():
                raise _Problem(
                    self.error_response(
                        400, f"Invalid Agent Id: {raw}. Please enter a Valid Agent Id."
                    )
                )
            agent = int(raw) - _AGENT_BASE
        email = query.get("agent_email_id")
        if email:
            match = next((a.index for a in data.agents if a.email == email), -1)
            agent = match if agent is None or agent == match else -1
        key = (first, last, agent)
        if agent is None:
            return key, range(last - 1, first - 1, -1)
        picked = [
            i
            for i in range(last - 1, first - 1, -1)
            if not data.chat_missed[i] and data.chat_agent[i] == agent
        ]
        return key, picked

    # -- records ----------------------------------------------------------------------------

    def record(self, resource: str, index: int, *, single: bool) -> dict[str, Any]:
        """The payload of one record, as a listing (``single=False``) or alone."""
        if resource == "agents":
            return self.agent_payload(index)
        if resource == "visitors":
            return self.visitor_payload(index, single=single)
        if resource == "offlinemessages":
            return self.offline_payload(index, single=single)
        return self.chat_payload(index, single=single)

    def agent_payload(self, index: int) -> dict[str, Any]:
        """An agent as ``/api/agents`` lists it."""
        agent = self.dataset.agents[index]
        online = agent.status != "offline"
        if self.legacy:
            return {
                "agent_id": _AGENT_BASE + index,
                "first_name": agent.first_name,
                "last_name": agent.last_name,
                "email": agent.email,
                "phone_no": "-",
                "role": _ROLES[agent.role],
                "status": "Online" if online else "Offline",
                "last_login_time": _ms(agent.last_login),
                "concurrent_chat_limit": agent.max_chats,
                # The legacy doc's example holds a year here, not a timestamp.
                "create_time": dt.datetime.fromtimestamp(agent.created, dt.timezone.utc).year,
                "designation": "-",
                "additional_info": "-",
                "enabled": 1,
            }
        return {
            "agent_id": _AGENT_BASE + index,
            "account_id": self.account_id,
            "role": None,
            "email": agent.email,
            "designation": "",
            "phone_no": "",
            "status": "ONLINE" if online else "OFFLINE",
            "concurrent_chat_limit": agent.max_chats,
            "additional_info": None,
            "last_login_time": _ms(agent.last_login),
            "last_name": agent.last_name,
            "first_name": agent.first_name,
            "create_time": agent.created * 1000,
            "departments": [
                {
                    "deptName": GROUPS[g][1],
                    "clOperatorCode": None,
                    "deptDescription": "",
                    "isAccessAllReport": None,
                    "id": 4200 + g,
                    "active": True,
                }
                for g in agent.group_ids
            ],
        }

    def chat_payload(self, index: int, *, single: bool = False) -> dict[str, Any]:
        """A chat as ``/api/chats`` lists it, or alone (with its transcript)."""
        data = self.dataset
        chat = data.chat(index)
        visitor = data.visitor(chat.visitor)
        agent = data.agents[chat.agent] if chat.agent is not None else None
        request_time = _ms(chat.started)
        missed_key = "is_missed_chat" if single else "is_missed"
        record: dict[str, Any] = {
            "chat_id": _CHAT_BASE + index,
            "chat_request_time": request_time,
            missed_key: int(chat.missed),
            "chat_started_by": 1 if index % 5 else 2,
            "is_chat_transferred": int(chat.supervisor is not None),
            "conversation_start_time": 0 if chat.missed else request_time + 4000,
            "conversation_end_time": 0 if chat.missed else _ms(chat.ended),
            "chat_ended_by": 1 if index % 3 else 2,
            "visitor_id": _VISITOR_BASE + chat.visitor,
            "visitor_email": visitor.email,
            "visitor_name": visitor.name,
            "visitor_phone": visitor.phone,
            "agent_id": _AGENT_BASE + agent.index if agent else 0,
            "first_name": agent.first_name if agent else "",
            "last_name": agent.last_name if agent else "",
            "email": agent.email if agent else "",
            "rating": {"not_rated": 0, "rated_good": 5, "rated_bad": 1}[chat.rating],
        }
        if single:
            record["messages"] = [
                {
                    "message_id": (_CHAT_BASE + index) * 100 + m.index,
                    "sender_type": "visitor" if m.author == "visitor" else "agent",
                    "agent_id": _AGENT_BASE + m.agent if m.agent is not None else None,
                    "message": m.text,
                    "time": _ms(m.timestamp),
                }
                for m in chat.messages
            ]
        return record

    def _chats_per_visitor(self) -> Counter[int]:
        if self._visitor_chats is None or sum(self._visitor_chats.values()) != (
            self.dataset.chat_count
        ):
            visitors = self.dataset.chat_visitor
            self._visitor_chats = Counter(visitors[i] for i in self.dataset.chat_ids())
        return self._visitor_chats

    def visitor_payload(self, index: int, *, single: bool = False) -> dict[str, Any]:
        """A visitor as ``/api/visitors`` lists it, or alone (with its totals)."""
        visitor = self.dataset.visitor(index)
        first_visit = _ms(visitor.first_visit)
        if single:
            chats = self._chats_per_visitor()[index]
            return {
                "visitor_id": _VISITOR_BASE + index,
                "first_visit_time": first_visit,
                "visitor_records": {
                    "name": visitor.name,
                    "email": visitor.email,
                    "phone": visitor.phone,
                },
                "country": visitor.country.upper(),
                "total_views": chats * 3 + 1,
                "total_visits": chats + 1,
                "total_chats": chats,
                "total_chat_duration": chats * 421_000,
                "last_chat_start_time": first_visit if not chats else first_visit + 86_400_000,
            }
        browser, version, _, _, platform = visitor.browser
        return {
            "visitor_id": _VISITOR_BASE + index,
            "name": visitor.name,
            "email": visitor.email,
            "phone": visitor.phone,
            "first_visit_time": first_visit,
            "ip_address": visitor.ip,
            "platform": platform,
            "browser": browser,
            "browser_version": version,
            "country": visitor.country.upper(),
            "region": visitor.region.upper(),
            "latitude": f"{23 + index % 50 / 7:.4f}",
            "longitude": f"{90 - index % 40 / 3:.5f}",
            "isp": "Example Telecom",
            "city": visitor.city.upper(),
            "referrer_link": "https://search.example.com/",
        }

    def offline_payload(self, index: int, *, single: bool = False) -> dict[str, Any]:
        """An offline message as listed (``reply_message_count``) or alone (``reply_messages``)."""
        data = self.dataset
        message = data.offline_message(index)
        visitor = data.visitor(message.visitor)
        record: dict[str, Any] = {
            "offline_message_id": _OFFLINE_BASE + index,
            "visitor_id": _VISITOR_BASE + message.visitor,
            "visitor_name": visitor.name,
            "visitor_email": visitor.email,
            "visitor_phone": visitor.phone,
            "subject": message.subject,
            "message": message.text,
            "received_time": _ms(message.timestamp),
            "unread": int(message.unread),
        }
        if not single:
            record["reply_message_count"] = len(message.replies)
            return record
        # The doc's example lists replies newest first.
        record["reply_messages"] = [
            {
                "reply_message": reply.text,
                "message_reply_time": _ms(reply.timestamp),
                "agent_id": _AGENT_BASE + reply.agent,
                "first_name": data.agents[reply.agent].first_name,
                "last_name": data.agents[reply.agent].last_name,
                "email": data.agents[reply.agent].email,
            }
            for reply in reversed(message.replies)
        ]
        return record

    def expected(self, resource: str) -> list[dict[str, Any]]:
        """Every record a complete listing of ``resource`` yields now, in order."""
        return [self.record(resource, i, single=False) for i in self._ids(resource)]

    def pages_needed(self, resource: str) -> int:
        """Pages with records in a complete listing (the next one is empty)."""
        return math.ceil(len(self._ids(resource)) / PER_PAGE)
