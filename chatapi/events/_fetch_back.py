"""The fetch-back check: trust a webhook's chat only once the vendor's API confirms it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from ..errors import NotFoundError
from ._model import Event, WebhookVerificationError

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["fetch_back"]


async def fetch_back(event: Event, client: BaseClient) -> Event:
    """Re-read the chat an event names through ``client``; return the event with that chat.

    For vendors that sign nothing (LiveChat v2, Acquire v1) this is the strong check: an
    attacker can forge a POST, not a chat in the vendor's archive. The chat returned is the
    API's, not the payload's.

    Raises:
        WebhookVerificationError: The vendor has no such chat, or the event names none.
        ChatAPIError: The lookup failed otherwise (after the client's retries).
    """
    if event.chat is None:
        raise WebhookVerificationError(
            f"the {event.name or 'unnamed'} event carries no chat to fetch back",
            vendor=event.vendor,
        )
    try:
        chat = await client.get_chat(event.chat.id)
    except NotFoundError as error:
        raise WebhookVerificationError(
            f"the event's chat {event.chat.id!r} does not exist at the vendor", vendor=event.vendor
        ) from error
    return attrs.evolve(event, chat=chat, verified=(*event.verified, "fetch_back"))
