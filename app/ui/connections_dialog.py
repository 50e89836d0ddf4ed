"""Manage connections: add, edit, test and delete, with a word on where the key is kept."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.models import CancelToken, Connection
from app.services.connections import ConnectionInfo, ConnectionStore, TestResult
from app.ui.connection_form import WHERE_KEYS_COME_FROM, ConnectionForm, keyring_explanation
from app.ui.feedback import confirm_destructive, feedback_for
from app.ui.worker import JobRunner, ProgressCallback, Worker

__all__ = ["WHERE_KEYS_COME_FROM", "ConnectionForm", "ConnectionsDialog", "keyring_explanation"]


class ConnectionsDialog(QDialog):
    """The list of connections with Add, Edit, Test and Delete.

    Signals:
        connections_changed(): a connection was added, changed or deleted.
    """

    connections_changed = Signal()

    def __init__(self, store: ConnectionStore, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._testing: Worker | None = None
        self.form: ConnectionForm | None = None
        self.setWindowTitle("Manage connections")
        self.note = QLabel(keyring_explanation(store), self)
        self.note.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Connections")
        list_label = QLabel("&Connections:", self)
        list_label.setBuddy(self.list)
        self.add_button = QPushButton("&Add…", self)
        self.edit_button = QPushButton("&Edit…", self)
        self.test_button = QPushButton("&Test", self)
        self.delete_button = QPushButton("&Delete", self)
        self.result_label = QLabel("", self)
        self.result_label.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.test_button, self.delete_button):
            # Enter never presses a button just because focus rests on it (Delete above all).
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(list_label)
        layout.addLayout(row, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.refresh()
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()).expandedTo(self._roomy_size()))

    def _roomy_size(self) -> QSize:
        """Return a size that shows the notes on a few lines and a handful of connections."""
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 70, metrics.lineSpacing() * 18)

    def refresh(self, select: str = "") -> None:
        """Reload the list, keeping or choosing a selection."""
        current = select or (self.list.currentItem().text() if self.list.currentItem() else "")
        self.list.clear()
        infos: list[ConnectionInfo] = self._store.list()
        for info in infos:
            self.list.addItem(info.name)
            if info.session_only:
                self.list.item(self.list.count() - 1).setToolTip("Kept for this session only")
        matches = self.list.findItems(current, Qt.MatchFlag.MatchExactly) if current else []
        if matches:
            self.list.setCurrentItem(matches[0])
        elif self.list.count():
            self.list.setCurrentRow(0)
        self._on_list_current_row_changed(self.list.currentRow())

    def selected_name(self) -> str:
        """Return the highlighted connection's name ("" if none)."""
        item = self.list.currentItem()
        return item.text() if item else ""

    def open_form(self, editing: str = "") -> ConnectionForm:
        """Open the add/edit form (window-modal, not blocking)."""
        self.form = ConnectionForm(self._store, self._runner, self, editing=editing)
        self.form.saved.connect(self._on_form_saved)
        self.form.open()
        return self.form

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_list_current_row_changed(self, row: int) -> None:
        has = row >= 0
        for button in (self.edit_button, self.test_button, self.delete_button):
            button.setEnabled(has and self._testing is None)
        self.result_label.setText("")

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.open_form()

    @Slot()
    def _on_edit_button_clicked(self) -> None:
        if self.selected_name():
            self.open_form(self.selected_name())

    @Slot(str)
    def _on_form_saved(self, name: str) -> None:
        self.refresh(select=name)
        self.connections_changed.emit()

    @Slot()
    def _on_test_button_clicked(self) -> None:
        name = self.selected_name()
        if not name or self._testing is not None:
            return
        try:
            connection = self._store.get(name)  # the keyring is read here, on the GUI thread
        except AppError as error:
            self.result_label.setText(feedback_for(error).text)
            return
        store = self._store
        worker = Worker(_ConnectionTest(store, connection), name="connection test")
        worker.signals.succeeded.connect(self._on_test_succeeded)
        worker.signals.failed.connect(self._on_test_failed)
        worker.signals.finished.connect(self._on_test_finished)
        self._testing = worker
        # Disabling the focused Test button would pass focus on to Delete: park it on the list.
        if self.test_button.hasFocus():
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        self.test_button.setEnabled(False)
        self.result_label.setText(f"Testing '{name}'…")
        self._runner.start(worker)

    @Slot(object)
    def _on_test_succeeded(self, result: TestResult) -> None:
        text = result.message if result.ok else f"{result.message} {result.hint}".strip()
        self.result_label.setText(("✔ " if result.ok else "✖ ") + text)

    @Slot(object)
    def _on_test_failed(self, error: AppError) -> None:
        self.result_label.setText("✖ " + feedback_for(error).text)

    @Slot()
    def _on_test_finished(self) -> None:
        self._testing = None
        self._enable_row_buttons()
        if self.list.hasFocus() and self.test_button.isEnabled():
            self.test_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enable_row_buttons(self) -> None:
        has = self.list.currentRow() >= 0
        for button in (self.edit_button, self.test_button, self.delete_button):
            button.setEnabled(has)

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        name = self.selected_name()
        if not name:
            return
        if not confirm_destructive(
            self,
            "Delete connection",
            f"Delete the connection '{name}'? Its Application Key is removed from this computer. "
            "Presets that use it stay, but need another connection to run.",
        ):
            return
        try:
            self._store.remove(name)
        except AppError as error:
            self.result_label.setText(feedback_for(error).text)
            return
        self.refresh()
        self.connections_changed.emit()


class _ConnectionTest:
    """A connection test as a worker job (no keyring access: the connection is already read)."""

    def __init__(self, store: ConnectionStore, connection: Connection) -> None:
        self._store = store
        self._connection = connection

    def __call__(self, _cancel: CancelToken, _on_progress: ProgressCallback) -> TestResult:
        return self._store.test(self._connection)
