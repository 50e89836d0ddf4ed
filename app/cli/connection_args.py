"""Command line: which companies an export reads (``--connection`` repeated, ``--all-connections``).

One ``--connection NAME`` (or none: the environment variables) is a one-company export, exactly
as before. Several ``--connection`` options, or ``--all-connections``, export every named
company into one workbook: each sheet gains a first column "Company". A company that fails is
named on standard error while the others are written, and the exit status is that failure's
(:func:`failure_status`: 3 when DEAR refused a key, else 4), so a scheduler notices.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.errors import EXIT_AUTH, ConfigurationError, CredentialError
from app.models import Connection, ExportResult


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--connection`` (repeatable) and ``--all-connections`` to an export parser."""
    parser.add_argument(
        "--connection",
        action="append",
        metavar="NAME",
        help="use a saved connection; repeat it to export several companies into one workbook "
        "(each sheet then starts with a column Company; a company that fails is named, the others "
        "are still written, and the exit status is 3 or 4)",
    )
    parser.add_argument(
        "--all-connections",
        action="store_true",
        help="export every saved connection's company into one workbook (a column Company says which)",
    )


def chosen_names(args: argparse.Namespace) -> list[str]:
    """Return the saved connections the arguments name (none: use the environment variables)."""
    given = getattr(args, "connection", None)
    # export repeats --connection (a list); refresh takes one name (a string)
    names: list[str] = [given] if isinstance(given, str) else list(given or [])
    if getattr(args, "all_connections", False):
        if names:
            raise ConfigurationError(
                "Use either --connection or --all-connections, not both.",
                hint="--all-connections already exports every saved connection.",
            )
        from app.wiring import user_services  # lazy: keyring only when needed

        names = [info.name for info in user_services().connections.list() if not info.session_only]
        if not names:
            raise CredentialError(
                "There are no saved connections to export.",
                hint="Add one with 'dear-export connections add', or in the window.",
            )
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(name.strip().casefold(), name.strip())
    return list(unique.values())


def saved_connections(names: list[str]) -> tuple[Connection, ...]:
    """Read the named saved connections (with their keys) from the user's connection store.

    With several names, a company whose key is missing from the keyring is not an error here: it
    is named as not exported while the others are written (see app/services/exporting/company_keys.py).
    """
    from app.services.exporting.company_keys import read_companies
    from app.wiring import user_services  # lazy: keyring only when needed

    # Several companies: one whose key is missing from the keyring fails alone (exit status 3).
    return read_companies(user_services().connections, names)


def failure_status(result: ExportResult, err: TextIO | None = None) -> int | None:
    """Name each company left out on ``err`` and return the exit status they mean (None: none failed).

    A refused key (3) comes before DEAR or the network failing (4): it needs someone to act.
    """
    if not result.failures:
        return None
    out = err or sys.stderr
    for failure in result.failures:
        print(f"Error: the company '{failure.company}' was not exported. {failure.message}", file=out)
    statuses = [failure.exit_status for failure in result.failures]
    return EXIT_AUTH if EXIT_AUTH in statuses else statuses[0]
