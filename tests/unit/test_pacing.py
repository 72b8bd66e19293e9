"""Adaptive pacing (pure bookkeeping, driven by a fake clock)."""

from __future__ import annotations

import pytest

from chatapi._core.pacing import Pacer


def test_unpaced_until_the_first_throttle() -> None:
    pacer = Pacer()
    assert not pacer.active
    assert all(pacer.reserve(now=t * 0.001) == 0.0 for t in range(100))
    for _ in range(10):
        pacer.on_success()
    assert not pacer.active


def test_first_throttle_paces_below_the_measured_send_rate() -> None:
    pacer = Pacer(cut=0.8)
    for i in range(40):  # 40 requests in the last second
        pacer.reserve(now=10.0 + i * 0.025)
    pacer.on_throttle(sent_at=10.9, now=11.0)
    assert pacer.interval == pytest.approx(1 / 32)
    # Slots are spaced by the interval from now on.
    waits = [pacer.reserve(now=11.0) for _ in range(4)]
    assert waits == pytest.approx([0.0, 1 / 32, 2 / 32, 3 / 32])


def test_one_cut_per_congestion_event() -> None:
    pacer = Pacer(cut=0.5, max_interval=60.0)
    pacer.reserve(now=0.0)
    pacer.on_throttle(sent_at=0.0, now=1.0)
    first = pacer.interval
    # Answers to requests sent before the cut do not cut again.
    pacer.on_throttle(sent_at=0.9, now=1.1)
    assert pacer.interval == first
    # A request sent after the cut that is throttled again does.
    pacer.on_throttle(sent_at=1.2, now=1.3)
    assert pacer.interval == pytest.approx(first * 2)


def test_successes_recover_the_rate_and_end_pacing() -> None:
    pacer = Pacer(recovery=0.5)
    pacer.reserve(now=0.0)
    pacer.on_throttle(sent_at=0.0, now=0.5)
    assert pacer.active
    for _ in range(20):
        pacer.on_success()
    assert not pacer.active
    assert pacer.reserve(now=2.0) == 0.0


def test_the_interval_has_a_ceiling() -> None:
    pacer = Pacer(cut=0.5, max_interval=1.0)
    now = 0.0
    for _ in range(100):  # a vendor that throttles every request for a while
        now += 1.0
        pacer.reserve(now)
        pacer.on_throttle(sent_at=now, now=now + 0.01)
    assert pacer.interval == 1.0
    assert pacer.reserve(now + 5.0) == 0.0  # the slot passed long ago: no stall


def test_recovery_takes_similar_wall_time_at_any_rate() -> None:
    def seconds_to_recover(start_interval: float) -> float:
        pacer = Pacer(max_interval=10.0)
        pacer.reserve(now=0.0)
        pacer.on_throttle(sent_at=0.0, now=0.0)
        pacer.interval = start_interval
        elapsed = 0.0
        while pacer.interval > start_interval / 4:
            elapsed += pacer.interval
            pacer.on_success()
        return elapsed

    slow, fast = seconds_to_recover(1.0), seconds_to_recover(0.05)
    assert slow < 30  # from one request a second to four: seconds, not minutes
    assert fast < 30
