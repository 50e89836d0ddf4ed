"""The worker adapter: signal order for success, failure, cancel and unexpected errors; pushed progress."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, Slot

from app.errors import AppError, AuthenticationError, Cancelled
from app.models import CancelToken, Progress
from app.ui.worker import JobRunner, Worker

pytestmark = pytest.mark.gui


class Recorder(QObject):
    """Collects payloads on the GUI thread, the way real receivers do (bound slots)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[object] = []
        self.thread_ok = True

        self.outcomes: list[object] = []

    @Slot(object)
    def on_progressed(self, event: object) -> None:
        self.events.append(event)
        self.thread_ok &= threading.current_thread() is threading.main_thread()

    @Slot(object)
    def on_outcome(self, payload: object) -> None:
        self.outcomes.append(payload)

    def attach(self, worker: Worker) -> Recorder:
        worker.signals.progressed.connect(self.on_progressed)
        worker.signals.succeeded.connect(self.on_outcome)
        worker.signals.failed.connect(self.on_outcome)
        return self


Push = Callable[[object], None]


def _steps(count: int) -> Callable[[CancelToken, Push], str]:
    def job(cancel: CancelToken, on_progress: Push) -> str:
        for index in range(count):
            on_progress(Progress("listing", f"step {index}", records_done=index + 1, records_total=count))
        return "done"

    return job


def test_success_emits_started_progress_succeeded_finished_in_order(qtbot) -> None:
    runner = JobRunner()
    # A zero interval lets every event through, so the order check covers each one.
    worker = Worker(_steps(3), progress_interval=0.0)
    recorder = Recorder().attach(worker)
    s = worker.signals
    with qtbot.waitSignals(
        [s.started, s.progressed, s.progressed, s.progressed, s.succeeded, s.finished],
        order="strict",
        timeout=5000,
    ):
        runner.start(worker)
    assert recorder.outcomes == ["done"]
    assert [e.records_done for e in recorder.events] == [1, 2, 3]
    assert recorder.thread_ok
    qtbot.waitUntil(lambda: runner.active_count == 0)


def test_plain_return_value_is_the_result(qtbot) -> None:
    runner = JobRunner()
    worker = Worker(lambda cancel, on_progress: {"answer": 42})
    recorder = Recorder().attach(worker)
    with qtbot.waitSignals(
        [worker.signals.started, worker.signals.succeeded, worker.signals.finished],
        order="strict",
        timeout=5000,
    ):
        runner.start(worker)
    assert recorder.outcomes == [{"answer": 42}]


def test_app_error_is_failed_then_finished(qtbot) -> None:
    def job(cancel: CancelToken, on_progress: Push) -> None:
        on_progress(Progress("listing", "first"))
        raise AuthenticationError("DEAR did not accept the key.")

    runner = JobRunner()
    worker = Worker(job, progress_interval=0.0)
    recorder = Recorder().attach(worker)
    s = worker.signals
    with (
        qtbot.assertNotEmitted(s.succeeded),
        qtbot.assertNotEmitted(s.cancelled),
        qtbot.waitSignals([s.started, s.progressed, s.failed, s.finished], order="strict", timeout=5000),
    ):
        runner.start(worker)
    [error] = recorder.outcomes
    assert isinstance(error, AuthenticationError)
    assert error.message == "DEAR did not accept the key."


def test_unexpected_error_is_wrapped_with_details(qtbot) -> None:
    def job(cancel: CancelToken, on_progress: Push) -> None:
        raise ZeroDivisionError("boom")

    runner = JobRunner()
    worker = Worker(job)
    recorder = Recorder().attach(worker)
    s = worker.signals
    with qtbot.waitSignals([s.started, s.failed, s.finished], order="strict", timeout=5000):
        runner.start(worker)
    [error] = recorder.outcomes
    assert isinstance(error, AppError)
    assert "unexpected" in error.message
    assert "ZeroDivisionError" in error.details


def test_cancel_stops_a_job_and_emits_cancelled(qtbot) -> None:
    gate = threading.Event()

    def job(cancel: CancelToken, on_progress: Push) -> str:
        on_progress(Progress("listing", "first"))
        gate.set()
        while not cancel.wait(0.01):
            on_progress(Progress("listing", "more"))
        raise Cancelled()

    runner = JobRunner()
    worker = Worker(job)
    s = worker.signals
    with (
        qtbot.assertNotEmitted(s.succeeded),
        qtbot.assertNotEmitted(s.failed),
        qtbot.waitSignals([s.started, s.progressed, s.cancelled, s.finished], order="strict", timeout=5000),
    ):
        runner.start(worker)
        assert gate.wait(5)
        worker.cancel()


def test_progress_is_throttled_but_the_last_event_arrives(qtbot) -> None:
    runner = JobRunner()
    worker = Worker(_steps(20_000), progress_interval=10.0)
    recorder = Recorder()
    worker.signals.progressed.connect(recorder.on_progressed)
    with qtbot.waitSignal(worker.signals.finished, timeout=10000):
        runner.start(worker)
    # The first event goes out at once, the rest within the interval collapse into the final one.
    assert [e.records_done for e in recorder.events] == [1, 20_000]


def test_every_wait_goes_out_at_once(qtbot) -> None:
    # The window counts each wait down itself, so a second wait must not wait for the throttle.
    def job(cancel: CancelToken, on_progress: Push) -> str:
        on_progress(Progress("details", "reading", 1, 9))
        on_progress(Progress("waiting", "continuing in 5 s", 1, 9, waiting_seconds=5.0))
        on_progress(Progress("waiting", "continuing in 9 s", 1, 9, waiting_seconds=9.0))
        on_progress(Progress("waiting", "still waiting", 1, 9))  # no new wait: throttled as usual
        return "done"

    runner = JobRunner()
    worker = Worker(job, progress_interval=10.0)
    recorder = Recorder().attach(worker)
    with qtbot.waitSignal(worker.signals.finished, timeout=5000):
        runner.start(worker)
    assert [e.message for e in recorder.events] == [
        "reading",
        "continuing in 5 s",
        "continuing in 9 s",
        "still waiting",  # sent last, before the outcome
    ]


def test_runner_reports_idle_and_forgets_finished_workers(qtbot) -> None:
    runner = JobRunner()
    workers = [Worker(lambda cancel, on_progress, n=n: n) for n in range(3)]
    with qtbot.waitSignal(runner.idle, timeout=5000):
        for worker in workers:
            runner.start(worker)
        assert runner.active_count == 3
    assert runner.active_count == 0


def test_progress_from_helper_threads_arrives_on_the_gui_thread_before_the_outcome(qtbot) -> None:
    # The export service pushes progress from whichever thread read DEAR's answer.
    def job(cancel: CancelToken, on_progress: Push) -> str:
        threads = [
            threading.Thread(
                target=lambda n=n: [
                    on_progress(Progress("details", f"{n}", records_done=i)) for i in range(200)
                ]
            )
            for n in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        on_progress(Progress("details", "last", records_done=999))
        return "done"

    runner = JobRunner()
    worker = Worker(job, progress_interval=0.05)
    recorder = Recorder().attach(worker)
    with qtbot.waitSignal(worker.signals.finished, timeout=10000):
        runner.start(worker)
    assert recorder.thread_ok
    assert recorder.events and recorder.events[-1].message == "last"  # the latest event is never lost
    assert recorder.outcomes == ["done"]


def test_no_progress_after_the_outcome(qtbot) -> None:
    # A helper thread the job forgot to stop keeps pushing; nothing may follow the outcome.
    keep_going = threading.Event()
    keep_going.set()
    pushed = threading.Event()

    def job(cancel: CancelToken, on_progress: Push) -> str:
        def chatter() -> None:
            while keep_going.is_set():
                on_progress(Progress("details", "late"))
                pushed.set()

        threading.Thread(target=chatter, daemon=True).start()
        assert pushed.wait(5)
        return "done"

    class Order(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        @Slot(object)
        def on_progressed(self, _event: object) -> None:
            self.seen.append("progress")

        @Slot(object)
        def on_succeeded(self, _result: object) -> None:
            self.seen.append("outcome")

    order = Order()
    runner = JobRunner()
    worker = Worker(job, progress_interval=0.0)
    worker.signals.progressed.connect(order.on_progressed)
    worker.signals.succeeded.connect(order.on_succeeded)
    try:
        with qtbot.waitSignal(worker.signals.finished, timeout=5000):
            runner.start(worker)
        qtbot.wait(100)  # give late progress a chance to arrive, if it were sent
    finally:
        keep_going.clear()
    assert order.seen[-1] == "outcome"
    assert order.seen.count("outcome") == 1
