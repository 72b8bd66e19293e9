"""``chatapi export`` and ``chatapi demo``: bulk export from the command line.

Credentials come from environment variables or a ``--credentials`` file, never from
command-line values (they would show in ``ps`` and in shell history).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import textwrap
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from ._core import jsonlib
from ._core.params import group_repeated
from ._core.tomlfile import load_toml
from ._registry import vendor_names, vendor_spec
from .errors import ChatAPIError, ConfigurationError, UnsupportedOperationError
from .export import CheckpointMismatchError, ExportReport, Progress, checkpoint_path, export
from .operations import OPERATIONS, operation
from .spec import VendorSpec

__all__ = [
    "add_demo_command",
    "add_export_command",
    "credentials_from_env",
    "credentials_from_file",
    "default_demo_vendor",
    "run_demo",
    "run_export",
]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A problem with the command line or its configuration (exit status 2)."""


def _spec(vendor: str) -> VendorSpec:
    try:
        return vendor_spec(vendor)
    except ConfigurationError as exc:
        raise UsageError(str(exc)) from exc


def _variables_help(spec: VendorSpec) -> str:
    options = [" + ".join(alt.values()) for alt in spec.credential_variables()]
    return ", or ".join(options)


def credentials_from_env(vendor: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The vendor's constructor keywords from its ``CHATAPI_<VENDOR>_*`` variables.

    The first complete credential alternative of the vendor's spec wins; its settings
    (``CHATAPI_<VENDOR>_REGION``, ...) and ``CHATAPI_<VENDOR>_BASE_URL`` are honoured too.

    Raises:
        UsageError: No complete set of variables (the message names them), or an unknown
            vendor.
    """
    spec = _spec(vendor)
    if not spec.credentials:
        # A vendor that needs no credentials: only its settings.
        keys = (*spec.settings, "base_url")
        return {
            key: environ[spec.environment_variable(key)]
            for key in keys
            if environ.get(spec.environment_variable(key))
        }
    found = spec.options_from_environment(environ)
    if found is None:
        raise UsageError(
            f"no {vendor} credentials: set {_variables_help(spec)} in the environment, "
            "or pass --credentials FILE"
        )
    return found


def credentials_from_file(vendor: str, path: Path) -> dict[str, Any]:
    """Credentials from a TOML or JSON file: top-level keys, or a ``[vendor]`` table.

    Raises:
        UsageError: Unreadable file or no usable table.
    """
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read credentials file {path}: {exc.strerror}") from exc
    try:
        if path.suffix.lower() == ".json":
            data = jsonlib.loads(text)
        else:
            data = load_toml(text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"credentials file {path} is not valid {path.suffix or 'TOML'}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"credentials file {path} must hold a table of settings")
    section = data.get(vendor, data)
    if not isinstance(section, dict) or not section:
        raise UsageError(f"credentials file {path} has no [{vendor}] settings")
    allowed = set(_spec(vendor).keywords)
    unknown = sorted(set(section) - allowed - set(vendor_names()))
    if unknown:
        raise UsageError(
            f"credentials file {path}: unknown setting(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
    return {k: v for k, v in section.items() if k in allowed}


# -- export -------------------------------------------------------------------------------------


def default_demo_vendor() -> str:
    """The vendor ``chatapi demo`` and the help examples use: the first built-in vendor
    that ships a sandbox.

    Raises:
        ConfigurationError: No built-in vendor ships a sandbox.
    """
    from .sandbox.server import default_vendor

    try:
        return default_vendor()
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc


def _credentials_lines() -> list[str]:
    """One entry per installed vendor: its credential variables (from its spec)."""
    names = vendor_names()
    width = max([len(name) for name in names] + [len("any")])
    lines = []
    for name in names:
        try:
            spec = vendor_spec(name)
        except ConfigurationError as exc:
            lines.append(f"  {name.ljust(width)}  (cannot be loaded: {exc})")
            continue
        text = _variables_help(spec) if spec.credentials else "no credentials"
        if spec.settings:
            optional = ", ".join(spec.environment_variable(key) for key in spec.settings)
            text += f"; optional {optional}"
        lines.extend(
            textwrap.wrap(
                text,
                width=92,
                initial_indent=f"  {name.ljust(width)}  ",
                subsequent_indent=" " * (width + 4),
                break_on_hyphens=False,
            )
        )
    lines.append(
        f"  {'any'.ljust(width)}  CHATAPI_<VENDOR>_BASE_URL points the client at another root "
        "(a proxy, the sandbox)"
    )
    return lines


def _export_epilog() -> str:
    """The ``chatapi export --help`` epilog, generated from the specs and operations."""
    try:
        example = default_demo_vendor()
    except ConfigurationError:
        example = vendor_names()[0] if vendor_names() else "VENDOR"
    kinds = [f"  {op.cli_name.ljust(18)}{op.summary}" for op in OPERATIONS]
    return "\n".join(
        [
            "credentials (environment variables, or --credentials FILE with the same keys in "
            "lower case):",
            *_credentials_lines(),
            "",
            "what to export (a vendor offers those it supports):",
            *kinds,
            "",
            "examples:",
            f"  chatapi export {example} chats --from 2024-01-01 --to 2024-12-31 -o chats.jsonl",
            f"  chatapi export {example} chats --from 2024-01-01 -o chats.jsonl --resume",
            f"  chatapi export {example} offline-messages -o offline.jsonl --raw",
            f"  chatapi export {example} agents -o agents.jsonl --credentials {example}.toml",
            "",
            "exit status: 0 complete, 1 failed (re-run with --resume to continue), 2 usage error,",
            "130 interrupted (Ctrl-C; the checkpoint is saved: re-run with --resume).",
            "",
        ]
    )


def _kinds_phrase() -> str:
    """``chats, offline messages, agents or visitors``."""
    names = [op.name.replace("_", " ") for op in OPERATIONS]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def add_export_command(subparsers: Any) -> None:
    """Declare ``chatapi export``."""
    parser = subparsers.add_parser(
        "export",
        help=f"export a vendor's {_kinds_phrase()} to JSON Lines",
        description="Export every record of a listing to a JSON Lines file, with a "
        "checkpoint after each page so that --resume continues where it stopped.",
        epilog=_export_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("vendor", choices=vendor_names(), help="the vendor")
    parser.add_argument(
        "kind", choices=[op.cli_name for op in OPERATIONS], help="what to export (see below)"
    )
    parser.add_argument("-o", "--output", required=True, type=Path, help="the .jsonl file")
    parser.add_argument("--from", dest="date_from", type=_date, help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", type=_date, help="last day (YYYY-MM-DD)")
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="another filter of the vendor's listing (repeat a name for a list)",
    )
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint")
    parser.add_argument("--raw", action="store_true", help="keep each vendor payload in 'raw'")
    parser.add_argument(
        "--concurrency", type=_positive_int, default=8, help="requests in flight (default 8)"
    )
    parser.add_argument(
        "--credentials", type=Path, metavar="FILE", help="TOML or JSON file with credentials"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress, only errors")
    parser.set_defaults(handler=run_export)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if args.date_from:
        filters["date_from"] = args.date_from
    if args.date_to:
        filters["date_to"] = args.date_to
    pairs = []
    for item in args.filter:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--filter takes NAME=VALUE, got {item!r}")
        pairs.append((name, value))
    return group_repeated(pairs, into=filters)


def run_export(args: argparse.Namespace) -> int:
    """Run ``chatapi export``; returns the exit status."""
    out = sys.stderr
    try:
        if args.credentials is not None:
            credentials = credentials_from_file(args.vendor, args.credentials)
        else:
            credentials = credentials_from_env(args.vendor, os.environ)
        filters = _filters(args)
    except UsageError as exc:
        print(f"chatapi export: {exc}", file=out)
        return EXIT_USAGE
    try:
        report = asyncio.run(
            _export(args, credentials, filters, quiet=args.quiet, stream=sys.stderr)
        )
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: the checkpoint {checkpoint_path(args.output)} is saved; re-run the "
            "same command with --resume to continue",
            file=out,
        )
        return EXIT_INTERRUPTED
    except UsageError as exc:
        print(f"chatapi export: {exc}", file=out)
        return EXIT_USAGE
    except CheckpointMismatchError as exc:
        print(f"chatapi export: {exc}", file=out)
        return EXIT_USAGE
    except ConfigurationError as exc:
        print(f"chatapi export: {exc}", file=out)
        return EXIT_USAGE
    except ChatAPIError as exc:
        print(
            f"chatapi export failed: {type(exc).__name__}: {exc}\n"
            f"every page before the failure is saved in {args.output}; re-run the same "
            "command with --resume to continue",
            file=out,
        )
        return EXIT_FAILED
    if not args.quiet:
        print_summary(report, stream=sys.stdout)
    return EXIT_OK


async def _export(
    args: argparse.Namespace,
    credentials: Mapping[str, Any],
    filters: Mapping[str, Any],
    *,
    quiet: bool,
    stream: IO[str],
) -> ExportReport:
    from ._registry import connect

    try:
        client = connect(args.vendor, **credentials, max_concurrency=args.concurrency)
    except TypeError as exc:
        raise UsageError(str(exc)) from exc
    kind = operation(args.kind).name
    async with client:
        try:
            # Validates support, filter names and values before anything is written.
            getattr(client, kind)(**filters)
        except (TypeError, ValueError, UnsupportedOperationError) as exc:
            raise UsageError(str(exc)) from exc
        reporter = ProgressReporter(stream, quiet=quiet)
        try:
            return await export(
                client,
                kind,
                args.output,
                filters=filters,
                resume=args.resume,
                progress=reporter,
                include_raw=args.raw,
            )
        finally:
            reporter.close()


class ProgressReporter:
    """Progress on a terminal: a live bar (rich) on a TTY, periodic plain lines otherwise."""

    def __init__(self, stream: IO[str], *, quiet: bool, interval: float = 5.0) -> None:
        self._stream = stream
        self._quiet = quiet
        self._interval = interval
        self._last = 0.0
        self._bar: Any = None
        self._task: Any = None
        if not quiet and stream.isatty():
            try:
                from rich.console import Console
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    TextColumn,
                    TimeRemainingColumn,
                )
                from rich.progress import (
                    Progress as RichProgress,
                )
            except ImportError:  # rich is the optional "cli" extra: fall back to lines
                pass
            else:
                self._bar = RichProgress(
                    TextColumn("pages"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("{task.fields[records]:,} records"),
                    TextColumn("rate-limited {task.fields[limited]:.0f} s"),
                    TimeRemainingColumn(),
                    console=Console(file=stream),
                    transient=False,
                )
                self._bar.start()
                self._task = self._bar.add_task("export", total=None, records=0, limited=0.0)

    def __call__(self, progress: Progress) -> None:
        if self._quiet:
            return
        if self._bar is not None:
            self._bar.update(
                self._task,
                completed=progress.pages_done,
                total=progress.pages_total,
                records=progress.records,
                limited=progress.rate_limited_seconds,
            )
            return
        now = time.monotonic()
        done = progress.pages_total is not None and progress.pages_done >= progress.pages_total
        if now - self._last >= self._interval or done:
            self._last = now
            total = progress.pages_total if progress.pages_total is not None else "?"
            eta = f", eta {progress.eta:.0f} s" if progress.eta is not None else ""
            print(
                f"pages {progress.pages_done}/{total}, records {progress.records}, "
                f"rate-limited {progress.rate_limited_seconds:.1f} s{eta}",
                file=self._stream,
                flush=True,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def summary_rows(report: ExportReport) -> list[tuple[str, str]]:
    """The ExportReport as (label, value) rows."""
    expected = "unknown" if report.expected_total is None else f"{report.expected_total:,}"
    return [
        ("vendor / kind", f"{report.vendor} / {report.kind}"),
        ("output", str(report.path)),
        ("records written", f"{report.records_written:,}"),
        ("expected total", expected),
        ("pages", f"{report.pages:,}"),
        ("duplicates dropped", f"{report.duplicates_dropped:,}"),
        ("retries", f"{report.retries:,}"),
        ("429s seen", f"{report.rate_limited:,}"),
        ("waiting on rate limits", f"{report.rate_limited_seconds:.1f} s"),
        ("duration", f"{report.duration:.1f} s"),
        ("resumed", "yes" if report.resumed else "no"),
        ("complete", "yes" if report.complete else "NO"),
    ]


def print_summary(report: ExportReport, *, stream: IO[str]) -> None:
    """Print the ExportReport as a table (rich on a terminal when available)."""
    rows = summary_rows(report)
    if stream.isatty():
        try:
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            pass
        else:
            table = Table(title="export summary", show_header=False)
            for label, value in rows:
                table.add_row(label, value)
            Console(file=stream).print(table)
            return
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}", file=stream)


# -- demo -----------------------------------------------------------------------------------------


def add_demo_command(subparsers: Any) -> None:
    """Declare ``chatapi demo``."""
    parser = subparsers.add_parser(
        "demo",
        help="export from an embedded sandbox (no vendor account needed)",
        description="Start a vendor's sandbox in this process (with latency, a rate limit "
        "and 5%% faults), export every listing it supports into a folder, and print the "
        "summaries.",
    )
    parser.add_argument(
        "--vendor",
        help="a vendor that ships a sandbox (default: the first built-in one)",
    )
    parser.add_argument("--dir", type=Path, default=Path("chatapi-demo"), help="output folder")
    parser.add_argument("--chats", type=_positive_int, default=3000, help="chats (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="data seed (default 1)")
    parser.add_argument("--quiet", action="store_true", help="only the summaries")
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Run ``chatapi demo``; returns the exit status."""
    try:
        reports = asyncio.run(_demo(args))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ConfigurationError, ValueError) as exc:
        print(f"chatapi demo: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ChatAPIError as exc:
        print(f"chatapi demo failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for report in reports:
        print_summary(report, stream=sys.stdout)
        print(file=sys.stdout)
    complete = all(r.complete for r in reports)
    print(f"files in {args.dir}/: " + ", ".join(r.path.name for r in reports), file=sys.stdout)
    return EXIT_OK if complete else EXIT_FAILED


async def _demo(args: argparse.Namespace) -> list[ExportReport]:
    from ._capabilities import supports
    from .sandbox import Faults, serve

    vendor = args.vendor or default_demo_vendor()
    faults = Faults(latency=0.02, jitter=0.01, rate_limit=60, error_503=0.03, error_500=0.02)
    args.dir.mkdir(parents=True, exist_ok=True)
    reports = []
    async with serve(vendor, chats=args.chats, seed=args.seed, faults=faults) as sandbox:
        if not args.quiet:
            print(f"{vendor} sandbox serving at {sandbox.base_url}", file=sys.stderr)
        async with sandbox.client(max_concurrency=8) as client:
            kinds = [op.name for op in OPERATIONS if supports(type(client), op.name)]
            for kind in kinds:
                reporter = ProgressReporter(sys.stderr, quiet=args.quiet, interval=1.0)
                try:
                    reports.append(
                        await export(
                            client,
                            kind,
                            args.dir / f"{kind.replace('_', '-')}.jsonl",
                            progress=reporter,
                        )
                    )
                finally:
                    reporter.close()
            show_writes = vendor_spec(vendor).load_demo_writes()
            if show_writes is not None:
                print(f"writes to the {vendor} sandbox:", file=sys.stdout)
                async for line in show_writes(client):
                    print(f"  {line}", file=sys.stdout)
                print(file=sys.stdout)
    return reports
