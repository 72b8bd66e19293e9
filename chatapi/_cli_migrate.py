"""``chatapi migrate``: move records between two accounts (any two vendors) once, resumably."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import IO, Any

from ._cli_export import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    credentials_from_env,
    credentials_from_file,
)
from ._registry import connect, vendor_names
from .errors import ChatAPIError, ConfigurationError
from .migration import KINDS, KindReport, MigrationRefused, MigrationReport, migrate

__all__ = ["add_migrate_command", "run_migrate"]


def add_migrate_command(subparsers: Any) -> None:
    """Declare ``chatapi migrate``."""
    parser = subparsers.add_parser(
        "migrate",
        help="move agents, groups, ..., chats from one account to another, once",
        description="Read every record of the chosen kinds from SOURCE and write what the "
        "TARGET can hold, once: an SQLite ledger (--state) maps source ids to target ids, so "
        "a run can be stopped and started again. Ends with the report table; exit 0 only "
        "when nothing failed. Credentials as for `chatapi export` (environment variables, or "
        "a file per side, since both may be the same vendor).",
    )
    parser.add_argument("source", choices=vendor_names(), help="the vendor read from")
    parser.add_argument("target", choices=vendor_names(), help="the vendor written to")
    parser.add_argument(
        "--kinds",
        default=",".join(KINDS),
        help=f"comma-separated kinds (default: {','.join(KINDS)})",
    )
    parser.add_argument("--state", type=Path, required=True, help="the ledger (SQLite file)")
    parser.add_argument("--archive", type=Path, help="folder for JSON Lines of everything read")
    parser.add_argument("--dry-run", action="store_true", help="plan and report; write nothing")
    parser.add_argument("--source-credentials", type=Path, metavar="FILE")
    parser.add_argument("--target-credentials", type=Path, metavar="FILE")
    parser.add_argument("--quiet", action="store_true", help="only the report")
    parser.set_defaults(handler=run_migrate)


def _credentials(vendor: str, path: Path | None) -> dict[str, Any]:
    if path is not None:
        return credentials_from_file(vendor, path)
    return credentials_from_env(vendor, os.environ)


class _Progress:
    """One line per kind, rewritten as pages arrive (a terminal) or every few pages."""

    def __init__(self, stream: IO[str], quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty()

    def __call__(self, report: KindReport) -> None:
        if self.quiet:
            return
        done = report.created + report.already + report.degraded + report.archived
        line = (
            f"{report.kind}: {report.source} read, {done} done, {report.failed} failed"
            f" ({report.write})"
        )
        if self.tty:
            self.stream.write("\r" + line.ljust(78))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def run_migrate(args: argparse.Namespace) -> int:
    """Run ``chatapi migrate``; returns the exit status."""
    kinds = [kind.strip().replace("-", "_") for kind in args.kinds.split(",") if kind.strip()]
    try:
        report = asyncio.run(_migrate(args, kinds))
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (UsageError, ConfigurationError, MigrationRefused, ValueError) as exc:
        print(f"chatapi migrate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ChatAPIError as exc:
        print(f"chatapi migrate failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(report.table())
    return EXIT_OK if report.failed == 0 and report.reconciles else EXIT_FAILED


async def _migrate(args: argparse.Namespace, kinds: list[str]) -> MigrationReport:
    source_credentials = _credentials(args.source, args.source_credentials)
    target_credentials = _credentials(args.target, args.target_credentials)
    progress = _Progress(sys.stderr, args.quiet)
    async with (
        connect(args.source, **source_credentials) as source,
        connect(args.target, **target_credentials) as target,
    ):
        report = await migrate(
            source,
            target,
            kinds=kinds,
            state=args.state,
            archive=args.archive,
            dry_run=args.dry_run,
            progress=progress,
        )
    if progress.tty and not args.quiet:
        sys.stderr.write("\n")
    return report
