"""Refreshing a living workbook against a plain export of the same report: time and peak memory.

The report is ``customers`` (a list report: 100 pages of 1,000 from the sandbox, no detail
requests, so the figures are about our own work: paging, sorting, writing, and for the refresh the
package work). The workbook also holds a sheet of the user's with 20,000 rows (10 columns, text,
numbers, dates and a formula per row) and an Excel table over it, which a refresh must carry over
byte for byte. Each run is its own ``python -m app`` process under ``/usr/bin/time -v`` against one
sandbox started here (no API limit, no latency); plain exports and refreshes alternate.

Linux only (``/usr/bin/time -v``). Usage::

    python bench/refresh_workbook.py                       # 100,000 customers, 3 runs each
    python bench/refresh_workbook.py --rows 20000 --runs 1 --json
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
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.sandbox import Sandbox, SandboxConfig  # noqa: E402
from bench._sandbox_cli import sandbox_env  # noqa: E402

_RSS = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")
_WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*([\d:.]+)")


def seconds_of(text: str) -> float:
    """Turn ``h:mm:ss`` or ``m:ss.ss`` into seconds."""
    total = 0.0
    for part in text.split(":"):
        total = total * 60 + float(part)
    return total


def user_workbook(path: Path, rows: int) -> None:
    """Write a workbook of the user's: one sheet of ``rows`` rows under a table, with formulas."""
    from openpyxl import Workbook
    from openpyxl.worksheet.table import Table, TableColumn

    book = Workbook(write_only=True)
    sheet = book.create_sheet("My figures")
    sheet.append(["Region", "Item", "Units", "Price", "Total", "Day", "Note", "A", "B", "C"])
    start = datetime(2026, 1, 1)
    for n in range(2, rows + 2):
        sheet.append(
            [
                f"Region {n % 7}",
                f"Item {n}",
                n % 50,
                1.25 * (n % 13),
                f"=C{n}*D{n}",
                start + timedelta(days=n % 300),
                f"note {n}",
                n,
                n * 2,
                n * 3,
            ]
        )
    headers = ["Region", "Item", "Units", "Price", "Total", "Day", "Note", "A", "B", "C"]
    columns = [TableColumn(id=i, name=name) for i, name in enumerate(headers, 1)]
    sheet.add_table(Table(displayName="MyFigures", ref=f"A1:J{rows + 1}", tableColumns=columns))
    book.save(path)


def run(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run one ``python -m app`` command under ``/usr/bin/time -v``; return wall time and peak RSS."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "app", *args, "--rate-limit", "100000/1", "--yes"]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    rss, wall = _RSS.search(done.stderr), _WALL.search(done.stderr)
    assert rss is not None and wall is not None
    return {"seconds": seconds_of(wall.group(1)), "rss_mb": int(rss.group(1)) / 1024}


def main() -> int:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="customers in the report")
    parser.add_argument("--user-rows", type=int, default=20_000, help="rows of the user's own sheet")
    parser.add_argument("--runs", type=int, default=3, help="runs of each")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    config = SandboxConfig(size="small", seed=1, rate_limit=None, counts={"customer": args.rows})
    with Sandbox(config) as sb, tempfile.TemporaryDirectory(prefix="refresh-bench-") as folder:
        base = Path(folder)
        env = sandbox_env(sb, base / "home", PYTHONDONTWRITEBYTECODE="1")
        book = base / "living.xlsx"
        user_workbook(book, args.user_rows)
        run(env, "export", "--endpoint", "customers", "--into", str(book))
        with zipfile.ZipFile(book) as archive:
            user_part = archive.read("xl/worksheets/sheet1.xml")
        plain, refresh = [], []
        for _ in range(args.runs):
            plain.append(
                run(env, "export", "--endpoint", "customers", "--no-cache", "--out", str(base / "plain.xlsx"))
            )
            refresh.append(run(env, "refresh", str(book), "--no-cache"))
        with zipfile.ZipFile(book) as archive:
            assert archive.read("xl/worksheets/sheet1.xml") == user_part, "the user's sheet changed"
        sizes = {
            "plain_mb": (base / "plain.xlsx").stat().st_size / 1e6,
            "workbook_mb": book.stat().st_size / 1e6,
        }
    figures = {
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "rows": args.rows,
        "user_rows": args.user_rows,
        "runs": args.runs,
        "plain_seconds": statistics.median(r["seconds"] for r in plain),
        "refresh_seconds": statistics.median(r["seconds"] for r in refresh),
        "plain_rss_mb": max(r["rss_mb"] for r in plain),
        "refresh_rss_mb": max(r["rss_mb"] for r in refresh),
        **sizes,
    }
    figures["ratio"] = figures["refresh_seconds"] / figures["plain_seconds"]
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:>16}: {value:.2f}" if isinstance(value, float) else f"{key:>16}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
