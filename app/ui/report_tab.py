"""One ticked report's tab in the Export page: its filters and its columns, side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.errors import ConfigurationError
from app.models import EndpointSpec, ReportRequest
from app.services.date_filters import filters_set_by_range
from app.ui.column_picker import ColumnPicker
from app.ui.filter_form import FilterForm
from app.ui.wheel_guard import guard_fields

COMBO_CHARS = 22
"""Characters a filter's drop-down box shows when closed (its list shows every choice in full)."""


def ranged_filters(spec: EndpointSpec) -> tuple[str, ...]:
    """Return the filters the export's date range fills in for this report (catalogue data)."""
    return filters_set_by_range(spec)


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


def dates_meaning(spec: EndpointSpec) -> str:
    """Return which date of this report a date range means, for the hint under the dates."""
    if spec.date_label:
        return f"{spec.label}: {spec.date_label.lower()}"
    filters = ranged_filters(spec)
    labels = [f.label.lower() for f in spec.filters if f.name in filters]
    return f"{spec.label}: {' and '.join(labels) if labels else 'not dated (all records)'}"


class ReportTab(QWidget):
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
        for combo in self.filters.findChildren(QComboBox):
            # A long status ("Completed / Credit Note Closed") may shorten in the closed box, never
            # in its list, so the filters fit a small screen beside the columns.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(COMBO_CHARS)
            # Qt keeps the box's first minimum size hint; an explicit minimum takes its place.
            combo.setMinimumWidth(combo.sizeHint().width())
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + combo.view().frameWidth() * 2)
        form_layout = self.filters.layout()
        if form_layout is not None:
            form_layout.invalidate()
        # Never cut a filter on the right: the area is as wide as the widest filter row; it
        # scrolls only up and down (the window opens wide enough, see more_options.py).
        bar = scroll.verticalScrollBar().sizeHint().width()
        scroll.setMinimumWidth(self.filters.minimumSizeHint().width() + bar + 2 * scroll.frameWidth())
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
        guard_fields(self)  # made after the window: its filters ignore a stray wheel too

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

    def show_report(self, report: ReportRequest) -> None:
        """Show a saved report's filters and columns (a preset's)."""
        self.filters.set_values(report.filters)
        if report.columns:
            self.columns.set_columns(report.columns)
        else:
            self.columns.restore_defaults()
