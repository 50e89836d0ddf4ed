"""The Export tab's short main path: reports, dates, the file, Export and progress.

Each ticked report's filters and columns sit behind "More options" (:mod:`app.ui.more_options`);
a summary line on the page names whatever differs from the defaults, so nothing is set unseen.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.errors import ConfigurationError
from app.models import Connection, EndpointSpec, ExportRequest
from app.services.presets import Preset, apply_date_range, file_name
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
from app.ui.filter_form import DateRangeRow, parse_date
from app.ui.more_options import MoreOptionsDialog
from app.ui.naming import default_stem
from app.ui.option_summary import LONG_SUMMARY, NOTHING_SET, page_summary, shown_value
from app.ui.output_target import OutputTarget
from app.ui.report_picker import ReportPicker
from app.ui.report_tab import ReportTab, dates_meaning


class ReportPage(QWidget):
    """What to export and where: the report picker, the dates, the options summary, format and file.

    Each ticked report has a tab (``report_tabs``) in ``options_dialog``, opened by ``more_button``;
    ``options_summary`` names what differs from the defaults. ``output`` keeps the file's format
    and path; the export panel below them is driven by the export controller. Choices are read
    from and remembered in the settings; the page never starts work itself (the window connects
    ``export_button``).
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
        self._build(specs)
        self.report_picker.selection_changed.connect(self._on_report_picker_selection_changed)
        self.report_tabs.currentChanged.connect(self._on_report_tabs_current_changed)
        self.date_row.changed.connect(self._on_date_row_changed)

    def _build(self, specs: tuple[EndpointSpec, ...]) -> None:
        self.report_picker = ReportPicker(specs, self)
        self.date_row = DateRangeRow(self, today=self._today())
        # The range in words goes on the line below, with what the dates mean: beside the date
        # boxes it took three lines at 900 px, and the Save to row's second line needs them.
        self.date_row.summary.setVisible(False)
        dates_label = QLabel("&Dates:", self)
        dates_label.setBuddy(self.date_row.combo)
        self.dates_hint = QLabel("", self)
        self.dates_hint.setWordWrap(True)

        # Filters and columns live behind "More options"; the summary line keeps them in sight.
        self.options_dialog = MoreOptionsDialog(self)
        self.report_tabs = self.options_dialog.report_tabs
        self.no_reports_label = self.options_dialog.no_reports_label
        self.options_summary = QLabel(NOTHING_SET, self)
        self.options_summary.setWordWrap(True)
        self.options_summary.setAccessibleName("Filters and columns set")
        self.more_button = QPushButton("More optio&ns…", self)
        self.more_button.setToolTip("Each ticked report's filters and columns")
        options_label = QLabel("Options:", self)

        self.output = OutputTarget(self._settings, self)
        self.output.format_combo.setToolTip("File format")
        self.export_button = QPushButton("E&xport", self)
        self.export_button.setDefault(True)
        self.export_button.setToolTip("Export now (Ctrl+E)")
        path_label = QLabel("&Save to:", self)
        path_label.setBuddy(self.output.path_edit)
        self.export_panel = ExportPanel(self)

        form = QGridLayout()
        form.setColumnStretch(1, 1)
        form.addWidget(dates_label, 0, 0)
        form.addWidget(self.date_row, 0, 1, 1, 2, Qt.AlignmentFlag.AlignLeft)  # boxes at their size
        form.addWidget(self.dates_hint, 1, 1, 1, 2)
        form.addWidget(options_label, 2, 0)
        form.addWidget(self.options_summary, 2, 1)
        form.addWidget(self.more_button, 2, 2)
        form.addWidget(path_label, 3, 0)
        # The file's name gets the row's width (at 900 px, sharing it with the format and the
        # workbook button left it a dozen characters); the format and the workbook go below it.
        path_row = QHBoxLayout()
        path_row.addWidget(self.output.path_edit, 1)
        path_row.addWidget(self.output.browse_button)
        form.addLayout(path_row, 3, 1, 1, 2)
        how_row = QHBoxLayout()
        how_row.addWidget(self.output.format_combo)
        how_row.addWidget(self.output.into_button)
        how_row.addWidget(self.output.snapshot_box)  # shown only when adding to a workbook
        how_row.addStretch(1)
        form.addLayout(how_row, 4, 1, 1, 2)
        self.export_panel.add_action(self.export_button)

        # No scroll area: the main path is short enough to fit 900 x 500 logical pixels, and the
        # export panel's log absorbs what is left, so Export and the progress never scroll away.
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(self.export_panel, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.report_picker)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        # Sized in characters, so the picker stays readable at any font size or display scaling.
        chars = self.report_picker.fontMetrics().averageCharWidth()
        self.report_picker.setMinimumWidth(chars * 28)
        # About a third for the picker: at 900 px every report name shows whole (test_layout).
        splitter.setSizes([chars * 52, chars * 100])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.more_button.clicked.connect(self._on_more_button_clicked)

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
            tab.filters.changed.connect(self._on_options_changed)
            tab.columns.changed.connect(self._on_options_changed)
            self._tabs[key] = tab
            self.report_tabs.addTab(tab, spec.label)
        if keys:
            self.report_tabs.setCurrentWidget(self._tabs[keys[-1]])
        self.options_dialog.show_tabs(bool(keys))
        self.update_tab_order()
        self.update_summary()

    def update_tab_order(self) -> None:
        """Set the Tab key's path: the page top to bottom, and the options window's own path.

        Report tabs are made later than the rest, so without this they would come last.
        """
        panel = self.export_panel
        page: list[QWidget] = [
            self.report_picker.search,
            self.report_picker.tree,
            self.date_row.combo,
            self.date_row.start_edit,
            self.date_row.end_edit,
            self.more_button,
            self.output.path_edit,
            self.output.browse_button,
            self.output.format_combo,
            self.export_button,
            panel.cancel_button,
            panel.copy_button,
            panel.open_button,
            panel.folder_button,
            panel.log,
        ]
        for first, second in itertools.pairwise(page):
            QWidget.setTabOrder(first, second)
        options: list[QWidget] = [self.report_tabs]
        tab = self.report_tabs.currentWidget()
        if isinstance(tab, ReportTab):
            options += [
                widget
                for widget in tab.findChildren(QWidget)
                if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not isinstance(widget, (QScrollArea, QScrollBar))
                and widget.window() is self.options_dialog  # not the drop-down lists' own popup windows
            ]
        options.append(self.options_dialog.close_button)
        for first, second in itertools.pairwise(options):
            QWidget.setTabOrder(first, second)

    def summary(self, limit: int | None = LONG_SUMMARY) -> str:
        """Return the one line naming every filter and column choice that is not the default."""
        tabs = [self._tabs[key] for key in self.report_picker.selected_keys()]
        return page_summary([(tab.spec, tab.filters, tab.columns) for tab in tabs], limit)

    def update_summary(self) -> None:
        """Show the summary line; its tooltip lists every choice, also those the line counts."""
        self.options_summary.setText(self.summary())
        self.options_summary.setToolTip(self.summary(limit=None).replace("; ", "\n"))

    def value_words(self, key: str, name: str, value: str) -> str:
        """Return how a filter value of a ticked report reads on screen (for messages)."""
        tab = self._tabs.get(key)
        if tab is not None:
            try:
                return shown_value(tab.filters.input_for(name), value)
            except KeyError:  # a date-range filter has no input of its own
                pass
        day = parse_date(value)
        return f"{day:%d %b %Y}" if day else value

    def _update_dates_hint(self) -> None:
        """Say which date of each ticked report the date range means (an order date, ...)."""
        parts = [dates_meaning(self._tabs[key].spec) for key in self.report_picker.selected_keys()]
        words = self.date_row.summary.text()
        meaning = " The dates apply to " + "; ".join(parts) + "." if parts else ""
        self.dates_hint.setText(f"{words[:1].upper()}{words[1:]}.{meaning}")

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
            snapshot=self.output.snapshot,
        )

    def set_busy(self, busy: bool) -> None:
        """Lock the choices while an export runs."""
        for widget in (self.report_picker, self.date_row, self.export_button, self.more_button):
            widget.setEnabled(not busy)
        self.output.set_enabled(not busy)

    def open_options(self) -> None:
        """Open the "More options" window on the shown report's filters and columns."""
        tab = self.report_tabs.currentWidget()
        self.options_dialog.open_sized(tab if isinstance(tab, ReportTab) else None)

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
            snapshot=self.output.snapshot,
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
        # The name the preset itself will write (its file name pattern), not the page's usual one.
        today = self._today()
        span = dates.resolve(preset.date_range, today) if preset.date_range else None
        self.output.suggest(Path(file_name(preset, today, span)).stem)
        if preset.workbook:
            self.output.use_workbook(Path(preset.workbook), snapshot=preset.snapshot)
        self.update_summary()

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
        self._update_dates_hint()

    @Slot()
    def _on_options_changed(self) -> None:
        self.update_summary()

    @Slot()
    def _on_more_button_clicked(self) -> None:
        self.open_options()
