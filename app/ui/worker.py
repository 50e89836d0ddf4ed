"""Run service jobs on worker threads and report back to the GUI thread through signals.

A job is any callable taking a :class:`~app.models.CancelToken` and a progress callback
(:data:`Job`). It returns its result; it reports progress by calling the callback, from any
thread it likes (the export service calls it from the thread that read a page). The callback
is cheap and thread-safe: it throttles the events and emits :attr:`WorkerSignals.progressed`,
which Qt queues to the receivers on the GUI thread.

Threads: the GUI thread starts workers on :class:`JobRunner`'s small pool (one pool thread per
job); a job may use helper threads of its own (the DEAR client's requests), which only ever
call the progress callback. Workers never touch widgets, settings or the keyring: everything
they need (the connection with its key included) is read on the GUI thread first and captured
by the job. No worker changes process-wide state (the interpreter's switch interval or the
garbage collector); what start-up sets is in :mod:`app.ui.application`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.errors import AppError, Cancelled
from app.models import CancelToken, Progress
from app.redact import redact
from app.services.exporting.progress import ProgressFeed

log = logging.getLogger(__name__)

ProgressCallback = Callable[[Progress], None]
"""Called by a job with each progress event (from any thread)."""

Job = Callable[[CancelToken, ProgressCallback], object]
"""A unit of work: ``job(cancel, on_progress)`` returns the result or raises (AppError, Cancelled)."""

# At most this many progress signals a second reach the GUI thread; more only costs repaints.
DEFAULT_PROGRESS_INTERVAL = 0.1


class WorkerSignals(QObject):
    """The signals one worker emits, always in this order.

    Signals:
        started(): the job began on a worker thread.
        progressed(object): a progress event (throttled; the latest event is never lost).
        succeeded(object): the job's result.
        failed(object): an :class:`~app.errors.AppError` (unexpected errors are wrapped in one).
        cancelled(): the job stopped because its cancel token was set.
        finished(): always last, exactly once.

    Exactly one of succeeded, failed and cancelled is emitted; no progressed after it.
    """

    started = Signal()
    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()


def unexpected_error(error: BaseException) -> AppError:
    """Wrap a programming error in a plain-language AppError with secret-free details."""
    details = redact("".join(traceback.format_exception(error)))
    return AppError(
        "Something unexpected went wrong, and the work was stopped.",
        hint="Try again. If it happens again, use “Copy details” and send them to whoever supports the app.",
        details=details,
    )


def _starts_wait(event: Progress) -> bool:
    # A wait is pushed once, with its length, and the window counts it down: never hold one back.
    return event.waiting_seconds > 0


class ProgressGate:
    """The progress callback a worker hands its job: throttles events into ``progressed``.

    The throttling is the export service's own :class:`~app.services.exporting.ProgressFeed`
    (thread-safe; the signal is emitted under its lock, so events from several threads reach
    the GUI thread in the order they were accepted). A change of phase, and any event that
    starts a wait (``waiting_seconds`` > 0), goes out at once; within ``interval`` only the
    latest other event is kept, and :meth:`close` sends it before a success. After
    :meth:`close` events are dropped, so no progress ever follows the outcome.
    """

    def __init__(self, signals: WorkerSignals, interval: float) -> None:
        self._feed = ProgressFeed(signals.progressed.emit, interval=interval)

    def __call__(self, event: Progress) -> None:
        """Take one event: emit it now, or keep it as the latest pending one."""
        self._feed.push(event, force=_starts_wait(event))

    def close(self, *, flush: bool) -> None:
        """Drop every later event; first send the pending one if ``flush`` (the job succeeded)."""
        if flush:
            self._feed.flush()
        self._feed.close()


class Worker(QRunnable):
    """A QRunnable that runs one job and reports through its :class:`WorkerSignals`."""

    def __init__(
        self,
        job: Job,
        cancel: CancelToken | None = None,
        *,
        progress_interval: float = DEFAULT_PROGRESS_INTERVAL,
        name: str = "job",
    ) -> None:
        super().__init__()
        self.job = job
        self.cancel_token = cancel or CancelToken()
        self.signals = WorkerSignals()
        self.name = name
        self._interval = progress_interval

    def cancel(self) -> None:
        """Ask the job to stop at its next check (safe from any thread)."""
        self.cancel_token.cancel()

    def run(self) -> None:
        """Run the job on a pool thread and emit the outcome (never raises)."""
        signals = self.signals
        gate = ProgressGate(signals, self._interval)
        signals.started.emit()
        try:
            result = self.job(self.cancel_token, gate)
        except Cancelled:
            gate.close(flush=False)
            signals.cancelled.emit()
        except AppError as error:
            gate.close(flush=False)
            if self.cancel_token.cancelled:
                signals.cancelled.emit()
            else:
                signals.failed.emit(error)
        except BaseException as error:
            log.error("Unexpected error in %s", self.name, exc_info=True)
            gate.close(flush=False)
            if self.cancel_token.cancelled:
                signals.cancelled.emit()
            else:
                signals.failed.emit(unexpected_error(error))
        else:
            gate.close(flush=not self.cancel_token.cancelled)
            if self.cancel_token.cancelled:
                signals.cancelled.emit()
            else:
                signals.succeeded.emit(result)
        finally:
            signals.finished.emit()


class JobRunner(QObject):
    """Starts workers on a small thread pool and keeps them alive until they finish.

    Lives on the GUI thread. Holding a strong reference to each worker and its signals
    object until ``finished`` arrives is what keeps Python from collecting them mid-job.

    Signals:
        idle(): the last running job finished.
    """

    idle = Signal()

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 3) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._active: dict[WorkerSignals, Worker] = {}

    def start(self, worker: Worker) -> Worker:
        """Run ``worker`` on the pool; connect its signals before calling this."""
        self._active[worker.signals] = worker
        worker.signals.finished.connect(self._on_worker_finished)
        self._pool.start(worker)
        return worker

    @property
    def active_count(self) -> int:
        """How many jobs are running or queued."""
        return len(self._active)

    def cancel_all(self) -> None:
        """Ask every running job to stop."""
        for worker in list(self._active.values()):
            worker.cancel()

    def wait_for_done(self, msecs: int = 5000) -> bool:
        """Block until the pool is empty (used only when the window closes)."""
        return bool(self._pool.waitForDone(msecs))

    @Slot()
    def _on_worker_finished(self) -> None:
        signals = self.sender()
        if isinstance(signals, WorkerSignals):
            self._active.pop(signals, None)
        if not self._active:
            self.idle.emit()
