"""The whole window against the sandbox: export, cancel, wrong key, throttling, estimate, settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests
from PySide6.QtCore import Qt

from app.paths import documents_dir
from app.sandbox import Sandbox

# The offscreen platform says this about every top-level window it shows; it is not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def _all(sb: Sandbox, path: str, key: str) -> list[dict[str, Any]]:
    response = requests.get(sb.base_url + path, params={"Limit": 1000}, headers=sb.headers, timeout=30)
    assert response.status_code == 200
    return response.json()[key]


def _tick(window: Any, *keys: str) -> None:
    for key in keys:
        window.report_page.report_picker.item_for(key).setCheckState(0, Qt.CheckState.Checked)


def _sheet_rows(path: Path, sheet: str | None = None) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[sheet or book.sheetnames[0]].iter_rows(values_only=True))
    finally:
        book.close()


def test_export_end_to_end_writes_what_was_asked(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    _tick(window, "customers")
    page = window.report_page.pages()["customers"]
    picker = page.columns
    # Keep three columns, in a new order: move the second to the top.
    wanted = list(picker.columns()[:3])
    picker.set_columns(wanted)
    picker.list.setCurrentRow(1)
    qtbot.mouseClick(picker.up_button, Qt.MouseButton.LeftButton)
    order = [wanted[1], wanted[0], wanted[2]]
    assert list(picker.columns()) == order

    target = window.report_page.output_path()
    assert target.parent == documents_dir()
    assert target.name == f"Customers {date.today().isoformat()}.xlsx"

    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as blocker:
        qtbot.mouseClick(window.report_page.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert target in result.files

    customers = _all(sandbox, "customer", "CustomerList")
    headers = {c.field: c.header for c in page.spec.columns}
    rows = _sheet_rows(target)
    assert list(rows[0]) == [headers[f] for f in order]
    assert len(rows) - 1 == len(customers)
    expected = sorted(tuple(str(c.get(f) or "") for f in order) for c in customers)
    written = sorted(tuple("" if v is None else str(v) for v in row) for row in rows[1:])
    assert written == expected
    assert window.report_page.export_panel.open_button.isVisible()
    assert "Done" in window.report_page.export_panel.status.text()


def test_default_name_follows_reports_and_dates(make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    _tick(window, "sale-order-lines")
    window.report_page.date_row.set_spec("2026-10-01..2026-10-31")
    assert window.report_page.output_path().name == "Sale order lines 2026-10-01 to 2026-10-31.xlsx"
    window.report_page.format_combo.setCurrentIndex(window.report_page.format_combo.findData("csv"))
    assert window.report_page.output_path().name == "Sale order lines 2026-10-01 to 2026-10-31.csv"
    # Sale lines are picked by their order date, which the export compares itself.
    request = window.report_page.build_request(window.company_bar.current_connection())
    [report] = request.reports
    assert (report.date_from, report.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert "order date" in window.report_page.pages()["sale-order-lines"].filters.note.text()
    # Reports without a business date get the range in their main DEAR filter instead.
    _tick(window, "customers")
    request = window.report_page.build_request(window.company_bar.current_connection())
    customers = next(r for r in request.reports if r.key == "customers")
    assert customers.filters["ModifiedSince"].startswith(("2026-09-30", "2026-10-01"))
    assert "Changed since" in window.report_page.pages()["customers"].filters.note.text()


def test_cancel_mid_export_leaves_no_file(qtbot, make_window, connect, make_sandbox) -> None:
    sb = make_sandbox(rate_limit=None, latency_ms=30)
    window = make_window()
    connect(window, sb)
    _tick(window, "sale-order-lines")
    target = window.report_page.output_path()
    with qtbot.waitSignal(window.exports.cancelled, timeout=30000):
        assert window.start_export()
        # Wait until the export is truly under way (detail requests counted), then press Esc.
        qtbot.waitUntil(lambda: window.exports.exporting and sb.total_calls > 5, timeout=20000)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left beside it either
    assert "cancelled" in window.report_page.export_panel.status.text().lower()
    qtbot.waitUntil(lambda: not window.exports.busy)
    assert window.report_page.export_button.isEnabled()


def test_wrong_key_says_what_to_check(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox, key="0000-wrong-key-0000")
    _tick(window, "customers")
    with qtbot.waitSignal(window.exports.failed, timeout=30000) as blocker:
        window.start_export()
    panel = window.report_page.export_panel
    assert panel.error_frame.isVisible()
    assert "Integrations" in panel.error_hint.text()
    assert panel.feedback is not None
    assert "0000-wrong-key-0000" not in panel.feedback.details
    assert "0000-wrong-key-0000" not in panel.error_message.text()
    assert type(blocker.args[0]).__name__ == "AuthenticationError"
    assert panel.copy_button.isVisible()
    panel.copy_button.click()  # geometry may still be settling in the scroll area; click() needs none
    from PySide6.QtGui import QGuiApplication

    copied = QGuiApplication.clipboard().text()
    assert panel.feedback.message in copied
    assert "0000-wrong-key-0000" not in copied
    assert not window.report_page.output_path().exists()


def test_throttled_run_shows_the_waiting_note_and_completes(
    qtbot, make_window, connect, make_sandbox
) -> None:
    # A compressed limit: 2 requests every 2 seconds, on the server and as the connection's share.
    sb = make_sandbox(rate_limit=(2, 2.0))
    window = make_window()
    connect(window, sb, limit="2/2")
    _tick(window, "sale-order-lines")
    page = window.report_page.pages()["sale-order-lines"]
    # One sale: the estimate, the list and one detail request, so the third must wait.
    page.filters.input_for("Search").setText("SO-00012")
    notes: list[str] = []
    panel = window.report_page.export_panel

    def note_seen() -> bool:
        if panel.wait_label.isVisible():
            notes.append(panel.wait_label.text())
        return bool(notes)

    with qtbot.waitSignal(window.exports.succeeded, timeout=60000) as blocker:
        window.start_export()
        qtbot.waitUntil(note_seen, timeout=30000)
    assert "continuing in" in notes[0]
    assert "DEAR" in notes[0]
    result = blocker.args[0]
    assert result.complete
    rows = _sheet_rows(result.files[0])
    assert len(rows) > 1
    order_numbers = {row[0] for row in rows[1:]}
    assert order_numbers == {"SO-00012"}
    assert sb.throttled_count == 0  # we waited instead of being refused


def test_long_export_asks_first_and_can_be_narrowed(
    qtbot, make_window, connect, sandbox: Sandbox, answers
) -> None:
    window = make_window()
    connect(window, sandbox, limit="60/60")  # 300 sales at DEAR's own limit: about five minutes
    _tick(window, "sale-order-lines")
    answers.answer = answers.answer.No
    sandbox.reset_counts()
    with qtbot.waitSignal(window.exports.cancelled, timeout=30000):
        window.start_export()
    [(title, text)] = answers.asked
    assert "take a while" in title
    assert "need one request each" in text
    assert "minutes" in text
    assert "narrow" in window.report_page.export_panel.status.text().lower()
    assert not window.report_page.output_path().exists()
    assert sandbox.total_calls == 1  # only the estimate's one small request


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


def test_preset_saved_then_run_with_a_double_click(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    _tick(window, "suppliers")
    window.report_page.date_row.set_spec("last-month")
    panel = window.presets_panel
    panel.name_edit.setText("Monthly suppliers")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.list.count() == 1
    preset = window.services.presets.load("Monthly suppliers")
    assert preset.connection == "Acme test"
    assert preset.date_range == "last-month"
    assert [r.key for r in preset.reports] == ["suppliers"]

    window.tabs.setCurrentWidget(panel)
    item = panel.list.item(0)
    qtbot.waitUntil(lambda: panel.list.isVisible() and not panel.list.visualItemRect(item).isEmpty())
    where = panel.list.visualItemRect(item).center()
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as blocker:
        # A real double-click is a press and release, then the double-click event.
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    result = blocker.args[0]
    written = result.files[0]
    span = window.report_page.date_row.chosen_range()
    assert written.name == f"Monthly suppliers {span.start.isoformat()} to {span.end.isoformat()}.xlsx"
    rows = _sheet_rows(written)
    assert rows[0][0] == window.report_page.pages()["suppliers"].spec.columns[0].header


def test_window_remembers_choices(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    first = make_window()
    connect(first, sandbox)
    _tick(first, "customers", "suppliers")
    first.report_page.pages()["customers"].columns.set_columns(["Name", "Currency"])
    first.report_page.pages()["customers"].filters.input_for("Name").setText("Harbour")
    first.report_page.date_row.set_spec("this-year")
    first.report_page.format_combo.setCurrentIndex(first.report_page.format_combo.findData("csv"))
    first.resize(700, 500)  # inside the offscreen screen (800 x 600), so nothing is clamped
    size = (first.width(), first.height())
    first.close()

    second = make_window(first.services)
    assert second.report_page.report_picker.selected_keys() == ["customers", "suppliers"]
    assert list(second.report_page.pages()["customers"].columns.columns()) == ["Name", "Currency"]
    assert second.report_page.pages()["customers"].filters.values() == {"Name": "Harbour"}
    assert second.report_page.date_row.spec() == "this-year"
    assert second.report_page.output_format().value == "csv"
    assert second.company_bar.connection_name() == "Acme test"
    assert (second.width(), second.height()) == size


def test_first_run_offers_the_demo(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.company_bar.maybe_show_first_run()
    assert dialog is not None
    assert "Integrations" in dialog.findChild(type(dialog.layout().itemAt(0).widget())).text()
    with qtbot.waitSignal(window.company_bar.demo_started, timeout=10000):
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert window.company_bar.demo_banner.isVisible()
    assert "DEMO" in window.windowTitle()
    assert window.company_bar.current_connection().demo
    assert window.company_bar.maybe_show_first_run() is None  # only once


def test_demo_export_works_end_to_end(qtbot, make_window) -> None:
    window = make_window()
    window.company_bar.start_demo()
    _tick(window, "products")
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as blocker:
        window.export_action.trigger()
    rows = _sheet_rows(blocker.args[0].files[0])
    assert len(rows) - 1 == blocker.args[0].sheets[0].rows > 0


def test_long_export_goes_ahead_when_confirmed(
    qtbot, make_window, connect, sandbox: Sandbox, answers
) -> None:
    window = make_window()
    connect(window, sandbox, limit="60/60")
    _tick(window, "sale-order-lines")
    with qtbot.waitSignal(window.exports.estimate_ready, timeout=30000):
        window.start_export()
    qtbot.waitUntil(lambda: window.exports.exporting)
    assert answers.asked and window.report_page.export_panel.cancel_button.isEnabled()
    with qtbot.waitSignal(window.exports.cancelled, timeout=30000):
        qtbot.mouseClick(window.report_page.export_panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.report_page.output_path().exists()


def test_keyboard_shortcuts(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.lookup_tab
    window.tabs.setCurrentIndex(0)
    _tick(window, "customers")
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    # Every tab and main button has a mnemonic (an underlined letter reachable with Alt).
    assert all("&" in window.tabs.tabText(i) for i in range(window.tabs.count()))
    for button in (
        window.company_bar.manage_button,
        window.company_bar.demo_button,
        window.report_page.browse_button,
        window.report_page.export_button,
    ):
        assert "&" in button.text()


def test_preset_export_and_import_files(
    qtbot, make_window, connect, sandbox: Sandbox, save_dialog, answers, tmp_path: Path
) -> None:
    window = make_window()
    connect(window, sandbox)
    _tick(window, "customers")
    panel = window.presets_panel
    panel.name_edit.setText("Shared customers")
    panel.save_button.click()
    shared = tmp_path / "shared.json"
    save_dialog(shared)
    panel.export_button.click()
    assert shared.is_file() and "Shared customers" in shared.read_text(encoding="utf-8")
    assert sandbox.application_key not in shared.read_text(encoding="utf-8")

    panel.delete_button.click()
    assert panel.list.count() == 0
    panel.import_button.click()
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == ["Shared customers"]
    # Importing the same file again asks before replacing.
    panel.import_button.click()
    assert any("Replace" in title for title, _ in answers.asked)
    assert panel.list.count() == 1


def test_tab_order_runs_top_to_bottom(make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    _tick(window, "customers")
    page = window.report_page.pages()["customers"]
    chain = [window.report_page.report_picker.search]
    while len(chain) < 200:
        chain.append(chain[-1].nextInFocusChain())
        if chain[-1] is window.report_page.export_panel.log:
            break
    position = {id(widget): index for index, widget in enumerate(chain)}
    name_filter = page.filters.input_for("Name")
    order = [
        window.report_page.report_picker.tree,
        window.report_page.date_row.combo,
        name_filter,
        page.columns.list,
        window.report_page.format_combo,
        window.report_page.path_edit,
        window.report_page.export_button,
        window.report_page.export_panel.cancel_button,
    ]
    indexes = [position[id(widget)] for widget in order]
    assert indexes == sorted(indexes)


def test_dear_throttling_is_waited_out_with_a_note(qtbot, make_window, connect, make_sandbox) -> None:
    # The server allows one request every 2 s, but this connection's share claims far more:
    # DEAR answers "limit reached" (503) and the app waits, says so, and carries on.
    sb = make_sandbox(rate_limit=(1, 2.0))
    window = make_window()
    connect(window, sb, limit="60/12")
    _tick(window, "sale-order-lines")
    window.report_page.pages()["sale-order-lines"].filters.input_for("Search").setText("SO-00012")
    notes: list[str] = []
    panel = window.report_page.export_panel

    def note_seen() -> bool:
        if panel.wait_label.isVisible():
            notes.append(panel.wait_label.text())
        return bool(notes)

    with qtbot.waitSignal(window.exports.succeeded, timeout=60000) as blocker:
        window.start_export()
        qtbot.waitUntil(note_seen, timeout=30000)
    assert "slow down" in notes[0] and "continuing in" in notes[0]
    assert sb.throttled_count >= 1
    rows = _sheet_rows(blocker.args[0].files[0])
    assert {row[0] for row in rows[1:]} == {"SO-00012"}


def test_repeat_export_says_it_used_the_cache_and_refresh_or_clear_fetch_everything(
    qtbot, make_window, connect, make_sandbox, answers
) -> None:
    sandbox = make_sandbox(rate_limit=None, counts={"sale": 30})
    window = make_window()
    connect(window, sandbox)
    _tick(window, "sale-order-lines")
    window.report_page.date_row.set_spec("")  # all dates: every sale is read in detail

    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as first:
        assert window.start_export()
    assert first.args[0].from_cache == 0
    assert "local cache" not in window.report_page.export_panel.status.text()

    qtbot.waitUntil(lambda: not window.exports.busy)
    sandbox.reset_counts()
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as second:
        assert window.start_export()
    assert second.args[0].from_cache == 30
    assert sandbox.call_counts().get("sale", 0) == 0
    assert (
        "30 records were unchanged in DEAR and came from the local cache"
        in window.report_page.export_panel.status.text()
    )

    qtbot.waitUntil(lambda: not window.exports.busy)
    sandbox.reset_counts()
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as refreshed:
        window.refresh_action.trigger()
    assert refreshed.args[0].from_cache == 0
    assert sandbox.call_counts()["sale"] == 30

    qtbot.waitUntil(lambda: not window.exports.busy)
    assert window.clear_cache() == 1
    assert "Cleared the local cache of Acme test" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.exports.busy)
    sandbox.reset_counts()
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as cleared:
        assert window.start_export()
    assert cleared.args[0].from_cache == 0
    assert sandbox.call_counts()["sale"] == 30


def test_the_window_says_which_date_the_range_means(make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    _tick(window, "sale-order-lines", "sale-invoice-lines", "customers", "units")
    hint = window.report_page.dates_hint.text()
    assert "Sale order lines: order date" in hint
    assert "Sale invoice lines: invoice date" in hint
    assert "Customers: changed since" in hint
    assert "Units of measure: not dated (all records)" in hint
