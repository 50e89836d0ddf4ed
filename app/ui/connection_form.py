"""Add or edit one connection: the fields, a test with DEAR before saving, and "Save anyway"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, AuthenticationError, KeyringUnavailableError
from app.models import DEFAULT_BASE_URL, CancelToken, Connection
from app.services.connection_fields import (
    check_account_id,
    check_base_url,
    check_key,
    check_name,
    check_rate_limit,
)
from app.services.connections import ConnectionStore, TestResult
from app.ui.feedback import feedback_for
from app.ui.worker import JobRunner, ProgressCallback, Worker

WHERE_KEYS_COME_FROM = (
    "In DEAR, open <b>Integrations → API</b> (the “API” tile under Integrations). "
    "Add an API application (or open an existing one) and copy its <b>Account ID</b> and "
    "<b>Application Key</b> into the boxes below."
)
LIMIT_HINT = (
    "How many requests this app may send in how many seconds (DEAR allows 60 a minute for each API "
    "application). Lower it if other programs use the same API application."
)
# Room beside the text in a line edit (frame, padding and the clear button).
FIELD_PADDING = 32


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
    """Add or edit one connection. Save tests it with DEAR first (on a worker); on success ``saved``.

    A key DEAR refuses is not saved: the form says why and stays open. When DEAR cannot be
    reached at all (no internet, DEAR down), "Save anyway" appears, so a connection can be set up
    offline by the user's explicit choice.

    Signals:
        saved(str): the connection was stored under this name.
    """

    saved = Signal(str)

    def __init__(
        self,
        store: ConnectionStore,
        runner: JobRunner,
        parent: QWidget | None = None,
        *,
        editing: str = "",
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._editing = editing
        self._testing: Worker | None = None
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
        self.limit_edit.setToolTip(LIMIT_HINT)
        # Wide enough for DEAR's address (and so an Account ID, a 36-character GUID) without scrolling.
        width = self.fontMetrics().horizontalAdvance(DEFAULT_BASE_URL) + FIELD_PADDING
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in (
            ("&Name:", self.name_edit),
            ("&Account ID:", self.account_edit),
            ("Application &Key:", self.key_edit),
            ("&Web address (advanced):", self.url_edit),
            ("&Share of the API limit:", self.limit_edit),
        ):
            widget.setMinimumWidth(width)
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.limit_hint = QLabel(LIMIT_HINT, self)
        self.limit_hint.setWordWrap(True)
        form.addRow("", self.limit_hint)
        self.keyring_note = QLabel(keyring_explanation(store), self)
        self.keyring_note.setWordWrap(True)
        self.status_label = QLabel("", self)
        self.status_label.setWordWrap(True)
        self.status_label.setVisible(False)
        self.error_label = QLabel("", self)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("QLabel { color: #b00020; }")
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("Test and &save")
        save.setToolTip("Checks the Account ID and Application Key with DEAR, then saves the connection")
        self.save_anyway_button = QPushButton("Save an&yway", self)
        self.save_anyway_button.setAutoDefault(False)
        self.save_anyway_button.setVisible(False)
        self.buttons.addButton(self.save_anyway_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(guide)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self._on_buttons_rejected)
        self.save_anyway_button.clicked.connect(self._on_save_anyway_button_clicked)
        if editing:
            info = store.info(editing)
            self.name_edit.setText(info.name)
            self.account_edit.setText(info.account_id)
            if info.base_url != DEFAULT_BASE_URL:
                self.url_edit.setText(info.base_url)
            self.limit_edit.setText(str(info.rate_limit))
        # Open at a size that shows every field, hint and note without cutting (docs: issue 12).
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()))

    @property
    def testing(self) -> bool:
        """True while the connection is being tested with DEAR."""
        return self._testing is not None

    def show_error(self, text: str) -> None:
        """Show a problem inside the form."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def show_status(self, text: str) -> None:
        """Show what the form is doing (testing, connected)."""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    # ------------------------------------------------------------------ test, then save

    def _connection(self) -> Connection:
        """Build the connection the fields describe (checked; the saved key when the box is empty)."""
        key = self.key_edit.text()
        if self._editing and not key.strip():
            key = self._store.get(self._editing).application_key  # keyring read on the GUI thread
        return Connection(
            name=check_name(self.name_edit.text()),
            account_id=check_account_id(self.account_edit.text()),
            application_key=check_key(key),
            base_url=check_base_url(self.url_edit.text()),
            rate_limit=check_rate_limit(self.limit_edit.text().strip() or "60/60"),
        )

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self._testing is not None:
            return
        self.show_error("")
        self.save_anyway_button.setVisible(False)
        try:
            connection = self._connection()
        except AppError as error:
            self.show_error(feedback_for(error).text)
            return
        worker = Worker(_FormTest(self._store, connection), name="connection test")
        worker.signals.succeeded.connect(self._on_test_succeeded)
        worker.signals.failed.connect(self._on_test_failed)
        worker.signals.finished.connect(self._on_test_finished)
        self._testing = worker
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.show_status("Testing the connection with DEAR…")
        self._runner.start(worker)

    @Slot(object)
    def _on_test_succeeded(self, result: TestResult) -> None:
        if result.ok:
            self.show_status(f"✔ {result.message}")
            self._finish_saving()
            return
        self.show_status("")
        text = f"{result.message} {result.hint}".strip()
        if isinstance(result.error, AuthenticationError):
            # A refused key is never saved by accident: the user corrects it (or cancels).
            self.show_error(f"✖ {text} The connection was not saved.")
            self.key_edit.setFocus()
            return
        self.show_error(
            f"✖ {text} The connection was not saved yet. Choose “Save anyway” to keep it and test it later."
        )
        self.save_anyway_button.setVisible(True)

    @Slot(object)
    def _on_test_failed(self, error: AppError) -> None:
        self.show_status("")
        self.show_error(f"✖ {feedback_for(error).text}")

    @Slot()
    def _on_test_finished(self) -> None:
        self._testing = None
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)

    @Slot()
    def _on_save_anyway_button_clicked(self) -> None:
        self._finish_saving()

    @Slot()
    def _on_buttons_rejected(self) -> None:
        if self._testing is not None:
            self._testing.cancel()
        self.reject()

    def _finish_saving(self) -> None:
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
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise
            info = self._store.add(name, account, key, base_url=url, rate_limit=limit, session_only=True)
        return info.name


class _FormTest:
    """The form's connection test as a worker job (the connection, key included, is already read)."""

    def __init__(self, store: ConnectionStore, connection: Connection) -> None:
        self._store = store
        self._connection = connection

    def __call__(self, _cancel: CancelToken, _on_progress: ProgressCallback) -> TestResult:
        return self._store.test(self._connection)
