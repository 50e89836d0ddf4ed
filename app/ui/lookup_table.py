"""The look-up results table: typed values shown as text, numbers sorted as numbers, Ctrl+C as a signal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QTableView, QWidget

from app.models import ColumnSpec, ValueKind
from app.services.lookup import LookupResult

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def display_value(value: Any, kind: ValueKind) -> str:
    """How a cell reads on screen and on the clipboard."""
    if value is None:
        return ""
    if kind is ValueKind.BOOL:
        return "Yes" if value else "No"
    if kind is ValueKind.NUMBER and isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)


class LookupTableModel(QAbstractTableModel):
    """Rows of a :class:`LookupResult` as a read-only table; sorts numbers as numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns: tuple[ColumnSpec, ...] = ()
        self._rows: tuple[tuple[Any, ...], ...] = ()

    def set_result(self, result: LookupResult | None) -> None:
        """Show a new result (None clears the table)."""
        self.beginResetModel()
        self._columns = result.columns if result else ()
        self._rows = result.rows if result else ()
        self.endResetModel()

    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        """The columns shown."""
        return self._columns

    def row_values(self, row: int) -> tuple[Any, ...]:
        """Return the raw values of one source row."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        kind = self._columns[index.column()].kind
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(value, kind)
        if role == SORT_ROLE:
            if kind is ValueKind.NUMBER:
                return float(value or 0)
            return display_value(value, kind).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and kind is ValueKind.NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


class CopyableTableView(QTableView):
    """A table view that reports Ctrl+C (the platform's Copy keys) as a signal.

    Signals:
        copy_requested(): the user pressed the Copy shortcut in the table.
    """

    copy_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Turn the Copy keys into ``copy_requested``; everything else as usual."""
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
