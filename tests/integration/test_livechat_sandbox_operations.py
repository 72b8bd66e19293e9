"""Every LiveChat v2 operation through chatapi.LiveChat against the stateful sandbox: create
→ get → list → update → delete where the resource has those verbs; and the 25,000 cap."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

import chatapi
from chatapi.livechat import AvailabilityStatus, GoalType, LiveChatStatus, TicketMessage
from chatapi.sandbox import Faults, Sandbox, serve

END = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=5)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with serve("livechat", chats=120, seed=4, end=END) as sb:
        yield sb


@pytest.fixture
async def lc(sandbox: Sandbox) -> AsyncIterator[chatapi.LiveChat]:
    async with sandbox.client(retry_policy=NO_WAIT) as client:
        assert isinstance(client, chatapi.LiveChat)
        yield client


async def test_agents_round_trip(lc: chatapi.LiveChat) -> None:
    before = {a.id for a in await lc.agents().collect()}
    created = await lc.create_agent("new.agent@example.com", "New Agent", groups=[1])
    assert created.id == "new.agent@example.com" and created.name == "New Agent"
    assert (await lc.get_agent(created.id)).name == "New Agent"
    assert {a.id for a in await lc.agents().collect()} == before | {created.id}
    updated = await lc.update_agent(created.id, name="Renamed", max_chats_count=2)
    assert updated.name == "Renamed"
    assert (await lc.get_agent(created.id)).name == "Renamed"
    await lc.delete_agent(created.id)
    with pytest.raises(chatapi.NotFoundError):
        await lc.get_agent(created.id)


async def test_groups_round_trip(lc: chatapi.LiveChat) -> None:
    login = (await lc.agents().collect())[0].id
    group = await lc.create_group("Billing", [login], language="de")
    assert group.name == "Billing" and group.agent_ids == (login,) and group.language == "de"
    assert group.id in {g.id for g in await lc.groups().collect()}
    assert (await lc.get_group(group.id)).agent_ids == (login,)
    renamed = await lc.update_group(group.id, name="Invoices")
    assert (await lc.get_group(group.id)).name == renamed.name == "Invoices"
    await lc.delete_group(group.id)
    with pytest.raises(chatapi.NotFoundError):
        await lc.get_group(group.id)
    everyone = await lc.get_group(0)
    assert everyone.status in set(AvailabilityStatus)


async def test_canned_responses_round_trip(lc: chatapi.LiveChat) -> None:
    created = await lc.create_canned_response("Goodbye!", ["bye", "cu"], group=1)
    assert created.tags == ("bye", "cu") and created.group_id == "1"
    assert created.id in {r.id for r in await lc.canned_responses(group=1).collect()}
    assert created.id not in {r.id for r in await lc.canned_responses(group=2).collect()}
    assert (await lc.get_canned_response(created.id)).text == "Goodbye!"
    updated = await lc.update_canned_response(created.id, tags=["bye"], text="Bye.")
    assert updated.tags == ("bye",) and updated.modified_at is not None
    assert (await lc.get_canned_response(created.id)).text == "Bye."
    await lc.delete_canned_response(created.id)
    with pytest.raises(chatapi.NotFoundError):
        await lc.get_canned_response(created.id)


async def test_goals_round_trip(lc: chatapi.LiveChat) -> None:
    goal = await lc.create_goal("thanks page", "url", url="https://shop.example.com/thanks")
    assert goal.type is GoalType.URL and goal.settings["url"] == "https://shop.example.com/thanks"
    assert goal.id in {g.id for g in await lc.goals(type="url").collect()}
    paused = await lc.update_goal(goal.id, active=False)
    assert paused.active is False and (await lc.get_goal(goal.id)).active is False
    visitor = (await lc.visitors().collect())[0]
    assert visitor.id is not None
    await lc.mark_goal_as_successful(goal.id, visitor.id, order_id="A1", order_price="9.90")
    await lc.delete_goal(goal.id)
    with pytest.raises(chatapi.NotFoundError):
        await lc.get_goal(goal.id)


async def test_greetings_round_trip(lc: chatapi.LiveChat) -> None:
    rules = [{"type": "visit_time_page", "value": 15, "operator": "greater_than"}]
    greeting = await lc.create_greeting("Linger", rules, group=1)
    assert greeting.name == "Linger" and greeting.rules[0].type == "visit_time_page"
    assert greeting.id in {g.id for g in await lc.greetings(group=1).collect()}
    changed = await lc.update_greeting(
        greeting.id,
        name="Shoes",
        message="Hi there",
        active=False,
        rules=[{"type": "custom_variable", "variable_name": "shoes", "variable_value": "yes"}],
    )
    assert changed.name == "Shoes" and changed.message == "Hi there" and not changed.active
    assert [r.variable_name for r in (await lc.get_greeting(greeting.id)).rules] == ["shoes"]
    await lc.delete_greeting(greeting.id)
    with pytest.raises(chatapi.NotFoundError):
        await lc.get_greeting(greeting.id)


async def test_tags_are_per_group(lc: chatapi.LiveChat) -> None:
    author = (await lc.agents().collect())[0].id
    tag = await lc.create_tag("vip-only", author, 1)
    assert tag.name == "vip-only" and tag.group_id == "1"
    assert "vip-only" in {t.name for t in await lc.tags(group=1).collect()}
    assert "vip-only" not in {t.name for t in await lc.tags(group=2).collect()}
    await lc.delete_tag("vip-only", 1)
    assert "vip-only" not in {t.name for t in await lc.tags(group=1).collect()}


async def test_status_is_an_open_enum(lc: chatapi.LiveChat) -> None:
    assert await lc.status() in (LiveChatStatus.ONLINE, LiveChatStatus.OFFLINE)
    assert await lc.status(group=1) in (LiveChatStatus.ONLINE, LiveChatStatus.OFFLINE)


async def test_tickets_round_trip(sandbox: Sandbox, lc: chatapi.LiveChat) -> None:
    pager = lc.tickets()
    before = await pager.collect()
    assert len(before) == 60 and pager.report.complete and pager.report.pages == 3
    ticket = await lc.create_ticket(
        "My parcel never came.", "ann@example.com", requester_name="Ann", subject="Parcel"
    )
    assert ticket.subject == "Parcel" and ticket.source == "lc2"
    (event,) = [e for e in ticket.events if isinstance(e, TicketMessage)]
    assert event.text == "My parcel never came." and not event.is_private
    assert ticket.requester.email == "ann@example.com"
    listed = await lc.tickets(requester_mail="ann@example.com").collect()
    assert [t.id for t in listed] == [ticket.id]
    assert ticket.id in {t.id for t in await lc.tickets(source="lc2").collect()}
    tagged = await lc.update_ticket_tags(ticket.id, ["shipping", "urgent"])
    assert tagged.tags == ("shipping", "urgent")
    assert (await lc.get_ticket(ticket.id)).tags == ("shipping", "urgent")
    with pytest.raises(chatapi.NotFoundError):
        await lc.get_ticket("NOPE0")


async def test_webhooks_round_trip(lc: chatapi.LiveChat) -> None:
    hook = await lc.create_webhook("chat_ended", ["chat", "visitor"], "https://example.com/hook")
    assert hook.data_types == ("chat", "visitor") and len(hook.token) == 32
    assert hook.token not in repr(hook)
    assert [w.id for w in await lc.webhooks().collect()] == [hook.id]
    await lc.delete_webhook(hook.id)
    assert await lc.webhooks().collect() == []
    with pytest.raises(chatapi.NotFoundError):
        await lc.delete_webhook(hook.id)


async def test_chat_writes(lc: chatapi.LiveChat) -> None:
    chat = (await lc.chats().collect())[5]
    updated = await lc.update_chat_tags(chat.id, ["refund", "vip"])
    assert updated.id == chat.id and updated.tags == ("refund", "vip")
    assert (await lc.get_chat(chat.id)).tags == ("refund", "vip")
    await lc.send_transcript(chat.id, "boss@example.com")


async def test_visitors_and_their_details(sandbox: Sandbox, lc: chatapi.LiveChat) -> None:
    visitors = await lc.visitors().collect()
    assert len(visitors) == sandbox.dataset.visitor_count
    assert all(v.raw for v in visitors)
    chatting = await lc.visitors(state="chatting").collect()
    assert 0 < len(chatting) < len(visitors)
    assert await lc.count_visitors() == len(visitors)
    assert await lc.count_visitors(state="chatting") == len(chatting)
    target = visitors[0]
    assert target.id is not None
    await lc.add_visitor_details(target.id, 100, "token-1", [{"name": "Plan", "value": "Pro"}])


async def test_missing_required_values_are_refused_by_the_sandbox_too(
    lc: chatapi.LiveChat,
) -> None:
    # The client checks keywords; the vendor checks values (an empty list of agents).
    with pytest.raises(chatapi.BadRequestError, match=r"(?i)agents"):
        await lc.create_group("Nobody", [])


async def test_faults_apply_to_writes_and_writes_are_not_repeated() -> None:
    faults = Faults(error_500=1.0, max_faults_per_request=1)
    async with (
        serve("livechat", chats=10, seed=2, faults=faults) as sb,
        sb.client(retry_policy=NO_WAIT) as lc,
    ):
        assert isinstance(lc, chatapi.LiveChat)
        with pytest.raises(chatapi.ServerError):
            await lc.create_group("Once", ["x@example.com"])
        assert lc.stats.requests == 1


async def test_a_capped_first_page_is_split_and_every_chat_listed_once() -> None:
    # 26,000 chats; the first page says total 25,000 and pages 1,000, as an account above
    # the cap may answer.
    capped = serve(
        "livechat", chats=26_000, messages_per_chat=1, seed=6, end=END, report_capped_totals=True
    )
    async with capped as sb, sb.client(retry_policy=NO_WAIT, max_concurrency=16) as lc:
        first = await lc._fetch_page(lc._endpoint("chats"), None, {}, 1)
        assert (first.total, first.page_count) == (25_000, 1_000)
        pager = lc.chats()
        ids = [chat.id async for chat in pager]
    assert len(ids) == len(set(ids)) == 26_000
    assert pager.report.complete and pager.report.windows > 1
