"""Estimate, confirm, run: cancel, a wrong key, DEAR's limit, long exports, the cache; progress pushed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.errors import Cancelled
from app.models import (
    CancelToken,
    Connection,
    ExportRequest,
    ExportResult,
    OutputFormat,
    Progress,
    ReportRequest,
    SheetSummary,
)
from app.sandbox import Sandbox
from app.services.exporting import Estimate
from app.ui.export_controller import ExportController
from app.ui.export_panel import ExportPanel
from app.ui.worker import JobRunner
from tests.ui.conftest import sheet_rows, tick

# The offscreen platform says this about every top-level window it shows; it is not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_cancel_mid_export_leaves_no_file(qtbot, make_window, connect, make_sandbox) -> None:
    sb = make_sandbox(rate_limit=None, latency_ms=30)
    window = make_window()
    connect(window, sb)
    tick(window, "sale-order-lines")
    target = window.report_page.output.path()
    with qtbot.waitSignal(window.exports.cancelled, timeout=30000):
        assert window.start_export()
        # Wait until the export is truly under way (detail requests counted), then press Esc.
        qtbot.waitUntil(lambda: window.exports.exporting and sb.total_calls > 5, timeout=20000)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left beside it either
    panel = window.report_page.export_panel
    assert "cancelled" in panel.status.text().lower()
    # Nothing is "left" or "still to go" after a cancel; the counts reached stay.
    assert " left" not in panel.counts.text() and "still to go" not in panel.counts.text()
    assert "requests to DEAR" in panel.counts.text()
    qtbot.waitUntil(lambda: not window.exports.busy)
    assert window.report_page.export_button.isEnabled()


def test_wrong_key_says_what_to_check(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox, key="0000-wrong-key-0000")
    tick(window, "customers")
    with qtbot.waitSignal(window.exports.failed, timeout=30000) as blocker:
        window.start_export()
    panel = window.report_page.export_panel
    assert panel.error_frame.isVisible()
    assert "Integrations" in panel.error_hint.text()
    assert panel.feedback is not None
    assert "0000-wrong-key-0000" not in panel.feedback.details
    assert "0000-wrong-key-0000" not in panel.error_message.text()
    assert type(blocker.args[0]).__name__ == "AuthenticationError"
    assert panel.copy_button.isVisible()
    panel.copy_button.click()  # geometry may still be settling in the scroll area; click() needs none
    from PySide6.QtGui import QGuiApplication

    copied = QGuiApplication.clipboard().text()
    assert panel.feedback.message in copied
    assert "0000-wrong-key-0000" not in copied
    assert not window.report_page.output.path().exists()


def _export_seeing_a_wait(qtbot, window) -> tuple[ExportResult, list[str]]:
    """Export, and return the result with the wait notes the panel showed on the way (at least one)."""
    notes: list[str] = []
    panel = window.report_page.export_panel

    def note_seen() -> bool:
        if panel.wait_label.isVisible():
            notes.append(panel.wait_label.text())
        return bool(notes)

    with qtbot.waitSignal(window.exports.succeeded, timeout=60000) as blocker:
        window.start_export()
        qtbot.waitUntil(note_seen, timeout=30000)
    return blocker.args[0], notes


def test_throttled_run_shows_the_waiting_note_and_completes(
    qtbot, make_window, connect, make_sandbox
) -> None:
    # A compressed limit: 2 requests every 2 seconds, on the server and as the connection's share.
    sb = make_sandbox(rate_limit=(2, 2.0))
    window = make_window()
    connect(window, sb, limit="2/2")
    tick(window, "sale-order-lines")
    page = window.report_page.pages()["sale-order-lines"]
    # One sale: the estimate, the list and one detail request, so the third must wait.
    page.filters.input_for("Search").setText("SO-00012")
    result, notes = _export_seeing_a_wait(qtbot, window)
    assert "continuing in" in notes[0]
    assert "DEAR" in notes[0]
    assert result.complete
    rows = sheet_rows(result.files[0])
    assert len(rows) > 1
    order_numbers = {row[0] for row in rows[1:]}
    assert order_numbers == {"SO-00012"}
    assert sb.throttled_count == 0  # we waited instead of being refused


def test_dear_throttling_is_waited_out_with_a_note(qtbot, make_window, connect, make_sandbox) -> None:
    # The server allows one request every 2 s, but this connection's share claims far more:
    # DEAR answers "limit reached" (503) and the app waits, says so, and carries on.
    sb = make_sandbox(rate_limit=(1, 2.0))
    window = make_window()
    connect(window, sb, limit="60/12")
    tick(window, "sale-order-lines")
    window.report_page.pages()["sale-order-lines"].filters.input_for("Search").setText("SO-00012")
    result, notes = _export_seeing_a_wait(qtbot, window)
    assert "slow down" in notes[0] and "continuing in" in notes[0]
    assert sb.throttled_count >= 1
    rows = sheet_rows(result.files[0])
    assert {row[0] for row in rows[1:]} == {"SO-00012"}


def test_long_export_asks_first_and_can_be_narrowed(
    qtbot, make_window, connect, sandbox: Sandbox, answers
) -> None:
    window = make_window()
    connect(window, sandbox, limit="60/60")  # 300 sales at DEAR's own limit: about five minutes
    tick(window, "sale-order-lines")
    answers.answer = answers.answer.No
    sandbox.reset_counts()
    with qtbot.waitSignal(window.exports.cancelled, timeout=30000):
        window.start_export()
    [(title, text)] = answers.asked
    assert "take a while" in title
    assert "need one request each" in text
    assert "minutes" in text
    assert "narrow" in window.report_page.export_panel.status.text().lower()
    assert not window.report_page.output.path().exists()
    names = sandbox.stats()["counts"].get("ref/location", 0)  # the Order location filter's list
    assert sandbox.total_calls - names == 1  # only the estimate's one small request


def test_long_export_goes_ahead_when_confirmed(
    qtbot, make_window, connect, sandbox: Sandbox, answers
) -> None:
    window = make_window()
    connect(window, sandbox, limit="60/60")
    tick(window, "sale-order-lines")
    with qtbot.waitSignal(window.exports.estimate_ready, timeout=30000):
        window.start_export()
    qtbot.waitUntil(lambda: window.exports.exporting)
    assert answers.asked and window.report_page.export_panel.cancel_button.isEnabled()
    with qtbot.waitSignal(window.exports.cancelled, timeout=30000):
        qtbot.mouseClick(window.report_page.export_panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.report_page.output.path().exists()


def test_repeat_export_says_it_used_the_cache_and_refresh_or_clear_fetch_everything(
    qtbot, make_window, connect, make_sandbox, answers
) -> None:
    sandbox = make_sandbox(rate_limit=None, counts={"sale": 30})
    window = make_window()
    connect(window, sandbox)
    tick(window, "sale-order-lines")
    window.report_page.date_row.set_spec("")  # all dates: every sale is read in detail

    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as first:
        assert window.start_export()
    assert first.args[0].from_cache == 0
    assert "local cache" not in window.report_page.export_panel.status.text()

    qtbot.waitUntil(lambda: not window.exports.busy)
    sandbox.reset_counts()
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as second:
        assert window.start_export()
    assert second.args[0].from_cache == 30
    assert sandbox.call_counts().get("sale", 0) == 0
    assert (
        "30 records were unchanged in DEAR and came from the local cache"
        in window.report_page.export_panel.status.text()
    )

    qtbot.waitUntil(lambda: not window.exports.busy)
    sandbox.reset_counts()
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as refreshed:
        window.refresh_action.trigger()
    assert refreshed.args[0].from_cache == 0
    assert sandbox.call_counts()["sale"] == 30

    qtbot.waitUntil(lambda: not window.exports.busy)
    assert window.clear_cache() == 1
    assert "Cleared the local cache of Acme test" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.exports.busy)
    sandbox.reset_counts()
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as cleared:
        assert window.start_export()
    assert cleared.args[0].from_cache == 0
    assert sandbox.call_counts()["sale"] == 30


class PushingExporter:
    """An export service in the push form: progress from a helper thread, then a wait it does not repeat."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.release = threading.Event()
        self.pushes = 0
        self.pushed_from: set[str] = set()

    def estimate(self, request: ExportRequest, cancel: CancelToken) -> Estimate:
        return Estimate(1, 1.0, (), "Customers: 3 customers in 1 request: about 1 second.")

    def run(self, request: ExportRequest, cancel: CancelToken, on_progress: Any = None) -> ExportResult:
        def push() -> None:
            self.pushed_from.add(threading.current_thread().name)
            on_progress(Progress("listing", "Reading the list of customers: 2 of 3", 2, 3, calls_used=1))
            on_progress(
                Progress(
                    "waiting",
                    "DEAR limits us to 60 requests a minute; continuing in 30 s",
                    2,
                    3,
                    waiting_seconds=30,
                )
            )
            self.pushes += 2

        helper = threading.Thread(target=push, name="reader")
        helper.start()
        helper.join()
        while not self.release.wait(0.01):
            if cancel.cancelled:
                raise Cancelled()
        self.target.write_bytes(b"")
        return ExportResult((self.target,), (SheetSummary("Customers", 3),), 2, 31.0)


def test_pushed_progress_reaches_the_panel_and_the_wait_counts_down_by_itself(qtbot, tmp_path: Path) -> None:
    panel = ExportPanel()
    qtbot.addWidget(panel)
    runner = JobRunner()
    exporter = PushingExporter(tmp_path / "out.xlsx")
    controller = ExportController(exporter, runner, panel)
    request = ExportRequest(
        Connection("Acme", "account", "key"),
        (ReportRequest("customers"),),
        exporter.target,
        OutputFormat.XLSX,
    )
    try:
        with qtbot.waitSignal(controller.busy_changed, timeout=5000) as busy:
            assert controller.start(request)
        assert busy.args == [True]
        qtbot.waitUntil(
            lambda: panel.wait_label.isVisibleTo(panel) and "in 30 s" in panel.wait_label.text(), timeout=5000
        )
        assert panel.counts.text().startswith("2 of 3 records")
        # No further event arrives, yet the note counts down on the GUI thread.
        qtbot.waitUntil(lambda: "in 29 s" in panel.wait_label.text(), timeout=3000)
        assert exporter.pushes == 2
        assert exporter.pushed_from == {"reader"}
        with qtbot.waitSignal(controller.succeeded, timeout=5000) as done:
            exporter.release.set()
        assert done.args[0].files == (exporter.target,)
        assert not panel.wait_label.isVisibleTo(panel)
        qtbot.waitUntil(lambda: not controller.busy)
    finally:
        exporter.release.set()
        runner.wait_for_done(5000)


def test_a_missing_folder_is_reported_before_any_work(qtbot, tmp_path: Path) -> None:
    panel = ExportPanel()
    qtbot.addWidget(panel)
    exporter = PushingExporter(tmp_path / "nowhere" / "out.xlsx")
    controller = ExportController(exporter, JobRunner(), panel)
    request = ExportRequest(
        Connection("Acme", "account", "key"),
        (ReportRequest("customers"),),
        exporter.target,
        OutputFormat.XLSX,
    )
    with qtbot.waitSignal(controller.failed, timeout=1000), qtbot.assertNotEmitted(controller.busy_changed):
        assert not controller.start(request)
    assert "does not exist" in panel.error_message.text()
    assert exporter.pushes == 0
