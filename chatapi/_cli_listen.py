"""``chatapi listen``: receive a vendor's webhooks and write one JSON line per event."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import IO, Any

from ._core import jsonlib
from ._registry import vendor_names, vendor_spec
from .errors import ChatAPIError, ConfigurationError

__all__ = ["add_listen_command", "run_listen"]


def add_listen_command(subparsers: Any) -> None:
    """Declare ``chatapi listen``."""
    parser = subparsers.add_parser(
        "listen",
        help="receive a vendor's webhooks and write one JSON line per event",
        description="Serve an HTTP endpoint for a vendor's webhooks: each request is "
        "verified, answered at once and written as one JSON line (credentials blanked). "
        "Secrets come from --secret / --basic-auth or CHATAPI_<VENDOR>_WEBHOOK_SECRET / "
        "CHATAPI_<VENDOR>_WEBHOOK_BASIC_AUTH (user:password, comma-separated for rotation).",
    )
    parser.add_argument("vendor", choices=vendor_names(), help="the vendor sending webhooks")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0: any)")
    parser.add_argument("--path", default="/", help="path the vendor POSTs to (default /)")
    parser.add_argument("-o", "--output", type=Path, help="JSON Lines file (default: stdout)")
    parser.add_argument(
        "--secret", action="append", help="HMAC key or webhook token; repeat for rotation"
    )
    parser.add_argument(
        "--basic-auth",
        action="append",
        metavar="USER:PASSWORD",
        help="credentials the vendor's URL carries; repeat for rotation",
    )
    parser.add_argument(
        "--keep-duplicates", action="store_true", help="also write redelivered events"
    )
    parser.set_defaults(handler=run_listen)


def _from_env(vendor: str, name: str) -> list[str] | None:
    value = os.environ.get(f"CHATAPI_{vendor.upper()}_WEBHOOK_{name}")
    return [part for part in value.split(",") if part] if value else None


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        user, sep, password = value.partition(":")
        if not sep or not user or not password:
            raise ConfigurationError("--basic-auth takes USER:PASSWORD")
        pairs.append((user, password))
    return pairs


def run_listen(args: argparse.Namespace) -> int:
    """Run ``chatapi listen`` until interrupted; returns the exit status."""
    try:
        return asyncio.run(_listen(args))
    except KeyboardInterrupt:
        return 0
    except ChatAPIError as exc:
        print(f"chatapi listen: {exc}", file=sys.stderr)
        return 2


async def _listen(args: argparse.Namespace, *, ready: asyncio.Event | None = None) -> int:
    from aiohttp import web

    from .events import MemoryDedupeCache, webhook_app
    from .events._records import event_record

    vendor = vendor_spec(args.vendor).name
    secret = args.secret or _from_env(vendor, "SECRET")
    basic = args.basic_auth or _from_env(vendor, "BASIC_AUTH")
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=10_000)
    app = webhook_app(
        vendor,
        path=args.path,
        queue=queue,
        secret=secret,
        basic_auth=_pairs(basic) if basic else None,
        dedupe=MemoryDedupeCache(),
        drop_duplicates=not args.keep_duplicates,
    )
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    port = runner.addresses[0][1]
    checks = [n for n, v in (("secret", secret), ("basic auth", basic)) if v] or ["nothing"]
    print(
        f"listening for {vendor} webhooks at http://{args.host}:{port}{args.path} "
        f"(verifying: {', '.join(checks)})",
        file=sys.stderr,
        flush=True,
    )
    out: IO[str] = args.output.open("a", encoding="utf-8") if args.output else sys.stdout
    if ready is not None:
        ready.set()
    try:
        while True:
            event = await queue.get()
            out.write(jsonlib.dumps(event_record(event)) + "\n")
            out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
        await runner.cleanup()
