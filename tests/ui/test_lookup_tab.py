"""The Look up tab against the sandbox: search on a worker, sort, filter, copy, save."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.models import Connection
from app.sandbox import Sandbox
from app.services.lookup import LookupKind, LookupService
from app.ui.lookup_tab import LookupTab
from app.ui.worker import JobRunner

pytestmark = pytest.mark.gui


def _tab(qtbot, connection: Connection | None) -> LookupTab:
    runner = JobRunner()
    tab = LookupTab(LookupService(), runner, lambda: connection)
    tab._test_runner = runner  # keep the runner alive with the tab
    qtbot.addWidget(tab)
    return tab


def test_search_fills_a_sortable_filterable_table(qtbot, sandbox: Sandbox, connection_for) -> None:
    tab = _tab(qtbot, connection_for(sandbox))
    with qtbot.waitSignal(tab.search_finished, timeout=10000):
        assert tab.start_search(LookupKind.SALES, "SO-000")
    expected = requests.get(
        sandbox.base_url + "saleList",
        params={"Search": "SO-000", "Limit": 200},
        headers=sandbox.headers,
        timeout=30,
    ).json()["SaleList"]
    assert tab.proxy.rowCount() == len(expected) > 1
    qtbot.waitUntil(lambda: not tab.busy)

    # Sort by amount (column 5), largest first: numbers sort as numbers, not as text.
    tab.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    amounts = [row[5] for row in tab.shown_rows()]
    assert amounts == sorted((float(s["InvoiceAmount"]) for s in expected), reverse=True)

    # Filter narrows the rows to those containing the text anywhere.
    # keyClicks types ASCII only; the sandbox also has names like "Café ...".
    customer = next(s["Customer"] for s in expected if s["Customer"].isascii())
    qtbot.keyClicks(tab.filter_edit, customer)
    model = tab.model
    matching = [
        r
        for r in range(model.rowCount())
        if any(customer.lower() in str(model.index(r, c).data()).lower() for c in range(model.columnCount()))
    ]
    assert 1 <= tab.proxy.rowCount() == len(matching) < model.rowCount()
    assert all(customer in " ".join(map(str, row)) for row in tab.shown_rows())


def test_copy_puts_selected_cells_on_the_clipboard(qtbot, sandbox: Sandbox, connection_for) -> None:
    tab = _tab(qtbot, connection_for(sandbox))
    with qtbot.waitSignal(tab.search_finished, timeout=10000):
        tab.start_search(LookupKind.SALES, "SO-0001")
    tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    first = tab.proxy.index(0, 0)
    second = tab.proxy.index(0, 2)
    selection = tab.table.selectionModel()
    selection.select(first, selection.SelectionFlag.Select)
    selection.select(second, selection.SelectionFlag.Select)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    row = tab.shown_rows()[0]
    assert QGuiApplication.clipboard().text() == f"{row[0]}\t{row[2]}"


def test_save_writes_the_shown_rows(
    qtbot, sandbox: Sandbox, tmp_path: Path, save_dialog: Callable, connection_for
) -> None:
    tab = _tab(qtbot, connection_for(sandbox))
    with qtbot.waitSignal(tab.search_finished, timeout=10000):
        tab.start_search(LookupKind.SALES, "SO-000")
    tab.filter_edit.setText("COMPLETED")
    shown = tab.shown_rows()
    assert 0 < len(shown) < tab.model.rowCount()
    target = tmp_path / "shown.xlsx"
    save_dialog(target)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    book = openpyxl.load_workbook(target, read_only=True)
    rows = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    assert len(rows) - 1 == len(shown)
    assert [r[0] for r in rows[1:]] == [r[0] for r in shown]
    assert all(r[3] == "COMPLETED" for r in rows[1:])
    book.close()
    assert "Saved" in tab.status.text()


def test_failure_and_missing_connection_are_explained(qtbot, sandbox: Sandbox) -> None:
    tab = _tab(qtbot, None)
    assert not tab.start_search(LookupKind.PRODUCTS, "Chair")
    assert "connection" in tab.status.text()

    wrong = Connection("Wrong", sandbox.account_id, "not-the-key", sandbox.base_url)
    tab = _tab(qtbot, wrong)
    with qtbot.waitSignal(tab.search_failed, timeout=10000):
        tab.start_search(LookupKind.PRODUCTS, "Chair")
    assert "Account ID" in tab.status.text()
    assert "not-the-key" not in tab.status.text()


def test_a_wait_for_the_limit_counts_down_and_can_be_cancelled(
    qtbot, sandbox: Sandbox, connection_for
) -> None:
    from app.models import RateLimit

    tab = _tab(qtbot, connection_for(sandbox, limit=RateLimit(1, 30)))
    assert not tab.cancel_button.isVisibleTo(tab)
    tab.start_search(LookupKind.PRODUCTS, "a")
    assert tab.cancel_button.isVisibleTo(tab)
    qtbot.waitUntil(lambda: "continues in" in tab.status.text(), timeout=10000)
    first = tab.status.text()
    assert first.startswith("DEAR limits us to 1 request every 30 seconds; the look-up continues in ")
    qtbot.waitUntil(lambda: tab.status.text() != first, timeout=3000)  # it counts down
    assert "continues in" in tab.status.text()
    tab.cancel_button.click()
    qtbot.waitUntil(lambda: not tab.busy, timeout=5000)  # within a moment, not after the 30 s wait
    assert tab.status.text() == "The look-up was cancelled. Nothing was changed."
    assert not tab.busy
    assert not tab.cancel_button.isVisibleTo(tab)
    assert tab.search_button.isEnabled()


def test_one_product_shows_its_latest_movements(qtbot, sandbox: Sandbox, connection_for) -> None:
    tab = _tab(qtbot, connection_for(sandbox))
    with qtbot.waitSignal(tab.search_finished, timeout=10000):
        assert tab.start_search(LookupKind.PRODUCTS, "SKU-000002")
    assert tab.model.columns[-5].header == "Moved on"
    moved = [row for row in tab.shown_rows() if row[-4]]
    assert len(moved) == 5 and all(row[0] == "SKU-000002" for row in moved)
