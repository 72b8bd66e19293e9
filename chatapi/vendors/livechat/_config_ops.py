"""Typed wrappers of LiveChat v2's configuration rows: agents (writes), canned responses,
goals, greetings, groups, status and tags (REST API v2 reference,
https://developers.livechat.com/docs/). Each method is one row of ``_endpoints.ENDPOINTS``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..._base_client import BaseClient
from ...models import Agent, NewAgent, NewCannedResponse, NewGroup, NewTag
from ...pagination import Pager
from ...writes import first_match, same_key
from ._normalized import (
    agent_arguments,
    canned_response_arguments,
    group_arguments,
    tag_arguments,
)
from ._types import CannedResponse, Goal, Greeting, Group, LiveChatStatus, Tag

__all__ = ["ConfigurationOperations"]


class ConfigurationOperations(BaseClient):
    """Agents, canned responses, goals, greetings, groups, status and tags."""

    # -- agents -----------------------------------------------------------------------------

    async def create_agent(
        self, login: str | NewAgent, name: str | None = None, **optional: Any
    ) -> Agent:
        """Create an agent (without ``password``, LiveChat e-mails an activation link).

        Args:
            login: The agent's e-mail address; or a :class:`~chatapi.models.NewAgent` (the
                normalized write), alone.
            name: The agent's name.
            **optional: ``job_title``, ``login_status`` (``accepting chats`` / ``not
                accepting chats``), ``password``, ``permission`` (``administrator`` /
                ``normal``), ``groups`` (group ids; the reference's ``groups[]``),
                ``notifications`` (a mapping of 0/1), ``daily_summary`` (bool),
                ``max_chats_count``.

        Raises:
            TypeError: An unknown keyword (before any request).
            BadRequestError: LiveChat refused a value (its message included).
        """
        if isinstance(login, NewAgent):
            arguments = agent_arguments(login)
        else:
            arguments = {"login": login, "name": name, **optional}
        agent: Agent = await self._call("create_agent", arguments=arguments)
        return agent

    async def find_agent(self, agent: NewAgent) -> Agent | None:
        """The agent whose login is ``agent.email``, if any."""
        return first_match(await self.agents().collect(), lambda a: same_key(a.id, agent.email))

    async def update_agent(
        self, login: str, agent: NewAgent | None = None, /, **fields: Any
    ) -> Agent:
        """Change the given fields of an agent; the others stay as they are.

        Args:
            login: The agent's e-mail address.
            agent: The normalized write: the name and job title of this
                :class:`~chatapi.models.NewAgent` (given without ``fields``).
            **fields: ``job_title``, ``name``, ``login_status``, ``password``,
                ``current_password``, ``permission``, ``status``, ``groups``,
                ``notifications``, ``daily_summary``, ``max_chats_count``,
                ``work_scheduler``.
        """
        if agent is not None:
            if fields:
                raise TypeError("update_agent() takes a NewAgent or fields, not both")
            fields = {"name": agent.name, "job_title": agent.job_title}
        updated: Agent = await self._call("update_agent", path_args={"id": login}, arguments=fields)
        return updated

    async def delete_agent(self, login: str) -> None:
        """Remove an agent (archived chats stay; the agent's statistics are lost)."""
        await self._call("delete_agent", path_args={"id": login})

    # -- canned responses ---------------------------------------------------------------------

    def canned_responses(self, *, group: int | str | None = None) -> Pager[CannedResponse]:
        """The canned responses of a group (LiveChat's default: group 0)."""
        return self._list("canned_responses", {"group": group})

    async def get_canned_response(self, response_id: int | str) -> CannedResponse:
        """One canned response by id.

        Raises:
            NotFoundError: No such canned response.
        """
        found: CannedResponse = await self._call(
            "get_canned_response", path_args={"id": response_id}
        )
        return found

    async def create_canned_response(
        self,
        text: str | NewCannedResponse,
        tags: Sequence[str] | None = None,
        *,
        group: int | str | None = None,
    ) -> CannedResponse:
        """Create a canned response with its ``tags`` (the shortcuts agents type); or from a
        :class:`~chatapi.models.NewCannedResponse` given alone."""
        if isinstance(text, NewCannedResponse):
            arguments = canned_response_arguments(text)
        else:
            arguments = {"text": text, "tags": tags, "group": group}
        created: CannedResponse = await self._call("create_canned_response", arguments=arguments)
        return created

    async def find_canned_response(self, response: NewCannedResponse) -> CannedResponse | None:
        """The canned response of ``response.group_id`` (0 by default) with its text, if any."""
        listed = await self.canned_responses(group=response.group_id).collect()
        return first_match(listed, lambda r: same_key(r.text, response.text))

    async def update_canned_response(self, response_id: int | str, **fields: Any) -> CannedResponse:
        """Change a canned response's ``text`` and/or ``tags``."""
        updated: CannedResponse = await self._call(
            "update_canned_response", path_args={"id": response_id}, arguments=fields
        )
        return updated

    async def delete_canned_response(self, response_id: int | str) -> None:
        """Remove a canned response."""
        await self._call("delete_canned_response", path_args={"id": response_id})

    # -- goals --------------------------------------------------------------------------------

    def goals(self, *, type: str | None = None) -> Pager[Goal]:
        """Every goal (of one ``type``: ``custom_variable``, ``url``, ``api``,
        ``sales_tracker``)."""
        return self._list("goals", {"type": type})

    async def get_goal(self, goal_id: int | str) -> Goal:
        """One goal by id, with its type's settings."""
        goal: Goal = await self._call("get_goal", path_args={"id": goal_id})
        return goal

    async def create_goal(self, name: str, type: str, **optional: Any) -> Goal:
        """Create a goal.

        Args:
            name: The goal's name.
            type: ``custom_variable``, ``url``, ``api`` or ``sales_tracker``.
            **optional: ``active`` and the type's settings: ``custom_variable_name``,
                ``custom_variable_value``; ``url``, ``match_type``; ``value_type``,
                ``value``, ``currency``, ``time_range``, ``order_field_name``,
                ``value_field_name``, ``sales_tracker_id``.
        """
        goal: Goal = await self._call(
            "create_goal", arguments={"name": name, "type": type, **optional}
        )
        return goal

    async def update_goal(self, goal_id: int | str, **fields: Any) -> Goal:
        """Change a goal's ``name``, ``type``, ``active`` or type settings."""
        goal: Goal = await self._call("update_goal", path_args={"id": goal_id}, arguments=fields)
        return goal

    async def delete_goal(self, goal_id: int | str) -> None:
        """Remove a goal."""
        await self._call("delete_goal", path_args={"id": goal_id})

    async def mark_goal_as_successful(
        self, goal_id: int | str, visitor_id: str, **order: Any
    ) -> None:
        """Record that a visitor reached a goal.

        Args:
            goal_id: The goal.
            visitor_id: The visitor (the chat widget's ``LC_API.get_visitor_id()``).
            **order: ``order_id``, ``order_description``, ``order_price`` (``"199.00"``),
                ``order_currency``.
        """
        await self._call(
            "mark_goal_as_successful",
            path_args={"id": goal_id},
            arguments={"visitor_id": visitor_id, **order},
        )

    # -- greetings ----------------------------------------------------------------------------

    def greetings(self, *, group: int | str | None = None) -> Pager[Greeting]:
        """Every greeting (of one group when ``group`` is given)."""
        return self._list("greetings", {"group": group})

    async def get_greeting(self, greeting_id: int | str) -> Greeting:
        """One greeting by id, with its rules."""
        greeting: Greeting = await self._call("get_greeting", path_args={"id": greeting_id})
        return greeting

    async def create_greeting(
        self, name: str, rules: Sequence[Mapping[str, Any]], **optional: Any
    ) -> Greeting:
        """Create a greeting shown when its ``rules`` are met.

        Args:
            name: The name shown in the LiveChat settings (not to visitors).
            rules: Conditions such as ``{"type": "visit_time_page", "value": 15,
                "operator": "greater_than"}``.
            **optional: ``group``, ``active``, ``subtype`` (``announcement``).
        """
        greeting: Greeting = await self._call(
            "create_greeting", arguments={"name": name, "rules": rules, **optional}
        )
        return greeting

    async def update_greeting(self, greeting_id: int | str, **fields: Any) -> Greeting:
        """Change a greeting: ``name``, ``active``, ``rules``, ``properties``, or ``message``
        (its text, the reference's ``properties[greeting-message_text]``)."""
        greeting: Greeting = await self._call(
            "update_greeting", path_args={"id": greeting_id}, arguments=fields
        )
        return greeting

    async def delete_greeting(self, greeting_id: int | str) -> None:
        """Remove a greeting."""
        await self._call("delete_greeting", path_args={"id": greeting_id})

    # -- groups -------------------------------------------------------------------------------

    def groups(self) -> Pager[Group]:
        """Every group of the license (group 0 holds every agent)."""
        return self._list("groups", {})

    async def get_group(self, group_id: int | str) -> Group:
        """One group by id."""
        group: Group = await self._call("get_group", path_args={"id": group_id})
        return group

    async def create_group(
        self, name: str | NewGroup, agents: Sequence[str] | None = None, **optional: Any
    ) -> Group:
        """Create a group of ``agents`` (logins); ``language`` optional. Or from a
        :class:`~chatapi.models.NewGroup` given alone (without members, the API's own login
        is the first: LiveChat requires one)."""
        if isinstance(name, NewGroup):
            arguments = group_arguments(name, self._own_login())
        else:
            arguments = {"name": name, "agents": agents, **optional}
        group: Group = await self._call("create_group", arguments=arguments)
        return group

    async def find_group(self, group: NewGroup) -> Group | None:
        """The group named ``group.name``, if any."""
        return first_match(await self.groups().collect(), lambda g: same_key(g.name, group.name))

    async def update_group(self, group_id: int | str, **fields: Any) -> Group:
        """Change a group's ``name``, ``language`` or ``agents``."""
        group: Group = await self._call(
            "update_group", path_args={"id": group_id}, arguments=fields
        )
        return group

    async def delete_group(self, group_id: int | str) -> None:
        """Remove a group."""
        await self._call("delete_group", path_args={"id": group_id})

    # -- status and tags ----------------------------------------------------------------------

    async def status(self, group: int | str = 0) -> LiveChatStatus:
        """Whether chat is ``online`` or ``offline`` for a group (an open enum)."""
        status: LiveChatStatus = await self._call("status", path_args={"group": group})
        return status

    def tags(self, *, group: int | str | None = None) -> Pager[Tag]:
        """The tags of every group (of one group when ``group`` is given)."""
        return self._list("tags", {"group": group})

    async def create_tag(
        self, tag: str | NewTag, author: str | None = None, group: int | str | None = None
    ) -> Tag:
        """Add a tag to a group (owners and administrators only); or from a
        :class:`~chatapi.models.NewTag` given alone (its author defaults to the API's login,
        its group to 0)."""
        if isinstance(tag, NewTag):
            arguments = tag_arguments(tag, self._own_login())
        else:
            arguments = {"tag": tag, "author": author, "group": group}
        created: Tag = await self._call("create_tag", arguments=arguments)
        return created

    async def find_tag(self, tag: NewTag) -> Tag | None:
        """The tag named ``tag.name`` in its group (0 by default), if any."""
        group = tag.group_id if tag.group_id is not None else "0"
        listed = await self.tags(group=group).collect()
        return first_match(
            listed, lambda t: same_key(t.name, tag.name) and str(t.group_id) == str(group)
        )

    def _own_login(self) -> str | None:
        """The login the client authenticates as, when it knows it (Basic auth)."""
        return None

    async def delete_tag(self, tag: str, group: int | str) -> None:
        """Remove a tag from a group."""
        await self._call("delete_tag", path_args={"id": tag}, arguments={"group": group})
