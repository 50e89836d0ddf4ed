"""One API budget per key across processes: throttles, budget use and the ledger's cost.

Scenarios (the sandbox's window is compressed, 30 calls / 3 s by default, so a run takes minutes):

* one process alone          - baseline: one child process makes the calls through DearClient
* two processes, one key     - two child processes at once on the same key and the same ledger;
                               target 0 throttled answers, combined >= 90 % of the budget
* fast path                  - one process, no limit: calls per second with the governor pacing
                               alone vs through the shared ledger, and bare acquire/release pairs

Budget use is counted like bench/client_throughput.py: calls answered in each whole window from
the first call (the last, partial window dropped), median over windows, as a share of the limit.

Run:  .venv/bin/python bench/shared_budget.py [--calls 30] [--seconds 3] [--windows 6] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.api import CallMade, DearClient, RateGovernor
from app.api.events import ApiEvent
from app.api.ledger import FILE_NAME, SharedLedger
from app.models import CancelToken, Connection, RateLimit
from app.sandbox import Sandbox, SandboxConfig


def child(base_url: str, account: str, key: str, calls: int, seconds: float, count: int) -> None:
    """Run in a child process: ``count`` calls on the key's shared governor; print answer times."""
    limit = RateLimit(calls, seconds)
    times: list[float] = []
    lock = threading.Lock()

    def on_event(event: ApiEvent) -> None:
        if isinstance(event, CallMade):
            with lock:
                times.append(time.time())  # wall clock: comparable between the two children

    conn = Connection("bench", account, key, base_url=base_url, rate_limit=limit)
    shared = os.environ.get("BENCH_LEDGER", "1") == "1"
    governor = RateGovernor.for_key(key, limit, shared=shared)
    with DearClient(conn, on_event=on_event, governor=governor) as client:
        assert client.governor.shared is shared
        done = sum(1 for _ in client.map_ordered(lambda i, t: client.get("me", cancel=t), range(count), None))
        print(json.dumps({"done": done, "throttled": client.stats.throttled, "times": times}), flush=True)


def per_window(times: list[float], seconds: float) -> list[int]:
    """Calls in consecutive whole windows from the first call (the last, partial window dropped)."""
    if not times:
        return []
    start = min(times)
    buckets: dict[int, int] = {}
    for t in times:
        index = int((t - start) // seconds)
        buckets[index] = buckets.get(index, 0) + 1
    whole = int((max(times) - start) // seconds)
    return [buckets.get(k, 0) for k in range(whole)]


def run_children(
    sb: Sandbox, limit: RateLimit, counts: list[int], home: Path, *, ledger: bool = True
) -> dict[str, object]:
    env = dict(os.environ, DEAR_EXPORT_HOME=str(home), BENCH_LEDGER="1" if ledger else "0")
    args = [sb.base_url, sb.account_id, sb.application_key, str(limit.calls), str(limit.seconds)]
    sb.reset_counts()
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--child", *args, str(n)], stdout=subprocess.PIPE, text=True, env=env
        )
        for n in counts
    ]
    results = [json.loads(p.communicate(timeout=600)[0].strip().splitlines()[-1]) for p in processes]
    times = [t for r in results for t in r["times"]]
    windows = per_window(times, limit.seconds)
    median = statistics.median(windows) if windows else 0
    # Whole run: the calls after the first window's batch over the time they took (n is a multiple
    # of the limit, so the last batch's own short span is not counted as free time).
    span = max(times) - min(times)
    whole = (len(times) - limit.calls) / span * limit.seconds / limit.calls if span > 0 else 0.0
    return {
        "processes": len(counts),
        "calls": sum(r["done"] for r in results),
        "per_window": windows,
        "budget_used_pct": round(100 * median / limit.calls, 1),
        "whole_run_pct": round(100 * whole, 1),
        "throttled_sandbox": sb.throttled_count,
        "throttled_seen": sum(r["throttled"] for r in results),
    }


def budget(limit: RateLimit, windows: int, repeat: int) -> None:
    total = limit.calls * (windows + 1)
    config = SandboxConfig(seed=1, size="small", rate_limit=(limit.calls, limit.seconds))
    alone_pct: list[float] = []
    pair_pct: list[float] = []
    throttled: list[int] = []
    before: list[int] = []
    with Sandbox(config) as sb:
        for run in range(repeat):
            with tempfile.TemporaryDirectory() as home:
                one = run_children(sb, limit, [total], Path(home))
            time.sleep(limit.seconds + 0.5)  # let the sandbox's window empty between scenarios
            with tempfile.TemporaryDirectory() as home:
                two = run_children(sb, limit, [total // 2, total - total // 2], Path(home))
            time.sleep(limit.seconds + 0.5)
            with tempfile.TemporaryDirectory() as home:
                halves = [total // 2, total - total // 2]
                unshared = run_children(sb, limit, halves, Path(home), ledger=False)
            time.sleep(limit.seconds + 0.5)
            print(f"run {run + 1}: two processes, one key, per-process governors (before) {unshared}")
            before.append(int(unshared["throttled_sandbox"]))  # type: ignore[call-overload]
            print(f"run {run + 1}: one process alone {one}")
            print(f"run {run + 1}: two processes, one key {two}")
            alone_pct.append(float(one["whole_run_pct"]))  # type: ignore[arg-type]
            pair_pct.append(float(two["whole_run_pct"]))  # type: ignore[arg-type]
            throttled.append(int(two["throttled_sandbox"]))  # type: ignore[call-overload]
    print(
        f"MEDIAN budget used over the whole run: one process alone {statistics.median(alone_pct)} %, "
        f"two processes one key {statistics.median(pair_pct)} %; "
        f"throttled answers with two processes: {throttled} (per-process governors, as before: {before})"
    )


def fast_path(calls: int, repeat: int) -> None:
    config = SandboxConfig(seed=1, size="small", rate_limit=None)
    limit = RateLimit(1_000_000, 1.0)
    rates: dict[str, list[float]] = {"local": [], "shared": []}
    pairs: dict[str, list[float]] = {"local": [], "shared": []}
    with Sandbox(config) as sb, tempfile.TemporaryDirectory() as home:
        conn = Connection("bench", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=limit)
        for run in range(repeat):
            for mode in ("local", "shared"):
                ledger = SharedLedger(Path(home) / f"{run}-{FILE_NAME}", sb.application_key)
                governor = RateGovernor(limit, ledger=ledger if mode == "shared" else None)
                with DearClient(conn, governor=governor) as client:

                    def one(i: int, token: CancelToken, c: DearClient = client) -> object:
                        return c.get("me", cancel=token)

                    started = time.perf_counter()
                    sum(1 for _ in client.map_ordered(one, range(calls), None))
                    rates[mode].append(calls / (time.perf_counter() - started))
                started = time.perf_counter()
                for _ in range(2000):
                    governor.release(governor.acquire())
                pairs[mode].append(2000 / (time.perf_counter() - started))
                ledger.close()
    # DEAR's own limit: at most 60 slots in a window, so each ledger query sees at most 60 rows.
    dear = RateLimit(60, 60.0)
    per_pair: dict[str, list[float]] = {"local": [], "shared": []}
    with tempfile.TemporaryDirectory() as home:
        for run in range(repeat * 10):
            for mode in ("local", "shared"):
                ledger = SharedLedger(Path(home) / f"dear-{run}-{FILE_NAME}", "bench-key-for-dear-limit")
                governor = RateGovernor(dear, ledger=ledger if mode == "shared" else None)
                started = time.perf_counter()
                for _ in range(dear.calls):
                    governor.release(governor.acquire())
                per_pair[mode].append((time.perf_counter() - started) / dear.calls * 1e6)
                ledger.close()
    for mode in ("local", "shared"):
        print(f"at DEAR's 60/60, {mode:6}: {statistics.median(per_pair[mode]):6.1f} us per acquire+release")
    for mode in ("local", "shared"):
        print(
            f"fast path, {mode:6}: {statistics.median(rates[mode]):7.0f} calls/s over loopback "
            f"(runs {[round(r) for r in rates[mode]]}), "
            f"{statistics.median(pairs[mode]):8.0f} acquire+release pairs/s"
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        base, account, key, calls, seconds, count = sys.argv[2:8]
        child(base, account, key, int(calls), float(seconds), int(count))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--windows", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fast-calls", type=int, default=2000)
    parser.add_argument("--only", choices=["budget", "fast"], default=None)
    args = parser.parse_args()
    print(f"machine: nproc={os.cpu_count()} {platform.platform()} python {platform.python_version()}")
    if args.only in (None, "fast"):
        fast_path(args.fast_calls, args.repeat)
    if args.only in (None, "budget"):
        budget(RateLimit(args.calls, args.seconds), args.windows, args.repeat)


if __name__ == "__main__":
    main()
