"""Every served endpoint answers with the list key, field names and JSON types of endpoints.json."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox.conftest import Get

CATALOGUE = {
    e["path"].lstrip("/").lower(): e
    for e in json.loads((Path(__file__).parents[1] / "data" / "endpoints.json").read_text(encoding="utf-8"))
}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z?$")

LISTS = [
    ("product", {"IncludeDeprecated": "true"}),
    ("ref/productavailability", {}),
    ("productFamily", {}),
    ("customer", {"IncludeDeprecated": "true"}),
    ("supplier", {"IncludeDeprecated": "true"}),
    ("saleList", {}),
    ("saleCreditNoteList", {}),
    ("purchaseList", {}),
    ("purchaseCreditNoteList", {}),
    ("stockadjustmentList", {}),
    ("stockTakeList", {}),
    ("stockTransferList", {}),
    ("inventoryWriteOffList", {}),
    ("finishedGoodsList", {}),
    ("disassemblyList", {}),
    ("journal", {}),
    ("transactions", {}),
    ("moneyTaskList", {}),
    ("ref/account", {}),
    ("ref/account/bank", {}),
    ("ref/tax", {}),
    ("ref/paymentterm", {}),
    ("ref/unit", {}),
    ("ref/category", {}),
    ("ref/brand", {}),
    ("ref/carrier", {}),
    ("ref/location", {}),
    ("ref/attributeset", {}),
    ("me/addresses", {}),
    ("me/contacts", {}),
]
# detail endpoint -> (list endpoint, list key, id field in list row, detail parameter)
DETAILS = [
    ("sale", "saleList", "SaleList", "SaleID", "ID"),
    ("advanced-purchase", "purchaseList", "PurchaseList", "ID", "ID"),
    ("stockadjustment", "stockadjustmentList", "StockAdjustmentList", "TaskID", "TaskID"),
    ("stocktake", "stockTakeList", "StockAdjustmentList", "TaskID", "TaskID"),
    ("stockTransfer", "stockTransferList", "StockTransferList", "TaskID", "TaskID"),
    ("inventoryWriteOff", "inventoryWriteOffList", "InventoryWriteOffs", "TaskID", "TaskID"),
    ("finishedGoods", "finishedGoodsList", "FinishedGoods", "TaskID", "TaskID"),
    ("disassembly", "disassemblyList", "Disassemblies", "TaskID", "TaskID"),
]


def type_ok(value: Any, spec: str) -> bool:
    """True if ``value`` has the JSON type endpoints.json derived from DEAR's example."""
    if spec.startswith("null in doc"):
        return True  # the doc example shows null: any type is allowed
    for alt in spec.split("|"):
        if alt == "null" and value is None:
            return True
        if alt.startswith("string"):
            if alt.startswith("string(datetime)") and value is None:
                return True  # absent dates are null (docs/dear-api.md §5.1)
            if isinstance(value, str):
                if alt == "string(guid)":
                    return bool(GUID.match(value))
                if alt.startswith("string(datetime)"):
                    return bool(DATETIME.match(value))
                return True
        if alt == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if alt == "boolean" and isinstance(value, bool):
            return True
        if alt == "array" and isinstance(value, list):
            return True
        if alt == "object" and isinstance(value, dict):
            return True
    return False


def check_rows(path: str, rows: list[dict[str, Any]]) -> None:
    fields: dict[str, str] = CATALOGUE[path.lower()]["row_fields_from_doc_example"]
    assert fields, path
    for row in rows:
        missing = set(fields) - set(row)
        assert not missing, f"{path}: missing {sorted(missing)}"
        wrong = {f: row[f] for f, spec in fields.items() if not type_ok(row[f], spec)}
        assert not wrong, f"{path}: wrong JSON types {wrong}"


def test_type_checker_rejects_wrong_types() -> None:
    assert not type_ok("1", "number")
    assert not type_ok(True, "number")
    assert not type_ok(None, "string")
    assert not type_ok("2024-01-01", "string(datetime)")
    assert not type_ok("not-a-guid", "string(guid)")
    assert type_ok(None, "string|null")
    assert type_ok("2024-01-01T00:00:00", "string(datetime)")


@pytest.mark.parametrize(("path", "params"), LISTS, ids=[p for p, _ in LISTS])
def test_list_endpoint_matches_catalogue(api: Get, path: str, params: dict[str, str]) -> None:
    entry = CATALOGUE[path.lower()]
    body = api(path, Limit=1000, **params)
    assert set(body) == {"Total", "Page", entry["list_key"]}
    assert isinstance(body["Total"], int) and body["Page"] == 1
    rows = body[entry["list_key"]]
    assert rows, f"{path} returned no rows"
    assert body["Total"] == len(rows)
    check_rows(path, rows)


@pytest.mark.parametrize(
    ("path", "list_path", "list_key", "id_field", "param"), DETAILS, ids=[d[0] for d in DETAILS]
)
def test_detail_endpoint_matches_catalogue(
    api: Get, path: str, list_path: str, list_key: str, id_field: str, param: str
) -> None:
    rows = api(list_path, Limit=1000)[list_key]
    # every status appears among the checked documents, so each document shape is covered
    by_status: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_status.setdefault(row["Status"], row)
    documents = [api(path, **{param: row[id_field]}) for row in by_status.values()]
    check_rows(path, documents)
    assert all(
        doc.get("ID", doc.get("TaskID")) == row[id_field]
        for doc, row in zip(documents, by_status.values(), strict=True)
    )


def test_simple_purchase_detail_has_object_shapes(api: Get) -> None:
    rows = api("purchaseList", Limit=1000)["PurchaseList"]
    simple = [r for r in rows if r["Type"] == "Simple Purchase"]
    advanced = [r for r in rows if r["Type"] == "Advanced Purchase"]
    assert simple and advanced
    documents = [api("purchase", ID=r["ID"]) for r in simple[:15]]
    check_rows("purchase", documents)
    for doc in documents:
        assert isinstance(doc["Invoice"], dict) and isinstance(doc["StockReceived"], dict)
    adv = api("advanced-purchase", ID=advanced[0]["ID"])
    assert isinstance(adv["Invoice"], list) and isinstance(adv["StockReceived"], list)


def test_me_and_price_tiers(api: Get) -> None:
    me = api("me")
    check_rows("me", [me])
    assert me["Company"] == "Demo Company (sample data)"
    tiers = api("ref/priceTier")
    assert set(tiers) == {"PriceTiers"} and len(tiers["PriceTiers"]) == 10
    check_rows("ref/priceTier", tiers["PriceTiers"])


def test_sale_detail_has_every_block_with_lines(api: Get) -> None:
    rows = api("saleList", Limit=1000)["SaleList"]
    credited = next(r for r in rows if r["Status"] == "CREDITED")
    sale = api("sale", ID=credited["SaleID"])
    assert sale["Order"]["Lines"] and sale["Invoices"][0]["Lines"] and sale["CreditNotes"][0]["Lines"]
    fulfilment = sale["Fulfilments"][0]
    assert fulfilment["Pick"]["Lines"] and fulfilment["Pack"]["Lines"] and fulfilment["Ship"]["Lines"]
    assert {"FulfillmentNumber", "FulFilmentStatus", "TaskID"} <= set(fulfilment)
    line = sale["Order"]["Lines"][0]
    assert {
        "ProductID",
        "SKU",
        "Name",
        "Quantity",
        "Price",
        "Discount",
        "Tax",
        "Total",
        "ProductLength",
        "ProductCustomField10",
        "BackorderQuantity",
        "DropShip",
    } <= set(line)
    payment = sale["Invoices"][0]["Payments"][0]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", payment["DateCreated"])
    assert sale["CreditNotes"][0]["Restock"] and sale["CreditNotes"][0]["Refunds"]


def test_product_include_flags_fill_nested_arrays(api: Get) -> None:
    plain = api("product", Limit=100)["Products"]
    assert all(all(p[name] == [] for name in ("Suppliers", "ReorderLevels", "Movements")) for p in plain)
    flags = dict.fromkeys(
        (
            "IncludeSuppliers",
            "IncludeReorderLevels",
            "IncludeBOM",
            "IncludeMovements",
            "IncludeAttachments",
            "IncludeCustomPrices",
        ),
        "true",
    )
    full = api("product", Limit=100, **flags)["Products"]
    for name in (
        "Suppliers",
        "ReorderLevels",
        "BillOfMaterialsProducts",
        "BillOfMaterialsServices",
        "Movements",
        "Attachments",
        "CustomPrices",
    ):
        assert any(p[name] for p in full), name
    supplier = next(p for p in full if p["Suppliers"])["Suppliers"][0]
    assert {"SupplierID", "SupplierName", "Cost", "ProductSupplierOptions"} <= set(supplier)


def test_customer_rows_carry_addresses_and_contacts(api: Get) -> None:
    customers = api("customer", Limit=1000)["CustomerList"]
    assert all(c["Addresses"] and c["Contacts"] for c in customers)
    assert {"Postcode", "Line1", "City", "Type"} <= set(customers[0]["Addresses"][0])


def test_locations_have_bins_inline_and_as_rows(api: Get) -> None:
    rows = api("ref/location", Limit=1000)["LocationList"]
    warehouses = [r for r in rows if r["ParentID"] is None]
    bins = [r for r in rows if r["ParentID"] is not None]
    assert warehouses and bins
    inline = {b["ID"] for w in warehouses for b in w["Bins"]}
    assert inline == {b["ID"] for b in bins}
    assert any(b["ID"] == b["ID"].upper() for b in bins)
    parents = {w["ID"] for w in warehouses}
    assert all(b["ParentID"] in parents for b in bins)
