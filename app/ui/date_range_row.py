"""The export's date range: a quick range ("Last month") or custom From and To dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from app import dates
from app.errors import AppError

ANY = ""
CUSTOM_RANGE = "custom"


def as_date(day: QDate) -> date:
    """Return a QDate as a date (PySide6 types ``QDate.toPython`` as returning object)."""
    return date(day.year(), day.month(), day.day())


class DateRangeRow(QWidget):
    """The export's date range: a quick range ("Last month") or custom From and To dates.

    Signals:
        changed(): the range changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Date range")
        self.combo.addItem("All dates", ANY)
        for key, text in dates.QUICK_RANGES.items():
            self.combo.addItem(text, key)
        self.combo.addItem("Custom dates", CUSTOM_RANGE)
        self.start_edit = QDateEdit(self)
        self.end_edit = QDateEdit(self)
        for edit, name in ((self.start_edit, "From"), (self.end_edit, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(f"{name} date")
            edit.setDate(QDate.currentDate())
        self.summary = QLabel("", self)
        from_label = QLabel("from", self)
        to_label = QLabel("to", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(from_label)
        layout.addWidget(self.start_edit)
        layout.addWidget(to_label)
        layout.addWidget(self.end_edit)
        layout.addWidget(self.summary, 1)
        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        self.start_edit.dateChanged.connect(self._on_edit_date_changed)
        self.end_edit.dateChanged.connect(self._on_edit_date_changed)
        self._sync()

    def today(self) -> date:
        """Return the day quick ranges are counted from."""
        return self._today or date.today()

    def spec(self) -> str:
        """Return the range as presets store it: a quick name, explicit dates, or "" for all dates."""
        data = str(self.combo.currentData() or "")
        if data == CUSTOM_RANGE:
            start = as_date(self.start_edit.date())
            end = as_date(self.end_edit.date())
            if end < start:
                start, end = end, start
            return f"{start.isoformat()}..{end.isoformat()}"
        return data

    def chosen_range(self) -> dates.DateRange | None:
        """Return the calendar days covered (None for all dates)."""
        spec = self.spec()
        return dates.resolve(spec, self.today()) if spec else None

    def set_spec(self, spec: str) -> None:
        """Show a stored spec (unknown ones fall back to all dates)."""
        text = (spec or "").strip().lower()
        index = self.combo.findData(text) if text else 0
        if index < 0:
            try:
                span = dates.resolve(text, self.today())
            except AppError:
                index = 0
            else:
                self.combo.setCurrentIndex(self.combo.findData(CUSTOM_RANGE))
                self.start_edit.setDate(QDate(span.start.year, span.start.month, span.start.day))
                end = span.end or self.today()
                self.end_edit.setDate(QDate(end.year, end.month, end.day))
                return
        self.combo.setCurrentIndex(index)

    def _sync(self) -> None:
        custom = self.combo.currentData() == CUSTOM_RANGE
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        span = self.chosen_range()
        if span is not None and not custom:
            self.start_edit.blockSignals(True)
            self.end_edit.blockSignals(True)
            self.start_edit.setDate(QDate(span.start.year, span.start.month, span.start.day))
            end = span.end or self.today()
            self.end_edit.setDate(QDate(end.year, end.month, end.day))
            self.start_edit.blockSignals(False)
            self.end_edit.blockSignals(False)
        self.summary.setText(span.describe() if span is not None else "every record, whatever its date")

    @Slot(int)
    def _on_combo_current_index_changed(self, _index: int) -> None:
        self._sync()
        self.changed.emit()

    @Slot(QDate)
    def _on_edit_date_changed(self, _value: QDate) -> None:
        self._sync()
        self.changed.emit()
