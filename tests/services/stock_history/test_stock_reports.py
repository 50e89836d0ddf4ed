"""The stock history reports through the export service: the stock check, the estimate, the columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from app import catalogue
from app.catalogue.flatten import has_path
from app.catalogue.stock_history import movement_rows
from app.models import CancelToken, ExportRequest, Progress, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting import ExportService
from app.services.stock_history.book import StockBook
from tests.services.exporting.test_run import connect, sheet_rows

TODAY = date(2026, 11, 30)


def test_a_movement_that_lands_between_the_two_reads_is_shown_as_a_mismatch(
    make_sandbox: Callable[..., Sandbox], tmp_path: Path
) -> None:
    sb = make_sandbox(rate_limit=None, today=TODAY)
    ds = sb.dataset
    shipped = next(i for i in range(ds.counts["sale"]) if ds.sales[i]["CombinedShippingStatus"] == "SHIPPED")
    sale = ds.detail("sale", shipped)
    line = sale["Fulfilments"][0]["Pick"]["Lines"][0]
    touched: list[str] = []

    def on_progress(event: Progress) -> None:
        # The products (and their movements) are read; a sale ships one more unit before the stock list.
        if "stock rows" in event.message and not touched:
            touched.extend(sb.touch("sale", sale["ID"]))

    target = tmp_path / "d.xlsx"
    request = ExportRequest(connect(sb), (ReportRequest("stock-at-date", {"AsOf": "2026-10-31"}),), target)
    result = ExportService(cache=None).run(request, CancelToken(), on_progress)
    assert touched
    note = result.sheets[0].note
    assert "Stock check FAILED at 1 of" in note
    assert f"{line['SKU']} at {line['Location']}: movements add up to" in note
    check = sheet_rows(target, "Stock check")
    assert check[0] == (
        "SKU", "Product", "Location", "Batch or serial", "Movements add up to", "Stock on hand today",
        "Difference",
    )  # fmt: skip
    ((sku, _, location, _, moved, on_hand, difference),) = check[1:]
    assert (sku, location, difference) == (line["SKU"], line["Location"], -1)
    assert on_hand == moved - 1
    about = "\n".join(" ".join(map(str, row)) for row in sheet_rows(target, "About this export"))
    assert "Stock check FAILED" in about


def test_the_estimate_says_movements_are_read_every_time(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, today=TODAY)
    request = ExportRequest(connect(sb), (ReportRequest("stock-at-date"),), Path("unused.xlsx"))
    sb.reset_counts()
    estimate = ExportService(cache=None).estimate(request, CancelToken())
    products = sb.dataset.counts["product"]
    stock_rows = len(sb.dataset.availability_keys())
    assert estimate.calls == -(-products // 100) + -(-stock_rows // 1000)
    assert "read again on every export" in estimate.explanation
    assert sb.call_counts()["product"] == 1  # one small request to count them


def test_computed_columns_resolve_on_rows_built_from_sandbox_data(sandbox: Sandbox) -> None:
    import requests

    params = {"Limit": 1000, "IncludeMovements": "true", "IncludeDeprecated": "true"}
    products = requests.get(sandbox.base_url + "product", params=params, headers=sandbox.headers, timeout=30)
    stock = requests.get(
        sandbox.base_url + "ref/productavailability",
        params={"Limit": 1000},
        headers=sandbox.headers,
        timeout=30,
    )
    book = StockBook(sandbox.dataset.today, date(2026, 1, 1))
    movement_list = []
    for product in products.json()["Products"]:
        book.add_product(product)
        movement_list.extend(movement_rows(product))
    for row in stock.json()["ProductAvailabilityList"]:
        book.add_availability(row)
    built = {
        "stock-movements": movement_list,
        "stock-at-date": list(book.at_date_rows()),
        "stock-movement-summary": list(book.summary_rows()),
    }
    for key, rows in built.items():
        assert rows, key
        for column in catalogue.get(key).columns:
            assert any(has_path(row, column.field) for row in rows), (key, column.field)
