"""Remembering which events were seen, so a redelivered one is reported as a duplicate."""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol, runtime_checkable

__all__ = ["DedupeCache", "MemoryDedupeCache"]


@runtime_checkable
class DedupeCache(Protocol):
    """Where seen ``dedupe_key`` values are kept (memory by default; Redis, a database...)."""

    def seen(self, key: str) -> bool:
        """Record ``key``; return whether it had been recorded before."""


class MemoryDedupeCache:
    """The last ``maxsize`` keys, in memory (oldest forgotten first).

    LiveChat retries a webhook up to 10 times within 6 hours: size the cache for the events
    of that long.

    Args:
        maxsize: Most keys remembered.
    """

    def __init__(self, maxsize: int = 100_000) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize must be positive, got {maxsize}")
        self.maxsize = maxsize
        self._keys: OrderedDict[str, None] = OrderedDict()

    def seen(self, key: str) -> bool:
        """Record ``key``; return whether it had been recorded before."""
        if key in self._keys:
            self._keys.move_to_end(key)
            return True
        self._keys[key] = None
        if len(self._keys) > self.maxsize:
            self._keys.popitem(last=False)
        return False

    def __len__(self) -> int:
        return len(self._keys)
