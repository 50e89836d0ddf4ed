"""From an export request to what its workbook records about each report."""

from __future__ import annotations

from app import catalogue
from app.export.package.metadata import PlannedReport, ReportRecipe, WorkbookPlan
from app.models import ExportRequest, OutputFormat, ReportRequest
from app.services.date_filters import filters_set_by_range


def recipe_of(
    report: ReportRequest,
    connection: str,
    *,
    snapshot: bool = False,
    companies: tuple[str, ...] = (),
    all_connections: bool = False,
) -> ReportRecipe:
    """Return the report as the user chose it.

    The filters a date range set are left out when the range itself is recorded: it is worked
    out again at each refresh. ``companies``: every company's name when there are several.
    """
    spec = catalogue.get(report.key)
    chosen = report.dates
    if chosen is None and report.date_from is not None:
        # Days given without their wording (a caller of the service): kept as those days.
        chosen = f"{report.date_from.isoformat()}..{report.date_to.isoformat() if report.date_to else ''}"
    by_range = set(filters_set_by_range(spec)) if chosen else set()
    filters = tuple((name, value) for name, value in report.filters.items() if name not in by_range)
    return ReportRecipe(
        key=spec.key,
        connection=connection,
        filters=filters,
        dates=chosen,
        columns=report.columns,
        include_children=report.include_children,
        snapshot=snapshot,
        companies=companies if len(companies) > 1 else (),
        all_connections=all_connections,
    )


def workbook_plan(request: ExportRequest) -> WorkbookPlan | None:
    """Return what the workbook of ``request`` records (None for CSV files, which record nothing)."""
    if request.format is not OutputFormat.XLSX:
        return None
    names = tuple(connection.name for connection in request.connections)
    reports = tuple(
        PlannedReport(
            recipe_of(
                report,
                request.connection.name,
                snapshot=request.snapshot or report.snapshot,
                companies=names,
                all_connections=request.all_connections,
            ),
            catalogue.sheet_title(catalogue.get(report.key)),
        )
        for report in request.reports
    )
    return WorkbookPlan(reports, into=request.into or any(p.recipe.snapshot for p in reports))
