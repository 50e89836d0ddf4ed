"""The "About this export" sheet (or ``<stem> - About.csv``): what was exported, when, and how complete.

It never holds the Application Key or the Account ID: :class:`AboutInfo` has no field for
either, and every line passes through :func:`app.redact.redact` as a second line of defence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app import APP_NAME, __version__
from app.redact import redact

ABOUT_SHEET = "About this export"
ABOUT_FILE_SUFFIX = "About"


@dataclass(frozen=True)
class ReportAbout:
    """One report in the export: its label, the DEAR endpoint, and the filters used (label -> value)."""

    label: str
    endpoint: str
    filters: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CompanyAbout:
    """One company of a several-company export: its rows, completeness and notes, or why it failed.

    ``name`` is the connection's name (the sheets' Company column), ``dear_name`` the company's
    name in DEAR, ``currency`` its base currency. ``failure`` says why the company is not in the
    export ("" when it is).
    """

    name: str
    dear_name: str = ""
    currency: str = ""
    sheets: tuple[SheetCount, ...] = ()
    complete: bool = True
    missing_records: int = 0
    from_cache: int = 0
    notes: tuple[str, ...] = ()
    vanished: tuple[str, ...] = ()
    failure: str = ""


@dataclass(frozen=True)
class AboutInfo:
    """What the About sheet says besides the row counts, which the writer knows itself.

    ``exported_at`` should be timezone-aware; None means "when the file was written".
    ``cache_refreshed_at`` is when the local cache was last brought up to date (None: unknown
    or no cache used). ``vanished`` names the records DEAR listed but deleted before their
    details were read ("SO-01234"); they are not in the export, and not an error.
    """

    company: str = ""
    reports: tuple[ReportAbout, ...] = ()
    exported_at: datetime | None = None
    complete: bool = True
    missing_records: int = 0
    missing_reason: str = ""
    from_cache: int = 0
    cache_refreshed_at: datetime | None = None
    notes: tuple[str, ...] = ()
    vanished: tuple[str, ...] = ()
    companies: tuple[CompanyAbout, ...] = ()  # several companies: one each, in export order


@dataclass(frozen=True)
class SheetCount:
    """Rows written to one sheet (or CSV file)."""

    name: str
    rows: int


def _local_and_utc(moment: datetime) -> tuple[str, str]:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone()
    offset = local.strftime("%z")
    offset_text = f"UTC{offset[:3]}:{offset[3:]}" if offset else "local"
    return (
        f"{local:%Y-%m-%d %H:%M:%S} (this computer's time, {offset_text})",
        f"{aware.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
    )


def _filters_text(filters: Mapping[str, str]) -> str:
    used = [f"{label}: {value}" for label, value in filters.items() if str(value).strip()]
    return "; ".join(used) if used else "No filters (every record)"


def about_rows(
    info: AboutInfo, sheets: Sequence[SheetCount], *, csv: bool, now: datetime | None = None
) -> list[tuple[str, str]]:
    """Return the About content as (item, value) pairs, in reading order, secret-free."""
    moment = info.exported_at or now or datetime.now(UTC)
    local_text, utc_text = _local_and_utc(moment)
    rows: list[tuple[str, str]] = [
        ("Company", info.company or "(not given)"),
        *(
            [("Companies", "Several, one after another in each sheet (column Company); see each below.")]
            if info.companies
            else []
        ),
        ("Exported", local_text),
        ("Exported (UTC)", utc_text),
        ("Made with", f"{APP_NAME} {__version__}"),
    ]
    for number, report in enumerate(info.reports, 1):
        prefix = f"Report {number}" if len(info.reports) > 1 else "Report"
        rows.append((prefix, report.label))
        rows.append((f"{prefix}: DEAR endpoint", report.endpoint))
        rows.append((f"{prefix}: filters", _filters_text(report.filters)))
    kind = "file" if csv else "sheet"
    for sheet in sheets:
        rows.append((f"Rows in {kind} {sheet.name}", f"{sheet.rows:,}"))
    if info.complete and info.vanished:
        rows.append(
            (
                "Complete",
                "Yes: every record DEAR listed is in this export, except those deleted in DEAR "
                "while the export ran (below).",
            )
        )
    elif info.complete:
        rows.append(("Complete", "Yes: every record DEAR listed is in this export."))
    else:
        missing = (
            f"{info.missing_records:,} record(s) missing" if info.missing_records else "Some records missing"
        )
        reason = f": {info.missing_reason}" if info.missing_reason else ""
        rows.append(("Complete", f"No. {missing}{reason}"))
    for name in info.vanished:
        rows.append(
            ("Deleted while exporting", f"{name} was deleted in DEAR while the export ran; it is not here.")
        )
    if info.from_cache:
        refreshed = _local_and_utc(info.cache_refreshed_at)[0] if info.cache_refreshed_at else "(not known)"
        rows.append(("From the local cache", f"{info.from_cache:,} record(s)"))
        rows.append(("Cache last refreshed", refreshed))
    else:
        rows.append(("From the local cache", "None: everything came straight from DEAR."))
    rows.append(
        (
            "Times",
            "Dates and times in the data are UTC, as DEAR stores them. "
            "Business dates (order, invoice, due dates) are calendar dates and are not shifted.",
        )
    )
    if csv:
        rows.append(
            (
                "Text starting with = + - @",
                "Has a ' added in front so that Excel shows it as text and never runs it as a formula.",
            )
        )
    for note in info.notes:
        rows.append(("Note", note))
    rows.extend(_company_rows(info.companies, info.reports, kind))
    return [(redact(item), redact(value)) for item, value in rows]


def _company_rows(
    companies: Sequence[CompanyAbout], reports: Sequence[ReportAbout], kind: str
) -> list[tuple[str, str]]:
    """Each company's part: where it came from, its filters and rows, how complete, or why it is missing."""
    rows: list[tuple[str, str]] = []
    # Every company is read with the same reports and filters; each part says so, to stand alone.
    filters = " | ".join(f"{report.label}: {_filters_text(report.filters)}" for report in reports)
    for company in companies:
        name = company.name
        if company.failure:
            rows.append((f"{name}: not exported", company.failure))
            continue
        dear = f"{company.dear_name} in DEAR" if company.dear_name else "(name in DEAR not given)"
        currency = f"; base currency {company.currency}" if company.currency else ""
        rows.append((f"{name}: company", f"{dear}{currency}"))
        if filters:
            rows.append((f"{name}: filters", filters))
        for sheet in company.sheets:
            rows.append((f"{name}: rows in {kind} {sheet.name}", f"{sheet.rows:,}"))
        if company.complete:
            rows.append((f"{name}: complete", "Yes: every record DEAR listed is here."))
        else:
            missing = f"{company.missing_records:,} record(s) missing" if company.missing_records else "Some"
            rows.append((f"{name}: complete", f"No. {missing}: DEAR's list kept changing while it was read."))
        rows.extend(
            (f"{name}: deleted while exporting", f"{record} was deleted in DEAR while the export ran.")
            for record in company.vanished
        )
        if company.from_cache:
            rows.append((f"{name}: from the local cache", f"{company.from_cache:,} record(s)"))
        rows.extend((f"{name}: note", note) for note in company.notes)
    return rows
