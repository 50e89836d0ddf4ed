"""The whole window against the sandbox: export end to end, look-up, shortcuts, the demo, choices kept."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.catalogue.flatten import value_at
from app.paths import documents_dir
from app.sandbox import Sandbox
from tests.ui.conftest import all_records, sheet_rows, tick

# The offscreen platform says this about every top-level window it shows; it is not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_export_end_to_end_writes_what_was_asked(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers")
    page = window.report_page.pages()["customers"]
    picker = page.columns
    # Keep three columns, in a new order: move the second to the top.
    wanted = list(picker.columns()[:3])
    picker.set_columns(wanted)
    picker.list.setCurrentRow(1)
    qtbot.mouseClick(picker.up_button, Qt.MouseButton.LeftButton)
    order = [wanted[1], wanted[0], wanted[2]]
    assert list(picker.columns()) == order

    target = window.report_page.output.path()
    assert target.parent == documents_dir()
    assert target.name == f"Customers {date.today().isoformat()}.xlsx"

    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as blocker:
        qtbot.mouseClick(window.report_page.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert target in result.files

    customers = all_records(sandbox, "customer", "CustomerList")
    headers = {c.field: c.header for c in page.spec.columns}
    rows = sheet_rows(target)
    assert list(rows[0]) == [headers[f] for f in order]
    assert len(rows) - 1 == len(customers)
    # value_at: a column may pick from an array (the main contact: Contacts[Default=true].Name)
    expected = sorted(tuple(str(value_at(c, f) or "") for f in order) for c in customers)
    written = sorted(tuple("" if v is None else str(v) for v in row) for row in rows[1:])
    assert written == expected
    assert window.report_page.export_panel.open_button.isVisible()
    assert "Done" in window.report_page.export_panel.status.text()


def test_lookup_from_the_window(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    window.lookup_action.trigger()
    assert window.tabs.currentWidget() is window.lookup_tab
    tab = window.lookup_tab
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("products"))
    qtbot.keyClicks(tab.query_edit, "Chair")
    with qtbot.waitSignal(tab.search_finished, timeout=20000) as blocker:
        qtbot.keyClick(tab.query_edit, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert result.rows
    assert all("chair" in str(row[1]).lower() or "chair" in str(row[0]).lower() for row in result.rows)
    assert tab.proxy.rowCount() == len(result.rows)


def test_keyboard_shortcuts(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.lookup_tab
    window.tabs.setCurrentIndex(0)
    tick(window, "customers")
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    # Every tab and main button has a mnemonic (an underlined letter reachable with Alt).
    assert all("&" in window.tabs.tabText(i) for i in range(window.tabs.count()))
    for button in (
        window.company_bar.manage_button,
        window.company_bar.demo_button,
        window.report_page.output.browse_button,
        window.report_page.export_button,
        window.report_page.more_button,
    ):
        assert "&" in button.text()
    # Alt+N opens the filters and columns ("More optio&ns…"); the View menu has them too.
    options = window.report_page.options_dialog
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(options.isVisible)
    assert options.report_tabs.currentWidget() is window.report_page.pages()["customers"]
    options.reject()
    qtbot.waitUntil(lambda: not options.isVisible())
    window.options_action.trigger()
    assert options.isVisible()
    options.reject()


def test_demo_export_works_end_to_end(qtbot, make_window) -> None:
    window = make_window()
    window.company_bar.start_demo()
    tick(window, "products")
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as blocker:
        window.export_action.trigger()
    rows = sheet_rows(blocker.args[0].files[0])
    assert len(rows) - 1 == blocker.args[0].sheets[0].rows > 0


def test_window_remembers_choices(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    first = make_window()
    connect(first, sandbox)
    tick(first, "customers", "suppliers")
    first.report_page.pages()["customers"].columns.set_columns(["Name", "Currency"])
    first.report_page.pages()["customers"].filters.input_for("Name").setText("Harbour")
    first.report_page.date_row.set_spec("this-year")
    first.report_page.output.format_combo.setCurrentIndex(
        first.report_page.output.format_combo.findData("csv")
    )
    first.resize(700, 500)  # inside the offscreen screen (800 x 600), so nothing is clamped
    size = (first.width(), first.height())
    first.close()

    second = make_window(first.services)
    assert second.report_page.report_picker.selected_keys() == ["customers", "suppliers"]
    assert list(second.report_page.pages()["customers"].columns.columns()) == ["Name", "Currency"]
    assert second.report_page.pages()["customers"].filters.values() == {"Name": "Harbour"}
    # Brought back behind "More options", and named on the page from the start.
    assert second.report_page.options_summary.text().startswith("Customers: Customer name: Harbour · ")
    assert second.report_page.date_row.spec() == "this-year"
    assert second.report_page.output.output_format().value == "csv"
    assert second.company_bar.connection_name() == "Acme test"
    assert (second.width(), second.height()) == size
