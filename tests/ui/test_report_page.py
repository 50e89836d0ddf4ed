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


def test_tab_order_runs_top_to_bottom(make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers")
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
        window.report_page.output.format_combo,
        window.report_page.output.path_edit,
        window.report_page.export_button,
        window.report_page.export_panel.cancel_button,
    ]
    indexes = [position[id(widget)] for widget in order]
    assert indexes == sorted(indexes)
