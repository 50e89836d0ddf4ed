"""The export flow of the window: estimate, ask before a long export, run, and report; on worker threads.

The controller lives on the GUI thread and owns the two workers an export uses, one after the
other: the estimate (a few small requests) and the export itself. The export service pushes
progress to the worker's callback (from whichever thread reads DEAR); the worker throttles it
into ``progressed`` signals, which Qt delivers here, on the GUI thread, to update the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox

from app.errors import AppError, ConfigurationError
from app.models import CancelToken, ExportRequest, ExportResult, Progress
from app.services.exporting import Estimate
from app.ui.export_panel import ExportPanel
from app.ui.feedback import confirm_destructive
from app.ui.progress_text import plain_duration
from app.ui.worker import JobRunner, ProgressCallback, Worker

LONG_EXPORT_SECONDS = 120.0
"""Exports expected to take longer than this ask first (and offer to narrow the filters)."""


class Exporter(Protocol):
    """What the window needs of :class:`~app.services.exporting.ExportService`."""

    def estimate(self, request: ExportRequest, cancel: CancelToken) -> Estimate:
        """Say how long the export will take (a few small requests)."""
        ...

    def run(
        self,
        request: ExportRequest,
        cancel: CancelToken,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> ExportResult:
        """Export, calling ``on_progress`` (from any thread) as the work goes on."""
        ...


class ExportController(QObject):
    """Estimate → confirm → run for one export at a time, shown in an :class:`ExportPanel`.

    Signals:
        estimate_ready(object): the estimate for the next export arrived; carries the Estimate.
        succeeded(object): an export finished; carries the ExportResult.
        failed(object): an export (or its estimate, or its checks) failed; carries the AppError.
        cancelled(): an export was cancelled, or not started after the estimate.
        busy_changed(bool): an estimate or export began (True) or the last one ended (False).
        status_message(str): a line for the window's status bar.
    """

    estimate_ready = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    busy_changed = Signal(bool)
    status_message = Signal(str)

    def __init__(
        self, exporter: Exporter, runner: JobRunner, panel: ExportPanel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._exporter = exporter
        self._runner = runner
        self._panel = panel
        self._estimate_worker: Worker | None = None
        self._export_worker: Worker | None = None
        self._pending: ExportRequest | None = None
        self._last_request: ExportRequest | None = None
        panel.cancel_requested.connect(self._on_panel_cancel_requested)

    @property
    def busy(self) -> bool:
        """Return True while an estimate or an export runs."""
        return self._estimate_worker is not None or self._export_worker is not None

    @property
    def exporting(self) -> bool:
        """Return True once the export itself runs (the estimate is done and any question answered)."""
        return self._export_worker is not None

    @property
    def last_request(self) -> ExportRequest | None:
        """Return the request of the export that ran last (or runs now)."""
        return self._last_request

    def start(self, request: ExportRequest) -> bool:
        """Check the target, estimate, and export (long ones after a question); False if not started."""
        if self.busy:
            return False
        target = request.output
        if not target.parent.is_dir():
            self.report_failure(
                ConfigurationError(
                    f"The folder {target.parent} does not exist.",
                    hint="Choose another folder with “Browse…”.",
                )
            )
            return False
        if (
            target.exists()
            and not request.into
            and not confirm_destructive(  # into: written into, not replaced
                self._panel.window(),
                "Replace the file?",
                f"“{target.name}” already exists in {target.parent}. Replace it with the new export?",
            )
        ):
            return False
        self._pending = request
        self._panel.begin("Working out how long this export will take…", request.connection.rate_limit)
        # The status bar follows the panel: never an earlier export's "Done" beside this one.
        self.status_message.emit(self._panel.status.text())
        worker = Worker(_EstimateJob(self._exporter, request), name="estimate")
        worker.signals.succeeded.connect(self._on_estimate_succeeded)
        worker.signals.failed.connect(self._on_estimate_failed)
        worker.signals.cancelled.connect(self._on_estimate_cancelled)
        worker.signals.finished.connect(self._on_estimate_finished)
        self._estimate_worker = worker
        self.busy_changed.emit(True)
        self._runner.start(worker)
        return True

    def cancel(self) -> None:
        """Cancel the running estimate or export (it stops at its next check)."""
        for worker in (self._estimate_worker, self._export_worker):
            if worker is not None:
                worker.cancel()
                self._panel.cancelling()

    def report_failure(self, error: AppError) -> None:
        """Show why an export cannot run or did not finish."""
        self._panel.show_failure(error)
        self.status_message.emit("The export did not finish.")
        self.failed.emit(error)

    def _run(self, request: ExportRequest) -> None:
        self._last_request = request
        self._panel.begin(f"Exporting to {request.output.name}…", request.connection.rate_limit)
        self.status_message.emit(self._panel.status.text())
        worker = Worker(_ExportJob(self._exporter, request), name="export")
        worker.signals.progressed.connect(self._on_export_progressed)
        worker.signals.succeeded.connect(self._on_export_succeeded)
        worker.signals.failed.connect(self._on_export_failed)
        worker.signals.cancelled.connect(self._on_export_cancelled)
        worker.signals.finished.connect(self._on_export_finished)
        self._export_worker = worker
        self._runner.start(worker)

    def _ends_busy(self) -> None:
        if not self.busy:
            self.busy_changed.emit(False)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_panel_cancel_requested(self) -> None:
        self.cancel()

    @Slot(object)
    def _on_estimate_succeeded(self, estimate: Estimate) -> None:
        self.estimate_ready.emit(estimate)
        request, self._pending = self._pending, None
        if request is None:
            return
        if estimate.explanation:
            self._panel.add_log(estimate.explanation)
        if estimate.seconds > LONG_EXPORT_SECONDS:
            answer = QMessageBox.question(
                self._panel.window(),
                "This export will take a while",
                f"{estimate.explanation}\n\nThis export will take {plain_duration(estimate.seconds)}. "
                "The window stays usable meanwhile, and you can cancel at any time.\n\n"
                "Go ahead? Choose No to narrow the filters first (a shorter date range or a status).",
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._panel.show_cancelled()
                self._panel.status.setText("Not started. Narrow the filters, then press Export again.")
                self.status_message.emit(self._panel.status.text())
                self.cancelled.emit()
                return
        self._run(request)

    @Slot(object)
    def _on_estimate_failed(self, error: AppError) -> None:
        self._pending = None
        self.report_failure(error)

    @Slot()
    def _on_estimate_cancelled(self) -> None:
        self._pending = None
        self._panel.show_cancelled()
        self.status_message.emit("Export cancelled.")
        self.cancelled.emit()

    @Slot()
    def _on_estimate_finished(self) -> None:
        self._estimate_worker = None
        self._ends_busy()

    @Slot(object)
    def _on_export_progressed(self, event: Progress) -> None:
        self._panel.show_progress(event)

    @Slot(object)
    def _on_export_succeeded(self, result: ExportResult) -> None:
        self._panel.show_success(result)
        self.status_message.emit(self._panel.status.text())
        self.succeeded.emit(result)

    @Slot(object)
    def _on_export_failed(self, error: AppError) -> None:
        self.report_failure(error)

    @Slot()
    def _on_export_cancelled(self) -> None:
        self._panel.show_cancelled()
        self.status_message.emit("Export cancelled.")
        self.cancelled.emit()

    @Slot()
    def _on_export_finished(self) -> None:
        self._export_worker = None
        self._ends_busy()


class _EstimateJob:
    """How long an export will take, as a worker job."""

    def __init__(self, exporter: Exporter, request: ExportRequest) -> None:
        self._exporter = exporter
        self._request = request

    def __call__(self, cancel: CancelToken, _on_progress: ProgressCallback) -> Estimate:
        return self._exporter.estimate(self._request, cancel)


class _ExportJob:
    """An export as a worker job: the service pushes its progress to the worker's callback."""

    def __init__(self, exporter: Exporter, request: ExportRequest) -> None:
        self._exporter = exporter
        self._request = request

    def __call__(self, cancel: CancelToken, on_progress: ProgressCallback) -> ExportResult:
        return self._exporter.run(self._request, cancel, on_progress)
