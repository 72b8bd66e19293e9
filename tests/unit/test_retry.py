"""Retry decisions and Retry-After parsing (pure functions)."""

from __future__ import annotations

import email.utils

import pytest

from chatapi._core.retry import RetryDecision, RetryPolicy, decide_retry, parse_retry_after
from chatapi.errors import (
    APIConnectionError,
    APITimeoutError,
    ChatAPIError,
    ResponseFormatError,
    make_status_error,
)

NOW = 1_700_000_000.0
POLICY = RetryPolicy(jitter=lambda d: d)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "5"}, 5.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": " 2.5 "}, 2.5),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "junk", "retry-after": "9"}, 9.0),
        ({"retry-after": "-3"}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == expected


def test_parse_retry_after_http_date() -> None:
    date = email.utils.formatdate(NOW + 30, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=NOW) == pytest.approx(30.0)
    past = email.utils.formatdate(NOW - 30, usegmt=True)
    assert parse_retry_after({"retry-after": past}, now=NOW) == 0.0


def _status(status: int, retry_after: float | None = None) -> object:
    return make_status_error(status, "x", retry_after=retry_after)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(status: int) -> None:
    err = make_status_error(status, "x")
    assert err.retryable
    assert decide_retry(err, attempt=0, policy=POLICY, idempotent=True) is not None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_client_errors_are_not_retried(status: int) -> None:
    err = make_status_error(status, "x")
    assert not err.retryable
    assert decide_retry(err, attempt=0, policy=POLICY, idempotent=True) is None


def test_backoff_doubles_and_caps() -> None:
    err = make_status_error(500, "x")
    delays = []
    policy = RetryPolicy(max_retries=10, jitter=lambda d: d)
    for attempt in range(6):
        decision = decide_retry(err, attempt=attempt, policy=policy, idempotent=True)
        assert decision is not None
        delays.append(decision.delay)
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_throttle_backoff_without_retry_after() -> None:
    err = make_status_error(429, "x")
    d0 = decide_retry(err, attempt=0, policy=POLICY, idempotent=True)
    d2 = decide_retry(err, attempt=2, policy=POLICY, idempotent=True)
    assert d0 is not None and d0.delay == 1.0 and not d0.pause_all
    assert d2 is not None and d2.delay == 4.0


def test_retry_after_is_honoured_and_pauses_everyone() -> None:
    err = make_status_error(429, "x", retry_after=7.0)
    decision = decide_retry(err, attempt=0, policy=POLICY, idempotent=True)
    assert decision is not None
    assert decision.delay == 7.0
    assert decision.pause_all


def test_retry_after_above_cap_raises_at_once() -> None:
    err = make_status_error(429, "x", retry_after=121.0)
    assert decide_retry(err, attempt=0, policy=POLICY, idempotent=True) is None
    assert err.retry_after == 121.0


def test_retries_stop_at_max() -> None:
    err = make_status_error(503, "x")
    policy = RetryPolicy(max_retries=2, jitter=lambda d: d)
    assert decide_retry(err, attempt=1, policy=policy, idempotent=True) is not None
    assert decide_retry(err, attempt=2, policy=policy, idempotent=True) is None


def test_writes_retry_only_when_provably_unprocessed() -> None:
    sent = APIConnectionError("reset", sent=True)
    unsent = APIConnectionError("refused", sent=False)
    assert decide_retry(sent, attempt=0, policy=POLICY, idempotent=False) is None
    assert decide_retry(APITimeoutError("slow"), attempt=0, policy=POLICY, idempotent=False) is None
    assert decide_retry(unsent, attempt=0, policy=POLICY, idempotent=False) is not None

    def write(error: Exception) -> RetryDecision | None:
        assert isinstance(error, ChatAPIError)
        return decide_retry(error, attempt=0, policy=POLICY, idempotent=False)

    assert write(make_status_error(500, "x")) is None
    assert write(make_status_error(502, "x", retry_after=1)) is None
    # Refused with a time to come back: not processed, so repeated after that time.
    refused = write(make_status_error(429, "x", retry_after=2))
    assert refused is not None and refused.delay == 2 and refused.pause_all
    assert write(make_status_error(503, "x", retry_after=0)) is not None
    # Without Retry-After a 429 does not prove the write was refused whole.
    assert write(make_status_error(429, "x")) is None
    assert write(make_status_error(503, "x")) is None


def test_callers_opt_in_to_retrying_writes_they_know_are_safe() -> None:
    assert not RetryPolicy().repeats_write("update_agent")
    assert RetryPolicy(retry_writes=True).repeats_write("create_ticket")
    chosen = RetryPolicy(retry_writes={"update_agent"})
    assert chosen.repeats_write("update_agent")
    assert not chosen.repeats_write("create_ticket")
    assert chosen.retry_writes == frozenset({"update_agent"})


def test_timeouts_and_bad_bodies_retry_for_reads_only() -> None:
    timeout = APITimeoutError("slow")
    bad = ResponseFormatError("truncated", retryable=True)
    broken_mapping = ResponseFormatError("missing field")
    assert decide_retry(timeout, attempt=0, policy=POLICY, idempotent=True) is not None
    assert decide_retry(bad, attempt=0, policy=POLICY, idempotent=True) is not None
    assert decide_retry(bad, attempt=0, policy=POLICY, idempotent=False) is None
    assert decide_retry(broken_mapping, attempt=0, policy=POLICY, idempotent=True) is None


def test_no_wait_policy_never_sleeps() -> None:
    policy = RetryPolicy.no_wait()
    for err in (make_status_error(500, "x"), make_status_error(429, "x"), APITimeoutError("t")):
        decision = decide_retry(err, attempt=2, policy=policy, idempotent=True)
        assert decision is not None and decision.delay == 0.0


def test_rate_limit_envelope_inside_a_200_throttles_like_a_429() -> None:
    from chatapi.errors import RateLimitError, ServerError

    limited = make_status_error(200, "slow down", error_class=RateLimitError, retry_after=3.0)
    decision = decide_retry(limited, attempt=0, policy=POLICY, idempotent=True)
    assert decision is not None and decision.pause_all and decision.delay == 3.0
    broken = make_status_error(200, "backend failed", error_class=ServerError)
    assert broken.retryable
    assert decide_retry(broken, attempt=0, policy=POLICY, idempotent=True) is not None
    forced = make_status_error(503, "maintenance", retryable=False)
    assert decide_retry(forced, attempt=0, policy=POLICY, idempotent=True) is None
