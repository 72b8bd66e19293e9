"""The Acquire v2 fake's writable state: users, contacts, cases (with their messages and
status), departments, tags and message shortcuts.

Routes and answers follow https://developer.acquire.io/v/2.0.0/ (users:
``settings-configuration/account-user-agent``; contacts: ``customer``; cases:
``conversation/conversation-or-cases`` create, ``messages-1/add``, ``close-case``;
``settings-configuration/account-department``; ``platform/tags``;
``platform/message-shortcuts``). Created records are listed by the existing listings
(``/account/user``, ``/crm/objects/contact``, ``/crm/objects/case`` with
``relations=messages``). Everything starts from the dataset's seed: ids are counters from fixed
bases, times a logical clock from the dataset's end (one second per write).

Chosen here where Acquire documents nothing: a missing required field is 400
``ERROR_INVALID_INPUT``; an unknown id 400 ``ERROR_RECORD_NOT_FOUND``; a duplicate user e-mail,
department name or tag name 400 ``ERROR_DUPLICATE_RECORD_FOUND``; the API key's user is user
1 (it sends ``x-user-type=user`` messages). Passwords are checked for presence and never kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._app import json_response
from .data import AGENT_LINES, GROUPS, TAGS

if TYPE_CHECKING:
    from .acquire import AcquireApp

__all__ = ["AcquireV2Store"]

USER_BASE, CONTACT_BASE, CASE_BASE = 5_000, 9_000_000, 50_000_000
MESSAGE_BASE = 9_000_000_000
_API_USER = 1
_COLORS = ("#3F95FD", "#c034eb", "#2ecc71", "#e67e22", "#95a5a6")
Handler = Callable[[web.Request], Awaitable[web.Response]]


class Invalid(Exception):
    """A request Acquire would refuse: ``(type, message)``, answered with HTTP 400."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _need(body: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    if value is None or value == "" or value == []:
        raise Invalid("ERROR_INVALID_INPUT", f'"{name}" is required')
    return value


def _id(value: Any, name: str) -> int:
    text = str(value).strip() if value is not None else ""
    if not text.isdigit():
        raise Invalid("ERROR_INVALID_INPUT", f'"{name}" must be a number')
    return int(text)


def _ints(value: Any, name: str) -> list[int]:
    if not isinstance(value, list):
        raise Invalid("ERROR_INVALID_INPUT", f'"{name}" must be an array')
    return [_id(item, name) for item in value]


def _missing(what: str, raw: Any) -> Invalid:
    return Invalid("ERROR_RECORD_NOT_FOUND", f"No {what} found: {raw}")


class AcquireV2Store:
    """Writes of one Acquire v2 fake and the records they made.

    Args:
        app: The fake (its seeded payloads, auth and error shapes).
    """

    def __init__(self, app: AcquireApp) -> None:
        self.app = app
        data = app.dataset
        self._clock = int(data.end.timestamp())
        self.users: dict[int, dict[str, Any]] = {}
        self.user_changes: dict[int, dict[str, Any]] = {}
        self.deleted_users: set[int] = set()
        self.contacts: dict[int, dict[str, Any]] = {}
        self.contact_changes: dict[int, dict[str, Any]] = {}
        self.deleted_contacts: set[int] = set()
        self.cases: dict[int, dict[str, Any]] = {}
        self.case_messages: dict[int, list[dict[str, Any]]] = {}
        self.departments: dict[int, dict[str, Any]] = {
            gid + 1: {"id": gid + 1, "name": name, "status": "active"} for gid, name in GROUPS
        }
        self.tags: dict[int, dict[str, Any]] = {
            n + 1: {
                "id": n + 1,
                "name": tag,
                "color": _COLORS[n % len(_COLORS)],
                "userId": _API_USER,
                "type": ["case", "contact"],
                "dateCreated": _iso(int(data.start.timestamp()) + n * 86_400),
            }
            for n, tag in enumerate(TAGS)
        }
        self.shortcuts: dict[int, dict[str, Any]] = {
            n + 1: self._shortcut(n + 1, f"s{n + 1}", line.replace("{visitor}", "there"), None)
            for n, line in enumerate(AGENT_LINES[:3])
            if "{topic}" not in line
        }
        self._next = {"user": USER_BASE, "contact": CONTACT_BASE, "case": CASE_BASE}
        self._next_message = MESSAGE_BASE
        self._next_department = len(GROUPS) + 1
        self._next_tag = len(TAGS) + 1
        self._next_shortcut = 101

    # -- wiring -----------------------------------------------------------------------------

    def add_routes(self, router: web.UrlDispatcher, prefix: str) -> None:
        """The write routes (and the configuration listings) under ``prefix``."""
        routes: Iterable[tuple[str, str, Callable[..., Any]]] = (
            ("POST", "/account/user", self.create_user),
            ("PUT", "/account/user/{item_id}", self.update_user),
            ("DELETE", "/account/user", self.delete_user),
            ("POST", "/crm/objects/contact", self.create_contact),
            ("PUT", "/crm/objects/contact/{item_id}", self.update_contact),
            ("DELETE", "/crm/objects/contact/{item_id}", self.delete_contact),
            ("POST", "/crm/messenger/chat/create", self.create_case),
            ("POST", "/crm/messenger/chat/add-message", self.add_message),
            ("POST", "/crm/messenger/chat/close", self.close_case),
            ("GET", "/account/department", self.list_departments),
            ("POST", "/account/department", self.create_department),
            ("PUT", "/account/department/{item_id}", self.update_department),
            ("DELETE", "/account/department", self.delete_department),
            ("GET", "/crm/tag", self.list_tags),
            ("POST", "/crm/tag", self.create_tag),
            ("PUT", "/crm/tag/{item_id}", self.update_tag),
            ("DELETE", "/crm/tag", self.delete_tag),
            ("GET", "/crm/message-shortcut", self.list_shortcuts),
            ("POST", "/crm/message-shortcut", self.create_shortcut),
            ("PUT", "/crm/message-shortcut/{item_id}", self.update_shortcut),
            ("DELETE", "/crm/message-shortcut", self.delete_shortcut),
        )
        for method, path, handler in routes:
            router.add_route(method, prefix + path, self._guarded(handler))

    def _guarded(self, handler: Callable[[web.Request, dict[str, Any]], Any]) -> Handler:
        app = self.app

        async def run(request: web.Request) -> web.Response:
            body: dict[str, Any] = {}
            if request.method in ("POST", "PUT") and request.body_exists:
                text = (await request.read()).decode("utf-8", errors="replace").strip()
                try:
                    loaded = json.loads(text) if text else {}
                except ValueError:
                    loaded = None
                if not isinstance(loaded, dict):
                    return app.error_response(400, "The body must be a JSON object")
                body = loaded

            def answer() -> web.Response:
                try:
                    data = handler(request, body)
                except Invalid as exc:
                    payload = {"error": {"type": exc.kind, "message": str(exc)}}
                    return json_response(payload, status=400)
                return json_response({"data": data})

            return app._v2_guard(request, answer)

        return run

    def _tick(self) -> int:
        self._clock += 1
        return self._clock

    def _new_id(self, kind: str) -> int:
        self._next[kind] += 1
        return self._next[kind]

    @staticmethod
    def _item(request: web.Request) -> int:
        return _id(request.match_info["item_id"], "id")

    @staticmethod
    def _query_id(request: web.Request, name: str) -> int:
        return _id(_need(dict(request.query), name), name)

    # -- users ------------------------------------------------------------------------------

    def seed_user_ids(self) -> list[int]:
        """The ids of the seeded users still there."""
        count = len(self.app.dataset.agents)
        return [i + 1 for i in range(count) if i + 1 not in self.deleted_users]

    def all_users(self) -> list[dict[str, Any]]:
        """Every user, seeded then created, as the listing shows them."""
        rows = [self.user(uid) for uid in self.seed_user_ids()]
        return rows + [copy.deepcopy(row) for row in self.users.values()]

    def user(self, user_id: int, *, single: bool = False) -> dict[str, Any]:
        """One user's payload (``Invalid`` for an unknown or deleted one)."""
        if user_id in self.users:
            return copy.deepcopy(self.users[user_id])
        if user_id in self.deleted_users or not 0 < user_id <= len(self.app.dataset.agents):
            raise _missing("user", user_id)
        record = self.app.v2_user_payload(user_id - 1, single=single)
        record.update(self.user_changes.get(user_id, {}))
        return record

    def _check_email(self, email: str, exclude: int | None = None) -> None:
        wanted = email.strip().casefold()
        for row in self.all_users():
            if row["id"] != exclude and str(row.get("email") or "").casefold() == wanted:
                raise Invalid("ERROR_DUPLICATE_RECORD_FOUND", f"Email {email} already exists")

    def _roles(self, ids: list[int]) -> list[dict[str, Any]]:
        names = {1: "Administrator", 2: "Agent"}
        return [{"id": r, "roleName": names.get(r, f"Role {r}"), "meta": None} for r in ids]

    def create_user(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``POST /account/user``: name, email (unique), password, roles[], department[]."""
        name, email = str(_need(body, "name")), str(_need(body, "email"))
        _need(body, "password")  # required, never stored
        roles = _ints(_need(body, "roles"), "roles")
        departments = _ints(body.get("department", []), "department")
        self._check_email(email)
        user_id = self._new_id("user")
        first, _, last = name.partition(" ")
        self.users[user_id] = {
            "firstName": first,
            "lastName": last,
            "name": name,
            "email": email,
            "type": "user",
            "status": "active",
            "dateCreated": _iso(self._tick()),
            "id": user_id,
            "departments": [self.departments[d] for d in departments if d in self.departments],
            "roles": self._roles(roles),
        }
        return {"user": self.user(user_id), "success": True}

    def update_user(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``PUT /account/user/<id>``: answers ``[user]``."""
        user_id = self._item(request)
        self.user(user_id)
        if body.get("email"):
            self._check_email(str(body["email"]), exclude=user_id)
        changes: dict[str, Any] = {
            k: body[k] for k in ("name", "email", "status", "phone") if k in body
        }
        if "roles" in body:
            changes["roles"] = self._roles(_ints(body["roles"], "roles"))
        if "departments" in body:
            ids = _ints(body["departments"], "departments")
            changes["departments"] = [self.departments[d] for d in ids if d in self.departments]
        target = self.users.get(user_id)
        (target if target is not None else self.user_changes.setdefault(user_id, {})).update(
            changes
        )
        return [self.user(user_id)]

    def delete_user(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``DELETE /account/user?userId=``."""
        user_id = self._query_id(request, "userId")
        self.user(user_id)
        self.users.pop(user_id, None)
        if user_id < USER_BASE:
            self.deleted_users.add(user_id)
        return {"deleted": 1}

    # -- contacts ---------------------------------------------------------------------------

    def contact_ids(self) -> Sequence[int]:
        """Every contact id, seeded then created."""
        count = self.app.dataset.visitor_count
        if not self.contacts and not self.deleted_contacts:
            return range(1, count + 1)  # no write yet: no list per page
        seeded = [i + 1 for i in range(count) if i + 1 not in self.deleted_contacts]
        return seeded + list(self.contacts)

    def contact(self, contact_id: int, *, brief: bool = False) -> dict[str, Any]:
        """One contact's payload (``brief``: without ``fields``, as cases embed it)."""
        if contact_id in self.contacts:
            record = copy.deepcopy(self.contacts[contact_id])
        elif contact_id in self.deleted_contacts or not (
            0 < contact_id <= self.app.dataset.visitor_count
        ):
            raise _missing("contact", contact_id)
        else:
            record = self.app.v2_contact_payload(contact_id - 1)
            record["fields"].update(self.contact_changes.get(contact_id, {}))
        if brief:
            for key in ("fields", "tags", "status", "isBlocked", "lastDateUpdated"):
                record.pop(key, None)
        return record

    @staticmethod
    def _fields(body: dict[str, Any]) -> dict[str, Any]:
        fields = body.get("fields", {})
        if not isinstance(fields, dict):
            raise Invalid("ERROR_INVALID_INPUT", '"fields" must be an object')
        # The add page also lists name, email and phone as top-level body parameters.
        extra = {k: body[k] for k in ("name", "email", "phone") if body.get(k) is not None}
        return {**fields, **extra}

    def create_contact(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``POST /crm/objects/contact``: attributes under ``fields``."""
        fields = self._fields(body)
        contact_id = self._new_id("contact")
        now = _iso(self._tick())
        self.contacts[contact_id] = {
            "dateCreated": now,
            "dateUpdated": now,
            "id": contact_id,
            "clientType": "client",
            "clientDetails": {},
            "archive": "no",
            "companyId": None,
            "fields": fields,
            "tags": [],
            "status": "active",
            "isBlocked": "NO",
        }
        return self.contact(contact_id)

    def update_contact(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``PUT /crm/objects/contact/<id>``."""
        contact_id = self._item(request)
        self.contact(contact_id)
        fields = self._fields(body)
        if contact_id in self.contacts:
            self.contacts[contact_id]["fields"].update(fields)
            self.contacts[contact_id]["dateUpdated"] = _iso(self._tick())
        else:
            self.contact_changes.setdefault(contact_id, {}).update(fields)
        return self.contact(contact_id)

    def delete_contact(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``DELETE /crm/objects/contact/<id>``."""
        contact_id = self._item(request)
        self.contact(contact_id)
        if self.contacts.pop(contact_id, None) is None:
            self.deleted_contacts.add(contact_id)
        return {"deleted": 1}

    # -- cases ------------------------------------------------------------------------------

    def case_summary(self, case_id: int) -> dict[str, str]:
        """The fields a created case's listing ``where`` can test."""
        case = self.cases[case_id]
        return {k: str(case.get(k) or "") for k in ("id", "status", "channel", "contactId")}

    def case(self, case_id: int, relations: set[str]) -> dict[str, Any]:
        """A created case with the requested relations (contact, users, messages)."""
        record = copy.deepcopy(self.cases[case_id])
        if "contact" in relations:
            try:
                record["contact"] = self.contact(record["contactId"], brief=True)
            except Invalid:
                record["contact"] = {"id": record["contactId"]}
        if "users" in relations:
            record["users"] = []
        if "messages" in relations:
            record["messages"] = copy.deepcopy(self.case_messages[case_id])
        return record

    def message(self, message_id: int) -> dict[str, Any] | None:
        """A message of a created case, or None."""
        for messages in self.case_messages.values():
            for message in messages:
                if message["id"] == message_id:
                    return copy.deepcopy(message)
        return None

    def create_case(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``POST /crm/messenger/chat/create?contactId=``: an active case, no message."""
        contact_id = self._query_id(request, "contactId")
        self.contact(contact_id)
        case_id = self._new_id("case")
        now = _iso(self._tick())
        self.cases[case_id] = {
            "id": case_id,
            "title": str(body.get("title") or f"#{contact_id} has just started a chat"),
            "description": "",
            "channel": str(body.get("channel") or "chat"),
            "status": "active",
            "threadId": case_id,
            "closingState": None,
            "dateQueue": now,
            "datePending": None,
            "dateActive": None,
            "dateClosed": None,
            "userId": _API_USER,
            "waitTime": 0,
            "contactId": contact_id,
            "dateCreated": now,
            "dateUpdated": None,
        }
        self.case_messages[case_id] = []
        return self.case(case_id, {"contact", "users"})

    def add_message(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``POST /crm/messenger/chat/add-message?x-user-type=user|contact``."""
        sender_type = request.query.get("x-user-type")
        if sender_type not in ("user", "contact"):
            raise Invalid("ERROR_INVALID_INPUT", '"x-user-type" must be user or contact')
        case_id = _id(_need(body, "caseId"), "caseId")
        message = _need(body, "message")
        if not isinstance(message, dict):
            raise Invalid("ERROR_INVALID_INPUT", '"message" must be an object')
        kind = _need(message, "type")
        if kind not in ("message", "note", "event"):
            raise Invalid("ERROR_INVALID_INPUT", '"type" must be message, note or event')
        text = str(_need(message, "message"))
        if case_id not in self.cases:
            raise _missing("case", case_id)
        case = self.cases[case_id]
        if case["status"] != "active":
            raise Invalid("ERROR_INVALID_INPUT", "Only active cases may receive messages")
        self._next_message += 1
        now = _iso(self._tick())
        if sender_type == "user":
            sender = self.app._sender(_API_USER - 1)
            sender_id = _API_USER
        else:
            sender_id = case["contactId"]
            fields = self.contact(sender_id).get("fields", {})
            sender = {"id": sender_id, "name": fields.get("name"), "type": "contact"}
            sender["email"] = fields.get("email")
        row = {
            "id": self._next_message,
            "caseId": case_id,
            "channel": "chat",
            "senderId": sender_id,
            "senderType": sender_type,
            "type": kind,
            "message": text,
            "dateCreated": now,
            "dateUpdated": now,
            "seen": "no",
            "meta": {},
            "sender": sender,
        }
        self.case_messages[case_id].append(row)
        case["dateUpdated"] = now
        case["dateActive"] = case["dateActive"] or now
        answer = {k: v for k, v in row.items() if k != "id"}  # the documented answer has none
        return {**answer, "case": self.case(case_id, {"contact", "users"})}

    def close_case(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``POST /crm/messenger/chat/close``: ``caseId`` in the body."""
        case_id = _id(_need(body, "caseId"), "caseId")
        if case_id not in self.cases:
            raise _missing("case", case_id)
        case = self.cases[case_id]
        now = _iso(self._tick())
        case.update(
            status="closed",
            closingState=str(body.get("closingState") or "handled"),
            dateClosed=now,
            dateUpdated=now,
            closedBy=_API_USER,
        )
        closed = {"foreverClosed": True, "leftUser": True, "caseId": case_id}
        return {"0": {**closed, "contactId": case["contactId"]}, "userId": 1, "userType": "user"}

    # -- departments, tags, shortcuts -------------------------------------------------------

    @staticmethod
    def _listed(rows: list[dict[str, Any]], request: web.Request, key: str) -> Any:
        search = request.query.get("search", "").casefold()
        found = [r for r in rows if search in str(r.get(key) or "").casefold()]
        return {"count": len(found), "data": copy.deepcopy(found)}

    @staticmethod
    def _unique(rows: Iterable[dict[str, Any]], name: str, what: str, exclude: int = 0) -> None:
        for row in rows:
            if row["id"] != exclude and str(row.get("name")).casefold() == name.casefold():
                raise Invalid("ERROR_DUPLICATE_RECORD_FOUND", f"{what} {name} already exists")

    def _department(self, department_id: int) -> dict[str, Any]:
        if department_id not in self.departments:
            raise _missing("department", department_id)
        record = copy.deepcopy(self.departments[department_id])
        record["users"] = [
            {"id": u["id"], "name": u["name"], "email": u["email"], "type": "user"}
            for u in self.all_users()
            if any(d and d.get("id") == department_id for d in u.get("departments") or ())
        ]
        return record

    def list_departments(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``GET /account/department``: each department with its users."""
        rows = [self._department(d) for d in self.departments]
        return {"count": len(rows), "data": rows}

    def create_department(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``POST /account/department``: ``department_list`` of ``{name, status}``."""
        items = _need(body, "department_list")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise Invalid("ERROR_INVALID_INPUT", '"department_list" must be an array of objects')
        created = []
        for item in items:
            name = str(_need(item, "name"))
            status = str(item.get("status") or "active")
            self._unique(self.departments.values(), name, "Department")
            record = {"name": name, "status": status, "id": self._next_department}
            self.departments[self._next_department] = record
            self._next_department += 1
            created.append(dict(record))
        return created

    def update_department(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``PUT /account/department/<id>``."""
        department_id = self._item(request)
        self._department(department_id)
        if body.get("name"):
            self._unique(self.departments.values(), str(body["name"]), "Department", department_id)
        self.departments[department_id].update(
            {k: str(body[k]) for k in ("name", "status") if body.get(k)}
        )
        return self._department(department_id)

    def delete_department(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``DELETE /account/department?id=``."""
        department_id = self._query_id(request, "id")
        self._department(department_id)
        del self.departments[department_id]
        return {"deleted": 1}

    def list_tags(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``GET /crm/tag`` (``search``)."""
        return self._listed(list(self.tags.values()), request, "name")

    def _tag_fields(self, body: dict[str, Any], tag_id: int) -> dict[str, Any]:
        types = _need(body, "type")
        if not isinstance(types, list) or not set(types) <= {"case", "contact"}:
            raise Invalid("ERROR_INVALID_INPUT", '"type" must be an array of case, contact')
        if body.get("name"):
            self._unique(self.tags.values(), str(body["name"]), "Tag", tag_id)
        return {"type": types, **{k: body[k] for k in ("name", "color") if k in body}}

    def create_tag(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``POST /crm/tag``: ``type`` required, ``name`` unique."""
        fields = self._tag_fields(body, 0)
        tag_id = self._next_tag
        self._next_tag += 1
        base = {"id": tag_id, "name": None, "color": None, "userId": _API_USER}
        self.tags[tag_id] = {**base, **fields, "dateCreated": _iso(self._tick())}
        return copy.deepcopy(self.tags[tag_id])

    def update_tag(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``PUT /crm/tag/<id>``."""
        tag_id = self._item(request)
        if tag_id not in self.tags:
            raise _missing("tag", tag_id)
        self.tags[tag_id].update(self._tag_fields(body, tag_id))
        return copy.deepcopy(self.tags[tag_id])

    def delete_tag(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``DELETE /crm/tag?id=``."""
        tag_id = self._query_id(request, "id")
        if self.tags.pop(tag_id, None) is None:
            raise _missing("tag", tag_id)
        return {"deleted": 1}

    @staticmethod
    def _shortcut(shortcut_id: int, name: Any, message: str, group: Any) -> dict[str, Any]:
        return {
            "id": shortcut_id,
            "shortcut_name": name,
            "type": None,
            "message": message,
            "messageJson": None,
            "messageHtml": message,
            "department": None,
            "groupName": group,
        }

    def list_shortcuts(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``GET /crm/message-shortcut`` (``search`` in the message)."""
        return self._listed(list(self.shortcuts.values()), request, "message")

    def create_shortcut(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``POST /crm/message-shortcut``: ``message`` required."""
        message = str(_need(body, "message"))
        shortcut_id = self._next_shortcut
        self._next_shortcut += 1
        record = self._shortcut(shortcut_id, body.get("shortcut_name"), message, None)
        self.shortcuts[shortcut_id] = record
        return {"shortcut_name": record["shortcut_name"], "message": message, "id": shortcut_id}

    def update_shortcut(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``PUT /crm/message-shortcut/<id>``."""
        shortcut_id = self._item(request)
        if shortcut_id not in self.shortcuts:
            raise _missing("shortcut", shortcut_id)
        record = self.shortcuts[shortcut_id]
        if "message" in body:
            record["message"] = record["messageHtml"] = str(body["message"])
        if "shortcut_name" in body:
            record["shortcut_name"] = body["shortcut_name"]
        return copy.deepcopy(record)

    def delete_shortcut(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``DELETE /crm/message-shortcut?id=``."""
        shortcut_id = self._query_id(request, "id")
        if self.shortcuts.pop(shortcut_id, None) is None:
            raise _missing("shortcut", shortcut_id)
        return {"deleted": 1}
