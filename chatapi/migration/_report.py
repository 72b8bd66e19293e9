"""What a migration did, per kind, and the line that proves nothing was lost."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import attrs

__all__ = ["KindReport", "MigrationReport"]


@attrs.define
class KindReport:
    """One kind's counts.

    ``source == created + already + updated + degraded + archived + failed`` (see
    :attr:`reconciles`); a dry run counts what a real run would do.

    Attributes:
        kind: ``agents``, ``chats``...
        write: The target's write used (``create_ticket``).
        source: Records read from the source.
        created: Written as they are.
        already: On the target already (in the id map, or found there by natural key).
        updated: Found on the target by natural key with other fields, and brought to the
            source's (an agent's name).
        degraded: Written with a stated loss (``degraded_reasons``).
        archived: Not writable to the target: in the archive only (``archived_reasons``).
        failed: Not written: the error is in ``errors``.
    """

    kind: str
    write: str
    source: int = 0
    created: int = 0
    already: int = 0
    updated: int = 0
    degraded: int = 0
    archived: int = 0
    failed: int = 0
    degraded_reasons: Counter[str] = attrs.field(factory=Counter)
    archived_reasons: Counter[str] = attrs.field(factory=Counter)
    errors: list[str] = attrs.field(factory=list)

    @property
    def reconciles(self) -> bool:
        """Whether every source record is accounted for exactly once."""
        accounted = (
            self.created + self.already + self.updated + self.degraded + self.archived + self.failed
        )
        return self.source == accounted

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe counts and reasons."""
        return {
            "kind": self.kind,
            "write": self.write,
            "source": self.source,
            "created": self.created,
            "already": self.already,
            "updated": self.updated,
            "degraded": self.degraded,
            "archived": self.archived,
            "failed": self.failed,
            "reconciles": self.reconciles,
            "degraded_reasons": dict(self.degraded_reasons),
            "archived_reasons": dict(self.archived_reasons),
            "errors": self.errors[:100],
        }


@attrs.define
class MigrationReport:
    """A migration's outcome.

    Attributes:
        source: The source vendor.
        target: The target vendor.
        dry_run: Whether writes were only planned.
        kinds: Per kind, in the order they ran.
    """

    source: str
    target: str
    dry_run: bool
    kinds: dict[str, KindReport] = attrs.field(factory=dict)

    @property
    def reconciles(self) -> bool:
        """Whether every kind reconciles."""
        return all(report.reconciles for report in self.kinds.values())

    @property
    def failed(self) -> int:
        """Records not written because of an error."""
        return sum(report.failed for report in self.kinds.values())

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "source": self.source,
            "target": self.target,
            "dry_run": self.dry_run,
            "reconciles": self.reconciles,
            "kinds": [report.as_dict() for report in self.kinds.values()],
        }

    def save(self, path: str | Path) -> None:
        """Write the report as JSON."""
        Path(path).write_text(json.dumps(self.as_dict(), indent=2) + "\n", encoding="utf-8")

    def table(self) -> str:
        """The report as a text table, one line per kind and the reconciliation."""
        head = (
            "kind",
            "write",
            "source",
            "created",
            "already",
            "updated",
            "degraded",
            "archived",
            "failed",
        )
        rows: list[tuple[str, ...]] = [head]
        for r in self.kinds.values():
            counts = (r.source, r.created, r.already, r.updated, r.degraded, r.archived, r.failed)
            rows.append((r.kind, r.write, *(str(n) for n in counts)))
        widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
        ]
        verdict = "reconciles" if self.reconciles else "DOES NOT reconcile"
        mode = " (dry run: what a real run would do)" if self.dry_run else ""
        lines.append(
            f"source = created + already + updated + degraded + archived + failed: {verdict}{mode}"
        )
        for r in self.kinds.values():
            for reason, count in sorted(r.degraded_reasons.items()):
                lines.append(f"  {r.kind}: degraded {count}: {reason}")
            for reason, count in sorted(r.archived_reasons.items()):
                lines.append(f"  {r.kind}: archived only {count}: {reason}")
            for error in r.errors[:5]:
                lines.append(f"  {r.kind}: failed: {error}")
        return "\n".join(lines)
