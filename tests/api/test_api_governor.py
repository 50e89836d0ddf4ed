"""The governor's window arithmetic, driven by a hand-moved clock (no sleeping)."""

from __future__ import annotations

import threading
import time

import pytest

from app.api.governor import RateGovernor, Slot
from app.errors import Cancelled
from app.models import CancelToken, RateLimit


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def take(governor: RateGovernor) -> Slot:
    outcome = governor.try_acquire()
    assert isinstance(outcome, Slot), f"expected a slot, had to wait {outcome}"
    return outcome


def test_never_more_than_the_limit_inside_a_window_counted_from_completion() -> None:
    clock = FakeClock()
    governor = RateGovernor(RateLimit(3, 10.0), max_in_flight=10, clock=clock)
    slots = [take(governor) for _ in range(3)]
    assert governor.try_acquire() == float("inf")  # all three still in flight
    clock.now += 2.0
    for slot in slots:
        governor.release(slot)  # they finished at t=1002
    clock.now += 5.0
    wait = governor.try_acquire()
    assert isinstance(wait, float)
    assert wait == pytest.approx(5.0, abs=0.05)  # window runs 10 s from completion, not from sending
    clock.now += wait
    take(governor)


def test_in_flight_requests_occupy_slots_and_are_bounded() -> None:
    clock = FakeClock()
    governor = RateGovernor(RateLimit(100, 1.0), max_in_flight=2, clock=clock)
    first, _second = take(governor), take(governor)
    assert governor.try_acquire() == float("inf")
    governor.release(first)
    take(governor)


def test_rolling_window_frees_slots_one_by_one() -> None:
    clock = FakeClock()
    governor = RateGovernor(RateLimit(2, 10.0), max_in_flight=4, clock=clock)
    governor.release(take(governor))  # finished at 1000
    clock.now += 4.0
    governor.release(take(governor))  # finished at 1004
    clock.now += 6.5  # 1010.5: the first has aged out, the second has not
    take(governor)
    wait = governor.try_acquire()
    assert isinstance(wait, float) and wait == pytest.approx(3.5, abs=0.05)


def test_pause_holds_every_caller() -> None:
    clock = FakeClock()
    governor = RateGovernor(RateLimit(100, 1.0), clock=clock)
    governor.pause(7.0)
    assert governor.try_acquire() == pytest.approx(7.0)
    governor.pause(2.0)  # a shorter pause never cuts a longer one short
    assert governor.try_acquire() == pytest.approx(7.0)
    clock.now += 7.0
    take(governor)


def test_after_a_pause_one_probe_goes_first() -> None:
    clock = FakeClock()
    governor = RateGovernor(RateLimit(100, 1.0), max_in_flight=4, clock=clock)
    governor.pause(1.0)
    clock.now += 1.0
    probe = take(governor)
    assert probe.probe
    assert governor.try_acquire() == float("inf")  # the others wait for the probe's answer
    governor.release(probe)
    governor.pause(1.0)  # refused again: pause again, probe again
    clock.now += 1.0
    second = take(governor)
    assert second.probe
    governor.release(second)  # accepted: everyone may go
    slots = [take(governor) for _ in range(4)]
    assert not any(s.probe for s in slots)


def test_for_key_is_one_per_key_and_does_not_keep_the_key() -> None:
    key = "secret-application-key-for-governor-test"
    a = RateGovernor.for_key(key, RateLimit(10, 1.0))
    b = RateGovernor.for_key(key, RateLimit(5, 1.0))
    other = RateGovernor.for_key(key + "-other", RateLimit(10, 1.0))
    assert a is b
    assert a is not other
    assert a.limit == RateLimit(5, 1.0)  # the latest setting governs the one budget
    assert all(key not in name for name in RateGovernor._registry)
    assert key not in repr(a)


def test_acquire_cancels_within_a_second_while_waiting_for_the_window() -> None:
    governor = RateGovernor(RateLimit(1, 60.0))
    governor.release(governor.acquire())
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        governor.acquire(cancel)
    assert time.monotonic() - started < 1.0
    assert governor.waited_seconds >= 0.3


def test_acquire_reports_the_wait_and_its_reason() -> None:
    governor = RateGovernor(RateLimit(5, 1.0))
    governor.pause(0.3)
    seen: list[tuple[float, str]] = []
    governor.release(governor.acquire(on_wait=lambda s, why: seen.append((s, why))))
    assert len(seen) == 1
    assert seen[0][1] == "throttled"
    assert 0 < seen[0][0] <= 0.3


def test_threads_sharing_a_governor_never_exceed_the_limit() -> None:
    limit = RateLimit(5, 0.5)
    governor = RateGovernor(limit, max_in_flight=3)
    finished: list[float] = []
    started: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(4):
            slot = governor.acquire()
            with lock:
                started.append(time.monotonic())
            with lock:
                finished.append(time.monotonic())
            governor.release(slot)

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(started) == 20
    # No call may start while `calls` others finished less than a window earlier.
    for begin in started:
        recent = [end for end in finished if begin - limit.seconds < end <= begin]
        assert len(recent) < limit.calls


def test_free_slots_count_in_flight_and_recent_calls_and_nothing_while_paused() -> None:
    clock = FakeClock()
    governor = RateGovernor(RateLimit(5, 10.0), max_in_flight=10, clock=clock)
    assert governor.free_slots() == 5
    slots = [take(governor) for _ in range(3)]
    assert governor.free_slots() == 2  # in flight
    for slot in slots:
        governor.release(slot)
    assert governor.free_slots() == 2  # finished, still inside the window
    clock.now += 10.1
    assert governor.free_slots() == 5  # the window slid past them
    governor.pause(30.0)
    assert governor.free_slots() == 0
