"""How much of DEAR's API budget the client uses, measured against the in-process sandbox.

Scenarios (the window is compressed so a run takes a minute or two, not an hour):

* alone, 0 ms latency          - the app is DEAR's only client; target >= 95 % of the budget, 0 throttles
* alone, 1,500 ms latency      - same, with slow answers
* shared budget                - a plain `requests` loop with the same key spends part of the budget
                                 outside our governor; every record must still arrive exactly once

* real window (--only real)    - DEAR's own 60/60 with 1,500 ms latency (about 4 minutes, --windows 3)

Run:  .venv/bin/python bench/client_throughput.py [--windows 6] [--calls 30] [--seconds 3]
      .venv/bin/python bench/client_throughput.py --only real --windows 3
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.api import CallMade, DearClient, RateGovernor
from app.api.events import ApiEvent
from app.models import Connection, RateLimit
from app.sandbox import Sandbox, SandboxConfig


def connection(sb: Sandbox, limit: RateLimit) -> Connection:
    return Connection("bench", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=limit)


def cycle(ids: list[str], n: int) -> Iterator[str]:
    for i in range(n):
        yield ids[i % len(ids)]


def per_window(times: list[float], seconds: float) -> list[int]:
    """Calls in consecutive whole windows from the first call (the last, partial window dropped)."""
    if not times:
        return []
    start = min(times)
    buckets: dict[int, int] = {}
    for t in times:
        buckets[int((t - start) // seconds)] = buckets.get(int((t - start) // seconds), 0) + 1
    whole = int((max(times) - start) // seconds)
    return [buckets.get(k, 0) for k in range(whole)]


def alone(latency_ms: float, windows: int, limit: RateLimit, max_in_flight: int) -> dict[str, object]:
    rate = (limit.calls, limit.seconds)
    config = SandboxConfig(seed=1, size="small", latency_ms=latency_ms, rate_limit=rate)
    with Sandbox(config) as sb:
        conn = connection(sb, limit)
        times: list[float] = []
        lock = threading.Lock()

        def on_event(event: ApiEvent) -> None:
            if isinstance(event, CallMade):
                with lock:
                    times.append(time.monotonic())

        governor = RateGovernor(limit, max_in_flight=max_in_flight)
        with DearClient(conn, governor=governor, on_event=on_event) as client:
            pager = client.list_pager("saleList", "SaleList", id_field="SaleID")
            ids = [row["SaleID"] for batch in pager for row in batch]
            sb.reset_counts()
            times.clear()
            n = limit.calls * (windows + 1)
            started = time.monotonic()
            got = sum(1 for _ in client.fetch_details("sale", "ID", cycle(ids, n)))
            elapsed = time.monotonic() - started
        counts = per_window(times, limit.seconds)
        return {
            "latency_ms": latency_ms,
            "limit": str(limit),
            "max_in_flight": max_in_flight,
            "calls": got,
            "seconds": round(elapsed, 1),
            "per_window": counts,
            "median_per_window": statistics.median(counts) if counts else 0,
            "budget_used_pct": round(100 * statistics.median(counts) / limit.calls, 1) if counts else 0,
            "whole_run_pct": round(100 * got / elapsed * limit.seconds / limit.calls, 1),
            "throttled": sb.throttled_count,
        }


def shared(limit: RateLimit, customers: int, page_size: int, other_every: float) -> dict[str, object]:
    config = SandboxConfig(
        seed=2, size="small", rate_limit=(limit.calls, limit.seconds), counts={"customer": customers}
    )
    with Sandbox(config) as sb:
        stop = threading.Event()
        other_calls = 0

        def other_client() -> None:
            # Another program on the same API application: no pacing, ignores throttles.
            nonlocal other_calls
            session = requests.Session()
            session.headers.update(
                {"api-auth-accountid": sb.account_id, "api-auth-applicationkey": sb.application_key}
            )
            while not stop.wait(other_every):
                session.get(sb.base_url.rstrip("/") + "/me", timeout=10)
                other_calls += 1

        thread = threading.Thread(target=other_client, daemon=True)
        thread.start()
        started = time.monotonic()
        try:
            with DearClient(connection(sb, limit), governor=RateGovernor(limit)) as client:
                pager = client.list_pager(
                    "customer", "CustomerList", params={"IncludeDeprecated": "true"}, page_size=page_size
                )
                rows = [row for batch in pager for row in batch]
                ours = client.stats
        finally:
            stop.set()
            thread.join()
        ids = [str(r["ID"]).lower() for r in rows]
        return {
            "limit": str(limit),
            "records": len(rows),
            "unique_ids": len(set(ids)),
            "total": pager.stats.total,
            "complete": pager.stats.complete,
            "pages": pager.stats.pages,
            "rewalks": pager.stats.rewalks,
            "our_calls": ours.calls,
            "other_calls": other_calls,
            "throttled_answers_to_us": ours.throttled,
            "sandbox_throttled_total": sb.throttled_count,
            "records_expected": customers,
            "seconds": round(time.monotonic() - started, 1),
            "our_pages_per_window": round(
                pager.stats.pages / (time.monotonic() - started) * limit.seconds, 1
            ),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--windows", type=int, default=6)
    parser.add_argument(
        "--latency-in-flight", type=int, default=16, help="max_in_flight for the slow scenario"
    )
    parser.add_argument("--only", choices=["alone", "slow", "shared", "real"], default=None)
    args = parser.parse_args()
    limit = RateLimit(args.calls, args.seconds)
    print(f"machine: nproc={os.cpu_count()} {platform.platform()} python {platform.python_version()}")
    if args.only in (None, "alone"):
        print("alone, 0 ms:", alone(0, args.windows, limit, 4))
    if args.only in (None, "slow"):
        print("alone, 1500 ms:", alone(1500, args.windows, limit, args.latency_in_flight))
    if args.only == "real":
        print("alone, 1500 ms, 60/60:", alone(1500, args.windows, RateLimit(60, 60.0), 4))
    if args.only in (None, "shared"):
        print("shared budget:", shared(limit, customers=1500, page_size=10, other_every=0.25))


if __name__ == "__main__":
    main()
