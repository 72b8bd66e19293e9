"""The Acquire v1 fake's writes, statefully: agents (``/account/agents/add``,
``/account/agents/update``) and profiles (``/profile/lead/add-update``,
``/profile/lead/delete``; those live in :mod:`chatapi.sandbox._acquire_v1_profiles`).

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

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._acquire_v1_profiles import (
    ProfileWrites,
    Refused,
    base_ids,
    email_field,
    text_field,
)
from ._forms import BadParameter, read_body
from .data import Dataset

if TYPE_CHECKING:
    from .acquire import AcquireApp

__all__ = ["AcquireV1Writes", "Refused"]

#: First ids of the agents the API creates (far from the generated ones).
_NEW_AGENT, _NEW_USER = 24_700, 25_000
_ROLES = {1: "Administrator", 2: "Operator"}
_STATUSES = ("active", "disable")

Handler = Callable[[web.Request], Awaitable[web.Response]]


def _role(body: Mapping[str, Any], *, required: bool = False) -> int | None:
    raw = text_field(body, "role", required=required)
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) not in _ROLES:
        raise Refused("The role must be 1 (Administrator) or 2 (Operator).")
    return int(raw)


def _status(body: Mapping[str, Any], *, required: bool = False) -> str | None:
    status = text_field(body, "status", required=required)
    if status is not None and status not in _STATUSES:
        raise Refused("The status must be active or disable.")
    return status


class AcquireV1Writes(ProfileWrites):
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
        name = text_field(body, "name", required=True)
        email = email_field(body, required=True)
        text_field(body, "password", required=True)  # checked, never kept
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
        base = base_ids()[0]
        if 0 <= agent_id - base < len(self.app.dataset.agents):
            return self.agent_changes.setdefault(agent_id - base, {})
        for agent in self.new_agents:
            if agent["id"] == agent_id:
                return agent
        raise Refused("No record found")

    def update_agent(self, body: dict[str, Any]) -> str:
        """``POST /api/account/agents/update``."""
        raw = text_field(body, "id", required=True)
        if raw is None or not raw.isdigit():
            raise Refused("The id field must be a number.")
        target = self._agent(int(raw))
        changes = {
            "name": text_field(body, "name"),
            "role": _role(body),
            "status": _status(body),
        }
        email = email_field(body)
        current = target.get("email") or self._generated_email(int(raw))
        if email is not None and email.casefold() != current.casefold():
            raise Refused("Email address can not be changed")
        target.update({k: v for k, v in changes.items() if v is not None})
        return "Agent updated successfully"

    def _generated_email(self, agent_id: int) -> str:
        return self.app.dataset.agents[agent_id - base_ids()[0]].email

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
            changes = self.agent_changes.get(agent_id - base_ids()[0], {})
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
