"""Command line: ``refresh`` runs again every report a workbook records, in place.

``dear-export refresh WORKBOOK.xlsx`` re-runs the reports that ``export --into`` (or a plain
``export``) wrote into the workbook, with their filters as chosen (a relative date range such as
last month is worked out for today), and replaces their data; snapshot reports add today's rows.
Everything else in the workbook stays as it was. Exit statuses as for ``export``.

Credentials: ``--connection NAME``, else the connection the workbook records when it is saved on
this computer, else the ``DEAR_ACCOUNT_ID`` and ``DEAR_APPLICATION_KEY`` environment variables.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.export_cmd import (
    ENV_ACCOUNT_ID,
    ENV_APPLICATION_KEY,
    ProgressPrinter,
    _announce_cancel,
    _confirm,
    default_service,
    incomplete_reason,
    resolve_connection,
    summary_line,
    vanished_lines,
)
from app.cli.signals import cancel_on_signals
from app.errors import EXIT_CANCELLED, EXIT_INCOMPLETE, EXIT_OK
from app.models import CancelToken

if TYPE_CHECKING:
    from app.services.exporting import ExportService


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``refresh`` sub-command."""
    parser = subparsers.add_parser(
        "refresh",
        help="run again every report a workbook holds, keeping everything else in it",
        description="Refresh the DEAR reports in a workbook written with 'export --into' (or 'export'): "
        "each runs again with the filters it was written with (a range such as last month is worked "
        "out for today) and its sheet is replaced; snapshot sheets gain today's rows. Your own sheets, "
        "formulas, charts and pivot tables stay as they were. Credentials: --connection NAME, else the "
        f"workbook's own connection when it is saved here, else {ENV_ACCOUNT_ID} and "
        f"{ENV_APPLICATION_KEY}. Exit status as for 'export'.",
    )
    parser.add_argument("workbook", metavar="WORKBOOK", help="the workbook to refresh (.xlsx or .xlsm)")
    parser.add_argument("--connection", metavar="NAME", help="use this saved connection")
    parser.add_argument("--base-url", metavar="URL", help="DEAR's API address (default: DEAR's)")
    parser.add_argument(
        "--rate-limit", metavar="CALLS/SECONDS", help="this refresh's share of DEAR's API limit, e.g. 60/60"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="fetch every record from DEAR again (refreshing the local cache)",
    )
    parser.add_argument("--yes", action="store_true", help="do not ask before a long refresh")
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug logging on standard error")
    parser.set_defaults(handler=run)


def _saved_connection_names() -> list[str]:
    from app.wiring import user_services  # lazy: only when the workbook names a connection

    return list(user_services().connections.names())


def run(args: argparse.Namespace, service: ExportService | None = None) -> int:
    """Refresh the workbook as the arguments say; errors propagate as AppErrors."""
    from app.services.workbooks.refresh import read_record, recorded_connection, refresh_request

    path = Path(args.workbook).expanduser()
    record = read_record(path)
    if not args.connection:
        recorded = recorded_connection(record)
        if recorded and recorded in _saved_connection_names():
            args.connection = recorded
    connection = resolve_connection(args)
    request = refresh_request(path, record, connection, use_cache=not args.no_cache)
    service = service or default_service()
    cancel = CancelToken()
    printer = ProgressPrinter(sys.stderr)
    with cancel_on_signals(cancel, _announce_cancel):
        if not args.yes and sys.stdin.isatty() and not _confirm(service, request, cancel):
            print("Nothing was refreshed.", file=sys.stderr)
            return EXIT_CANCELLED
        result = service.run(request, cancel, printer.show)
    print(summary_line(request, result), flush=True)
    for line in vanished_lines(result):
        print(line, file=sys.stderr)
    if not result.complete:
        print(f"Error: the refresh is incomplete. {incomplete_reason(result)}", file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_OK
