"""Command line: ``export`` writes one or more reports from DEAR to a workbook or CSV files.

Schedulers depend on this interface and its exit statuses: 0 done, 2 bad usage,
3 authentication, 4 API or network failure after retries, 5 could not write the output,
6 the file was written but is incomplete (DEAR's list kept changing while it was read),
130 cancelled. Progress goes to standard error (a line every few seconds); a one-line
summary goes to standard output at the end.

Credentials come from a saved connection (``--connection``) or from the environment
variables ``DEAR_ACCOUNT_ID`` and ``DEAR_APPLICATION_KEY``; never from the arguments, which
end up in shell history and process lists.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app import catalogue, dates
from app.cli import stock_options, workbook_args
from app.cli.connection_args import add_connection_options, chosen_names, failure_status, saved_connections
from app.cli.signals import cancel_on_signals
from app.errors import EXIT_CANCELLED, EXIT_INCOMPLETE, EXIT_OK, ConfigurationError, CredentialError
from app.models import (
    DEFAULT_BASE_URL,
    CancelToken,
    Connection,
    ExportRequest,
    ExportResult,
    OutputFormat,
    Progress,
    RateLimit,
    ReportRequest,
)
from app.redact import register_secret
from app.services.presets import apply_date_range
from app.services.report_options import distribute_filters

if TYPE_CHECKING:
    from app.services.exporting import ExportService

ENV_ACCOUNT_ID = "DEAR_ACCOUNT_ID"
ENV_APPLICATION_KEY = "DEAR_APPLICATION_KEY"
ENV_BASE_URL = "DEAR_BASE_URL"
# One progress line at most this often (phase changes and waits are shown at once).
PROGRESS_EVERY = 3.0
# Ask before an interactive export expected to take longer than this (unless --yes).
CONFIRM_ABOVE_SECONDS = 10 * 60


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``export`` sub-command."""
    parser = subparsers.add_parser(
        "export",
        help="export reports from DEAR to an Excel workbook or CSV files",
        description="Export one or more reports (see 'endpoints' for the keys) into one workbook. "
        f"Credentials come from --connection NAME or the {ENV_ACCOUNT_ID} and {ENV_APPLICATION_KEY} "
        "environment variables. Exit status: 0 done, 2 bad usage, 3 DEAR refused the credentials, "
        "4 DEAR or the network failed, 5 the file could not be written, 6 the file was written but "
        "some records could not be read, 130 cancelled.",
    )
    parser.add_argument(
        "--endpoint",
        dest="endpoints",
        action="append",
        required=True,
        metavar="KEY",
        help="report key, e.g. sale-order-lines (repeat for several reports in one workbook)",
    )
    parser.add_argument("--out", metavar="PATH", help="the workbook (or first CSV file) to write")
    workbook_args.add_arguments(parser)
    parser.add_argument(
        "--filter",
        dest="filters",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a DEAR filter, e.g. UpdatedSince=2024-01-01 or Status=COMPLETED (repeatable; applies to "
        "every chosen report that has it)",
    )
    parser.add_argument(
        "--dates",
        metavar="RANGE",
        help="a date range for the reports' own dates (a sale's order date, an adjustment's effective "
        "date...): last-month, this-month, last-week, this-year, last-30-days, ... or "
        "2026-10-01..2026-10-31 (worked out for today)",
    )
    parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day of the date range")
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day of the date range")
    parser.add_argument(
        "--format",
        choices=[f.value for f in OutputFormat],
        help="xlsx or csv (default: from the --out file name, else xlsx)",
    )
    add_connection_options(parser)
    parser.add_argument(
        "--base-url", metavar="URL", help=f"DEAR's API address (default: ${ENV_BASE_URL} or DEAR's)"
    )
    parser.add_argument(
        "--rate-limit",
        metavar="CALLS/SECONDS",
        help="this export's share of DEAR's API limit, e.g. 60/60 (default: the connection's)",
    )
    parser.add_argument(
        "--columns",
        action="append",
        nargs="+",
        metavar="COLUMN",
        help="columns to write, by field or header, in order (commas or spaces between them)",
    )
    parser.add_argument(
        "--include-children",
        action="store_true",
        help="also write nested lists (addresses, contacts, supplier prices...) to sheets of their own",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="fetch every record from DEAR again (refreshing the local cache)",
    )
    stock_options.add_arguments(parser)
    parser.add_argument("--yes", action="store_true", help="do not ask before a long export")
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug logging on standard error")
    parser.set_defaults(handler=run)


# --------------------------------------------------------------------------- building the request


def _parse_filters(pairs: Sequence[str]) -> dict[str, str]:
    filters: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigurationError(
                f"'{pair}' is not a filter.",
                hint="Write filters as NAME=VALUE, for example Status=COMPLETED.",
            )
        filters[name.strip()] = value.strip()
    return filters


def _column_names(groups: Sequence[Sequence[str]] | None) -> list[str] | None:
    if not groups:
        return None
    names = [part.strip() for group in groups for item in group for part in item.split(",")]
    return [name for name in names if name]


def _columns_per_report(keys: Sequence[str], names: list[str] | None) -> list[tuple[str, ...] | None]:
    """Give each report the named columns it has; a name no report has is an error."""
    if names is None:
        return [None] * len(keys)
    specs = [catalogue.get(key) for key in keys]
    shares: list[list[str]] = [[] for _ in specs]
    for name in names:
        folded = name.casefold()
        fits = False
        for share, spec in zip(shares, specs, strict=True):
            if any(folded in (c.field.casefold(), c.header.casefold()) for c in spec.columns):
                share.append(name)
                fits = True
        if not fits:
            raise ConfigurationError(
                f"None of the chosen reports has a column called '{name}'.",
                hint="See 'endpoints --json' for each report's columns.",
            )
    return [tuple(share) if share else None for share in shares]


def _output_format(args: argparse.Namespace, out: Path) -> OutputFormat:
    if args.format:
        return OutputFormat(args.format)
    return OutputFormat.CSV if out.suffix.lower() == ".csv" else OutputFormat.XLSX


def _rate_limit(text: str) -> RateLimit:
    try:
        return RateLimit.parse(text)
    except ValueError as error:
        raise ConfigurationError(str(error), hint="For example --rate-limit 60/60.") from None


def resolve_connection(args: argparse.Namespace) -> Connection:
    """Return the (first) connection to export with: a saved one, or the environment variables."""
    return resolve_connections(args)[0]


def resolve_connections(args: argparse.Namespace) -> tuple[Connection, ...]:
    """Return every company to export: the saved connections named, or the environment variables."""
    names = chosen_names(args)
    if names:
        connections = saved_connections(names)
    else:
        account_id = os.environ.get(ENV_ACCOUNT_ID, "").strip()
        key = os.environ.get(ENV_APPLICATION_KEY, "").strip()
        if not account_id or not key:
            raise CredentialError(
                "No DEAR credentials were given.",
                hint=f"Use --connection NAME for a saved connection, or set the {ENV_ACCOUNT_ID} and "
                f"{ENV_APPLICATION_KEY} environment variables.",
            )
        register_secret(key)
        base_url = os.environ.get(ENV_BASE_URL, "").strip() or DEFAULT_BASE_URL
        connections = (
            Connection(name="command line", account_id=account_id, application_key=key, base_url=base_url),
        )
    if args.base_url:
        connections = tuple(dataclasses.replace(c, base_url=args.base_url.strip()) for c in connections)
    if args.rate_limit:
        limit = _rate_limit(args.rate_limit)
        connections = tuple(dataclasses.replace(c, rate_limit=limit) for c in connections)
    return connections


def build_request(args: argparse.Namespace, connection: Connection) -> ExportRequest:
    """Turn the arguments into an export request (raises ConfigurationError on bad usage)."""
    keys = [catalogue.get(key).key for key in args.endpoints]
    specs = [catalogue.get(key) for key in keys]
    filters = stock_options.with_as_of(args, specs, distribute_filters(specs, _parse_filters(args.filters)))
    columns = _columns_per_report(keys, _column_names(args.columns))
    window = _date_range(args)
    reports = tuple(
        apply_date_range(
            ReportRequest(key, filters=share, columns=cols, include_children=args.include_children),
            window,
            spec=spec,
        )
        for key, spec, share, cols in zip(keys, specs, filters, columns, strict=True)
    )
    out = workbook_args.output_of(args)
    request = ExportRequest(
        connection=connection,
        reports=reports,
        output=out,
        format=_output_format(args, out),
        use_cache=not args.no_cache,
    )
    return workbook_args.finish(args, request)


def _date_range(args: argparse.Namespace) -> dates.DateRange | None:
    """Read --dates, or --from/--to, into calendar days (None when no range was given)."""
    if args.dates and (args.date_from or args.date_to):
        raise ConfigurationError("Use either --dates or --from/--to, not both.")
    if args.dates:
        return dates.resolve(args.dates, date.today())
    if not (args.date_from or args.date_to):
        return None
    if not args.date_from:
        raise ConfigurationError(
            "--to needs --from as well.", hint="Give the first day with --from YYYY-MM-DD."
        )
    return dates.resolve(f"{args.date_from}..{args.date_to or ''}", date.today())


# --------------------------------------------------------------------------- running it


def _announce_cancel() -> None:
    print("\nCancelling…", file=sys.stderr, flush=True)


class ProgressPrinter:
    """Prints a progress line every few seconds, and at once when the phase changes."""

    def __init__(self, out: TextIO, every: float = PROGRESS_EVERY) -> None:
        self._out = out
        self._every = every
        self._last = 0.0
        self._phase = ""

    def show(self, event: Progress) -> None:
        """Print ``event`` unless a line of the same phase was printed moments ago.

        Called by the export from its own thread and the client's threads, one call at a time.
        """
        # Imported here so that building the parser (and --version) does not load the export engine.
        from app.services.exporting import describe_elapsed

        now = time.monotonic()
        if event.phase == self._phase and now - self._last < self._every:
            return
        self._phase, self._last = event.phase, now
        parts = [event.message]
        if event.seconds_left is not None and event.phase not in ("done", "waiting"):
            parts.append(f"about {describe_elapsed(event.seconds_left)} left")
        if event.calls_used:
            plural = "s" if event.calls_used != 1 else ""
            parts.append(f"{event.calls_used:,} request{plural} so far")
        print(" · ".join(parts), file=self._out, flush=True)


def summary_line(request: ExportRequest, result: ExportResult) -> str:
    """Return the last line of a run: rows, reports, file, time and completeness."""
    # Imported here so that building the parser (and --version) does not load the export engine.
    from app.services.exporting import describe_elapsed

    labels = ", ".join(catalogue.get(report.key).label for report in request.reports)
    main_rows = sum(
        sheet.rows
        for sheet in result.sheets
        if sheet.name in {catalogue.sheet_title(catalogue.get(r.key)) for r in request.reports}
    )
    rows = main_rows or sum(sheet.rows for sheet in result.sheets)
    if len(result.files) == 1:
        where = result.files[0].name
    else:
        where = f"{len(result.files)} files in {request.output.parent}"
    notes = "; ".join(note[:1].lower() + note[1:].rstrip(".") for note in result.notes)
    text = f"Wrote {rows:,} rows ({labels}) to {where} in {describe_elapsed(result.seconds)}"
    if result.from_cache:
        text += f" ({result.from_cache:,} records from the local cache)"
    return f"{text}; {notes}." if notes else f"{text}."


def _confirm(service: ExportService, request: ExportRequest, cancel: CancelToken) -> bool:
    """On a terminal, warn before a long export and ask to go on."""
    if not any(catalogue.get(r.key).needs_detail for r in request.reports):
        return True
    estimate = service.estimate(request, cancel)
    if estimate.seconds <= CONFIRM_ABOVE_SECONDS:
        return True
    print(estimate.explanation, file=sys.stderr)
    try:
        answer = input("Go ahead? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def incomplete_reason(result: ExportResult) -> str:
    """Say in one sentence why an export is incomplete (the notes of its incomplete sheets)."""
    notes = dict.fromkeys(sheet.note for sheet in result.sheets if not sheet.complete and sheet.note)
    return " ".join(notes) or "Some records could not be read."


def vanished_lines(result: ExportResult) -> list[str]:
    """One line for each record deleted in DEAR while the export ran ("SO-01234 was deleted ...")."""
    return [
        f"Note: {name} was deleted in DEAR while the export ran; it is not in the file."
        for name in result.vanished
    ]


def default_service() -> ExportService:
    """Make the export service the commands use, with the user's own record cache."""
    # Imported here so that building the parser (and --version) does not load openpyxl and requests.
    from app.wiring import user_services

    return user_services().exporter


def run(args: argparse.Namespace, service: ExportService | None = None) -> int:
    """Export as the arguments say; errors propagate as AppErrors (the dispatcher maps exit codes)."""
    connections = resolve_connections(args)
    request = dataclasses.replace(build_request(args, connections[0]), connections=connections)
    # --no-cache still saves what it fetches (request.use_cache=False refreshes every document).
    return run_request(request, service or default_service(), ask=not args.yes, work="export")


def run_request(request: ExportRequest, service: ExportService, *, ask: bool, work: str) -> int:
    """Run an export (or a workbook's refresh, ``work`` names it) as a scheduler runs it; return the status.

    ``ask``: confirm a long one first when a person is at the terminal. Progress goes to standard
    error, the summary to standard output.
    """
    cancel = CancelToken()
    printer = ProgressPrinter(sys.stderr)
    with cancel_on_signals(cancel, _announce_cancel):
        if ask and sys.stdin.isatty() and not _confirm(service, request, cancel):
            print(f"Nothing was {work}ed.", file=sys.stderr)
            return EXIT_CANCELLED
        result = service.run(request, cancel, printer.show)
    print(summary_line(request, result), flush=True)
    for line in vanished_lines(result):
        print(line, file=sys.stderr)
    failed = failure_status(result)  # several companies: the others were written, but say so
    if failed is not None:
        return failed
    if not result.complete:
        # The file is written, but a scheduler must not take it for a complete one.
        print(f"Error: the {work} is incomplete. {incomplete_reason(result)}", file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_OK
