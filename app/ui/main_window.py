"""The main window: pick a company, reports, dates, filters and columns; export; look up; presets."""

from __future__ import annotations

import itertools
import logging
import weakref
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.errors import AppError, ConfigurationError
from app.models import Connection, EndpointSpec, ExportRequest, OutputFormat, ReportRequest
from app.paths import resource_path
from app.services import dateranges
from app.services.demo import DEMO_NAME
from app.services.presets import Preset, apply_date_range
from app.services.settings import (
    LAST_COLUMNS,
    LAST_DATE_RANGE,
    LAST_FILTERS,
    LAST_REPORTS,
    OUTPUT_FORMAT,
    WINDOW_GEOMETRY,
)
from app.ui.column_picker import ColumnPicker
from app.ui.connections_dialog import ConnectionsDialog
from app.ui.context import AppServices
from app.ui.export_panel import ExportPanel, plain_duration
from app.ui.feedback import feedback_for, show_error
from app.ui.filter_form import DateRangeRow, FilterForm
from app.ui.first_run import FirstRunDialog
from app.ui.lookup_tab import LookupTab
from app.ui.naming import default_stem, with_format
from app.ui.presets_panel import PresetsPanel
from app.ui.report_picker import ReportPicker
from app.ui.worker import JobRunner, Worker, tune_for_responsiveness

log = logging.getLogger(__name__)

LONG_EXPORT_SECONDS = 120.0
"""Exports expected to take longer than this ask first (and offer to narrow the filters)."""

DEMO_ITEM = "\x00demo"  # combo data of the demo company; no saved connection can have this name
DEMO_BANNER = (
    "You are looking at DEMO DATA: a made-up company running on this computer. "
    "Nothing here comes from a real DEAR account."
)


def ranged_filters(spec: EndpointSpec) -> tuple[str, ...]:
    """Return the filters the export's date range fills in for this report (the presets' own rule)."""
    probe = apply_date_range(
        ReportRequest(spec.key), dateranges.DateRange(date(2000, 1, 1), date(2000, 1, 2)), spec=spec
    )
    return tuple(probe.filters)


def date_range_note(spec: EndpointSpec) -> str:
    """Return what the export's date range means for this report, in plain words."""
    if spec.date_field:
        what = (spec.date_label or "date").lower()
        return f"Dates: the date range above picks the rows by their {what}."
    names = ranged_filters(spec)
    if names:
        labels = {f.name: f.label for f in spec.filters}
        chosen = " and ".join(f"“{labels.get(name, name)}”" for name in names)
        return f"Dates: the date range above sets {chosen}."
    return "Dates: this report has no date to choose by, so the date range above does not apply to it."


class ReportPage(QWidget):
    """Filters and columns of one ticked report, side by side."""

    def __init__(self, spec: EndpointSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.filters = FilterForm(spec, ranged=ranged_filters(spec), note=date_range_note(spec))
        self.columns = ColumnPicker(spec)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.filters)
        filters_box = QGroupBox("Filters", self)
        box_layout = QVBoxLayout(filters_box)
        box_layout.addWidget(scroll)
        columns_box = QGroupBox("Columns", self)
        columns_layout = QVBoxLayout(columns_box)
        columns_layout.addWidget(self.columns)
        description = QLabel(spec.description, self)
        description.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(filters_box, 1)
        row.addWidget(columns_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(description)
        layout.addLayout(row, 1)

    def report_request(self) -> ReportRequest:
        """Return this report's filters and columns (dates are added from the export's range)."""
        columns = self.columns.columns()
        if not columns:
            raise ConfigurationError(
                f"No columns are ticked for “{self.spec.label}”.",
                hint="Tick at least one column, or press “Restore defaults”.",
            )
        chosen = None if self.columns.is_default() else columns
        return ReportRequest(self.spec.key, filters=self.filters.values(), columns=chosen)


class MainWindow(QMainWindow):
    """The app's window.

    Signals:
        export_succeeded(object): an export finished; carries the ExportResult.
        export_failed(object): an export (or its estimate) failed; carries the AppError.
        export_cancelled(): an export was cancelled or not started after the estimate.
        estimate_ready(object): the estimate for the next export arrived.
        demo_started(object): the demo company is running; carries its Connection.
    """

    export_succeeded = Signal(object)
    export_failed = Signal(object)
    export_cancelled = Signal()
    estimate_ready = Signal(object)
    demo_started = Signal(object)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tune_for_responsiveness()
        self.services = services
        self.runner = JobRunner(self)
        self._specs = {spec.key: spec for spec in services.specs}
        self._pages: dict[str, ReportPage] = {}
        self._estimate_worker: Worker | None = None
        self._export_worker: Worker | None = None
        self._pending: ExportRequest | None = None
        self._path_user_set = False
        self._folder_override: Path | None = None
        self._scroll_target: QWidget | None = None
        self._restoring = False
        self.connections_dialog: ConnectionsDialog | None = None
        self.first_run_dialog: FirstRunDialog | None = None

        self.setWindowTitle(APP_NAME)
        icon_file = resource_path("icons/app.png")
        if icon_file.is_file():
            self.setWindowIcon(QIcon(str(icon_file)))
        self._build_widgets()
        self._build_menus()
        self._connect()
        self.refresh_connections()
        self.restore_state()
        self._update_actions()

    # ================================================================== building

    def _build_widgets(self) -> None:
        central = QWidget(self)
        self.demo_banner = QLabel(DEMO_BANNER, central)
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0c060; padding: 0.4em; }"
        )
        self.demo_banner.setVisible(False)

        self.connection_combo = QComboBox(central)
        self.connection_combo.setAccessibleName("Company connection")
        self.connection_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        connection_label = QLabel("&Company:", central)
        connection_label.setBuddy(self.connection_combo)
        self.manage_button = QPushButton("&Manage connections…", central)
        self.demo_button = QPushButton("Try with de&mo data", central)
        top = QHBoxLayout()
        top.addWidget(connection_label)
        top.addWidget(self.connection_combo, 1)
        top.addWidget(self.manage_button)
        top.addWidget(self.demo_button)

        self.tabs = QTabWidget(central)
        self.tabs.addTab(self._build_export_tab(), "&Export")
        self.lookup_tab = LookupTab(
            self.services.lookup, self.runner, _WeakCall(self.current_connection), self.tabs
        )
        self.tabs.addTab(self.lookup_tab, "&Look up")
        self.presets_panel = PresetsPanel(self.services.presets, self.tabs)
        self.tabs.addTab(self.presets_panel, "&Presets")

        layout = QVBoxLayout(central)
        layout.addWidget(self.demo_banner)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Ready.")

    def _build_export_tab(self) -> QWidget:
        page = QWidget(self)
        self.report_picker = ReportPicker(self.services.specs, page)

        self.date_row = DateRangeRow(page, today=self.services.today())
        dates_label = QLabel("&Dates:", page)
        dates_label.setBuddy(self.date_row.combo)
        self.dates_hint = QLabel("", page)
        self.dates_hint.setWordWrap(True)
        self.report_tabs = QTabWidget(page)
        self.report_tabs.setDocumentMode(True)
        self.no_reports_label = QLabel(
            "Tick one or more reports on the left to choose filters and columns.", page
        )
        self.no_reports_label.setWordWrap(True)
        self.no_reports_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.format_combo = QComboBox(page)
        self.format_combo.addItem("Excel workbook (.xlsx)", OutputFormat.XLSX.value)
        self.format_combo.addItem("CSV files (.csv)", OutputFormat.CSV.value)
        self.format_combo.setAccessibleName("File format")
        self.path_edit = QLineEdit(page)
        self.path_edit.setAccessibleName("Save to")
        self.browse_button = QPushButton("&Browse…", page)
        self.export_button = QPushButton("E&xport", page)
        self.export_button.setDefault(True)
        self.export_button.setToolTip("Export now (Ctrl+E)")
        output = QFormLayout()
        format_label = QLabel("&Format:", page)
        format_label.setBuddy(self.format_combo)
        path_label = QLabel("&Save to:", page)
        path_label.setBuddy(self.path_edit)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        output.addRow(dates_label, self.date_row)
        output.addRow("", self.dates_hint)
        output.addRow(format_label, self.format_combo)
        output.addRow(path_label, path_row)
        action_row = QHBoxLayout()
        action_row.addStretch(1)
        action_row.addWidget(self.export_button)

        self.export_panel = ExportPanel(page)

        choices = QWidget(page)
        choices_layout = QVBoxLayout(choices)
        choices_layout.setContentsMargins(0, 0, 0, 0)
        choices_layout.addWidget(self.no_reports_label, 1)
        choices_layout.addWidget(self.report_tabs, 1)
        running = QWidget(page)
        running_layout = QVBoxLayout(running)
        running_layout.setContentsMargins(0, 0, 0, 0)
        running_layout.addLayout(output)
        running_layout.addLayout(action_row)
        running_layout.addWidget(self.export_panel, 1)
        # The user can trade filter space for log space; the choices start with most of it.
        # Scrolls rather than squeezes on small screens or at large display scaling.
        self.running_scroll = QScrollArea(page)
        self.running_scroll.setWidgetResizable(True)
        self.running_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.running_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.running_scroll.setWidget(running)
        right = QSplitter(Qt.Orientation.Vertical, page)
        right.addWidget(choices)
        right.addWidget(self.running_scroll)
        right.setChildrenCollapsible(False)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        lines = self.fontMetrics().lineSpacing()
        right.setSizes([lines * 22, lines * 16])

        splitter = QSplitter(Qt.Orientation.Horizontal, page)
        splitter.addWidget(self.report_picker)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        # Sized in characters, so the picker stays readable at any font size or display scaling.
        chars = self.report_picker.fontMetrics().averageCharWidth()
        self.report_picker.setMinimumWidth(chars * 30)
        splitter.setSizes([chars * 38, chars * 100])
        layout = QVBoxLayout(page)
        layout.addWidget(splitter)
        self.report_tabs.setVisible(False)
        return page

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.export_action = QAction("&Export", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.cancel_action = QAction("&Cancel export", self)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.refresh_action = QAction("Export, &refreshing everything from DEAR", self)
        self.refresh_action.setToolTip(
            "Fetch every record again instead of reusing the ones kept from earlier exports."
        )
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.refresh_action)
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
        for action in (self.show_export_action, self.lookup_action, self.show_presets_action):
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        self.guide_action = QAction("&Getting started…", self)
        help_menu.addAction(self.guide_action)
        # Esc cancels whatever runs; dialogs keep their own Esc because they have focus.
        self.escape_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)

    def _connect(self) -> None:
        self.connection_combo.currentIndexChanged.connect(self._on_connection_combo_changed)
        self.manage_button.clicked.connect(self._on_manage_action_triggered)
        self.demo_button.clicked.connect(self._on_demo_action_triggered)
        self.report_picker.selection_changed.connect(self._on_report_picker_selection_changed)
        self.report_tabs.currentChanged.connect(self._on_report_tabs_current_changed)
        self.date_row.changed.connect(self._on_output_inputs_changed)
        self.format_combo.currentIndexChanged.connect(self._on_output_inputs_changed)
        self.path_edit.textEdited.connect(self._on_path_edit_text_edited)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.export_button.clicked.connect(self._on_export_action_triggered)
        self.export_panel.cancel_requested.connect(self._on_cancel_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.refresh_action.triggered.connect(self._on_refresh_action_triggered)
        self.clear_cache_action.triggered.connect(self._on_clear_cache_action_triggered)
        self.cancel_action.triggered.connect(self._on_cancel_action_triggered)
        self.escape_shortcut.activated.connect(self._on_cancel_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.manage_action.triggered.connect(self._on_manage_action_triggered)
        self.demo_action.triggered.connect(self._on_demo_action_triggered)
        self.show_export_action.triggered.connect(self._on_show_export_action_triggered)
        self.lookup_action.triggered.connect(self._on_lookup_action_triggered)
        self.show_presets_action.triggered.connect(self._on_show_presets_action_triggered)
        self.guide_action.triggered.connect(self._on_guide_action_triggered)
        self.presets_panel.save_requested.connect(self._on_presets_save_requested)
        self.presets_panel.run_requested.connect(self._on_presets_run_requested)
        self.presets_panel.load_requested.connect(self._on_presets_load_requested)

    # ================================================================== connections

    def refresh_connections(self, select: str = "") -> None:
        """Reload the company picker (saved connections, then the demo company if it runs)."""
        wanted = select or self.connection_name()
        combo = self.connection_combo
        combo.blockSignals(True)
        combo.clear()
        for info in self.services.connections.list():
            suffix = " (this session only)" if info.session_only else ""
            combo.addItem(info.name + suffix, info.name)
        if self.services.demo.running:
            combo.addItem(f"{DEMO_NAME} (demo data)", DEMO_ITEM)
        if combo.count() == 0:
            combo.addItem("No connection yet: press “Manage connections…”", "")
        index = combo.findData(wanted) if wanted else -1
        if index < 0 and not wanted:
            index = combo.findData(self.services.settings.last_connection)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)
        self._update_demo_marks()

    def connection_name(self) -> str:
        """Return the chosen connection's name ("" if none; the demo item's marker for the demo)."""
        return str(self.connection_combo.currentData() or "")

    def select_connection(self, name: str) -> bool:
        """Choose a connection by name; False if there is none by that name."""
        index = self.connection_combo.findData(
            DEMO_ITEM if name == DEMO_NAME and self.is_demo_running() else name
        )
        if index < 0:
            return False
        self.connection_combo.setCurrentIndex(index)
        return True

    def is_demo_running(self) -> bool:
        """Return True while the demo company is available."""
        return self.services.demo.running

    def current_connection(self) -> Connection | None:
        """Return the chosen connection with its key (read on the GUI thread), or None with a message."""
        name = self.connection_name()
        if not name:
            self.statusBar().showMessage("Add a connection first: press “Manage connections…”.")
            return None
        if name == DEMO_ITEM:
            return self.services.demo.connection
        try:
            return self.services.connections.get(name)
        except AppError as error:
            show_error(self, error)
            return None

    def start_demo(self) -> Connection:
        """Start the demo company, choose it and mark the window as showing demo data."""
        connection = self.services.demo.start()
        self.refresh_connections(select=DEMO_ITEM)
        self.demo_started.emit(connection)
        self.statusBar().showMessage("The demo company is ready. Tick a report and press Export.")
        return connection

    def _update_demo_marks(self) -> None:
        demo = self.connection_name() == DEMO_ITEM
        self.demo_banner.setVisible(demo)
        self.setWindowTitle(f"{APP_NAME} — DEMO DATA" if demo else APP_NAME)

    def maybe_show_first_run(self) -> FirstRunDialog | None:
        """Show the welcome guide when there are no connections and it was never shown."""
        settings = self.services.settings
        if settings.first_run_done or self.services.connections.list() or self.is_demo_running():
            return None
        settings.first_run_done = True
        return self.show_first_run()

    def show_first_run(self) -> FirstRunDialog:
        """Open the welcome guide (not blocking)."""
        self.first_run_dialog = FirstRunDialog(self)
        self.first_run_dialog.add_requested.connect(self._on_first_run_add_requested)
        self.first_run_dialog.demo_requested.connect(self._on_demo_action_triggered)
        self.first_run_dialog.open()
        return self.first_run_dialog

    def open_connections(self, *, add: bool = False) -> ConnectionsDialog:
        """Open the connections dialog (not blocking), optionally straight into the add form."""
        self.connections_dialog = ConnectionsDialog(self.services.connections, self.runner, self)
        self.connections_dialog.connections_changed.connect(self._on_connections_changed)
        self.connections_dialog.open()
        if add:
            self.connections_dialog.open_form()
        return self.connections_dialog

    # ================================================================== reports and output

    def pages(self) -> dict[str, ReportPage]:
        """Return the filter-and-column page of each ticked report."""
        return dict(self._pages)

    def _sync_pages(self) -> None:
        keys = self.report_picker.selected_keys()
        for key in list(self._pages):
            if key not in keys:
                page = self._pages.pop(key)
                self.report_tabs.removeTab(self.report_tabs.indexOf(page))
                page.deleteLater()
        saved_filters = self.services.settings.get(LAST_FILTERS)
        saved_columns = self.services.settings.get(LAST_COLUMNS)
        for key in keys:
            if key in self._pages:
                continue
            spec = self._specs[key]
            page = ReportPage(spec, self.report_tabs)
            page.filters.set_values(saved_filters.get(key, {}))
            if saved_columns.get(key):
                page.columns.set_columns(saved_columns[key])
            self._pages[key] = page
            self.report_tabs.addTab(page, spec.label)
        if keys:
            self.report_tabs.setCurrentWidget(self._pages[keys[-1]])
        self.report_tabs.setVisible(bool(keys))
        self.no_reports_label.setVisible(not keys)
        self._update_tab_order()

    def _update_tab_order(self) -> None:
        """Set the Tab key's path through the export tab, top to bottom.

        Reports, dates, the shown report's filters and columns, then the output and the export
        panel; report pages are made later than the rest, so without this they would come last.
        """
        chain: list[QWidget] = [
            self.report_picker.search,
            self.report_picker.tree,
            self.date_row.combo,
            self.date_row.start_edit,
            self.date_row.end_edit,
            self.report_tabs,
        ]
        page = self.report_tabs.currentWidget()
        if isinstance(page, ReportPage):
            chain += [
                widget
                for widget in page.findChildren(QWidget)
                if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not isinstance(widget, (QScrollArea, QScrollBar))
                and widget.window() is self  # not the drop-down lists' own popup windows
            ]
        panel = self.export_panel
        chain += [
            self.format_combo,
            self.path_edit,
            self.browse_button,
            self.export_button,
            panel.cancel_button,
            panel.copy_button,
            panel.open_button,
            panel.folder_button,
            panel.log,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def output_format(self) -> OutputFormat:
        """Return the chosen file format."""
        return OutputFormat(self.format_combo.currentData())

    def default_output_path(self) -> Path:
        """Return the suggested file: report names and dates, in the output folder."""
        labels = [self._specs[key].label for key in self.report_picker.selected_keys()]
        window = self.date_row.window()
        start = window.start if window else None
        end = (window.end or self.services.today()) if window else None
        folder = self._output_folder()
        return folder / f"{default_stem(labels, start, end)}.{self.output_format().value}"

    def _output_folder(self) -> Path:
        text = self.path_edit.text().strip()
        if text and self._path_user_set:
            return Path(text).expanduser().parent
        return self._folder_override or self.services.settings.output_folder

    def _update_default_path(self) -> None:
        if self._path_user_set and self.path_edit.text().strip():
            current = Path(self.path_edit.text().strip())
            self.path_edit.setText(str(with_format(current, self.output_format())))
            return
        self.path_edit.setText(str(self.default_output_path()))

    def output_path(self) -> Path:
        """Return the file the export will write (the right extension for the format)."""
        text = self.path_edit.text().strip()
        path = Path(text).expanduser() if text else self.default_output_path()
        return with_format(path, self.output_format())

    def build_request(self, connection: Connection) -> ExportRequest:
        """Return the export the window describes, dates applied (ConfigurationError if incomplete)."""
        keys = self.report_picker.selected_keys()
        if not keys:
            raise ConfigurationError("No report is ticked.", hint="Tick at least one report on the left.")
        window = self.date_row.window()
        reports = tuple(apply_date_range(self._pages[key].report_request(), window) for key in keys)
        return ExportRequest(
            connection=connection, reports=reports, output=self.output_path(), format=self.output_format()
        )

    # ================================================================== exporting

    @property
    def busy(self) -> bool:
        """Return True while an estimate or an export runs."""
        return self._estimate_worker is not None or self._export_worker is not None

    def start_export(self, *, refresh: bool = False) -> bool:
        """Check the choices, estimate, and export (long ones after a question); False if not started.

        ``refresh`` fetches every record from DEAR again instead of reusing the local cache.
        """
        if self.busy:
            return False
        connection = self.current_connection()
        if connection is None:
            return False
        try:
            request = self.build_request(connection)
        except AppError as error:
            self._show_failure(error)
            return False
        if refresh:
            request = replace(request, use_cache=False)
        return self.start_request(request)

    def clear_cache(self) -> int:
        """Forget the chosen company's locally kept records; return how many cache files went."""
        cache = self.services.cache
        name = self.connection_name()
        if cache is None or not name or name == DEMO_ITEM:
            self.statusBar().showMessage("There is no local cache to clear for this company.")
            return 0
        try:
            removed = cache.clear(name)
        except AppError as error:
            self._show_failure(error)
            return 0
        text = (
            f"Cleared the local cache of {name}: the next export fetches everything from DEAR."
            if removed
            else f"{name} has no local cache yet: nothing to clear."
        )
        self.statusBar().showMessage(text)
        self.export_panel.add_log(text)
        return removed

    def start_request(self, request: ExportRequest) -> bool:
        """Estimate and run a ready-made request (the Export button and presets both end here)."""
        if self.busy:
            return False
        target = request.output
        if not target.parent.is_dir():
            error = ConfigurationError(
                f"The folder {target.parent} does not exist.", hint="Choose another folder with “Browse…”."
            )
            self._show_failure(error)
            return False
        if target.exists():
            answer = QMessageBox.question(
                self,
                "Replace the file?",
                f"“{target.name}” already exists in {target.parent}. Replace it with the new export?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self.tabs.setCurrentIndex(0)
        self._pending = request
        self.export_panel.begin("Working out how long this export will take…", request.connection.rate_limit)
        worker = Worker(_EstimateJob(self.services.exporter, request), name="estimate")
        worker.signals.succeeded.connect(self._on_estimate_succeeded)
        worker.signals.failed.connect(self._on_estimate_failed)
        worker.signals.cancelled.connect(self._on_estimate_cancelled)
        worker.signals.finished.connect(self._on_estimate_finished)
        self._estimate_worker = worker
        self._update_actions()
        self.runner.start(worker)
        return True

    def _run(self, request: ExportRequest) -> None:
        self.export_panel.begin(f"Exporting to {request.output.name}…", request.connection.rate_limit)
        worker = Worker(_ExportJob(self.services.exporter, request), name="export", freeze_gc=True)
        worker.signals.progressed.connect(self._on_export_progressed)
        worker.signals.succeeded.connect(self._on_export_succeeded)
        worker.signals.failed.connect(self._on_export_failed)
        worker.signals.cancelled.connect(self._on_export_cancelled)
        worker.signals.finished.connect(self._on_export_finished)
        self._export_worker = worker
        self._update_actions()
        self.runner.start(worker)

    def scroll_to(self, widget: QWidget) -> None:
        """Bring part of the export panel into view once the layout has placed it."""
        self._scroll_target = widget
        QTimer.singleShot(0, self._on_scroll_timer_timeout)

    @Slot()
    def _on_scroll_timer_timeout(self) -> None:
        if self._scroll_target is not None:
            self.running_scroll.ensureWidgetVisible(self._scroll_target)
            self._scroll_target = None

    def _show_failure(self, error: AppError) -> None:
        self.export_panel.show_failure(error)
        self.scroll_to(self.export_panel.error_frame)
        self.export_failed.emit(error)

    def cancel(self) -> None:
        """Cancel the running estimate, export or look-up."""
        if self._estimate_worker is not None:
            self._estimate_worker.cancel()
            self.export_panel.cancelling()
        if self._export_worker is not None:
            self._export_worker.cancel()
            self.export_panel.cancelling()
        self.lookup_tab.cancel()

    def _update_actions(self) -> None:
        busy = self.busy
        self.export_button.setEnabled(not busy)
        self.export_action.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)
        for key in ("report_picker", "date_row", "format_combo", "path_edit", "browse_button"):
            getattr(self, key).setEnabled(not busy)
        self.connection_combo.setEnabled(not busy)

    # ================================================================== presets

    def current_preset(self, name: str, pattern: str) -> Preset:
        """Return the export on screen as a preset (dates kept as a range spec, so they move with time)."""
        keys = self.report_picker.selected_keys()
        if not keys:
            raise ConfigurationError(
                "No report is ticked.", hint="Tick the reports the preset should export."
            )
        connection = self.connection_name()
        if not connection:
            raise ConfigurationError("Choose a company connection first.")
        return Preset(
            name=name,
            connection=DEMO_NAME if connection == DEMO_ITEM else connection,
            reports=tuple(self._pages[key].report_request() for key in keys),
            date_range=self.date_row.spec() or None,
            output_folder=str(self._output_folder()),
            name_pattern=pattern,
            format=self.output_format(),
        )

    def run_preset(self, name: str) -> bool:
        """Run a saved preset now (its connection's key is read here, on the GUI thread)."""
        store = self.services.presets
        try:
            preset = store.load(name)
            if preset.connection == DEMO_NAME and self.is_demo_running():
                connection = self.services.demo.connection
            else:
                connection = self.services.connections.get(preset.connection)
            request = store.resolve(preset, self.services.today(), connection=connection)
        except AppError as error:
            self.presets_panel.set_status(feedback_for(error).text)
            return False
        self.presets_panel.set_status(f"Running '{preset.name}'…")
        return self.start_request(request)

    def load_preset(self, name: str) -> bool:
        """Show a preset's choices in the Export tab (without running it)."""
        try:
            preset = self.services.presets.load(name)
        except AppError as error:
            self.presets_panel.set_status(feedback_for(error).text)
            return False
        self.select_connection(preset.connection)
        self.report_picker.set_selected(report.key for report in preset.reports)
        for report in preset.reports:
            page = self._pages.get(report.key)
            if page is None:
                continue
            page.filters.set_values(report.filters)
            if report.columns:
                page.columns.set_columns(report.columns)
            else:
                page.columns.restore_defaults()
        self.date_row.set_spec(preset.date_range or "")
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(preset.format.value)))
        self._path_user_set = False
        self._folder_override = Path(preset.output_folder).expanduser() if preset.output_folder else None
        self._update_default_path()
        self.tabs.setCurrentIndex(0)
        return True

    # ================================================================== settings

    def restore_state(self) -> None:
        """Bring back the window size, last connection, reports, filters, columns, dates and format."""
        settings = self.services.settings
        self._restoring = True
        try:
            geometry = settings.window_geometry
            if not geometry or not self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii"))):
                # A first start: a comfortable size, but never larger than the screen (200% scaling
                # on a laptop leaves fewer logical pixels than 1100 x 760).
                available = self.screen().availableGeometry()
                self.resize(min(1100, available.width() * 9 // 10), min(760, available.height() * 9 // 10))
            fmt = settings.get(OUTPUT_FORMAT)
            self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(fmt)))
            self.date_row.set_spec(settings.get(LAST_DATE_RANGE))
            self.report_picker.set_selected(settings.get(LAST_REPORTS))
            self._sync_pages()
            self._update_dates_hint()
        finally:
            self._restoring = False
        self._update_default_path()

    def save_state(self) -> None:
        """Remember the window and the current choices for next time."""
        settings = self.services.settings
        filters = settings.get(LAST_FILTERS)
        columns = settings.get(LAST_COLUMNS)
        for key, page in self._pages.items():
            filters[key] = page.filters.values()
            columns[key] = list(page.columns.columns())
        values: dict[Any, Any] = {
            WINDOW_GEOMETRY: bytes(self.saveGeometry().toBase64().data()).decode("ascii"),
            LAST_REPORTS: self.report_picker.selected_keys(),
            LAST_FILTERS: filters,
            LAST_COLUMNS: columns,
            LAST_DATE_RANGE: self.date_row.spec(),
            OUTPUT_FORMAT: self.output_format().value,
        }
        try:
            settings.set_many(values)
            name = self.connection_name()
            if name and name != DEMO_ITEM:
                settings.last_connection = name
            if self._path_user_set and self.path_edit.text().strip():
                settings.output_folder = str(Path(self.path_edit.text().strip()).expanduser().parent)
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

    @Slot(int)
    def _on_connection_combo_changed(self, _index: int) -> None:
        self._update_demo_marks()
        name = self.connection_name()
        if name and name != DEMO_ITEM:
            try:
                self.services.settings.last_connection = name
            except AppError as error:
                log.warning("Could not remember the connection: %s", error)

    @Slot()
    def _on_manage_action_triggered(self) -> None:
        self.open_connections()

    @Slot()
    def _on_first_run_add_requested(self) -> None:
        self.open_connections(add=True)

    @Slot()
    def _on_connections_changed(self) -> None:
        select = self.connections_dialog.selected_name() if self.connections_dialog else ""
        self.refresh_connections(select=select)

    @Slot()
    def _on_demo_action_triggered(self) -> None:
        try:
            self.start_demo()
        except (AppError, OSError) as error:
            show_error(self, error)

    @Slot()
    def _on_report_picker_selection_changed(self) -> None:
        self._sync_pages()
        self._update_default_path()
        self._update_dates_hint()

    def _update_dates_hint(self) -> None:
        """Say which date of each ticked report the date range means (an order date, ...)."""
        parts = []
        for key in self.report_picker.selected_keys():
            spec = self._pages[key].spec
            if spec.date_label:
                parts.append(f"{spec.label}: {spec.date_label.lower()}")
            else:
                filters = ranged_filters(spec)
                labels = [f.label.lower() for f in spec.filters if f.name in filters]
                parts.append(f"{spec.label}: {' and '.join(labels) if labels else 'not dated (all records)'}")
        self.dates_hint.setText("The dates apply to " + "; ".join(parts) + "." if parts else "")

    @Slot(int)
    def _on_report_tabs_current_changed(self, _index: int) -> None:
        self._update_tab_order()

    @Slot()
    def _on_output_inputs_changed(self) -> None:
        if not self._restoring:
            self._update_default_path()

    @Slot(str)
    def _on_path_edit_text_edited(self, text: str) -> None:
        self._path_user_set = bool(text.strip())

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        filters = (
            "Excel workbook (*.xlsx)" if self.output_format() is OutputFormat.XLSX else "CSV file (*.csv)"
        )
        path, _ = QFileDialog.getSaveFileName(self, "Save the export as", str(self.output_path()), filters)
        if path:
            self.path_edit.setText(str(with_format(Path(path), self.output_format())))
            self._path_user_set = True

    @Slot()
    def _on_export_action_triggered(self) -> None:
        self.start_export()

    @Slot()
    def _on_refresh_action_triggered(self) -> None:
        self.start_export(refresh=True)

    @Slot()
    def _on_clear_cache_action_triggered(self) -> None:
        self.clear_cache()

    @Slot()
    def _on_cancel_action_triggered(self) -> None:
        self.cancel()

    @Slot()
    def _on_show_export_action_triggered(self) -> None:
        self.tabs.setCurrentIndex(0)

    @Slot()
    def _on_lookup_action_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.lookup_tab)
        self.lookup_tab.query_edit.setFocus()
        self.lookup_tab.query_edit.selectAll()

    @Slot()
    def _on_show_presets_action_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.presets_panel)

    @Slot()
    def _on_guide_action_triggered(self) -> None:
        self.show_first_run()

    @Slot(object)
    def _on_estimate_succeeded(self, estimate: Any) -> None:
        self.estimate_ready.emit(estimate)
        request, self._pending = self._pending, None
        if request is None:
            return
        explanation = str(getattr(estimate, "explanation", "") or "")
        seconds = float(getattr(estimate, "seconds", 0.0) or 0.0)
        if explanation:
            self.export_panel.add_log(explanation)
        if seconds > LONG_EXPORT_SECONDS:
            answer = QMessageBox.question(
                self,
                "This export will take a while",
                f"{explanation}\n\nThis export will take {plain_duration(seconds)}. "
                "The window stays usable meanwhile, and you can cancel at any time.\n\n"
                "Go ahead? Choose No to narrow the filters first (a shorter date range or a status).",
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.export_panel.show_cancelled()
                self.export_panel.status.setText("Not started. Narrow the filters, then press Export again.")
                self.export_cancelled.emit()
                return
        self._run(request)

    @Slot(object)
    def _on_estimate_failed(self, error: AppError) -> None:
        self._pending = None
        self._show_failure(error)

    @Slot()
    def _on_estimate_cancelled(self) -> None:
        self._pending = None
        self.export_panel.show_cancelled()
        self.export_cancelled.emit()

    @Slot()
    def _on_estimate_finished(self) -> None:
        self._estimate_worker = None
        self._update_actions()

    @Slot(object)
    def _on_export_progressed(self, event: Any) -> None:
        self.export_panel.show_progress(event)

    @Slot(object)
    def _on_export_succeeded(self, result: Any) -> None:
        self.export_panel.show_success(result)
        self.scroll_to(self.export_panel.open_button)
        self.statusBar().showMessage(self.export_panel.status.text())
        self.save_state()
        self.export_succeeded.emit(result)

    @Slot(object)
    def _on_export_failed(self, error: AppError) -> None:
        self.statusBar().showMessage("The export did not finish.")
        self._show_failure(error)

    @Slot()
    def _on_export_cancelled(self) -> None:
        self.export_panel.show_cancelled()
        self.statusBar().showMessage("Export cancelled.")
        self.export_cancelled.emit()

    @Slot()
    def _on_export_finished(self) -> None:
        self._export_worker = None
        self._update_actions()

    @Slot(str, str)
    def _on_presets_save_requested(self, name: str, pattern: str) -> None:
        try:
            preset = self.current_preset(name, pattern)
            self.services.presets.save(preset)
        except AppError as error:
            self.presets_panel.set_status(feedback_for(error).text)
            return
        self.presets_panel.refresh(select=preset.name)
        self.presets_panel.set_status(f"Saved the preset '{preset.name}'. Double-click it to run it.")

    @Slot(str)
    def _on_presets_run_requested(self, name: str) -> None:
        self.run_preset(name)

    @Slot(str)
    def _on_presets_load_requested(self, name: str) -> None:
        self.load_preset(name)


class _WeakCall:
    """Calls a bound method without keeping its object alive.

    A child widget holding a strong bound method of its window makes a reference cycle; the
    garbage collector may then free the two Qt wrappers in the wrong order and crash.
    """

    def __init__(self, method: Any) -> None:
        self._method = weakref.WeakMethod(method)

    def __call__(self) -> Any:
        method = self._method()
        return method() if method is not None else None


class _EstimateJob:
    """How long an export will take, as a worker job."""

    def __init__(self, exporter: Any, request: ExportRequest) -> None:
        self._exporter = exporter
        self._request = request

    def __call__(self, cancel: Any) -> Any:
        return self._exporter.estimate(self._request, cancel)


class _ExportJob:
    """An export as a worker job: the service's generator of Progress events."""

    def __init__(self, exporter: Any, request: ExportRequest) -> None:
        self._exporter = exporter
        self._request = request

    def __call__(self, cancel: Any) -> Any:
        return self._exporter.run(self._request, cancel)
