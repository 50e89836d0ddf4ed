"""One API budget per key across processes: real child processes on one sandbox, and the ledger's rules."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.api.governor import RateGovernor
from app.api.ledger import FILE_NAME, STALE_IN_FLIGHT, SharedLedger, Wait
from app.models import RateLimit
from app.sandbox import Sandbox

DRIVER = Path(__file__).with_name("budget_driver.py")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def start_driver(sb: Sandbox, limit: tuple[int, float], count: int) -> subprocess.Popen[str]:
    args = [sb.base_url, sb.account_id, sb.application_key, str(limit[0]), str(limit[1]), str(count)]
    return subprocess.Popen(
        [sys.executable, str(DRIVER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str]) -> dict[str, int]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    result: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    return result


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --------------------------------------------------------------------------- real processes


def test_two_processes_on_one_key_share_one_budget(
    make_sandbox: Callable[..., Sandbox], app_home: Path
) -> None:
    limit = (20, 2.0)
    sb = make_sandbox(rate_limit=limit)
    first, second = start_driver(sb, limit, 30), start_driver(sb, limit, 30)
    results = [finish(first), finish(second)]
    assert [r["done"] for r in results] == [30, 30]
    assert sb.throttled_count == 0  # DEAR's own count: not one call over the limit
    assert sum(r["throttled"] for r in results) == 0
    stored = b"".join(p.read_bytes() for p in (app_home / "data").glob(FILE_NAME + "*"))
    assert sb.application_key.encode() not in stored  # a salted fingerprint, never the key


def test_a_process_killed_mid_call_does_not_let_the_survivor_exceed_the_limit(
    make_sandbox: Callable[..., Sandbox], app_home: Path
) -> None:
    limit = (10, 3.0)
    # Answers take 0.8 s, and the sandbox counts a call when it has finished reading it, as late as DEAR may.
    sb = make_sandbox(rate_limit=limit, latency_ms=800)
    victim = start_driver(sb, limit, 40)
    assert victim.stdout is not None
    assert victim.stdout.readline().strip() == "started"
    victim.kill()
    victim.wait()
    with sqlite3.connect(app_home / "data" / FILE_NAME) as db:
        left = db.execute(
            "SELECT COUNT(*) FROM slots WHERE pid = ? AND in_flight = 1", (victim.pid,)
        ).fetchone()
    assert left[0] >= 1, "the victim should have died with calls in flight"

    survivor = finish(start_driver(sb, limit, 12))
    assert survivor["done"] == 12
    assert sb.throttled_count == 0


# --------------------------------------------------------------------------- the ledger's rules


def test_a_dead_processs_call_counts_as_finishing_when_found_and_keeps_its_window(tmp_path: Path) -> None:
    clock = FakeClock()
    ledger = SharedLedger(tmp_path / FILE_NAME, "key-of-the-ledger-test-1234", clock=clock)
    limit = RateLimit(2, 10.0)
    mine = ledger.take(limit)
    assert isinstance(mine, int)
    with sqlite3.connect(tmp_path / FILE_NAME) as db:  # a call another process left in flight when it died
        db.execute("UPDATE slots SET pid = ? WHERE id = ?", (dead_pid(), mine))
    clock.now += 4.0
    ours = ledger.take(limit)
    assert isinstance(ours, int)  # the dead call is closed, one slot is still free
    wait = ledger.take(limit)
    assert isinstance(wait, Wait)
    assert wait.seconds == pytest.approx(10.0, abs=0.05)  # a full window from when it was found dead
    clock.now += 10.1
    ledger.finish(ours)
    assert isinstance(ledger.take(limit), int)


def test_a_call_in_flight_for_too_long_is_closed_not_forgotten(tmp_path: Path) -> None:
    clock = FakeClock()
    ledger = SharedLedger(tmp_path / FILE_NAME, "key-of-the-ledger-test-1234", clock=clock)
    limit = RateLimit(1, 10.0)
    assert isinstance(ledger.take(limit), int)  # never finished (a thread lost it)
    clock.now += STALE_IN_FLIGHT - 1
    assert ledger.take(limit) == Wait(10.0)  # only a call in flight: nothing frees for a window
    clock.now += 2
    wait = ledger.take(limit)
    assert isinstance(wait, Wait) and wait.seconds == pytest.approx(10.0, abs=0.05)


def test_pauses_and_slots_are_seen_by_every_process_but_only_for_the_same_key(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / FILE_NAME
    one = SharedLedger(path, "key-of-the-ledger-test-1234", clock=clock)
    other_process = SharedLedger(path, "key-of-the-ledger-test-1234", clock=clock)
    other_key = SharedLedger(path, "another-key-entirely-5678", clock=clock)
    limit = RateLimit(1, 5.0)
    taken = one.take(limit)
    assert isinstance(taken, int)
    one.finish(taken)
    wait = other_process.take(limit)
    assert isinstance(wait, Wait) and wait.seconds == pytest.approx(5.02) and not wait.paused
    elsewhere = other_key.take(limit)
    assert isinstance(elsewhere, int)
    other_key.finish(elsewhere)
    one.pause(30.0)
    clock.now += 6.0
    paused = other_process.take(limit)
    assert isinstance(paused, Wait) and paused.paused and paused.seconds == pytest.approx(24.0)
    assert other_process.free_slots(limit) == 0
    assert other_key.free_slots(limit) == 1
    assert isinstance(other_key.take(limit), int)


def test_the_fingerprint_is_salted_per_user(tmp_path: Path) -> None:
    key = "key-of-the-ledger-test-1234"
    a = SharedLedger(tmp_path / "a" / FILE_NAME, key)
    b = SharedLedger(tmp_path / "b" / FILE_NAME, key)
    assert a._key != b._key
    assert key not in a._key


def test_governors_for_a_key_share_through_the_user_ledger(app_home: Path) -> None:
    key = "key-of-the-governor-ledger-test-99"
    governor = RateGovernor.for_key(key, RateLimit(2, 30.0))
    assert governor.shared
    assert (app_home / "data" / FILE_NAME).is_file()
    # A second process on the same key: its own ledger connection onto the same file.
    elsewhere = SharedLedger(app_home / "data" / FILE_NAME, key)
    assert isinstance(elsewhere.take(RateLimit(2, 30.0)), int)
    assert isinstance(elsewhere.take(RateLimit(2, 30.0)), int)
    assert governor.free_slots() == 0
    wait = governor.try_acquire()
    assert isinstance(wait, float) and wait >= 29.0


def test_a_broken_ledger_falls_back_to_pacing_alone(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    ledger = SharedLedger(path, "key-of-the-ledger-test-1234")
    governor = RateGovernor(RateLimit(5, 1.0), ledger=ledger)
    ledger.close()  # any sqlite3 error from here on
    slot = governor.acquire()
    governor.release(slot)
    assert not governor.shared
    started = time.monotonic()
    for _ in range(4):
        governor.release(governor.acquire())
    assert time.monotonic() - started < 0.5


OPEN_AND_TAKE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from app.api.ledger import SharedLedger
from app.models import RateLimit
time.sleep(max(0.0, float(sys.argv[3]) - time.time()))  # all start together
ledger = SharedLedger.for_user(sys.argv[2])
assert ledger is not None, "the ledger could not be opened"
assert isinstance(ledger.take(RateLimit(100, 60.0)), int)
"""


def test_many_processes_creating_the_ledger_at_once_all_share_it(app_home: Path) -> None:
    root = str(Path(__file__).resolve().parents[2])
    start = str(time.time() + 1.0)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_TAKE, root, "key-of-the-race-test-1234", start],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "cannot be used" not in err
    with sqlite3.connect(app_home / "data" / FILE_NAME) as db:
        assert db.execute("SELECT COUNT(*) FROM slots").fetchone()[0] == 8


def test_a_throttle_pause_reaches_the_other_process_which_then_sends_one_probe_first(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / FILE_NAME
    key = "key-of-the-pause-test-12345678"
    told = RateGovernor(RateLimit(100, 1.0), clock=clock, ledger=SharedLedger(path, key, clock=clock))
    other = RateGovernor(RateLimit(100, 1.0), clock=clock, ledger=SharedLedger(path, key, clock=clock))
    told.pause(5.0)  # DEAR said 503 to the first process
    wait = other.try_acquire()
    assert isinstance(wait, float) and wait == pytest.approx(5.0)
    assert other.free_slots() == 0
    clock.now += 5.0
    probe = other.try_acquire()
    assert not isinstance(probe, float) and probe.probe
    assert other.try_acquire() == float("inf")  # the rest wait for the probe's answer
    other.release(probe)
    follower = other.try_acquire()
    assert not isinstance(follower, float) and not follower.probe
