"""Command line: ``refresh`` runs again every report a workbook records, in place.

``dear-export refresh WORKBOOK.xlsx`` re-runs the reports that ``export --into`` (or a plain
``export``) wrote into the workbook, with their filters as chosen (a relative date range such as
last month is worked out for today), and replaces their data; snapshot reports add today's rows.
Everything else in the workbook stays as it was. Exit statuses as for ``export``.

Credentials: ``--connection NAME``, else the connection the workbook records when it is saved on
this computer, else the ``DEAR_ACCOUNT_ID`` and ``DEAR_APPLICATION_KEY`` environment variables.
A workbook of several companies reads every company again, each with its own saved connection
(one not saved here is named and nothing is refreshed); a company that fails is named while the
others are refreshed, with that failure's exit status, as for ``export``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.export_cmd import (
    ENV_ACCOUNT_ID,
    ENV_APPLICATION_KEY,
    default_service,
    resolve_connections,
    run_request,
)

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
        f"{ENV_APPLICATION_KEY}. A workbook of several companies reads each with its own saved "
        "connection. Exit status as for 'export'.",
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


def _saved_connection_names() -> tuple[list[str], list[str]]:
    """Return the connections saved here: all of them, and those "every connection" means."""
    from app.wiring import user_services  # lazy: only when the workbook names a connection

    infos = user_services().connections.list()
    return [info.name for info in infos], [info.name for info in infos if not info.session_only]


def run(args: argparse.Namespace, service: ExportService | None = None) -> int:
    """Refresh the workbook as the arguments say; errors propagate as AppErrors."""
    from app.services.workbooks.companies import companies_to_read, recorded_companies
    from app.services.workbooks.refresh import read_record, refresh_request

    path = Path(args.workbook).expanduser()
    record = read_record(path)
    saved, every = _saved_connection_names() if recorded_companies(record).names else ([], [])
    names = companies_to_read(record, saved, args.connection or "", every_saved=every)
    # Several companies: each read with its own saved connection (a list, as export's repeated
    # --connection); one: that connection; none: the environment variables.
    args.connection = list(names) if len(names) > 1 else (names[0] if names else None)
    connections = resolve_connections(args)
    request = refresh_request(path, record, connections, use_cache=not args.no_cache)
    return run_request(request, service or default_service(), ask=not args.yes, work="refresh")
