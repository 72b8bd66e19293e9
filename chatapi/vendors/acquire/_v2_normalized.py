"""The normalized writes (:mod:`chatapi.writes`) as Acquire v2 calls, each with its lookup by
natural key.

- agents are users (key: e-mail, case-insensitive). Acquire requires a password to add a user
  (https://developer.acquire.io/v/2.0.0/rest-apis/settings-configuration/account-user-agent/add):
  a random one is made inside the call (``secrets.token_urlsafe``), sent once and never kept,
  logged or returned; the agent sets their own through Acquire's password reset.
- groups are departments (key: name); tags are tags (key: name: Acquire tags belong to the
  account, so ``NewTag.group_id`` is not kept); canned responses are message shortcuts (key:
  the text); visitors are contacts (key: e-mail).
- a conversation is a case (:meth:`V2NormalizedWrites.create_case`): the contact is found (by
  e-mail) or created, a case opened, every message added in order, the case closed. Acquire
  sets each message's author (the API key's user, or the contact) and time (now): the text
  carries the original ones (:func:`chatapi.writes.stamp`). Its key: the contact's case
  whose first message is the first stamped text.
"""

from __future__ import annotations

import secrets
from typing import cast

from ...errors import ChatAPIError, ResponseFormatError
from ...models import (
    Agent,
    AgentRole,
    Chat,
    NewAgent,
    NewCannedResponse,
    NewChat,
    NewGroup,
    NewMessage,
    NewTag,
    NewVisitor,
    ParticipantKind,
    Record,
    Visitor,
)
from ...writes import first_match, same_key, stamped
from ._v2_types import Department, PartialWriteError, Shortcut, Tag
from ._v2_writes import V2Writes

__all__ = ["V2NormalizedWrites", "stamped_texts"]


# Role ids: the add-user page's example answer shows role 1 "Administrator"; 2 (the v1
# "Operator", https://developer.acquire.io/ agents add) is our guess for a plain agent.
_ROLE_IDS = {AgentRole.OWNER: 1, AgentRole.ADMIN: 1}
_AGENT_ROLE_ID = 2
# Senders Acquire can name: the API key's user (x-user-type=user) or the case's contact.
_CONTACT_KINDS = frozenset({ParticipantKind.VISITOR})


def stamped_texts(chat: NewChat) -> list[str]:
    """The texts :meth:`V2NormalizedWrites.create_case` writes, in order."""
    return [stamped(m) for m in chat.messages]


def _record(visitor: Visitor, vendor: str) -> Record:
    """A contact as a :class:`~chatapi.models.Record` (a contact without an id is not one)."""
    if visitor.id is None:
        raise ResponseFormatError("Acquire answered with a contact without an id", vendor=vendor)
    return cast(Record, visitor)


def _as_user(message: NewMessage) -> bool:
    return message.author.kind not in _CONTACT_KINDS


class V2NormalizedWrites(V2Writes):
    """create_*/find_* of :mod:`chatapi.writes` on Acquire v2."""

    async def create_agent(self, agent: NewAgent, /) -> Agent:
        """Add a user for ``agent`` with a random password nobody learns (the agent uses
        Acquire's password reset); the role maps to role 1 (administrators) or 2."""
        role = _ROLE_IDS.get(agent.role, _AGENT_ROLE_ID)
        return await self.create_user(
            agent.name,
            agent.email,
            secrets.token_urlsafe(24),
            roles=[role],
            departments=list(agent.group_ids),
        )

    async def update_agent(self, agent_id: str, agent: NewAgent, /) -> Agent:
        """The normalized write: the user's name becomes ``agent.name`` (roles, departments
        and e-mail stay as they are)."""
        return await self.update_user(agent_id, name=agent.name)

    async def find_agent(self, agent: NewAgent, /) -> Agent | None:
        """The user whose e-mail is ``agent.email`` (case-insensitive), if any."""
        return first_match(await self.agents().collect(), lambda a: same_key(a.email, agent.email))

    async def create_group(self, group: NewGroup, /) -> Department:
        """Add a department named ``group.name`` (members join through their user's
        departments; ``agent_ids`` and ``language`` are not kept)."""
        return await self.create_department(group.name)

    async def find_group(self, group: NewGroup, /) -> Department | None:
        """The department named ``group.name``, if any."""
        listed = await self.departments().collect()
        return first_match(listed, lambda d: same_key(d.name, group.name))

    async def find_tag(self, tag: NewTag, /) -> Tag | None:
        """The tag named ``tag.name``, if any (``create_tag`` takes a NewTag as it is)."""
        listed = await self.tags(search=tag.name).collect()
        return first_match(listed, lambda t: same_key(t.name, tag.name))

    async def create_canned_response(self, response: NewCannedResponse, /) -> Shortcut:
        """Add a shortcut with ``response.text``, named after its first tag."""
        name = response.tags[0] if response.tags else None
        return await self.create_shortcut(response.text, name=name)

    async def find_canned_response(self, response: NewCannedResponse, /) -> Shortcut | None:
        """The shortcut whose message is ``response.text``, if any."""
        listed = await self.shortcuts().collect()
        return first_match(listed, lambda s: s.message == response.text)

    async def create_visitor(self, visitor: NewVisitor, /) -> Record:
        """Add a contact (``fields`` become its further attributes); returns the
        :class:`~chatapi.models.Visitor`."""
        return _record(await self._new_contact(visitor), self.vendor)

    async def find_visitor(self, visitor: NewVisitor, /) -> Record | None:
        """The contact (a :class:`~chatapi.models.Visitor`) with ``visitor.email``
        (case-insensitive); None without an e-mail."""
        found = await self._contact(visitor)
        return None if found is None else _record(found, self.vendor)

    async def _new_contact(self, visitor: NewVisitor) -> Visitor:
        return await self.create_contact(
            name=visitor.name, email=visitor.email, phone=visitor.phone, fields=visitor.fields
        )

    async def _contact(self, visitor: NewVisitor) -> Visitor | None:
        if not visitor.email:
            return None
        return first_match(
            await self.visitors().collect(), lambda v: same_key(v.email, visitor.email)
        )

    async def create_case(self, chat: NewChat, /) -> Chat:
        """Write a conversation as a case: find or create the contact, open a case, add each
        message (stamped with its author and time), close the case.

        Returns:
            The case as opened (its id; read it again for the messages).

        Raises:
            PartialWriteError: The case was opened but a later step failed: it says which
                case and how many messages it holds (the cause is chained).
        """
        contact = await self._contact(chat.visitor) or await self._new_contact(chat.visitor)
        case = await self.create_case_for_contact(
            _record(contact, self.vendor).id, title=chat.subject
        )
        written = 0
        try:
            for message, text in zip(chat.messages, stamped_texts(chat), strict=True):
                await self.add_case_message(case.id, text, as_user=_as_user(message))
                written += 1
            await self.close_case(case.id, closing_state="handled")
        except ChatAPIError as exc:
            raise PartialWriteError(
                f"case {case.id} was opened with {written} of {len(chat.messages)} messages "
                f"and not closed: {exc}",
                case_id=case.id,
                messages_written=written,
                vendor=self.vendor,
            ) from exc
        return case

    async def find_case(self, chat: NewChat, /) -> Chat | None:
        """The case of the conversation's contact whose first message is the first stamped
        text (a conversation without messages: a case without messages and the same title)."""
        contact = await self._contact(chat.visitor)
        if contact is None or contact.id is None:
            return None
        texts = stamped_texts(chat)
        cases: list[Chat] = await self._list(
            "chats", {"contact_id": contact.id, "include_messages": True}
        ).collect()
        for case in cases:
            first = case.messages[0].text if case.messages else None
            if texts and first == texts[0]:
                return case
            same_title = chat.subject is None or case.raw.get("title") == chat.subject
            if not texts and first is None and same_title:
                return case
        return None
