"""The ``export`` command's living-workbook options: ``--into WORKBOOK`` and ``--snapshot``.

Kept apart from :mod:`app.cli.export_cmd` (which stays small): the options are added to its
parser, and the request it builds is finished here.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from app.errors import ConfigurationError
from app.models import ExportRequest, OutputFormat


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--into`` and ``--snapshot`` to the ``export`` parser."""
    parser.add_argument(
        "--into",
        metavar="WORKBOOK",
        help="write the reports into this Excel workbook (created when missing), in place of --out: "
        "their sheets are replaced, everything else in the workbook is kept as it was",
    )
    parser.add_argument(
        "--snapshot",
        action="store_true",
        help="with --into: add today's rows, dated, below the earlier days' instead of replacing them "
        "(running again on the same day replaces that day's rows)",
    )


def output_of(args: argparse.Namespace) -> Path:
    """Return the file to write: --out or --into (exactly one of them)."""
    into: Any = getattr(args, "into", None)
    if into and args.out:
        raise ConfigurationError("Use either --out or --into, not both.")
    if getattr(args, "snapshot", False) and not into:
        raise ConfigurationError(
            "--snapshot needs --into.",
            hint="Name the workbook to keep the snapshots in with --into WORKBOOK.xlsx.",
        )
    if not into and not args.out:
        raise ConfigurationError(
            "No file to write was given.",
            hint="Use --out FILE for a new file, or --into WORKBOOK.xlsx to write into a workbook.",
        )
    return Path(into or args.out).expanduser()


def dates_text(args: argparse.Namespace) -> str | None:
    """Return the date range as given (a quick-range name stays a name), for the workbook to record."""
    if args.dates:
        return str(args.dates).strip().lower()
    if args.date_from:
        return f"{args.date_from}..{args.date_to or ''}"
    return None


def finish(args: argparse.Namespace, request: ExportRequest) -> ExportRequest:
    """Return ``request`` with the date range as chosen and the workbook options of ``args``."""
    into = bool(getattr(args, "into", None))
    if into and request.format is not OutputFormat.XLSX:
        raise ConfigurationError("--into writes into an Excel workbook, not CSV files.")
    dates = dates_text(args)
    reports = tuple(dataclasses.replace(report, dates=dates) for report in request.reports)
    return dataclasses.replace(
        request,
        reports=reports,
        into=into,
        snapshot=bool(getattr(args, "snapshot", False)),
        all_connections=bool(getattr(args, "all_connections", False)),
    )
