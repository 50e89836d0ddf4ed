"""The Look up tab's "In: all companies": one table with a Company column, a refused company named."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models import Connection
from app.sandbox import Sandbox
from app.services.lookup import LookupKind, LookupService
from tests.ui.test_layout import cut_texts, fully_visible
from tests.ui.test_mnemonics import clashes, shown_mnemonics

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_a_sku_in_every_company_with_a_refused_one_named(
    qtbot, make_window, connect, make_sandbox: Callable[..., Sandbox]
) -> None:
    # The same seed: the same SKUs in North and South, as a group selling one range in two countries.
    north, south = make_sandbox(rate_limit=None, seed=61), make_sandbox(rate_limit=None, seed=61)
    window = make_window()
    connect(window, north, "North")
    tab = window.lookup_tab
    window.tabs.setCurrentWidget(tab)
    assert not tab.scope.combo.isVisibleTo(tab)  # one company: nothing to choose
    connect(window, north, "Refused", key="not-the-right-key")
    connect(window, south, "South")
    window.company_bar.select("North")
    assert tab.scope.combo.isVisibleTo(tab)
    assert tab.scope.combo.itemText(1) == "all 3 companies"
    QApplication.processEvents()
    assert not clashes(shown_mnemonics(window)), clashes(shown_mnemonics(window))  # Alt+N is free
    window.resize(900, 500)  # the smallest size the window allows: the choice fits beside the search
    QApplication.processEvents()
    assert fully_visible(tab.scope.combo) and fully_visible(tab.search_button)
    assert not cut_texts(window), cut_texts(window)

    sku = north.dataset.row("product", 0)["SKU"]
    tab.scope.choose_every_company()
    with qtbot.waitSignal(tab.search_finished, timeout=30_000):
        assert tab.start_search(LookupKind.PRODUCTS, sku)
    assert tab.status.text().startswith("Refused could not be searched: DEAR refused access")
    QApplication.processEvents()
    assert window.size().toTuple() == (900, 500)
    assert not cut_texts(window), cut_texts(window)  # the refused company's sentence shows in full
    one = Connection("x", north.account_id, north.application_key, north.base_url)
    alone = LookupService().search(one, LookupKind.PRODUCTS, sku, movements=True)
    assert len(alone.columns) > 11  # stock rows, then the product's latest movements
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())]
    assert headers == ["Company", *alone.headers]
    rows = [tab.model.row_values(r) for r in range(tab.model.rowCount())]
    assert rows == [("North", *row) for row in alone.rows] + [("South", *row) for row in alone.rows]

    # Back to this company: no Company column.
    qtbot.waitUntil(lambda: not tab.busy)
    tab.scope.choose_every_company(False)
    with qtbot.waitSignal(tab.search_finished, timeout=30_000):
        assert tab.start_search(LookupKind.PRODUCTS, sku)
    assert tab.model.headerData(0, Qt.Orientation.Horizontal) == "SKU"


def test_a_wait_in_one_company_counts_down_with_its_name_and_cancels(
    qtbot, make_window, connect, make_sandbox: Callable[..., Sandbox]
) -> None:
    window = make_window()
    connect(window, make_sandbox(rate_limit=None, seed=62), "Fast")
    connect(window, make_sandbox(rate_limit=None, seed=63), "Slow", limit="1/30")
    window.company_bar.select("Fast")
    tab = window.lookup_tab
    window.tabs.setCurrentWidget(tab)
    tab.scope.choose_every_company()
    tab.query_edit.setText("a")
    window.activateWindow()
    tab.search_button.setFocus()
    qtbot.waitUntil(tab.search_button.hasFocus)
    qtbot.mouseClick(tab.search_button, Qt.MouseButton.LeftButton)
    assert tab.busy
    assert not tab.search_button.isVisibleTo(tab)  # Cancel takes its place: the row is no wider
    assert tab.query_edit.hasFocus()  # back to the search text: a stray Space does not cancel
    assert tab.status.text() == "Looking up “a” in 2 companies…"
    assert tab.cancel_button.isVisibleTo(tab)
    qtbot.waitUntil(lambda: "continues in" in tab.status.text(), timeout=10_000)
    first = tab.status.text()
    assert first.startswith("Slow: DEAR limits us to 1 request every 30 seconds; the look-up continues in ")
    qtbot.waitUntil(lambda: tab.status.text() != first, timeout=3000)  # it counts down
    tab.cancel_button.click()
    qtbot.waitUntil(lambda: not tab.busy, timeout=5000)  # within a moment, not after the 30 s wait
    assert tab.status.text() == "The look-up was cancelled. Nothing was changed."
