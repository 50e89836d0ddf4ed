"""Several companies in one export: do two companies take about as long as one?

Each company is a sandbox of its own (its own seed, so its own Account ID and key, so its own
budget), all of the same size, each with a compressed limit (30 calls / 3 s by default). Each
scenario exports ``sale-order-lines`` (one list page, then one detail request per sale) from 1, 2
and 4 companies in one workbook, in a child process (``python -m``-like, so the export's own
threads and the sandboxes' threads do not share an interpreter), and reports:

* elapsed time, median of ``--repeat`` runs, and its ratio to one company (target: 2 companies
  at most 1.2x one);
* requests each sandbox answered, and throttled answers (target: none);
* the child's peak resident memory: its own high-water mark (``VmHWM`` in /proc/self/status,
  read by the child as it ends; Linux). ``os.wait4``'s ``ru_maxrss`` is shown beside it but is
  NOT the export's: Linux keeps the high-water mark across ``exec``, so a child started by this
  parent (which holds every sandbox's generated records) starts with the parent's resident size.

``--memory`` adds a second set without any limit: ``products`` of ``--products`` records per
company, for each count of ``--memory-companies`` (1, 2 and 4 by default), to show what reading
several companies at once costs in memory.

``--baseline-in-flight N`` runs every several-company scenario a second time with N requests in
flight per company (4: as before the bound ``SEVERAL_IN_FLIGHT``), right after the runs with the
current bound, so both are measured in the same run on the same machine load.

Run:  .venv/bin/python bench/companies.py [--sales 120] [--calls 30] [--seconds 3] [--repeat 3] [--memory]
      [--memory-companies 1,2,4] [--baseline-in-flight 4]
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

from app.sandbox import Sandbox, SandboxConfig  # noqa: E402
from bench._sandbox_cli import run_waited  # noqa: E402


def child(spec: dict[str, Any]) -> None:
    """Run in the child process: one export of every company given; print what it did."""
    from app.main import tune_allocator
    from app.models import CancelToken, Connection, ExportRequest, RateLimit, ReportRequest
    from app.services.exporting import ExportService, companies

    if spec.get("in_flight"):
        companies.SEVERAL_IN_FLIGHT = int(spec["in_flight"])  # the baseline: the bound of before
    tune_allocator()  # as the command line and the window do at start-up (app.main.run)

    limit = RateLimit(spec["calls"], spec["seconds"])
    connections = [
        Connection(f"Company {n}", account, key, base_url=url, rate_limit=limit)
        for n, (url, account, key) in enumerate(spec["companies"], 1)
    ]
    request = ExportRequest.for_companies(
        connections,
        reports=(ReportRequest(spec["report"]),),
        output=Path(spec["out"]),
        use_cache=False,
    )
    started = time.perf_counter()
    result = ExportService(cache=None).run(request, CancelToken())
    seconds = time.perf_counter() - started
    rows = sum(sheet.rows for sheet in result.sheets)
    answer = {"seconds": seconds, "rows": rows, "calls": result.calls_used, "hwm_mb": own_peak_mb()}
    print(json.dumps(answer), flush=True)


def own_peak_mb() -> float | None:
    """Return this process's own peak resident memory (Linux VmHWM, reset by exec), or None."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run_child(spec: dict[str, Any], home: Path) -> dict[str, Any]:
    env = dict(os.environ, DEAR_EXPORT_HOME=str(home), PYTHONPATH=str(ROOT))
    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    done = run_waited(command, env)
    if done.code != 0:
        raise SystemExit(f"child failed:\n{done.stderr}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    answer["process_seconds"] = done.seconds
    answer["wait4_maxrss_mb"] = done.maxrss / 1024  # KB on Linux; includes the parent's, see above
    answer["peak_rss_mb"] = (
        answer["hwm_mb"] if answer.get("hwm_mb") is not None else answer["wait4_maxrss_mb"]
    )
    return answer


def scenario(
    sandboxes: list[Sandbox],
    count: int,
    args: argparse.Namespace,
    report: str,
    limit: tuple[int, float],
    home: Path,
    in_flight: int = 0,
) -> dict[str, Any]:
    used = sandboxes[:count]
    runs = []
    for attempt in range(args.repeat):
        # The sandboxes' windows still hold the previous run's calls, which a new process (with a
        # ledger of its own) cannot know about: wait one window so every run starts fresh.
        time.sleep(limit[1] + 0.5 if limit[0] < 10_000 else 0)
        for sb in used:
            sb.reset_counts()
        spec = {
            "companies": [(sb.base_url, sb.account_id, sb.application_key) for sb in used],
            "calls": limit[0],
            "seconds": limit[1],
            "report": report,
            "out": str(home / f"{report}-{count}-{attempt}-{in_flight}.xlsx"),
            "in_flight": in_flight,
        }
        answer = run_child(spec, home / f"home-{count}-{attempt}-{in_flight}")
        answer["requests"] = [sb.total_calls for sb in used]
        answer["throttled"] = sum(sb.throttled_count for sb in used)
        runs.append(answer)
    return {
        "companies": count,
        "in_flight": in_flight or "current",
        "report": report,
        "seconds_median": statistics.median(run["seconds"] for run in runs),
        "seconds_all": [round(run["seconds"], 2) for run in runs],
        "rows": runs[0]["rows"],
        "requests_per_company": runs[0]["requests"],
        "throttled": sum(run["throttled"] for run in runs),
        "peak_rss_mb_median": statistics.median(run["peak_rss_mb"] for run in runs),
        "wait4_maxrss_mb_median": statistics.median(run["wait4_maxrss_mb"] for run in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--sales", type=int, default=120)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", action="store_true", help="also measure memory without a limit")
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--skip-limited", action="store_true", help="only the --memory set")
    parser.add_argument("--memory-companies", default="1,2,4", help="company counts of the --memory set")
    parser.add_argument(
        "--baseline-in-flight", type=int, default=0, help="also run several companies with N in flight each"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-companies-") as folder:
        home = Path(folder)
        limited = [
            Sandbox(
                SandboxConfig(
                    seed=100 + n,
                    size="small",
                    rate_limit=(args.calls, args.seconds),
                    counts={"sale": args.sales},
                )
            ).start()
            for n in range(4)
        ]
        try:
            for count in () if args.skip_limited else (1, 2, 4):
                for in_flight in variants(args, count):
                    results.append(
                        scenario(
                            limited,
                            count,
                            args,
                            "sale-order-lines",
                            (args.calls, args.seconds),
                            home,
                            in_flight,
                        )
                    )
        finally:
            for sb in limited:
                sb.stop()
        if args.memory:
            counts = [int(n) for n in args.memory_companies.split(",")]
            free = [
                Sandbox(
                    SandboxConfig(
                        seed=200 + n, size="small", rate_limit=None, counts={"product": args.products}
                    )
                ).start()
                for n in range(max(counts))
            ]
            try:
                for count in counts:
                    for in_flight in variants(args, count):
                        results.append(
                            scenario(free, count, args, "products", (100_000, 1.0), home, in_flight)
                        )
            finally:
                for sb in free:
                    sb.stop()

    base = {r["report"]: r["seconds_median"] for r in results if r["companies"] == 1}
    for r in results:
        r["ratio_to_one"] = round(r["seconds_median"] / base[r["report"]], 3)
    if args.json:
        print(json.dumps({"machine": platform.platform(), "results": results}, indent=2))
        return
    limit = f"{args.calls}/{args.seconds:g} s"
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs; limit {limit} per key")
    for r in results:
        print(
            f"{r['report']:<17} {r['companies']} compan{'y' if r['companies'] == 1 else 'ies'} "
            f"(in flight each: {r['in_flight']}): "
            f"median {r['seconds_median']:.2f} s {r['seconds_all']} ratio {r['ratio_to_one']:.2f}x; "
            f"rows {r['rows']:,}; requests per company {r['requests_per_company']}; "
            f"throttled {r['throttled']}; peak RSS {r['peak_rss_mb_median']:.0f} MB "
            f"(wait4, with the parent's: {r['wait4_maxrss_mb_median']:.0f} MB)"
        )


def variants(args: argparse.Namespace, count: int) -> list[int]:
    """In-flight settings to run: the current bound (0), and the baseline's for several companies."""
    return [0, args.baseline_in_flight] if args.baseline_in_flight and count > 1 else [0]


if __name__ == "__main__":
    main()
