"""Retry decisions and Retry-After parsing: pure functions over errors and headers."""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping

import attrs

from ..errors import (
    APIConnectionError,
    APIStatusError,
    ChatAPIError,
    RateLimitError,
    ResponseFormatError,
)

__all__ = ["RetryDecision", "RetryPolicy", "decide_retry", "parse_retry_after"]


def _write_names(value: bool | Iterable[str]) -> bool | frozenset[str]:
    return value if isinstance(value, bool) else frozenset(value)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a client repeats failed calls.

    The defaults follow the most trusted API clients (Stainless SDKs, botocore): exponential
    backoff with full jitter, a slower schedule for throttling, and the vendor's Retry-After
    honoured up to a cap.

    Attributes:
        max_retries: Repeats after the first attempt.
        base_delay: First backoff for errors, doubling each attempt.
        max_delay: Ceiling of the error backoff.
        throttle_base_delay: First backoff for 429/503 without Retry-After.
        throttle_max_delay: Ceiling of the throttling backoff.
        retry_after_cap: Longest Retry-After we wait; above it the error is raised at once.
        jitter: Maps a computed delay to the one slept (full jitter by default).
        retry_writes: Writes the caller knows are safe to repeat, retried like reads: True
            for every write, or the operation names (``{"update_agent"}``). By default a
            write is repeated only when it provably was not processed: the connection was
            never made, or the vendor refused it with 429/503 and a ``Retry-After``.
    """

    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    throttle_base_delay: float = 1.0
    throttle_max_delay: float = 30.0
    retry_after_cap: float = 120.0
    jitter: Callable[[float], float] = attrs.field(
        default=lambda d: d * (0.5 + random.random() / 2), repr=False
    )
    retry_writes: bool | frozenset[str] = attrs.field(
        default=False,
        converter=_write_names,
    )

    def repeats_write(self, operation: str) -> bool:
        """Whether the caller opted in to retrying the write ``operation`` like a read."""
        if isinstance(self.retry_writes, bool):
            return self.retry_writes
        return operation in self.retry_writes

    @classmethod
    def no_wait(cls, max_retries: int = 3) -> RetryPolicy:
        """A policy that retries without sleeping (tests, local sandboxes)."""
        return cls(
            max_retries=max_retries,
            base_delay=0.0,
            max_delay=0.0,
            throttle_base_delay=0.0,
            throttle_max_delay=0.0,
            jitter=lambda d: d,
        )


@attrs.frozen
class RetryDecision:
    """Retry after ``delay`` seconds; ``pause_all`` when every request of the client must wait."""

    delay: float
    pause_all: bool = False


def decide_retry(
    error: ChatAPIError, *, attempt: int, policy: RetryPolicy, idempotent: bool
) -> RetryDecision | None:
    """Whether and when to repeat a call that failed with ``error``.

    Args:
        error: What the attempt raised.
        attempt: How many retries were already made (0 after the first attempt).
        policy: The client's policy.
        idempotent: Whether the vendor operation can be repeated safely (a read, even via POST).

    Returns:
        None to raise ``error``; else the delay before the next attempt.
    """
    if attempt >= policy.max_retries or not error.retryable:
        return None
    if isinstance(error, ResponseFormatError):
        # Undecodable bodies (truncated, malformed) are transient only for repeatable reads.
        return _backoff(policy, attempt) if idempotent else None
    if isinstance(error, APIConnectionError):
        if not idempotent and error.sent:
            return None
        return _backoff(policy, attempt)
    if isinstance(error, APIStatusError):
        # A rate-limit envelope inside a 200 throttles like a 429.
        throttled = error.status in (429, 503) or isinstance(error, RateLimitError)
        if not idempotent and not (error.status in (429, 503) and error.retry_after is not None):
            # Only a refusal that says when to come back proves the write was not processed.
            return None
        if error.retry_after is not None:
            if error.retry_after > policy.retry_after_cap:
                return None
            return RetryDecision(max(error.retry_after, 0.0), pause_all=throttled)
        if throttled:
            delay = min(policy.throttle_base_delay * 2**attempt, policy.throttle_max_delay)
            return RetryDecision(policy.jitter(delay))
        return _backoff(policy, attempt)
    return None


def _backoff(policy: RetryPolicy, attempt: int) -> RetryDecision:
    return RetryDecision(policy.jitter(min(policy.base_delay * 2**attempt, policy.max_delay)))


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date).

    Args:
        headers: Response headers with lower-case names.
        now: The current epoch time, for HTTP dates (defaults to the clock).

    Returns:
        A finite, non-negative number of seconds, or None when absent or unparseable. Never
        raises.
    """
    ms = headers.get("retry-after-ms")
    if ms is not None:
        value = _finite(ms)
        if value is not None:
            return value / 1000.0
    raw = headers.get("retry-after")
    if raw is None:
        return None
    value = _finite(raw)
    if value is not None:
        return value
    try:
        parsed = email.utils.parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(parsed.timestamp() - current, 0.0)


def _finite(text: str) -> float | None:
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return value
