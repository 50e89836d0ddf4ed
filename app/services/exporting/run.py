"""The export service: estimate an export, and run it start to finish with progress pushed as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from app.errors import Cancelled, ConfigurationError
from app.export import ExportWriter, create_folder, open_writer
from app.models import CancelToken, ExportRequest, ExportResult, Progress
from app.services.cache import CacheService, RecordCache
from app.services.exporting.client import ClientFactory, dear_client
from app.services.exporting.estimate import Estimate, ReportEstimate, combine, estimate_report
from app.services.exporting.plan import Plan, plan_report
from app.services.exporting.progress import ProgressFeed, WaitWatch
from app.services.exporting.reports import Outcome, ReportRunner
from app.services.exporting.spill import RUN_WEIGHT, remove_stale_spills
from app.services.exporting.summary import about_info, export_result
from app.services.exporting.wording import describe_elapsed
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
        """Ask DEAR how many records each report has (one small request each) and say what it costs."""
        plans = [plan_report(report) for report in request.reports]
        limit = request.connection.rate_limit
        estimates: list[ReportEstimate] = []
        with self._client_factory(request.connection) as client:
            for plan in plans:
                estimates.append(estimate_report(client, plan, limit, cancel))
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

    @staticmethod
    def _run_reports(runner: ReportRunner, plans: Sequence[Plan], writer: ExportWriter) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for position, plan in enumerate(plans):
            runner.position = position
            if plan.spec.is_line_report:
                outcomes.append(runner.lines(plan, writer))
            else:
                outcomes.append(runner.plain(plan, writer))
            runner.feed.flush()
        return outcomes

    def _open_cache(self, request: ExportRequest, plans: Sequence[Plan]) -> RecordCache | None:
        """Open the record cache for this export (None: no report reads details, or no cache)."""
        if self._cache is None or not any(plan.spec.needs_detail for plan in plans):
            return None
        cache = self._cache.open(request.connection)
        if not cache.available:
            cache.close()
            return None
        return cache
