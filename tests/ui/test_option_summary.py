"""The summary words: how columns differ from the defaults, and what an export ran with."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app import catalogue
from app.models import ColumnSpec, Connection, ExportRequest, ReportRequest
from app.ui.option_summary import column_words, request_summary

COLUMNS = (
    ColumnSpec("A", "A"),
    ColumnSpec("B", "B"),
    ColumnSpec("C", "C"),
    ColumnSpec("D", "D", default=False),
)


def test_column_words() -> None:
    assert column_words(COLUMNS, ["A", "B", "C"]) == []
    assert column_words(COLUMNS, ["A"]) == ["2 columns hidden"]
    assert column_words(COLUMNS, ["A", "B"]) == ["1 column hidden"]
    assert column_words(COLUMNS, ["A", "B", "C", "D"]) == ["1 column added"]
    assert column_words(COLUMNS, ["C", "B", "A"]) == ["columns reordered"]
    assert column_words(COLUMNS, ["A", "D"]) == ["2 columns hidden", "1 column added"]


def test_request_summary_names_dates_and_filters_in_report_words() -> None:
    specs = {spec.key: spec for spec in catalogue.ENDPOINTS}
    connection = Connection("Acme", "id", "key", "http://127.0.0.1:1/")
    lines = ReportRequest(
        "sale-order-lines",
        filters={"Status": "AUTHORISED"},
        date_from=date(2026, 10, 1),
        date_to=date(2026, 10, 31),
    )
    request = ExportRequest(connection, (lines,), Path("out.xlsx"))
    text = request_summary(request, specs, lambda _key, _name, value: value.title())
    status_label = next(f.label for f in specs["sale-order-lines"].filters if f.name == "Status")
    assert text == f"Order date: 01 Oct 2026 to 31 Oct 2026 · {status_label}: Authorised"
    # Nothing set: nothing to name.
    plain = ExportRequest(connection, (ReportRequest("customers"),), Path("out.xlsx"))
    assert request_summary(plain, specs) == ""
    # Several reports: each is named.
    both = ExportRequest(
        connection, (lines, ReportRequest("customers", filters={"Name": "Harbour"})), Path("o")
    )
    assert "Sale order lines: Order date" in request_summary(both, specs)
    assert "Customers: Customer name: Harbour" in request_summary(both, specs)
