"""``parse_webhook``: bytes as received → a verified, typed :class:`Event` (no I/O)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .._core import jsonlib
from .._registry import vendor_spec
from ..errors import ConfigurationError, UnsupportedOperationError
from ..spec import load_object
from ._dedupe import DedupeCache
from ._model import Event, WebhookContext, WebhookError, WebhookVerificationError
from ._verify import body_hash, check_basic_auth

__all__ = ["WebhookParser", "parse_webhook", "webhook_parser"]

#: A vendor's webhook parser: the decoded payload and its context → the event. It verifies
#: what the vendor makes verifiable (a signature, a token) against ``context.secrets``.
WebhookParser = Callable[[Any, WebhookContext], Event]


def webhook_parser(vendor: str) -> WebhookParser:
    """The webhook parser the vendor's spec declares.

    Raises:
        UnsupportedOperationError: The vendor sends no webhooks (poll it instead).
    """
    spec = vendor_spec(vendor)
    if spec.webhook_parser is None:
        raise UnsupportedOperationError(
            f"{spec.title} sends no webhooks: use chatapi.events.poll()", vendor=spec.name
        )
    parser: WebhookParser = load_object(spec.webhook_parser)
    return parser


def _secrets(secret: str | Iterable[str] | None) -> tuple[str, ...]:
    if secret is None:
        return ()
    values = (secret,) if isinstance(secret, str) else tuple(secret)
    if not values or not all(isinstance(v, str) and v for v in values):
        raise ConfigurationError("secret must be a non-empty string or a list of them")
    return values


def parse_webhook(
    vendor: str,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    *,
    secret: str | Iterable[str] | None = None,
    basic_auth: Sequence[tuple[str, str]] | None = None,
    dedupe: DedupeCache | None = None,
) -> Event:
    """Verify and parse one webhook request into an :class:`Event`.

    Tolerant by design: a field chatapi does not know is ignored (kept in ``raw``), an event
    name it does not know is ``EventKind.UNKNOWN``, a missing optional part is None. Only a
    body that is not a JSON object, or a failed verification, raises.

    Args:
        vendor: The vendor's name (``livechat``, ``acquire``, ...).
        body: The request body exactly as received (signatures are over bytes).
        headers: The request headers (any case).
        secret: What the vendor's own check compares against, one value or a list (key
            rotation): Acquire v2's HMAC key (``x-acquire-signature``), or LiveChat's webhook
            ``token`` (as ``create_webhook`` returned it). A vendor that signs nothing raises
            ``ConfigurationError`` when given one.
        basic_auth: ``(user, password)`` pairs, one of which the request's HTTP Basic
            credentials must be (put them in the webhook URL: ``https://user:pw@host/``).
        dedupe: Where seen events are remembered; a repeat comes back with ``duplicate=True``.

    Raises:
        WebhookVerificationError: The credentials, token or signature do not match.
        WebhookError: The body is not a JSON object.
        UnsupportedOperationError: The vendor sends no webhooks.
    """
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError(f"body must be the raw bytes received, got {type(body).__name__}")
    raw = bytes(body)
    parser = webhook_parser(vendor)
    lowered = {name.lower(): value for name, value in (headers or {}).items()}
    verified: list[str] = []
    if basic_auth is not None:
        if not basic_auth:
            raise ConfigurationError("basic_auth must list at least one (user, password)")
        if not check_basic_auth(lowered, basic_auth):
            raise WebhookVerificationError(
                "the webhook's HTTP Basic credentials do not match", vendor=vendor
            )
        verified.append("basic_auth")
    try:
        data = jsonlib.loads(raw)
    except jsonlib.JSONDecodeError as exc:
        raise WebhookError(
            f"webhook body is not JSON ({len(raw)} bytes): {type(exc).__name__}", vendor=vendor
        ) from exc
    if not isinstance(data, Mapping):
        raise WebhookError(
            f"webhook body is JSON but not an object ({type(data).__name__})", vendor=vendor
        )
    context = WebhookContext(
        vendor=vendor,
        body=raw,
        headers=lowered,
        secrets=_secrets(secret),
        dedupe_key=body_hash(raw),
    )
    event = parser(data, context)
    if verified:
        event = attrs.evolve(event, verified=(*verified, *event.verified))
    if dedupe is not None and dedupe.seen(event.dedupe_key):
        event = attrs.evolve(event, duplicate=True)
    return event
