"""The column picker: tick, untick and reorder one report's columns, with plain-English names."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models import EndpointSpec

FIELD_ROLE = Qt.ItemDataRole.UserRole


class ColumnPicker(QWidget):
    """A checkable, reorderable list of a report's columns.

    Signals:
        changed(): a column was ticked, unticked or moved.
    """

    changed = Signal()

    def __init__(self, spec: EndpointSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.list = QListWidget(self)
        self.list.setAccessibleName(f"Columns of {spec.label}")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        label = QLabel("Co&lumns (tick to include, drag or use the buttons to reorder):", self)
        label.setWordWrap(True)
        label.setBuddy(self.list)

        self.up_button = QPushButton("Move &up", self)
        self.down_button = QPushButton("Move do&wn", self)
        self.all_button = QPushButton("Tick &all", self)
        self.none_button = QPushButton("Untick all", self)
        self.defaults_button = QPushButton("Restore &defaults", self)
        buttons = QGridLayout()
        for index, button in enumerate(
            (self.up_button, self.down_button, self.all_button, self.none_button, self.defaults_button)
        ):
            buttons.addWidget(button, index // 3, index % 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

        self._fill([c.field for c in spec.columns], [c.field for c in spec.columns if c.default])
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.list.model().rowsMoved.connect(self._on_model_rows_moved)
        self.up_button.clicked.connect(self._on_up_button_clicked)
        self.down_button.clicked.connect(self._on_down_button_clicked)
        self.all_button.clicked.connect(self._on_all_button_clicked)
        self.none_button.clicked.connect(self._on_none_button_clicked)
        self.defaults_button.clicked.connect(self._on_defaults_button_clicked)
        # Keyboard reordering without reaching for the buttons.
        QShortcut(QKeySequence("Alt+Up"), self.list, self._on_up_button_clicked)
        QShortcut(QKeySequence("Alt+Down"), self.list, self._on_down_button_clicked)

    def _fill(self, order: Sequence[str], ticked: Sequence[str]) -> None:
        headers = {c.field: c.header for c in self.spec.columns}
        known = [f for f in order if f in headers]
        known += [c.field for c in self.spec.columns if c.field not in known]
        chosen = set(ticked)
        self.list.blockSignals(True)
        self.list.clear()
        for field in known:
            item = QListWidgetItem(headers[field], self.list)
            item.setData(FIELD_ROLE, field)
            item.setToolTip(f"DEAR field: {field}")
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
            item.setCheckState(Qt.CheckState.Checked if field in chosen else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)

    # ------------------------------------------------------------------ public

    def columns(self) -> tuple[str, ...]:
        """Return the ticked columns' fields, in display order."""
        return tuple(
            self.list.item(row).data(FIELD_ROLE)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        )

    def is_default(self) -> bool:
        """Return True when the choice is exactly the catalogue's defaults in their order."""
        return self.columns() == tuple(c.field for c in self.spec.columns if c.default)

    def set_columns(self, fields: Sequence[str]) -> None:
        """Tick these columns in this order; the rest follow, unticked."""
        self._fill(list(fields), list(fields))
        self.changed.emit()

    def restore_defaults(self) -> None:
        """Restore the catalogue's default columns, in catalogue order."""
        self._fill([c.field for c in self.spec.columns], [c.field for c in self.spec.columns if c.default])
        self.changed.emit()

    def move_current(self, step: int) -> None:
        """Move the selected column up (-1) or down (+1)."""
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        self.list.blockSignals(True)
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self.list.blockSignals(False)
        self.changed.emit()

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_up_button_clicked(self) -> None:
        self.move_current(-1)

    @Slot()
    def _on_down_button_clicked(self) -> None:
        self.move_current(1)

    @Slot()
    def _on_all_button_clicked(self) -> None:
        self._set_all(Qt.CheckState.Checked)

    @Slot()
    def _on_none_button_clicked(self) -> None:
        self._set_all(Qt.CheckState.Unchecked)

    def _set_all(self, state: Qt.CheckState) -> None:
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)
        self.list.blockSignals(False)
        self.changed.emit()

    @Slot()
    def _on_defaults_button_clicked(self) -> None:
        self.restore_defaults()

    @Slot(QListWidgetItem)
    def _on_list_item_changed(self, _item: QListWidgetItem) -> None:
        self.changed.emit()

    @Slot()
    def _on_model_rows_moved(self) -> None:
        self.changed.emit()
