"""The process's QApplication, named and given its icon (the window and the self-test share it)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import APP_NAME, ORG_DOMAIN, ORG_NAME, __version__
from app.paths import resource_path
from app.ui.wheel_guard import install_wheel_guard


def create_application(argv: list[str] | None = None) -> QApplication:
    """Return the process's QApplication, created and named on first call."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        install_wheel_guard(existing)
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
    # Every field the app makes, now or later, ignores the wheel until the user clicks into it.
    install_wheel_guard(app)
    return app
