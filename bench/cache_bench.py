"""Local cache benchmark: requests and time for first, repeat, changed, resumed and fresh exports.

Runs the real command line (``python -m app export``) against a sandbox started in this
process, which counts every request it answers. Scenarios, in order:

1. first export of sale order lines (empty cache);
2. repeat with nothing changed;
3. ``--rounds`` times: change ``--touched`` sales (``sb.touch``), repeat, then a fresh
   ``--no-cache`` export at the same moment: the two workbooks must be identical, row for row
   (times are the medians over the rounds);
4. an export cancelled (Ctrl+C) at half, then resumed;
5. an export killed outright (a crash) at half, then resumed.

Usage::

    python bench/cache_bench.py                 # 2,000 sales, 20 changed
    python bench/cache_bench.py --sales 300 --touched 5 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.api import estimate_seconds  # noqa: E402
from app.models import RateLimit  # noqa: E402
from app.sandbox import Sandbox, SandboxConfig  # noqa: E402
from app.services.exporting import describe_duration  # noqa: E402
from bench._sandbox_cli import sandbox_env  # noqa: E402

REPORT = "sale-order-lines"
ABOUT = "About this export"


def export(env: dict[str, str], out: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "app", "export", "--endpoint", REPORT, "--out", str(out)]
    command += ["--rate-limit", "100000/1", "--yes", *extra]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str], expect_ok: bool = True) -> int:
    out, err = process.communicate(timeout=900)
    if expect_ok and process.returncode != 0:
        raise SystemExit(f"export failed ({process.returncode}):\n{out}\n{err}")
    return process.returncode


def counted(sb: Sandbox) -> dict[str, int]:
    counts = sb.call_counts()
    return {
        "list pages": counts.get("salelist", 0),
        "product checks": counts.get("product", 0),
        "details": counts.get("sale", 0),
        "other": counts.get("_total", 0)
        - counts.get("salelist", 0)
        - counts.get("product", 0)
        - counts.get("sale", 0),
        "total": counts.get("_total", 0),
    }


def timed_export(sb: Sandbox, env: dict[str, str], out: Path, *extra: str) -> dict[str, Any]:
    sb.reset_counts()
    started = time.perf_counter()
    finish(export(env, out, *extra))
    return {"seconds": round(time.perf_counter() - started, 2), **counted(sb)}


def interrupted(
    sb: Sandbox, env: dict[str, str], out: Path, half: int, how: signal.Signals
) -> dict[str, Any]:
    """Start an export, stop it with ``how`` once ``half`` details were answered, and count."""
    sb.reset_counts()
    process = export(env, out)
    while sb.call_counts().get("sale", 0) < half and process.poll() is None:
        time.sleep(0.01)  # polling another process's progress: there is no event to wait on
    process.send_signal(how)
    code = finish(process, expect_ok=False)
    return {"exit status": code, **counted(sb)}


def data_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets if ws.title != ABOUT}
    finally:
        book.close()


def about_lines(path: Path) -> list[str]:
    book = load_workbook(path, read_only=True)
    try:
        return [
            " ".join(str(v) for v in row if v is not None) for row in book[ABOUT].iter_rows(values_only=True)
        ]
    finally:
        book.close()


def cache_size(home: Path) -> int:
    folder = home / "data" / "cache"
    return sum(p.stat().st_size for p in folder.iterdir()) if folder.is_dir() else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sales", type=int, default=2000)
    parser.add_argument("--touched", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="change-then-repeat rounds (times: medians)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added sandbox latency per request")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        "sales": args.sales,
        "touched": args.touched,
    }
    config = SandboxConfig(rate_limit=None, latency_ms=args.latency_ms, counts={"sale": args.sales})
    with tempfile.TemporaryDirectory(prefix="cache-bench-") as tmp, Sandbox(config) as sb:
        home = Path(tmp)
        env = sandbox_env(sb, home)
        results["first export"] = timed_export(sb, env, home / "first.xlsx")
        results["cache file bytes"] = cache_size(home)
        results["repeat, nothing changed"] = timed_export(sb, env, home / "same.xlsx")
        rounds: list[dict[str, Any]] = []
        for _ in range(args.rounds):
            sb.touch("sale", args.touched)
            repeat_run = timed_export(sb, env, home / "repeat.xlsx")
            fresh_run = timed_export(sb, env, home / "fresh.xlsx", "--no-cache")
            repeat, fresh = data_rows(home / "repeat.xlsx"), data_rows(home / "fresh.xlsx")
            rounds.append({"repeat": repeat_run, "fresh": fresh_run, "identical": repeat == fresh})
        results[f"repeat after {args.touched} changed (last round)"] = rounds[-1]["repeat"]
        results["fresh --no-cache at that moment (last round)"] = rounds[-1]["fresh"]
        results["rounds"] = args.rounds
        results["median seconds, repeat with cache"] = statistics.median(
            r["repeat"]["seconds"] for r in rounds
        )
        results["median seconds, fresh --no-cache"] = statistics.median(r["fresh"]["seconds"] for r in rounds)
        dear = RateLimit(60, 60.0)
        results["at DEAR's 60 requests a minute (estimated from the counts)"] = {
            "first export": describe_duration(estimate_seconds(results["first export"]["total"], dear)),
            "repeat after changes": describe_duration(estimate_seconds(rounds[-1]["repeat"]["total"], dear)),
        }
        results["detail requests per repeat, every round"] = [r["repeat"]["details"] for r in rounds]
        results["workbooks identical, every round"] = all(r["identical"] for r in rounds)
        results["rows compared per round"] = sum(len(rows) for rows in fresh.values())
        results["about sheet on the cache"] = [
            line for line in about_lines(home / "repeat.xlsx") if "cache" in line.lower()
        ]

        half = args.sales // 2
        for label, how in (("cancelled (Ctrl+C)", signal.SIGINT), ("killed (crash)", signal.SIGKILL)):
            finish(
                subprocess.Popen(
                    [sys.executable, "-m", "app", "cache", "clear"],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            stopped = interrupted(sb, env, home / "stopped.xlsx", half, how)
            resumed = timed_export(sb, env, home / "resumed.xlsx")
            results[f"{label} at half"] = stopped
            results[f"resume after {label}"] = resumed
            results[f"details over both runs, {label}"] = stopped["details"] + resumed["details"]
        results["resumed workbook identical to fresh"] = data_rows(home / "resumed.xlsx") == fresh

    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
