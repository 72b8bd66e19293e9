"""Fault injection configuration and the deterministic decisions behind it."""

from __future__ import annotations

import hashlib
import math
import random
import time

import attrs

__all__ = ["FAULT_KINDS", "FaultDecision", "FaultPlan", "Faults", "RateLimiter"]

#: The faults a request can be answered with, in the order probabilities are stacked.
FAULT_KINDS = ("500", "502", "503", "reset", "truncate", "malformed", "slow_body")


def _probability(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be a probability in [0, 1], got {value!r}")


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class Faults:
    """What a sandbox does wrong, on purpose. Every field is optional; the default is a
    well-behaved server.

    Probabilities are per request and stack (their sum must not exceed 1). Which request
    gets which fault is decided from ``seed``, the request (method, path, query, body) and
    how many times that same request was seen before, so a run is reproducible regardless
    of the order concurrent requests arrive in.

    Attributes:
        latency: Seconds added before every answer.
        jitter: Up to this many more seconds, uniformly drawn per request.
        rate_limit: Requests per second allowed (token bucket); above it the vendor's 429.
        burst: Bucket size (default: ``max(1, rate_limit)``).
        retry_after: Seconds announced by a 429 (default: the time until a token is free,
            rounded up to whole seconds as HTTP requires). A fractional value is sent as is,
            which keeps tests fast (chatapi parses it; strict clients may not).
        error_500: Probability of an HTTP 500 with the vendor's error body.
        error_502: Probability of an HTTP 502 from a "proxy" (HTML body).
        error_503: Probability of an HTTP 503 from a "proxy" (HTML body).
        reset: Probability the connection is reset (TCP RST) without an answer.
        truncate: Probability the body stops halfway though Content-Length promised more,
            and the connection closes.
        malformed: Probability a 200 carries a body that is not valid JSON.
        slow_body: Probability the body trickles out in small chunks over
            ``slow_body_seconds``.
        slow_body_seconds: Duration of a trickled body.
        page_drift: Chats (beyond the dataset's initial ones) that arrive while listings
            run: one arrives every ``drift_every`` listing requests, as the newest chat,
            shifting every page boundary of a newest-first listing by one.
        drift_every: Listing requests between two arrivals.
        max_faults_per_request: Most faults served to the same request (same method, path,
            query and body); later repeats are answered normally. None for no limit.
        seed: Seed of the fault decisions (default: the sandbox's seed).
    """

    latency: float = attrs.field(default=0.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.0, validator=_non_negative)
    rate_limit: float | None = None
    burst: int | None = None
    retry_after: float | None = None
    error_500: float = attrs.field(default=0.0, validator=_probability)
    error_502: float = attrs.field(default=0.0, validator=_probability)
    error_503: float = attrs.field(default=0.0, validator=_probability)
    reset: float = attrs.field(default=0.0, validator=_probability)
    truncate: float = attrs.field(default=0.0, validator=_probability)
    malformed: float = attrs.field(default=0.0, validator=_probability)
    slow_body: float = attrs.field(default=0.0, validator=_probability)
    slow_body_seconds: float = attrs.field(default=1.0, validator=_non_negative)
    page_drift: int = 0
    drift_every: int = 1
    max_faults_per_request: int | None = None
    seed: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.total_probability > 1.0 + 1e-9:
            raise ValueError(f"fault probabilities sum to {self.total_probability:.3f} > 1")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError(f"rate_limit must be > 0, got {self.rate_limit!r}")
        if self.page_drift < 0 or self.drift_every < 1:
            raise ValueError("page_drift must be >= 0 and drift_every >= 1")

    @classmethod
    def uniform(cls, rate: float, **options: object) -> Faults:
        """Faults at a total probability ``rate``, spread evenly over 500, 502, 503,
        connection resets, truncated and malformed bodies.

        Args:
            rate: Probability that a request gets one of these faults.
            **options: Other :class:`Faults` fields (latency, rate_limit, ...).
        """
        share = rate / 6
        return cls(
            error_500=share,
            error_502=share,
            error_503=share,
            reset=share,
            truncate=share,
            malformed=share,
            **options,  # type: ignore[arg-type]
        )

    @property
    def total_probability(self) -> float:
        """Probability that a request gets any answer-level fault."""
        return sum(self._weights())

    def _weights(self) -> tuple[float, ...]:
        return (
            self.error_500,
            self.error_502,
            self.error_503,
            self.reset,
            self.truncate,
            self.malformed,
            self.slow_body,
        )


@attrs.frozen
class FaultDecision:
    """What to do with one request: the fault (None for none) and the delay before answering."""

    kind: str | None
    delay: float


class FaultPlan:
    """Decides, per request, which fault it gets (deterministically, see :class:`Faults`)."""

    def __init__(self, faults: Faults, seed: int) -> None:
        self.faults = faults
        self.seed = faults.seed if faults.seed is not None else seed
        self._seen: dict[str, int] = {}
        self._faulted: dict[str, int] = {}
        self._weights = faults._weights()

    def decide(self, key: str) -> FaultDecision:
        """The fault and delay for the request identified by ``key``."""
        count = self._seen.get(key, 0)
        self._seen[key] = count + 1
        digest = hashlib.blake2b(f"{self.seed}|{key}|{count}".encode(), digest_size=8).digest()
        r = random.Random(int.from_bytes(digest, "big"))
        faults = self.faults
        delay = faults.latency + (r.random() * faults.jitter if faults.jitter else 0.0)
        draw = r.random()
        limit = faults.max_faults_per_request
        if limit is not None and self._faulted.get(key, 0) >= limit:
            return FaultDecision(None, delay)
        acc = 0.0
        for kind, weight in zip(FAULT_KINDS, self._weights, strict=True):
            acc += weight
            if draw < acc:
                self._faulted[key] = self._faulted.get(key, 0) + 1
                return FaultDecision(kind, delay)
        return FaultDecision(None, delay)


class RateLimiter:
    """A token bucket: ``rate`` requests per second, ``burst`` at once."""

    def __init__(self, rate: float, burst: int | None = None) -> None:
        self.rate = rate
        self.capacity = float(burst if burst is not None else max(1.0, rate))
        self._tokens = self.capacity
        self._stamp = time.monotonic()

    def acquire(self) -> float | None:
        """Take a token; None when one was free, else the seconds until one will be."""
        now = time.monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return (1.0 - self._tokens) / self.rate

    @staticmethod
    def header_seconds(wait: float) -> str:
        """A Retry-After value for ``wait`` seconds: whole seconds, at least 1."""
        return str(max(1, math.ceil(wait)))
