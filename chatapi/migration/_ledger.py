"""The migration ledger: the id map and the writes in flight, in SQLite (stdlib ``sqlite3``).

Every ledger call runs on one worker thread (SQLite connections belong to a thread), never on
the event loop. A write is recorded as *pending* before it is sent and moved to the id map in
one transaction once it is answered: a run killed at any point leaves, at worst, pending
writes, which the next run checks against the target by natural key before sending again.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["Ledger"]

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS id_map (
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (kind, source_id)
);
CREATE TABLE IF NOT EXISTS pending (
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    PRIMARY KEY (kind, source_id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Ledger:
    """The id map (source id → target id, per kind) and the writes in flight.

    Args:
        path: The SQLite file (created if missing).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chatapi-ledger")
        self._connection: sqlite3.Connection | None = None

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def call() -> T:
            if self._connection is None:
                self._connection = sqlite3.connect(self.path, isolation_level=None)
                self._connection.execute("PRAGMA journal_mode=WAL")
                self._connection.execute("PRAGMA synchronous=FULL")
                self._connection.executescript(_SCHEMA)
            return work(self._connection)

        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def open(self) -> None:
        """Create the file and its tables if missing."""
        await self._run(lambda db: None)

    async def close(self) -> None:
        """Close the database and its thread."""

        def close(db: sqlite3.Connection) -> None:
            db.close()
            self._connection = None

        if self._connection is not None:
            await self._run(close)
        self._executor.shutdown(wait=True)

    async def pair(self, source: str, target: str) -> None:
        """Bind the ledger to a (source, target) pair; another pair is refused.

        Raises:
            ValueError: The ledger belongs to another migration.
        """

        def bind(db: sqlite3.Connection) -> str | None:
            row = db.execute("SELECT value FROM meta WHERE key = 'pair'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('pair', ?)", (f"{source} -> {target}",))
                return None
            value: str = row[0]
            return value

        held = await self._run(bind)
        if held is not None and held != f"{source} -> {target}":
            raise ValueError(f"{self.path} is the ledger of another migration ({held})")

    async def mapped(self, kind: str) -> dict[str, tuple[str, str]]:
        """Source id → (target id, outcome) of one kind."""

        def read(db: sqlite3.Connection) -> dict[str, tuple[str, str]]:
            rows = db.execute(
                "SELECT source_id, target_id, outcome FROM id_map WHERE kind = ?", (kind,)
            )
            return {source: (target, outcome) for source, target, outcome in rows}

        return await self._run(read)

    async def target_id(self, kind: str, source_id: str) -> str | None:
        """The target id a source record became, if it was migrated."""

        def read(db: sqlite3.Connection) -> str | None:
            row = db.execute(
                "SELECT target_id FROM id_map WHERE kind = ? AND source_id = ?", (kind, source_id)
            ).fetchone()
            return None if row is None else str(row[0])

        return await self._run(read)

    async def among(
        self, kind: str, source_ids: list[str]
    ) -> tuple[dict[str, tuple[str, str]], set[str]]:
        """Of ``source_ids``: those mapped (→ target id, outcome) and those pending.

        A page at a time, so the id map stays on disk however large the migration.
        """

        def read(db: sqlite3.Connection) -> tuple[dict[str, tuple[str, str]], set[str]]:
            mapped: dict[str, tuple[str, str]] = {}
            pending: set[str] = set()
            for start in range(0, len(source_ids), 500):
                chunk = source_ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    "SELECT source_id, target_id, outcome FROM id_map "
                    f"WHERE kind = ? AND source_id IN ({marks})",
                    (kind, *chunk),
                )
                mapped.update({source: (target, outcome) for source, target, outcome in rows})
                rows = db.execute(
                    f"SELECT source_id FROM pending WHERE kind = ? AND source_id IN ({marks})",
                    (kind, *chunk),
                )
                pending.update(row[0] for row in rows)
            return mapped, pending

        return await self._run(read)

    async def pending(self, kind: str) -> set[str]:
        """Source ids whose write was sent (or about to be) without a recorded answer."""

        def read(db: sqlite3.Connection) -> set[str]:
            rows = db.execute("SELECT source_id FROM pending WHERE kind = ?", (kind,))
            return {row[0] for row in rows}

        return await self._run(read)

    async def begin(self, kind: str, source_id: str) -> None:
        """Record that the write of ``source_id`` is about to be sent (committed first)."""
        await self._run(
            lambda db: db.execute("INSERT OR IGNORE INTO pending VALUES (?, ?)", (kind, source_id))
        )

    async def finish(self, kind: str, source_id: str, target_id: str, outcome: str) -> None:
        """Map ``source_id`` to ``target_id`` and clear its pending mark, in one transaction."""

        def write(db: sqlite3.Connection) -> None:
            with _transaction(db):
                db.execute(
                    "INSERT OR REPLACE INTO id_map VALUES (?, ?, ?, ?)",
                    (kind, source_id, target_id, outcome),
                )
                db.execute(
                    "DELETE FROM pending WHERE kind = ? AND source_id = ?", (kind, source_id)
                )

        await self._run(write)

    async def abandon(self, kind: str, source_id: str) -> None:
        """Clear a pending mark whose write provably was not applied."""
        await self._run(
            lambda db: db.execute(
                "DELETE FROM pending WHERE kind = ? AND source_id = ?", (kind, source_id)
            )
        )


class _transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.db.execute("ROLLBACK" if exc_type is not None else "COMMIT")
