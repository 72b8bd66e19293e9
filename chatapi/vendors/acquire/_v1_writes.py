"""The Acquire v1 writes: typed wrappers of the write rows (``_rows_v1_writes.py``) and the
normalized writes built on them (``create_agent``/``find_agent``,
``create_visitor``/``find_visitor``; see :mod:`chatapi.writes`).

v1 writes answer a sentence, never the record they made (https://developer.acquire.io/
rest-apis/agent/agent-add, .../profiles-api/profile-add-update): a normalized write finds
its record afterwards by its natural key (the e-mail) through the listing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any, overload

import attrs

from ..._base_client import BaseClient, _scrub
from ...errors import ChatAPIError, ResponseFormatError
from ...models import Agent, AgentRole, NewAgent, NewVisitor, Visitor
from ...writes import first_match, same_key

__all__ = ["ADMINISTRATOR", "OPERATOR", "Profile", "V1Writes"]


#: ``role`` values of agents/add and agents/update: "Administrator = 1 Or Operator = 2".
ADMINISTRATOR, OPERATOR = 1, 2


@attrs.frozen(kw_only=True)
class Profile:
    """A profile a normalized write made or found (a :class:`~chatapi.models.Record`).

    Attributes:
        id: The visitor id (``Visitor.id``, what chat threads name).
        profile_id: The profile's own id (for :meth:`V1Writes.delete_profiles` and
            ``get_visitor``).
        visitor: The profile as :meth:`~chatapi.vendors.acquire.AcquireV1.visitors` lists it.
    """

    id: str
    profile_id: str | None
    visitor: Visitor

    @classmethod
    def of(cls, visitor: Visitor) -> Profile:
        """The profile of a listed visitor."""
        own = visitor.raw.get("id")
        profile_id = str(own) if own is not None else None
        return cls(id=visitor.id or profile_id or "", profile_id=profile_id, visitor=visitor)


def _tags(value: Any) -> Any:
    # The vendor takes tag ids comma-separated ("73,74"); a sequence is joined for the caller.
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return value


def _visitor_matches(wanted: NewVisitor) -> Callable[[Visitor], bool]:
    """The natural key of a visitor: its e-mail; without one, its name and phone together."""
    if wanted.email is not None:
        return lambda v: same_key(v.email, wanted.email)

    def same_person(v: Visitor) -> bool:
        return (wanted.name is None or same_key(v.name, wanted.name)) and (
            wanted.phone is None or same_key(v.phone, wanted.phone)
        )

    return same_person


class V1Writes(BaseClient):
    """The v1 writes (a mixin of :class:`~chatapi.vendors.acquire.AcquireV1`)."""

    # -- agents -----------------------------------------------------------------------------

    @overload
    async def create_agent(self, agent: NewAgent, /) -> Agent: ...

    @overload
    async def create_agent(
        self, name: str, /, email: str, password: str, *, role: int = ..., status: str = ...
    ) -> None: ...

    async def create_agent(
        self,
        name: str | NewAgent,
        /,
        email: str | None = None,
        password: str | None = None,
        *,
        role: int = OPERATOR,
        status: str = "active",
    ) -> Agent | None:
        """Create an agent (``/account/agents/add``); or, given a
        :class:`~chatapi.models.NewAgent` alone, the normalized write.

        The vendor requires a password. The normalized write sends a random one
        (``secrets.token_urlsafe(24)``) that it never logs, returns or keeps: the agent sets
        their own through Acquire's password reset. It then returns the agent as the
        listing shows it (found by e-mail), since the vendor answers with a sentence only.
        Groups and job title of a ``NewAgent`` are not sent (agents/add takes none).

        Args:
            name: The agent's name, or a ``NewAgent``.
            email: The login e-mail (it cannot change later).
            password: The agent's password.
            role: :data:`ADMINISTRATOR` (1) or :data:`OPERATOR` (2).
            status: ``active`` or ``disable``.

        Returns:
            None for the vendor's call (its answer is "Agent save successfully."); the created
            :class:`~chatapi.models.Agent` for the normalized write.

        Raises:
            TypeError: A missing argument, or a ``NewAgent`` with more arguments (before any
                request).
            ResponseFormatError: The answer is not the confirmation; or (normalized) the new
                agent is not listed.
        """
        if isinstance(name, NewAgent):
            if email is not None or password is not None:
                raise TypeError("create_agent(NewAgent) takes no other argument")
            return await self._create_new_agent(name)
        arguments = {
            "role": role,
            "name": name,
            "email": email,
            "password": password,
            "status": status,
        }
        await self._call("create_agent", arguments=arguments)
        return None

    async def _create_new_agent(self, agent: NewAgent) -> Agent:
        admin = agent.role in (AgentRole.ADMIN, AgentRole.OWNER)
        password = secrets.token_urlsafe(24)
        arguments = {
            "role": ADMINISTRATOR if admin else OPERATOR,
            "name": agent.name,
            "email": agent.email,
            "password": password,
            "status": "active",
        }
        try:
            await self._call("create_agent", arguments=arguments)
        except ChatAPIError as error:
            # A vendor (or proxy) echoing the request would put the password in the error.
            _scrub(error, [password])
            raise
        created = await self.find_agent(agent)
        if created is None:
            raise ResponseFormatError(
                f"acquire confirmed agent {agent.email!r} but does not list it",
                vendor=self.vendor,
            )
        return created

    async def find_agent(self, agent: NewAgent, /) -> Agent | None:
        """The agent whose e-mail is ``agent.email`` (case-insensitive), if any."""
        listed: list[Agent] = await self.agents().collect()
        return first_match(listed, lambda a: same_key(a.email, agent.email))

    @overload
    async def update_agent(self, agent_id: str | int, agent: NewAgent, /) -> Agent: ...

    @overload
    async def update_agent(self, agent_id: str | int, /, **fields: Any) -> None: ...

    async def update_agent(
        self, agent_id: str | int, agent: NewAgent | None = None, /, **fields: Any
    ) -> Agent | None:
        """Change the given fields of an agent (``/account/agents/update``); or, given a
        :class:`~chatapi.models.NewAgent`, the normalized write: its name, then the agent as
        the listing shows it.

        The e-mail cannot change ("you can not update Email address"): it is not accepted.

        Args:
            agent_id: The agent's ``id`` (``Agent.id`` of :meth:`agents`).
            agent: The normalized write's input (given without ``fields``).
            **fields: ``name``, ``role`` (1 or 2), ``status`` (``active``/``disable``),
                ``password``.

        Raises:
            TypeError: An unknown keyword, or both a ``NewAgent`` and fields (before any
                request).
            ResponseFormatError: The answer is not the confirmation.
        """
        if agent is None:
            await self._call("update_agent", arguments={"id": agent_id, **fields})
            return None
        if fields:
            raise TypeError("update_agent() takes a NewAgent or fields, not both")
        await self._call("update_agent", arguments={"id": agent_id, "name": agent.name})
        found = await self.find_agent(agent)
        if found is None:
            raise ResponseFormatError(
                f"agent {agent_id} was updated but is not listed", vendor=self.vendor
            )
        return found

    # -- profiles (visitors) ----------------------------------------------------------------

    async def add_or_update_profile(self, **fields: Any) -> None:
        """Add a profile, or update one (``/profile/lead/add-update``; every field optional).

        The answer holds no id ("New Record Successfully Added"): find the profile with
        :meth:`visitors` (or use :meth:`create_visitor`, which does).

        Args:
            **fields: ``name``, ``email``, ``phone``, ``remarks``, ``tags`` (tag ids, a
                sequence or ``"73,74"``), ``address``, ``chat_id``, ``visitor_id``,
                ``extra_field`` (custom fields by key, sent as ``extra_field[<key>]``).

        Raises:
            TypeError: An unknown keyword (before any request).
            ResponseFormatError: The answer is not the confirmation.
        """
        if "tags" in fields:
            fields = {**fields, "tags": _tags(fields["tags"])}
        await self._call("add_or_update_profile", arguments=fields)

    async def delete_profiles(self, ids: str | int | Sequence[str | int]) -> None:
        """Delete profiles for good (``/profile/lead/delete``; "can not restore").

        Args:
            ids: Profile ids: the profile's own ``id`` (``Visitor.raw["id"]``), not its
                ``visitor_id``.

        Raises:
            ValueError: No id, or one that is not a number (before any request).
            ResponseFormatError: The answer is not the confirmation.
        """
        if not isinstance(ids, (str, int)) and not ids:
            raise ValueError("delete_profiles() needs at least one profile id")
        await self._call("delete_profiles", arguments={"id": ids})

    async def create_visitor(self, visitor: NewVisitor, /) -> Profile:
        """Add a profile from a :class:`~chatapi.models.NewVisitor` and return it as the
        profile listing shows it (found by e-mail; without one, by name and phone), as a
        :class:`Profile`.

        ``fields`` are sent as custom fields (``extra_field[<key>]``).

        Raises:
            ValueError: No e-mail, name or phone to find the profile by (before any request).
            ResponseFormatError: The answer is not the confirmation, or the new profile is
                not listed.
        """
        if visitor.email is None and visitor.name is None and visitor.phone is None:
            raise ValueError("create_visitor() needs an e-mail, a name or a phone")
        arguments: dict[str, Any] = {
            "name": visitor.name,
            "email": visitor.email,
            "phone": visitor.phone,
            "extra_field": dict(visitor.fields) or None,
        }
        await self._call("add_or_update_profile", arguments=arguments)
        created = await self.find_visitor(visitor)
        if created is None:
            raise ResponseFormatError(
                "acquire confirmed a new profile but does not list it", vendor=self.vendor
            )
        return created

    async def find_visitor(self, visitor: NewVisitor, /) -> Profile | None:
        """The profile with ``visitor.email`` (case-insensitive); without an e-mail, the
        latest listed with the same name and phone; None if there is none."""
        if visitor.email is None and visitor.name is None and visitor.phone is None:
            return None
        listed: list[Visitor] = await self.visitors().collect()
        matches = _visitor_matches(visitor)
        found = first_match(listed if visitor.email is not None else reversed(listed), matches)
        return Profile.of(found) if found is not None else None
