"""Stock history reports: every stock movement, stock on hand at a date, the movement summary.

DEAR has no stock-at-a-date endpoint; its only history is each product's ``Movements[]`` on
``GET /product?IncludeMovements=true`` (docs/dear-api.md §11.1), with no date filter and no paging
inside one product. These reports read that list (100 products a request) and work the rest
out in ``app.services.stock_history``; the catalogue holds their entries and the named hooks
that turn a product's movements into rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from app.catalogue import hooks
from app.catalogue.vocabulary import DATE, GUID, MONEY, QUANTITY, choice, col, contains, extra, on_date
from app.models import EndpointSpec, FilterKind, FilterSpec, Group, JsonDict

Doc = Mapping[str, Any]

# DEAR's movement types (docs/dear-api.md §11.1, typos included) in plain words, and the kind of
# movement each one is in the movement summary.
PURCHASES, SALES, TRANSFERS, ADJUSTMENTS, PRODUCTION, WRITE_OFFS = (
    "Purchases",
    "Sales",
    "Transfers",
    "Adjustments",
    "Production",
    "Write-offs",
)
KINDS = (PURCHASES, SALES, TRANSFERS, ADJUSTMENTS, PRODUCTION, WRITE_OFFS)
MOVEMENT_TYPES: dict[str, tuple[str, str]] = {
    "Purchase Accrual Cost": ("Purchase cost accrued", PURCHASES),
    "Advanced Purchase Accrual Cost": ("Purchase cost accrued", PURCHASES),
    "Purchase": ("Purchase received", PURCHASES),
    "Advanced Purchase": ("Purchase received", PURCHASES),
    "Purchase Cost Chang": ("Purchase cost change", PURCHASES),
    "Purchase Cost Change": ("Purchase cost change", PURCHASES),
    "Advanced Purchase Cost Change": ("Purchase cost change", PURCHASES),
    "Advanced Purchase Unstock": ("Returned to supplier", PURCHASES),
    "Unstock": ("Returned to supplier", PURCHASES),
    "Sale": ("Sale shipped", SALES),
    "SaleMultiple": ("Sale shipped", SALES),
    "Sale COGS Change": ("Sale cost change", SALES),
    "SaleMultiple COGS Change": ("Sale cost change", SALES),
    "Restock": ("Returned by customer", SALES),
    "RestockMultiple": ("Returned by customer", SALES),
    "Adjustment Cost Change": ("Adjustment cost change", ADJUSTMENTS),
    "Adjustment": ("Stock adjustment", ADJUSTMENTS),
    "Stocktake Cost Change": ("Stocktake cost change", ADJUSTMENTS),
    "Stocktake": ("Stocktake", ADJUSTMENTS),
    "Transfer Out": ("Transfer out", TRANSFERS),
    "Transfer Out Cost Change": ("Transfer cost change", TRANSFERS),
    "Transfer In Cost Change": ("Transfer cost change", TRANSFERS),
    "Transfer In": ("Transfer in", TRANSFERS),
    "Finished Goods Cost Change": ("Assembly cost change", PRODUCTION),
    "Finished Goods": ("Assembly", PRODUCTION),
    "Inventory Write-Off Cost Change": ("Write-off cost change", WRITE_OFFS),
    "Inventory Write-Off": ("Write-off", WRITE_OFFS),
    "Disassembly Cost Change": ("Disassembly cost change", PRODUCTION),
    "Disassembly": ("Disassembly", PRODUCTION),
}
# Filters these reports apply themselves after reading (DEAR has no such filters on movements):
# they are never sent to DEAR.
AS_OF, LOCATION, MOVEMENT_KIND = "AsOf", "Location", "MovementKind"
LOCAL_FILTERS = frozenset({AS_OF, LOCATION, MOVEMENT_KIND})
# Deprecated products are read too: a product deprecated since had stock (and movements) before.
MOVEMENTS_PARAMS = {"IncludeMovements": "true", "IncludeDeprecated": "true"}


def describe_type(dear_type: str) -> tuple[str, str]:
    """Return (plain words, summary kind) for one of DEAR's movement types; unknown types as sent."""
    known = MOVEMENT_TYPES.get(dear_type.strip())
    if known is not None:
        return known
    words = dear_type.strip() or "Unknown"
    lowered = words.lower()
    kind = next((k for k in KINDS if k.lower().rstrip("s") in lowered), ADJUSTMENTS)
    return words, kind


def movement_rows(product: Doc) -> Iterator[JsonDict]:
    """One row per movement of one product row (``Products[]`` with ``Movements[]``)."""
    movements = product.get("Movements")
    if not isinstance(movements, list):
        return
    for movement in movements:
        if not isinstance(movement, Mapping):
            continue
        dear_type = str(movement.get("Type") or "")
        words, kind = describe_type(dear_type)
        yield {
            "Date": movement.get("Date"),
            "TypeWords": words,
            "Kind": kind,
            "Type": dear_type,
            "Number": movement.get("Number"),
            "Status": movement.get("Status"),
            "SKU": product.get("SKU"),
            "ProductName": product.get("Name"),
            "Category": product.get("Category"),
            "Location": movement.get("Location"),
            "BatchSN": movement.get("BatchSN"),
            "ExpiryDate": movement.get("ExpiryDate"),
            "Quantity": movement.get("Quantity"),
            "Amount": movement.get("Amount"),
            "FromTo": movement.get("FromTo"),
            "TaskID": movement.get("TaskID"),
            "ProductID": product.get("ID"),
        }


def adjustment_lines_with_change(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """Stock adjustment lines with the change each made (docs/dear-api.md §11.3).

    An existing stock line's ``Adjustment`` is the counted quantity: the change is counted minus
    on hand before. A new stock line's ``Quantity`` is the change itself.
    """
    for line in hooks.stock_adjustment_lines(summary, detail):
        counted, before, quantity = line.get("Adjustment"), line.get("QuantityOnHand"), line.get("Quantity")
        if isinstance(counted, int | float) and isinstance(before, int | float):
            line["Change"] = round(counted - before, 4)
        elif isinstance(quantity, int | float):
            line["Change"] = quantity
        yield line


_PRODUCT_FILTERS = (contains("Name", "Product name"), contains("Sku", "SKU"))
_LOCATION = FilterSpec(
    LOCATION, "Location", FilterKind.TEXT, help="the location's name (checked after reading)"
)
_HEAVY = "Reads every product with its movements (about 100 products a request) every time."

STOCK_MOVEMENTS = EndpointSpec(
    key="stock-movements",
    label="Stock movements",
    description="Every stock movement of every product: what came in and went out, where, when and why. "
    + _HEAVY,
    group=Group.PRODUCTS,
    path="product",
    list_key="Products",
    page_size=100,
    fixed_params=MOVEMENTS_PARAMS,
    date_field="Date",
    date_label="Movement date",
    filters=(*_PRODUCT_FILTERS, _LOCATION, choice(MOVEMENT_KIND, "Kind of movement", KINDS)),
    columns=(
        col("Date", "Date", DATE),
        col("TypeWords", "Type"),
        col("Number", "Number"),
        col("Status", "Status"),
        col("SKU", "SKU"),
        col("ProductName", "Product"),
        col("Location", "Location"),
        col("BatchSN", "Batch or serial"),
        col("ExpiryDate", "Expiry", DATE),
        col("Quantity", "Quantity", QUANTITY),
        col("Amount", "Value", MONEY),
        col("FromTo", "From/to"),
        col("TaskID", "Document ID", GUID),
        extra("Kind", "Kind of movement"),
        extra("Type", "DEAR movement type"),
        extra("Category", "Category"),
        extra("ProductID", "Product ID", GUID),
    ),
    computed="stock-movements",
    order_by=("SKU",),
)

STOCK_AT_DATE = EndpointSpec(
    key="stock-at-date",
    label="Stock on hand at a date",
    description="What was on hand at each location at the end of a chosen day, and its value, worked out "
    "from today's stock and the movements since. " + _HEAVY,
    group=Group.PRODUCTS,
    path="product",
    list_key="Products",
    page_size=100,
    fixed_params=MOVEMENTS_PARAMS,
    filters=(
        on_date(AS_OF, "Stock at the end of", "the day to report (default: today)"),
        _LOCATION,
    ),
    columns=(
        col("SKU", "SKU"),
        col("ProductName", "Product"),
        col("Category", "Category"),
        col("Location", "Location"),
        col("BatchSN", "Batch or serial"),
        col("ExpiryDate", "Expiry", DATE),
        col("Quantity", "Quantity", QUANTITY),
        col("Value", "Value", MONEY),
        extra("ProductID", "Product ID", GUID),
    ),
    computed="stock-at-date",
    order_by=("SKU",),
)

_SUMMARY_KIND_COLUMNS = tuple(
    col(f"{kind}.{way}", f"{kind} {way.lower()}", QUANTITY) for kind in KINDS for way in ("In", "Out")
)
_SUMMARY_VALUE_COLUMNS = tuple(extra(f"{kind}.Value", f"{kind} value", MONEY) for kind in KINDS)

STOCK_MOVEMENT_SUMMARY = EndpointSpec(
    key="stock-movement-summary",
    label="Stock movement summary",
    description="For a date range, per product and location: opening stock, what came in and went out "
    "by kind (purchases, sales, transfers, adjustments, production, write-offs) and closing stock. " + _HEAVY,
    group=Group.PRODUCTS,
    path="product",
    list_key="Products",
    page_size=100,
    fixed_params=MOVEMENTS_PARAMS,
    date_field="Date",
    date_label="Movement date",
    filters=(*_PRODUCT_FILTERS, _LOCATION),
    columns=(
        col("SKU", "SKU"),
        col("ProductName", "Product"),
        col("Category", "Category"),
        col("Location", "Location"),
        col("BatchSN", "Batch or serial"),
        col("OpeningQuantity", "Opening quantity", QUANTITY),
        col("OpeningValue", "Opening value", MONEY),
        *_SUMMARY_KIND_COLUMNS,
        col("ClosingQuantity", "Closing quantity", QUANTITY),
        col("ClosingValue", "Closing value", MONEY),
        *_SUMMARY_VALUE_COLUMNS,
        extra("ProductID", "Product ID", GUID),
    ),
    computed="stock-movement-summary",
    order_by=("SKU",),
)

ENTRIES = (STOCK_MOVEMENTS, STOCK_AT_DATE, STOCK_MOVEMENT_SUMMARY)
"""The stock history reports, in display order."""
