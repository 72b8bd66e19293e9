"""A migration killed (SIGKILL) twice at random points with faults on, then run to the end:
no target record is created twice, nothing is missing, and the report reconciles."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import chatapi
from chatapi.livechat import Ticket
from chatapi.migration import stamp, stamped
from chatapi.sandbox import run_in_subprocess

CHILD = Path(__file__).with_name("_migrate_child.py")
KINDS = "agents,offline_messages,chats"
#: Roughly the writes of this migration (agents, offline messages and chats with an e-mail).
EXPECTED_WRITES = 330


def _mapped(state: Path) -> int:
    if not state.exists():
        return 0
    try:
        with sqlite3.connect(state, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM id_map").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the child is creating the tables


async def test_killed_twice_then_finished_writes_everything_once(tmp_path: Path) -> None:
    state = tmp_path / "m.db"
    rng = random.Random(20261205)
    with (
        run_in_subprocess("revechat", generation="current", chats=300, seed=3) as src,
        # Faults on the target: failed writes (500 before or reset after), latency, 429s.
        run_in_subprocess(
            "livechat", chats=2, seed=5, latency="5ms", fault_rate=0.08, rate_limit=200
        ) as dst,
    ):
        async with dst.client(retry_policy=chatapi.RetryPolicy.no_wait(max_retries=8)) as lc:
            seeded = Counter(_key(t) for t in await lc.tickets(source="lc2").collect())
        source = json.dumps({"vendor": "revechat", "credentials": src.credentials})
        target = json.dumps({"vendor": "livechat", "credentials": dst.credentials})
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        # Each child is killed once the ledger holds a random share of the work: a point
        # inside the run whatever the machine's speed (first 10-40%, then 50-80%).
        for low, high in ((0.1, 0.4), (0.5, 0.8)):
            threshold = int(rng.uniform(low, high) * EXPECTED_WRITES)
            child = subprocess.Popen(  # noqa: ASYNC220 - killed on purpose, below
                [sys.executable, str(CHILD), source, target, str(state), KINDS],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
            while child.poll() is None and _mapped(state) < threshold:
                time.sleep(0.01)
            child.send_signal(signal.SIGKILL)
            child.wait()
        with sqlite3.connect(state) as db:
            mapped_after_kills = db.execute("SELECT COUNT(*) FROM id_map").fetchone()[0]
        policy = chatapi.RetryPolicy.no_wait(max_retries=8)
        async with (
            src.client(retry_policy=policy) as reve,
            dst.client(retry_policy=policy) as lc,
        ):
            report = await chatapi.migrate(reve, lc, kinds=KINDS.split(","), state=state)
            assert report.reconciles and report.failed == 0, report.table()
            tickets = await lc.tickets(source="lc2").collect()
            agents = await lc.agents().collect()
            offline = [o for o in await reve.offline_messages().collect() if o.visitor.email]
            listed = [c for c in await reve.chats().collect() if c.visitor.email]
            # The listing carries no transcripts: the migration reads each chat whole.
            chats = [await reve.get_chat(c.id) for c in listed]
            reve_agents = await reve.agents().collect()
    # Every source record exactly once: nothing twice, nothing missing (two offline messages
    # may share a requester and subject, hence counts rather than a set).
    # The kills landed mid-run: part was migrated before, the rest by the last run.
    total = sum(kind.source - kind.archived for kind in report.kinds.values())
    assert 0 < mapped_after_kills < total
    assert sum(kind.already for kind in report.kinds.values()) >= mapped_after_kills
    made = Counter(_key(t) for t in tickets) - seeded
    expected = Counter(
        (o.visitor.email, o.subject, stamp(o.visitor.name, o.created_at) + o.text) for o in offline
    )
    for chat in chats:
        started = chat.started_at.date().isoformat() if chat.started_at else "undated"
        lines = [stamped(m) for m in chat.messages]
        expected[(chat.visitor.email, f"Chat {chat.id} ({started})", "\n".join(lines))] += 1
    assert made == expected
    logins = Counter(a.id.lower() for a in agents)
    assert max(logins.values()) == 1
    assert {a.email.lower() for a in reve_agents if a.email} <= set(logins)


def _key(ticket: Ticket) -> tuple[str | None, str | None, str]:
    return (ticket.requester.email, ticket.subject, getattr(ticket.events[0], "text", ""))
