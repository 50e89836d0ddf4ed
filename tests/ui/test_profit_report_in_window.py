"""The profit report in the window: listed under Sales with its line about where the cost comes from."""

from __future__ import annotations

import pytest

from app import catalogue
from app.sandbox import Sandbox

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_sale_profit_lines_is_under_sales_with_its_explanation(
    make_window, connect, sandbox: Sandbox
) -> None:
    window = make_window()
    connect(window, sandbox)
    picker = window.report_page.report_picker
    item = picker.item_for("sale-profit-lines")
    assert item.parent().text(0) == "Sales"
    assert item.text(0).startswith("Sale profit by line")
    spec = catalogue.get("sale-profit-lines")
    assert item.toolTip(0) == f"{spec.description} One row per line."  # the tree shows the name only
    assert "cost" in spec.description and "goods that left" in spec.description
    picker.tree.setCurrentItem(item)
    assert spec.description in picker.description.text().replace("&#x27;", "'")
    # Searching for "margin" or "profit" finds it.
    picker.search.setText("margin")
    assert not item.isHidden()
