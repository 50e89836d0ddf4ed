"""``python -m app --selftest``: check an installation offscreen and print a short report.

Checks, in order: Qt starts and has fonts; every bundled resource listed in
``resources/manifest.json`` is present; the keyring backend (a failing backend is an error when
a Secret Service could be reached, i.e. ``DBUS_SESSION_BUS_ADDRESS`` is set); the main window
builds; a tiny export against the built-in demo company completes on a worker thread.
Nothing touches the user's settings, keyring entries or Documents: everything goes to a
temporary folder. Exit status 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QEventLoop, QObject, QTimer, Slot

if TYPE_CHECKING:
    from app.errors import AppError
    from app.models import ExportResult
    from app.ui.main_window import MainWindow

REQUIRED_RESOURCES = ("icons/app.png",)
EXPORT_TIMEOUT_MS = 90_000
SELFTEST_REPORT = "customers"


@dataclass(frozen=True)
class Check:
    """One line of the self-test report."""

    name: str
    ok: bool
    detail: str


def resource_problems() -> tuple[list[str], list[str]]:
    """Return (resources checked, problems): the manifest's files plus the ones the window always loads."""
    from app.paths import resource_path

    manifest = resource_path("manifest.json")
    names = list(REQUIRED_RESOURCES)
    problems: list[str] = []
    if manifest.is_file():
        try:
            listed = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
            names += [str(name) for name in listed if str(name) not in names]
        except (OSError, ValueError, AttributeError) as error:
            problems.append(f"resources/manifest.json is unreadable ({error})")
    else:
        problems.append(f"resources/manifest.json is missing (looked in {manifest.parent})")
    problems += [f"missing {name}" for name in names if not resource_path(name).is_file()]
    return names, problems


def keyring_check() -> Check:
    """Report where keys would be stored; a failing backend is an error if a Secret Service is reachable."""
    from app.services.connections import ConnectionStore
    from app.services.settings import Settings

    with tempfile.TemporaryDirectory(prefix="dear-export-selftest-") as folder:
        store = ConnectionStore(Settings(Path(folder) / "settings.json"))
        description = store.backend_description()
        usable = store.keyring_usable()
    if usable:
        return Check("Keyring", True, description)
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return Check(
            "Keyring",
            False,
            f"{description} although a Secret Service bus is set (DBUS_SESSION_BUS_ADDRESS); "
            "the keyring backends were probably not bundled",
        )
    return Check("Keyring", True, f"{description} (no Secret Service on this computer)")


class _Outcome(QObject):
    """Collects the window's export outcome on the GUI thread and ends the wait."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = QEventLoop()
        self.result: ExportResult | None = None
        self.error: AppError | None = None
        self.cancelled = False

    @property
    def done(self) -> bool:
        """True once the export succeeded, failed or was cancelled."""
        return self.result is not None or self.error is not None or self.cancelled

    @Slot(object)
    def on_succeeded(self, result: ExportResult) -> None:
        """Keep the result and end the wait."""
        self.result = result
        self.loop.quit()

    @Slot(object)
    def on_failed(self, error: AppError) -> None:
        """Keep the error and end the wait."""
        self.error = error
        self.loop.quit()

    @Slot()
    def on_cancelled(self) -> None:
        """Note the cancel and end the wait."""
        self.cancelled = True
        self.loop.quit()


def _tiny_export(window: MainWindow, folder: Path, outcome: _Outcome) -> Path:
    from app.models import ExportRequest, OutputFormat, ReportRequest

    connection = window.company_bar.start_demo()
    target = folder / "Self-test customers.xlsx"
    request = ExportRequest(
        connection=connection,
        reports=(ReportRequest(SELFTEST_REPORT),),
        output=target,
        format=OutputFormat.XLSX,
        use_cache=False,
    )
    window.exports.succeeded.connect(outcome.on_succeeded)
    window.exports.failed.connect(outcome.on_failed)
    window.exports.cancelled.connect(outcome.on_cancelled)
    if not window.run_request(request):
        raise RuntimeError("the export did not start")
    return target


def run_selftest(out: TextIO | None = None) -> int:
    """Run every check, print the report, and return the exit status."""
    stream = out or sys.stdout
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    checks: list[Check] = []
    started = time.monotonic()

    from PySide6.QtGui import QFontDatabase

    from app import APP_NAME, __version__
    from app.ui.qapp import create_application

    app = create_application()
    families = QFontDatabase.families()
    checks.append(
        Check("Qt", bool(families), f"platform {app.platformName()}, {len(families)} font families")
    )

    names, problems = resource_problems()
    checks.append(Check("Resources", not problems, "; ".join(problems) or f"{len(names)} files present"))
    checks.append(keyring_check())

    with tempfile.TemporaryDirectory(prefix="dear-export-selftest-") as temp:
        folder = Path(temp)
        window = None
        try:
            window = _build_window(folder)
            checks.append(
                Check(
                    "Window",
                    True,
                    f"{window.report_page.report_picker.tree.topLevelItemCount()} report groups",
                )
            )
        except Exception as error:  # noqa: BLE001 - a self-test reports every failure instead of stopping
            checks.append(Check("Window", False, f"{type(error).__name__}: {error}"))
        if window is not None:
            checks.append(_export_check(window, folder))
            window.services.demo.stop()
            window.close()
            window.deleteLater()

    stream.write(f"{APP_NAME} {__version__} self-test\n")
    for check in checks:
        stream.write(f"  {'OK  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}\n")
    ok = all(check.ok for check in checks)
    stream.write(f"{'Passed' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s\n")
    stream.flush()
    return 0 if ok else 1


def _build_window(folder: Path) -> MainWindow:
    from app.services.demo import DemoSession
    from app.ui.context import AppServices
    from app.ui.main_window import MainWindow
    from app.wiring import build_services

    # Settings, presets and the record cache in the temporary folder: never the user's own.
    core = build_services(config_dir=folder / "config", data_dir=folder / "data")
    core.settings.output_folder = str(folder)
    return MainWindow(AppServices(core=core, demo=DemoSession(rate_limit=None, latency_ms=0)))


def _export_check(window: MainWindow, folder: Path) -> Check:
    outcome = _Outcome()
    try:
        target = _tiny_export(window, folder, outcome)
    except Exception as error:  # noqa: BLE001 - reported, not raised
        return Check("Export", False, f"{type(error).__name__}: {error}")
    if not outcome.done:
        QTimer.singleShot(EXPORT_TIMEOUT_MS, outcome.loop.quit)
        outcome.loop.exec()
    if outcome.error is not None:
        return Check("Export", False, outcome.error.message)
    if outcome.result is None:
        return Check("Export", False, "cancelled" if outcome.cancelled else "no answer within the time limit")
    rows = sum(sheet.rows for sheet in outcome.result.sheets)
    if not target.is_file() or rows <= 0:
        return Check("Export", False, f"the workbook was not written as expected ({rows} rows)")
    size = target.stat().st_size
    return Check("Export", True, f"{rows} demo {SELFTEST_REPORT} written to a {size:,}-byte workbook")
