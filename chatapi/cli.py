"""The ``chatapi`` command line.

Each subcommand is a pair of functions: ``add_<name>_command(subparsers)`` declares it and
sets ``handler``; ``run_<name>(args) -> int`` runs it. To add one (``export``, ``demo``),
write the pair and call the ``add_`` function from :func:`build_parser`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import re
import signal
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

from ._cli_distributed import add_export_many_command
from ._cli_export import add_demo_command, add_export_command
from ._cli_listen import add_listen_command
from ._cli_migrate import add_migrate_command

__all__ = ["build_parser", "main", "parse_duration", "sandbox_main"]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s)?\s*$")


def parse_duration(text: str) -> float:
    """Seconds from ``"50ms"``, ``"0.5s"`` or ``"0.5"`` (seconds).

    Raises:
        argparse.ArgumentTypeError: Anything else.
    """
    match = _DURATION.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 50ms or 0.5s)")
    value = float(match.group(1))
    return value / 1000 if match.group(2) == "ms" else value


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


# -- sandbox ------------------------------------------------------------------------------------


def _sandbox_epilog() -> str:
    """The sandbox help's epilog: each sandbox vendor's generations, from the specs."""
    from ._cli_export import default_demo_vendor
    from ._registry import vendor_spec
    from .errors import ConfigurationError
    from .sandbox.server import sandbox_vendors

    names = sandbox_vendors()
    width = max([len(name) for name in names] + [1])
    lines = ["generations (the first is the default):"]
    for name in names:
        spec = vendor_spec(name)
        described = [f"{g.name} ({g.summary})" if g.summary else g.name for g in spec.generations]
        lines.extend(
            textwrap.wrap(
                " | ".join(described),
                width=92,
                initial_indent=f"  {name.ljust(width)}  ",
                subsequent_indent=" " * (width + 4),
                break_on_hyphens=False,
            )
        )
    try:
        example = default_demo_vendor()
    except ConfigurationError:
        example = names[0] if names else "VENDOR"
    several = next((vendor_spec(n) for n in names if len(vendor_spec(n).generations) > 1), None)
    lines += [
        "",
        "examples:",
        f"  chatapi sandbox {example} --port 8765 --chats 30000 --latency 50ms --rate-limit 20 \\",
        "      --fault-rate 0.05",
    ]
    if several is not None:
        lines.append(
            f"  chatapi sandbox {several.name} --generation {several.generations[-1].name} "
            "--chats 2000"
        )
    lines += [
        f"  python -m chatapi.sandbox {example} --port 0    # first line: the base URL",
        "",
        "The first line printed is the base URL, the second the client credentials as JSON",
        '("credentials: {...}"). Data and fault decisions are deterministic for a given --seed.',
        "",
    ]
    return "\n".join(lines)


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the sandbox options on ``parser`` (shared by ``python -m chatapi.sandbox``)."""
    from .sandbox.server import sandbox_vendors

    parser.add_argument("vendor", choices=sandbox_vendors(), help="the vendor API to fake")
    parser.add_argument(
        "--generation", help="API generation to serve (see below; default: the first)"
    )
    parser.add_argument(
        "--port", type=int, default=8765, help="TCP port on 127.0.0.1 (0: any free port)"
    )
    data = parser.add_argument_group("data")
    data.add_argument("--seed", type=int, default=1, help="seed of data and faults (default 1)")
    data.add_argument("--chats", type=int, default=1000, help="chats to generate (default 1000)")
    data.add_argument(
        "--messages", type=int, default=10, help="average messages per chat (default 10)"
    )
    data.add_argument("--agents", type=int, default=8, help="agents (default 8)")
    data.add_argument("--visitors", type=int, help="visitors (default: chats / 3)")
    data.add_argument("--offline-messages", type=int, help="offline messages (default: chats / 10)")
    data.add_argument(
        "--days", type=float, default=30.0, help="chats spread over the last N days (default 30)"
    )
    faults = parser.add_argument_group("faults (all off by default)")
    faults.add_argument(
        "--latency", type=parse_duration, default=0.0, help="added to every answer (50ms, 0.2s)"
    )
    faults.add_argument(
        "--jitter", type=parse_duration, default=0.0, help="up to this much more latency"
    )
    faults.add_argument(
        "--rate-limit", type=_positive, help="requests per second before the vendor's 429"
    )
    faults.add_argument("--burst", type=int, help="requests allowed at once (default: the rate)")
    faults.add_argument(
        "--retry-after", type=float, help="seconds announced by 429s (default: computed)"
    )
    faults.add_argument(
        "--fault-rate",
        type=_probability,
        default=0.0,
        help="probability of a fault per request, spread over 500/502/503, connection "
        "reset, truncated and malformed bodies",
    )
    for name, what in (
        ("error-500", "an HTTP 500"),
        ("error-502", "an HTTP 502"),
        ("error-503", "an HTTP 503"),
        ("reset", "a connection reset"),
        ("truncate", "a truncated body"),
        ("malformed", "a malformed JSON body"),
        ("slow-body", "a trickling body"),
    ):
        faults.add_argument(
            f"--{name}", type=_probability, default=0.0, help=f"probability of {what}"
        )
    faults.add_argument(
        "--slow-body-seconds", type=parse_duration, default=1.0, help="duration of a slow body"
    )
    faults.add_argument(
        "--page-drift", type=int, default=0, help="new chats arriving during listings"
    )
    faults.add_argument(
        "--drift-every", type=int, default=1, help="listing requests between two new chats"
    )
    faults.add_argument(
        "--max-faults-per-request", type=int, help="serve a request normally after N faults"
    )
    live = parser.add_argument_group(
        "live mode (new chats arrive over time; vendors with webhooks POST them for each)"
    )
    live.add_argument("--live", action="store_true", help="turn live mode on")
    live.add_argument(
        "--live-interval",
        type=parse_duration,
        default=1.0,
        help="time between two new chats (default 1s)",
    )
    live.add_argument(
        "--live-chats", type=int, default=1000, help="chats that arrive in all (default 1000)"
    )
    live.add_argument(
        "--retry-delay-scale",
        type=float,
        default=1.0,
        help="factor on the vendor's webhook retry delays (default 1: as documented)",
    )
    live.add_argument(
        "--delivery-timeout",
        type=parse_duration,
        help="time a webhook delivery may take (default: the vendor's, 10s)",
    )
    live.add_argument(
        "--webhook-url",
        help="where the sandbox POSTs its webhooks (implies --live; a vendor whose webhooks are "
        "registered through its API gets a chat-started and a chat-ended webhook to it)",
    )
    live.add_argument(
        "--webhook-key", help="the key signed webhooks are signed with (vendors that sign)"
    )


def add_sandbox_command(subparsers: Any) -> None:
    """Declare ``chatapi sandbox``."""
    parser = subparsers.add_parser(
        "sandbox",
        help="serve a fake vendor API on 127.0.0.1 (for tests, benchmarks, demos)",
        description="Serve a faithful fake of a vendor's API on 127.0.0.1, with "
        "deterministic data and optional fault injection, until Ctrl-C.",
        epilog=_sandbox_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_sandbox_arguments(parser)
    parser.set_defaults(handler=run_sandbox)


def faults_from_args(args: argparse.Namespace) -> Any:
    """The :class:`chatapi.sandbox.Faults` the sandbox options describe."""
    from .sandbox import Faults

    share = args.fault_rate / 6
    return Faults(
        latency=args.latency,
        jitter=args.jitter,
        rate_limit=args.rate_limit,
        burst=args.burst,
        retry_after=args.retry_after,
        error_500=args.error_500 + share,
        error_502=args.error_502 + share,
        error_503=args.error_503 + share,
        reset=args.reset + share,
        truncate=args.truncate + share,
        malformed=args.malformed + share,
        slow_body=args.slow_body,
        slow_body_seconds=args.slow_body_seconds,
        page_drift=args.page_drift,
        drift_every=args.drift_every,
        max_faults_per_request=args.max_faults_per_request,
        seed=None,
    )


def live_from_args(args: argparse.Namespace) -> Any:
    """The :class:`chatapi.sandbox.Live` the sandbox options describe, or None (live mode
    off: no ``--live``, ``--webhook-url`` or ``--webhook-key``)."""
    from .sandbox import Live

    if not (args.live or args.webhook_url or args.webhook_key):
        return None
    return Live(
        interval=args.live_interval,
        chats=args.live_chats,
        retry_delay_scale=args.retry_delay_scale,
        delivery_timeout=args.delivery_timeout,
        webhook_url=args.webhook_url,
        webhook_key=args.webhook_key,
    )


def run_sandbox(args: argparse.Namespace) -> int:
    """Serve until interrupted; print the base URL, then the credentials."""
    try:
        faults = faults_from_args(args)
        live = live_from_args(args)
    except ValueError as exc:
        print(f"chatapi sandbox: error: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_serve_forever(args, faults, live))
    except KeyboardInterrupt:
        return 0


async def _serve_forever(args: argparse.Namespace, faults: Any, live: Any = None) -> int:
    from .sandbox import serve

    end = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
    try:
        context = serve(
            args.vendor,
            chats=args.chats,
            seed=args.seed,
            faults=faults,
            generation=args.generation,
            port=args.port,
            messages_per_chat=args.messages,
            agents=args.agents,
            visitors=args.visitors,
            offline_messages=args.offline_messages,
            start=end - dt.timedelta(days=args.days),
            end=end,
            live=live,
        )
        sandbox = await context.__aenter__()
    except (ValueError, OSError) as exc:
        print(f"chatapi sandbox: error: {exc}", file=sys.stderr)
        return 2
    try:
        print(sandbox.base_url, flush=True)
        print("credentials: " + json.dumps(sandbox.credentials), flush=True)
        print(
            f"serving {args.vendor} ({sandbox.generation}) with {args.chats} chats, "
            f"seed {args.seed}; Ctrl-C to stop",
            flush=True,
        )
        print(
            f'  python: chatapi.connect("{args.vendor}", **credentials)',
            flush=True,
        )
        if live is not None:
            print(
                f"live: a new chat every {live.interval:g}s ({live.chats} in all)",
                flush=True,
            )
            for line in sandbox.app.live_info(sandbox.base_url):
                print(line, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            # Windows event loops have no signal handlers: Ctrl-C raises there instead.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        stats = sandbox.stats
        print(
            f"served {stats.requests} requests; statuses {dict(sorted(stats.statuses.items()))}"
            f"; faults {stats.faults}",
            file=sys.stderr,
        )
        if live is not None:
            deliveries = sandbox.deliveries
            delivered = sum(d.delivered for d in deliveries)
            print(
                f"live: {len(sandbox.live.arrived) if sandbox.live else 0} chats arrived; "
                f"{delivered} of {len(deliveries)} webhook deliveries answered 200",
                file=sys.stderr,
            )
        return 0
    finally:
        await context.__aexit__(None, None, None)


# -- entry points -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The ``chatapi`` parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="chatapi", description="chatapi: async client library for live-chat vendors."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_export_command(subparsers)
    add_demo_command(subparsers)
    add_sandbox_command(subparsers)
    add_listen_command(subparsers)
    add_migrate_command(subparsers)
    add_export_many_command(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``chatapi`` command; return the exit status."""
    args = build_parser().parse_args(argv)
    handler = args.handler
    status: int = handler(args)
    return status


def sandbox_main(argv: Sequence[str] | None = None) -> int:
    """``python -m chatapi.sandbox``: the ``sandbox`` subcommand on its own."""
    parser = argparse.ArgumentParser(
        prog="python -m chatapi.sandbox",
        description="Serve a faithful fake of a vendor's API on 127.0.0.1 until Ctrl-C.",
        epilog=_sandbox_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_sandbox_arguments(parser)
    return run_sandbox(parser.parse_args(argv))
