"""End to end: the sandbox in live mode POSTs webhooks → webhook_app → a queue of events, with
a redelivery flagged duplicate; and polling a live REVE Chat sandbox across a restart."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable

from aiohttp import web

import chatapi
from chatapi.events import Event, EventKind, MemoryDedupeCache, poll, webhook_handler
from chatapi.sandbox import Live, serve

NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=5)
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
FAST = {"interval": 0.05, "retry_delay_scale": 0.0001}


async def receiver(
    vendor: str, queue: asyncio.Queue[Event], *, lose_first_answer: bool, **options: object
) -> tuple[web.AppRunner, str]:
    """webhook_app's handler behind a proxy that loses the first answer (after the handler
    ran): the vendor sees a failure and redelivers an event the receiver already has."""
    receive = webhook_handler(vendor, queue=queue, dedupe=MemoryDedupeCache(), **options)  # type: ignore[arg-type]
    lost: list[bool] = []

    @web.middleware
    async def flaky_proxy(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        response = await handler(request)
        if lose_first_answer and not lost and response.status == 200:
            lost.append(True)
            return web.Response(status=502, text="bad gateway")
        return response

    app = web.Application(middlewares=[flaky_proxy])
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/hook"


def facts(chat: chatapi.Chat) -> tuple[object, ...]:
    """What a webhook's chat and the archive's chat both say: the archive has the rating, its
    supervisors and no visitor e-mail; the webhook the e-mail, no rating, and (one list of
    ``agents``) only the supervisors who wrote."""
    messages = tuple(
        (m.text, m.created_at, m.author.kind, m.author.id, m.author.name) for m in chat.messages
    )
    who = (chat.visitor.id, chat.visitor.name)
    agents = tuple(a for a in chat.agents if a.kind is chatapi.ParticipantKind.AGENT)
    return (
        chat.id,
        chat.started_at,
        chat.ended_at,
        chat.tags,
        agents,
        chat.group_ids,
        chat.missed,
        who,
        messages,
    )


async def take(poller: chatapi.events.Poller, count: int) -> list[Event]:
    events = []
    async for event in poller:
        events.append(event)
        if len(events) == count:
            break
    return events


async def drain(queue: asyncio.Queue[Event], count: int) -> list[Event]:
    return [await asyncio.wait_for(queue.get(), timeout=10) for _ in range(count)]


async def test_livechat_live_webhooks_reach_the_queue_and_a_redelivery_is_flagged() -> None:
    queue: asyncio.Queue[Event] = asyncio.Queue()
    runner, url = await receiver("livechat", queue, lose_first_answer=True)
    try:
        live = Live(chats=3, webhook_url=url, **FAST)
        async with serve("livechat", chats=20, seed=8, live=live) as sb:
            token = {hook["token"] for hook in sb.app.account.webhooks.values()}
            assert len(token) == 2  # chat_started and chat_ended webhooks were registered
            # 3 chats x (started + ended), plus the one redelivery of the lost answer.
            events = await drain(queue, 7)
            async with sb.client(retry_policy=NO_WAIT) as client:
                listed = {c.id: c for c in await client.chats().collect()}
    finally:
        await runner.cleanup()
    duplicates = [e for e in events if e.duplicate]
    assert len(duplicates) == 1
    (original,) = [
        e for e in events if e.dedupe_key == duplicates[0].dedupe_key and not e.duplicate
    ]
    assert original.kind is duplicates[0].kind
    fresh = [e for e in events if not e.duplicate]
    assert sorted(e.kind.value for e in fresh) == ["chat_ended"] * 3 + ["chat_started"] * 3
    for event in fresh:
        assert event.chat is not None and event.chat.id in listed
        assert event.occurred_at is not None
        if event.kind is EventKind.CHAT_ENDED:
            # The webhook's chat is the listing's chat.
            assert facts(event.chat) == facts(listed[event.chat.id])


async def test_acquire_v2_signed_webhooks_verify_and_a_wrong_key_is_refused() -> None:
    queue: asyncio.Queue[Event] = asyncio.Queue()
    runner, url = await receiver(
        "acquire", queue, lose_first_answer=False, secret=["rotated-out", "key-2024"]
    )
    try:
        live = Live(chats=2, webhook_url=url, webhook_key="key-2024", **FAST)
        async with serve("acquire", generation="v2", chats=10, seed=2, live=live) as sb:
            events = await drain(queue, 4)
            kinds = sorted(e.kind.value for e in events)
            assert all(e.verified == ("signature",) for e in events)
            async with sb.client(retry_policy=NO_WAIT) as client:
                listed = {c.id for c in await client.chats().collect()}
            assert {e.chat.id for e in events if e.chat is not None} <= listed
            assert len({e.chat.id for e in events if e.chat is not None}) == 2
    finally:
        await runner.cleanup()
    assert kinds == ["case_status_changed"] * 2 + ["chat_started"] * 2

    queue2: asyncio.Queue[Event] = asyncio.Queue()
    runner, url = await receiver("acquire", queue2, lose_first_answer=False, secret="other")
    try:
        live = Live(chats=1, webhook_url=url, webhook_key="key-2024", **FAST)
        async with serve("acquire", generation="v2", chats=10, seed=2, live=live) as sb:
            await asyncio.wait_for(sb.live.wait_arrivals(1), timeout=10)
            await asyncio.wait_for(sb.live.wait_idle(), timeout=10)
            statuses = {a.status for d in sb.deliveries for a in d.attempts}
    finally:
        await runner.cleanup()
    assert statuses == {401} and queue2.empty()


async def test_polling_a_live_revechat_sandbox_reports_each_arrival_once_across_a_restart() -> None:
    live = Live(chats=6, interval=0.05)
    async with (
        serve("revechat", generation="current", chats=10, seed=5, live=live) as sb,
        sb.client(retry_policy=NO_WAIT) as client,
    ):
        poller = poll(client, since=EPOCH, interval=0.02, kinds=["chats"])
        first = await asyncio.wait_for(take(poller, 12), timeout=20)
        saved = poller.cursor
        await asyncio.wait_for(sb.live.wait_arrivals(6), timeout=20)
        resumed = poll(client, since=saved, interval=0.02, kinds=["chats"])
        rest = await asyncio.wait_for(take(resumed, 4), timeout=20)
        listed = await client.chats().collect()
    ids = [e.chat.id for e in first + rest if e.chat is not None]
    assert len(ids) == len(set(ids)) == 16
    assert set(ids) == {c.id for c in listed}
