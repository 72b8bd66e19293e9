"""What ``chatapi demo`` writes to the LiveChat sandbox: a group, an agent and a ticket, each
read back. A write whose answer is lost is not simply sent again: the demo reads back first,
as code that must not write twice would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from ...errors import APIConnectionError, ServerError
from ._client import LiveChat

__all__ = ["show_writes"]

T = TypeVar("T")


async def _once(
    what: str,
    create: Callable[[], Awaitable[T]],
    find: Callable[[], Awaitable[T | None]],
    attempts: int = 3,
) -> tuple[T, str]:
    """Create a record exactly once, even when the answer to the write is lost."""
    notes: list[str] = []

    def said() -> str:
        return f"created {what}" + (f" ({'; '.join(notes)})" if notes else "")

    for _ in range(attempts - 1):
        try:
            return await create(), said()
        except (ServerError, APIConnectionError) as error:
            # The client did not repeat the write: it may have been applied. Look first.
            found = await find()
            if found is not None:
                notes.append(f"answer lost to {type(error).__name__}, found on read-back")
                return found, said()
            notes.append(f"{type(error).__name__}, not applied: sent again")
    return await create(), said()


async def show_writes(client: Any) -> AsyncIterator[str]:
    """Create a group, an agent and a ticket in the sandbox and read each back.

    Yields:
        One line per thing done.
    """
    if not isinstance(client, LiveChat):
        raise TypeError(f"the demo writes need a LiveChat client, got {type(client).__name__}")
    lead = (await client.agents().collect())[0].id

    async def find_group() -> Any:
        return next((g for g in await client.groups().collect() if g.name == "Demo group"), None)

    group, said = await _once(
        "group 'Demo group'", lambda: client.create_group("Demo group", [lead]), find_group
    )
    yield f"{said}: id {group.id}, agents {', '.join(group.agent_ids)}"
    group = await client.get_group(group.id)
    yield f"read group {group.id} back: {group.name!r}, status {group.status.value}"

    login = "demo.agent@example.com"

    async def find_agent() -> Any:
        return next((a for a in await client.agents().collect() if a.id == login), None)

    agent, said = await _once(
        f"agent {login}",
        lambda: client.create_agent(login, "Demo Agent", groups=[group.id]),
        find_agent,
    )
    yield said
    agent = await client.get_agent(agent.id)
    yield f"read agent {agent.id} back: {agent.name!r}, groups {', '.join(agent.group_ids)}"

    mail = "demo.customer@example.com"

    async def find_ticket() -> Any:
        listed = await client.tickets(requester_mail=mail).collect()
        return listed[0] if listed else None

    ticket, said = await _once(
        f"ticket for {mail}",
        lambda: client.create_ticket(
            "Hello from chatapi demo", mail, subject="Demo ticket", group=[group.id]
        ),
        find_ticket,
    )
    yield f"{said}: id {ticket.id}"
    ticket = await client.get_ticket(ticket.id)
    yield f"read ticket {ticket.id} back: {ticket.subject!r}, {len(ticket.events)} event(s)"
