"""What an export says about itself when done: the About sheet's content and the result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from app.export import AboutInfo, ReportAbout
from app.models import ExportResult, SheetSummary
from app.services.cache import RecordCache
from app.services.exporting.plan import Plan
from app.services.exporting.reports import Outcome
from app.services.report_options import filter_labels


def about_info(
    plans: Sequence[Plan], outcomes: Sequence[Outcome], record_cache: RecordCache | None, company: str
) -> AboutInfo:
    """Say what was exported, how complete it is, and where the records came from."""
    reports = []
    for plan in plans:
        spec = plan.spec
        endpoint = f"GET {spec.path}"
        if spec.detail is not None:
            endpoint += f", then GET {spec.detail.path}?{spec.detail.param}=… for each record"
        filters = filter_labels(spec, plan.filters)
        if plan.dated:
            filters["Dates"] = plan.date_range_text()
        reports.append(ReportAbout(spec.label, endpoint, filters))
    missing = sum(outcome.stats.missing for outcome in outcomes)
    stats = record_cache.stats if record_cache is not None else None
    from_cache = stats.from_cache if stats is not None else 0
    return AboutInfo(
        company=company,
        reports=tuple(reports),
        exported_at=datetime.now(UTC),
        complete=all(outcome.stats.complete for outcome in outcomes),
        missing_records=missing,
        missing_reason="DEAR's list kept changing while it was being read" if missing else "",
        from_cache=from_cache,
        cache_refreshed_at=stats.checked_at if stats is not None and from_cache else None,
        notes=tuple(outcome.note() for outcome in outcomes),
        vanished=tuple(name for outcome in outcomes for name in outcome.vanished),
    )


def export_result(
    files: tuple[Path, ...], outcomes: Sequence[Outcome], *, calls: int, seconds: float, from_cache: int
) -> ExportResult:
    """Build the result the caller gets: files, sheets with their notes, cost and completeness."""
    sheets: list[SheetSummary] = []
    for outcome in outcomes:
        note = outcome.note()
        complete = outcome.stats.complete
        sheets.append(SheetSummary(outcome.sheet.name, outcome.sheet.rows, complete, note))
        for child in outcome.child_sheets:
            sheets.append(SheetSummary(child.name, child.rows, complete, note))
    return ExportResult(
        files=files,
        sheets=tuple(sheets),
        calls_used=calls,
        seconds=seconds,
        complete=all(outcome.stats.complete for outcome in outcomes),
        notes=tuple(outcome.note() for outcome in outcomes),
        from_cache=from_cache,
        vanished=tuple(name for outcome in outcomes for name in outcome.vanished),
    )
