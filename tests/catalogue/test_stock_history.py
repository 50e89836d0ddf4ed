"""The stock history hooks: movement rows, plain words for DEAR's types, the adjustment's change."""

from __future__ import annotations

from app.catalogue import get
from app.catalogue.stock_history import (
    KINDS,
    LOCAL_FILTERS,
    MOVEMENT_TYPES,
    adjustment_lines_with_change,
    describe_type,
    movement_rows,
)
from app.models import FilterKind

DOCUMENTED_TYPES = (  # docs/dear-api.md §11.1, typos included
    "Purchase Accrual Cost", "Advanced Purchase Accrual Cost", "Purchase", "Advanced Purchase",
    "Purchase Cost Chang", "Advanced Purchase Cost Change", "Advanced Purchase Unstock", "Unstock", "Sale",
    "SaleMultiple", "Sale COGS Change", "SaleMultiple COGS Change", "Restock", "RestockMultiple",
    "Adjustment Cost Change", "Adjustment", "Stocktake Cost Change", "Stocktake", "Transfer Out",
    "Transfer Out Cost Change", "Transfer In Cost Change", "Transfer In", "Finished Goods Cost Change",
    "Finished Goods", "Inventory Write-Off Cost Change", "Inventory Write-Off", "Disassembly Cost Change",
    "Disassembly",
)  # fmt: skip


def test_every_documented_type_has_plain_words_and_a_kind() -> None:
    assert len(DOCUMENTED_TYPES) == 28 and set(DOCUMENTED_TYPES) <= set(MOVEMENT_TYPES)
    for name in DOCUMENTED_TYPES:
        words, kind = describe_type(name)
        assert (kind in KINDS and words and words != name) or name in {"Stocktake", "Disassembly"}
    assert describe_type("Sale") == ("Sale shipped", "Sales")
    assert describe_type("Inventory Write-Off") == ("Write-off", "Write-offs")
    assert describe_type("Transfer In") == ("Transfer in", "Transfers")
    assert describe_type("Finished Goods") == ("Assembly", "Production")
    # a type DEAR adds later is shown as sent, never dropped
    assert describe_type("Consignment Transfer") == ("Consignment Transfer", "Transfers")


def test_movement_rows_copy_the_movement_and_its_product() -> None:
    product = {
        "ID": "p-1",
        "SKU": "SKU-1",
        "Name": "Chair",
        "Category": "Kitchen",
        "Movements": [
            {"TaskID": "t", "Type": "Sale", "Date": "2026-10-02T00:00:00", "Number": "SO-1",
             "Status": "COMPLETED", "Quantity": -2, "Amount": -11.5, "Location": "Main", "BatchSN": None,
             "ExpiryDate": None, "FromTo": "Kiwi Ltd"},
            "not a movement",
        ],
    }  # fmt: skip
    (row,) = movement_rows(product)
    assert row == {
        "Date": "2026-10-02T00:00:00", "TypeWords": "Sale shipped", "Kind": "Sales", "Type": "Sale",
        "Number": "SO-1", "Status": "COMPLETED", "SKU": "SKU-1", "ProductName": "Chair",
        "Category": "Kitchen",
        "Location": "Main", "BatchSN": None, "ExpiryDate": None, "Quantity": -2, "Amount": -11.5,
        "FromTo": "Kiwi Ltd", "TaskID": "t", "ProductID": "p-1",
    }  # fmt: skip
    assert list(movement_rows({"ID": "p-2", "Movements": None})) == []


def test_adjustment_change_is_counted_minus_before_or_the_new_quantity() -> None:
    """docs/dear-api.md §11.3."""
    summary = {"TaskID": "a", "StocktakeNumber": "SA-2", "Status": "COMPLETED"}
    detail = {
        "ExistingStockLines": [{"SKU": "A", "QuantityOnHand": 10, "Adjustment": 7}],
        "NewStockLines": [{"SKU": "B", "Quantity": 5}],
    }
    rows = list(adjustment_lines_with_change(summary, detail))
    assert [(r["SKU"], r["Change"]) for r in rows] == [("A", -3), ("B", 5)]
    headers = {c.field: c.header for c in get("stock-adjustment-lines").columns}
    assert headers["Adjustment"] == "Counted quantity" and headers["Change"] == "Change"


def test_entries_read_products_with_movements_and_keep_local_filters_apart() -> None:
    for key in ("stock-movements", "stock-at-date", "stock-movement-summary"):
        spec = get(key)
        assert spec.path == "product" and spec.fixed_params["IncludeMovements"] == "true"
        assert spec.page_size == 100 and spec.computed == key
    as_of = next(f for f in get("stock-at-date").filters if f.name == "AsOf")
    assert as_of.kind is FilterKind.DATE and "AsOf" in LOCAL_FILTERS
    availability = {c.field: c for c in get("product-availability").columns}
    assert availability["StockOnHand"].header == "Stock value" and availability["StockOnHand"].default
    assert "on order" in availability["InTransit"].header
