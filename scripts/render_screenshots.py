"""Render screenshots of the window's real states into docs/screenshots/ (offscreen, no display needed).

    .venv/bin/python scripts/render_screenshots.py [--out FOLDER] [--scale 1.0]

Every state is reached the way a user reaches it, nothing is staged: the demo company is started
from the welcome guide and really exported; the wait for DEAR's limit is a real wait (a simulated
company on this computer with a small share of the limit); the failure is a real refusal (the
same simulated company with a wrong key). The main window is shot at 1280x720 and at 900x500
logical pixels (a 1366x768 laptop at 150%); dialogs at the size they open at. Everything runs in
a throw-away app folder, so the user's own settings, keyring and Documents are never touched.
``--scale 2`` renders as on a 200% display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WINDOW_SIZES = {"": (1280, 720), "-900x500": (900, 500)}
"""File name suffix -> the main window's size in logical pixels."""


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
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from app.sandbox import Sandbox, SandboxConfig
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

    def until(done: Callable[[], bool], seconds: float = 120.0) -> None:
        deadline = time.monotonic() + seconds
        while not done():
            if time.monotonic() > deadline:
                raise TimeoutError("The window did not reach the state to shoot.")
            app.processEvents()
            time.sleep(0.02)

    def answer_yes() -> None:
        # As the user would: "Go ahead?" (a long export) is answered Yes in the box itself.
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.button(QMessageBox.StandardButton.Yes) is not None:
            box.button(QMessageBox.StandardButton.Yes).click()

    answerer = QTimer()
    answerer.setInterval(100)
    answerer.timeout.connect(answer_yes)
    answerer.start()

    def shoot(widget: QWidget, name: str) -> None:
        app.processEvents()
        path = out / f"{name}{suffix}.png"
        print(f"shooting {path.name}", file=sys.stderr)
        widget.grab().save(str(path))
        written.append(path)

    def shoot_window(window: MainWindow, name: str, sizes: tuple[str, ...] = ("", "-900x500")) -> None:
        for size_suffix in sizes:
            window.resize(*WINDOW_SIZES[size_suffix])
            app.processEvents()
            shoot(window, name + size_suffix)
        window.resize(*WINDOW_SIZES[""])

    core = build_services(config_dir=home / "config", data_dir=home / "data")
    connections = core.connections
    demo = DemoSession(rate_limit=None, latency_ms=0)
    services = AppServices(core=core, demo=demo)
    # A second simulated company: a small share of the limit makes the export really wait.
    acme = Sandbox(SandboxConfig(seed=2, size="small", rate_limit=None, latency_ms=20)).start()
    acme_au = Sandbox(SandboxConfig(seed=3, size="small", rate_limit=None, latency_ms=0)).start()
    try:
        window = MainWindow(services)
        window.resize(*WINDOW_SIZES[""])
        window.show()

        guide = window.company_bar.maybe_show_first_run()
        assert guide is not None
        shoot(guide, "first-run")
        guide.demo_button.click()

        page = window.report_page
        page.report_picker.item_for("sale-order-lines").setCheckState(0, Qt.CheckState.Checked)
        page.date_row.set_spec("last-month")
        shoot_window(window, "export-choices")

        page.open_options()
        shoot(page.options_dialog, "more-options")
        page.options_dialog.reject()

        window.start_export()
        until(lambda: not window.exports.busy)
        shoot_window(window, "export-done")

        connections.add(
            "Acme NZ",
            acme.account_id,
            acme.application_key,
            base_url=acme.base_url,
            rate_limit="4/8",
            session_only=True,  # kept in memory: the user's keyring is never touched
        )
        # Several companies: a second company saved, "Companies to export" ticks both, the
        # computed stock report and the profit lines ticked beside the sale lines.
        connections.add(
            "Acme AU",
            acme_au.account_id,
            acme_au.application_key,
            base_url=acme_au.base_url,
            session_only=True,
        )
        window.company_bar.refresh(select="Acme NZ")
        window.company_bar.all_companies_action.trigger()
        assert window.company_bar.companies_button.isVisible(), "the companies button is not shown"
        for key in ("stock-at-date", "sale-profit-lines"):
            page.report_picker.item_for(key).setCheckState(0, Qt.CheckState.Checked)
        shoot_window(window, "export-companies")
        for key in ("stock-at-date", "sale-profit-lines"):
            page.report_picker.item_for(key).setCheckState(0, Qt.CheckState.Unchecked)
        window.company_bar.only_this_action.trigger()

        window.company_bar.refresh(select="Acme NZ")
        window.start_export()
        until(lambda: page.export_panel.wait_label.isVisible())
        until(lambda: page.export_panel.counts.text() != "")
        shoot_window(window, "export-waiting", ("",))
        window.cancel()
        until(lambda: not window.exports.busy)

        connections.add(
            "Acme NZ (new key)",
            acme.account_id,
            "a-key-DEAR-does-not-know",
            base_url=acme.base_url,
            session_only=True,
        )
        window.company_bar.refresh(select="Acme NZ (new key)")
        window.start_export()
        until(lambda: not window.exports.busy)
        shoot_window(window, "export-failed")

        window.company_bar.select(demo.connection.name if demo.connection else "")
        window.tabs.setCurrentWidget(window.lookup_tab)
        window.lookup_tab.start_search(LookupKind.PRODUCTS, "Chair")
        until(lambda: not window.runner.active_count)
        shoot_window(window, "lookup", ("",))

        window.presets_panel.name_edit.setText("Monthly sale lines")
        window.presets_panel.save_button.click()
        # A preset of both Acme companies, stock at a date, into a workbook the user keeps.
        window.company_bar.select("Acme NZ")
        window.company_bar.all_companies_action.trigger()
        page.report_picker.set_selected(["stock-at-date"])
        page.output.use_workbook(home / "Documents" / "Monthly stock.xlsx")
        window.presets_panel.name_edit.setText("Group stock")
        window.presets_panel.save_button.click()
        assert "into Monthly stock.xlsx" in window.presets_panel.description.text()
        window.tabs.setCurrentWidget(window.presets_panel)
        shoot_window(window, "presets", ("",))
        window.presets_panel.schedule_button.click()
        schedule = window.presets_panel.schedule_dialog
        assert schedule is not None and schedule.isVisible(), "Schedule… did not open its dialog"
        assert schedule.warning.isVisible(), "a demo preset is scheduled without the warning"
        shoot(schedule, "schedule")
        schedule.reject()

        dialog = window.company_bar.open_connections()
        shoot(dialog, "connections")
        dialog.reject()

        window.close()
    finally:
        demo.stop()
        acme.stop()
        acme_au.stop()
    for path in written:
        print(path)
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
