"""The generated account: deterministic, consistent across endpoints, awkward where real data is."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import date

from app.sandbox import Dataset, Sandbox, SandboxConfig
from tests.sandbox.conftest import Get


def test_same_seed_same_data_other_seed_other_data() -> None:
    today = date(2026, 1, 31)
    a = Dataset(1, today, SandboxConfig().record_counts())
    b = Dataset(1, today, SandboxConfig().record_counts())
    c = Dataset(2, today, SandboxConfig().record_counts())
    assert list(a.sales) == list(b.sales)
    assert a.sale_detail(a.sales[17]["SaleID"]) == b.sale_detail(b.sales[17]["SaleID"])
    assert [s["SaleID"] for s in a.sales[:20]] != [s["SaleID"] for s in c.sales[:20]]


def test_small_dataset_is_quick_to_build_and_list() -> None:
    started = time.perf_counter()
    ds = Dataset(5, date(2026, 1, 31), SandboxConfig().record_counts())
    ds.index("sale"), ds.index("product"), ds.index("customer")
    assert time.perf_counter() - started < 0.5


def test_large_dataset_starts_without_building_everything(make_sandbox: Callable[..., Sandbox]) -> None:
    started = time.perf_counter()
    sb = make_sandbox(rate_limit=None, size="large")
    body = (
        __import__("requests")
        .get(sb.base_url + "saleList", params={"Page": 400, "Limit": 100}, headers=sb.headers, timeout=30)
        .json()
    )
    assert body["Total"] == 50_000 and len(body["SaleList"]) == 100
    assert body["SaleList"][0]["OrderNumber"] == "SO-39901"
    assert time.perf_counter() - started < 3
    assert len(sb.dataset.products) == 100_000


def test_count_overrides(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(counts={"sale": 2000, "customer": 7})
    assert len(sb.dataset.sales) == 2000 and len(sb.dataset.customers) == 7
    customer_ids = {c["ID"] for c in sb.dataset.customers}
    assert {s["CustomerID"] for s in sb.dataset.sales[:300]} <= customer_ids


def test_sales_reference_real_customers_products_and_locations(api: Get, sandbox: Sandbox) -> None:
    customers = {c["ID"]: c["Name"] for c in sandbox.dataset.customers}
    products = {p["ID"]: p for p in sandbox.dataset.products}
    warehouses = {w["ID"]: w["Name"] for w in sandbox.dataset.refs.warehouses}
    for row in api("saleList", Limit=40)["SaleList"]:
        assert customers[row["CustomerID"]] == row["Customer"]
        assert row["OrderLocationID"] in warehouses
        sale = api("sale", ID=row["SaleID"])
        assert sale["Location"] == warehouses[row["OrderLocationID"]]
        for line in sale["Order"]["Lines"]:
            assert products[line["ProductID"]]["SKU"] == line["SKU"]
            assert products[line["ProductID"]]["Name"] == line["Name"]
        if sale["Invoices"]:
            invoice = sale["Invoices"][0]
            credited = sum(c["Total"] for c in sale["CreditNotes"])
            assert round(invoice["Total"] - credited, 4) == row["InvoiceAmount"]
            assert invoice["Total"] == round(sum(x["Total"] + x["Tax"] for x in invoice["Lines"]), 4)


def test_purchases_and_stock_documents_reference_real_records(api: Get, sandbox: Sandbox) -> None:
    suppliers = {s["ID"]: s["Name"] for s in sandbox.dataset.suppliers}
    products = {p["ID"] for p in sandbox.dataset.products}
    locations = {w["Name"] for w in sandbox.dataset.refs.warehouses}
    for row in api("purchaseList", Limit=20)["PurchaseList"]:
        assert suppliers[row["SupplierID"]] == row["Supplier"]
        doc = api("advanced-purchase", ID=row["ID"])
        assert doc["Location"] in locations
        assert {line["ProductID"] for line in doc["Order"]["Lines"]} <= products
    for row in api("stockTransferList", Limit=10)["StockTransferList"]:
        doc = api("stockTransfer", TaskID=row["TaskID"])
        assert {doc["FromLocation"], doc["ToLocation"]} <= locations
        assert doc["Lines"] and {line["ProductID"] for line in doc["Lines"]} <= products
    for row in api("stockadjustmentList", Limit=10)["StockAdjustmentList"]:
        doc = api("stockadjustment", TaskID=row["TaskID"])
        lines = doc["ExistingStockLines"] + doc["NewStockLines"]
        assert lines and {line["ProductID"] for line in lines} <= products


def test_availability_agrees_with_products_and_locations(api: Get, sandbox: Sandbox) -> None:
    products = {p["ID"]: p for p in sandbox.dataset.products}
    locations = {w["Name"] for w in sandbox.dataset.refs.warehouses}
    rows = api("ref/productavailability", Limit=1000)["ProductAvailabilityList"]
    for row in rows:
        product = products[row["ID"]]
        assert (row["SKU"], row["Name"], product["Type"], product["Status"]) == (
            product["SKU"],
            product["Name"],
            "Stock",
            "Active",
        )
        assert row["Location"] in locations
        assert row["Available"] == round(row["OnHand"] - row["Allocated"], 4)
    assert any(r["OnHand"] == 0 and r["Bin"] is None for r in rows)
    assert any(r["Bin"] for r in rows)


def test_awkward_values_are_present(sandbox: Sandbox) -> None:
    products = list(sandbox.dataset.products)
    customers = list(sandbox.dataset.customers)
    names = [p["Name"] for p in products] + [c["Name"] for c in customers]
    assert '=HYPERLINK("http://x","click")' in names
    for pattern in (
        r"[\u0600-\u06ff]",
        r"[\u0590-\u05ff]",
        r"[\u4e00-\u9fff]",
        r"[\U0001F300-\U0001FAFF]",
        r"ā|ō|ū",
        r"'",
        r'"',
    ):
        assert any(re.search(pattern, n) for n in names), pattern
    for start in "=+-@":
        assert any(n.startswith(start) for n in names), start
    descriptions = [p["Description"] for p in products]
    assert any(d and len(d) > 32_767 for d in descriptions)
    assert any(d and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", d) for d in descriptions)
    comments = [c["Comments"] for c in customers]
    assert None in comments and "" in comments
    ids = [p["ID"] for p in products]
    assert any(i == i.upper() for i in ids) and any(i == i.lower() for i in ids)


def test_date_and_number_shapes(sandbox: Sandbox) -> None:
    sales = list(sandbox.dataset.sales)
    purchases = list(sandbox.dataset.purchases)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00", s["OrderDate"]) for s in sales)
    updated = [s["Updated"] for s in sales]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{2,3}Z", u) for u in updated)
    assert {len(u.split(".")[1]) for u in updated} == {3, 4}  # 2 and 3 digits, plus the Z
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{2}", p["LastUpdatedDate"]) for p in purchases
    )
    prices = [p["PriceTier1"] for p in sandbox.dataset.products]
    assert any(isinstance(x, int) for x in prices) and any(isinstance(x, float) for x in prices)
    assert any(len(repr(x).split(".")[1]) == 4 for x in prices if isinstance(x, float))
    raw = json.dumps(sales[:5])
    assert ".0," not in raw and ".0}" not in raw  # whole numbers are JSON integers


def test_sale_dates_spread_over_fifteen_months_before_today(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(today=date(2026, 6, 15))
    days = sorted(s["OrderDate"][:10] for s in sb.dataset.sales)
    assert "2025-03-01" <= days[0] <= "2025-03-25" and "2026-06-05" <= days[-1] < "2026-06-15"
    last_month = [d for d in days if d.startswith("2026-05")]
    assert len(last_month) >= 10


def test_touch_changes_records_and_bumps_their_change_time(api: Get, sandbox: Sandbox) -> None:
    before = sandbox.dataset.sales[42]
    detail_before = sandbox.dataset.sale_detail(before["SaleID"])
    newest = max(s["Updated"] for s in sandbox.dataset.sales)
    assert sandbox.touch("sale", [before["SaleID"]]) == [before["SaleID"]]
    after = api("sale", ID=before["SaleID"])
    assert after["LastModifiedOn"] > newest
    assert after["Order"]["Lines"][0]["Quantity"] == detail_before["Order"]["Lines"][0]["Quantity"] + 1
    since = api("saleList", UpdatedSince=after["LastModifiedOn"][:19])["SaleList"]
    assert [s["SaleID"] for s in since] == [before["SaleID"]]
    touched = sandbox.touch("product", 3)
    assert len(touched) == 3
    changed = api("product", ModifiedSince=after["LastModifiedOn"][:19], IncludeDeprecated="true")["Products"]
    assert {p["ID"] for p in changed} == set(touched)


def test_void_and_deprecate_are_seen_by_the_next_export(api: Get, sandbox: Sandbox) -> None:
    sale = next(s for s in sandbox.dataset.sales if s["Status"] == "COMPLETED")
    sandbox.void("sale", sale["SaleID"])
    assert api("sale", ID=sale["SaleID"])["Status"] == "VOIDED"
    customer = next(c for c in sandbox.dataset.customers if c["Status"] == "Active")
    total = api("customer")["Total"]
    sandbox.deprecate("customer", customer["ID"])
    assert api("customer")["Total"] == total - 1
    assert (
        api("customer", ID=customer["ID"], IncludeDeprecated="true")["CustomerList"][0]["Status"]
        == "Deprecated"
    )


def test_repeated_requests_see_changes_made_in_between(api: Get, sandbox: Sandbox) -> None:
    first = api("saleList", Limit=20)["SaleList"]
    assert api("saleList", Limit=20)["SaleList"] == first  # served again (from the page cache)
    sandbox.touch("sale", [first[3]["SaleID"]])
    again = api("saleList", Limit=20)["SaleList"]
    assert again[3]["Updated"] > first[3]["Updated"]
    assert again[:3] == first[:3]
