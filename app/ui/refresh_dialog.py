"""File > Refresh a workbook…: the reports a workbook holds, then a refresh with the usual progress.

The dialog reads what the workbook records (the report, its filters as chosen, when it was last
refreshed, whether it keeps daily snapshots) and, on Refresh, hands the window a ready export
request (``ExportRequest.into``) that runs like any export: estimated, with progress and Cancel.
The connections are those the workbook records when they are set up on this computer (every
company of a several-company workbook; one not saved here is named and Refresh stays off), else
the company chosen in the window. A workbook dropped on the window opens the same dialog
(:class:`WorkbookDrops`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.models import Connection, ExportRequest
from app.services.connections import ConnectionStore
from app.services.exporting.company_keys import read_companies
from app.services.workbooks.companies import companies_to_read
from app.services.workbooks.refresh import WorkbookRecord, describe, read_record, refresh_request

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_HEADERS = ("Report", "Sheet", "Filters", "Last refreshed", "Kept as")


def choose_workbook(parent: QWidget, folder: Path) -> Path | None:
    """Ask for a workbook to refresh; None when the user cancels."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "Refresh a workbook", str(folder), "Excel workbooks (*.xlsx *.xlsm)"
    )
    return Path(path) if path else None


class RefreshDialog(QDialog):
    """A workbook's reports (``table``), ``refresh_button`` and ``message`` (what happens, or why not)."""

    def __init__(
        self,
        path: Path,
        connections: ConnectionStore,
        current: Callable[[], Connection | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Refresh a workbook")
        self.path = path
        self._connections = connections
        self._current = current
        self.record: WorkbookRecord | None = None
        self.heading = QLabel(f"<b>{path.name}</b> — in {path.parent}", self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, len(_HEADERS), self)
        self.table.setHorizontalHeaderLabels(_HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Reports in this workbook")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.refresh_button = buttons.addButton("&Refresh", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 320)
        self._load()

    def _load(self) -> None:
        try:
            self.record = read_record(self.path)
        except AppError as error:
            self.message.setText(error.user_text())
            self.refresh_button.setEnabled(False)
            return
        reports = describe(self.record)
        self.table.setRowCount(len(reports))
        for row, report in enumerate(reports):
            when = report.refreshed.astimezone().strftime("%d %b %Y %H:%M") if report.refreshed else "Never"
            kept = "Daily snapshots" if report.snapshot else "Latest only"
            for column, text in enumerate((report.label, report.sheet, report.filters, when, kept)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        try:
            names = self.company_names()
        except AppError as error:  # a company of the workbook is not saved here
            self.message.setText(error.user_text())
            self.refresh_button.setEnabled(False)
            return
        whose = f"{names[0]}'s data" if len(names) == 1 else f"the data of {_listed(names)}"
        self.message.setText(
            f"Refreshing runs these reports again with {whose} and replaces their sheets; "
            "everything else in the workbook stays as it is. Close the workbook in Excel first."
            if names
            else "Choose a company connection first."
        )
        self.refresh_button.setEnabled(bool(names))

    def _saved(self) -> tuple[str, ...]:
        """Return the companies the workbook records, as saved here (() for one company not saved here)."""
        if self.record is None:
            return ()
        infos = self._connections.list()
        return companies_to_read(
            self.record,
            [info.name for info in infos],
            every_saved=[info.name for info in infos if not info.session_only],
        )

    def company_names(self) -> tuple[str, ...]:
        """Return the companies the refresh reads: the workbook's own when saved here, else the window's.

        Raises CredentialError when a company of a several-company workbook is not saved here.
        """
        names = self._saved()
        if names:
            return names
        current = self._current()
        return (current.name,) if current is not None else ()

    def connection_name(self) -> str:
        """Return the (first) connection the refresh uses ("" when none is chosen)."""
        try:
            names = self.company_names()
        except AppError:
            return ""
        return names[0] if names else ""

    def request(self) -> ExportRequest | None:
        """Return the export that refreshes the workbook (read on the GUI thread: it reads the keyring)."""
        if self.record is None:
            return None
        names = self._saved()
        if names:
            companies = read_companies(self._connections, names)
        else:
            current = self._current()
            if current is None:
                return None
            companies = (current,)
        return refresh_request(self.path, self.record, companies)


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


class WorkbookDrops(QObject):
    """Lets a workbook be dropped on ``window``; emits ``dropped`` (the file's path, as text)."""

    dropped = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    @staticmethod
    def _workbook(event: QDragEnterEvent | QDropEvent) -> str:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [url.toLocalFile() for url in urls if url.isLocalFile()]
        return next((p for p in paths if p.lower().endswith(WORKBOOK_SUFFIXES)), "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Accept a dragged workbook; on the drop, emit its path."""
        if isinstance(event, QDragEnterEvent) and self._workbook(event):
            event.acceptProposedAction()
            return True
        if isinstance(event, QDropEvent) and (path := self._workbook(event)):
            event.acceptProposedAction()
            self.dropped.emit(path)
            return True
        return super().eventFilter(watched, event)


def refresh_workbook(
    parent: QWidget,
    path: Path,
    connections: ConnectionStore,
    current: Callable[[], Connection | None],
    run: Callable[[ExportRequest], bool],
) -> bool:
    """Show the workbook's reports and, when the user says Refresh, run the refresh; True if it started."""
    dialog = RefreshDialog(path, connections, current, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        request = dialog.request()
    finally:
        dialog.deleteLater()
    return run(request) if request is not None else False


__all__ = ["RefreshDialog", "WorkbookDrops", "choose_workbook", "refresh_workbook"]
