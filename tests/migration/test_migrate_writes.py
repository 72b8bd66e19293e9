"""The migration's write path against a scripted target: a lost answer is looked up before
anything is sent again; a refusal fails the record and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

import chatapi
from chatapi.errors import APIConnectionError, make_status_error
from chatapi.models import NewTicket
from chatapi.sandbox import serve


@attrs.frozen
class Made:
    id: str


class ScriptedTarget(chatapi.BaseClient):
    """A target whose n-th create does what ``script`` says: "ok", "lost" (applied, answer
    lost), "refused" (400), "unsent" (never reached it)."""

    vendor = "scripted"
    default_base_url = "http://127.0.0.1:9"

    def __init__(self, script: list[str]) -> None:
        super().__init__()
        self.script = script
        self.store: dict[tuple[str, str], str] = {}
        self.creates = 0

    def _auth_headers(self) -> Mapping[str, str]:
        return {}

    async def create_ticket(self, ticket: NewTicket, /) -> Made:
        step = self.script[self.creates] if self.creates < len(self.script) else "ok"
        self.creates += 1
        if step == "refused":
            raise make_status_error(400, "requester[mail]: is invalid")
        if step == "unsent":
            raise APIConnectionError("refused", sent=False)
        key = (ticket.requester_email, ticket.message)
        self.store[key] = f"T{len(self.store)}"
        if step == "lost":
            raise APIConnectionError("reset after the body was sent", sent=True)
        return Made(self.store[key])

    async def find_ticket(self, ticket: NewTicket, /) -> Made | None:
        found = self.store.get((ticket.requester_email, ticket.message))
        return Made(found) if found else None


async def migrate(target: ScriptedTarget, state: Path) -> Any:
    async with serve("revechat", chats=3, offline_messages=6, seed=1) as sb, sb.client() as src:
        return await chatapi.migrate(src, target, kinds=["offline_messages"], state=state)


async def test_a_lost_answer_is_found_on_the_target_not_written_twice(tmp_path: Path) -> None:
    target = ScriptedTarget(["ok", "lost", "ok", "lost"])
    report = await migrate(target, tmp_path / "m.db")
    kind = report.kinds["offline_messages"]
    assert report.reconciles and kind.failed == 0
    written = kind.created + kind.degraded
    assert target.creates == written == len(target.store)  # each one sent once


async def test_a_refusal_fails_that_record_only_and_a_rerun_retries_it(tmp_path: Path) -> None:
    target = ScriptedTarget(["refused", "unsent"])
    first = await migrate(target, tmp_path / "m.db")
    kind = first.kinds["offline_messages"]
    assert kind.failed == 2 and first.reconciles
    assert any("is invalid" in error for error in kind.errors)
    again = await migrate(target, tmp_path / "m.db")
    assert again.kinds["offline_messages"].failed == 0
    assert again.kinds["offline_messages"].already == kind.source - kind.failed - kind.archived
    assert len(target.store) == kind.source - kind.archived
