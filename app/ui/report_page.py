"""The Export tab: reports, dates, each report's filters and columns, the file to write, the export panel."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import ConfigurationError
from app.models import Connection, EndpointSpec, ExportRequest
from app.services.presets import Preset, apply_date_range
from app.services.settings import (
    LAST_COLUMNS,
    LAST_DATE_RANGE,
    LAST_FILTERS,
    LAST_REPORTS,
    OUTPUT_FORMAT,
    Setting,
    Settings,
)
from app.ui.export_panel import ExportPanel
from app.ui.filter_form import DateRangeRow
from app.ui.naming import default_stem
from app.ui.output_target import OutputTarget
from app.ui.report_picker import ReportPicker
from app.ui.report_tab import ReportTab, dates_meaning


class ReportPage(QWidget):
    """What to export and where: the report picker, the dates, a tab per ticked report, format and file.

    ``output`` keeps the file's format and path; the export panel below them is driven by the
    export controller. Choices are read from and remembered in the settings; the page never
    starts work itself (the window connects ``export_button``).
    """

    def __init__(
        self,
        specs: tuple[EndpointSpec, ...],
        settings: Settings,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._specs = {spec.key: spec for spec in specs}
        self._settings = settings
        self._today = today
        self._tabs: dict[str, ReportTab] = {}
        self._scroll_target: QWidget | None = None
        self._build(specs)
        self.report_picker.selection_changed.connect(self._on_report_picker_selection_changed)
        self.report_tabs.currentChanged.connect(self._on_report_tabs_current_changed)
        self.date_row.changed.connect(self._on_date_row_changed)

    def _build(self, specs: tuple[EndpointSpec, ...]) -> None:
        self.report_picker = ReportPicker(specs, self)
        self.date_row = DateRangeRow(self, today=self._today())
        dates_label = QLabel("&Dates:", self)
        dates_label.setBuddy(self.date_row.combo)
        self.dates_hint = QLabel("", self)
        self.dates_hint.setWordWrap(True)
        self.report_tabs = QTabWidget(self)
        self.report_tabs.setDocumentMode(True)
        self.no_reports_label = QLabel(
            "Tick one or more reports on the left to choose filters and columns.", self
        )
        self.no_reports_label.setWordWrap(True)
        self.no_reports_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.output = OutputTarget(self._settings, self)
        self.export_button = QPushButton("E&xport", self)
        self.export_button.setDefault(True)
        self.export_button.setToolTip("Export now (Ctrl+E)")
        output = QFormLayout()
        format_label = QLabel("&Format:", self)
        format_label.setBuddy(self.output.format_combo)
        path_label = QLabel("&Save to:", self)
        path_label.setBuddy(self.output.path_edit)
        path_row = QHBoxLayout()
        path_row.addWidget(self.output.path_edit, 1)
        path_row.addWidget(self.output.browse_button)
        path_row.addWidget(self.output.into_button)
        output.addRow(dates_label, self.date_row)
        output.addRow("", self.dates_hint)
        output.addRow(format_label, self.output.format_combo)
        output.addRow(path_label, path_row)
        action_row = QHBoxLayout()
        action_row.addStretch(1)
        action_row.addWidget(self.export_button)
        self.export_panel = ExportPanel(self)

        choices = QWidget(self)
        choices_layout = QVBoxLayout(choices)
        choices_layout.setContentsMargins(0, 0, 0, 0)
        choices_layout.addWidget(self.no_reports_label, 1)
        choices_layout.addWidget(self.report_tabs, 1)
        running = QWidget(self)
        running_layout = QVBoxLayout(running)
        running_layout.setContentsMargins(0, 0, 0, 0)
        running_layout.addLayout(output)
        running_layout.addLayout(action_row)
        running_layout.addWidget(self.export_panel, 1)
        # The user can trade filter space for log space; the choices start with most of it.
        # Scrolls rather than squeezes on small screens or at large display scaling.
        self.running_scroll = QScrollArea(self)
        self.running_scroll.setWidgetResizable(True)
        self.running_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.running_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.running_scroll.setWidget(running)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(choices)
        right.addWidget(self.running_scroll)
        right.setChildrenCollapsible(False)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        lines = self.fontMetrics().lineSpacing()
        right.setSizes([lines * 22, lines * 16])

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.report_picker)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        # Sized in characters, so the picker stays readable at any font size or display scaling.
        chars = self.report_picker.fontMetrics().averageCharWidth()
        self.report_picker.setMinimumWidth(chars * 30)
        splitter.setSizes([chars * 38, chars * 100])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.report_tabs.setVisible(False)

    # ------------------------------------------------------------------ reports

    def pages(self) -> dict[str, ReportTab]:
        """Return the filter-and-column tab of each ticked report."""
        return dict(self._tabs)

    def _sync_tabs(self) -> None:
        keys = self.report_picker.selected_keys()
        for key in list(self._tabs):
            if key not in keys:
                tab = self._tabs.pop(key)
                self.report_tabs.removeTab(self.report_tabs.indexOf(tab))
                tab.deleteLater()
        saved_filters = self._settings.get(LAST_FILTERS)
        saved_columns = self._settings.get(LAST_COLUMNS)
        for key in keys:
            if key in self._tabs:
                continue
            spec = self._specs[key]
            tab = ReportTab(spec, self.report_tabs)
            tab.filters.set_values(saved_filters.get(key, {}))
            if saved_columns.get(key):
                tab.columns.set_columns(saved_columns[key])
            self._tabs[key] = tab
            self.report_tabs.addTab(tab, spec.label)
        if keys:
            self.report_tabs.setCurrentWidget(self._tabs[keys[-1]])
        self.report_tabs.setVisible(bool(keys))
        self.no_reports_label.setVisible(not keys)
        self.update_tab_order()

    def update_tab_order(self) -> None:
        """Set the Tab key's path through the page, top to bottom.

        Reports, dates, the shown report's filters and columns, then the output and the export
        panel; report tabs are made later than the rest, so without this they would come last.
        """
        chain: list[QWidget] = [
            self.report_picker.search,
            self.report_picker.tree,
            self.date_row.combo,
            self.date_row.start_edit,
            self.date_row.end_edit,
            self.report_tabs,
        ]
        tab = self.report_tabs.currentWidget()
        if isinstance(tab, ReportTab):
            chain += [
                widget
                for widget in tab.findChildren(QWidget)
                if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not isinstance(widget, (QScrollArea, QScrollBar))
                and widget.window() is self.window()  # not the drop-down lists' own popup windows
            ]
        panel = self.export_panel
        chain += [
            self.output.format_combo,
            self.output.path_edit,
            self.output.browse_button,
            self.export_button,
            panel.cancel_button,
            panel.copy_button,
            panel.open_button,
            panel.folder_button,
            panel.log,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _update_dates_hint(self) -> None:
        """Say which date of each ticked report the date range means (an order date, ...)."""
        parts = [dates_meaning(self._tabs[key].spec) for key in self.report_picker.selected_keys()]
        self.dates_hint.setText("The dates apply to " + "; ".join(parts) + "." if parts else "")

    # ------------------------------------------------------------------ the file

    def _suggest_name(self) -> None:
        """Suggest a file name from the ticked reports and the dates."""
        labels = [self._specs[key].label for key in self.report_picker.selected_keys()]
        span = self.date_row.chosen_range()
        start = span.start if span else None
        end = (span.end or self._today()) if span else None
        self.output.suggest(default_stem(labels, start, end))

    def build_request(self, connection: Connection) -> ExportRequest:
        """Return the export the page describes, dates applied (ConfigurationError if incomplete)."""
        keys = self.report_picker.selected_keys()
        if not keys:
            raise ConfigurationError("No report is ticked.", hint="Tick at least one report on the left.")
        span = self.date_row.chosen_range()
        chosen = self.date_row.spec() or None  # kept as chosen: a workbook records it
        reports = tuple(
            apply_date_range(replace(self._tabs[key].report_request(), dates=chosen), span) for key in keys
        )
        return ExportRequest(
            connection=connection,
            reports=reports,
            output=self.output.path(),
            format=self.output.output_format(),
            into=self.output.into,
        )

    def set_busy(self, busy: bool) -> None:
        """Lock the choices while an export runs."""
        for widget in (self.report_picker, self.date_row, self.export_button):
            widget.setEnabled(not busy)
        self.output.set_enabled(not busy)

    def scroll_to(self, widget: QWidget) -> None:
        """Bring part of the export panel into view once the layout has placed it."""
        self._scroll_target = widget
        QTimer.singleShot(0, self._on_scroll_timer_timeout)

    # ------------------------------------------------------------------ presets and settings

    def to_preset(self, name: str, pattern: str, connection: str) -> Preset:
        """Return the choices on the page as a preset (dates kept as a range spec, so they move with time)."""
        keys = self.report_picker.selected_keys()
        if not keys:
            raise ConfigurationError(
                "No report is ticked.", hint="Tick the reports the preset should export."
            )
        return Preset(
            name=name,
            connection=connection,
            reports=tuple(self._tabs[key].report_request() for key in keys),
            date_range=self.date_row.spec() or None,
            output_folder=str(self.output.folder()),
            name_pattern=pattern,
            format=self.output.output_format(),
            workbook=str(self.output.path()) if self.output.into else "",
        )

    def show_preset(self, preset: Preset) -> None:
        """Show a preset's reports, filters, columns, dates, format and folder."""
        self.report_picker.set_selected(report.key for report in preset.reports)
        for report in preset.reports:
            tab = self._tabs.get(report.key)
            if tab is not None:
                tab.show_report(report)
        self.date_row.set_spec(preset.date_range or "")
        self.output.set_format(preset.format.value)
        self.output.follow_preset(preset.output_folder)
        if preset.workbook:
            self.output.use_workbook(Path(preset.workbook))
        self._suggest_name()

    def restore_choices(self) -> None:
        """Bring back the last reports, filters, columns, dates and format."""
        settings = self._settings
        self.output.set_format(settings.get(OUTPUT_FORMAT))
        self.date_row.set_spec(settings.get(LAST_DATE_RANGE))
        reports: list[str] = settings.get(LAST_REPORTS)
        self.report_picker.set_selected(reports)
        self._sync_tabs()
        self._update_dates_hint()
        self._suggest_name()

    def choices_to_save(self) -> Mapping[Setting[Any], Any]:
        """Return the settings that remember the current choices (for one write with the window's)."""
        filters = self._settings.get(LAST_FILTERS)
        columns = self._settings.get(LAST_COLUMNS)
        for key, tab in self._tabs.items():
            filters[key] = tab.filters.values()
            columns[key] = list(tab.columns.columns())
        return {
            LAST_REPORTS: self.report_picker.selected_keys(),
            LAST_FILTERS: filters,
            LAST_COLUMNS: columns,
            LAST_DATE_RANGE: self.date_row.spec(),
            OUTPUT_FORMAT: self.output.output_format().value,
        }

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_report_picker_selection_changed(self) -> None:
        self._sync_tabs()
        self._suggest_name()
        self._update_dates_hint()

    @Slot(int)
    def _on_report_tabs_current_changed(self, _index: int) -> None:
        self.update_tab_order()

    @Slot()
    def _on_date_row_changed(self) -> None:
        self._suggest_name()

    @Slot()
    def _on_scroll_timer_timeout(self) -> None:
        if self._scroll_target is not None:
            self.running_scroll.ensureWidgetVisible(self._scroll_target)
            self._scroll_target = None
