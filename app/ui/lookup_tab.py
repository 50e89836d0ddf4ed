"""The Look up tab: search products (with stock by location), customers or sales, sort, filter, copy, save.

With several saved companies, "In:" searches this company or all of them at once (one table with
a column Company; a company that cannot be searched is named above the table).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.models import CancelToken, Connection, OutputFormat, Progress
from app.paths import documents_dir
from app.services.lookup import LookupKind, LookupResult, LookupService
from app.services.lookup_companies import search_companies
from app.ui.feedback import copy_to_clipboard, feedback_for, show_error
from app.ui.lookup_scope import CompanyChoice, CompanyScope
from app.ui.lookup_table import SORT_ROLE, CopyableTableView, LookupTableModel, display_value
from app.ui.naming import safe_file_stem
from app.ui.worker import JobRunner, ProgressCallback, Worker

__all__ = ["CopyableTableView", "LookupTab", "LookupTableModel", "display_value"]


class LookupTab(QWidget):
    """Search box, kind picker, a sortable and filterable table, copy and save.

    Signals:
        search_finished(object): a :class:`LookupResult` arrived and is shown.
        search_failed(object): the search failed with this :class:`AppError`.
    """

    search_finished = Signal(object)
    search_failed = Signal(object)

    def __init__(
        self,
        service: LookupService,
        runner: JobRunner,
        connection_source: Callable[[], Connection | None],
        parent: QWidget | None = None,
        *,
        companies: CompanyChoice | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._connection_source = connection_source
        self._worker: Worker | None = None
        self._result: LookupResult | None = None
        self._company = ""

        self.kind_combo = QComboBox(self)
        for kind in LookupKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.setAccessibleName("What to look up")
        self.query_edit = QLineEdit(self)
        self.query_edit.setPlaceholderText("Type a SKU, product name, customer name or order number")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.setAccessibleName("Look up")
        self.search_button = QPushButton("&Search", self)
        self.search_button.setDefault(True)
        # Shown while a look-up runs: a wait for DEAR's limit can last half a minute.
        self.cancel_button = QPushButton("Cancel look-up", self)
        self.cancel_button.setVisible(False)
        self._wait_until = 0.0
        self._wait_message = ""
        self._searching_text = ""
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        kind_label = QLabel("Loo&k for:", self)
        kind_label.setBuddy(self.kind_combo)
        query_label = QLabel("Se&arch text:", self)
        query_label.setBuddy(self.query_edit)
        # "In: this company / all companies" (shown when there are several companies).
        self.scope = CompanyScope(companies, self)

        self.model = LookupTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = CopyableTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Look-up results")
        self.table.setAlternatingRowColors(True)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Narrow the rows shown")
        self.filter_edit.setClearButtonEnabled(True)
        filter_label = QLabel("Sho&w only rows containing:", self)
        filter_label.setBuddy(self.filter_edit)
        self.copy_button = QPushButton("C&opy", self)
        self.copy_button.setToolTip("Copy the selected cells (Ctrl+C); paste them into Excel")
        self.save_button = QPushButton("Save &rows to Excel…", self)
        self.status = QLabel("Choose what to look for, type, and press Enter.", self)
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(kind_label)
        top.addWidget(self.kind_combo)
        top.addWidget(query_label)
        top.addWidget(self.query_edit, 1)
        top.addWidget(self.scope.label)
        top.addWidget(self.scope.combo)
        top.addWidget(self.search_button)
        top.addWidget(self.cancel_button)
        bottom = QHBoxLayout()
        bottom.addWidget(filter_label)
        bottom.addWidget(self.filter_edit, 1)
        bottom.addWidget(self.copy_button)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.search_button.clicked.connect(self._on_search_button_clicked)
        self.query_edit.returnPressed.connect(self._on_search_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self._countdown.timeout.connect(self._on_countdown_timeout)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.table.copy_requested.connect(self._on_copy_button_clicked)
        self._update_buttons()

    # ------------------------------------------------------------------ public

    @property
    def result(self) -> LookupResult | None:
        """The result on screen."""
        return self._result

    @property
    def busy(self) -> bool:
        """True while a search runs."""
        return self._worker is not None

    def start_search(self, kind: LookupKind | None = None, query: str | None = None) -> bool:
        """Start a search (on a worker); False when there is nothing to search or no connection."""
        if self._worker is not None:
            return False
        if kind is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        if query is not None:
            self.query_edit.setText(query)
        text = self.query_edit.text().strip()
        if not text:
            self.status.setText("Type something to look up first.")
            return False
        connections = self.scope.connections(self._connection_source)
        if connections is None:
            self.status.setText("Choose a company connection at the top of the window first.")
            return False
        self._company = ", ".join(connection.name for connection in connections)
        chosen = LookupKind(self.kind_combo.currentData())
        worker = Worker(_SearchJob(self._service, connections, chosen, text), name="look-up")
        worker.signals.succeeded.connect(self._on_search_succeeded)
        worker.signals.failed.connect(self._on_search_failed)
        worker.signals.progressed.connect(self._on_search_progressed)
        worker.signals.cancelled.connect(self._on_search_cancelled)
        worker.signals.finished.connect(self._on_search_finished)
        self._worker = worker
        where = f" in {len(connections)} companies" if len(connections) > 1 else ""
        self._searching_text = f"Looking up “{text}”{where}…"
        self.status.setText(self._searching_text)
        self._update_buttons()
        self._runner.start(worker)
        return True

    def cancel(self) -> None:
        """Stop a running search."""
        if self._worker is not None:
            self._worker.cancel()

    def selected_text(self) -> str:
        """Return the selected cells as tab-separated lines (what Excel pastes as cells)."""
        indexes = self.table.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        if (
            len(rows) > 1
            and len(cols) > 1
            and len(chosen) == len(rows) * len(cols)
            and len(rows) == self.proxy.rowCount()
        ):
            lines.append("\t".join(str(self.proxy.headerData(c, Qt.Orientation.Horizontal)) for c in cols))
        for row in rows:
            cells = [str(self.proxy.index(row, col).data()) if (row, col) in chosen else "" for col in cols]
            lines.append("\t".join(cells))
        return "\n".join(lines)

    def shown_rows(self) -> list[tuple[Any, ...]]:
        """Return the raw rows currently shown, in the shown order."""
        return [
            self.model.row_values(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            for row in range(self.proxy.rowCount())
        ]

    def save_to(self, path: Path) -> tuple[Path, ...]:
        """Write the shown rows to ``path`` (xlsx or csv by its extension)."""
        if self._result is None:
            return ()
        output_format = OutputFormat.CSV if path.suffix.lower() == ".csv" else OutputFormat.XLSX
        return self._service.save_rows(
            path,
            self._result.columns,
            self.shown_rows(),
            output_format=output_format,
            title=f"Look-up {self._result.kind.value}",
            company=self._company,
            description=self._result.query,
        )

    def _update_buttons(self) -> None:
        has_rows = self.proxy.rowCount() > 0
        # Cancel takes Search's place while a look-up runs, so the row is no wider then; the
        # focus goes back to the search text (before Search is disabled, which would pass it on).
        if self._worker is not None and self.search_button.hasFocus():
            self.query_edit.setFocus()
        self.search_button.setEnabled(self._worker is None)
        # Hide before showing: showing a button activates the window's layout at once, and with
        # both buttons in the row for that moment the window grew wider than the user made it.
        shown, hidden = (
            (self.search_button, self.cancel_button)
            if self._worker is None
            else (self.cancel_button, self.search_button)
        )
        hidden.setVisible(False)
        shown.setVisible(True)
        self.cancel_button.setEnabled(self._worker is not None and not self._worker.cancel_token.cancelled)
        self.copy_button.setEnabled(has_rows)
        self.save_button.setEnabled(has_rows)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_search_button_clicked(self) -> None:
        self.start_search()

    @Slot(object)
    def _on_search_succeeded(self, result: LookupResult) -> None:
        self._result = result
        self.model.set_result(result)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.resizeColumnsToContents()
        self.status.setText(result.note)
        self.search_finished.emit(result)

    @Slot(object)
    def _on_search_failed(self, error: AppError) -> None:
        self.status.setText(feedback_for(error).text)
        self.search_failed.emit(error)

    @Slot(object)
    def _on_search_progressed(self, event: Progress) -> None:
        if event.waiting_seconds <= 0:
            return
        self._wait_until = time.monotonic() + event.waiting_seconds
        self._wait_message = event.message
        self._show_wait()
        self._countdown.start()

    @Slot()
    def _on_countdown_timeout(self) -> None:
        self._show_wait()

    def _show_wait(self) -> None:
        left = math.ceil(self._wait_until - time.monotonic())
        if left > 0 and self._worker is not None:
            self.status.setText(self._wait_message.format(seconds=left))
            return
        self._countdown.stop()
        if self._worker is not None:
            self.status.setText(self._searching_text)

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.cancel()
        self.status.setText("Cancelling the look-up…")
        self._update_buttons()

    @Slot()
    def _on_search_cancelled(self) -> None:
        self.status.setText("The look-up was cancelled. Nothing was changed.")

    @Slot()
    def _on_search_finished(self) -> None:
        self._worker = None
        self._countdown.stop()
        self._update_buttons()

    @Slot(str)
    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_buttons()

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        text = self.selected_text()
        if not text and self.proxy.rowCount():
            self.table.selectAll()
            text = self.selected_text()
        if text:
            copy_to_clipboard(text)
            self.status.setText("Copied. Paste into Excel with Ctrl+V.")

    @Slot()
    def _on_save_button_clicked(self) -> None:
        if self._result is None:
            return
        stem = safe_file_stem(f"Look-up {self._result.kind.value} {self._result.query}")
        suggested = documents_dir() / f"{stem}.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save rows", str(suggested), "Excel workbook (*.xlsx);;CSV file (*.csv)"
        )
        if not path:
            return
        try:
            files = self.save_to(Path(path))
        except AppError as error:
            show_error(self, error)
            return
        self.status.setText(f"Saved {len(self.shown_rows()):,} rows to {', '.join(f.name for f in files)}.")


class _SearchJob:
    """A look-up as a worker job."""

    def __init__(
        self, service: LookupService, connections: tuple[Connection, ...], kind: LookupKind, text: str
    ) -> None:
        self._service = service
        self._connections = connections
        self._kind = kind
        self._text = text

    def __call__(self, cancel: CancelToken, on_progress: ProgressCallback) -> LookupResult:
        # Every company at once (each with its own key and budget); a few products found also show
        # their latest stock movements (same client, cancel and waits).
        return search_companies(
            self._service, self._connections, self._kind, self._text, cancel, on_progress, movements=True
        )
