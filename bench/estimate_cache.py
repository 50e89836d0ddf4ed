"""Estimate benchmark: what the estimate announces against what the export then does, cold and warm.

Runs the export service in this process against a sandbox started here, with a limit scaled
down from DEAR's 60 requests a minute to ``--limit`` (default 60 every 2 seconds, so a cold
export of 1,000 sales takes about a minute rather than 17) and the same limit on the
connection, so estimated and measured seconds are comparable. Scenarios:

1. cold: empty cache; the estimate, then the export;
2. warm: the same export again, nothing changed (``--rounds`` times; times are medians);
3. changed: ``--touched`` sales changed in DEAR, then estimate and export.

For each: requests the estimate predicted against requests the export used (the export's one
extra request is the connection check), estimated against measured seconds, the estimate's
own requests and time, and what the estimate said before it counted the cache (the baseline:
the same estimate made without a cache, in the same run).

Usage::

    python bench/estimate_cache.py                     # 1,000 sales, 20 changed, 60 every 2 s
    python bench/estimate_cache.py --sales 2000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.api.estimate import estimate_seconds  # noqa: E402
from app.models import (  # noqa: E402
    CancelToken,
    Connection,
    ExportRequest,
    RateLimit,
    ReportRequest,
)
from app.sandbox import Sandbox, SandboxConfig  # noqa: E402
from app.services.cache import CacheService  # noqa: E402
from app.services.exporting import ExportService, describe_duration  # noqa: E402

REPORT = "sale-order-lines"
DEAR = RateLimit(60, 60.0)


def one_round(
    sb: Sandbox, cached: ExportService, uncached: ExportService, request: ExportRequest
) -> dict[str, Any]:
    """Estimate (with and without the cache), then export; count requests and time each step."""
    sb.reset_counts()
    started = time.perf_counter()
    estimate = cached.estimate(request, CancelToken())
    own_seconds = time.perf_counter() - started
    estimate_calls = sb.total_calls
    baseline = uncached.estimate(request, CancelToken())
    sb.reset_counts()
    started = time.perf_counter()
    result = cached.run(request, CancelToken())
    seconds = time.perf_counter() - started
    return {
        "estimate says": estimate.explanation,
        "estimated requests": estimate.calls,
        "export requests (incl. 1 connection check)": result.calls_used,
        "estimated seconds": round(estimate.seconds, 1),
        "measured seconds": round(seconds, 1),
        "estimated from cache": estimate.from_cache,
        "served from cache": result.from_cache,
        "estimate's own requests": estimate_calls,
        "estimate's own seconds": round(own_seconds, 2),
        "without the cache the estimate said": baseline.explanation,
        "at DEAR's 60 a minute, estimated": describe_duration(estimate_seconds(estimate.calls, DEAR)),
        "at DEAR's 60 a minute, without the cache": describe_duration(estimate_seconds(baseline.calls, DEAR)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--touched", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds (seconds: medians)")
    parser.add_argument("--limit", default="60/2", help="requests/seconds, on the sandbox and the connection")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    calls, window = args.limit.split("/")
    limit = RateLimit(int(calls), float(window))

    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        "sales": args.sales,
        "limit": f"{limit.calls} requests every {limit.seconds:g} s",
    }
    config = SandboxConfig(rate_limit=(limit.calls, limit.seconds), counts={"sale": args.sales})
    with tempfile.TemporaryDirectory(prefix="estimate-bench-") as tmp, Sandbox(config) as sb:
        os.environ["DEAR_EXPORT_HOME"] = tmp  # the shared request ledger goes there, not to the user's folder
        connection = Connection("Bench", sb.account_id, sb.application_key, sb.base_url, rate_limit=limit)
        request = ExportRequest(connection, (ReportRequest(REPORT),), Path(tmp) / "out.xlsx")
        cached = ExportService(cache=CacheService(Path(tmp) / "data"))
        uncached = ExportService(cache=None)
        results["cold"] = one_round(sb, cached, uncached, request)
        warm = [one_round(sb, cached, uncached, request) for _ in range(args.rounds)]
        results["warm (last round)"] = warm[-1]
        results["warm median measured seconds"] = statistics.median(r["measured seconds"] for r in warm)
        results["warm median estimate seconds (its own requests)"] = statistics.median(
            r["estimate's own seconds"] for r in warm
        )
        results["warm: predicted requests exact, every round"] = all(
            r["estimated requests"] + 1 == r["export requests (incl. 1 connection check)"] for r in warm
        )
        sb.touch("sale", args.touched)
        results[f"after {args.touched} changed"] = one_round(sb, cached, uncached, request)

    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            if isinstance(value, dict):
                print(f"{key}:")
                for name, figure in value.items():
                    print(f"    {name}: {figure}")
            else:
                print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
