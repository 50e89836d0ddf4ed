"""Line rows filled with their product's category from DEAR's product list, against the sandbox over HTTP.

The sandbox has more than 2,000 products, so the product list takes three requests of 1,000: the
tests count exactly those (per report and per export), check the estimate counts them too, and
read the workbook back cell by cell against the categories GET /product gives.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from app import catalogue
from app.api.paging import ListStats
from app.models import CancelToken, ColumnSpec, ExportRequest, ReportRequest
from app.sandbox import Sandbox
from app.services.cache import CacheService
from app.services.exporting import ExportService
from app.services.exporting.product_fields import (
    ProductLookup,
    ProductTable,
    chosen_product_fields,
    reading_words,
)
from tests.services.exporting.test_run import about, connect, drive, sheet_rows

SALES = 40
PRODUCTS = 2300


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, seed=4, counts={"sale": SALES, "product": PRODUCTS, "customer": 20})


def _products(sb: Sandbox) -> list[dict[str, Any]]:
    """Every product DEAR (the sandbox) lists, deprecated ones included, read page by page over HTTP."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        response = requests.get(
            sb.base_url + "product",
            params={"Page": page, "Limit": 1000, "IncludeDeprecated": "true"},
            headers=sb.headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text[:200]
        batch = response.json()["Products"]
        rows.extend(batch)
        if len(batch) < 1000:
            return rows
        page += 1


def _pages(sb: Sandbox) -> int:
    return math.ceil(len(_products(sb)) / 1000)


def _export(sb: Sandbox, path: Path, *reports: ReportRequest) -> tuple[int, int, list[str]]:
    """Export; return (all requests, product-list requests, progress messages)."""
    sb.reset_counts()
    request = ExportRequest(connect(sb), reports, path, use_cache=False)
    events, result = drive(ExportService(cache=None).run, request, CancelToken())
    assert result.complete
    return sb.total_calls, sb.call_counts().get("product", 0), [event.message for event in events]


def _columns(key: str, *more: str) -> tuple[str, ...]:
    return (*(c.field for c in catalogue.get(key).columns if c.default), *more)


@pytest.mark.parametrize("key", ["sale-profit-lines", "sale-invoice-lines", "sale-order-lines"])
def test_category_cells_are_the_products_categories(sb: Sandbox, tmp_path: Path, key: str) -> None:
    columns = _columns(key, "Category", "ProductID")
    target = tmp_path / "lines.xlsx"
    _, product_calls, messages = _export(sb, target, ReportRequest(key, columns=columns))
    assert product_calls == _pages(sb) == math.ceil(PRODUCTS / 1000) == 3
    assert any(message.startswith("Reading products for their categories") for message in messages)

    category_of = {row["ID"].lower(): row["Category"] for row in _products(sb)}
    rows = sheet_rows(target, catalogue.sheet_title(catalogue.get(key)))
    header = rows[0]
    at_category, at_product = header.index("Category"), header.index("Product ID")
    checked, seen = 0, set()
    for cells in rows[1:]:
        row = cells + (None,) * (len(header) - len(cells))  # a read-only sheet drops empty last cells
        product = row[at_product]
        if product is None:  # an additional charge: no product, so no category
            assert row[at_category] is None, row
            continue
        assert row[at_category] == category_of[product.lower()], row
        checked += 1
        seen.add(row[at_category])
    assert checked > 50 and len(seen) > 2, (checked, seen)


def test_requests_rise_by_the_product_pages_and_the_estimate_counts_them(sb: Sandbox, tmp_path: Path) -> None:
    key = "sale-invoice-lines"
    plain = ReportRequest(key)  # Category is not a default column here: no product request
    with_category = ReportRequest(key, columns=_columns(key, "Category"))
    calls, product_calls, messages = _export(sb, tmp_path / "a.xlsx", plain)
    assert product_calls == 0 and not any("categories" in message for message in messages)
    more_calls, more_product_calls, _ = _export(sb, tmp_path / "b.xlsx", with_category)
    pages = _pages(sb)
    assert more_product_calls == pages == 3
    assert more_calls - calls == pages

    service = ExportService(cache=None)
    estimates = []
    for report in (plain, with_category):
        request = ExportRequest(connect(sb), (report,), tmp_path / "x.xlsx", use_cache=False)
        estimates.append(service.estimate(request, CancelToken()))
    assert estimates[1].calls - estimates[0].calls == pages
    # The export also asks who the company is (one request) besides what the estimate counts.
    assert estimates[1].calls == more_calls - 1
    total = len(_products(sb))
    assert (
        f"Reading {total:,} products for their categories takes 3 more requests." in estimates[1].explanation
    )
    assert "categories" not in estimates[0].explanation


def test_the_product_list_is_read_once_for_every_report_of_an_export(sb: Sandbox, tmp_path: Path) -> None:
    reports = (
        ReportRequest("sale-order-lines", columns=_columns("sale-order-lines", "Category")),
        ReportRequest("sale-profit-lines"),  # Category is one of its default columns
    )
    _, product_calls, _ = _export(sb, tmp_path / "both.xlsx", *reports)
    assert product_calls == _pages(sb) == 3
    request = ExportRequest(connect(sb), reports, tmp_path / "x.xlsx", use_cache=False)
    sb.reset_counts()
    estimate = ExportService(cache=None).estimate(request, CancelToken())
    assert sb.call_counts().get("product", 0) == 1  # one small request counts the products
    first, second = estimate.reports
    assert "categories" in first.explanation and "categories" not in second.explanation


def test_no_sales_in_range_read_no_products(sb: Sandbox, tmp_path: Path) -> None:
    report = ReportRequest("sale-profit-lines", date_from=date(1990, 1, 1), date_to=date(1990, 1, 2))
    _, product_calls, _ = _export(sb, tmp_path / "none.xlsx", report)
    assert product_calls == 0


def test_a_row_is_filled_by_product_id_else_sku_and_keeps_its_own_values() -> None:
    table = ProductTable(("Category", "Brand"))
    table.add({"ID": "AB-1", "SKU": "S1", "Category": "Tools", "Brand": "Acme"})
    table.add({"ID": "cd-2", "SKU": "S2", "Category": "Paint", "Brand": None})
    assert table.fill({"ProductID": "ab-1", "SKU": "S2"}) == {
        "ProductID": "ab-1",
        "SKU": "S2",
        "Category": "Tools",
        "Brand": "Acme",
    }
    assert table.fill({"SKU": "S2"})["Category"] == "Paint"
    assert table.fill({"SKU": "S1", "Category": "Own"})["Category"] == "Own"
    assert table.fill({"SKU": "nope", "Name": "Freight"}) == {"SKU": "nope", "Name": "Freight"}


def test_fields_are_read_only_when_a_chosen_column_shows_them() -> None:
    spec = catalogue.get("sale-invoice-lines")
    defaults = tuple(c for c in spec.columns if c.default)
    assert chosen_product_fields(spec, defaults) == ()
    category = next(c for c in spec.columns if c.field == "Category")
    assert not category.default
    assert chosen_product_fields(spec, (*defaults, category)) == ("Category",)
    assert catalogue.get("sale-profit-lines").product_fields == ("Category",)
    assert ProductLookup([("Category",), ("Category", "Brand"), ()]).fields == ("Category", "Brand")


def test_reading_words_name_the_columns_in_plain_english() -> None:
    columns = (ColumnSpec("Category", "Category"), ColumnSpec("Brand", "Brand"))
    assert reading_words(("Category",), columns) == "Reading products for their categories"
    assert (
        reading_words(("Category", "Brand"), columns, 1)
        == "Reading 1 product for their categories and brands"
    )


def test_with_the_record_cache_the_products_are_still_read_and_counted(sb: Sandbox, tmp_path: Path) -> None:
    """Sale documents come from the cache on a repeat; the categories are read again (never cached)."""
    service = ExportService(cache=CacheService(tmp_path / "data"))
    report = ReportRequest("sale-profit-lines")
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    drive(service.run, ExportRequest(connect(sb), (report,), first), CancelToken())
    pages = _pages(sb)
    sb.reset_counts()
    estimate = service.estimate(ExportRequest(connect(sb), (report,), second), CancelToken())
    assert estimate.from_cache == SALES  # every sale document is served by this computer
    sb.reset_counts()
    _, warm = drive(service.run, ExportRequest(connect(sb), (report,), second), CancelToken())
    assert warm.from_cache == estimate.from_cache > 0
    assert sb.call_counts().get("sale", 0) == 0
    assert sb.total_calls == estimate.calls + 1  # + the export's "who is the company" request
    # the categories (3 pages), and the cache's one check of the products changed since it saved
    assert sb.call_counts()["product"] == pages + 1
    title = catalogue.sheet_title(catalogue.get("sale-profit-lines"))
    assert sheet_rows(first, title) == sheet_rows(second, title)


def test_the_note_says_the_categories_are_todays_and_names_what_could_not_be_read() -> None:
    table = ProductTable(("Category",))
    table.stats = ListStats(total=2300, unique=2300, complete=True, missing=0, pages=3, rewalks=0)
    assert table.note() == (
        "The categories are the products' categories today, as DEAR's product list gives them, "
        "not as they were at the time of each sale."
    )
    table.stats = ListStats(total=2300, unique=2290, complete=False, missing=10, pages=9, rewalks=5)
    assert table.note().endswith(
        " 10 of 2,300 products could not be read because DEAR's product list kept changing, "
        "so their lines have no categories; export again to fill them in."
    )


def test_the_about_sheet_says_where_the_categories_come_from(sb: Sandbox, tmp_path: Path) -> None:
    target = tmp_path / "p.xlsx"
    _export(sb, target, ReportRequest("sale-profit-lines"))
    notes = " ".join(text for texts in about(target).values() for text in texts)
    assert "The categories are the products' categories today" in notes
    _export(sb, tmp_path / "i.xlsx", ReportRequest("sale-invoice-lines"))
    notes = " ".join(text for texts in about(tmp_path / "i.xlsx").values() for text in texts)
    assert "categories" not in notes
