"""Pushed progress: throttled to a few events a second, the latest never lost, waits announced at once."""

from __future__ import annotations

import threading

from app.api.events import Retrying, Throttled, Waiting
from app.models import Progress, RateLimit
from app.services.exporting.progress import ProgressFeed, WaitWatch


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def event(phase: str, done: int = 0) -> Progress:
    return Progress(phase=phase, message=f"{phase} {done}", records_done=done)


def test_events_closer_than_the_interval_are_held_back_and_the_latest_is_delivered_later() -> None:
    clock, got = Clock(), []
    feed = ProgressFeed(got.append, interval=0.2, clock=clock)
    feed.push(event("details", 1))
    for done in range(2, 50):  # 48 events in 0.1 s: only the first got through
        clock.now += 0.002
        feed.push(event("details", done))
    assert [e.records_done for e in got] == [1]
    feed.flush()
    assert [e.records_done for e in got] == [1, 49]
    feed.flush()  # nothing held back any more
    assert len(got) == 2
    clock.now += 0.25
    feed.push(event("details", 50))
    assert got[-1].records_done == 50


def test_a_new_phase_or_a_forced_event_goes_at_once_and_replaces_what_was_held() -> None:
    clock, got = Clock(), []
    feed = ProgressFeed(got.append, interval=0.2, clock=clock)
    feed.push(event("listing", 1))
    feed.push(event("listing", 2))  # held
    feed.push(event("writing", 0))  # new phase: at once
    feed.push(event("writing", 5), force=True)
    feed.flush()
    assert [(e.phase, e.records_done) for e in got] == [("listing", 1), ("writing", 0), ("writing", 5)]


def test_a_listener_that_fails_does_not_stop_the_export() -> None:
    def broken(_: Progress) -> None:
        raise ValueError("listener bug")

    feed = ProgressFeed(broken)
    feed.push(event("details", 1), force=True)  # logged, not raised
    assert not ProgressFeed(None).listening and feed.listening


def test_a_wait_reported_by_a_client_thread_is_pushed_at_once_with_its_length() -> None:
    got: list[Progress] = []
    feed = ProgressFeed(got.append)
    feed.push(
        Progress(phase="details", message="Reading", records_done=3, records_total=9, seconds_left=40.0)
    )
    watch = WaitWatch(feed, RateLimit(60, 60))
    # The export's own thread is blocked on the request that waits; the client's thread reports it.
    worker = threading.Thread(target=watch, args=(Waiting(12.0, "limit"),))
    worker.start()
    worker.join()
    wait = got[-1]
    assert wait.phase == "waiting" and wait.waiting_seconds == 12.0
    assert wait.message == "DEAR limits us to 60 requests a minute; continuing in 12 s"
    assert (wait.records_done, wait.records_total, wait.seconds_left) == (3, 9, 52.0)
    seconds, reason = watch.waiting()
    assert 11.0 < seconds <= 12.0 and reason == "limit"


def test_short_and_repeated_waits_are_not_announced_again() -> None:
    got: list[Progress] = []
    watch = WaitWatch(ProgressFeed(got.append), RateLimit(60, 60))
    watch(Waiting(0.5, "limit"))  # ordinary pacing
    assert got == []
    watch(Throttled("saleList", 503, 30.0))
    watch(Waiting(29.9, "throttled"))  # the other threads meeting the same pause
    assert [e.message for e in got] == ["DEAR asked us to slow down; continuing in 30 s"]
    watch(Retrying("sale", 1, 45.0, "timeout"))
    assert got[-1].message == "DEAR did not answer properly; trying again in 45 s"


def test_nothing_is_delivered_once_the_export_has_ended() -> None:
    got: list[Progress] = []
    feed = ProgressFeed(got.append)
    feed.push(event("details", 1))
    feed.push(event("details", 2))  # held back
    feed.close()
    feed.flush()
    WaitWatch(feed, RateLimit(60, 60))(Waiting(30.0, "limit"))  # a client thread finishing late
    assert [e.records_done for e in got] == [1]
