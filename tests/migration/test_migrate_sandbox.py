"""chatapi.migrate sandbox to sandbox: what the target holds afterwards is the mapped source,
the report reconciles, a dry run writes nothing, a second run creates nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import chatapi
from chatapi.migration import MigrationRefused, stamp, stamped
from chatapi.sandbox import Sandbox, serve

NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=5)


def writes(sb: Sandbox) -> int:
    """Write requests the sandbox received (its request log, by method and route)."""
    return sum(n for route, n in sb.stats.paths.items() if route.split()[0] != "GET")


async def test_revechat_to_livechat(tmp_path: Path) -> None:
    kinds = ("agents", "offline_messages", "chats")
    async with (
        serve("revechat", generation="current", chats=30, seed=2) as src,
        serve("livechat", chats=5, seed=9) as dst,
        src.client(retry_policy=NO_WAIT) as source,
        dst.client(retry_policy=NO_WAIT) as target,
    ):
        state = tmp_path / "m.db"
        report = await chatapi.migrate(
            source, target, kinds=kinds, state=state, archive=tmp_path / "archive"
        )
        assert report.reconciles and report.failed == 0, report.table()
        source_agents = await source.agents().collect()
        target_agents = {a.id.lower(): a for a in await target.agents().collect()}
        for agent in source_agents:
            assert agent.email is not None
            made = target_agents[agent.email.lower()]
            assert made.name == agent.name
        offline = await source.offline_messages().collect()
        tickets = await target.tickets(source="lc2").collect()
        by_requester = {(t.requester.email, t.subject): t for t in tickets}
        moved = [o for o in offline if o.visitor.email]
        for message in moved:
            ticket = by_requester[(message.visitor.email, message.subject)]
            opening = ticket.events[0]
            assert opening.text == stamp(message.visitor.name, message.created_at) + message.text
        chats = await source.chats().collect()
        with_email = [c for c in chats if c.visitor.email]
        assert report.kinds["chats"].degraded == len(with_email)
        assert report.kinds["chats"].archived == len(chats) - len(with_email)
        assert report.kinds["offline_messages"].degraded == len(moved)
        assert (tmp_path / "archive" / "chats.jsonl").read_text().count("\n") == len(chats)

        # A second run creates nothing: everything is already there.
        writes_after_first = writes(dst)
        again = await chatapi.migrate(source, target, kinds=kinds, state=state)
        assert again.reconciles
        for kind_report in again.kinds.values():
            assert kind_report.created == kind_report.degraded == 0
            assert kind_report.already == kind_report.source - kind_report.archived
        assert writes(dst) == writes_after_first


async def test_livechat_to_livechat_every_kind_it_can_hold(tmp_path: Path) -> None:
    kinds = ("groups", "agents", "tags", "canned_responses", "offline_messages", "chats")
    async with (
        serve("livechat", chats=20, seed=2) as src,
        serve("livechat", chats=3, seed=7, agents=2) as dst,
        src.client(retry_policy=NO_WAIT) as source,
        dst.client(retry_policy=NO_WAIT) as target,
    ):
        assert isinstance(source, chatapi.LiveChat) and isinstance(target, chatapi.LiveChat)
        report = await chatapi.migrate(source, target, kinds=kinds, state=tmp_path / "m.db")
        assert report.reconciles and report.failed == 0, report.table()
        target_groups = {g.name: g for g in await target.groups().collect()}
        for group in await source.groups().collect():
            assert group.name in target_groups
        target_tags = {(t.name) for t in await target.tags().collect()}
        assert {t.name for t in await source.tags().collect()} <= target_tags
        target_canned = {r.text for r in await target.canned_responses().collect()}
        assert {r.text for r in await source.canned_responses().collect()} <= target_canned
        assert report.kinds["groups"].already >= 1  # "All operators" exists on both: linked


async def test_a_dry_run_sends_no_write_and_predicts_the_real_run(tmp_path: Path) -> None:
    kinds = ("agents", "offline_messages", "chats")
    async with (
        serve("revechat", generation="legacy", chats=20, seed=4) as src,
        serve("livechat", chats=2, seed=1) as dst,
        src.client(retry_policy=NO_WAIT) as source,
        dst.client(retry_policy=NO_WAIT) as target,
    ):
        state = tmp_path / "m.db"
        dry = await chatapi.migrate(source, target, kinds=kinds, state=state, dry_run=True)
        assert dry.dry_run and dry.reconciles
        assert dst.stats.requests > 0 and writes(dst) == 0  # it read, it did not write
        real = await chatapi.migrate(source, target, kinds=kinds, state=state)
        assert writes(dst) > 0
        for kind in kinds:
            a, b = dry.kinds[kind], real.kinds[kind]
            assert (a.created, a.degraded, a.archived, a.already) == (
                b.created,
                b.degraded,
                b.archived,
                b.already,
            ), kind


async def test_kinds_the_target_cannot_hold_are_refused_before_any_request(
    tmp_path: Path,
) -> None:
    async with (
        serve("revechat", chats=5) as src,
        serve("livechat", chats=2) as dst,
        src.client() as source,
        dst.client() as target,
    ):
        before = (src.stats.requests, dst.stats.requests)
        with pytest.raises(MigrationRefused, match="visitors: livechat cannot hold them"):
            await chatapi.migrate(source, target, kinds=("visitors",), state=tmp_path / "m.db")
        with pytest.raises(MigrationRefused, match="groups: revechat has no groups listing"):
            await chatapi.migrate(source, target, kinds=("groups",), state=tmp_path / "m.db")
        assert (src.stats.requests, dst.stats.requests) == before


async def test_revechat_to_acquire_v2_cases_carry_the_transcript(tmp_path: Path) -> None:
    kinds = ("agents", "visitors", "offline_messages", "chats")
    async with (
        serve("revechat", generation="current", chats=8, seed=6) as src,
        serve("acquire", generation="v2", chats=2, seed=3) as dst,
        src.client(retry_policy=NO_WAIT) as source,
        dst.client(retry_policy=NO_WAIT) as target,
    ):
        report = await chatapi.migrate(source, target, kinds=kinds, state=tmp_path / "m.db")
        assert report.reconciles and report.failed == 0, report.table()
        assert report.kinds["chats"].write == "create_case"
        contacts = {v.email: v for v in await target.visitors().collect() if v.email}
        for visitor in await source.visitors().collect():
            if visitor.email:
                assert contacts[visitor.email].name == visitor.name
        agents = {a.email for a in await target.agents().collect()}
        assert {a.email for a in await source.agents().collect()} <= agents
        cases = await target.chats(include_messages=True).collect()
        texts = {m.text for case in cases for m in case.messages}
        for listed in await source.chats().collect():
            chat = await source.get_chat(listed.id)
            for message in chat.messages:
                assert stamped(message) in texts
        again = await chatapi.migrate(source, target, kinds=kinds, state=tmp_path / "m.db")
        assert all(k.created == k.degraded == 0 for k in again.kinds.values())


async def test_livechat_to_acquire_v2(tmp_path: Path) -> None:
    kinds = ("groups", "agents", "tags", "canned_responses", "offline_messages", "chats")
    async with (
        serve("livechat", chats=6, seed=5) as src,
        serve("acquire", generation="v2", chats=2, seed=8) as dst,
        src.client(retry_policy=NO_WAIT) as source,
        dst.client(retry_policy=NO_WAIT) as target,
    ):
        assert isinstance(source, chatapi.LiveChat)
        report = await chatapi.migrate(source, target, kinds=kinds, state=tmp_path / "m.db")
        assert report.reconciles and report.failed == 0, report.table()
        departments = {d.name for d in await target.departments().collect()}  # type: ignore[attr-defined]
        assert {g.name for g in await source.groups().collect()} <= departments
        shortcuts = {s.message for s in await target.shortcuts().collect()}  # type: ignore[attr-defined]
        assert {r.text for r in await source.canned_responses().collect()} <= shortcuts
        cases = await target.chats(include_messages=True).collect()
        texts = {m.text for case in cases for m in case.messages}
        for chat in await source.chats().collect():
            for message in chat.messages:
                assert stamped(message) in texts


async def test_acquire_v1_to_livechat(tmp_path: Path) -> None:
    kinds = ("agents", "offline_messages", "chats")
    async with (
        serve("acquire", generation="v1", chats=10, seed=2) as src,
        serve("livechat", chats=2, seed=6) as dst,
        src.client(retry_policy=NO_WAIT) as source,
        dst.client(retry_policy=NO_WAIT) as target,
    ):
        report = await chatapi.migrate(source, target, kinds=kinds, state=tmp_path / "m.db")
        assert report.reconciles and report.failed == 0, report.table()
        logins = {a.id.lower() for a in await target.agents().collect()}
        assert {a.email.lower() for a in await source.agents().collect() if a.email} <= logins
        tickets = await target.tickets(source="lc2").collect()
        written = report.kinds["offline_messages"].degraded + report.kinds["chats"].degraded
        made = [t for t in tickets if t.subject and t.subject.startswith("Chat ")]
        assert len(made) == report.kinds["chats"].degraded and written >= len(made)


@pytest.mark.parametrize(
    ("vendor", "generation"), [("livechat", None), ("acquire", "v1"), ("acquire", "v2")]
)
async def test_an_agent_already_on_the_target_with_another_name_is_updated(
    tmp_path: Path, vendor: str, generation: str | None
) -> None:
    async with (
        serve("revechat", generation="current", chats=4, seed=3) as src,
        serve(vendor, generation=generation, chats=2, seed=5) as dst,
        src.client(retry_policy=NO_WAIT) as source,
        dst.client(retry_policy=NO_WAIT) as target,
    ):
        mover = (await source.agents().collect())[0]
        assert mover.email is not None
        await target.create_agent(chatapi.NewAgent(email=mover.email, name="Old Name"))
        state = tmp_path / "m.db"
        dry = await chatapi.migrate(source, target, kinds=["agents"], state=state, dry_run=True)
        assert dry.kinds["agents"].updated == 1 and dry.reconciles
        found = await target.find_agent(chatapi.NewAgent(email=mover.email, name=""))
        assert found is not None and found.name == "Old Name"  # the dry run changed nothing
        report = await chatapi.migrate(source, target, kinds=["agents"], state=state)
        kind = report.kinds["agents"]
        assert kind.updated == 1 and report.reconciles and kind.failed == 0
        assert kind.created + kind.degraded == kind.source - 1
        found = await target.find_agent(chatapi.NewAgent(email=mover.email, name=""))
        assert found is not None and found.name == mover.name
        assert "updated" in report.table()


async def test_acquire_v2_departments_and_shortcuts_move_to_livechat(tmp_path: Path) -> None:
    async with (
        serve("acquire", generation="v2", chats=3, seed=4) as src,
        serve("livechat", chats=2, seed=2) as dst,
        src.client(retry_policy=NO_WAIT) as source,
        dst.client(retry_policy=NO_WAIT) as target,
    ):
        await source.create_department("Refunds")  # type: ignore[attr-defined]
        await source.create_shortcut("We have refunded you.", name="refund")  # type: ignore[attr-defined]
        kinds = ("groups", "canned_responses")
        report = await chatapi.migrate(source, target, kinds=kinds, state=tmp_path / "m.db")
        assert report.reconciles and report.failed == 0, report.table()
        assert "Refunds" in {g.name for g in await target.groups().collect()}  # type: ignore[attr-defined]
        canned = {r.text: r for r in await target.canned_responses().collect()}  # type: ignore[attr-defined]
        assert canned["We have refunded you."].tags == ("refund",)
