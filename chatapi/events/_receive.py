"""Receiving webhooks in an aiohttp application: verify, answer at once, hand the event on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from aiohttp import web

from ..errors import ChatAPIError
from ._dedupe import DedupeCache
from ._model import Event, WebhookError, WebhookVerificationError
from ._parse import _secrets, parse_webhook, webhook_parser

__all__ = ["EventCallback", "webhook_app", "webhook_handler"]

logger = logging.getLogger("chatapi.events")

#: An async function called with each event (run as its own task: the answer never waits).
EventCallback = Callable[[Event], Awaitable[Any]]
Handler = Callable[[web.Request], Awaitable[web.Response]]


def webhook_handler(
    vendor: str,
    *,
    queue: asyncio.Queue[Event] | None = None,
    callback: EventCallback | None = None,
    secret: str | Iterable[str] | None = None,
    basic_auth: Sequence[tuple[str, str]] | None = None,
    dedupe: DedupeCache | None = None,
    drop_duplicates: bool = False,
) -> Handler:
    """An aiohttp handler that receives ``vendor``'s webhooks.

    It answers at once (LiveChat waits ~10 s, then retries): 200 when the event was handed
    on, 401 when verification fails, 400 for a body that is not a JSON object, 503 when the
    queue is full (the vendor retries later). An event name chatapi does not know is still
    handed on (``EventKind.UNKNOWN``); an unknown payload never causes a 500.

    Args:
        vendor: The vendor's name.
        queue: Where events go (``put_nowait``).
        callback: Called with each event, as a task of its own; its errors are logged.
        secret: The vendor's verification secret(s) (see :func:`parse_webhook`).
        basic_auth: ``(user, password)`` pairs the request's Basic credentials must match.
        dedupe: Where seen events are remembered; repeats carry ``duplicate=True``.
        drop_duplicates: Answer 200 to a repeat but do not hand it on.

    Raises:
        ValueError: Neither ``queue`` nor ``callback`` given.
        ConfigurationError: A secret that is not a non-empty string (or list of them).
        UnsupportedOperationError: The vendor sends no webhooks.
    """
    if queue is None and callback is None:
        raise ValueError("webhook_handler needs a queue or a callback for the events")
    # Fail now, not on the first request: a vendor without webhooks, a malformed secret.
    webhook_parser(vendor)
    secrets = list(_secrets(secret)) or None
    tasks: set[asyncio.Task[Any]] = set()

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        try:
            event = parse_webhook(
                vendor,
                body,
                dict(request.headers),
                secret=secrets,
                basic_auth=basic_auth,
                dedupe=dedupe,
            )
        except WebhookVerificationError as error:
            logger.warning("%s webhook refused: %s", vendor, error)
            return web.json_response({"error": "verification failed"}, status=401)
        except (WebhookError, ChatAPIError) as error:
            logger.warning("%s webhook unreadable: %s", vendor, error)
            return web.json_response({"error": "unreadable body"}, status=400)
        if event.duplicate and drop_duplicates:
            return web.json_response({"ok": True, "duplicate": True})
        if queue is not None:
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                logger.warning("%s webhook: event queue full, asking the vendor to retry", vendor)
                return web.json_response(
                    {"error": "busy"}, status=503, headers={"Retry-After": "5"}
                )
        if callback is not None:
            task = asyncio.ensure_future(callback(event))
            tasks.add(task)
            task.add_done_callback(_finished(tasks, vendor))
        return web.json_response({"ok": True, "duplicate": event.duplicate})

    return handle


def _finished(tasks: set[asyncio.Task[Any]], vendor: str) -> Callable[[asyncio.Task[Any]], None]:
    def done(task: asyncio.Task[Any]) -> None:
        tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("%s webhook callback failed", vendor, exc_info=task.exception())

    return done


def webhook_app(vendor: str, *, path: str = "/", **options: Any) -> web.Application:
    """An aiohttp application receiving ``vendor``'s webhooks with POST at ``path``.

    Args:
        vendor: The vendor's name.
        path: Where the vendor POSTs.
        **options: Those of :func:`webhook_handler` (``queue``, ``callback``, ``secret``,
            ``basic_auth``, ``dedupe``, ``drop_duplicates``).

    Example:
        >>> queue: asyncio.Queue[Event] = asyncio.Queue()
        >>> app = webhook_app("livechat", queue=queue, basic_auth=[("hook", "s3cret")],
        ...                   dedupe=MemoryDedupeCache())
        >>> web.run_app(app, host="127.0.0.1", port=8080)
    """
    app = web.Application()
    app.router.add_post(path, webhook_handler(vendor, **options))
    return app
