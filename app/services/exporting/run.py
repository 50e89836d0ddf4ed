"""The export service: estimate an export, and run it start to finish with progress pushed as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from app.errors import Cancelled, ConfigurationError
from app.export import ExportWriter, create_folder, open_writer
from app.models import CancelToken, Connection, ExportRequest, ExportResult, Progress
from app.services.cache import CacheService, RecordCache
from app.services.exporting.client import ClientFactory, dear_client
from app.services.exporting.companies import CompanyRead, CompanyReader, JointSheets, open_record_cache
from app.services.exporting.company_estimate import slowest_company
from app.services.exporting.company_progress import CompanyBoard
from app.services.exporting.estimate import (
    Estimate,
    ReportEstimate,
    add_product_reads,
    combine,
    estimate_report,
)
from app.services.exporting.plan import Plan, plan_report
from app.services.exporting.progress import ProgressFeed, WaitWatch
from app.services.exporting.reports import Outcome, ReportRunner, run_reports
from app.services.exporting.spill import RUN_WEIGHT, remove_stale_spills
from app.services.exporting.summary import about_info, companies_about, companies_result, export_result
from app.services.exporting.wording import describe_elapsed, report_words
from app.services.stock_history.estimate import estimate_computed
from app.services.stock_history.reports import COMPUTED
from app.services.workbooks.plan import workbook_plan


class ExportService:
    """Runs exports and estimates their cost. No Qt; the window and the CLI share it.

    ``client_factory`` makes the DEAR client for a connection (:func:`dear_client`, a
    ``DearClient``, by default). ``cache`` is the local record cache (None: never use one).
    ``spill_folder`` is where long lists are sorted on disk (default: the system's temporary
    folder) and ``run_weight`` how much of a list is sorted in memory before it goes there
    (see :mod:`app.services.exporting.spill`).
    """

    def __init__(
        self,
        client_factory: ClientFactory = dear_client,
        *,
        cache: CacheService | None,
        spill_folder: Path | None = None,
        run_weight: int = RUN_WEIGHT,
    ) -> None:
        self._client_factory = client_factory
        self._cache = cache
        self._spill_folder = spill_folder
        self._run_weight = run_weight

    def __repr__(self) -> str:
        return f"ExportService(cache={'on' if self._cache is not None else 'off'})"

    def estimate(self, request: ExportRequest, cancel: CancelToken | None = None) -> Estimate:
        """Ask DEAR how many records each report has and what it costs (records the cache serves: nothing)."""
        if request.several_companies:
            return slowest_company(
                request.connections,
                lambda connection: self.estimate(
                    replace(request, connection=connection, connections=()), cancel
                ),
            )
        plans = [plan_report(report) for report in request.reports]
        limit = request.connection.rate_limit
        estimates: list[ReportEstimate] = []
        with self._client_factory(request.connection) as client:
            # the export's own cache, so the estimate counts what it will serve (none on "refresh")
            record_cache = self._open_cache(request, plans) if request.use_cache else None
            try:
                for plan in plans:
                    with report_words(plan.spec):  # DEAR's refusals named by report, not by endpoint
                        if plan.spec.computed:
                            estimates.append(estimate_computed(client, plan, limit, cancel))
                        else:
                            estimates.append(estimate_report(client, plan, limit, cancel, record_cache))
                estimates = add_product_reads(client, plans, estimates, limit, cancel)
            finally:
                if record_cache is not None:
                    record_cache.close()
        return combine(estimates, limit)

    def run(
        self,
        request: ExportRequest,
        cancel: CancelToken,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ExportResult:
        """Export every report of ``request`` into one workbook (or CSV set) and return what was written.

        ``on_progress`` receives :class:`~app.models.Progress` events, about five a second at
        most (the latest is never lost); it is called from this thread and from the client's
        request threads, so it must be thread-safe and quick (forward the event, nothing more).

        Raises ConfigurationError (bad report, filter or column) and ExportError (unusable
        target) before any request, then AuthenticationError, other ApiErrors, ExportError
        or Cancelled (within a moment of ``cancel``, in every phase). On any error nothing is
        written and an existing target is left as it was.
        """
        started = time.monotonic()
        plans = [plan_report(report) for report in request.reports]
        if not plans:
            raise ConfigurationError("No report was chosen.", hint="Choose at least one report to export.")
        # The writer is opened before the first request: it checks the folder, the names and a
        # probe file (preflight_target's checks), so an unwritable folder or a name too long is
        # found at once rather than after an hour of fetching.
        create_folder(request.output)
        writer = open_writer(request.output, request.format, cancel=cancel, plan=workbook_plan(request))
        remove_stale_spills(self._spill_folder)
        feed = ProgressFeed(on_progress)
        try:
            if request.several_companies:
                return self._export_companies(request, plans, writer, feed, cancel, started)
            with writer:
                outcomes, calls, from_cache = self._export(request, plans, writer, feed, cancel)
            seconds = time.monotonic() - started
            result = export_result(
                writer.files, outcomes, calls=calls, seconds=seconds, from_cache=from_cache
            )
            rows = sum(outcome.sheet.rows for outcome in outcomes)
            done = Progress(
                phase="done",
                message=f"Wrote {rows:,} rows in {describe_elapsed(seconds)}",
                records_done=rows,
                records_total=rows,
                calls_used=calls,
                calls_remaining=0,
                seconds_left=0.0,
            )
            feed.push(done, force=True)
            return result
        finally:
            feed.close()

    def _export(
        self,
        request: ExportRequest,
        plans: Sequence[Plan],
        writer: ExportWriter,
        feed: ProgressFeed,
        cancel: CancelToken,
    ) -> tuple[list[Outcome], int, int]:
        """Fetch and write every report; return the outcomes, requests used and records from the cache."""
        feed.push(Progress(phase="connecting", message="Connecting to DEAR"), force=True)
        watch = WaitWatch(feed, request.connection.rate_limit)
        with self._client_factory(request.connection, on_event=watch) as client:
            company = str(client.me(cancel=cancel).get("Company") or "")
            record_cache = self._open_cache(request, plans)
            try:
                runner = ReportRunner(
                    request,
                    client,
                    feed,
                    watch,
                    record_cache,
                    cancel,
                    reports=len(plans),
                    spill_folder=self._spill_folder,
                    run_weight=self._run_weight,
                )
                outcomes = self._run_reports(runner, plans, writer)
                writer.set_about(about_info(plans, outcomes, record_cache, company))
            finally:
                if record_cache is not None:
                    record_cache.close()
            calls = client.stats.calls
            from_cache = record_cache.stats.from_cache if record_cache is not None else 0
        if cancel.cancelled:  # a cancel during the last rows must not save the file after all
            raise Cancelled()
        feed.push(Progress(phase="writing", message="Saving the file", calls_used=calls), force=True)
        return outcomes, calls, from_cache

    def _export_companies(
        self,
        request: ExportRequest,
        plans: Sequence[Plan],
        writer: ExportWriter,
        feed: ProgressFeed,
        cancel: CancelToken,
        started: float,
    ) -> ExportResult:
        """Several companies: read them side by side, then write each report's sheet company by company."""
        board = CompanyBoard(feed, [connection.name for connection in request.connections])
        reader = CompanyReader(
            self._client_factory, self._cache, spill_folder=self._spill_folder, run_weight=self._run_weight
        )
        reads: list[CompanyRead] = []
        try:
            with writer:
                # Each company is written as soon as it and those before it are read, while the
                # companies after it are still being read.
                sheets = JointSheets(writer, board, cancel)
                # closing(): an error while writing stops the readers at once, not when collected.
                with closing(reader.read_in_order(request, plans, board, cancel)) as arriving:
                    for index, read in enumerate(arriving):
                        reads.append(read)
                        if read.failure is None:
                            sheets.append(read, index)
                if all(read.failure is not None for read in reads):
                    failure = reads[0].failure
                    assert failure is not None
                    raise failure  # nothing to write: fail as a one-company export does
                counts = sheets.counts()
                writer.set_about(companies_about(plans, reads, counts))
                if cancel.cancelled:
                    raise Cancelled()
                feed.push(
                    Progress(phase="writing", message="Saving the file", companies=board.lines()), force=True
                )
        finally:
            for read in reads:
                read.close()
        seconds = time.monotonic() - started
        result = companies_result(writer.files, reads, counts, seconds=seconds)
        rows = sum(rows for _, rows in counts)
        companies = len(reads) - len(result.failures)
        message = f"Wrote {rows:,} rows from {companies} companies in {describe_elapsed(seconds)}"
        done = Progress(
            phase="done",
            message=message,
            records_done=rows,
            records_total=rows,
            calls_used=result.calls_used,
            calls_remaining=0,
            seconds_left=0.0,
            companies=board.lines(),
        )
        feed.push(done, force=True)
        return result

    @staticmethod
    def _run_reports(runner: ReportRunner, plans: Sequence[Plan], writer: ExportWriter) -> list[Outcome]:
        return run_reports(runner, plans, writer, COMPUTED)

    def _open_cache(self, request: ExportRequest, plans: Sequence[Plan]) -> RecordCache | None:
        """Open the record cache for this export (None: no report reads details, or no cache)."""
        return open_record_cache(self._cache, request.connection, plans)


def _alone(request: ExportRequest, connection: Connection) -> ExportRequest:
    """Return ``request`` for one of its companies only."""
    return replace(request, connection=connection, connections=())
