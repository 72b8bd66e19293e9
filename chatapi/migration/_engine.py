"""The migration run: plan every record, write what moves once, archive everything read."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from .._core import jsonlib
from .._core.converters import to_dict
from ..errors import (
    APIConnectionError,
    ChatAPIError,
    ResponseFormatError,
    ServerError,
    UnsupportedOperationError,
)
from . import _mapping as m
from ._ledger import Ledger
from ._report import KindReport, MigrationReport

if TYPE_CHECKING:
    from .._base_client import BaseClient

__all__ = ["KINDS", "MigrationRefused", "migrate"]

logger = logging.getLogger("chatapi.migrate")

#: Every kind, in dependency order: groups before agents (agents join groups) before tags,
#: canned responses, visitors, and the conversations that refer to them.
KINDS = ("groups", "agents", "tags", "canned_responses", "visitors", "offline_messages", "chats")
#: The kinds whose records reference groups.
_USES_GROUPS = {"agents", "tags", "canned_responses", "offline_messages", "chats"}
#: Small kinds: before writing one, the target is searched by natural key (a record already
#: there is linked, not created again).
_LOOKED_UP = {"groups", "agents", "tags", "canned_responses", "visitors"}

Mapper = Callable[[Any, Mapping[str, str]], m.Planned]


class MigrationRefused(ValueError):
    """A kind cannot move from this source to this target at all (raised before any request)."""


@attrs.frozen
class _Route:
    """How one kind moves: the source listing, the mapper, the target's write and lookup."""

    kind: str
    listing: str
    mapper: Mapper
    write: str
    find: str


def _overrides(client: BaseClient, method: str) -> bool:
    from .._base_client import BaseClient

    own = getattr(type(client), method, None)
    return own is not None and own is not getattr(BaseClient, method, None)


def _lists(client: BaseClient, listing: str) -> bool:
    if listing in type(client).capabilities:
        return True
    return listing in type(client).endpoints and callable(getattr(client, listing, None))


def _routes(source: BaseClient, target: BaseClient, kinds: Sequence[str]) -> list[_Route]:
    """The route of every kind, or :class:`MigrationRefused` naming each impossible one."""
    options: dict[str, list[tuple[str, Mapper, str, str]]] = {
        "groups": [("groups", lambda r, g: m.group(r), "create_group", "find_group")],
        "agents": [("agents", m.agent, "create_agent", "find_agent")],
        "tags": [("tags", m.tag, "create_tag", "find_tag")],
        "canned_responses": [
            (
                "canned_responses",
                m.canned_response,
                "create_canned_response",
                "find_canned_response",
            )
        ],
        "visitors": [("visitors", lambda r, g: m.visitor(r), "create_visitor", "find_visitor")],
        "offline_messages": [
            ("offline_messages", m.offline_as_ticket, "create_ticket", "find_ticket"),
            ("offline_messages", m.offline_as_case, "create_case", "find_case"),
        ],
        "chats": [
            ("chats", m.chat_as_case, "create_case", "find_case"),
            ("chats", m.chat_as_ticket, "create_ticket", "find_ticket"),
        ],
    }
    routes: list[_Route] = []
    refused: list[str] = []
    for kind in kinds:
        choices = options[kind]
        listing = type(source).migration_listings.get(kind, choices[0][0])
        if not _lists(source, listing):
            refused.append(f"{kind}: {source.vendor} has no {listing} listing to read")
            continue
        for _, mapper, write, find in choices:
            if _overrides(target, write):
                routes.append(_Route(kind, listing, mapper, write, find))
                break
        else:
            writes = " or ".join(choice[2] for choice in choices)
            refused.append(f"{kind}: {target.vendor} cannot hold them (no {writes})")
    if refused:
        raise MigrationRefused("cannot migrate " + "; ".join(refused))
    return routes


_AMBIGUOUS = (ServerError, ResponseFormatError)


def _ambiguous(error: ChatAPIError) -> bool:
    """Whether a failed write may have been applied (sent, and no clear refusal came back)."""
    if isinstance(error, APIConnectionError):
        return error.sent
    return isinstance(error, _AMBIGUOUS)


class _Run:
    def __init__(
        self,
        source: BaseClient,
        target: BaseClient,
        ledger: Ledger,
        *,
        dry_run: bool,
        archive: Path | None,
        filters: Mapping[str, Mapping[str, Any]],
        progress: Callable[[KindReport], None] | None,
    ) -> None:
        self.source = source
        self.target = target
        self.ledger = ledger
        self.dry_run = dry_run
        self.archive = archive
        self.filters = filters
        self.progress = progress
        self.gate = asyncio.Semaphore(target.max_concurrency)
        self.groups: dict[str, str] = {}

    async def kind(self, route: _Route, report: KindReport) -> None:
        listing = getattr(self.source, route.listing)(**self.filters.get(route.kind, {}))
        sink: IO[str] | None = None
        if self.archive is not None:
            sink = (self.archive / f"{route.kind}.jsonl").open("w", encoding="utf-8")
        try:
            async for page in listing.pages():
                if sink is not None:
                    for record in page.items:
                        sink.write(jsonlib.dumps(_archived(record)) + "\n")
                ids = [str(record.id) for record in page.items]
                mapped, pending = await self.ledger.among(route.kind, ids)
                await asyncio.gather(
                    *(self.record(route, record, mapped, pending, report) for record in page.items)
                )
                if self.progress is not None:
                    self.progress(report)
        finally:
            if sink is not None:
                sink.close()
        if route.kind == "groups":
            self.groups = {s: t for s, (t, _) in (await self.ledger.mapped("groups")).items()}

    async def record(
        self,
        route: _Route,
        record: Any,
        mapped: Mapping[str, tuple[str, str]],
        pending: set[str],
        report: KindReport,
    ) -> None:
        report.source += 1
        source_id = str(record.id)
        if source_id in mapped:
            report.already += 1
            if route.kind == "groups":
                self.groups[source_id] = mapped[source_id][0]
            return
        if route.kind == "chats" and not record.messages and _lists(self.source, "chats"):
            # A listing may carry chats without their transcripts (a summary): read the whole
            # chat before writing it, or the transcript would be lost.
            record = await self.full_chat(record)
        planned = route.mapper(record, self.groups)
        if planned.new is None:
            report.archived += 1
            report.archived_reasons[planned.reason or "cannot move"] += 1
            return
        async with self.gate:
            try:
                outcome = await self.write(route, source_id, planned, source_id in pending)
            except ChatAPIError as error:
                report.failed += 1
                report.errors.append(f"{source_id}: {type(error).__name__}: {error}")
                logger.warning("%s %s not migrated: %r", route.kind, source_id, error)
                return
        if outcome == "already":
            report.already += 1
        elif outcome == "updated":
            report.updated += 1
        elif planned.losses:
            report.degraded += 1
            for loss in planned.losses:
                report.degraded_reasons[loss] += 1
        else:
            report.created += 1

    async def full_chat(self, chat: Any) -> Any:
        try:
            return await self.source.get_chat(chat.id)
        except UnsupportedOperationError:
            return chat

    async def find(self, route: _Route, planned: m.Planned) -> Any:
        if not _overrides(self.target, route.find):
            return None
        finder: Callable[[Any], Awaitable[Any]] = getattr(self.target, route.find)
        return await finder(planned.new)

    async def write(
        self, route: _Route, source_id: str, planned: m.Planned, was_pending: bool
    ) -> str:
        """Write one record once; returns ``"already"``, ``"updated"`` or ``"written"``."""
        if was_pending or route.kind in _LOOKED_UP:
            # A write of an earlier run may have been applied without its answer; and a small
            # kind's record may exist on the target already: look before writing.
            found = await self.find(route, planned)
            if found is not None:
                outcome = "updated" if self._stale(route, found, planned) else "already"
                if not self.dry_run:
                    if outcome == "updated":
                        await self.target.update_agent(str(found.id), planned.new)
                    await self.ledger.finish(route.kind, source_id, str(found.id), outcome)
                self._note_group(route, source_id, str(found.id))
                return outcome
        if self.dry_run:
            return "written"
        create: Callable[[Any], Awaitable[Any]] = getattr(self.target, route.write)
        await self.ledger.begin(route.kind, source_id)
        try:
            created = await create(planned.new)
        except ChatAPIError as error:
            if not _ambiguous(error):
                await self.ledger.abandon(route.kind, source_id)
                raise
            found = await self.find(route, planned)
            if found is None:
                if not _overrides(self.target, route.find):
                    raise  # no way to tell: stays pending, never repeated blindly
                # Looked up and not there: the write provably was not applied. Once more.
                created = await create(planned.new)
            else:
                created = found
        await self.ledger.finish(route.kind, source_id, str(created.id), "created")
        self._note_group(route, source_id, str(created.id))
        return "written"

    def _stale(self, route: _Route, found: Any, planned: m.Planned) -> bool:
        """Whether a record already on the target needs updating to the source's fields: an
        agent whose name differs, where the target can update agents (nothing else is
        updated: logins, roles and memberships on the target are left as they are)."""
        if route.kind != "agents" or not _overrides(self.target, "update_agent"):
            return False
        return (getattr(found, "name", None) or "").strip() != (planned.new.name or "").strip()

    def _note_group(self, route: _Route, source_id: str, target_id: str) -> None:
        if route.kind == "groups":
            self.groups[source_id] = target_id


def _archived(record: Any) -> Any:
    try:
        return to_dict(record)
    except (TypeError, ValueError):
        return {"id": str(getattr(record, "id", "")), "raw": getattr(record, "raw", None)}


async def migrate(
    source: BaseClient,
    target: BaseClient,
    *,
    kinds: Iterable[str] = KINDS,
    state: str | Path,
    archive: str | Path | None = None,
    dry_run: bool = False,
    filters: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Callable[[KindReport], None] | None = None,
) -> MigrationReport:
    """Move records from ``source`` to ``target`` once, resumably, with a report that proves it.

    Kinds run in dependency order (groups, agents, tags, canned responses, visitors, offline
    messages, chats). Each source record is planned: already migrated (in the id map), linked
    (the target has it by natural key), created, degraded (moves with a stated loss), or
    archived only (the target cannot hold it). A kind the target cannot hold at all is refused
    before any request.

    Exactly once: each write is recorded as pending in the SQLite ledger before it is sent and
    mapped when answered. A write whose answer is lost is looked up on the target by natural
    key before it is repeated, in this run or the next one after a kill.

    Args:
        source: Any client.
        target: Any client whose vendor has the writes (the same vendor as ``source`` works).
        kinds: What to move (see :data:`KINDS`).
        state: The ledger file (SQLite): the id map and the writes in flight. Pass the same
            file to resume.
        archive: A folder for JSON Lines of everything read (``<kind>.jsonl``, raw included).
        dry_run: Read, plan and report, but send no write.
        filters: Listing filters per kind (``{"chats": {"date_from": "2024-01-01"}}``).
        progress: Called with a kind's report after each source page.

    Returns:
        The report (also saved next to ``state`` as ``<state>.report.json``).

    Raises:
        MigrationRefused: A kind cannot move (before any request).
        ValueError: An unknown kind, or a ledger of another migration.
    """
    chosen = list(kinds)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(KINDS)}")
    ordered = [k for k in KINDS if k in chosen]
    routes = _routes(source, target, ordered)
    folder = Path(archive) if archive is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(state)
    report = MigrationReport(source=source.vendor, target=target.vendor, dry_run=dry_run)
    try:
        await ledger.open()
        await ledger.pair(source.vendor, target.vendor)
        run = _Run(
            source,
            target,
            ledger,
            dry_run=dry_run,
            archive=folder,
            filters=filters or {},
            progress=progress,
        )
        if "groups" not in ordered:
            run.groups = {s: t for s, (t, _) in (await ledger.mapped("groups")).items()}
        for route in routes:
            kind_report = report.kinds[route.kind] = KindReport(route.kind, route.write)
            await run.kind(route, kind_report)
    finally:
        await ledger.close()
    report.save(Path(f"{state}.report.json"))
    return report
