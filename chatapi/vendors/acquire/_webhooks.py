"""Acquire webhook payloads -> :class:`chatapi.events.Event` (pure: no I/O, no aiohttp).

Both generations POST JSON; they are told apart by shape:

- v1 (https://developer.acquire.io/webhook-api/webhook-events): upper-case event names
  (``CHAT_ON_START``, ``CHAT_ON_ACCEPT``, ``CHAT_ON_MESSAGE``, ``CHAT_ON_CLOSE``), unsigned;
  read by ``_webhooks_v1``.
- v2 (https://developer.acquire.io/v/2.0.0/webhook-api): ``{"event": "case:status", "data":
  {caseId, status, fields, contact, messages}}`` with string ids and JavaScript
  ``Date.toString()`` dates (``tests/fixtures/samples/acquire_v2-webhook-case-status_*.json``),
  signed: ``x-acquire-signature`` is the hex HMAC-SHA256 of ``JSON.stringify(body)`` under the
  webhook's key (https://developer.acquire.io/v/2.0.0/webhook-api/securing-webhook).

Tolerant by design: unknown keys stay in ``Event.raw``, unknown event names are
``EventKind.UNKNOWN``, and a part that is absent or unreadable is None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..._core.timeparse import UTC
from ...events import (
    Event,
    EventKind,
    WebhookContext,
    WebhookVerificationError,
    readable_part,
    signature_matches,
)
from ...models import Chat, Visitor
from ._convert_common import VENDOR
from ._convert_v2 import v2_chat, v2_visitor
from ._webhooks_v1 import first_time, parse_v1

__all__ = ["parse_acquire_webhook"]

SIGNATURE_HEADER = "x-acquire-signature"

# v1 names are upper-case words joined by "_" (CHAT_ON_START; the intro also mentions login
# and offline events); v2 names are lower-case "object:action" (case:status, user:case-invite).
_V1_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")

# v2 outbound triggers (https://developer.acquire.io/v/2.0.0/webhook-api, "Webhook Events"):
# "Case new", "Chat status is set to Pending/Active/Queue/Closed", "Agent Status Change". Only
# "case:status" is shown with its API name; the others are matched by their evident forms.
_V2_KINDS = {
    "case:status": EventKind.CASE_STATUS_CHANGED,
    "case:new": EventKind.CHAT_STARTED,
    "case:create": EventKind.CHAT_STARTED,
    "case:created": EventKind.CHAT_STARTED,
}
_AGENT_PREFIXES = ("user:", "agent:")
_AGENT_WORDS = ("status", "availability")


def parse_acquire_webhook(data: Mapping[str, Any], context: WebhookContext) -> Event:
    """Turn one decoded Acquire webhook payload (v1 or v2) into an :class:`Event`.

    Args:
        data: The decoded JSON body.
        context: The request's context; ``context.secrets`` are the v2 webhook's HMAC keys
            (several during a key rotation).

    Returns:
        The event. Acquire sends no event id: ``dedupe_key`` is the hash of the body.

    Raises:
        WebhookVerificationError: HMAC keys were configured and ``x-acquire-signature`` is
            missing or matches none of them (over the raw body, then over its
            ``JSON.stringify`` form).
            A v1 event with keys configured fails too: Acquire v1 signs nothing, so it cannot
            prove it came from the key's holder (check HTTP Basic credentials with
            ``basic_auth=`` instead). It is refused rather than an error of the receiver's
            set-up, since anyone can send a v1-shaped body.
    """
    name = data.get("event")
    name = name if isinstance(name, str) else ""
    if _V1_NAME.match(name):
        if context.secrets:
            raise WebhookVerificationError(
                "an unsigned Acquire v1 event cannot be verified with a signing key: v1 signs "
                "nothing (put HTTP Basic credentials in the webhook URL and pass basic_auth=)",
                vendor=VENDOR,
            )
        return parse_v1(data, context, name)
    verified: tuple[str, ...] = ()
    if context.secrets:
        signature = context.headers.get(SIGNATURE_HEADER)
        if not signature_matches(signature, context.body, context.secrets):
            raise WebhookVerificationError(
                f"the Acquire webhook's {SIGNATURE_HEADER} header is missing or matches none "
                "of the configured keys",
                vendor=VENDOR,
            )
        verified = ("signature",)
    return _parse_v2(data, context, name, verified)


def _v2_kind(name: str) -> EventKind:
    lowered = name.strip().lower()
    kind = _V2_KINDS.get(lowered)
    if kind is not None:
        return kind
    if lowered.startswith(_AGENT_PREFIXES) and any(word in lowered for word in _AGENT_WORDS):
        return EventKind.AGENT_STATUS_CHANGED
    return EventKind.UNKNOWN


def _parse_v2(
    data: Mapping[str, Any], context: WebhookContext, name: str, verified: tuple[str, ...]
) -> Event:
    kind = _v2_kind(name)
    body = data.get("data")
    body = body if isinstance(body, Mapping) else {}
    chat = _v2_case(body, name) if kind is not EventKind.AGENT_STATUS_CHANGED else None
    visitor = _v2_contact(body.get("contact"))
    occurred_at = first_time(body, ("date", "dateUpdated"))
    if occurred_at is None and chat is not None and kind is EventKind.CHAT_STARTED:
        occurred_at = chat.started_at
    return Event(
        vendor=context.vendor,
        kind=kind,
        name=name,
        occurred_at=occurred_at,
        dedupe_key=context.dedupe_key,
        chat=chat,
        visitor=visitor,
        verified=verified,
        raw=data,
    )


def _v2_case(body: Mapping[str, Any], name: str) -> Chat | None:
    """The case in a v2 event, through the case listing's converter.

    The webhook names the case ``caseId`` where the case API says ``id``; every other key
    (``status``, ``contact``, ``messages``, dates if sent) is what the converter reads.
    """
    case_id = body.get("caseId")
    if case_id is None and name.lower().startswith("case"):
        case_id = body.get("id")
    if case_id is None:
        return None
    return readable_part(
        lambda case: v2_chat(case, UTC), {**body, "id": case_id}, vendor=VENDOR, part="case"
    )


def _v2_contact(contact: Any) -> Visitor | None:
    if not isinstance(contact, Mapping):
        return None
    return readable_part(v2_visitor, contact, vendor=VENDOR, part="contact")
