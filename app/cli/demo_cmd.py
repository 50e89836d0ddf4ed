"""``demo``: the app's main job on the built-in demo company, without a window.

Starts the simulated DEAR account, exports last month's sale order lines (or what the options
say) into the Documents folder and says where the workbook is. It is what ``scripts/demo.py``
runs on a computer with no screen, and a quick way to see what an export looks like.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from app.models import CancelToken, ExportRequest, OutputFormat, ReportRequest


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``demo`` sub-command."""
    parser = subparsers.add_parser(
        "demo",
        help="export from the built-in demo company (no DEAR account needed) and say where the file is",
        description="Start the built-in demo company (made-up data on this computer) and export "
        "from it, as the window would.",
    )
    parser.add_argument(
        "--endpoint",
        dest="endpoints",
        action="append",
        metavar="KEY",
        help="report key (default: sale-order-lines; repeat for several)",
    )
    parser.add_argument(
        "--dates", default="last-month", metavar="RANGE", help="date range (default: last-month)"
    )
    parser.add_argument("--out", metavar="PATH", help="where to write (default: your Documents folder)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the demo export; errors propagate as AppErrors (the dispatcher maps exit codes)."""
    # Imported here so that other commands (and --version) do not load the sandbox or openpyxl.
    from app import catalogue, dates
    from app.cli.export_cmd import ProgressPrinter, summary_line
    from app.cli.signals import cancel_on_signals
    from app.paths import documents_dir
    from app.services.demo import DemoSession
    from app.services.exporting import ExportService
    from app.services.presets import apply_date_range

    keys = [catalogue.get(key).key for key in (args.endpoints or ["sale-order-lines"])]
    window = dates.resolve(args.dates, date.today())
    if args.out:
        out = Path(args.out).expanduser()
    else:
        first = catalogue.get(keys[0]).label
        end = window.end or date.today()
        folder = documents_dir()
        folder.mkdir(parents=True, exist_ok=True)  # a fresh server account may have no Documents yet
        out = folder / f"{first} {window.start:%Y-%m-%d} to {end:%Y-%m-%d} (demo).xlsx"
    reports = tuple(apply_date_range(ReportRequest(key), window) for key in keys)
    print("Starting the demo company (made-up data on this computer)...", file=sys.stderr)
    with DemoSession() as demo:
        connection = demo.start()
        request = ExportRequest(connection, reports, out, OutputFormat.XLSX, use_cache=False)
        printer = ProgressPrinter(sys.stderr)
        cancel = CancelToken()
        with cancel_on_signals(cancel, _announce_cancel):
            result = ExportService(cache=None).run(request, cancel, printer.show)
    print(summary_line(request, result))
    print(f"Open it in Excel: {result.files[0]}")
    return 0


def _announce_cancel() -> None:
    print("\nCancelling…", file=sys.stderr, flush=True)
