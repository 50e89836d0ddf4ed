"""run_window on the demo company; the error hook's rule (dialogs only on the GUI thread); start-up tuning."""

from __future__ import annotations

import gc
import sys
import threading

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication

from app.ui.application import (
    GC_THRESHOLDS,
    GIL_SWITCH_INTERVAL,
    handle_uncaught,
    run_window,
    tune_for_window,
)
from app.ui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


class Inspector(QObject):
    """Looks at the window once the event loop runs, then closes it (ending run_window)."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.banner = False
        self.demo = False

    @Slot()
    def inspect(self) -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        for window in windows:
            self.title = window.windowTitle()
            self.banner = window.company_bar.demo_banner.isVisible()
            connection = window.company_bar.current_connection()
            self.demo = bool(connection and connection.demo)
            window.close()


def test_run_window_demo_opens_on_demo_data(qtbot) -> None:
    inspector = Inspector()
    QTimer.singleShot(0, inspector.inspect)
    assert run_window(demo=True) == 0
    assert "DEMO DATA" in inspector.title
    assert inspector.banner and inspector.demo


def test_error_hook_shows_a_dialog_only_on_the_gui_thread(qtbot, answers) -> None:
    try:
        raise ValueError("boom")
    except ValueError as error:
        info = sys.exc_info()
        assert info[2] is not None
        handle_uncaught(ValueError, error, info[2])
    assert len(answers.warnings) == 1
    assert "unexpected" in answers.warnings[0][1]

    def from_worker() -> None:
        handle_uncaught(RuntimeError, RuntimeError("in a worker"), None)

    thread = threading.Thread(target=from_worker)
    thread.start()
    thread.join()
    assert len(answers.warnings) == 1  # nothing shown from the worker thread


def test_tuning_is_set_at_start_up_only_never_by_the_window_or_its_workers(qtbot, make_window) -> None:
    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(0.005)
    gc.set_threshold(700, 10, 10)
    try:
        window = make_window()
        window.company_bar.start_demo()
        window.report_page.report_picker.item_for("customers").setCheckState(0, Qt.CheckState.Checked)
        with qtbot.waitSignal(window.exports.succeeded, timeout=30000):
            assert window.start_export()
        qtbot.waitUntil(lambda: not window.exports.busy)
        assert sys.getswitchinterval() == pytest.approx(0.005)
        assert gc.get_threshold() == (700, 10, 10)
        assert gc.isenabled() and gc.get_freeze_count() == 0
        tune_for_window()
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL)
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        sys.setswitchinterval(interval)
        gc.set_threshold(*thresholds)
