"""Typed wrappers of the Acquire v2 write rows (:mod:`._v2_rows`), under the vendor's own
names: users, contacts, cases, departments, tags and message shortcuts
(https://developer.acquire.io/v/2.0.0/). Each method is one row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..._base_client import BaseClient
from ...models import Agent, Chat, NewTag, Visitor
from ...pagination import Pager
from ._v2_types import CaseMessage, Department, Shortcut, Tag

__all__ = ["V2Writes"]

#: What a tag may be put on ("Array of strings. Indicate if the tag will be attached to a
#: contact or case", platform/tags/add-new-tag).
TAG_TYPES: tuple[str, ...] = ("case", "contact")


def contact_fields(
    name: str | None, email: str | None, phone: str | None, fields: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The ``fields`` object of a contact write: custom attributes, then name/email/phone."""
    document = dict(fields or {})
    for key, value in (("name", name), ("email", email), ("phone", phone)):
        if value is not None:
            document[key] = value
    return document


class V2Writes(BaseClient):
    """Users, contacts, cases, departments, tags and message shortcuts of Acquire v2."""

    # -- users (agents) ---------------------------------------------------------------------

    async def create_user(
        self,
        name: str,
        email: str,
        password: str,
        *,
        roles: Sequence[int | str] = (),
        departments: Sequence[int | str] = (),
    ) -> Agent:
        """Add an account user (an agent).

        Args:
            name: The user's name.
            email: Login e-mail; must be unique in the account.
            password: The first password (Acquire requires one; it can be changed later).
                Sent once, never kept.
            roles: Role ids (Acquire requires the list; 1 is "Administrator").
            departments: Department ids (empty: none).

        Raises:
            ConflictError: The e-mail is taken (``ERROR_DUPLICATE_RECORD_FOUND``, HTTP 400).
            BadRequestError: Acquire refused a value.
        """
        arguments = {
            "name": name,
            "email": email,
            "password": password,
            "roles": list(roles),
            "department": list(departments),
        }
        agent: Agent = await self._call("create_user", arguments=arguments)
        return agent

    async def update_user(self, user_id: int | str, **fields: Any) -> Agent:
        """Change the given fields of a user.

        Args:
            user_id: The user's id.
            **fields: ``name``, ``email``, ``status``, ``phone``, ``password``,
                ``new_password``, ``departments`` (ids), ``roles`` (ids).
        """
        agent: Agent = await self._call("update_user", path_args={"id": user_id}, arguments=fields)
        return agent

    async def delete_user(self, user_id: int | str) -> None:
        """Delete a user ("This action cannot be undone")."""
        await self._call("delete_user", arguments={"user_id": user_id})

    # -- contacts (visitors) -----------------------------------------------------------------

    async def create_contact(
        self,
        *,
        name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Visitor:
        """Add a contact; ``fields`` holds further attributes (custom attribute keys)."""
        document = contact_fields(name, email, phone, fields)
        visitor: Visitor = await self._call("create_contact", arguments={"fields": document})
        return visitor

    async def update_contact(
        self,
        contact_id: int | str,
        *,
        name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Visitor:
        """Change the given attributes of a contact."""
        document = contact_fields(name, email, phone, fields)
        visitor: Visitor = await self._call(
            "update_contact", path_args={"id": contact_id}, arguments={"fields": document}
        )
        return visitor

    async def delete_contact(self, contact_id: int | str) -> None:
        """Delete a contact ("This action cannot be undone")."""
        await self._call("delete_contact", path_args={"id": contact_id})

    # -- cases ------------------------------------------------------------------------------

    async def create_case_for_contact(
        self, contact_id: int | str, *, title: str | None = None
    ) -> Chat:
        """Open a case (an active chat) for a contact; it has no message yet."""
        arguments = {"title": title, "channel": "chat"}
        case: Chat = await self._call(
            "create_case_for_contact", path_args={"contact_id": contact_id}, arguments=arguments
        )
        return case

    async def add_case_message(
        self,
        case_id: int | str,
        message: str,
        *,
        type: Literal["message", "note", "event"] = "message",
        as_user: bool = True,
    ) -> CaseMessage:
        """Add a message to an active case ("Only active cases may receive messages").

        Acquire sets the time (now) and the author: the API key's user with ``as_user``
        (``x-user-type=user``), else the case's contact (``x-user-type=contact``).

        Args:
            case_id: The case.
            message: The text.
            type: ``message`` (a chat message), ``note`` or ``event``.
            as_user: Whether the agent side sends it.
        """
        arguments = {"case_id": case_id, "message": message, "type": type, "channel": "chat"}
        added: CaseMessage = await self._call(
            "add_case_message",
            path_args={"user_type": "user" if as_user else "contact"},
            arguments=arguments,
        )
        return added

    async def close_case(self, case_id: int | str, *, closing_state: str | None = None) -> None:
        """Close a case (``closing_state``: e.g. ``handled``)."""
        await self._call(
            "close_case", arguments={"case_id": case_id, "closing_state": closing_state}
        )

    # -- departments ------------------------------------------------------------------------

    def departments(self) -> Pager[Department]:
        """Every department, with its users."""
        return self._list("departments", {})

    async def create_department(self, name: str, *, status: str = "active") -> Department:
        """Add a department (``status``: ``active``, or ``disabled`` for a draft)."""
        arguments = {"department_list": [{"name": name, "status": status}]}
        created: Department = await self._call("create_department", arguments=arguments)
        return created

    async def update_department(self, department_id: int | str, **fields: Any) -> Department:
        """Change a department's ``name`` and/or ``status``."""
        updated: Department = await self._call(
            "update_department", path_args={"id": department_id}, arguments=fields
        )
        return updated

    async def delete_department(self, department_id: int | str) -> None:
        """Delete a department."""
        await self._call("delete_department", arguments={"id": department_id})

    # -- tags -------------------------------------------------------------------------------

    def tags(self, *, search: str | None = None) -> Pager[Tag]:
        """Every tag (``search``: those matching a keyword)."""
        return self._list("tags", {"search": search} if search is not None else {})

    async def create_tag(
        self,
        name: str | NewTag,
        /,
        *,
        color: str | None = None,
        types: Sequence[str] = TAG_TYPES,
    ) -> Tag:
        """Add a tag; or the normalized write, from a :class:`~chatapi.models.NewTag` alone.

        Args:
            name: The tag's (unique) name, or a ``NewTag`` (its group is not kept: Acquire
                tags belong to the account).
            color: Hex colour code.
            types: What it may be put on: ``case`` and/or ``contact``.
        """
        text = name.name if isinstance(name, NewTag) else name
        arguments = {"name": text, "color": color, "type": list(types)}
        created: Tag = await self._call("create_tag", arguments=arguments)
        return created

    async def update_tag(
        self,
        tag_id: int | str,
        *,
        name: str | None = None,
        color: str | None = None,
        types: Sequence[str] = TAG_TYPES,
    ) -> Tag:
        """Change a tag (Acquire requires ``type`` on every update)."""
        arguments = {"name": name, "color": color, "type": list(types)}
        updated: Tag = await self._call("update_tag", path_args={"id": tag_id}, arguments=arguments)
        return updated

    async def delete_tag(self, tag_id: int | str) -> None:
        """Delete a tag ("This action cannot be undone")."""
        await self._call("delete_tag", arguments={"id": tag_id})

    # -- message shortcuts ------------------------------------------------------------------

    def shortcuts(self, *, search: str | None = None) -> Pager[Shortcut]:
        """Every message shortcut (``search``: those matching a keyword)."""
        return self._list("shortcuts", {"search": search} if search is not None else {})

    async def create_shortcut(self, message: str, *, name: str | None = None) -> Shortcut:
        """Add a message shortcut: ``message`` is inserted when an agent types ``name``."""
        arguments = {"message": message, "shortcut_name": name}
        created: Shortcut = await self._call("create_shortcut", arguments=arguments)
        return created

    async def update_shortcut(
        self, shortcut_id: int | str, *, message: str | None = None, name: str | None = None
    ) -> Shortcut:
        """Change a shortcut's message and/or name."""
        arguments = {"message": message, "shortcut_name": name}
        updated: Shortcut = await self._call(
            "update_shortcut", path_args={"id": shortcut_id}, arguments=arguments
        )
        return updated

    async def delete_shortcut(self, shortcut_id: int | str) -> None:
        """Delete a message shortcut."""
        await self._call("delete_shortcut", arguments={"id": shortcut_id})
