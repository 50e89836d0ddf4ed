"""Command line options of the stock history reports: ``--as-of`` for "stock on hand at a date"."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from typing import Any

from app.catalogue.stock_history import AS_OF
from app.errors import ConfigurationError
from app.models import EndpointSpec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--as-of`` to the ``export`` sub-command."""
    parser.add_argument(
        "--as-of",
        dest="as_of",
        metavar="YYYY-MM-DD",
        help="for stock-at-date: the day whose closing stock to report (default: today)",
    )


def with_as_of(
    args: Any, specs: Sequence[EndpointSpec], filters: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Give ``--as-of`` to every chosen report that reports stock at a date (usage error if none does)."""
    text = (getattr(args, "as_of", None) or "").strip()
    if not text:
        return filters
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(
            f"'{text}' is not a date for --as-of.", hint="Write it as YYYY-MM-DD, for example 2026-10-31."
        ) from None
    if day > date.today():
        raise ConfigurationError(
            f"--as-of {text} is in the future.", hint="Stock can be reported up to the end of today."
        )
    fitting = [any(f.name == AS_OF for f in spec.filters) for spec in specs]
    if not any(fitting):
        raise ConfigurationError(
            "--as-of applies to the stock-at-date report only, and it was not chosen.",
            hint="Add --endpoint stock-at-date, or leave --as-of out.",
        )
    return [
        {**share, AS_OF: day.isoformat()} if fits else share
        for share, fits in zip(filters, fitting, strict=True)
    ]
