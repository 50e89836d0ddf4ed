"""What an export says about itself when done: the About sheet's content and the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from app.export import AboutInfo, ReportAbout
from app.export.about import CompanyAbout, SheetCount
from app.models import ExportResult, SheetSummary
from app.services.cache import RecordCache
from app.services.exporting.companies import CompanyRead, failure_text, failures_of
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


# --------------------------------------------------------------------------- several companies


def companies_about(
    plans: Sequence[Plan], reads: Sequence[CompanyRead], counts: Sequence[tuple[str, int]]
) -> AboutInfo:
    """Build the About sheet of a several-company export: the reports once, then each company's part."""
    written = [read for read in reads if read.failure is None]
    outcomes = [outcome for read in written for outcome in read.outcomes]
    base = about_info(plans, outcomes, None, ", ".join(read.name for read in reads))
    companies = []
    for read in reads:
        if read.failure is not None:
            companies.append(CompanyAbout(read.name, failure=failure_text(read.failure)))
            continue
        sheets = read.sheets.sheets if read.sheets is not None else []
        companies.append(
            CompanyAbout(
                read.name,
                dear_name=read.dear_name,
                currency=read.currency,
                # The real sheet names (the writer may have shortened them), this company's rows.
                sheets=tuple(
                    SheetCount(name, sheet.rows) for (name, _), sheet in zip(counts, sheets, strict=False)
                ),
                complete=all(outcome.stats.complete for outcome in read.outcomes),
                missing_records=sum(outcome.stats.missing for outcome in read.outcomes),
                from_cache=read.from_cache,
                notes=tuple(outcome.note() for outcome in read.outcomes),
                vanished=tuple(name for outcome in read.outcomes for name in outcome.vanished),
            )
        )
    # Each company's notes are in its own part; the general notes would repeat them unnamed.
    return replace(
        base,
        notes=(),
        from_cache=sum(read.from_cache for read in written),
        complete=base.complete and len(written) == len(reads),
        missing_reason=_missing_reason(base, reads),
        companies=tuple(companies),
    )


def _missing_reason(base: AboutInfo, reads: Sequence[CompanyRead]) -> str:
    failed = [read.name for read in reads if read.failure is not None]
    if not failed:
        return base.missing_reason
    names = ", ".join(failed)
    reason = f"{names} could not be exported (see below)"
    return f"{base.missing_reason}; {reason}" if base.missing_reason else reason


def companies_result(
    files: tuple[Path, ...],
    reads: Sequence[CompanyRead],
    counts: Sequence[tuple[str, int]],
    *,
    seconds: float,
) -> ExportResult:
    """Build the result of a several-company export: every sheet with all its rows, each company's notes."""
    written = [read for read in reads if read.failure is None]
    complete = all(outcome.stats.complete for read in written for outcome in read.outcomes)
    notes = [_in_company(read.name, outcome.note()) for read in written for outcome in read.outcomes]
    failures = failures_of(reads)
    notes.extend(f"The company {failure.company} was not exported: {failure.message}" for failure in failures)
    # A sheet is incomplete when any company's report behind it is; its note names those companies.
    gaps: dict[int, list[str]] = {}
    for read in written:
        kept = read.sheets.sheets if read.sheets is not None else []
        for outcome in read.outcomes:
            if outcome.stats.complete:
                continue
            for position, sheet in enumerate(kept):
                if sheet is outcome.sheet or any(sheet is child for child in outcome.child_sheets):
                    gaps.setdefault(position, []).append(_in_company(read.name, outcome.note()))
    sheets = [
        SheetSummary(name, rows, position not in gaps, " ".join(gaps.get(position, [])))
        for position, (name, rows) in enumerate(counts)
    ]
    return ExportResult(
        files=files,
        sheets=tuple(sheets),
        calls_used=sum(read.calls for read in reads),
        seconds=seconds,
        complete=complete and not failures,
        notes=tuple(notes),
        from_cache=sum(read.from_cache for read in written),
        vanished=tuple(
            f"{read.name}: {name}"
            for read in written
            for outcome in read.outcomes
            for name in outcome.vanished
        ),
        failures=failures,
        companies=tuple(read.name for read in written),
    )


def _in_company(name: str, note: str) -> str:
    """Say which company a note is about ("In North, all 15 products arrived.")."""
    return f"In {name}, {note[:1].lower()}{note[1:]}"
