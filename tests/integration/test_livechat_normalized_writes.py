"""LiveChat's normalized writes (chatapi.writes) against the sandbox: each New* input creates
the record once, and its natural-key lookup finds it."""

from __future__ import annotations

import pytest

import chatapi
from chatapi.models import (
    AgentRole,
    NewAgent,
    NewCannedResponse,
    NewChat,
    NewGroup,
    NewTag,
    NewTicket,
    NewVisitor,
)
from chatapi.sandbox import serve


async def test_each_normalized_write_creates_and_finds() -> None:
    async with serve("livechat", chats=10, seed=3) as sb, sb.client() as lc:
        group = NewGroup(name="Billing")
        assert await lc.find_group(group) is None
        created_group = await lc.create_group(group)
        assert (await lc.find_group(NewGroup(name=" billing "))).id == created_group.id

        agent = NewAgent(
            email="New.Agent@example.com",
            name="New",
            role=AgentRole.ADMIN,
            group_ids=(created_group.id,),
        )
        assert await lc.find_agent(agent) is None
        made = await lc.create_agent(agent)
        assert made.role is AgentRole.ADMIN and created_group.id in made.group_ids
        found = await lc.find_agent(agent)
        assert found is not None and found.id == made.id

        tag = NewTag(name="refund", group_id=created_group.id)
        assert await lc.find_tag(tag) is None
        made_tag = await lc.create_tag(tag)
        assert (await lc.find_tag(tag)).id == made_tag.id  # type: ignore[union-attr]
        assert await lc.find_tag(NewTag(name="refund")) is None  # another group

        canned = NewCannedResponse(text="Thanks!", tags=("ty",))
        made_canned = await lc.create_canned_response(canned)
        assert (await lc.find_canned_response(canned)).id == made_canned.id  # type: ignore[union-attr]

        ticket = NewTicket(
            requester_email="ann@example.com",
            message="Where is it?",
            subject="Parcel",
            group_ids=(created_group.id,),
        )
        assert await lc.find_ticket(ticket) is None
        made_ticket = await lc.create_ticket(ticket)
        assert (await lc.find_ticket(ticket)).id == made_ticket.id  # type: ignore[union-attr]
        assert (
            await lc.find_ticket(NewTicket(requester_email="ann@example.com", message="x")) is None
        )

        # What LiveChat cannot hold is refused before any request.
        before = sb.stats.requests
        with pytest.raises(chatapi.UnsupportedOperationError):
            await lc.create_visitor(NewVisitor(email="v@example.com"))
        with pytest.raises(chatapi.UnsupportedOperationError):
            await lc.create_case(NewChat(visitor=NewVisitor(email="v@example.com")))
        assert sb.stats.requests == before
