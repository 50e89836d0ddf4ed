"""Export service benchmark: time and peak memory of whole exports through the command line.

Each scenario runs ``python -m app export`` in its own process against a sandbox started in
this process (no API limit, no latency, so the figures are about our own work: paging,
sorting, flattening and writing, not DEAR's pacing). Peak memory is the export process's
maximum resident set size, read with ``os.wait4`` (POSIX only).

Scenarios:

1. ``products`` with every child sheet (suppliers, reorder levels, bill of materials): a plain
   list that is sorted before writing, so all of it is held at once;
2. ``sale-order-lines``: one detail request per sale, rows written as the details arrive;
3. ``product-availability``: small pages (100 records a page).

Usage::

    python bench/export_bench.py                          # 20,000 products, 2,000 sales
    python bench/export_bench.py --products 100000 --sales 5000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.sandbox import Sandbox, SandboxConfig  # noqa: E402
from bench._sandbox_cli import run_waited, sandbox_env  # noqa: E402


def run_export(env: dict[str, str], out: Path, *args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "app", "export", "--rate-limit", "100000/1", "--yes", "--no-cache"]
    command += ["--out", str(out), *args]
    done = run_waited(command, env)
    if done.code != 0:
        raise SystemExit(f"export failed ({done.code}):\n{done.stdout}\n{done.stderr}")
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    peak = done.maxrss * (1 if sys.platform == "darwin" else 1024)
    return {
        "seconds": round(done.seconds, 2),
        "peak_mb": round(peak / 2**20, 1),
        "summary": done.stdout.strip(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--sales", type=int, default=2_000)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    config = SandboxConfig(
        size="medium", rate_limit=None, counts={"product": args.products, "sale": args.sales}, seed=11
    )
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "products": args.products,
        "sales": args.sales,
    }
    with Sandbox(config) as sb, tempfile.TemporaryDirectory() as folder:
        env = sandbox_env(sb, folder)
        scenarios = {
            "products with child sheets": ("--endpoint", "products", "--include-children"),
            "sale order lines": ("--endpoint", "sale-order-lines"),
            "stock on hand by location": ("--endpoint", "product-availability"),
        }
        for name, extra in scenarios.items():
            sb.reset_counts()
            figures = run_export(env, Path(folder) / f"{name}.xlsx", *extra)
            figures["requests"] = sb.total_calls
            results[name] = figures
            if not args.json:
                print(
                    f"{name}: {figures['seconds']} s, peak {figures['peak_mb']} MB, "
                    f"{figures['requests']:,} requests - {figures['summary']}"
                )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
