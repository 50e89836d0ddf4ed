"""Exporting one report: read its list, keep its rows in order, read details, write the rows.

Plain reports write their (sorted) list rows; line reports read each listed record's detail
and write one row per line. Both keep rows in a :class:`~app.services.exporting.spill.SortedSpill`,
so memory stays bounded however long the list is, and both check the cancel token for every
row, writing included.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app import catalogue
from app.api.paging import ListStats
from app.catalogue.flatten import child_elements, project, value_at
from app.errors import Cancelled
from app.export import SheetWriter
from app.models import CancelToken, ColumnSpec, ExportRequest, ExtraSheet, Progress
from app.services.cache import RecordCache, stamp_field
from app.services.exporting.client import estimate_seconds
from app.services.exporting.order import row_key
from app.services.exporting.plan import Plan
from app.services.exporting.product_fields import PAGE_SIZE, ProductLookup, ProductTable, reading_words
from app.services.exporting.progress import NOTABLE_WAIT, ProgressFeed, WaitWatch
from app.services.exporting.spill import RUN_WEIGHT, SortedSpill
from app.services.exporting.wording import describe_vanished, report_words

if TYPE_CHECKING:
    from app.api.client import DearClient

# A "writing" event at most every this many rows (the feed throttles them further).
_WRITE_STEP = 1_000

PlainRow = tuple[list[Any], list[list[list[Any]]]]


class SheetSink(Protocol):
    """Where a report's sheets go: the export writer, or one company's buffer (several companies)."""

    def add_sheet(self, name: str, columns: Sequence[ColumnSpec]) -> SheetWriter:
        """Start a sheet with these columns."""
        ...

    def add_extra_sheets(self, sheets: Sequence[ExtraSheet], before: SheetWriter) -> str:
        """Add sheets computed from a report's rows; return a note when they cannot be made."""
        ...


@dataclass
class Outcome:
    """What one report produced."""

    plan: Plan
    sheet: SheetWriter
    stats: ListStats
    child_sheets: list[SheetWriter] = field(default_factory=list)
    left_out: int = 0
    vanished: list[str] = field(default_factory=list)
    extras_note: str = ""  # extra sheets (a summary) this format could not hold
    products_note: str = ""  # where product fields (categories) come from, and any not read

    def note(self) -> str:
        """One or two sentences for the result and the About sheet."""
        noun = self.plan.noun
        stats = self.stats
        if not stats.complete:
            text = (
                f"{stats.missing:,} of {stats.total:,} {noun} could not be read because DEAR's list kept "
                "changing while it was being read; export again to get them."
            )
        elif self.vanished:
            text = f"{stats.total - len(self.vanished):,} of {stats.total:,} {noun} arrived."
        else:
            text = f"All {stats.total:,} {noun} arrived."
        if self.plan.dated:
            kept = max(0, stats.unique - self.left_out)
            words = self.plan.date_range_text()
            text += (
                f" {kept:,} of them have the {words[:1].lower()}{words[1:]}; "
                f"the other {self.left_out:,} were left out."
            )
        elif self.left_out and self.plan.until is not None:
            text += (
                f" {self.left_out:,} {noun} changed on or after "
                f"{self.plan.until:%Y-%m-%d %H:%M} UTC (the end of the date range) were left out."
            )
        if self.vanished:
            pronoun = "it is" if len(self.vanished) == 1 else "they are"
            text += f" {describe_vanished(self.vanished)}, so {pronoun} not in this export."
        if self.extras_note:
            text += f" {self.extras_note}"
        if self.products_note:
            text += f" {self.products_note}"
        return text


class ReportRunner:
    """Runs the reports of one export with one client, pushing progress as it goes."""

    def __init__(
        self,
        request: ExportRequest,
        client: DearClient,
        feed: ProgressFeed,
        watch: WaitWatch,
        cache: RecordCache | None,
        cancel: CancelToken,
        *,
        reports: int,
        spill_folder: Path | None = None,
        run_weight: int = RUN_WEIGHT,
    ) -> None:
        self.request = request
        self.client = client
        self.feed = feed
        self.watch = watch
        self.cache = cache
        self.cancel = cancel
        self.limit = request.connection.rate_limit
        self.reports = reports
        self.position = 0
        self._spill_folder = spill_folder
        self._run_weight = run_weight
        # Product-list fields for line rows (categories): run_reports sets it from the plans.
        self.products = ProductLookup()

    # -- progress

    def progress(
        self,
        phase: str,
        message: str,
        done: int = 0,
        total: int | None = None,
        calls_remaining: int | None = None,
        *,
        force: bool = False,
    ) -> None:
        """Push a progress event (a wait still running turns it into a "waiting" event)."""
        if not self.feed.listening:
            return
        wait, reason = self.watch.waiting()
        seconds_left: float | None = None
        if calls_remaining is not None and self.position >= self.reports - 1:
            # Only the last report's cost is known here. Calls that fit in the window's free
            # slots go at once; the rest wait their turn.
            free = self.client.governor.free_slots()
            seconds_left = estimate_seconds(calls_remaining, self.limit, available_now=free) + wait
        if wait >= NOTABLE_WAIT and not force:
            # Still waiting for DEAR: say so (the counts still move as answers already sent arrive).
            phase, message = "waiting", self.watch.message(wait, reason)
        event = Progress(
            phase=phase,
            message=message,
            records_done=done,
            records_total=total,
            calls_used=self.client.stats.calls,
            calls_remaining=calls_remaining,
            waiting_seconds=wait,
            seconds_left=seconds_left,
        )
        self.feed.push(event, force=force)

    def check_cancel(self) -> None:
        """Raise Cancelled once the token is set."""
        if self.cancel.cancelled:
            raise Cancelled()

    def _spill(self) -> SortedSpill[Any]:
        return SortedSpill(run_weight=self._run_weight, folder=self._spill_folder, cancel=self.cancel)

    # -- listing

    def collect(self, plan: Plan, take: Callable[[Mapping[str, Any]], None]) -> tuple[ListStats, int]:
        """Read a report's whole list, handing each row in range to ``take``; progress per page."""
        spec = plan.spec
        pager = plan.list_pager(self.client, self.cancel)
        left_out = 0
        self.progress("listing", f"Reading the list of {plan.noun}", force=True)
        for batch in pager:
            self.check_cancel()
            rows: list[Any] = batch  # DEAR's lists are not always objects all through
            for row in rows:
                if not isinstance(row, Mapping):
                    continue
                if plan.dropped(row):
                    left_out += 1
                else:
                    take(row)
            stats = pager.stats
            pages_left = None
            if plan.page_size is not None:
                pages_left = max(0, math.ceil(stats.total / plan.page_size) - stats.pages)
            details_left = stats.total if spec.needs_detail else 0
            self.progress(
                "listing",
                f"Reading the list of {plan.noun}: {stats.unique:,} of {stats.total:,}",
                stats.unique,
                stats.total,
                None if pages_left is None else pages_left + details_left,
            )
        return pager.stats, left_out

    # -- plain reports

    def plain(self, plan: Plan, writer: SheetSink) -> Outcome:
        """Export a report whose list rows are the records: read the list, sort it, write it.

        Only the cells are kept (not DEAR's whole records), sorted on disk past a bound; the
        main sheet and its child sheets are written side by side from the sorted rows.
        """
        spec = plan.spec
        name_field = spec.columns[0].field

        with self._spill() as rows:

            def take(row: Mapping[str, Any]) -> None:
                link = [value_at(row, spec.id_field), value_at(row, name_field)]
                children = [
                    [[*link, *project(element, child.columns)] for element in child_elements(row, child)]
                    for child in plan.children
                ]
                item: PlainRow = (project(row, plan.columns), children)
                size = len(plan.columns) + sum(len(values) for rows_ in children for values in rows_)
                rows.add(row_key(spec, row), item, values=size)

            stats, left_out = self.collect(plan, take)
            count = len(rows)
            self.progress("writing", f"Writing {count:,} {plan.noun}", 0, count, force=True)
            sheet = writer.add_sheet(catalogue.sheet_title(spec), plan.columns)
            child_sheets = [
                writer.add_sheet(child.label, plan.child_columns(child)) for child in plan.children
            ]
            for written, (values, children) in enumerate(rows.items(), 1):
                self.check_cancel()
                sheet.write_row(values)
                for child_sheet, child_rows in zip(child_sheets, children, strict=True):
                    for child_values in child_rows:
                        child_sheet.write_row(child_values)
                if written % _WRITE_STEP == 0:
                    self.progress("writing", f"Writing {plan.noun}: {written:,} of {count:,}", written, count)
        return Outcome(plan, sheet, stats, child_sheets, left_out=left_out)

    # -- line reports

    def lines(self, plan: Plan, writer: SheetSink) -> Outcome:
        """Export a line report: read the summary list, then each record's detail; one row per line.

        A record DEAR deleted after it was listed arrives as ``(id, None)``: it is skipped and
        named (``Outcome.vanished``), and the export goes on.
        """
        spec = plan.spec
        assert spec.detail is not None and spec.rows_hook is not None
        detail, hook = spec.detail, spec.rows_hook
        with self._spill() as summaries:

            def take(row: Mapping[str, Any]) -> None:
                if row.get(detail.id_field):
                    summaries.add(row_key(spec, row), row, values=len(row))

            stats, left_out = self.collect(plan, take)
            listed_at = datetime.now(UTC)
            sheet = writer.add_sheet(catalogue.sheet_title(spec), plan.columns)
            total = len(summaries)
            outcome = Outcome(plan, sheet, stats, left_out=left_out)
            products = self._products(plan, total) if plan.product_fields and total else None
            if products is not None:
                outcome.products_note = products.note()
            # With a cache, how many requests are left is known once it has compared the list.
            first_calls = None if self.cache is not None else total
            self.progress(
                "details", f"Reading {plan.noun}: 0 of {total:,}", 0, total, first_calls, force=True
            )
            source = self._details(plan, summaries, listed_at)
            digest = spec.digest() if spec.digest is not None else None
            try:
                for done, summary in enumerate(summaries.items(), 1):
                    self.check_cancel()
                    expected = str(summary[detail.id_field])
                    arrived = next(source, None)
                    if arrived is None:
                        raise RuntimeError(f"the detail of record {expected} never arrived")
                    record_id, document = arrived
                    if str(record_id).lower() != expected.lower():
                        raise RuntimeError(f"details arrived out of order: {record_id} for {expected}")
                    message = f"Reading {plan.noun}: {done:,} of {total:,}"
                    if document is None:
                        # Deleted in DEAR after the list was read: named, left out, not an error.
                        name = plan.record_name(summary, expected)
                        outcome.vanished.append(name)
                        message = f"{describe_vanished([name])}; it is left out"
                    else:
                        for line in hook(summary, document if isinstance(document, Mapping) else {}):
                            if products is not None:
                                line = products.fill(line)
                            sheet.write_row(project(line, plan.columns))
                            if digest is not None:  # the same rows feed the report's extra sheets
                                digest.add(line)
                    self.progress(
                        "details",
                        message,
                        done,
                        total,
                        self._calls_left(total - done),
                        force=document is None,
                    )
                # Run the source to its end: the cache marks itself refreshed only then.
                if next(source, None) is not None:
                    raise RuntimeError("more details arrived than records were listed")
                if digest is not None:
                    outcome.extras_note = writer.add_extra_sheets(digest.sheets(), before=sheet)
            finally:
                close = getattr(source, "close", None)
                if close is not None:  # stop the client's threads fetching ahead
                    close()
        return outcome

    def _products(self, plan: Plan, details: int) -> ProductTable:
        """Return the product table for a line report's rows (the product list is read once per export)."""
        words = reading_words(plan.product_fields, plan.columns)

        def on_page(done: int, total: int) -> None:
            pages_left = max(0, math.ceil(total / PAGE_SIZE) - math.ceil(done / PAGE_SIZE))
            calls = None if self.cache is not None else pages_left + details
            self.progress("details", f"{words}: {done:,} of {total:,}", done, total, calls)

        # A phase of "details" (what a line report reads after its list), so it is shown at once.
        self.progress("details", words, force=True)
        return self.products.table(self.client, self.cancel, on_page)

    def _calls_left(self, records_left: int) -> int:
        """Return the requests still needed for ``records_left`` details (cached ones cost none)."""
        if self.cache is None:
            return records_left
        return max(0, records_left - self.cache.stats.still_to_serve)

    def _details(
        self, plan: Plan, summaries: SortedSpill[Mapping[str, Any]], listed_at: datetime
    ) -> Iterator[tuple[str, Any]]:
        """Yield the detail documents in the summaries' order: from the cache where it may, else DEAR."""
        spec = plan.spec
        assert spec.detail is not None
        id_field = spec.detail.id_field
        if self.cache is not None:
            stamp = stamp_field(spec)
            # The cache needs each record's ID and change time only; the whole rows stay on disk.
            light: Sequence[Mapping[str, Any]] = [
                {id_field: row[id_field], stamp: row.get(stamp)} for row in summaries.items()
            ]
            return iter(
                self.cache.fetch_details(
                    self.client,
                    spec,
                    light,
                    cancel=self.cancel,
                    refresh=not self.request.use_cache,
                    listed_at=listed_at,
                )
            )
        ids = (str(row[id_field]) for row in summaries.items())
        return iter(self.client.fetch_details(spec.detail.path, spec.detail.param, ids, cancel=self.cancel))


# A report built from whole lists rather than row by row (``EndpointSpec.computed`` names it).
ComputedReport = Callable[["ReportRunner", Plan, SheetSink], Outcome]


def run_reports(
    runner: ReportRunner,
    plans: Sequence[Plan],
    writer: SheetSink,
    computed: Mapping[str, ComputedReport],
) -> list[Outcome]:
    """Export every planned report, in order, into ``writer``.

    ``computed`` holds the computations named by catalogue entries (stock history); it is passed
    in because those computations build on this module.
    """
    outcomes: list[Outcome] = []
    runner.products = ProductLookup(plan.product_fields for plan in plans)
    for position, plan in enumerate(plans):
        runner.position = position
        with report_words(plan.spec):  # DEAR's refusals named by report, not by endpoint
            if plan.spec.computed:
                outcomes.append(computed[plan.spec.computed](runner, plan, writer))
            elif plan.spec.is_line_report:
                outcomes.append(runner.lines(plan, writer))
            else:
                outcomes.append(runner.plain(plan, writer))
        runner.feed.flush()
    return outcomes
