"""Paging and DEAR's documented filter semantics, checked against the dataset."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from app.sandbox import Sandbox
from tests.sandbox.conftest import Get, call


def test_page_two_limit_five(api: Get, sandbox: Sandbox) -> None:
    body = api("saleList", Page=2, Limit=5)
    assert body["Page"] == 2 and body["Total"] == len(sandbox.dataset.sales)
    assert [r["SaleID"] for r in body["SaleList"]] == [r["SaleID"] for r in sandbox.dataset.sales[5:10]]


def test_page_past_the_end_is_empty_with_the_real_total(api: Get) -> None:
    body = api("purchaseList", Page=99, Limit=100)
    assert body == {"Total": 120, "Page": 99, "PurchaseList": []}


def test_limit_defaults_to_100_and_clamps_to_1_and_1000(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, counts={"customer": 1300})
    assert len(call(sb, "customer").json()["CustomerList"]) == 100
    assert (
        len(call(sb, "customer", {"Limit": 5000, "IncludeDeprecated": "true"}).json()["CustomerList"]) == 1000
    )
    assert len(call(sb, "customer", {"Limit": 0}).json()["CustomerList"]) == 1
    assert call(sb, "customer", {"Page": 0, "Limit": 2}).json()["Page"] == 1


def test_paging_walks_every_record_exactly_once(api: Get, sandbox: Sandbox) -> None:
    seen = []
    for number in range(1, 8):
        seen += [r["SaleID"] for r in api("saleList", Page=number, Limit=50)["SaleList"]]
    assert len(seen) == len(set(seen)) == 300


def test_product_name_and_sku_contain(api: Get, sandbox: Sandbox) -> None:
    rows = api("product", Name="chair", Limit=1000)["Products"]
    assert rows and all("chair" in r["Name"].lower() for r in rows)
    assert any(not r["Name"].lower().startswith("chair") for r in rows)  # contains, not starts with
    expected = [p["SKU"] for p in sandbox.dataset.products if "00012" in p["SKU"] and p["Status"] == "Active"]
    assert len(expected) > 5
    assert [r["SKU"] for r in api("product", Sku="00012")["Products"]] == expected


def test_product_include_deprecated(api: Get, sandbox: Sandbox) -> None:
    everything = sandbox.dataset.products
    active = [p["ID"] for p in everything if p["Status"] == "Active"]
    assert len(active) < len(everything)
    assert [p["ID"] for p in api("product", Limit=1000)["Products"]] == active
    assert api("product", Limit=1000, IncludeDeprecated="true")["Total"] == len(everything)


def test_id_filter_returns_the_list_wrapper_with_one_element(api: Get, sandbox: Sandbox) -> None:
    for path, key, row in (
        ("product", "Products", sandbox.dataset.products[3]),
        ("customer", "CustomerList", sandbox.dataset.customers[5]),
        ("supplier", "SupplierList", sandbox.dataset.suppliers[2]),
    ):
        body = api(path, ID=row["ID"].upper())
        assert body["Total"] == 1 and body[key] == [row]


def test_customer_and_supplier_names_start_with(api: Get) -> None:
    rows = api("customer", Name="harbour", Limit=1000)["CustomerList"]
    assert rows and all(r["Name"].startswith("Harbour") for r in rows)
    assert api("customer", Name="arbour")["Total"] == 0
    hyperlink = api("customer", Name="=HYPERLINK")["CustomerList"]
    assert [r["Name"] for r in hyperlink] == ['=HYPERLINK("http://x","click")']
    suppliers = api("supplier", Name="Summit", Limit=1000)["SupplierList"]
    assert suppliers and all(r["Name"].startswith("Summit") for r in suppliers)


def test_reference_books_names_start_with(api: Get) -> None:
    assert [r["Name"] for r in api("ref/category", Name="c")["CategoryList"]] == ["Clothing", "Coffee"]
    assert [r["Name"] for r in api("ref/brand", Name="Café")["BrandList"]] == ["Café Noir"]
    assert [r["Name"] for r in api("ref/unit", Name="k")["UnitList"]] == ["Kg"]
    locations = api("ref/location", Name="Main Warehouse")["LocationList"]
    assert len(locations) == 4 and all(r["Name"].startswith("Main Warehouse") for r in locations)


def test_sale_search_contains_across_fields(api: Get, sandbox: Sandbox) -> None:
    sales = sandbox.dataset.sales
    fields = ("OrderNumber", "Status", "Customer", "InvoiceNumber", "CustomerReference", "CreditNoteNumber")
    expected = [r["SaleID"] for r in sales if any("so-0001" in (r[f] or "").lower() for f in fields)]
    assert [r["SaleID"] for r in api("saleList", Search="so-0001", Limit=1000)["SaleList"]] == expected
    assert len(expected) == 10
    customer = sales[0]["Customer"]
    by_customer = api("saleList", Search=customer[2:8].lower(), Limit=1000)["SaleList"]
    assert any(r["SaleID"] == sales[0]["SaleID"] for r in by_customer)
    invoice = next(r for r in sales if r["InvoiceNumber"])["InvoiceNumber"]
    assert invoice in {r["InvoiceNumber"] for r in api("saleList", Search=invoice)["SaleList"]}
    credit = next(r for r in sales if r["CreditNoteNumber"])["CreditNoteNumber"]
    assert [r["CreditNoteNumber"] for r in api("saleList", Search=credit)["SaleList"]] == [credit]


def test_sale_status_filters_are_exact_and_single_valued(api: Get, sandbox: Sandbox) -> None:
    sales = sandbox.dataset.sales
    for param, field, value in (
        ("Status", "Status", "COMPLETED"),
        ("OrderStatus", "OrderStatus", "AUTHORISED"),
        ("QuoteStatus", "QuoteStatus", "DRAFT"),
        ("CombinedPickStatus", "CombinedPickingStatus", "PICKED"),
        ("CombinedPackStatus", "CombinedPackingStatus", "NOT PACKED"),
        ("CombinedShippingStatus", "CombinedShippingStatus", "SHIPPED"),
        ("CombinedInvoiceStatus", "CombinedInvoiceStatus", "INVOICED / CREDITED"),
        ("CreditNoteStatus", "CreditNoteStatus", "AUTHORISED"),
    ):
        expected = [r["SaleID"] for r in sales if r[field] == value]
        assert expected, param
        assert [r["SaleID"] for r in api("saleList", Limit=1000, **{param: value})["SaleList"]] == expected
    assert api("saleList", Status="COMPLETED,VOIDED")["Total"] == 0


def test_since_filters_accept_every_documented_shape(api: Get, sandbox: Sandbox) -> None:
    sales = sandbox.dataset.sales
    middle = sorted(r["Updated"] for r in sales)[150]
    cut = datetime.strptime(middle[:19], "%Y-%m-%dT%H:%M:%S")
    expected = {r["SaleID"] for r in sales if r["Updated"][:19] >= cut.strftime("%Y-%m-%dT%H:%M:%S")}
    for value in (cut.strftime("%Y-%m-%dT%H:%M:%S"), cut.strftime("%Y-%m-%dT%H:%M:%S") + ".000"):
        got = {r["SaleID"] for r in api("saleList", UpdatedSince=value, Limit=1000)["SaleList"]}
        assert got == expected
    day = cut.date().isoformat()
    by_day = {r["SaleID"] for r in api("saleList", UpdatedSince=day, Limit=1000)["SaleList"]}
    assert by_day == {r["SaleID"] for r in sales if r["Updated"][:10] >= day}
    created = {r["SaleID"] for r in api("saleList", CreatedSince=day, Limit=1000)["SaleList"]}
    assert created == {r["SaleID"] for r in sales if r["OrderDate"][:10] >= day}
    products = sandbox.dataset.products
    since = sorted(p["LastModifiedOn"] for p in products)[100][:10]
    got = {
        p["ID"] for p in api("product", ModifiedSince=since, IncludeDeprecated="true", Limit=1000)["Products"]
    }
    assert got == {p["ID"] for p in products if p["LastModifiedOn"][:10] >= since}


def test_bad_since_value_is_a_400_with_dear_error_body(sandbox: Sandbox) -> None:
    response = call(sandbox, "saleList", {"UpdatedSince": "last tuesday"})
    assert response.status_code == 400
    body = response.json()
    assert body[0]["ErrorCode"] == 400 and "UpdatedSince" in body[0]["Exception"]


def test_ship_by_lists_unshipped_sales_due_by_then(api: Get, sandbox: Sandbox) -> None:
    sales = sandbox.dataset.sales
    day = sorted(r["ShipBy"] for r in sales if r["ShipBy"])[200][:10]
    expected = [
        r["SaleID"]
        for r in sales
        if r["ShipBy"] and r["ShipBy"][:10] <= day and r["CombinedShippingStatus"] != "SHIPPED"
    ]
    assert expected
    assert [r["SaleID"] for r in api("saleList", ShipBy=day, Limit=1000)["SaleList"]] == expected


def test_credit_note_lists_hold_only_credited_records(api: Get, sandbox: Sandbox) -> None:
    credited = [r["SaleID"] for r in sandbox.dataset.sales if r["CreditNoteNumber"]]
    body = api("saleCreditNoteList", Limit=1000)
    assert [r["SaleID"] for r in body["SaleList"]] == credited and credited
    purchases = [r["ID"] for r in sandbox.dataset.purchases if r["CreditNoteNumber"]]
    assert [
        r["ID"] for r in api("purchaseCreditNoteList", Limit=1000)["PurchaseList"]
    ] == purchases and purchases


def test_purchase_stock_received_status_works_and_restock_is_ignored(api: Get, sandbox: Sandbox) -> None:
    purchases = sandbox.dataset.purchases
    expected = [r["ID"] for r in purchases if r["StockReceivedStatus"] == "AUTHORISED"]
    assert 0 < len(expected) < len(purchases)
    got = api("purchaseList", StockReceivedStatus="AUTHORISED", Limit=1000)["PurchaseList"]
    assert [r["ID"] for r in got] == expected
    assert api("purchaseList", RestockReceivedStatus="AUTHORISED")["Total"] == len(purchases)


def test_availability_filters(api: Get, sandbox: Sandbox) -> None:
    everything = api("ref/productavailability", Limit=1000)["ProductAvailabilityList"]
    by_location = api("ref/productavailability", Location="Sydney Depot", Limit=1000)[
        "ProductAvailabilityList"
    ]
    assert by_location == [r for r in everything if r["Location"] == "Sydney Depot"] and by_location
    by_name = api("ref/productavailability", Name="classic", Limit=1000)["ProductAvailabilityList"]
    assert by_name and by_name == [r for r in everything if r["Name"].lower().startswith("classic")]
    by_sku = api("ref/productavailability", Sku="SKU-000002")["ProductAvailabilityList"]
    assert {r["SKU"] for r in by_sku} == {"SKU-000002"}
    assert by_sku == [r for r in everything if r["SKU"] == "SKU-000002"]
    categories = {p["ID"]: p["Category"] for p in sandbox.dataset.products}
    by_category = api("ref/productavailability", Category="Kitchen", Limit=1000)["ProductAvailabilityList"]
    assert by_category == [r for r in everything if categories[r["ID"]] == "Kitchen"] and by_category


def test_transactions_from_and_to_date_are_strict(api: Get, sandbox: Sandbox) -> None:
    rows = api("transactions", Limit=1000)["Transactions"]
    dates = sorted({r["EffectiveDate"] for r in rows})
    low, high = dates[10], dates[40]
    got = api("transactions", FromDate=low[:10], ToDate=high[:19], Limit=1000)["Transactions"]
    assert got == [r for r in rows if low < r["EffectiveDate"] < high] and got


def test_task_lists_filter_by_status(api: Get) -> None:
    for path, key in (
        ("stockadjustmentList", "StockAdjustmentList"),
        ("stockTransferList", "StockTransferList"),
        ("finishedGoodsList", "FinishedGoods"),
        ("moneyTaskList", "MoneyTasks"),
    ):
        rows = api(path, Limit=1000)[key]
        drafts = api(path, Status="DRAFT", Limit=1000)[key]
        assert drafts == [r for r in rows if r["Status"] == "DRAFT"] and drafts, path


def test_unknown_parameters_are_ignored(api: Get) -> None:
    assert api("saleList", Limit=7, NoSuchFilter="x") == api("saleList", Limit=7)


def test_dates_keep_moving_with_today(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, today=datetime(2025, 3, 15).date())
    last = max(r["OrderDate"] for r in sb.dataset.sales)
    first = min(r["OrderDate"] for r in sb.dataset.sales)
    assert (
        last[:10] < "2025-03-15"
        and last[:10] >= (datetime(2025, 3, 15) - timedelta(days=10)).date().isoformat()
    )
    assert first[:10] <= "2024-01-01"
