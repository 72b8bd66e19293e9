"""Cross-vendor migration: plan, dry run, id map, resumable writes, reconciliation report.

``await chatapi.migrate(source, target, state="migration.db")`` (this package's
:func:`migrate`) reads through the normalized reads, writes through the normalized writes
(:mod:`chatapi.writes`), and keeps an SQLite ledger of what became what, so a run can be
killed and started again without writing twice.
"""

from ._engine import KINDS, MigrationRefused, migrate
from ._mapping import Planned, stamp, stamped
from ._report import KindReport, MigrationReport

__all__ = [
    "KINDS",
    "KindReport",
    "MigrationRefused",
    "MigrationReport",
    "Planned",
    "migrate",
    "stamp",
    "stamped",
]
