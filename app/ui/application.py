"""QApplication set-up, the error hook, and :func:`run_window` (called by ``app.main``)."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, ORG_DOMAIN, ORG_NAME, __version__
from app.paths import resource_path
from app.redact import redact
from app.ui.feedback import feedback_for

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    """Return the process's QApplication, created and named on first call."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setApplicationVersion(__version__)
    icon_file = resource_path("icons/app.png")
    if icon_file.is_file():
        app.setWindowIcon(QIcon(str(icon_file)))
    return app


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
            window.start_demo()
        else:
            window.maybe_show_first_run()
        return int(app.exec())
    finally:
        session.stop()
