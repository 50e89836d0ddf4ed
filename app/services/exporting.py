"""The export use case: reports from DEAR into one workbook (or CSV files), with honest progress.

The window's worker and the command line both drive :meth:`ExportService.run`, a generator:
each ``yield`` is a :class:`~app.models.Progress` event and its return value is the
:class:`~app.models.ExportResult`. Requests run on a helper thread (see
:mod:`app.services.background`) so progress keeps flowing while DEAR makes us wait.

Rows come out in a fixed order (each report's ``order_by`` fields, then the ID), so
exporting the same data twice gives the same workbook. Nothing is written to the target
until everything arrived: a failure or a cancel leaves no half-written file behind.
"""

from __future__ import annotations

import heapq
import logging
import math
import threading
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import EllipsisType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from app import catalogue
from app.api.events import ApiEvent, EventCallback, Retrying, Throttled, Waiting
from app.api.paging import ListPager, ListStats, extract_records, read_total
from app.catalogue.flatten import child_elements, project, value_at
from app.errors import Cancelled, ConfigurationError
from app.export import AboutInfo, ExportWriter, ReportAbout, SheetWriter, open_writer
from app.export.values import parse_dear_datetime
from app.models import (
    CancelToken,
    ChildTable,
    ColumnSpec,
    Connection,
    EndpointSpec,
    ExportRequest,
    ExportResult,
    Progress,
    RateLimit,
    ReportRequest,
    SheetSummary,
    ValueKind,
)
from app.services.background import Fetcher
from app.services.cache import CacheService, RecordCache
from app.services.report_options import check_filters, choose_columns, filter_labels

if TYPE_CHECKING:
    from app.api.client import DearClient

log = logging.getLogger(__name__)
_T = TypeVar("_T")

# Pages with Include* flags are heavy; page them like the Airbyte connector does (REFERENCE §8.17).
HEAVY_PAGE_SIZE = 100
# At most this many progress events a second; more only costs the consumer.
_PROGRESS_INTERVAL = 0.2
# Waits shorter than this are ordinary pacing and not worth a message.
_NOTABLE_WAIT = 1.5
_PARENT_ID = "\x00parent-id"
_PARENT_NAME = "\x00parent-name"


def dear_client(connection: Connection, *, on_event: EventCallback | None = None) -> DearClient:
    """Make the real DEAR client for ``connection`` (the default :class:`ClientFactory`)."""
    # Imported here: requests takes a tenth of a second to load, which the window's start can skip.
    from app.api.client import DearClient

    return DearClient(connection, on_event=on_event)


def estimate_seconds(calls_remaining: int, limit: RateLimit, *, available_now: int | None = None) -> float:
    """:func:`app.api.client.estimate_seconds`, loaded on first use like the client itself."""
    from app.api.client import estimate_seconds as estimate

    return estimate(calls_remaining, limit, available_now=available_now)


class ClientFactory(Protocol):
    """Makes the client for a connection; ``DearClient`` itself fits."""

    def __call__(self, connection: Connection, *, on_event: EventCallback | None = None) -> DearClient:
        """Return a client for ``connection`` that reports its events to ``on_event``."""
        ...


# --------------------------------------------------------------------------- wording


def describe_duration(seconds: float) -> str:
    """Say roughly how long something takes, for office staff ("about 21 minutes")."""
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    hour_text = f"{hours} hour{'s' if hours != 1 else ''}"
    return f"about {hour_text}" + (f" {rest} minute{'s' if rest != 1 else ''}" if rest else "")


def describe_elapsed(seconds: float) -> str:
    """Say how long something took ("2 min 5 s")."""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def describe_limit(limit: RateLimit) -> str:
    """Say a rate limit in words ("60 requests a minute")."""
    if limit.seconds == 60:
        return f"{limit.calls} requests a minute"
    if limit.seconds == 1:
        return f"{limit.calls} requests a second"
    seconds = int(limit.seconds) if float(limit.seconds).is_integer() else limit.seconds
    return f"{limit.calls} requests every {seconds} seconds"


# --------------------------------------------------------------------------- estimates


@dataclass(frozen=True)
class ReportEstimate:
    """What one report will cost: records DEAR has, requests needed, and time at the limit."""

    key: str
    label: str
    records: int
    calls: int
    seconds: float
    explanation: str


@dataclass(frozen=True)
class Estimate:
    """What a whole export will cost, with a plain-English explanation."""

    calls: int
    seconds: float
    reports: tuple[ReportEstimate, ...]
    explanation: str

    @property
    def minutes(self) -> float:
        """The estimate in minutes."""
        return self.seconds / 60.0


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class _Plan:
    """One report, checked and ready: DEAR parameters, columns and child sheets."""

    request: ReportRequest
    spec: EndpointSpec
    filters: dict[str, str]
    params: dict[str, str]
    columns: tuple[ColumnSpec, ...]
    children: tuple[ChildTable, ...]
    page_size: int | None
    until: datetime | None

    @property
    def dated(self) -> bool:
        """True when the export's date range applies to this report's business date."""
        report = self.request
        return self.spec.date_field is not None and (
            report.date_from is not None or report.date_to is not None
        )

    def date_range_text(self) -> str:
        """Describe the range in words, e.g. "Order date from 2026-10-01 to 2026-10-31"."""
        report, label = self.request, self.spec.date_label or "Date"
        if report.date_from and report.date_to:
            return f"{label} from {report.date_from:%Y-%m-%d} to {report.date_to:%Y-%m-%d}"
        if report.date_from:
            return f"{label} on or after {report.date_from:%Y-%m-%d}"
        return f"{label} on or before {report.date_to:%Y-%m-%d}"

    @property
    def noun(self) -> str:
        return catalogue.record_noun(self.spec)

    @property
    def unique_by(self) -> str | tuple[str, ...]:
        return self.spec.key_fields or self.spec.id_field


def plan_report(report: ReportRequest) -> _Plan:
    """Check one report request against the catalogue (raises ConfigurationError)."""
    spec = catalogue.get(report.key)
    filters = check_filters(spec, report.filters)
    columns = choose_columns(spec, report.columns)
    children = spec.children if report.include_children and not spec.is_line_report else ()
    params: dict[str, str] = {**spec.fixed_params, **filters}
    page_size: int | None = spec.page_size if spec.paginated else None
    for child in children:
        params.update(child.params)
        if child.params and page_size is not None:
            page_size = min(page_size, HEAVY_PAGE_SIZE)
    until = report.until
    if until is not None and until.tzinfo is not None:
        until = until.astimezone(UTC).replace(tzinfo=None)
    return _Plan(report, spec, filters, params, columns, children, page_size, until)


def _in_range(value: Any, report: ReportRequest) -> bool:
    """Tell whether a DEAR date value falls inside the report's date range (days included).

    A row without that date (a sale never invoiced, say) is outside any range: it has no
    date to be in range with.
    """
    moment = parse_dear_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return False
    day = moment.date()
    if report.date_from is not None and day < report.date_from:
        return False
    return report.date_to is None or day <= report.date_to


_SORT_SLICE = 5_000


def sorted_in_slices(items: list[_T], key: Callable[[_T], Any]) -> list[_T]:
    """Return ``items`` sorted by ``key``, stable, in short steps.

    One ``list.sort`` of 100,000 rows holds Python's interpreter lock for a noticeable
    fraction of a second, and the window (on another thread) cannot paint meanwhile. Sorting
    slices and merging them gives the lock back between steps; the result is the same.
    """
    if len(items) <= _SORT_SLICE:
        return sorted(items, key=key)
    slices = [
        sorted(items[start : start + _SORT_SLICE], key=key) for start in range(0, len(items), _SORT_SLICE)
    ]
    return list(heapq.merge(*slices, key=key))


def _sort_part(value: Any) -> tuple[int, Any]:
    """Order values of mixed type: empty first, then numbers, then text (case-insensitive)."""
    if value is None or value == "":
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value).casefold())


def _row_key(spec: EndpointSpec, row: Mapping[str, Any]) -> tuple[tuple[int, Any], ...]:
    names = (*spec.order_by, *(spec.key_fields or (spec.id_field,)))
    return tuple(_sort_part(value_at(row, name)) for name in names)


# --------------------------------------------------------------------------- client events


class _Signals:
    """The latest wait the client reported, read by the progress builder (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until = 0.0
        self._reason = ""
        self.throttles = 0

    def __call__(self, event: ApiEvent) -> None:
        now = time.monotonic()
        if isinstance(event, Waiting):
            self._note(now + event.seconds, "throttled" if event.reason == "throttled" else "limit")
        elif isinstance(event, Throttled):
            with self._lock:
                self.throttles += 1
            self._note(now + event.wait_seconds, "throttled")
        elif isinstance(event, Retrying):
            self._note(now + event.wait_seconds, "retry")

    def _note(self, until: float, reason: str) -> None:
        with self._lock:
            if until >= self._until:
                self._until, self._reason = until, reason

    def waiting(self) -> tuple[float, str]:
        """Seconds still to wait (0 when none) and why."""
        with self._lock:
            return max(0.0, self._until - time.monotonic()), self._reason


# --------------------------------------------------------------------------- one run


@dataclass
class _Outcome:
    """What one report produced."""

    plan: _Plan
    sheet: SheetWriter
    stats: ListStats
    child_sheets: list[SheetWriter] = field(default_factory=list)
    left_out: int = 0

    def note(self) -> str:
        noun = self.plan.noun
        stats = self.stats
        if stats.complete:
            text = f"All {stats.total:,} {noun} arrived."
        else:
            text = (
                f"{stats.missing:,} of {stats.total:,} {noun} could not be read because DEAR's list kept "
                "changing while it was being read; export again to get them."
            )
        if self.plan.dated:
            kept = max(0, stats.unique - self.left_out)
            text += (
                f" {kept:,} of them have the {self.plan.date_range_text()[:1].lower()}"
                f"{self.plan.date_range_text()[1:]}; the other {self.left_out:,} were left out."
            )
        elif self.left_out and self.plan.until is not None:
            text += (
                f" {self.left_out:,} {noun} changed on or after "
                f"{self.plan.until:%Y-%m-%d %H:%M} UTC (the end of the date range) were left out."
            )
        return text


class _Run:
    """The state of one export while its generator runs."""

    def __init__(
        self,
        request: ExportRequest,
        plans: Sequence[_Plan],
        client: DearClient,
        signals: _Signals,
        cache: RecordCache | None,
        cancel: CancelToken,
    ) -> None:
        self.request = request
        self.plans = plans
        self.client = client
        self.signals = signals
        self.cache = cache
        self.cancel = cancel
        self.limit = request.connection.rate_limit
        self.position = 0
        self._last_progress = 0.0

    # -- progress

    def _progress(
        self,
        phase: str,
        message: str,
        done: int = 0,
        total: int | None = None,
        calls_remaining: int | None = None,
        *,
        force: bool = False,
    ) -> Progress | None:
        now = time.monotonic()
        if not force and now - self._last_progress < _PROGRESS_INTERVAL:
            return None
        self._last_progress = now
        wait, reason = self.signals.waiting()
        if wait >= _NOTABLE_WAIT:
            phase = "waiting"
            seconds = math.ceil(wait)
            if reason == "throttled":
                message = f"DEAR asked us to slow down; continuing in {seconds} s"
            elif reason == "retry":
                message = f"DEAR did not answer properly; trying again in {seconds} s"
            else:
                message = f"DEAR limits us to {describe_limit(self.limit)}; continuing in {seconds} s"
        seconds_left: float | None = None
        later_unmeasured = self.position < len(self.plans) - 1
        if calls_remaining is not None and not later_unmeasured:
            # Calls that fit in the window's free slots go at once; the rest wait their turn.
            free = self.client.governor.free_slots()
            seconds_left = estimate_seconds(calls_remaining, self.limit, available_now=free) + wait
        stats = self.client.stats
        return Progress(
            phase=phase,
            message=message,
            records_done=done,
            records_total=total,
            calls_used=stats.calls,
            calls_remaining=calls_remaining,
            waiting_seconds=wait,
            seconds_left=seconds_left,
        )

    def _check_cancel(self) -> None:
        if self.cancel.cancelled:
            raise Cancelled()

    # -- listing

    def _list(self, plan: _Plan, holder: list[ListPager]) -> Callable[[CancelToken], Iterable[list[Any]]]:
        def source(token: CancelToken) -> Iterable[list[Any]]:
            pager = self.client.list_pager(
                plan.spec.path,
                plan.spec.list_key,
                params=plan.params,
                id_field=plan.unique_by,
                page_size=plan.page_size,
                alt_list_keys=plan.spec.alt_list_keys,
                cancel=token,
            )
            holder.append(pager)
            return pager

        return source

    def _listing_progress(
        self, plan: _Plan, holder: list[ListPager], *, force: bool = False
    ) -> Progress | None:
        pager = holder[0] if holder else None
        noun = plan.noun
        if pager is None or pager.stats.pages == 0:
            return self._progress("listing", f"Reading the list of {noun}", force=force)
        stats = pager.stats
        pages_left: int | None = None
        if plan.page_size is not None:
            pages_left = max(0, math.ceil(stats.total / plan.page_size) - stats.pages)
        details_left = stats.total if plan.spec.needs_detail else 0
        remaining = None if pages_left is None else pages_left + details_left
        return self._progress(
            "listing",
            f"Reading the list of {noun}: {stats.unique:,} of {stats.total:,}",
            stats.unique,
            stats.total,
            remaining,
            force=force,
        )

    def _dropped(self, plan: _Plan, row: Mapping[str, Any]) -> bool:
        """Tell whether the date range leaves this row out.

        DEAR has no filter on business dates (order date, effective date...) and its change
        filters are since-only (REFERENCE §8.8), so the range is applied to the list rows here,
        before any detail request is spent on them.
        """
        if plan.dated:
            return not _in_range(value_at(row, plan.spec.date_field or ""), plan.request)
        if plan.until is None or not plan.spec.modified_field:
            return False
        value = value_at(row, plan.spec.modified_field)
        moment = parse_dear_datetime(value) if isinstance(value, str) else None
        return moment is not None and moment >= plan.until

    def _collect(
        self, plan: _Plan, keep: Callable[[Mapping[str, Any]], Any]
    ) -> Generator[Progress, None, tuple[list[Any], ListStats, int]]:
        """Read a report's whole list, keeping ``keep(row)`` for each row; report progress per page."""
        holder: list[ListPager] = []
        kept: list[Any] = []
        left_out = 0
        first = self._listing_progress(plan, holder, force=True)
        if first is not None:
            yield first
        fetcher: Fetcher[list[Any]] = Fetcher(self.cancel)
        for batch in fetcher.run(self._list(plan, holder)):
            self._check_cancel()
            for row in batch or ():
                if not isinstance(row, Mapping):
                    continue
                if self._dropped(plan, row):
                    left_out += 1
                else:
                    kept.append(keep(row))
            progress = self._listing_progress(plan, holder)
            if progress is not None:
                yield progress
        return kept, holder[0].stats, left_out

    # -- reports

    def plain(self, plan: _Plan, writer: ExportWriter) -> Generator[Progress, None, _Outcome]:
        """Export a report whose list rows are the records: read the list, sort it, write it.

        Only the cells are kept while the list arrives (not DEAR's whole records), so even
        a list of 100,000 products sorts in modest memory.
        """
        spec = plan.spec
        name_field = spec.columns[0].field

        def keep(row: Mapping[str, Any]) -> tuple[Any, list[Any], list[list[list[Any]]]]:
            link = [value_at(row, spec.id_field), value_at(row, name_field)]
            children = [
                [[*link, *project(element, child.columns)] for element in child_elements(row, child)]
                for child in plan.children
            ]
            return _row_key(spec, row), project(row, plan.columns), children

        collected, stats, left_out = yield from self._collect(plan, keep)
        records = sorted_in_slices(collected, key=lambda record: record[0])
        del collected
        count = len(records)
        progress = self._progress("writing", f"Writing {count:,} {plan.noun}", count, count, force=True)
        if progress is not None:
            yield progress
        sheet = writer.add_sheet(catalogue.sheet_title(spec), plan.columns)
        # Rows are popped as they are written so that memory is given back a row at a time:
        # freeing 100,000 rows in one go holds the interpreter long enough to stall the window.
        kept_children: list[list[list[list[Any]]]] = []
        records.reverse()
        while records:
            _, values, children = records.pop()
            sheet.write_row(values)
            if plan.children:
                kept_children.append(children)
        outcome = _Outcome(plan, sheet, stats, left_out=left_out)
        kept_children.reverse()
        for position, child in enumerate(plan.children):
            child_sheet = writer.add_sheet(child.label, self._child_columns(plan, child))
            last = position == len(plan.children) - 1
            for index in range(len(kept_children) - 1, -1, -1):
                for values in kept_children[index][position]:
                    child_sheet.write_row(values)
                if last:
                    kept_children.pop()
            outcome.child_sheets.append(child_sheet)
        return outcome

    @staticmethod
    def _child_columns(plan: _Plan, child: ChildTable) -> tuple[ColumnSpec, ...]:
        """Return a child sheet's columns: the parent's ID and name (its first column), then its own."""
        spec = plan.spec
        id_header = next((c.header for c in spec.columns if c.field == spec.id_field), f"{spec.label} ID")
        name_column = spec.columns[0]
        return (
            ColumnSpec(_PARENT_ID, id_header, ValueKind.ID),
            ColumnSpec(_PARENT_NAME, name_column.header, name_column.kind),
            *child.columns,
        )

    def lines(self, plan: _Plan, writer: ExportWriter) -> Generator[Progress, None, _Outcome]:
        """Export a line report: read the summary list, then each record's detail; one row per line."""
        spec = plan.spec
        assert spec.detail is not None and spec.rows_hook is not None
        detail, hook = spec.detail, spec.rows_hook
        rows, stats, left_out = yield from self._collect(plan, lambda row: row)
        listed_at = datetime.now(UTC)
        summaries = [row for row in rows if row.get(detail.id_field)]
        summaries.sort(key=lambda row: _row_key(spec, row))
        sheet = writer.add_sheet(catalogue.sheet_title(spec), plan.columns)
        total = len(summaries)
        ids = [str(row[detail.id_field]) for row in summaries]

        def source(token: CancelToken) -> Iterable[tuple[str, Any]]:
            if self.cache is not None:
                return self.cache.fetch_details(
                    self.client,
                    spec,
                    summaries,
                    cancel=token,
                    refresh=not self.request.use_cache,
                    listed_at=listed_at,
                )
            return self.client.fetch_details(detail.path, detail.param, ids, cancel=token)

        done = 0
        first = self._progress("details", f"Reading {plan.noun}: 0 of {total:,}", 0, total, total, force=True)
        if first is not None:
            yield first
        fetcher: Fetcher[tuple[str, Any]] = Fetcher(self.cancel)
        for item in fetcher.run(source):
            self._check_cancel()
            if item is not None:
                record_id, document = item
                summary = summaries[done]
                if str(record_id).lower() != ids[done].lower():
                    raise RuntimeError(f"details arrived out of order: {record_id} for {ids[done]}")
                for line in hook(summary, document if isinstance(document, Mapping) else {}):
                    sheet.write_row(project(line, plan.columns))
                done += 1
            progress = self._progress(
                "details", f"Reading {plan.noun}: {done:,} of {total:,}", done, total, total - done
            )
            if progress is not None:
                yield progress
        return _Outcome(plan, sheet, stats, left_out=left_out)


# --------------------------------------------------------------------------- the service


class ExportService:
    """Runs exports and estimates their cost. No Qt; the window and the CLI share it.

    ``client_factory`` makes the DEAR client for a connection (:func:`dear_client`, a
    ``DearClient``, by default).
    ``cache`` is the local record cache: the user's own by default, None to never use one.
    """

    def __init__(
        self,
        client_factory: ClientFactory = dear_client,
        *,
        cache: CacheService | EllipsisType | None = ...,
    ) -> None:
        self._client_factory = client_factory
        self._cache = CacheService() if cache is ... else cache

    def __repr__(self) -> str:
        return f"ExportService(cache={'on' if self._cache is not None else 'off'})"

    # -- estimate

    def estimate(self, request: ExportRequest, cancel: CancelToken | None = None) -> Estimate:
        """Ask DEAR how many records each report has (one small request each) and say what it costs."""
        plans = [plan_report(report) for report in request.reports]
        limit = request.connection.rate_limit
        estimates: list[ReportEstimate] = []
        with self._client_factory(request.connection) as client:
            for plan in plans:
                estimates.append(self._estimate_one(client, plan, limit, cancel))
        calls = sum(e.calls for e in estimates)
        seconds = estimate_seconds(calls, limit)
        sentences = [e.explanation for e in estimates]
        if len(estimates) > 1:
            sentences.append(
                f"In all about {calls:,} requests at {describe_limit(limit)}: {describe_duration(seconds)}."
            )
        return Estimate(calls, seconds, tuple(estimates), " ".join(sentences))

    @staticmethod
    def _estimate_one(
        client: DearClient, plan: _Plan, limit: RateLimit, cancel: CancelToken | None
    ) -> ReportEstimate:
        spec = plan.spec
        params: dict[str, Any] = dict(plan.params)
        if plan.page_size is not None:
            params.update({"Page": 1, "Limit": 1})
        if plan.dated and spec.needs_detail:
            # Only rows inside the date range cost a detail request, and DEAR cannot count them
            # for us: read the list (one request per page) and count.
            pager = client.list_pager(
                spec.path,
                spec.list_key,
                params=plan.params,
                id_field=plan.unique_by,
                page_size=plan.page_size,
                alt_list_keys=spec.alt_list_keys,
                cancel=cancel,
            )
            field_name = spec.date_field or ""
            total = sum(
                1 for batch in pager for row in batch if _in_range(value_at(row, field_name), plan.request)
            )
            pages = max(1, pager.stats.pages)
        else:
            body = client.get(spec.path, params, cancel=cancel)
            read = read_total(body)
            if read is None:
                read = len(extract_records(body, spec.list_key, spec.alt_list_keys, path=spec.path))
            total = read
            pages = 1 if plan.page_size is None else max(1, math.ceil(total / plan.page_size))
        details = total if spec.needs_detail else 0
        calls = pages + details
        seconds = estimate_seconds(calls, limit)
        noun = plan.noun
        if spec.needs_detail:
            explanation = (
                f"{spec.label}: {total:,} {noun} need one request each: {describe_duration(seconds)}."
            )
        else:
            requests_text = f"{pages:,} request{'s' if pages != 1 else ''}"
            explanation = f"{spec.label}: {total:,} {noun} in {requests_text}: {describe_duration(seconds)}."
        return ReportEstimate(spec.key, spec.label, total, calls, seconds, explanation)

    # -- run

    def run(self, request: ExportRequest, cancel: CancelToken) -> Generator[Progress, None, ExportResult]:
        """Export every report of ``request`` into one workbook (or CSV set); yields progress.

        Raises ConfigurationError (bad report, filter or column) and ExportError (unusable
        target) before any request, then AuthenticationError, other ApiErrors, ExportError
        or Cancelled. On any error nothing is written.
        """
        started = time.monotonic()
        plans = [plan_report(report) for report in request.reports]
        if not plans:
            raise ConfigurationError("No report was chosen.", hint="Choose at least one report to export.")
        writer = open_writer(request.output, request.format)
        signals = _Signals()
        with writer:
            yield self._note_progress("connecting", "Connecting to DEAR")
            with self._client_factory(request.connection, on_event=signals) as client:
                company = str(client.me(cancel=cancel).get("Company") or "")
                record_cache = self._open_cache(request, plans)
                try:
                    run = _Run(request, plans, client, signals, record_cache, cancel)
                    outcomes: list[_Outcome] = []
                    for position, plan in enumerate(plans):
                        run.position = position
                        if plan.spec.is_line_report:
                            outcomes.append((yield from run.lines(plan, writer)))
                        else:
                            outcomes.append((yield from run.plain(plan, writer)))
                    writer.set_about(self._about(plans, outcomes, record_cache, company))
                    yield self._note_progress("writing", "Saving the file", calls=client.stats.calls)
                finally:
                    if record_cache is not None:
                        record_cache.close()
                calls = client.stats.calls
                from_cache = record_cache.stats.from_cache if record_cache is not None else 0
        sheets: list[SheetSummary] = []
        for outcome in outcomes:
            note = outcome.note()
            sheets.append(SheetSummary(outcome.sheet.name, outcome.sheet.rows, outcome.stats.complete, note))
            for child in outcome.child_sheets:
                sheets.append(SheetSummary(child.name, child.rows, outcome.stats.complete, note))
        seconds = time.monotonic() - started
        result = ExportResult(
            files=writer.files,
            sheets=tuple(sheets),
            calls_used=calls,
            seconds=seconds,
            complete=all(outcome.stats.complete for outcome in outcomes),
            notes=tuple(outcome.note() for outcome in outcomes),
            from_cache=from_cache,
        )
        rows = sum(outcome.sheet.rows for outcome in outcomes)
        yield Progress(
            phase="done",
            message=f"Wrote {rows:,} rows in {describe_elapsed(seconds)}",
            records_done=rows,
            records_total=rows,
            calls_used=calls,
            calls_remaining=0,
            seconds_left=0.0,
        )
        return result

    @staticmethod
    def _note_progress(phase: str, message: str, *, calls: int = 0) -> Progress:
        return Progress(phase=phase, message=message, calls_used=calls)

    def _open_cache(self, request: ExportRequest, plans: Sequence[_Plan]) -> RecordCache | None:
        """Open the record cache for this export (None: no report reads details, or no cache)."""
        if self._cache is None or not any(plan.spec.needs_detail for plan in plans):
            return None
        cache = self._cache.open(request.connection)
        if not cache.available:
            cache.close()
            return None
        return cache

    @staticmethod
    def _about(
        plans: Sequence[_Plan],
        outcomes: Sequence[_Outcome],
        record_cache: RecordCache | None,
        company: str,
    ) -> AboutInfo:
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
        )
