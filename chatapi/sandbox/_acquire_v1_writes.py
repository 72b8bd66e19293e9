"""The Acquire v1 fake's writes, statefully: agents (``/account/agents/add``,
``/account/agents/update``) and profiles (``/profile/lead/add-update``,
``/profile/lead/delete``).

Bodies and answers follow https://developer.acquire.io/rest-apis/agent/agent-add,
.../agent/update, .../profiles-api/profile-add-update and .../profiles-api/profile-delete:
form bodies (custom fields as ``extra_field[<key>]``), a JSON ``{"id": [...]}`` for the
delete, and a sentence as the answer's ``data``. What the docs leave open is chosen here:
failures are the v1 envelope ``{"success": false, "error": "<sentence>", "data": null}``
with HTTP 200 (the fake's reads answer so too); a duplicate agent e-mail is refused ("Email
already exists"); add-update updates the profile its ``visitor_id`` names (an unknown one is
"No record found") and adds a profile otherwise, answering "Record Successfully Updated" for an
update; a delete naming any unknown profile deletes nothing. Passwords are checked for
presence and never kept.

Everything starts from the dataset and changes only through requests, so two apps with one
seed given the same requests answer the same (new ids count up from fixed bases; new records'
times are the dataset's start).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._forms import BadParameter, read_body
from .data import Dataset

if TYPE_CHECKING:
    from .acquire import AcquireApp

__all__ = ["AcquireV1Writes"]

#: First ids of what the API creates (far from the generated ones).
_NEW_AGENT, _NEW_USER = 24_700, 25_000
_NEW_PROFILE, _NEW_VISITOR = 90_000, 80_000
_ROLES = {1: "Administrator", 2: "Operator"}
_STATUSES = ("active", "disable")
_PROFILE_FIELDS = ("name", "email", "phone", "remarks", "address", "tags", "chat_id")

Handler = Callable[[web.Request], Awaitable[web.Response]]


class Refused(Exception):
    """A write the vendor would refuse (the message is the envelope's ``error``)."""


def _ids() -> tuple[int, int, int, int]:
    from .acquire import _V1_AGENT_ID, _V1_PROFILE_ID, _V1_USER_ID, _V1_VISITOR_ID

    return _V1_AGENT_ID, _V1_USER_ID, _V1_PROFILE_ID, _V1_VISITOR_ID


def _text(body: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Refused(f"The {name} field is required.")
        return None
    if not isinstance(value, str):
        raise Refused(f"The {name} field must be a string.")
    return value.strip()


def _email(body: Mapping[str, Any], *, required: bool = False) -> str | None:
    email = _text(body, "email", required=required)
    if email is not None and ("@" not in email or email.startswith("@")):
        raise Refused("Please enter a valid email address.")
    return email


def _role(body: Mapping[str, Any], *, required: bool = False) -> int | None:
    raw = _text(body, "role", required=required)
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) not in _ROLES:
        raise Refused("The role must be 1 (Administrator) or 2 (Operator).")
    return int(raw)


def _status(body: Mapping[str, Any], *, required: bool = False) -> str | None:
    status = _text(body, "status", required=required)
    if status is not None and status not in _STATUSES:
        raise Refused("The status must be active or disable.")
    return status


class AcquireV1Writes:
    """The writes of one v1 fake and what they changed (read by its listings).

    Args:
        app: The fake (its auth check, envelope, dataset and page cache).
        dataset: The generated data (the app's, before the app has taken it).
    """

    def __init__(self, app: AcquireApp, dataset: Dataset) -> None:
        self.app = app
        self.created = int(dataset.start.timestamp())
        #: Changes to generated agents, by agent index: ``name``, ``role``, ``status``.
        self.agent_changes: dict[int, dict[str, Any]] = {}
        #: Agents the API added: ``id``, ``user_id``, ``name``, ``email``, ``role``, ``status``.
        self.new_agents: list[dict[str, Any]] = []
        #: Changes to generated profiles, by profile id (the add-update field names).
        self.profile_changes: dict[int, dict[str, Any]] = {}
        #: Profiles the API added, in order (``id``, ``visitor_id`` and the fields).
        self.new_profiles: list[dict[str, Any]] = []
        #: Generated profiles deleted, by profile id.
        self.deleted: set[int] = set()
        self._added = 0

    def add_routes(self, router: web.UrlDispatcher, prefix: str) -> None:
        """Register the four write endpoints under ``prefix`` (``/api``)."""
        for path, handler in (
            ("/account/agents/add", self.add_agent),
            ("/account/agents/update", self.update_agent),
            ("/profile/lead/add-update", self.add_update_profile),
            ("/profile/lead/delete", self.delete_profiles),
        ):
            router.add_post(prefix + path, self._guarded(handler))

    def _guarded(self, handler: Callable[[dict[str, Any]], str]) -> Handler:
        from .acquire import _Problem

        async def run(request: web.Request) -> web.Response:
            app = self.app
            try:
                app._auth(request)
                body = await read_body(request)
                sentence = handler(body)
            except _Problem as problem:
                return problem.response
            except (Refused, BadParameter) as exc:
                return app._fail(str(exc)).response
            app.cache.clear()
            return app._ok(sentence)

        return run

    # -- agents -----------------------------------------------------------------------------

    def _agent_emails(self) -> set[str]:
        emails = {a.email.casefold() for a in self.app.dataset.agents}
        return emails | {a["email"].casefold() for a in self.new_agents}

    def add_agent(self, body: dict[str, Any]) -> str:
        """``POST /api/account/agents/add``."""
        role = _role(body, required=True)
        name = _text(body, "name", required=True)
        email = _email(body, required=True)
        _text(body, "password", required=True)  # checked, never kept
        status = _status(body, required=True)
        assert email is not None
        if email.casefold() in self._agent_emails():
            raise Refused("Email already exists")
        n = len(self.new_agents)
        self.new_agents.append(
            {
                "id": _NEW_AGENT + n,
                "user_id": _NEW_USER + n,
                "name": name,
                "email": email,
                "role": role,
                "status": status,
            }
        )
        return "Agent save successfully."

    def _agent(self, agent_id: int) -> dict[str, Any]:
        """The changes of a generated agent, or an added agent's record."""
        base = _ids()[0]
        if 0 <= agent_id - base < len(self.app.dataset.agents):
            return self.agent_changes.setdefault(agent_id - base, {})
        for agent in self.new_agents:
            if agent["id"] == agent_id:
                return agent
        raise Refused("No record found")

    def update_agent(self, body: dict[str, Any]) -> str:
        """``POST /api/account/agents/update``."""
        raw = _text(body, "id", required=True)
        if raw is None or not raw.isdigit():
            raise Refused("The id field must be a number.")
        target = self._agent(int(raw))
        changes = {
            "name": _text(body, "name"),
            "role": _role(body),
            "status": _status(body),
        }
        email = _email(body)
        current = target.get("email") or self._generated_email(int(raw))
        if email is not None and email.casefold() != current.casefold():
            raise Refused("Email address can not be changed")
        target.update({k: v for k, v in changes.items() if v is not None})
        return "Agent updated successfully"

    def _generated_email(self, agent_id: int) -> str:
        return self.app.dataset.agents[agent_id - _ids()[0]].email

    def agent_page(self, page: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """The ``/account/agents`` count and the rows of page ``page``."""
        app = self.app
        count = len(app.dataset.agents) + len(self.new_agents)
        wanted = range(count)[(page - 1) * limit : page * limit]
        rows = []
        for i in wanted:
            if i < len(app.dataset.agents):
                rows.append(self._patched_row(i, app.v1_agent_row(i)))
            else:
                rows.append(self._new_agent_row(self.new_agents[i - len(app.dataset.agents)]))
        return count, rows

    def _patched_row(self, index: int, row: dict[str, Any]) -> dict[str, Any]:
        changes = self.agent_changes.get(index)
        if not changes:
            return row
        if "name" in changes:
            row["user_name"] = changes["name"]
        if "role" in changes:
            row["role"], row["role_name"] = changes["role"], _ROLES[changes["role"]]
        if "status" in changes:
            row["user_status"] = changes["status"]
        return row

    def _new_agent_row(self, agent: Mapping[str, Any]) -> dict[str, Any]:
        from .acquire import _V1_ACCOUNT

        return {
            "id": agent["id"],
            "user_id": agent["user_id"],
            "account_id": _V1_ACCOUNT,
            "user_name": agent["name"],
            "user_email": agent["email"],
            "allowed_ip": "",
            "role": agent["role"],
            "role_name": _ROLES[agent["role"]],
            "role_status": "active",
            "user_status": agent["status"],
            "secret_key": f"sk_sandbox_new_{agent['id']}",
            "user_type": "Agent",
            "department_id": None,
            "department_name": None,
        }

    def agent_detail(self, agent_id: int, generated: dict[str, Any] | None) -> dict[str, Any]:
        """The ``/account/agents/edit`` object: ``generated`` (the fake's own rendering of a
        generated agent, None for others) with its changes, or an added agent's.

        Raises:
            Refused: No such agent.
        """
        from .acquire import _V1_ACCOUNT

        if generated is not None:
            changes = self.agent_changes.get(agent_id - _ids()[0], {})
            if "role" in changes:
                generated["role"] = _ROLES[changes["role"]]
            generated.update({k: changes[k] for k in ("name", "status") if k in changes})
            return generated
        agent = self._agent(agent_id)
        return {
            "id": agent["id"],
            "name": agent["name"],
            "email": agent["email"],
            "status": agent["status"],
            "allowed_ip": "",
            "userId": agent["user_id"],
            "accountId": _V1_ACCOUNT,
            "department": None,
            "role": _ROLES[agent["role"]],
        }

    # -- profiles ---------------------------------------------------------------------------

    def _profile(self, visitor_id: int) -> tuple[int, dict[str, Any]]:
        """(profile id, its changes or record) of the live profile with ``visitor_id``."""
        _, _, profile_base, visitor_base = _ids()
        index = visitor_id - visitor_base
        if 0 <= index < self.app.dataset.visitor_count:
            profile_id = profile_base + index
            if profile_id not in self.deleted:
                return profile_id, self.profile_changes.setdefault(profile_id, {})
        for profile in self.new_profiles:
            if profile["visitor_id"] == visitor_id:
                return profile["id"], profile
        raise Refused("No record found")

    def add_update_profile(self, body: dict[str, Any]) -> str:
        """``POST /api/profile/lead/add-update``."""
        fields: dict[str, Any] = {name: _text(body, name) for name in _PROFILE_FIELDS}
        fields["email"] = _email(body)
        extra = body.get("extra_field")
        if extra is not None and not isinstance(extra, dict):
            raise Refused("The extra_field field must be a list of fields.")
        fields = {k: v for k, v in fields.items() if v is not None}
        if extra:
            fields["fields"] = {str(k): str(v) for k, v in extra.items()}
        visitor = _text(body, "visitor_id")
        if visitor is not None:
            if not visitor.isdigit():
                raise Refused("No record found")
            _, target = self._profile(int(visitor))
            extra_before = target.get("fields", {})
            target.update(fields)
            if "fields" in fields:
                target["fields"] = {**extra_before, **fields["fields"]}
            return "Record Successfully Updated"
        if not fields:
            raise Refused("Please provide the profile details.")
        n = self._added
        self._added += 1
        self.new_profiles.append({"id": _NEW_PROFILE + n, "visitor_id": _NEW_VISITOR + n, **fields})
        return "New Record Successfully Added"

    def delete_profiles(self, body: dict[str, Any]) -> str:
        """``POST /api/profile/lead/delete`` (JSON ``{"id": [...]}``)."""
        ids = body.get("id")
        if isinstance(ids, (str, int)):
            ids = [ids]
        if not isinstance(ids, list) or not ids:
            raise Refused("The id field is required.")
        wanted: set[int] = set()
        for raw in ids:
            if isinstance(raw, bool) or not str(raw).strip().isdigit():
                raise Refused("The id field must be a list of profile ids.")
            wanted.add(int(str(raw).strip()))
        profile_base = _ids()[2]
        live_new = {p["id"] for p in self.new_profiles}
        for profile_id in wanted:
            generated = 0 <= profile_id - profile_base < self.app.dataset.visitor_count
            if (generated and profile_id in self.deleted) or (
                not generated and profile_id not in live_new
            ):
                raise Refused("No record found")
        self.deleted |= wanted - live_new
        self.new_profiles = [p for p in self.new_profiles if p["id"] not in wanted]
        return "Selected profile(s) successfully deleted!"

    @property
    def profiles_changed(self) -> bool:
        """Whether a write changed the profile listing."""
        return bool(self.deleted or self.new_profiles or self.profile_changes)

    def profile_page(
        self, ids: Sequence[int], master: str | None, page: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """The ``/profile/lead/list`` total and rows of page ``page``: the generated
        profiles ``ids`` (indexes) left, changed, then the added ones (none of which has chat
        history)."""
        app = self.app
        start, stop = (page - 1) * limit, page * limit
        profile_base = _ids()[2]
        if not self.profiles_changed:
            return len(ids), [app.v1_profile_row(v) for v in ids[start:stop]]
        kept = [v for v in ids if profile_base + v not in self.deleted]
        added = [] if master == "chathistory" else self.new_profiles
        rows = [self._patched_profile(app.v1_profile_row(v)) for v in kept[start:stop]]
        low, high = max(start - len(kept), 0), max(stop - len(kept), 0)
        rows += [self._new_profile_row(p) for p in added[low:high]]
        return len(kept) + len(added), rows

    def _patched_profile(self, row: dict[str, Any]) -> dict[str, Any]:
        changes = self.profile_changes.get(row["id"])
        if changes:
            row.update({k: changes[k] for k in ("name", "email", "tags") if k in changes})
            if "phone" in changes:
                row["visitor_phone"] = changes["phone"]
        return row

    def _new_profile_row(self, profile: Mapping[str, Any]) -> dict[str, Any]:
        when = dt.datetime.fromtimestamp(self.created, dt.timezone.utc)
        stamp = when.strftime("%Y-%m-%d %H:%M:%S")
        # The generated rows' keys (the documented row), blank where an API profile has none.
        row: dict[str, Any] = dict.fromkeys(self.app.v1_profile_row(0))
        row.update(
            {
                "id": profile["id"],
                "session_id": f"api{profile['id']}",
                "checked_status": 0,
                "visitor_id": profile["visitor_id"],
                "source": "api",
                "name": profile.get("name", ""),
                "email": profile.get("email", ""),
                "visitor_phone": profile.get("phone", ""),
                "date_updated": stamp,
                "first_seen": stamp,
                "last_seen": stamp,
                "lead_id": 0,
                "conversion": 0,
                "tags": profile.get("tags", ""),
            }
        )
        return row

    def profile_detail(self, profile_id: int) -> dict[str, Any] | None:
        """The ``/profile/lead/detail`` object of an added profile; None for a generated
        live one (the fake renders it, then :meth:`patch_detail`).

        Raises:
            Refused: A deleted or unknown profile.
        """
        if profile_id in self.deleted:
            raise Refused("No record found")
        for profile in self.new_profiles:
            if profile["id"] == profile_id:
                return self._new_detail(profile)
        if 0 <= profile_id - _ids()[2] < self.app.dataset.visitor_count:
            return None
        raise Refused("No record found")

    def patch_detail(self, body: dict[str, Any]) -> dict[str, Any]:
        """A generated profile's detail object with the changes written to it."""
        changes = self.profile_changes.get(body["id"], {})
        for field in ("name", "email", "phone", "remarks", "address"):
            if field in changes:
                body[f"visitor_{field}"] = changes[field]
        if "tags" in changes:
            body["tags"] = [int(t) for t in changes["tags"].split(",") if t.strip().isdigit()]
        if "fields" in changes:
            body["fields"] = dict(changes["fields"])
        return body

    def _new_detail(self, profile: Mapping[str, Any]) -> dict[str, Any]:
        when = dt.datetime.fromtimestamp(self.created, dt.timezone.utc)
        tags = str(profile.get("tags", ""))
        return {
            "id": profile["id"],
            "visitor_id": profile["visitor_id"],
            "chatid": None,
            "visitor_name": profile.get("name", ""),
            "visitor_email": profile.get("email", ""),
            "visitor_phone": profile.get("phone", ""),
            "visitor_remarks": profile.get("remarks", ""),
            "visitor_address": profile.get("address", ""),
            "company_name": "",
            "lead_id": 0,
            "date_created": when.strftime("%Y-%m-%d %H:%M:%S"),
            "first_visit": when.strftime("%d-%m-%Y %I:%M:%S %p"),
            "total_chat": 0,
            "tags": [int(t) for t in tags.split(",") if t.strip().isdigit()],
            "fields": dict(profile.get("fields", {})),
            "custom_fields": [],
        }
