"""Render screenshots of the window's main states into docs/screenshots/ (offscreen, no display needed).

    .venv/bin/python scripts/render_screenshots.py [--out FOLDER] [--scale 1.0]

Everything runs against the built-in demo company in a throw-away app folder, so the user's own
settings, keyring and Documents are never touched. ``--scale 2`` renders as on a 200% display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare(scale: float, home: Path) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["DEAR_EXPORT_HOME"] = str(home)
    os.environ["QT_SCALE_FACTOR"] = str(scale)
    sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    """Render every state and print where the files went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--scale", type=float, default=1.0, help="display scaling, e.g. 2 for 200%%")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dear-export-shots-") as temp:
        _prepare(args.scale, Path(temp))
        return _render(args.out, args.scale, Path(temp))


def _render(out: Path, scale: float, home: Path) -> int:
    from datetime import UTC, datetime

    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot
    from PySide6.QtWidgets import QApplication, QWidget

    from app.errors import AuthenticationError
    from app.models import Progress, RateLimit
    from app.services.demo import DemoSession
    from app.services.lookup import LookupKind
    from app.ui.context import AppServices
    from app.ui.main_window import MainWindow
    from app.ui.qapp import create_application
    from app.wiring import build_services

    app = create_application()
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if scale == 1.0 else f"@{scale:g}x"
    written: list[Path] = []

    def shoot(widget: QWidget, name: str) -> None:
        app.processEvents()
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        written.append(path)

    class Waiter(QObject):
        """Waits on the GUI thread for a window signal (an export or a look-up ending)."""

        def __init__(self) -> None:
            super().__init__()
            self.loop = QEventLoop()

        @Slot(object)
        def on_done(self, _payload: object) -> None:
            self.loop.quit()

        def wait(self, seconds: int = 60) -> None:
            QTimer.singleShot(seconds * 1000, self.loop.quit)
            self.loop.exec()

    core = build_services(config_dir=home / "config", data_dir=home / "data")
    connections = core.connections
    demo = DemoSession(rate_limit=None, latency_ms=0)
    services = AppServices(core=core, demo=demo)
    try:
        window = MainWindow(services)
        window.resize(1100, 760)
        window.show()

        guide = window.company_bar.show_first_run()
        guide.resize(640, 460)
        shoot(guide, "first-run")
        guide.reject()

        window.company_bar.start_demo()
        page = window.report_page
        for key in ("sale-order-lines", "customers"):
            page.report_picker.item_for(key).setCheckState(0, Qt.CheckState.Checked)
        page.date_row.set_spec("last-month")
        page.report_tabs.setCurrentIndex(0)
        shoot(window, "export-choices")

        panel = page.export_panel
        panel.begin("Exporting to Sale order lines and Customers.xlsx…", RateLimit())
        panel.show_progress(Progress("details", "Fetching sale 118 of 300", 118, 300, 121, 182, 0.0, 190.0))
        panel.show_progress(
            Progress(
                "waiting",
                "DEAR limits us to 60 requests a minute; continuing in 40 s",
                118,
                300,
                121,
                182,
                40.0,
                230.0,
            )
        )
        shoot(window, "export-waiting")

        waiter = Waiter()
        window.exports.succeeded.connect(waiter.on_done)
        window.exports.failed.connect(waiter.on_done)
        window.start_export()
        waiter.wait()
        shoot(window, "export-done")

        panel.begin("Exporting…", RateLimit())
        panel.show_failure(
            AuthenticationError(
                "DEAR did not accept the Account ID and Application Key of 'Acme NZ'.",
                details=f"GET me -> 403 at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                endpoint="me",
                status=403,
            )
        )
        page.scroll_to(panel.error_frame)
        app.processEvents()
        shoot(window, "export-failed")

        window.tabs.setCurrentWidget(window.lookup_tab)
        lookup = Waiter()
        window.lookup_tab.search_finished.connect(lookup.on_done)
        window.lookup_tab.start_search(LookupKind.PRODUCTS, "Chair")
        lookup.wait()
        shoot(window, "lookup")

        window.presets_panel.name_edit.setText("Monthly sale lines")
        window.presets_panel.save_button.click()
        window.tabs.setCurrentWidget(window.presets_panel)
        shoot(window, "presets")
        window.presets_panel.schedule_button.click()
        schedule = window.presets_panel.schedule_dialog
        if schedule is not None:
            schedule.resize(760, 520)
            shoot(schedule, "schedule")
            schedule.reject()

        connections.add("Acme NZ", "1a2b3c4d-0000-4000-8000-000000000001", "example-key", session_only=True)
        dialog = window.company_bar.open_connections()
        dialog.resize(620, 420)
        shoot(dialog, "connections")
        dialog.reject()

        window.close()
    finally:
        demo.stop()
    for path in written:
        print(path)
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
