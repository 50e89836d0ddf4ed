"""Stock on hand at a date for a big account: requests, time at DEAR's limit, peak memory.

The sandbox (started in this process, no API limit, no latency) holds ``--products`` products
(10,000 by default) in its four locations with about 30 stock movements each, built from its own
documents. Each export runs as ``python -m app export --endpoint stock-at-date`` in its own process
under ``/usr/bin/time -v`` (peak RSS, wall time). The baseline, measured in the same run, alternating,
is the plain product list (``--endpoint products``) of the same account: the same products
without their movements and without the stock check.

Time at DEAR's limit is computed, not waited for: the requests counted by the sandbox at 60 a
minute (``app.api.estimate.estimate_seconds``, the estimate the app itself shows), plus the
processing time measured here (the export against a sandbox with no limit), plus DEAR's own time
to gather the movements at 2.6 ms each (docs/dear-api.md §11.1: 3,400 movements in 9 s), four
pages at a time. Linux only (``/usr/bin/time -v``). Usage::

    python bench/stock_at_date.py                      # 10,000 products, 3 runs each
    python bench/stock_at_date.py --products 2000 --runs 1 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.api.estimate import estimate_seconds  # noqa: E402
from app.models import RateLimit  # noqa: E402
from app.sandbox import Sandbox, SandboxConfig  # noqa: E402
from app.sandbox.movements import ledger_of  # noqa: E402
from bench._sandbox_cli import sandbox_env  # noqa: E402

TODAY = date(2026, 11, 30)
DEAR_MS_PER_MOVEMENT = 9000 / 3400  # docs/dear-api.md §11.1
IN_FLIGHT = 4  # pages the client reads at once (the governor's default)
_RSS = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")
_WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*([\d:.]+)")
_ROWS = re.compile(r"Wrote ([\d,]+) rows")


def counts_for(products: int) -> dict[str, int]:
    """Document counts that give about 30 movements a product (measured: 28 to 31)."""
    scale = products / 10_000
    base = {
        "product": 10_000, "customer": 2_000, "supplier": 200, "sale": 65_000, "purchase": 30_000,
        "stockadjustment": 2_000, "stocktake": 1_000, "stocktransfer": 3_000, "inventorywriteoff": 1_000,
        "finishedgoods": 1_000, "disassembly": 500,
    }  # fmt: skip
    return {kind: max(1, round(count * scale)) for kind, count in base.items()}


def seconds_of(text: str) -> float:
    """Turn ``h:mm:ss`` or ``m:ss.ss`` into seconds."""
    total = 0.0
    for part in text.split(":"):
        total = total * 60 + float(part)
    return total


def measure(env: dict[str, str], out: Path, extra: tuple[str, ...]) -> dict[str, Any]:
    """Run one export under ``/usr/bin/time -v``; return its figures."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "app", "export", "--rate-limit", "100000/1"]
    command += ["--yes", "--no-cache", "--out", str(out), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"export failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    rss, elapsed, rows = _RSS.search(done.stderr), _WALL.search(done.stderr), _ROWS.search(done.stdout)
    out.unlink(missing_ok=True)
    return {
        "peak_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "seconds": round(seconds_of(elapsed.group(1)) if elapsed else wall, 2),
        "rows": int(rows.group(1).replace(",", "")) if rows else None,
        "summary": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (alternating); medians shown")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        raise SystemExit("This benchmark needs GNU time (/usr/bin/time -v); install the 'time' package.")
    counts = counts_for(args.products)
    as_of = (TODAY - timedelta(days=30)).isoformat()
    sides = {
        "baseline (products, no movements)": ("--endpoint", "products"),
        "stock-at-date": ("--endpoint", "stock-at-date", "--as-of", as_of),
    }
    config = SandboxConfig(seed=11, rate_limit=None, counts=counts, today=TODAY)
    log = sys.stderr if args.json else sys.stdout
    with Sandbox(config) as sb, tempfile.TemporaryDirectory(prefix="stock-at-date-") as folder:
        started = time.perf_counter()
        ledger = ledger_of(sb.dataset)
        movements = sum(len(moves) for moves in ledger.by_product.values())
        print(
            f"sandbox ledger: {movements:,} movements, {len(ledger.places()):,} product locations, "
            f"built in {time.perf_counter() - started:.1f} s",
            file=log,
            flush=True,
        )
        env = sandbox_env(sb, Path(folder) / "home")
        figures: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
        for run in range(args.runs):
            for side, extra in sides.items():
                sb.reset_counts()
                one = measure(env, Path(folder) / "out.xlsx", extra)
                one["requests"] = sb.total_calls
                one["calls"] = sb.call_counts()
                figures[side].append(one)
                print(f"run {run + 1} {side}: {one}", file=log, flush=True)
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "command": " ".join(sys.argv),
        "sandbox": {**counts, "movements": movements, "product_locations": len(ledger.places())},
        "runs": args.runs,
    }
    limit = RateLimit(60, 60)
    for side, runs in figures.items():
        requests = runs[0]["requests"]
        processing = statistics.median(r["seconds"] for r in runs)
        at_limit = estimate_seconds(requests, limit)
        dear = movements * DEAR_MS_PER_MOVEMENT / 1000 / IN_FLIGHT if side == "stock-at-date" else 0.0
        results[side] = {
            "requests": requests,
            "calls": runs[0]["calls"],
            "rows": runs[0]["rows"],
            "median_processing_seconds": processing,
            "processing_seconds": [r["seconds"] for r in runs],
            "median_peak_mb": statistics.median(r["peak_mb"] for r in runs),
            "peaks_mb": [r["peak_mb"] for r in runs],
            "requests_at_60_a_minute_seconds": round(at_limit, 1),
            "dear_gathering_movements_seconds": round(dear, 1),
            "time_at_dears_limit_seconds": round(at_limit + processing + dear, 1),
            "summary": runs[0]["summary"],
        }
        if not args.json:
            r = results[side]
            print(
                f"{side}: {requests} requests, median processing {processing} s, median peak "
                f"{r['median_peak_mb']} MB; at DEAR's limit about {r['time_at_dears_limit_seconds']} s "
                f"({r['requests_at_60_a_minute_seconds']} s of requests at 60/min + processing + "
                f"{r['dear_gathering_movements_seconds']} s for DEAR to gather the movements)"
            )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
