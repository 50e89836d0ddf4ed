"""Run service jobs on worker threads and report back to the GUI thread through signals.

A job is any callable taking a :class:`~app.models.CancelToken`. If it returns a generator
(the services' ``run(...)`` shape), every yielded value is a progress event and the
generator's return value is the result; otherwise the return value is the result.

Workers never touch widgets, settings or the keyring: everything they need (the connection
with its key included) is read on the GUI thread first and captured by the job.
"""

from __future__ import annotations

import gc
import logging
import sys
import time
import traceback
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.errors import AppError, Cancelled
from app.models import CancelToken
from app.redact import redact

log = logging.getLogger(__name__)

Job = Callable[[CancelToken], Any]

# At most this many progress signals a second reach the GUI thread; more only costs repaints.
DEFAULT_PROGRESS_INTERVAL = 0.1
# The GUI thread waits for the GIL at most about this long when workers are busy (default 5 ms).
GIL_SWITCH_INTERVAL = 0.001


def tune_for_responsiveness() -> None:
    """Hand the GIL over more often, so busy workers cannot keep the GUI thread waiting long."""
    if sys.getswitchinterval() > GIL_SWITCH_INTERVAL:
        sys.setswitchinterval(GIL_SWITCH_INTERVAL)


class WorkerSignals(QObject):
    """The signals one worker emits, always in this order.

    Signals:
        started(): the job began on a worker thread.
        progressed(object): a progress event (throttled; the latest event is never lost).
        succeeded(object): the job's result.
        failed(object): an :class:`~app.errors.AppError` (unexpected errors are wrapped in one).
        cancelled(): the job stopped because its cancel token was set.
        finished(): always last, exactly once.

    Exactly one of succeeded, failed and cancelled is emitted.
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


class Worker(QRunnable):
    """A QRunnable that runs one job and reports through its :class:`WorkerSignals`."""

    def __init__(
        self,
        job: Job,
        cancel: CancelToken | None = None,
        *,
        progress_interval: float = DEFAULT_PROGRESS_INTERVAL,
        name: str = "job",
        freeze_gc: bool = False,
    ) -> None:
        super().__init__()
        self.job = job
        self.cancel_token = cancel or CancelToken()
        self.signals = WorkerSignals()
        self.name = name
        self._interval = progress_interval
        self._freeze_gc = freeze_gc

    def cancel(self) -> None:
        """Ask the job to stop at its next check (safe from any thread)."""
        self.cancel_token.cancel()

    def run(self) -> None:
        """Run the job on a pool thread and emit the outcome (never raises)."""
        signals = self.signals
        signals.started.emit()
        try:
            result = self._run_job()
        except Cancelled:
            signals.cancelled.emit()
        except AppError as error:
            if self.cancel_token.cancelled:
                signals.cancelled.emit()
            else:
                signals.failed.emit(error)
        except BaseException as error:
            log.error("Unexpected error in %s", self.name, exc_info=True)
            if self.cancel_token.cancelled:
                signals.cancelled.emit()
            else:
                signals.failed.emit(unexpected_error(error))
        else:
            if self.cancel_token.cancelled:
                signals.cancelled.emit()
            else:
                signals.succeeded.emit(result)
        finally:
            if self._freeze_gc:
                gc.unfreeze()
            signals.finished.emit()

    def _run_job(self) -> Any:
        if self._freeze_gc:
            # From the start, not only from the first progress event: a full collection over a
            # long-running process's objects can itself stall the window (see below).
            gc.freeze()
        outcome = self.job(self.cancel_token)
        if not isinstance(outcome, Generator):
            return outcome
        last_emit = 0.0
        pending: Any = None
        last_phase: object = None
        try:
            while True:
                event = next(outcome)
                now = time.monotonic()
                phase = getattr(event, "phase", None)
                # A change of phase (for example the start of a wait for DEAR's limit) is shown at once.
                if now - last_emit >= self._interval or phase != last_phase:
                    self.signals.progressed.emit(event)
                    last_emit, pending = now, None
                    if self._freeze_gc:
                        # A big export keeps millions of objects alive; each full garbage collection
                        # would walk them all while holding the GIL (stalling the window for
                        # hundreds of ms). Frozen objects are skipped; freeing them still works.
                        gc.freeze()
                else:
                    pending = event
                last_phase = phase
        except StopIteration as stop:
            if pending is not None:
                self.signals.progressed.emit(pending)
            return stop.value


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

    def submit(self, job: Job, *, name: str = "job", cancel: CancelToken | None = None) -> Worker:
        """Create a worker for ``job`` without starting it (connect signals, then :meth:`start`)."""
        return Worker(job, cancel, name=name)

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
