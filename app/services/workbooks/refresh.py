"""Refreshing a workbook: read what it records, and build the export that writes it again.

A refresh is an ordinary export into the workbook (``ExportRequest.into``): every report the
workbook records runs again with its filters as chosen, a relative date range worked out for
today, its columns and options; snapshot reports add a new day. The local cache makes a repeat
cheap. Credentials: see :mod:`app.services.workbooks.companies` (every company recorded, each
with its connection saved here; one company: the connection asked for, else its own, else the
caller's fallback).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app import catalogue, dates
from app.errors import ConfigurationError
from app.export.package.metadata import ReportRecipe, WorkbookRecord
from app.export.package.workbook_part import Package
from app.export.package.zipcopy import open_package, refuse
from app.models import Connection, ExportRequest, OutputFormat, ReportRequest
from app.services.date_filters import apply_date_range
from app.services.workbooks.companies import recorded_companies

__all__ = [
    "WorkbookRecord",
    "WorkbookReport",
    "describe",
    "describe_filters",
    "read_record",
    "recorded_connection",
    "refresh_request",
    "report_request",
]


@dataclass(frozen=True)
class WorkbookReport:
    """One report a workbook holds, described for people (the window and the terminal)."""

    key: str
    label: str
    sheet: str
    filters: str
    refreshed: datetime | None
    snapshot: bool
    connection: str


def read_record(path: Path) -> WorkbookRecord:
    """Return what the workbook at ``path`` records; refuse a file with no reports of ours."""
    if not path.exists():
        raise ConfigurationError(f"There is no workbook called “{path.name}” in {path.parent}.")
    with open_package(path) as archive:
        record, _ = Package(archive, path).record()
    if record is None or not record.reports:
        raise refuse(
            path,
            "holds no reports written by DEAR Export, so there is nothing to refresh.",
            hint="Write reports into it first: export with --into, or “Add to an existing workbook…”.",
        )
    return record


def describe_filters(recipe: ReportRecipe) -> str:
    """Say what a report's filters are, as chosen ("Last month; Status = COMPLETED")."""
    parts = []
    if recipe.dates:
        label = dates.QUICK_RANGES.get(recipe.dates)
        parts.append(label or recipe.dates.replace("..", " to "))
    parts += [f"{name} = {value}" for name, value in recipe.filters]
    return "; ".join(parts) or "No filters"


def describe(record: WorkbookRecord) -> list[WorkbookReport]:
    """Return the workbook's reports, for a list people read."""
    found = []
    for report in record.reports:
        try:
            label = catalogue.get(report.recipe.key).label
        except (KeyError, ConfigurationError):
            label = report.recipe.key
        found.append(
            WorkbookReport(
                key=report.recipe.key,
                label=label,
                sheet=report.sheets[0].name if report.sheets else "",
                filters=describe_filters(report.recipe),
                refreshed=report.refreshed,
                snapshot=report.recipe.snapshot,
                connection=report.recipe.connection,
            )
        )
    return found


def report_request(recipe: ReportRecipe, today: date) -> ReportRequest:
    """Return the report a recipe asks for on ``today`` (a relative range worked out again)."""
    try:
        spec = catalogue.get(recipe.key)
    except (KeyError, ConfigurationError):
        raise ConfigurationError(
            f"The workbook holds a report this version of DEAR Export does not have ('{recipe.key}').",
            hint="Update DEAR Export, or delete that report's sheet from the workbook.",
        ) from None
    window = dates.resolve(recipe.dates, today) if recipe.dates else None
    report = ReportRequest(
        spec.key,
        filters=dict(recipe.filters),
        columns=recipe.columns,
        include_children=recipe.include_children,
        dates=recipe.dates,
        snapshot=recipe.snapshot,
    )
    return apply_date_range(report, window, spec=spec)


def recorded_connection(record: WorkbookRecord) -> str:
    """Return the connection name the workbook's reports were written with ("" when none)."""
    return next((r.recipe.connection for r in record.reports if r.recipe.connection), "")


def refresh_request(
    path: Path,
    record: WorkbookRecord,
    connection: Connection | Sequence[Connection],
    *,
    use_cache: bool = True,
    today: date | None = None,
) -> ExportRequest:
    """Return the export that refreshes every report the workbook records.

    ``connection``: the company to read, or every company (see :mod:`.companies`), in order.
    """
    day = today or date.today()
    reports = tuple(report_request(report.recipe, day) for report in record.reports)
    chosen = (connection,) if isinstance(connection, Connection) else tuple(connection)
    return ExportRequest.for_companies(
        chosen,
        reports=reports,
        output=path,
        format=OutputFormat.XLSX,
        use_cache=use_cache,
        into=True,
        all_connections=recorded_companies(record).every,
    )
