"""The window's text follows what happens: preset runs, the preset's file name, empty results, the log."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QLineEdit

from app.models import ExportResult, Progress, RateLimit, SheetSummary
from app.sandbox import Sandbox
from app.ui.export_panel import ExportPanel
from app.ui.option_summary import shown_value
from tests.ui.conftest import tick

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_the_presets_tab_says_how_the_run_ended(qtbot, make_window, connect, make_sandbox) -> None:
    window = make_window()
    connect(window, make_sandbox(rate_limit=None))
    tick(window, "suppliers")
    panel = window.presets_panel
    assert panel.save_current("Suppliers")
    with qtbot.waitSignal(window.exports.succeeded, timeout=30_000):
        assert panel.run_preset("Suppliers")
        assert "Running" in panel.status.text()
    assert "Running" not in panel.status.text()
    assert panel.status.text().startswith("'Suppliers': Done:")
    # "Save to" names the file the preset wrote.
    assert window.report_page.output.path() == window.report_page.export_panel.files[0]

    # A cancelled run says so too.
    slow = make_sandbox(rate_limit=None, latency_ms=30)
    connect(window, slow, name="Slow")
    tick(window, "sale-order-lines")
    assert panel.save_current("Sale lines")
    with qtbot.waitSignal(window.exports.cancelled, timeout=30_000):
        assert panel.run_preset("Sale lines")
        qtbot.waitUntil(lambda: window.exports.exporting and slow.total_calls > 3, timeout=20_000)
        window.cancel()
    assert panel.status.text() == "'Sale lines': Cancelled. No file was written."


def test_save_to_shows_the_file_the_preset_writes(make_window, connect, sandbox: Sandbox, tmp_path) -> None:
    window = make_window()
    connect(window, sandbox)
    store = window.services.presets
    tick(window, "customers")
    window.report_page.date_row.set_spec("last-month")
    preset = replace(
        window.report_page.to_preset("Month end", "{preset} for {range}", "Acme test"),
        output_folder=str(tmp_path),
    )
    store.save(preset)
    tick(window, "suppliers")  # the screen moves on; showing the preset brings its own name back
    window.presets_panel.load_preset("Month end")
    today = window.services.today()
    resolved = store.resolve(preset, today, connection=window.company_bar.current_connection())
    assert window.report_page.output.path() == resolved.output
    assert window.report_page.output.path_edit.text() == str(resolved.output)
    assert resolved.output == tmp_path / "Month end for Last month.xlsx"


def test_an_empty_result_names_the_filters_that_were_set(
    qtbot, make_window, connect, sandbox: Sandbox
) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers")
    page = window.report_page
    form = page.pages()["customers"].filters
    form.input_for("Name").setText("Nobody by this name")
    assert page.options_summary.text() == "Customer name: Nobody by this name"
    with qtbot.waitSignal(window.exports.succeeded, timeout=30_000) as blocker:
        assert window.start_export()
    assert sum(sheet.rows for sheet in blocker.args[0].sheets) == 0
    status = page.export_panel.status.text()
    assert status.startswith("Done: 0 rows")
    assert "No records matched: Customer name: Nobody by this name." in status
    assert "No records matched" in page.export_panel.log.toPlainText()


def test_the_summary_names_every_choice_that_is_not_the_default(make_window, connect, sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers")
    page = window.report_page
    assert page.options_summary.text() == "No filters; the usual columns."
    columns = page.pages()["customers"].columns
    usual = list(columns.columns())
    columns.set_columns(usual[:-3])
    assert page.options_summary.text() == "3 columns hidden"
    page.pages()["customers"].filters.input_for("Name").setText("Harbour")
    assert page.options_summary.text() == "Customer name: Harbour · 3 columns hidden"
    tick(window, "suppliers")
    assert page.options_summary.text() == "Customers: Customer name: Harbour · 3 columns hidden"
    columns.restore_defaults()
    page.pages()["customers"].filters.input_for("Name").setText("")
    assert page.options_summary.text() == "No filters; the usual columns."


def test_the_log_follows_its_newest_line_and_never_repeats_one(qtbot) -> None:
    panel = ExportPanel()
    qtbot.addWidget(panel)
    panel.resize(400, 200)
    panel.show()
    qtbot.waitExposed(panel)
    panel.begin("Exporting…", RateLimit())
    for number in range(60):
        panel.add_log(f"line {number}")
        panel.add_log(f"line {number}")  # said twice running: kept once
    text = panel.log.toPlainText()
    assert text.count("line 7\n") == 1 and "line 59" in text
    bar = panel.log.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    # Scrolled up by the user, the log still shows the newest line when one arrives.
    bar.setValue(0)
    panel.add_log("the newest line")
    assert bar.value() == bar.maximum()
    # Made smaller (a failure's message takes the room), it still ends on its newest line.
    panel.resize(400, 120)
    qtbot.waitUntil(lambda: panel.log.height() < 150)
    assert bar.value() == bar.maximum()
    # Each phase's first message is logged once, without the counts the counts line shows.
    for done in range(1, 4):
        panel.show_progress(Progress("details", f"Reading sales: {done} of 3", done, 3))
    assert panel.log.toPlainText().count("Reading sales") == 1
    panel.show_success(ExportResult((), (SheetSummary("Sales", 3),), 4, 2.0))
    assert panel.counts.text() == "3 of 3 records · 0 requests to DEAR"


def test_the_time_left_is_cleared_when_an_export_stops(qtbot) -> None:
    panel = ExportPanel()
    qtbot.addWidget(panel)
    panel.begin("Exporting…", RateLimit())
    panel.show_progress(Progress("details", "Reading sales: 49 of 2,000", 49, 2000, 55, 1951, 0.0, 1980.0))
    assert "about 33 minutes left" in panel.counts.text()
    panel.show_cancelled()
    assert panel.counts.text() == "49 of 2,000 records · 55 requests to DEAR"
    panel.begin("Exporting…", RateLimit())
    assert panel.counts.text() == ""


def test_a_filter_input_of_its_own_kind_names_its_value(qtbot) -> None:
    class NamePicker(QLineEdit):
        def display_text(self) -> str:
            return "Main warehouse"

    picker = NamePicker()
    qtbot.addWidget(picker)
    picker.setText("4f2c-location-id")
    assert shown_value(picker, "4f2c-location-id") == "Main warehouse"
    plain = QLineEdit()
    qtbot.addWidget(plain)
    plain.setText("Harbour")
    assert shown_value(plain, "Harbour") == "Harbour"
