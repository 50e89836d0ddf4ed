"""Peak memory of big exports: this branch against a baseline, measured with ``/usr/bin/time -v``.

Each export runs as ``python -m app export`` in its own process against one sandbox started in
this process (size ``large`` unless told otherwise, no API limit, no latency), so the figures are
about our own work: paging, sorting, writing. The baseline is another commit's ``app`` package
(``main`` by default), unpacked with ``git archive`` into a temporary folder and measured in the
same run, alternating with this branch, against the same sandbox.

Scenarios:

* ``products``: every product with its child sheets (supplier prices, reorder levels, bill of
  materials...), a list report that must be sorted before it is written;
* ``sale-lines``: one detail request per sale, one row per order line (a line report, whose
  summary list is sorted before the details are read).

Linux only (``/usr/bin/time -v``). Usage::

    python bench/export_memory.py                                  # products, 3 runs each
    python bench/export_memory.py --scenario sale-lines --runs 1 --json
    python bench/export_memory.py --baseline-ref 17953f7 --products 20000
    python bench/export_memory.py --products 66000 --env MALLOC_MMAP_THRESHOLD_=131072
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
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.sandbox import Sandbox, SandboxConfig  # noqa: E402

SCENARIOS: dict[str, tuple[str, ...]] = {
    "products": ("--endpoint", "products", "--include-children"),
    "sale-lines": ("--endpoint", "sale-order-lines"),
}
_RSS = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")
_WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*([\d:.]+)")
_ROWS = re.compile(r"Wrote ([\d,]+) rows")


def unpack(ref: str, folder: Path) -> Path:
    """Unpack ``app/`` of commit ``ref`` into ``folder``; return the folder (a PYTHONPATH)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "app"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def seconds_of(text: str) -> float:
    """Turn ``h:mm:ss`` or ``m:ss.ss`` into seconds."""
    total = 0.0
    for part in text.split(":"):
        total = total * 60 + float(part)
    return total


def measure(code: Path, env: dict[str, str], out: Path, extra: tuple[str, ...]) -> dict[str, Any]:
    """Run one export of ``code``'s app under ``/usr/bin/time -v``; return its figures."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "app", "export", "--rate-limit", "100000/1"]
    command += ["--yes", "--no-cache", "--out", str(out), *extra]
    child_env = dict(env, PYTHONPATH=str(code), PYTHONDONTWRITEBYTECODE="1")
    started = time.perf_counter()
    done = subprocess.run(command, env=child_env, cwd=code, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"export failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    sheets = rows_by_sheet(out)
    rss = _RSS.search(done.stderr)
    elapsed = _WALL.search(done.stderr)
    rows = _ROWS.search(done.stdout)
    out.unlink(missing_ok=True)
    return {
        "peak_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "seconds": round(seconds_of(elapsed.group(1)) if elapsed else wall, 1),
        "rows_main_sheet": int(rows.group(1).replace(",", "")) if rows else None,
        "rows_all_sheets": sum(sheets.values()),
        "rows_by_sheet": sheets,
        "summary": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
    }


def rows_by_sheet(path: Path) -> dict[str, int]:
    """Read the rows of every sheet from the workbook's About sheet (the data sheets are not read)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        about = book["About this export"]
        found: dict[str, int] = {}
        for row in about.iter_rows(values_only=True):
            item = str(row[0] or "")
            if item.startswith("Rows in sheet ") and len(row) > 1:
                found[item.removeprefix("Rows in sheet ")] = int(str(row[1]).replace(",", ""))
        return found
    finally:
        book.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (alternating); medians shown")
    parser.add_argument("--baseline-ref", default="main", help="the commit to compare with (default: main)")
    parser.add_argument("--size", default="large", choices=("small", "medium", "large"))
    parser.add_argument("--products", type=int, help="override the sandbox's product count")
    parser.add_argument("--sales", type=int, help="override the sandbox's sale count")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for both sides' exports (e.g. MALLOC_MMAP_THRESHOLD_=131072)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        raise SystemExit("This benchmark needs GNU time (/usr/bin/time -v); install the 'time' package.")

    counts = {k: v for k, v in (("product", args.products), ("sale", args.sales)) if v}
    config = SandboxConfig(size=args.size, seed=11, rate_limit=None, counts=counts or None)
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "sandbox": {"size": args.size, **counts},
        "baseline_ref": args.baseline_ref,
        "runs": args.runs,
        "command": " ".join(sys.argv),
        "env": args.env,
    }
    with Sandbox(config) as sb, tempfile.TemporaryDirectory(prefix="export-memory-") as folder:
        base = unpack(args.baseline_ref, Path(folder) / "baseline")
        env = dict(
            os.environ,
            DEAR_ACCOUNT_ID=sb.account_id,
            DEAR_APPLICATION_KEY=sb.application_key,
            DEAR_BASE_URL=sb.base_url,
            DEAR_EXPORT_HOME=str(Path(folder) / "home"),
        )
        env.update(pair.split("=", 1) for pair in args.env)
        sides = {"baseline": base, "branch": ROOT}
        for scenario in args.scenario or ["products"]:
            figures: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
            for run in range(args.runs):
                for side, code in sides.items():
                    sb.reset_counts()
                    one = measure(code, env, Path(folder) / f"{scenario}-{side}.xlsx", SCENARIOS[scenario])
                    one["requests"] = sb.total_calls
                    figures[side].append(one)
                    print(
                        f"{scenario} run {run + 1} {side}: peak {one['peak_mb']} MB, {one['seconds']} s, "
                        f"{one['rows_all_sheets']:,} rows in all sheets",
                        file=sys.stderr if args.json else sys.stdout,
                        flush=True,
                    )
            summary: dict[str, Any] = {}
            for side, runs in figures.items():
                summary[side] = {
                    "median_peak_mb": statistics.median(r["peak_mb"] for r in runs),
                    "median_seconds": statistics.median(r["seconds"] for r in runs),
                    "peaks_mb": [r["peak_mb"] for r in runs],
                    "seconds": [r["seconds"] for r in runs],
                    "requests": runs[0]["requests"],
                    "rows_all_sheets": runs[0]["rows_all_sheets"],
                    "rows_by_sheet": runs[0]["rows_by_sheet"],
                    "summary": runs[0]["summary"],
                }
                if not args.json:
                    print(
                        f"{scenario} {side}: median peak {summary[side]['median_peak_mb']} MB, "
                        f"median {summary[side]['median_seconds']} s; {summary[side]['summary']}"
                    )
            results[scenario] = summary
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
