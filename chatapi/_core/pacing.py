"""Adaptive pacing: learn a vendor's rate limit from its 429s instead of hammering it.

Concurrency alone does not bound a request *rate*: with fast answers, 16 requests in flight can
mean hundreds per second. Until the first 429 the pacer does nothing. On the first 429 it
sets the allowed rate to ``cut`` x the rate actually sent over the last second, and each later
429 cuts the allowed rate by ``cut`` again (once per congestion event: answers to requests
sent before the cut do not cut again), and each success then widens
it by ``recovery`` — additive-increase/multiplicative-decrease, as TCP does. Requests then start
at least ``interval`` seconds apart, so the end of a shared Retry-After pause releases them one
by one rather than in a burst that earns another round of 429s.

Pure bookkeeping: the caller passes the clock and does the waiting.
"""

from __future__ import annotations

from collections import deque

__all__ = ["Pacer"]


class Pacer:
    """Decides when the next request may start.

    Args:
        cut: Factor applied to the measured send rate on a 429.
        recovery: Factor applied to the interval on each success (slightly below 1).
        window: Seconds over which the send rate is measured.
        max_interval: The widest spacing the pacer imposes. Slower limits are the shared
            Retry-After pause's business: without a floor, a minute of 429s would cut the
            rate again and again until the client all but stopped.
    """

    def __init__(
        self,
        *,
        cut: float = 0.8,
        recovery: float = 0.995,
        window: float = 1.0,
        max_interval: float = 1.0,
    ) -> None:
        self.interval = 0.0
        self._max_interval = max_interval
        self._cut = cut
        self._recovery = recovery
        self._window = window
        self._next = 0.0
        self._last_cut = float("-inf")
        self._starts: deque[float] = deque()

    @property
    def active(self) -> bool:
        """Whether requests are being spaced out."""
        return self.interval > 0.0

    def reserve(self, now: float) -> float:
        """Take the next start slot; return the seconds to wait before sending."""
        starts = self._starts
        starts.append(now)
        horizon = now - self._window
        while starts and starts[0] < horizon:
            starts.popleft()
        if self.interval <= 0.0:
            return 0.0
        slot = max(self._next, now)
        self._next = slot + self.interval
        return slot - now

    def on_success(self) -> None:
        """A request succeeded: widen the allowed rate a little.

        The step grows with the spacing (one ``recovery`` per 50 ms of interval), so the rate
        recovers in about the same wall time however slow it was paced: roughly 10 % a second.
        """
        if self.interval > 0.0:
            self.interval *= self._recovery ** max(1.0, self.interval / 0.05)
            if self.interval < 1e-4:  # 10,000 requests/s: as good as unpaced
                self.interval = 0.0

    def on_throttle(self, sent_at: float, now: float) -> None:
        """A request sent at ``sent_at`` was rate-limited: cut the rate (once per event)."""
        if sent_at < self._last_cut:
            return
        if self.interval > 0.0:
            current = 1.0 / self.interval
        else:
            # First throttle: start from the rate actually sent over the last window. (Later
            # windows may hold a Retry-After pause, which would understate the rate.)
            horizon = now - self._window
            recent = sum(1 for t in self._starts if t >= horizon)
            current = max(recent / self._window, 1.0 / self._window)
        self.interval = min(1.0 / (self._cut * current), self._max_interval)
        self._last_cut = now
