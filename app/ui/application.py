"""Start-up of the window: process tuning, the error hook, and :func:`run_window` (called by ``app.main``)."""

from __future__ import annotations

import gc
import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QApplication, QMessageBox

from app.redact import redact
from app.ui.feedback import feedback_for
from app.ui.qapp import create_application

log = logging.getLogger(__name__)

GIL_SWITCH_INTERVAL = 0.001
"""Seconds a busy thread may hold the interpreter before another gets a turn (Python's default: 0.005)."""
GC_THRESHOLDS = (700, 10, 1000)
"""The garbage collector's thresholds (Python's default: 700, 10, 10): only the oldest one changes."""


def tune_for_window() -> None:
    """Set the process-wide tuning the window relies on: the one place that does, once at start-up.

    Export workers run Python code (reading pages, sorting and writing rows) beside the GUI
    thread, and two interpreter-wide settings decide how long the GUI thread can be kept waiting:

    - The switch interval: CPython hands the interpreter lock over only every switch interval.
      At the default 5 ms a repaint that needs the lock many times waits that long each time;
      at 1 ms, about a fifth of that.
    - Full garbage collections: a big export keeps hundreds of thousands of rows alive, and a
      full collection walks every one of them while holding the lock (150-200 ms for 100,000
      rows). By default one runs whenever the long-lived objects grew by a quarter and 10
      younger collections passed, i.e. several times during a big export. With 1,000 younger
      collections (about 7 million allocations) between them, a full collection runs rarely;
      the young generations, where nearly all garbage dies, are collected as before.

    The figures with and without are in docs/perf-notes/wt-ui.md. The UI-latency test calls this
    too, as the window's start does; nothing else in the app changes these settings.
    """
    if sys.getswitchinterval() > GIL_SWITCH_INTERVAL:
        sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    gc.set_threshold(*GC_THRESHOLDS)


def _is_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def handle_uncaught(
    exc_type: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    """Log an uncaught error; on the GUI thread also tell the user in a dialog (never from a worker)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, error, traceback)
        return
    log.error("Unexpected error: %s", redact(str(error)), exc_info=(exc_type, error, traceback))
    if _is_gui_thread() and QApplication.instance() is not None:
        info = feedback_for(error)
        QMessageBox.critical(None, info.title, f"{info.text}\n\nThe details are in the log file.")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    # Threads other than the GUI thread only log: a dialog from there would crash Qt.
    log.error(
        "Unexpected error in thread %s",
        args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
    )


def install_excepthook() -> None:
    """Route uncaught errors to the log (and a dialog on the GUI thread)."""
    sys.excepthook = handle_uncaught
    threading.excepthook = _thread_hook


def run_window(demo: bool = False, selftest: bool = False) -> int:
    """Open the window (optionally on the demo company) and run until it closes; or run the self-test."""
    tune_for_window()
    if selftest:
        from app.ui.selftest import run_selftest

        return run_selftest()
    from app.services.demo import DemoSession
    from app.ui.context import default_services
    from app.ui.main_window import MainWindow

    app = create_application()
    install_excepthook()
    session = DemoSession()
    try:
        services = default_services(demo=session)
        window = MainWindow(services)
        window.show()
        if demo:
            window.company_bar.start_demo()
        else:
            window.company_bar.maybe_show_first_run()
        return int(app.exec())
    finally:
        session.stop()
