"""Workbook writer benchmark: our writer against raw openpyxl write-only ``ws.append``.

Speed: the same generated rows (20 mixed columns: text, codes, GUIDs, numbers, business
dates, timestamps, yes/no, a few formula-like strings, as DEAR sends them) are written by
- raw:   openpyxl write-only ``ws.append`` of the values as they come (dates stay text,
         "=..." becomes a formula: the floor, not a usable export);
- typed: the same ``ws.append`` of the values already typed before the clock starts (dates as
         datetimes): raw openpyxl doing the job our writer does;
- ours:  ``open_writer(...).add_sheet(...).write_row(...)``.
Each run is a fresh subprocess; runs are interleaved; medians of wall and CPU time are reported.
Memory: peak resident memory of one subprocess writing ``--memory-rows`` rows with our writer
(``resource.getrusage`` on POSIX; tracemalloc's peak on Windows, which counts Python objects only).

    .venv/bin/python bench/writer_bench.py --rows 200000 --runs 3 --memory-rows 1000000
    .venv/bin/python bench/writer_bench.py --rows 20000 --runs 1 --memory-rows 0    # quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.models import ColumnSpec, OutputFormat, ValueKind  # noqa: E402

K = ValueKind
COLUMNS = (
    ColumnSpec("SaleID", "Sale ID", K.ID),
    ColumnSpec("OrderNumber", "Order number", K.TEXT),
    ColumnSpec("Customer", "Customer", K.TEXT),
    ColumnSpec("Status", "Status", K.TEXT),
    ColumnSpec("OrderDate", "Order date", K.DATE),
    ColumnSpec("ShipBy", "Ship by", K.DATE),
    ColumnSpec("InvoiceDate", "Invoice date", K.DATE),
    ColumnSpec("Updated", "Last updated", K.DATETIME),
    ColumnSpec("SKU", "Product code", K.TEXT),
    ColumnSpec("Name", "Product name", K.TEXT),
    ColumnSpec("Quantity", "Quantity", K.QUANTITY),
    ColumnSpec("Price", "Price", K.MONEY),
    ColumnSpec("Discount", "Discount %", K.NUMBER),
    ColumnSpec("Tax", "Tax", K.MONEY),
    ColumnSpec("Total", "Total", K.MONEY),
    ColumnSpec("Lines", "Lines", K.INTEGER),
    ColumnSpec("Location", "Location", K.TEXT),
    ColumnSpec("Currency", "Currency", K.TEXT),
    ColumnSpec("IsActive", "Active", K.BOOL),
    ColumnSpec("Note", "Note", K.TEXT),
)
POOL = 1_000  # distinct rows, cycled, so generating rows costs next to nothing in either writer


def _pool(seed: int = 7) -> list[list[Any]]:
    rnd = random.Random(seed)
    names = ["Acme Ltd", "Müller GmbH", "Café Léa", "שלום בע״מ", "O'Brien & Sons", "李记"]
    notes = [
        "",
        None,
        "Deliver after 5pm",
        '=HYPERLINK("http://x")',
        "+44 20 7946 0000",
        "-fragile-",
        "@home",
    ]
    rows = []
    for n in range(POOL):
        day = f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        stamp = f"{day}T{rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}"
        fraction = rnd.choice([".917Z", ".75Z", ".9289846Z", "Z", ".05", ""])
        quantity = rnd.randint(1, 500)
        price = round(rnd.uniform(0.5, 900), 4)
        rows.append(
            [
                str(uuid.UUID(int=rnd.getrandbits(128))),
                f"SO-{n:05d}",
                rnd.choice(names),
                rnd.choice(["DRAFT", "AUTHORISED", "COMPLETED", "VOIDED"]),
                f"{day}T00:00:00",
                f"{day}T00:00:00",
                rnd.choice([f"{day}T00:00:00", None]),
                stamp + fraction,
                f"SKU-{rnd.randint(1, 9999):04d}",
                "Widget " + "x" * rnd.randint(0, 30),
                quantity,
                price,
                rnd.choice([0, 5, 12.5]),
                round(price * quantity * 0.15, 4),
                round(price * quantity * 1.15, 4),
                rnd.randint(1, 40),
                rnd.choice(["Main Warehouse", "Shop", "Bin A-01"]),
                rnd.choice(["USD", "EUR", "NZD"]),
                rnd.choice([True, False, "true", "false"]),
                rnd.choice(notes),
            ]
        )
    return rows


def _typed_pool() -> list[list[Any]]:
    """The same rows already typed (dates as datetimes, ...), so raw openpyxl does the same job."""
    from app.export.values import xlsx_converter

    converters = [xlsx_converter(column.kind) for column in COLUMNS]
    return [[convert(value) for convert, value in zip(converters, row, strict=True)] for row in _pool()]


def _rows(count: int, pool: list[list[Any]]) -> Iterator[list[Any]]:
    for n in range(count):
        yield pool[n % POOL]


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows
        import tracemalloc

        return tracemalloc.get_traced_memory()[1] / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3  # bytes on macOS, KiB on Linux


def _child(mode: str, rows: int, out: Path) -> dict[str, float]:
    if not _has("resource"):  # Windows: fall back to tracemalloc, started before any work
        import tracemalloc

        tracemalloc.start()
    pool = _typed_pool() if mode == "typed" else _pool()  # made before the clock starts
    start, cpu_start = time.perf_counter(), time.process_time()
    if mode in ("raw", "typed"):
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Sales")
        ws.append([c.header for c in COLUMNS])
        for row in _rows(rows, pool):
            ws.append(row)
        wb.save(out)
    else:
        from app.export import open_writer

        with open_writer(out, OutputFormat.XLSX) as writer:
            sheet = writer.add_sheet("Sales", COLUMNS)
            for row in _rows(rows, pool):
                sheet.write_row(row)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu_start,
        "peak_mb": _peak_mb(),
        "bytes": out.stat().st_size,
    }


def _run(mode: str, rows: int, folder: Path) -> dict[str, float]:
    out = folder / f"{mode}-{rows}.xlsx"
    command = [sys.executable, __file__, "--child", mode, "--rows", str(rows), "--out", str(out)]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    out.unlink(missing_ok=True)
    return dict(json.loads(result.stdout))


def _machine() -> str:
    import openpyxl

    lxml = "installed" if _has("lxml") else "not installed"
    return (
        f"nproc {os.cpu_count()}; {platform.platform()}; {' '.join(platform.uname())}; "
        f"Python {platform.python_version()}; openpyxl {openpyxl.__version__}; lxml {lxml}"
    )


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000, help="rows for the speed comparison")
    parser.add_argument("--runs", type=int, default=3, help="runs of each writer (the median is reported)")
    parser.add_argument(
        "--memory-rows", type=int, default=1_000_000, help="rows for the memory run; 0 skips it"
    )
    parser.add_argument("--child", choices=["raw", "typed", "ours"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(_child(args.child, args.rows, args.out)))
        return

    print(f"machine: {_machine()}")
    print(f"columns: {len(COLUMNS)}; rows: {args.rows:,}; runs: {args.runs}", flush=True)
    with tempfile.TemporaryDirectory(prefix="writer-bench-") as tmp:
        folder = Path(tmp)
        modes = ("raw", "typed", "ours")
        wall: dict[str, list[float]] = {mode: [] for mode in modes}
        cpu: dict[str, list[float]] = {mode: [] for mode in modes}
        for run in range(args.runs):
            for mode in modes:  # interleaved, so changing load on the machine hits each alike
                result = _run(mode, args.rows, folder)
                wall[mode].append(result["seconds"])
                cpu[mode].append(result["cpu_seconds"])
                print(
                    f"run {run + 1} {mode:5}: {result['seconds']:.1f} s wall, "
                    f"{result['cpu_seconds']:.1f} s CPU, peak {result['peak_mb']:.0f} MB",
                    flush=True,
                )
        for label, numbers in (("wall", wall), ("CPU", cpu)):
            medians = {mode: statistics.median(numbers[mode]) for mode in modes}
            print(
                f"median {label}: raw {medians['raw']:.1f} s, typed {medians['typed']:.1f} s, "
                f"ours {medians['ours']:.1f} s ({args.rows / medians['ours']:,.0f} rows/s); "
                f"ours at {medians['raw'] / medians['ours']:.0%} of raw, "
                f"{medians['typed'] / medians['ours']:.0%} of typed",
                flush=True,
            )
        if args.memory_rows:
            # A tenth of the rows first: flat memory means the same peak for ten times the rows.
            for mode, rows in (
                ("ours", args.memory_rows // 10),
                ("ours", args.memory_rows),
                ("raw", args.memory_rows),
            ):
                result = _run(mode, rows, folder)
                print(
                    f"memory {mode:4} {rows:,} rows: peak {result['peak_mb']:.0f} MB, "
                    f"{result['seconds']:.0f} s, file {result['bytes'] / 1e6:.0f} MB",
                    flush=True,
                )


if __name__ == "__main__":
    main()
