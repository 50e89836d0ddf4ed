"""Filter inputs generated from a report's catalogue entry (the export's date range: date_range_row)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app import dates
from app.catalogue.name_lists import picker_for
from app.catalogue.status_words import status_words
from app.models import EndpointSpec, FilterKind, FilterSpec
from app.services.reference_lists import NameListResult
from app.ui.date_range_row import ANY, DateRangeRow, as_date
from app.ui.name_picker import NameCombo, NameSource

__all__ = ["DateField", "DateRangeRow", "FilterForm", "format_date", "friendly_choice", "parse_date"]


def friendly_choice(value: str) -> str:
    """Return a DEAR status value in words ("AUTH_NO_ALLOC" → "Authorised, not allocated")."""
    return status_words(value)


def picker_label(spec: FilterSpec, value_field: str) -> str:
    """Return a name-picked filter's label without "ID" ("Order location ID" → "Order location")."""
    label = spec.label
    if value_field.upper().endswith("ID") and label.endswith(" ID"):
        return label[:-3]
    return label


def format_date(kind: FilterKind, day: date) -> str:
    """Return a date as DEAR wants it in a filter (no trailing Z: docs/dear-api.md §5.1)."""
    if kind is FilterKind.DATETIME:
        # A calendar day chosen here starts at local midnight; DEAR compares instants in UTC.
        instant = dates.DateRange(day, day).start_instant()
        return instant.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{day.isoformat()}T00:00:00"


def parse_date(text: str) -> date | None:
    """Return the calendar day a stored filter value names (None if it is not a date)."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


class DateField(QWidget):
    """A tick box ("use this date") and a calendar date edit.

    Signals:
        changed(): ticked, unticked or a new day.
    """

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox("Use", self)
        self.enabled.setAccessibleName(f"Use {label}")
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        self.edit.setAccessibleName(label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)
        self.enabled.toggled.connect(self._on_enabled_toggled)
        self.edit.dateChanged.connect(self._on_edit_date_changed)

    @Slot(bool)
    def _on_enabled_toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.changed.emit()

    @Slot(QDate)
    def _on_edit_date_changed(self, _value: QDate) -> None:
        self.changed.emit()

    def day(self) -> date | None:
        """Return the chosen day, or None when unticked."""
        if not self.enabled.isChecked():
            return None
        return as_date(self.edit.date())

    def set_day(self, day: date | None) -> None:
        """Tick and set the day, or untick for None."""
        self.blockSignals(True)
        if day is not None:
            self.edit.setDate(QDate(day.year, day.month, day.day))
        self.enabled.setChecked(day is not None)
        self.blockSignals(False)


class FilterForm(QWidget):
    """Inputs for one report's DEAR filters, generated from its :class:`EndpointSpec`.

    Filters in ``ranged`` are filled from the export's date range (chosen once for all reports)
    and are shown as a note instead of an input.

    Signals:
        changed(): any value changed.
    """

    changed = Signal()

    def __init__(
        self,
        spec: EndpointSpec,
        parent: QWidget | None = None,
        *,
        ranged: Iterable[str] = (),
        note: str = "",
        names: NameSource | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self._names: NameSource | None = None
        self._pickers: dict[str, NameCombo] = {}
        self._names_requested = False
        self.ranged = tuple(name for name in ranged if any(f.name == name for f in spec.filters))
        self._inputs: dict[str, QWidget] = {}
        self._id_only: set[str] = set()
        layout = QFormLayout(self)
        self._layout = layout
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Labels go above their inputs when the pane is narrow (large fonts, 200% scaling).
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        labels = {f.name: f.label for f in spec.filters}
        if not note and self.ranged:
            note = (
                "Dates: the date range above sets "
                + " and ".join(f"“{labels[n]}”" for n in self.ranged)
                + "."
            )
        self.note = QLabel(note, self)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        layout.addRow(self.note)
        shown = [f for f in spec.filters if f.name not in self.ranged]
        for filter_spec in shown:
            widget = self._make_input(filter_spec)
            text = widget.accessibleName() if isinstance(widget, NameCombo) else filter_spec.label
            label = QLabel(f"{text}:", self)
            label.setBuddy(widget)
            if filter_spec.help:
                widget.setToolTip(filter_spec.help)
                label.setToolTip(filter_spec.help)
            layout.addRow(label, widget)
            self._inputs[filter_spec.name] = widget
            if filter_spec.kind is FilterKind.ID and not isinstance(widget, NameCombo):
                # A record's ID is nothing a person types: hidden unless a preset (or the command
                # line) set one, so a value is never set unseen. Names and SKUs are the way in.
                layout.setRowVisible(widget, False)
                self._id_only.add(filter_spec.name)
        if not spec.filters:
            layout.addRow(QLabel("This report has no filters: it exports every record.", self))
        if names is not None and self._pickers:
            self._attach(names)

    # ------------------------------------------------------------------ building

    def showEvent(self, event: QShowEvent) -> None:
        """Ask for the name lists the first time the form is shown (not for reports never opened)."""
        super().showEvent(event)
        self.request_names()

    def request_names(self) -> None:
        """Ask for the name lists of the picked filters (read on a worker when not yet kept).

        The source is the one given, or the one the window holds. Only the first call asks.
        """
        if not self._pickers or self._names_requested:
            return
        self._names_requested = True
        if self._names is None:
            found = self._window_names()
            if found is not None:
                self._attach(found)
        if self._names is None:
            for combo in self._pickers.values():
                combo.show_failed("The list of names is not available here.")
            return
        for key in {combo.picker.list_key for combo in self._pickers.values()}:
            result = self._names.request(key)
            if result is not None:
                self._on_names_list_ready(key, result)

    def _window_names(self) -> NameSource | None:
        """Return the name source of this form's window, or of the window that owns it.

        The form may sit in the "Filters and columns" dialog, whose parent is the main window.
        """
        window: QWidget | None = self.window()
        while window is not None:
            found = window.findChild(NameSource)
            if found is not None:
                return found
            parent = window.parentWidget()
            window = parent.window() if parent is not None else None
        return None

    def _attach(self, source: NameSource) -> None:
        self._names = source
        source.list_ready.connect(self._on_names_list_ready)
        source.list_failed.connect(self._on_names_list_failed)
        source.lists_reset.connect(self._on_names_lists_reset)

    @Slot()
    def _on_names_lists_reset(self) -> None:
        """Another company was chosen: its lists replace the old ones (values shown are kept)."""
        for combo in self._pickers.values():
            combo.clear_choices()
        self._names_requested = False
        if self.isVisible():
            self.request_names()

    @Slot(str, object)
    def _on_names_list_ready(self, key: str, result: NameListResult) -> None:
        for combo in self._pickers.values():
            if combo.picker.list_key == key:
                combo.set_choices(result)

    @Slot(str, str)
    def _on_names_list_failed(self, key: str, message: str) -> None:
        for combo in self._pickers.values():
            if combo.picker.list_key == key and not combo.loaded:
                combo.show_failed(message)

    def _make_input(self, spec: FilterSpec) -> QWidget:
        picker = picker_for(self.spec, spec.name) if spec.kind in (FilterKind.TEXT, FilterKind.ID) else None
        if picker is not None:
            picked = NameCombo(picker, picker_label(spec, picker.value_field), self)
            picked.currentTextChanged.connect(self._on_input_changed)
            self._pickers[spec.name] = picked
            return picked
        if spec.kind in (FilterKind.DATE, FilterKind.DATETIME):
            field = DateField(spec.label, self)
            field.changed.connect(self._on_input_changed)
            return field
        if spec.kind is FilterKind.CHOICE:
            combo = QComboBox(self)
            combo.addItem("Any", ANY)
            for value in spec.choices:
                combo.addItem(friendly_choice(value), value)
                combo.setItemData(combo.count() - 1, f"DEAR's value: {value}", Qt.ItemDataRole.ToolTipRole)
            combo.setAccessibleName(spec.label)
            combo.currentIndexChanged.connect(self._on_input_changed)
            return combo
        if spec.kind is FilterKind.BOOL:
            combo = QComboBox(self)
            combo.addItem("Either", ANY)
            combo.addItem("Yes", "true")
            combo.addItem("No", "false")
            combo.setAccessibleName(spec.label)
            combo.currentIndexChanged.connect(self._on_input_changed)
            return combo
        line = QLineEdit(self)
        line.setClearButtonEnabled(True)
        line.setAccessibleName(spec.label)
        line.setPlaceholderText("Any")
        line.textChanged.connect(self._on_input_changed)
        return line

    # ------------------------------------------------------------------ values

    def values(self) -> dict[str, str]:
        """Filter values as DEAR takes them, only those that are set (date-range filters excluded)."""
        result: dict[str, str] = {}
        for filter_spec in self.spec.filters:
            widget = self._inputs.get(filter_spec.name)
            value = ""
            if isinstance(widget, DateField):
                day = widget.day()
                value = format_date(filter_spec.kind, day) if day else ""
            elif isinstance(widget, NameCombo):
                value = widget.value()
            elif isinstance(widget, QComboBox):
                value = str(widget.currentData() or "")
            elif isinstance(widget, QLineEdit):
                value = widget.text().strip()
            if value:
                result[filter_spec.name] = value
        return result

    def set_values(self, values: Mapping[str, str]) -> None:
        """Show stored values (unknown names and unusable values are ignored)."""
        for name, widget in self._inputs.items():
            value = str(values.get(name, ""))
            if isinstance(widget, DateField):
                widget.set_day(parse_date(value) if value else None)
            elif isinstance(widget, NameCombo):
                widget.set_value(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QLineEdit):
                widget.setText(value)
            if name in self._id_only:
                self._layout.setRowVisible(widget, bool(value))

    def described(self) -> list[str]:
        """Return each filter that is set, in words ("Order status: Authorised", "Order location: Main").

        Names and status words are shown, never the ID or code DEAR is sent (for a summary line).
        """
        labels = {f.name: f.label for f in self.spec.filters}
        sent = self.values()
        parts: list[str] = []
        for name, value in sent.items():
            widget = self._inputs.get(name)
            if isinstance(widget, NameCombo):
                parts.append(f"{widget.accessibleName()}: {widget.currentText().strip()}")
            elif isinstance(widget, DateField):
                day = widget.day()
                parts.append(f"{labels[name]}: {day:%d %b %Y}" if day else labels[name])
            elif isinstance(widget, QComboBox):
                parts.append(f"{labels[name]}: {widget.currentText()}")
            else:
                parts.append(f"{labels[name]}: {value}")
        return parts

    def input_for(self, name: str) -> QWidget:
        """Return the input widget of one filter (tests use it)."""
        return self._inputs[name]

    @Slot()
    def _on_input_changed(self) -> None:
        self.changed.emit()
