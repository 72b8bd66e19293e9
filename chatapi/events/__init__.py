"""Events: vendor webhooks received and verified, or the same events found by polling.

:func:`parse_webhook` turns a webhook request's raw bytes into a typed :class:`Event` (pure:
no I/O, no aiohttp). :func:`webhook_app` / :func:`webhook_handler` receive webhooks in an
aiohttp application; :func:`poll` finds the same events by listing, for vendors that push
none.
"""

from ._dedupe import DedupeCache, MemoryDedupeCache
from ._model import Event, EventKind, WebhookContext, WebhookError, WebhookVerificationError
from ._parse import WebhookParser, parse_webhook, webhook_parser
from ._verify import body_hash, check_basic_auth, hmac_sha256_hex, matches_any, signature_matches

__all__ = [
    "DedupeCache",
    "Event",
    "EventKind",
    "MemoryDedupeCache",
    "WebhookContext",
    "WebhookError",
    "WebhookParser",
    "WebhookVerificationError",
    "body_hash",
    "check_basic_auth",
    "hmac_sha256_hex",
    "matches_any",
    "parse_webhook",
    "signature_matches",
    "webhook_parser",
]
