"""Record when the first main window is shown, then quit: the start-up probe of bench/startup.py.

Used two ways, both only by the benchmark:

- as a PyInstaller runtime hook of a bench-only frozen build (``installer.spec -- --runtime-hook
  bench/startup_probe.py``), so the frozen app is timed without any change to the app;
- executed before ``app.main.run`` for the unfrozen app, so both are measured the same way.

When the environment variable DEAR_EXPORT_STARTUP_PROBE names a file, the first ``QMainWindow.show``
schedules a zero-delay timer; when it fires (the window is shown and the event loop has run once),
``time.time()`` is written to that file and the application quits. Without the variable it does nothing.
"""

import os
from pathlib import Path


def _install() -> None:
    probe = os.environ.get("DEAR_EXPORT_STARTUP_PROBE")
    if not probe:
        return
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    original_show = QMainWindow.show
    fired: list[bool] = []

    def record() -> None:
        Path(probe).write_text(repr(time.time()), encoding="utf-8")
        QApplication.quit()

    def show(self: QMainWindow) -> None:
        original_show(self)
        if not fired:
            fired.append(True)
            QTimer.singleShot(0, record)

    QMainWindow.show = show  # type: ignore[method-assign, assignment]


_install()
