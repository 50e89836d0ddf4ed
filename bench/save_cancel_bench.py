"""The save's cost with a cancel token (sheets copied into the zip a megabyte at a time) and without.

    PYTHONPATH=. .venv/bin/python bench/save_cancel_bench.py

Writes a 60,000-row, 10-column sheet three times each way, alternating, and prints the CPU
seconds of ``commit()`` (finishing the sheet and writing the .xlsx), medians last.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from app.export import open_writer
from app.models import CancelToken, ColumnSpec, OutputFormat, ValueKind

ROWS = 60_000


def main() -> None:
    """Measure and print."""
    columns = [ColumnSpec(f"c{i}", f"C{i}", ValueKind.TEXT) for i in range(10)]
    seconds: dict[str, list[float]] = {"without": [], "with": []}
    folder = Path(tempfile.mkdtemp())
    for _ in range(3):
        for kind in seconds:
            cancel = CancelToken() if kind == "with" else None
            writer = open_writer(folder / f"{kind}.xlsx", OutputFormat.XLSX, cancel=cancel)
            sheet = writer.add_sheet("S", columns)
            for n in range(ROWS):
                sheet.write_row([f"value {n} {i}" for i in range(10)])
            started = time.process_time()
            writer.commit()
            seconds[kind].append(time.process_time() - started)
    for kind, runs in seconds.items():
        shown = ", ".join(f"{value:.2f}" for value in runs)
        print(f"{kind} a cancel token: commit CPU {shown} s; median {statistics.median(runs):.2f} s")


if __name__ == "__main__":
    main()
