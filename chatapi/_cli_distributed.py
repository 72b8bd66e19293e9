"""``chatapi export-many``: export many accounts on a dask cluster (``chatapi[distributed]``)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from ._cli_export import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from .errors import ChatAPIError, ConfigurationError
from .operations import OPERATIONS

__all__ = ["add_export_many_command", "run_export_many"]


def add_export_many_command(subparsers: Any) -> None:
    """Declare ``chatapi export-many``."""
    parser = subparsers.add_parser(
        "export-many",
        help="export many accounts on a dask cluster (pip install 'chatapi[distributed]')",
        description="Cut each account's listing into (account, kind, date window) shards and "
        "export them on dask: one shard per account at a time, each resumable, a manifest at "
        "the end. Without --scheduler, a LocalCluster on 127.0.0.1 runs here. Workers read "
        "credentials from their own CHATAPI_ACCOUNTS_FILE (the --accounts file, for a local "
        "cluster); no secret enters the task graph.",
    )
    parser.add_argument("kind", choices=[op.cli_name for op in OPERATIONS])
    parser.add_argument("--accounts", type=Path, required=True, help="TOML: a table per account")
    parser.add_argument("--only", help="comma-separated account names (default: every one)")
    parser.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--window-days", type=int, default=7, help="days per shard (default 7)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running scheduler (tcp://host:8786)")
    where.add_argument("--workers", type=int, default=2, help="local worker processes (2)")
    parser.add_argument("--per-account", type=int, default=1, help="shards of one account at once")
    parser.set_defaults(handler=run_export_many)


def run_export_many(args: argparse.Namespace) -> int:
    """Run ``chatapi export-many``; returns the exit status."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("chatapi export-many needs: pip install 'chatapi[distributed]'", file=sys.stderr)
        return EXIT_USAGE
    from .distributed import ACCOUNTS_FILE_VARIABLE, plan, read_accounts, run

    try:
        accounts = read_accounts(args.accounts)
        names = args.only.split(",") if args.only else list(accounts)
        # Set before any local worker starts: spawned workers inherit the environment only.
        os.environ[ACCOUNTS_FILE_VARIABLE] = str(args.accounts.resolve())
        shards = plan(
            names,
            args.kind,
            date_from=args.date_from,
            date_to=args.date_to,
            window=dt.timedelta(days=args.window_days),
        )
    except (ConfigurationError, ValueError) as exc:
        print(f"chatapi export-many: {exc}", file=sys.stderr)
        return EXIT_USAGE

    def progress(result: Any, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        state = "ok" if result.complete else "INCOMPLETE"
        print(
            f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} shards; "
            f"{result.shard.key}: {result.records} records ({state})",
            file=sys.stderr,
            flush=True,
        )

    print(f"{len(shards)} shards for {len(names)} accounts", file=sys.stderr)
    try:
        if args.scheduler:
            with Client(args.scheduler) as client:  # type: ignore[no-untyped-call]
                report = run(
                    shards,
                    client=client,
                    output_dir=args.output,
                    per_account=args.per_account,
                    progress=progress,
                )
        else:
            with (
                LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=args.workers,
                    threads_per_worker=max(len(names), 1),
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=":0",
                ) as cluster,
                Client(cluster) as client,  # type: ignore[no-untyped-call]
            ):
                report = run(
                    shards,
                    client=client,
                    output_dir=args.output,
                    per_account=args.per_account,
                    progress=progress,
                )
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to finish", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ChatAPIError as exc:
        print(f"chatapi export-many failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"{report.records} records in {len(report.results)} shards; manifest: "
        f"{args.output / 'manifest.json'}; {'complete' if report.complete else 'INCOMPLETE'}"
    )
    return EXIT_OK if report.complete else EXIT_FAILED
