"""Planning: each account's listing cut into shards (account, kind, date window)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from .._registry import vendor_spec
from ..operations import operation
from ._accounts import account_vendor, read_accounts

__all__ = ["Shard", "plan"]


@attrs.frozen
class Shard:
    """One unit of distributed work: an account's listing over one date window.

    Small, frozen and picklable; it names the account, never its credentials: the worker
    resolves ``account`` from its own accounts file.

    Attributes:
        account: The account's name in the accounts file.
        vendor: The account's vendor.
        kind: The listing (``chats``, ``offline_messages``, ...).
        date_from: First day of the window (None: the listing has no date filter).
        date_to: Last day of the window.
    """

    account: str
    vendor: str
    kind: str
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def window(self) -> str:
        """The window's name in paths and keys: ``2024-01-01_2024-01-07`` or ``all``."""
        if self.date_from is None or self.date_to is None:
            return "all"
        return f"{self.date_from.isoformat()}_{self.date_to.isoformat()}"

    @property
    def key(self) -> str:
        """A stable key: ``account/kind/window`` (task names, locks, manifest)."""
        return f"{self.account}/{self.kind}/{self.window}"

    def filters(self) -> dict[str, str]:
        """The listing filters of the window."""
        if self.date_from is None or self.date_to is None:
            return {}
        return {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}


def _dated(vendor: str, kind: str) -> bool:
    """Whether every client class of the vendor filters this listing by date."""
    classes = vendor_spec(vendor).client_classes()
    return all(
        {"date_from", "date_to"} <= cls.capabilities.get(kind, frozenset()) for cls in classes
    )


def _windows(start: dt.date, end: dt.date, size: dt.timedelta) -> Iterable[tuple[dt.date, dt.date]]:
    day = start
    step = max(size.days, 1)
    while day <= end:
        last = min(day + dt.timedelta(days=step - 1), end)
        yield day, last
        day = last + dt.timedelta(days=1)


def plan(
    accounts: Sequence[str] | Mapping[str, str],
    kind: str,
    *,
    date_from: dt.date,
    date_to: dt.date,
    window: dt.timedelta = dt.timedelta(days=7),
) -> list[Shard]:
    """Cut each account's ``kind`` listing into shards.

    Accounts whose vendor filters the listing by date get one shard per window (newest
    first, so the recent data lands first); the others one shard for the whole listing. A
    window the vendor still finds too large is split further by the export itself (the
    pagination engine's date windows).

    Args:
        accounts: Account names (their vendors read from ``$CHATAPI_ACCOUNTS_FILE``, nothing
            else of them), or a mapping of account name → vendor.
        kind: The listing (``chats``, ``offline_messages``, ``agents``, ``visitors``).
        date_from: First day.
        date_to: Last day.
        window: Days per shard.

    Raises:
        ValueError: An unknown kind, or ``date_from`` after ``date_to``.
        ConfigurationError: An account the accounts file does not hold.
    """
    name = operation(kind).name
    if date_from > date_to:
        raise ValueError(f"date_from {date_from} is after date_to {date_to}")
    if isinstance(accounts, Mapping):
        vendors = {account: vendor_spec(vendor).name for account, vendor in accounts.items()}
    else:
        table = read_accounts()
        vendors = {account: account_vendor(account, table) for account in accounts}
    shards: list[Shard] = []
    for account, vendor in vendors.items():
        if not _dated(vendor, name):
            shards.append(Shard(account, vendor, name))
            continue
        windows = list(_windows(date_from, date_to, window))
        shards.extend(Shard(account, vendor, name, a, b) for a, b in reversed(windows))
    return shards
