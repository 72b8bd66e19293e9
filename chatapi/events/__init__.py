"""Events: vendor webhooks received and verified, or the same events found by polling.

:func:`parse_webhook` turns a webhook request's raw bytes into a typed :class:`Event` (pure:
no I/O, no aiohttp). :func:`webhook_app` / :func:`webhook_handler` receive webhooks in an
aiohttp application; :func:`poll` finds the same events by listing, for vendors that push
none.
"""

from typing import TYPE_CHECKING, Any

from ._dedupe import DedupeCache, MemoryDedupeCache
from ._fetch_back import fetch_back
from ._model import Event, EventKind, WebhookContext, WebhookError, WebhookVerificationError
from ._parse import WebhookParser, parse_webhook, webhook_parser
from ._parts import readable_part
from ._poll import PollCursor, Poller, poll
from ._verify import body_hash, check_basic_auth, hmac_sha256_hex, matches_any, signature_matches

__all__ = [
    "DedupeCache",
    "Event",
    "EventCallback",
    "EventKind",
    "MemoryDedupeCache",
    "PollCursor",
    "Poller",
    "WebhookContext",
    "WebhookError",
    "WebhookParser",
    "WebhookVerificationError",
    "body_hash",
    "check_basic_auth",
    "fetch_back",
    "hmac_sha256_hex",
    "matches_any",
    "parse_webhook",
    "poll",
    "readable_part",
    "signature_matches",
    "webhook_app",
    "webhook_handler",
    "webhook_parser",
]

if TYPE_CHECKING:
    from ._receive import EventCallback, webhook_app, webhook_handler


def __getattr__(name: str) -> Any:
    # The receiving side imports aiohttp's server; parsing needs none of it.
    if name in ("EventCallback", "webhook_app", "webhook_handler"):
        from . import _receive

        return getattr(_receive, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
