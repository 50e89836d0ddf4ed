"""Manage connections: add, edit, test and delete, with a word on where the key is kept."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, KeyringUnavailableError
from app.models import DEFAULT_BASE_URL, CancelToken, Connection
from app.services.connections import ConnectionInfo, ConnectionStore, TestResult
from app.ui.feedback import feedback_for
from app.ui.worker import JobRunner, ProgressCallback, Worker

WHERE_KEYS_COME_FROM = (
    "In DEAR, open <b>Integrations → API</b> (the “API” tile under Integrations). "
    "Add an API application (or open an existing one) and copy its <b>Account ID</b> and "
    "<b>Application Key</b> into the boxes below."
)


def keyring_explanation(store: ConnectionStore) -> str:
    """Where keys are kept, in plain words."""
    where = store.backend_description()
    if store.keyring_usable():
        return (
            f"Application Keys are kept in {where}, your computer's own safe password storage, "
            "never in a file. The other details are kept in the app's settings."
        )
    return (
        "This computer has no safe password storage (keyring) that the app can use, so a connection's "
        "key can only be kept for this session: it is forgotten when the app closes."
    )


class ConnectionForm(QDialog):
    """Add or edit one connection. On success ``saved`` carries the connection's name.

    Signals:
        saved(str): the connection was stored under this name.
    """

    saved = Signal(str)

    def __init__(self, store: ConnectionStore, parent: QWidget | None = None, *, editing: str = "") -> None:
        super().__init__(parent)
        self._store = store
        self._editing = editing
        self.setWindowTitle("Edit connection" if editing else "Add a connection")
        guide = QLabel(WHERE_KEYS_COME_FROM, self)
        guide.setWordWrap(True)
        guide.setTextFormat(Qt.TextFormat.RichText)

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("The company's name, e.g. Acme NZ")
        self.account_edit = QLineEdit(self)
        self.account_edit.setPlaceholderText("Looks like 1a2b3c4d-5e6f-…")
        self.key_edit = QLineEdit(self)
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Leave empty to keep the saved key" if editing else "Paste the key")
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText(DEFAULT_BASE_URL)
        self.limit_edit = QLineEdit(self)
        self.limit_edit.setPlaceholderText("60/60")
        self.limit_edit.setToolTip(
            "How many requests this app may send in how many seconds (DEAR allows 60 a minute for each API "
            "application). Lower it if other programs use the same API application."
        )
        form = QFormLayout()
        for text, widget in (
            ("&Name:", self.name_edit),
            ("&Account ID:", self.account_edit),
            ("Application &Key:", self.key_edit),
            ("&Web address (advanced):", self.url_edit),
            ("&Share of the API limit:", self.limit_edit),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.keyring_note = QLabel(keyring_explanation(store), self)
        self.keyring_note.setWordWrap(True)
        self.error_label = QLabel("", self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("QLabel { color: #b00020; }")
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(guide)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        if editing:
            info = store.info(editing)
            self.name_edit.setText(info.name)
            self.account_edit.setText(info.account_id)
            if info.base_url != DEFAULT_BASE_URL:
                self.url_edit.setText(info.base_url)
            self.limit_edit.setText(str(info.rate_limit))

    def show_error(self, text: str) -> None:
        """Show a problem inside the form."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            name = self._save()
        except AppError as error:
            self.show_error(feedback_for(error).text)
            return
        self.saved.emit(name)
        self.accept()

    def _save(self) -> str:
        name = self.name_edit.text()
        account = self.account_edit.text()
        key = self.key_edit.text()
        url = self.url_edit.text().strip() or DEFAULT_BASE_URL
        limit = self.limit_edit.text().strip() or "60/60"
        if self._editing:
            info = self._store.info(self._editing)
            if " ".join(name.split()) != info.name:
                info = self._store.rename(info.name, name)
            self._store.update(
                info.name, account_id=account, application_key=key or None, base_url=url, rate_limit=limit
            )
            return info.name
        try:
            info = self._store.add(name, account, key, base_url=url, rate_limit=limit)
        except KeyringUnavailableError as error:
            answer = QMessageBox.question(
                self,
                "Keep for this session only?",
                f"{error.message}\n\n{error.hint}\n\nKeep this connection for this session only?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise
            info = self._store.add(name, account, key, base_url=url, rate_limit=limit, session_only=True)
        return info.name


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
        self.form = ConnectionForm(self._store, self, editing=editing)
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

    def _enable_row_buttons(self) -> None:
        has = self.list.currentRow() >= 0
        for button in (self.edit_button, self.test_button, self.delete_button):
            button.setEnabled(has)

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        name = self.selected_name()
        if not name:
            return
        answer = QMessageBox.question(
            self,
            "Delete connection",
            f"Delete the connection '{name}'? Its Application Key is removed from this computer. "
            "Presets that use it stay, but need another connection to run.",
        )
        if answer != QMessageBox.StandardButton.Yes:
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
