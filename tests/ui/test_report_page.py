"""The Export tab: file names from reports and dates, what the dates mean, the Tab key's path."""

from __future__ import annotations

from datetime import date

import pytest

from app.sandbox import Sandbox
from tests.ui.conftest import tick

# The offscreen platform says this about every top-level window it shows; it is not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_default_name_follows_reports_and_dates(make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "sale-order-lines")
    window.report_page.date_row.set_spec("2026-10-01..2026-10-31")
    assert window.report_page.output.path().name == "Sale order lines 2026-10-01 to 2026-10-31.xlsx"
    window.report_page.output.format_combo.setCurrentIndex(
        window.report_page.output.format_combo.findData("csv")
    )
    assert window.report_page.output.path().name == "Sale order lines 2026-10-01 to 2026-10-31.csv"
    # Sale lines are picked by their order date, which the export compares itself.
    request = window.report_page.build_request(window.company_bar.current_connection())
    [report] = request.reports
    assert (report.date_from, report.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert "order date" in window.report_page.pages()["sale-order-lines"].filters.note.text()
    # Reports without a business date get the range in their main DEAR filter instead.
    tick(window, "customers")
    request = window.report_page.build_request(window.company_bar.current_connection())
    customers = next(r for r in request.reports if r.key == "customers")
    assert customers.filters["ModifiedSince"].startswith(("2026-09-30", "2026-10-01"))
    assert "Changed since" in window.report_page.pages()["customers"].filters.note.text()


def test_the_window_says_which_date_the_range_means(make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "sale-order-lines", "sale-invoice-lines", "customers", "units")
    hint = window.report_page.dates_hint.text()
    assert "Sale order lines: order date" in hint
    assert "Sale invoice lines: invoice date" in hint
    assert "Customers: changed since" in hint
    assert "Units of measure: not dated (all records)" in hint
    # The range in words leads the line (it has no place of its own beside the date boxes).
    assert not window.report_page.date_row.summary.isVisible()
    window.report_page.date_row.set_spec("2026-01-05..2026-02-10")
    assert window.report_page.dates_hint.text().startswith("05 Jan 2026 to 10 Feb 2026. The dates apply to ")
    window.report_page.date_row.set_spec("")
    assert window.report_page.dates_hint.text().startswith("Every record, whatever its date. The dates")


def _chain(first, last, limit: int = 200) -> dict[int, int]:
    chain = [first]
    while len(chain) < limit and chain[-1] is not last:
        chain.append(chain[-1].nextInFocusChain())
    return {id(widget): index for index, widget in enumerate(chain)}


def test_tab_order_runs_top_to_bottom(make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers")
    report_page = window.report_page
    position = _chain(report_page.report_picker.search, report_page.export_panel.log)
    order = [
        report_page.report_picker.tree,
        report_page.date_row.combo,
        report_page.more_button,
        report_page.output.path_edit,
        report_page.output.format_combo,
        report_page.export_button,
        report_page.export_panel.cancel_button,
    ]
    indexes = [position[id(widget)] for widget in order]
    assert indexes == sorted(indexes)
    # The options window has its own path: the report's tabs, its filters, its columns, Close.
    page = report_page.pages()["customers"]
    options = report_page.options_dialog
    position = _chain(report_page.report_tabs, options.close_button)
    order = [report_page.report_tabs, page.filters.input_for("Name"), page.columns.list, options.close_button]
    indexes = [position[id(widget)] for widget in order]
    assert indexes == sorted(indexes)
