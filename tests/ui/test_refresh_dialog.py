"""The window's living workbooks: "Add to an existing workbook…", File > Refresh a workbook…, and drops."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog

from app.sandbox import Sandbox
from app.ui.refresh_dialog import RefreshDialog
from tests.ui.conftest import tick


def _user_book(path: Path) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Budget"
    book.active["A1"] = "Mine"
    book.active["B1"] = "=1+1"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_add_to_a_workbook_then_refresh_it_from_the_file_menu(
    qtbot: Any,
    make_window: Any,
    connect: Any,
    sandbox: Sandbox,
    save_dialog: Any,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers")
    book = tmp_path / "Monthly.xlsm"  # a macro workbook keeps its name
    budget = _user_book(book)
    save_dialog(book)
    output = window.report_page.output
    qtbot.mouseClick(output.into_button, Qt.MouseButton.LeftButton)
    assert output.into and output.path() == book
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000):
        qtbot.mouseClick(window.report_page.export_button, Qt.MouseButton.LeftButton)
    with zipfile.ZipFile(book) as archive:
        assert archive.read("xl/worksheets/sheet1.xml") == budget
    assert openpyxl.load_workbook(book).sheetnames == ["Budget", "Customers", "About this export"]

    seen: list[list[str]] = []

    def accept(dialog: RefreshDialog) -> int:
        table = dialog.table
        seen.extend(
            [table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())
        )
        assert dialog.refresh_button.isEnabled()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(RefreshDialog, "exec", accept)
    qtbot.waitUntil(lambda: not window.exports.busy)  # the first export's worker has finished
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as blocker:
        window.refresh_workbook_action.trigger()
    assert blocker.args[0].files == (book,)
    assert [row[0] for row in seen] == ["Customers"]
    assert seen[0][1] == "Customers" and seen[0][4] == "Latest only"
    # Typing a path of one's own goes back to writing a new file (once the run has ended and the
    # box takes typing again: "succeeded" comes before the worker's "finished" re-enables it).
    qtbot.waitUntil(lambda: not window.exports.busy and output.path_edit.isEnabled())
    qtbot.keyClicks(output.path_edit, "x")
    assert not output.into


def test_a_file_that_is_not_a_workbook_is_explained_and_cannot_be_refreshed(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window()
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    dialog = RefreshDialog(text, window.services.connections, window.company_bar.current_connection, window)
    qtbot.addWidget(dialog)
    assert "is not an Excel workbook" in dialog.message.text()
    assert not dialog.refresh_button.isEnabled()
    assert dialog.request() is None


def test_a_workbook_dropped_on_the_window_opens_the_refresh(
    qtbot: Any, make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    book = tmp_path / "Dropped.xlsx"
    _user_book(book)
    opened: list[Path] = []

    def reject(dialog: RefreshDialog) -> int:
        opened.append(dialog.path)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(RefreshDialog, "exec", reject)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(book))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt delivers a drop only during a real drag, so the window's filter is handed the event as
    # Qt would hand it over.
    with qtbot.waitSignal(window.workbook_drops.dropped, timeout=5000) as blocker:
        assert window.workbook_drops.eventFilter(window, drop)
    assert blocker.args == [str(book)]
    assert opened == [book]
