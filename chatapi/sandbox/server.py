"""Starting sandboxes: in this event loop (:func:`serve`) or in a child process
(:func:`run_in_subprocess`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

import attrs
from aiohttp import web

from ._app import Stats, VendorApp
from ._live import Delivery, Live, LiveRunner
from .data import DataConfig, Dataset
from .faults import Faults

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = [
    "VENDORS",
    "Sandbox",
    "SubprocessSandbox",
    "default_vendor",
    "generations",
    "make_app",
    "run_in_subprocess",
    "sandbox_vendors",
    "serve",
]

#: The only interface a sandbox listens on.
HOST = "127.0.0.1"


class _SandboxTable(Mapping[str, str]):
    """Vendor name -> ``"module:Class"`` of its fake server, for every installed vendor whose
    spec ships one (read from the specs on each use; a vendor that cannot be loaded is left
    out)."""

    def _targets(self) -> dict[str, str]:
        from .._registry import vendor_names, vendor_spec
        from ..errors import ConfigurationError

        targets: dict[str, str] = {}
        for name in vendor_names():
            try:
                sandbox = vendor_spec(name).sandbox
            except ConfigurationError:
                continue
            if sandbox is not None:
                targets[name] = sandbox
        return targets

    def __getitem__(self, vendor: str) -> str:
        return self._targets()[vendor]

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets())

    def __len__(self) -> int:
        return len(self._targets())

    def __repr__(self) -> str:
        return f"VENDORS({self._targets()!r})"


#: Vendor name -> "module:Class" of its fake server, from the installed vendors' specs.
VENDORS: Mapping[str, str] = _SandboxTable()


def sandbox_vendors() -> list[str]:
    """The installed vendors that ship a sandbox, in name order."""
    return sorted(VENDORS)


def default_vendor() -> str:
    """The vendor served when none is named: the first built-in vendor that ships a sandbox.

    Raises:
        ValueError: No built-in vendor ships one.
    """
    from .._registry import vendor_spec
    from ..vendors import BUILTIN

    for name in BUILTIN:
        if vendor_spec(name).sandbox is not None:
            return name
    raise ValueError("no built-in vendor ships a sandbox")


def _app_class(vendor: str) -> type[VendorApp]:
    from .._registry import vendor_spec
    from ..errors import ConfigurationError

    available = ", ".join(sandbox_vendors())
    try:
        spec = vendor_spec(vendor)
    except ConfigurationError as exc:
        raise ValueError(f"no sandbox for vendor {vendor!r}; available: {available}") from exc
    cls = spec.load_sandbox()
    if cls is None:
        raise ValueError(f"{vendor} ships no sandbox; available: {available}")
    if not (isinstance(cls, type) and issubclass(cls, VendorApp)):
        raise ValueError(f"the {vendor} sandbox {spec.sandbox} is not a VendorApp subclass")
    return cls


def generations(vendor: str) -> tuple[str, ...]:
    """The API generations the ``vendor`` sandbox can serve (the first is the default)."""
    return _app_class(vendor).generations


def make_app(
    vendor: str,
    *,
    chats: int = 100,
    seed: int = 1,
    faults: Faults | None = None,
    generation: str | None = None,
    messages_per_chat: int = 10,
    agents: int = 8,
    visitors: int | None = None,
    offline_messages: int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    missed_ratio: float = 0.07,
    tickets: int = 60,
    report_capped_totals: bool = False,
    live: Live | None = None,
) -> VendorApp:
    """Build (without serving) the fake ``vendor`` over a freshly generated dataset.

    Arguments are those of :func:`serve`. With ``live``, the arrivals and webhook deliveries
    run while the returned app's ``app`` (an aiohttp application) is served.
    """
    faults = faults or Faults()
    config = DataConfig(
        seed=seed,
        chats=chats,
        messages_per_chat=messages_per_chat,
        agents=agents,
        visitors=visitors,
        offline_messages=offline_messages,
        start=start,
        end=end,
        missed_ratio=missed_ratio,
        # Live mode's arrivals come from the same held-back chats as page drift's.
        extra_chats=faults.page_drift + (live.chats if live is not None else 0),
        tickets=tickets,
        report_capped_totals=report_capped_totals,
    )
    fake = _app_class(vendor)(Dataset(config), faults, generation)
    if live is not None:
        fake.enable_live(live)
    return fake


@attrs.define
class Sandbox:
    """A running fake vendor.

    Attributes:
        vendor: The vendor name (``livechat``, ``revechat``, ``acquire``).
        generation: The API generation served.
        base_url: Root URL to give the client (``http://127.0.0.1:<port>``).
        credentials: Keyword arguments for the vendor's chatapi client (``base_url``
            included), e.g. ``chatapi.connect("livechat", **sb.credentials)``.
        app: The vendor fake: renders expected payloads (``app.chat_payload(i)``, ...).
    """

    vendor: str
    generation: str
    base_url: str
    credentials: dict[str, Any]
    app: VendorApp = attrs.field(repr=False)

    @property
    def stats(self) -> Stats:
        """Requests served so far, by status and by injected fault."""
        return self.app.stats

    @property
    def dataset(self) -> Dataset:
        """The generated data (compare client results against it)."""
        return self.app.dataset

    @property
    def faults(self) -> Faults:
        """The fault configuration in force."""
        return self.app.faults

    @property
    def port(self) -> int:
        """The TCP port listened on."""
        return int(self.base_url.rsplit(":", 1)[1])

    @property
    def live(self) -> LiveRunner | None:
        """Live mode (arrivals, deliveries, ``wait_arrivals``/``wait_idle``), or None."""
        return self.app.live_runner

    @property
    def deliveries(self) -> list[Delivery]:
        """Webhook deliveries made in live mode, each with its attempts."""
        return self.app.deliveries

    def client(self, **options: Any) -> BaseClient:
        """A chatapi client of this vendor configured for the sandbox.

        Args:
            **options: Client options (``retry_policy``, ``max_concurrency``, ...); they
                override the sandbox's credentials when they clash.
        """
        from .._registry import connect

        return connect(self.vendor, **{**self.credentials, **options})


@contextlib.asynccontextmanager
async def serve(
    vendor: str,
    *,
    chats: int = 100,
    seed: int = 1,
    faults: Faults | None = None,
    generation: str | None = None,
    port: int = 0,
    messages_per_chat: int = 10,
    agents: int = 8,
    visitors: int | None = None,
    offline_messages: int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    missed_ratio: float = 0.07,
    tickets: int = 60,
    report_capped_totals: bool = False,
    live: Live | None = None,
) -> AsyncIterator[Sandbox]:
    """Serve a fake ``vendor`` on 127.0.0.1 for the duration of the ``async with`` block.

    Args:
        vendor: ``livechat``, ``revechat`` or ``acquire``.
        chats: Number of chats to generate.
        seed: Seed of the data (and of fault decisions unless ``faults.seed`` is set).
        faults: What to do wrong (default: nothing).
        generation: API generation: ``v2`` (LiveChat), ``legacy``/``current`` (REVE Chat),
            ``v1``/``v2`` (Acquire). Defaults to the first.
        port: TCP port; 0 picks a free one.
        messages_per_chat: Average messages per answered chat.
        agents: Number of agents.
        visitors: Number of visitors (default about one per three chats).
        offline_messages: Number of offline messages (default one per ten chats, min 5).
        start: Earliest chat time (aware datetime; default ``end`` - 30 days).
        end: Latest chat time (aware datetime; default the current hour).
        missed_ratio: Share of unanswered chats.
        tickets: Number of tickets (LiveChat serves them).
        report_capped_totals: Listings above the 25,000-record cap report ``total``
            25,000 and ``pages`` 1,000 (see :class:`~chatapi.sandbox.data.DataConfig`).
        live: Live mode: ``live.chats`` more chats arrive, one every ``live.interval``
            seconds, and the vendor's webhooks are POSTed for them (LiveChat: to the
            webhooks registered with ``POST /webhooks``; Acquire: to ``live.webhook_url``).
            See :class:`~chatapi.sandbox.Live`; deliveries are recorded in
            :attr:`Sandbox.deliveries`.

    Yields:
        The running :class:`Sandbox`.

    Example:
        >>> async with chatapi.sandbox.serve("livechat", chats=500, seed=1) as sb:
        ...     async with sb.client() as client:
        ...         chats = await client.chats().collect()
    """
    fake = make_app(
        vendor,
        chats=chats,
        seed=seed,
        faults=faults,
        generation=generation,
        messages_per_chat=messages_per_chat,
        agents=agents,
        visitors=visitors,
        offline_messages=offline_messages,
        start=start,
        end=end,
        missed_ratio=missed_ratio,
        tickets=tickets,
        report_capped_totals=report_capped_totals,
        live=live,
    )
    runner = web.AppRunner(fake.app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, HOST, port)
        await site.start()
        bound = runner.addresses[0][1]
        base_url = f"http://{HOST}:{bound}"
        yield Sandbox(
            vendor=vendor,
            generation=fake.generation,
            base_url=base_url,
            credentials=fake.credentials(base_url),
            app=fake,
        )
    finally:
        await runner.cleanup()


@attrs.define
class SubprocessSandbox:
    """A sandbox served by a child process (see :func:`run_in_subprocess`).

    Attributes:
        vendor: The vendor name.
        base_url: Root URL of the child's server.
        credentials: Keyword arguments for the vendor's chatapi client.
        process: The child process.
    """

    vendor: str
    base_url: str
    credentials: dict[str, Any]
    process: subprocess.Popen[str] = attrs.field(repr=False)

    def client(self, **options: Any) -> BaseClient:
        """A chatapi client configured for the child's sandbox."""
        from .._registry import connect

        return connect(self.vendor, **{**self.credentials, **options})


def cli_arguments(vendor: str, **options: Any) -> list[str]:
    """``chatapi sandbox`` arguments equivalent to :func:`run_in_subprocess` keywords."""
    args = [vendor]
    for name, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        if value is True:
            args.append(flag)
        else:
            args.extend((flag, str(value)))
    return args


def live_options(live: Live) -> dict[str, Any]:
    """``chatapi sandbox`` options (keyword form, see :func:`cli_arguments`) for ``live``."""
    return {
        "live": True,
        "live_interval": live.interval,
        "live_chats": live.chats,
        "retry_delay_scale": live.retry_delay_scale,
        "delivery_timeout": live.delivery_timeout,
        "webhook_url": live.webhook_url,
        "webhook_key": live.webhook_key,
    }


@contextlib.contextmanager
def run_in_subprocess(
    vendor: str,
    *,
    timeout: float = 60.0,
    python: str | None = None,
    live: Live | None = None,
    **options: Any,
) -> Iterator[SubprocessSandbox]:
    """Run ``python -m chatapi.sandbox <vendor> --port 0 ...`` and wait until it serves.

    The child prints its base URL on the first line and its credentials (JSON) on the
    second; it is terminated when the block exits. Works from sync and async code alike
    (it only blocks while the child starts).

    Args:
        vendor: ``livechat``, ``revechat`` or ``acquire``.
        timeout: Seconds to wait for the child to start serving.
        python: Interpreter to run (default: this one).
        **options: CLI options by their long names with ``_`` for ``-``: ``chats=30000``,
            ``latency="50ms"``, ``rate_limit=20``, ``fault_rate=0.05``, ``generation=...``,
            ``seed=1``, ``messages=10``, ...
        live: Live mode in the child (passed as ``--live`` and its options; the child's
            deliveries are not visible from here).

    Yields:
        The :class:`SubprocessSandbox`.
    """
    options.setdefault("port", 0)
    if live is not None:
        options.update(live_options(live))
    command = [python or sys.executable, "-m", "chatapi.sandbox", *cli_arguments(vendor, **options)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # stderr goes to a file, not a pipe: a long run's log lines would fill an unread pipe
    # and stall the server.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, env=env
        )
        try:
            lines = _read_lines(process, 2, timeout, errors)
            credentials = json.loads(lines[1].partition(":")[2])
            yield SubprocessSandbox(
                vendor=vendor, base_url=lines[0].strip(), credentials=credentials, process=process
            )
        finally:
            _stop(process)


def _read_lines(
    process: subprocess.Popen[str], count: int, timeout: float, errors: IO[str]
) -> Sequence[str]:
    import threading

    stdout = process.stdout
    assert stdout is not None
    lines: list[str] = []

    def read() -> None:
        # A thread, not select(): text-mode readline buffers ahead of the file descriptor.
        while len(lines) < count:
            line = stdout.readline()
            if not line:
                return
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if len(lines) < count:
        if process.poll() is None:
            raise TimeoutError(f"sandbox child did not start within {timeout} s")
        errors.seek(0)
        stderr = errors.read()
        raise RuntimeError(f"sandbox child exited early: {stderr.strip()[-2000:]}")
    return lines


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
