"""Bulk export to JSON Lines with checkpoints: survive anything, lose nothing.

:func:`export` streams a listing page by page into a ``.jsonl`` file. After each page is
written and flushed, a small checkpoint next to the output (``<output>.checkpoint.json``) is
replaced atomically; it records the listing's plan and cursor (which pages are done) and the
output's byte length at that point. ``resume=True`` truncates the output to that length and
continues from the cursor, so after a crash, a kill or Ctrl-C every record ends up in the file
exactly once and no finished page is fetched again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import os
import time
from collections.abc import Awaitable, Callable, Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._core import jsonlib
from ._core.converters import to_dict
from .errors import ConfigurationError, UnsupportedOperationError
from .operations import OPERATIONS
from .pagination import Cursor

if TYPE_CHECKING:
    from ._base_client import BaseClient
    from .pagination import Pager

__all__ = [
    "KINDS",
    "CheckpointMismatchError",
    "ExportReport",
    "Progress",
    "checkpoint_path",
    "export",
]

#: What can be exported: every normalized listing of :data:`chatapi.operations.OPERATIONS`
#: (a client exports those it supports).
KINDS: tuple[str, ...] = tuple(op.name for op in OPERATIONS)
_CHECKPOINT_FORMAT = 1


class CheckpointMismatchError(ConfigurationError):
    """A resume was asked with another vendor, kind, filters or format than the checkpoint's."""


@attrs.frozen(kw_only=True)
class Progress:
    """Where a running export stands.

    Attributes:
        pages_done: Pages written (including those of earlier, resumed runs).
        pages_total: Pages the listing has, when the vendor's paging tells (else None).
        records: Records written so far (including earlier runs).
        rate_limited_seconds: Seconds this run spent held by the vendor's rate limits.
        eta: Estimated seconds left, once it can be estimated.
    """

    pages_done: int
    pages_total: int | None
    records: int
    rate_limited_seconds: float
    eta: float | None


@attrs.frozen(kw_only=True)
class ExportReport:
    """What an export did.

    Attributes:
        vendor: The client's vendor.
        kind: The listing exported (one of :data:`KINDS`: ``chats``, ``offline_messages``, ...).
        path: The output file.
        records_written: Records in the output file (all runs).
        pages: Pages written (all runs).
        expected_total: The vendor's announced total, when it gave one.
        duplicates_dropped: Records dropped because their id was already written (this run).
        retries: Requests repeated by this run.
        rate_limited: 429 answers this run received.
        rate_limited_seconds: Seconds this run spent waiting on rate limits.
        duration: Seconds this run took.
        resumed: Whether this run continued an earlier one.
        complete: Whether every page of the listing is in the file.
    """

    vendor: str
    kind: str
    path: Path
    records_written: int
    pages: int
    expected_total: int | None
    duplicates_dropped: int
    retries: int
    rate_limited: int
    rate_limited_seconds: float
    duration: float
    resumed: bool
    complete: bool


ProgressCallback = Callable[[Progress], "Awaitable[None] | None"]


def checkpoint_path(output: str | os.PathLike[str]) -> Path:
    """The checkpoint file that belongs to ``output``."""
    out = Path(output)
    return out.with_name(out.name + ".checkpoint.json")


def _canonical(value: Any) -> Any:
    """Filters as JSON data, so two runs' filters compare equal when they mean the same."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items()) if v is not None}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_canonical(v) for v in value]
    return value


def _write_atomically(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(jsonlib.dumps(data))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _read_checkpoint(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    data = jsonlib.loads(path.read_bytes())
    if not isinstance(data, dict):
        raise CheckpointMismatchError(f"{path} is not a chatapi checkpoint")
    return data


class _Sink:
    """The output file and its checkpoint (blocking I/O: called in a worker thread)."""

    def __init__(
        self,
        out: Path,
        checkpoint: Path,
        identity: Mapping[str, Any],
        offset: int,
        durable: bool,
    ) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if offset:
            self._fh = open(out, "r+b")  # noqa: SIM115 - closed by close()
        else:
            self._fh = open(out, "w+b")  # noqa: SIM115 - closed by close()
        # Bytes past the checkpoint belong to a page whose checkpoint was never written.
        self._fh.truncate(offset)
        self._fh.seek(offset)
        self._checkpoint = checkpoint
        self._identity = dict(identity)
        self._durable = durable
        self.offset = offset

    def write_page(self, chunk: bytes) -> None:
        self._fh.write(chunk)
        self._fh.flush()
        if self._durable:
            os.fsync(self._fh.fileno())
        self.offset = self._fh.tell()

    def save(
        self,
        cursor: Cursor | None,
        pages: int,
        records: int,
        expected: int | None,
        complete: bool,
    ) -> None:
        _write_atomically(
            self._checkpoint,
            {
                **self._identity,
                "cursor": cursor.to_json() if cursor is not None else None,
                "offset": self.offset,
                "pages": pages,
                "records": records,
                "expected": expected,
                "complete": complete,
                "updated": dt.datetime.now(dt.timezone.utc).isoformat(),
            },
        )

    def close(self) -> None:
        self._fh.close()


def _ids_in(path: Path, length: int) -> tuple[set[Hashable], int]:
    """Ids (and their count) of the records in the first ``length`` bytes of ``path``."""
    if length and (not path.exists() or path.stat().st_size < length):
        raise CheckpointMismatchError(
            f"{path} is shorter than its checkpoint says ({length} bytes): it was changed "
            "after the export stopped; export afresh without resume"
        )
    ids: set[Hashable] = set()
    count = 0
    with open(path, "rb") as fh:
        remaining = length
        for line in fh:
            if remaining <= 0:
                break
            remaining -= len(line)
            if line.strip():
                ids.add(jsonlib.loads(line)["id"])
                count += 1
    return ids, count


async def export(
    client: BaseClient,
    kind: str,
    path: str | os.PathLike[str],
    *,
    filters: Mapping[str, Any] | None = None,
    resume: bool = False,
    progress: ProgressCallback | None = None,
    include_raw: bool = False,
    durable: bool = True,
) -> ExportReport:
    """Export every record of a listing to a JSON Lines file, resumably.

    Args:
        client: Any chatapi client.
        kind: A normalized listing the client supports, one of :data:`KINDS` (``"chats"``,
            ``"offline_messages"``, ...; the command-line spelling ``offline-messages`` too).
        path: The ``.jsonl`` output; its checkpoint goes next to it.
        filters: The listing's filters, as the client's method takes them.
        resume: Continue from the checkpoint if there is one (else start afresh).
        progress: Called after each page with a :class:`Progress` (may be async).
        include_raw: Keep each record's vendor payload under ``raw``.
        durable: fsync the output before each checkpoint (survives power loss, not
            only crashes).

    Returns:
        The :class:`ExportReport`.

    Raises:
        CheckpointMismatchError: ``resume`` with other vendor, kind, filters or ``include_raw``
            than the checkpoint was made with.
        ValueError: Unknown ``kind``.
        UnsupportedOperationError: The client has no such listing (nothing is written).
        TypeError: A filter the listing does not accept (nothing is written).
        ChatAPIError: Whatever the listing raised; the checkpoint then holds every page
            written before it, and ``resume=True`` continues from there.
    """
    kind = kind.replace("-", "_")
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}; choose one of {', '.join(KINDS)}")
    from ._capabilities import supports

    if not supports(type(client), kind):
        raise UnsupportedOperationError(
            f"{client.vendor} has no {kind} listing to export", vendor=client.vendor
        )
    filters = dict(filters or {})
    out = Path(path)
    ckpt_file = checkpoint_path(out)
    identity = {
        "format": _CHECKPOINT_FORMAT,
        "vendor": client.vendor,
        "kind": kind,
        "filters": _canonical(filters),
        "include_raw": include_raw,
    }
    pager: Pager[Any] = getattr(client, kind)(**filters)

    state: dict[str, Any] | None = None
    if resume:
        state = await asyncio.to_thread(_read_checkpoint, ckpt_file)
        if state is not None:
            _check_identity(state, identity, ckpt_file)
    offset = 0
    records = 0
    pages_done = 0
    seen: set[Hashable] = set()
    if state is not None:
        offset = int(state["offset"])
        pages_done = int(state["pages"])
        seen, records = await asyncio.to_thread(_ids_in, out, offset)
        if state.get("cursor") is not None:
            pager.start_at(Cursor.from_json(state["cursor"]), seen=seen)

    stats = client.stats
    retries0, limited0, paused0 = stats.retries, stats.rate_limited, stats.paused_seconds
    started = time.monotonic()
    expected = state.get("expected") if state else None
    complete = bool(state and state.get("complete"))
    pages_this_run = 0
    # File work runs in a thread: an fsync must not stall the requests in flight.
    sink = await asyncio.to_thread(_Sink, out, ckpt_file, identity, offset, durable)
    try:
        if not complete:
            if state is None:
                # A fresh run: no stale checkpoint may survive it.
                await asyncio.to_thread(sink.save, None, pages_done, records, expected, False)
            cursor: Cursor | None = None
            async for page in pager.pages():
                chunk = "".join(
                    jsonlib.dumps(to_dict(record, include_raw=include_raw)) + "\n"
                    for record in page.items
                ).encode()
                records += len(page.items)
                pages_done += 1
                pages_this_run += 1
                cursor = page.cursor
                if pager.total is not None:
                    expected = pager.total
                await asyncio.to_thread(sink.write_page, chunk)
                await asyncio.to_thread(sink.save, cursor, pages_done, records, expected, False)
                if progress is not None:
                    report = _progress(
                        cursor,
                        pages_done,
                        pages_this_run,
                        records,
                        stats.paused_seconds - paused0,
                        time.monotonic() - started,
                    )
                    await _notify(progress, report)
            complete = True
            await asyncio.to_thread(sink.save, cursor, pages_done, records, expected, True)
    finally:
        await asyncio.to_thread(sink.close)

    return ExportReport(
        vendor=client.vendor,
        kind=kind,
        path=out,
        records_written=records,
        pages=pages_done,
        expected_total=expected,
        duplicates_dropped=pager.report.duplicates_dropped,
        retries=stats.retries - retries0,
        rate_limited=stats.rate_limited - limited0,
        rate_limited_seconds=stats.paused_seconds - paused0,
        duration=time.monotonic() - started,
        resumed=state is not None,
        complete=complete,
    )


def _check_identity(state: Mapping[str, Any], identity: Mapping[str, Any], file: Path) -> None:
    for field in ("format", "vendor", "kind", "filters", "include_raw"):
        if state.get(field) != identity[field]:
            raise CheckpointMismatchError(
                f"cannot resume: the checkpoint {file} was made with {field}="
                f"{state.get(field)!r}, this export has {field}={identity[field]!r}. "
                "Resume with the same settings, or export afresh without resume."
            )


def _progress(
    cursor: Cursor | None,
    pages_done: int,
    pages_this_run: int,
    records: int,
    limited: float,
    elapsed: float,
) -> Progress:
    total = None
    if cursor is not None and all(s.pages is not None for s in cursor.segments):
        total = sum(s.pages or 0 for s in cursor.segments)
    eta = None
    if total is not None and pages_this_run:
        eta = max(total - pages_done, 0) * elapsed / pages_this_run
    return Progress(
        pages_done=pages_done,
        pages_total=total,
        records=records,
        rate_limited_seconds=limited,
        eta=eta,
    )


async def _notify(callback: ProgressCallback, progress: Progress) -> None:
    result = callback(progress)
    if inspect.isawaitable(result):
        await result
