"""The main window: the company bar, then the Export, Look up and Presets tabs; menus and shortcuts.

The window only assembles and wires its rooms: :class:`~app.ui.company_bar.CompanyBar` (which
company), :class:`~app.ui.report_page.ReportPage` (what to export and where),
:class:`~app.ui.export_controller.ExportController` (estimate, confirm, run on worker threads),
:class:`~app.ui.lookup_tab.LookupTab` and :class:`~app.ui.presets_panel.PresetsPanel`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QTabWidget, QVBoxLayout, QWidget

from app import APP_NAME
from app.errors import AppError, ConfigurationError
from app.models import ExportRequest, ExportResult
from app.paths import resource_path
from app.services.presets import Preset
from app.services.settings import WINDOW_GEOMETRY, Setting
from app.ui.company_bar import CompanyBar
from app.ui.context import AppServices
from app.ui.export_controller import ExportController
from app.ui.lookup_tab import LookupTab
from app.ui.name_picker import NameSource
from app.ui.option_summary import request_summary
from app.ui.presets_panel import PresetsPanel
from app.ui.refresh_dialog import WorkbookDrops, choose_workbook, refresh_workbook
from app.ui.report_page import ReportPage
from app.ui.wheel_guard import guard_fields, install_wheel_guard
from app.ui.worker import JobRunner

log = logging.getLogger(__name__)

DEMO_TITLE = f"{APP_NAME} — DEMO DATA"


class MainWindow(QMainWindow):
    """The app's window: ``company_bar``, ``report_page``, ``exports``, ``lookup_tab`` and ``presets_panel``.

    It is the presets panel's :class:`~app.ui.presets_panel.PresetHost`: it turns the screen
    into a preset, shows a preset, and runs a resolved one.
    """

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The wheel changes only fields the user clicked into (guard_fields below).
        install_wheel_guard()
        self.services = services
        self.runner = JobRunner(self)
        self.setWindowTitle(APP_NAME)
        icon_file = resource_path("icons/app.png")
        if icon_file.is_file():
            self.setWindowIcon(QIcon(str(icon_file)))

        central = QWidget(self)
        self.company_bar = CompanyBar(
            services.connections, services.demo, services.settings, self.runner, central
        )
        # Filter forms find this source through their window to pick locations, customers... by name.
        self.names = NameSource(
            services.core.reference_lists,
            self.runner,
            self.company_bar.current_connection,
            self,
            chosen=self.company_bar.connection_chosen,
        )
        self.tabs = QTabWidget(central)
        self.report_page = ReportPage(services.specs, services.settings, services.today, self.tabs)
        self.tabs.addTab(self.report_page, "&Export")
        self.lookup_tab = LookupTab(
            services.lookup,
            self.runner,
            self.company_bar.current_connection,
            self.tabs,
            companies=self.company_bar,
        )
        self.tabs.addTab(self.lookup_tab, "&Look up")
        self.presets_panel = PresetsPanel(
            services.presets, services.connections, services.today, self, self.tabs
        )
        self.tabs.addTab(self.presets_panel, "&Presets")
        layout = QVBoxLayout(central)
        layout.addWidget(self.company_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Ready.")
        self.exports = ExportController(services.exporter, self.runner, self.report_page.export_panel, self)

        self._build_menus()
        self._connect()
        self.company_bar.refresh()
        self.restore_state()
        self._on_exports_busy_changed(False)
        guard_fields(self)  # every field and tab bar built so far (report tabs guard their own)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.export_action = QAction("&Export", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        # Esc (a window shortcut below, so it also stops a look-up) is shown beside the item.
        self.cancel_action = QAction("&Cancel export\tEsc", self)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.refresh_action = QAction("Export, &refreshing everything from DEAR", self)
        self.refresh_action.setToolTip(
            "Fetch every record again instead of reusing the ones kept from earlier exports."
        )
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.refresh_action)
        self.refresh_workbook_action = QAction("Refresh a &workbook…", self)
        file_menu.addAction(self.refresh_workbook_action)
        file_menu.addAction(self.cancel_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        company_menu = self.menuBar().addMenu("&Company")
        self.manage_action = QAction("&Manage connections…", self)
        self.demo_action = QAction("Try with &demo data", self)
        self.clear_cache_action = QAction("&Clear this company's local cache", self)
        self.clear_cache_action.setToolTip(
            "Forget the records kept from earlier exports; the next export fetches everything again."
        )
        company_menu.addAction(self.manage_action)
        company_menu.addAction(self.demo_action)
        company_menu.addSeparator()
        company_menu.addAction(self.clear_cache_action)

        view_menu = self.menuBar().addMenu("&View")
        self.show_export_action = QAction("&Export", self)
        self.lookup_action = QAction("&Look up", self)
        self.lookup_action.setShortcut(QKeySequence("Ctrl+L"))
        self.show_presets_action = QAction("&Presets", self)
        self.options_action = QAction("&Filters and columns…", self)
        self.options_action.setToolTip("The ticked reports' filters and columns (More options)")
        for action in (self.show_export_action, self.lookup_action, self.show_presets_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.options_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.guide_action = QAction("&Getting started…", self)
        help_menu.addAction(self.guide_action)
        # Esc cancels whatever runs; dialogs keep their own Esc because they have focus.
        self.escape_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)

    def _connect(self) -> None:
        bar, exports, status = self.company_bar, self.exports, self.statusBar()
        bar.connection_chosen.connect(self._on_company_bar_connection_chosen)
        bar.connection_chosen.connect(self.lookup_tab.scope.show_choice)  # "In: all companies" when several
        bar.status_message.connect(status.showMessage)
        exports.status_message.connect(status.showMessage)
        exports.busy_changed.connect(self._on_exports_busy_changed)
        exports.succeeded.connect(self._on_exports_succeeded)
        exports.failed.connect(self._on_exports_failed)
        self.report_page.export_button.clicked.connect(self._on_export_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.refresh_action.triggered.connect(self._on_refresh_action_triggered)
        self.clear_cache_action.triggered.connect(self._on_clear_cache_action_triggered)
        self.cancel_action.triggered.connect(self._on_cancel_action_triggered)
        self.escape_shortcut.activated.connect(self._on_cancel_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.refresh_workbook_action.triggered.connect(self._on_refresh_workbook_action_triggered)
        self.workbook_drops = WorkbookDrops(self)  # a workbook dropped on the window is refreshed
        self.workbook_drops.dropped.connect(self._on_workbook_drops_dropped)
        self.manage_action.triggered.connect(bar.manage_button.click)
        self.demo_action.triggered.connect(bar.demo_button.click)
        self.guide_action.triggered.connect(self._on_guide_action_triggered)
        self.show_export_action.triggered.connect(self._on_show_export_action_triggered)
        self.lookup_action.triggered.connect(self._on_lookup_action_triggered)
        self.show_presets_action.triggered.connect(self._on_show_presets_action_triggered)
        exports.cancelled.connect(self._on_exports_cancelled)
        self.options_action.triggered.connect(self._on_options_action_triggered)

    # ================================================================== exporting

    def start_export(self, *, refresh: bool = False) -> bool:
        """Export what the Export tab shows (estimated first; a long one asks); False if not started.

        ``refresh`` fetches every record from DEAR again instead of reusing the local cache.
        """
        if self.exports.busy:
            return False
        connections = self.company_bar.export_connections()  # several when other companies are ticked
        if connections is None:
            return False
        try:
            request = replace(
                self.report_page.build_request(connections[0]),
                connections=connections,
                all_connections=self.company_bar.all_companies and len(connections) > 1,
            )
        except AppError as error:
            self.exports.report_failure(error)
            return False
        if refresh:
            request = replace(request, use_cache=False)
        return self.run_request(request)

    def run_request(self, request: ExportRequest) -> bool:
        """Estimate and run a ready-made request (the Export button and presets both end here)."""
        started = self.exports.start(request)
        if started:
            self.tabs.setCurrentWidget(self.report_page)
        return started

    def refresh_workbook(self, path: Path) -> bool:
        """Show a workbook's reports and refresh them (File > Refresh a workbook…, or a dropped one)."""
        services, bar = self.services, self.company_bar
        if self.exports.busy:
            return False
        return refresh_workbook(self, path, services.connections, bar.current_connection, self.run_request)

    def cancel(self) -> None:
        """Cancel the running estimate, export or look-up."""
        self.exports.cancel()
        self.lookup_tab.cancel()

    def clear_cache(self) -> int:
        """Forget the chosen company's locally kept records; return how many cache files went."""
        name = self.company_bar.connection_name()
        if not name:
            self.statusBar().showMessage("There is no local cache to clear for this company.")
            return 0
        try:
            removed = self.services.cache.clear(name)
        except AppError as error:
            self.exports.report_failure(error)
            return 0
        text = (
            f"Cleared the local cache of {name}: the next export fetches everything from DEAR."
            if removed
            else f"{name} has no local cache yet: nothing to clear."
        )
        self.statusBar().showMessage(text)
        self.report_page.export_panel.add_log(text)
        return removed

    # ================================================================== presets (PresetHost)

    def preset_from_screen(self, name: str, pattern: str) -> Preset:
        """Return the export on screen as a preset (dates kept as a range spec, so they move with time)."""
        connection = self.company_bar.connection_name()
        preset = self.company_bar.with_companies(self.report_page.to_preset(name, pattern, connection))
        if not connection:
            raise ConfigurationError("Choose a company connection first.")
        return preset

    def show_preset(self, preset: Preset) -> None:
        """Show a preset's company and choices in the Export tab (without running it)."""
        self.company_bar.select(preset.connection)
        self.company_bar.show_companies(preset)
        self.report_page.show_preset(preset)
        self.tabs.setCurrentWidget(self.report_page)

    # ================================================================== settings

    def restore_state(self) -> None:
        """Bring back the window size and the Export tab's choices."""
        geometry = self.services.settings.window_geometry
        if not geometry or not self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii"))):
            # A first start: a comfortable size, but never larger than the screen (200% scaling
            # on a laptop leaves fewer logical pixels than 1100 x 760).
            available = self.screen().availableGeometry()
            self.resize(min(1100, available.width() * 9 // 10), min(760, available.height() * 9 // 10))
        self.report_page.restore_choices()

    def save_state(self) -> None:
        """Remember the window, the connection and the current choices for next time."""
        settings = self.services.settings
        values: dict[Setting[Any], Any] = dict(self.report_page.choices_to_save())
        values[WINDOW_GEOMETRY] = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        try:
            settings.set_many(values)
            self.company_bar.remember_choice()
            folder = self.report_page.output.chosen_folder()
            if folder is not None:
                settings.output_folder = str(folder)
        except AppError as error:
            log.warning("Could not save the window settings: %s", error)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the choices, stop running work, and close."""
        self.save_state()
        if self.runner.active_count:
            self.runner.cancel_all()
            self.runner.wait_for_done(10_000)
        super().closeEvent(event)

    # ================================================================== slots

    @Slot(str)
    def _on_company_bar_connection_chosen(self, _name: str) -> None:
        self.setWindowTitle(DEMO_TITLE if self.company_bar.showing_demo() else APP_NAME)

    @Slot(bool)
    def _on_exports_busy_changed(self, busy: bool) -> None:
        self.report_page.set_busy(busy)
        self.company_bar.set_busy(busy)
        self.export_action.setEnabled(not busy)
        self.options_action.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)

    @Slot(object)
    def _on_exports_succeeded(self, result: ExportResult) -> None:
        request = self.exports.last_request
        if request is not None and not sum(sheet.rows for sheet in result.sheets):
            # "Done: 0 rows" names what was set, so a forgotten filter is not a mystery.
            specs = {spec.key: spec for spec in self.services.specs}
            self.report_page.export_panel.explain_empty(
                request_summary(request, specs, self.report_page.value_words)
            )
        self.presets_panel.run_ended(self.report_page.export_panel.status.text())
        self.save_state()

    @Slot(object)
    def _on_exports_failed(self, _error: object) -> None:
        self.presets_panel.run_ended("The export did not finish; the Export tab says why.")

    @Slot()
    def _on_exports_cancelled(self) -> None:
        self.presets_panel.run_ended("Cancelled. No file was written.")

    @Slot()
    def _on_export_action_triggered(self) -> None:
        self.start_export()

    @Slot()
    def _on_refresh_action_triggered(self) -> None:
        self.start_export(refresh=True)

    @Slot()
    def _on_refresh_workbook_action_triggered(self) -> None:
        path = choose_workbook(self, self.services.settings.output_folder)
        if path is not None:
            self.refresh_workbook(path)

    @Slot(str)
    def _on_workbook_drops_dropped(self, path: str) -> None:
        self.refresh_workbook(Path(path))

    @Slot()
    def _on_clear_cache_action_triggered(self) -> None:
        self.clear_cache()

    @Slot()
    def _on_cancel_action_triggered(self) -> None:
        self.cancel()

    @Slot()
    def _on_guide_action_triggered(self) -> None:
        self.company_bar.show_first_run()

    @Slot()
    def _on_show_export_action_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.report_page)

    @Slot()
    def _on_lookup_action_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.lookup_tab)
        self.lookup_tab.query_edit.setFocus()
        self.lookup_tab.query_edit.selectAll()

    @Slot()
    def _on_options_action_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.report_page)
        self.report_page.open_options()

    @Slot()
    def _on_show_presets_action_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.presets_panel)
