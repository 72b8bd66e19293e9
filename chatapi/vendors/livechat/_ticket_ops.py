"""Typed wrappers of LiveChat v2's tickets, webhooks, visitors and chat writes (REST API v2
reference, https://developers.livechat.com/docs/). Each method is one row of
``_endpoints.ENDPOINTS``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..._base_client import BaseClient
from ...models import Chat, NewTicket
from ...pagination import Pager
from ...writes import first_match
from ._normalized import ticket_arguments
from ._types import Ticket, TicketMessage, Webhook

__all__ = ["TicketOperations"]


class TicketOperations(BaseClient):
    """Tickets, webhooks, visitors, and the writes on archived chats."""

    # -- chats --------------------------------------------------------------------------------

    async def update_chat_tags(self, chat_id: str, tags: Sequence[str]) -> Chat:
        """Replace the tags of an archived chat; returns the chat as it is now."""
        chat: Chat = await self._call(
            "update_chat_tags", path_args={"id": chat_id}, arguments={"tag": tags}
        )
        return chat

    async def send_transcript(self, chat_id: str, to: str) -> None:
        """E-mail a chat's transcript to the address ``to``."""
        await self._call("send_transcript", path_args={"id": chat_id}, arguments={"to": to})

    # -- tickets ------------------------------------------------------------------------------

    def tickets(self, **filters: Any) -> Pager[Ticket]:
        """Every ticket matching ``filters``, 25 per page, fetched concurrently.

        Listings at LiveChat's 25,000-record limit are split into date windows.

        Args:
            **filters: ``date_from``, ``date_to`` (any activity on those days), ``assigned``
                (bool), ``order`` (``desc`` / ``asc`` by last change), ``status`` (``open``,
                ``pending``, ``solved``, ``spam``), ``assignee`` (login), ``query``,
                ``requester_mail`` (the reference's ``requester[mail]``), ``group``,
                ``source`` (``lc2``, ``mail``, ``facebook``, ``agent-app-manual``,
                ``chat-window``), ``tag``, ``tagged`` (bool).

        Raises:
            TypeError: An unknown filter name (before any request).
            ValueError: A filter value of the wrong kind.
        """
        return self._list("tickets", filters)

    async def get_ticket(self, ticket_id: str) -> Ticket:
        """One ticket by id, with its events.

        Raises:
            NotFoundError: No such ticket.
        """
        ticket: Ticket = await self._call("get_ticket", path_args={"id": ticket_id})
        return ticket

    async def create_ticket(
        self, message: str | NewTicket, requester_mail: str | None = None, **optional: Any
    ) -> Ticket:
        """Open a ticket with one message from its requester.

        Args:
            message: The requester's message; or a :class:`~chatapi.models.NewTicket` (the
                normalized write), alone.
            requester_mail: The requester's e-mail (the reference's ``requester[mail]``).
            **optional: ``requester_name`` (``requester[name]``), ``assignee_id``
                (``assignee[id]``, an agent's login), ``source_type`` (``source[type]``:
                ``chat-window``, ``mail``, ``lc2``), ``source_url`` (``source[url]``),
                ``subject``, ``group`` (a list of group ids).

        Raises:
            TypeError: An unknown keyword or a missing required one (before any request).
            APIConnectionError: With ``sent=True``: the answer was lost after the request
                left, and the ticket may have been created (it is not sent again).
        """
        if isinstance(message, NewTicket):
            arguments = ticket_arguments(message)
        else:
            arguments = {"message": message, "requester_mail": requester_mail, **optional}
        ticket: Ticket = await self._call("create_ticket", arguments=arguments)
        return ticket

    async def find_ticket(self, ticket: NewTicket) -> Ticket | None:
        """The requester's ticket with this subject whose first message is this one, if any."""
        listed = await self.tickets(requester_mail=ticket.requester_email).collect()

        def matches(found: Ticket) -> bool:
            opening = next((e for e in found.events if isinstance(e, TicketMessage)), None)
            return (
                (found.subject or None) == (ticket.subject or None)
                and opening is not None
                and opening.text.strip() == ticket.message.strip()
            )

        return first_match(listed, matches)

    async def update_ticket_tags(self, ticket_id: str, tags: Sequence[str]) -> Ticket:
        """Replace the tags of a ticket; returns the ticket as it is now."""
        ticket: Ticket = await self._call(
            "update_ticket_tags", path_args={"id": ticket_id}, arguments={"tag": tags}
        )
        return ticket

    # -- webhooks -----------------------------------------------------------------------------

    def webhooks(self) -> Pager[Webhook]:
        """Every webhook of the license (each with its ``token``, a credential)."""
        return self._list("webhooks", {})

    async def create_webhook(self, event_type: str, data_types: Sequence[str], url: str) -> Webhook:
        """Have LiveChat POST ``event_type`` events to ``url``.

        Args:
            event_type: ``chat_started``, ``chat_ended``, ``chat_changed``,
                ``visitor_queued``, ``ticket_created`` or ``canned_response_changed``.
            data_types: What each event carries: ``chat``, ``visitor``, ``pre_chat_survey``,
                ``ticket``, ``canned_response``.
            url: Where the events go (HTTP Basic credentials in it are sent along).

        Returns:
            The new webhook; its ``token`` comes with every event it sends.
        """
        webhook: Webhook = await self._call(
            "create_webhook",
            arguments={"event_type": event_type, "data_types": data_types, "url": url},
        )
        return webhook

    async def delete_webhook(self, webhook_id: str) -> None:
        """Remove a webhook."""
        await self._call("delete_webhook", path_args={"id": webhook_id})

    # -- visitors -----------------------------------------------------------------------------

    async def count_visitors(
        self, *, state: str | None = None, group: int | str | Sequence[int | str] | None = None
    ) -> int:
        """How many visitors are on the site (in a ``state``: ``chatting``, ``queued``; of
        the given groups)."""
        count: int = await self._call("count_visitors", arguments={"state": state, "group": group})
        return count

    async def add_visitor_details(
        self,
        visitor_id: str,
        license_id: int | str,
        token: str,
        fields: Sequence[Mapping[str, Any]],
        **optional: Any,
    ) -> None:
        """Show extra details about a visitor in the agents' app.

        Args:
            visitor_id: The visitor.
            license_id: The license, as a webhook gives it.
            token: The token a webhook gives (it authorizes this call).
            fields: ``{"name": ..., "value": ...}`` entries to show.
            **optional: ``id``, your integration's id.
        """
        await self._call(
            "add_visitor_details",
            path_args={"id": visitor_id},
            arguments={"license_id": license_id, "token": token, "fields": fields, **optional},
        )
