"""Picking a filter's value by name: the window's source of DEAR's name lists, and the combo box.

:class:`NameSource` reads a list (locations, customers, accounts...) on a worker for the current
connection, once; the service keeps it per connection. :class:`NameCombo` shows the names, sends
the field DEAR takes (an ID, a name or a code) and still accepts typed text when the list could
not be read. The main window owns one source (a child object); a filter form finds it through
its window when it is first shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.catalogue.name_lists import Picker, name_list
from app.errors import AppError
from app.models import CancelToken, Connection
from app.services.reference_lists import NameListResult, ReferenceLists, connection_key
from app.ui.feedback import feedback_for
from app.ui.worker import JobRunner, ProgressCallback, Worker

ANY = "Any"


class NameSource(QObject):
    """Reads DEAR's name lists on a worker for the window's current connection.

    Signals:
        list_ready(str, object): the list with this key arrived (a ``NameListResult``).
        list_failed(str, str): the list with this key could not be read; the message says why.
        lists_reset(): another company was chosen: lists shown so far are not its own.
    """

    list_ready = Signal(str, object)
    list_failed = Signal(str, str)
    lists_reset = Signal()

    def __init__(
        self,
        lists: ReferenceLists,
        runner: JobRunner,
        connection_source: Callable[[], Connection | None],
        parent: QObject | None = None,
        *,
        chosen: SignalInstance | None = None,
    ) -> None:
        """``chosen`` is the window's "another connection was chosen" signal (its lists then reset)."""
        super().__init__(parent)
        self._lists = lists
        self._runner = runner
        self._connection_source = connection_source
        self._running: dict[object, tuple[tuple[str, str, str], str]] = {}
        self._company: tuple[str, str, str] | None = None
        if chosen is not None:
            chosen.connect(self._on_connection_chosen)

    @Slot(str)
    def _on_connection_chosen(self, _name: str) -> None:
        self._company = None  # lists still on their way belong to the company left
        self.lists_reset.emit()

    def request(self, key: str) -> NameListResult | None:
        """Return the list if it is already read; otherwise start reading it and return None.

        The answer comes later as ``list_ready`` or ``list_failed``. Called on the GUI thread
        (the connection, key included, is read here, never on the worker).
        """
        try:
            connection = self._connection_source()
        except AppError as error:
            self.list_failed.emit(key, feedback_for(error).message)
            return None
        if connection is None:
            self.list_failed.emit(key, "Choose a company at the top of the window to see the names.")
            return None
        company = connection_key(connection)
        self._company = company
        kept = self._lists.cached(connection, key)
        if kept is not None:
            return kept
        if (company, key) in self._running.values():
            return None  # already on its way
        worker = Worker(_ListJob(self._lists, connection, key), name=f"list of {key}")
        worker.signals.succeeded.connect(self._on_list_succeeded)
        worker.signals.failed.connect(self._on_list_failed)
        worker.signals.finished.connect(self._on_list_finished)
        self._running[worker.signals] = (company, key)
        self._runner.start(worker)
        return None

    def _job_of_sender(self) -> tuple[tuple[str, str, str], str] | None:
        return self._running.get(self.sender())

    @Slot(object)
    def _on_list_succeeded(self, result: NameListResult) -> None:
        job = self._job_of_sender()
        if job is not None and job[0] == self._company:  # not a list of the company left meanwhile
            self.list_ready.emit(result.key, result)

    @Slot(object)
    def _on_list_failed(self, error: AppError) -> None:
        job = self._job_of_sender()
        if job is not None and job[0] == self._company:
            self.list_failed.emit(job[1], feedback_for(error).message)

    @Slot()
    def _on_list_finished(self) -> None:
        self._running.pop(self.sender(), None)


class _ListJob:
    """Reading one name list as a worker job."""

    def __init__(self, lists: ReferenceLists, connection: Connection, key: str) -> None:
        self._lists = lists
        self._connection = connection
        self._key = key

    def __call__(self, cancel: CancelToken, _on_progress: ProgressCallback) -> NameListResult:
        return self._lists.fetch(self._connection, self._key, cancel)


class NameCombo(QComboBox):
    """Pick a record by name; the value is the field DEAR takes. Typing still works without a list.

    The first item is "Any" (no filter). Text that matches a name (any case) gives that record's
    field; other text is sent as typed, so a name (or an ID) can be entered when DEAR's list
    could not be read.
    """

    def __init__(self, picker: Picker, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = picker
        self.noun = name_list(picker.list_key).noun
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName(label)
        self.addItem(ANY, "")
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.loaded = False
        self.show_loading()

    def show_loading(self) -> None:
        """Say the names are on their way (typing works meanwhile)."""
        self.setToolTip(f"Reading the {self.noun}s from DEAR… You can also type a name.")

    def show_failed(self, message: str) -> None:
        """Say why there is no list; typed text is still used as the filter."""
        typed = "the ID from DEAR" if self.picker.value_field.upper().endswith("ID") else "the name"
        self.setToolTip(f"{message} Type {typed} instead.")

    def clear_choices(self) -> None:
        """Drop the names (another company's list comes next), keeping the value shown."""
        value = self.value()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        self.blockSignals(False)
        self.loaded = False
        self.show_loading()
        self.set_value(value)

    def set_choices(self, result: NameListResult) -> None:
        """Show a list's names, keeping the value shown (or typed) so far."""
        value = self.value()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for choice in result.choices:
            sent = choice.value(self.picker.value_field)
            if sent:
                self.addItem(choice.label, sent)
        self.blockSignals(False)
        self.loaded = True
        note = "" if result.complete else f" Only the first {self.count() - 1:,} are listed; type others."
        self.setToolTip(f"Choose a {self.noun} or type part of its name.{note}")
        self.set_value(value)

    def value(self) -> str:
        """Return what DEAR is sent: the chosen record's field, typed text, or "" for Any."""
        text = self.currentText().strip()
        if not text or text == ANY:
            return ""
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)  # any case
        if index >= 0:
            return str(self.itemData(index) or "")
        return text

    def set_value(self, value: str) -> None:
        """Show a stored value: its record's name when listed, else the value itself."""
        if not value:
            self.setCurrentIndex(0)
            return
        index = self.findData(value)
        if index < 0 and self.picker.value_field.upper().endswith("ID"):
            index = next(
                (i for i in range(1, self.count()) if str(self.itemData(i)).lower() == value.lower()), -1
            )  # GUIDs come in either case (docs/dear-api.md §5.2)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(value)
