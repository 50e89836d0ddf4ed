"""Sales and purchases: their lists, credit note lists and detail documents, and the task details."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.sandbox import purchase_detail, purchases, sales
from app.sandbox.dataset import Dataset
from app.sandbox.filters import (
    Pred,
    contains,
    equals,
    filters,
    matching,
    on_field,
    since,
    since_pred,
)
from app.sandbox.ordering import ListOrder
from app.sandbox.paging import Answer, BadRequestError, Handler, Query, flag, page

SALE_STATUS = {
    "status": "Status",
    "orderstatus": "OrderStatus",
    "quotestatus": "QuoteStatus",
    "combinedpickstatus": "CombinedPickingStatus",
    "combinedpackstatus": "CombinedPackingStatus",
    "combinedshippingstatus": "CombinedShippingStatus",
    "combinedinvoicestatus": "CombinedInvoiceStatus",
    "creditnotestatus": "CreditNoteStatus",
    "externalid": "ExternalID",
    "orderlocationid": "OrderLocationID",
}
SALE_SEARCH = ("OrderNumber", "Status", "Customer", "InvoiceNumber", "CustomerReference", "CreditNoteNumber")


def _sale_keys(ds: Dataset, q: Query, credit_only: bool) -> Sequence[int]:
    spec: dict[str, Callable[[str], Pred]] = {k: on_field(v, equals) for k, v in SALE_STATUS.items()}
    spec["search"] = lambda v: lambda e: any(contains(e.get(f), v) for f in SALE_SEARCH)
    preds = filters(q, spec)
    if "updatedsince" in q and q["updatedsince"].strip().upper().endswith("Z"):
        # why: production saleList rejects UpdatedSince with a trailing Z (docs/dear-api.md §5.1)
        raise BadRequestError("UpdatedSince is not a valid date. Use the format YYYY-MM-DDTHH:MM:SS.")
    preds += since_pred(q, "updatedsince", "Updated") + since_pred(q, "createdsince", "OrderDate")
    ship_by = since(q, "shipby")
    if ship_by is not None:
        preds.append(
            lambda e: (
                e.get("_ShipBy") is not None
                and e["_ShipBy"] <= ship_by
                and e["CombinedShippingStatus"] != "SHIPPED"
            )
        )
    if credit_only:
        preds.append(lambda e: bool(e["_credit"]))
    return matching(ds, "sale", preds)


def sale_list(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /saleList``."""
    return page(q, "SaleList", _sale_keys(ds, q, False), lambda i: ds.row("sale", i), order)


def sale_credit_list(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /saleCreditNoteList`` (DEAR uses the ``SaleList`` key here too)."""
    return page(q, "SaleList", _sale_keys(ds, q, True), lambda i: sales.credit_list_row(ds, i), order)


PURCHASE_STATUS = {
    "status": "Status",
    "orderstatus": "OrderStatus",
    "stockreceivedstatus": "StockReceivedStatus",
    "invoicestatus": "InvoiceStatus",
    "creditnotestatus": "CreditNoteStatus",
    "unstockstatus": "UnstockStatus",
    "dropshiptaskid": "DropShipTaskID",
}
PURCHASE_SEARCH = ("OrderNumber", "Status", "Supplier", "InvoiceNumber", "CreditNoteNumber")


def _purchase_keys(ds: Dataset, q: Query, credit_only: bool) -> Sequence[int]:
    # RestockReceivedStatus is documented but ignored by production, so it is not in this table.
    spec: dict[str, Callable[[str], Pred]] = {k: on_field(v, equals) for k, v in PURCHASE_STATUS.items()}
    spec["search"] = lambda v: lambda e: any(contains(e.get(f), v) for f in PURCHASE_SEARCH)
    preds = filters(q, spec) + since_pred(q, "updatedsince", "LastUpdatedDate")
    required = since(q, "requiredby")
    if required is not None:
        preds.append(lambda e: e.get("_RequiredBy") is not None and e["_RequiredBy"] <= required)
    if credit_only:
        preds.append(lambda e: bool(e["_credit"]))
    return matching(ds, "purchase", preds)


def purchase_list(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /purchaseList``."""
    return page(q, "PurchaseList", _purchase_keys(ds, q, False), lambda i: ds.row("purchase", i), order)


def purchase_credit_list(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /purchaseCreditNoteList`` (DEAR uses the ``PurchaseList`` key here too)."""
    return page(q, "PurchaseList", _purchase_keys(ds, q, True), lambda i: ds.row("purchase", i), order)


# What a detail request for a missing record says. The sale wording is what issue 11 reports DEAR
# answering for a sale deleted between list and detail (400 "Sale not found"); docs/dear-api.md §7
# has it as undocumented, and the other kinds follow the same pattern by analogy.
NOT_FOUND = {
    "sale": "Sale not found",
    "purchase": "Purchase not found",
    "stockadjustment": "Stock adjustment not found",
    "stocktake": "Stocktake not found",
    "stocktransfer": "Stock transfer not found",
    "inventorywriteoff": "Inventory write-off not found",
    "finishedgoods": "Finished goods not found",
    "disassembly": "Disassembly not found",
}


def detail(kind: str, param: str) -> Handler:
    """Return the handler of a detail endpoint: one record's full document by ``ID`` or ``TaskID``."""

    def handler(ds: Dataset, q: Query, order: ListOrder) -> Answer:
        value = q.get(param, "")
        if not value:
            raise BadRequestError(f"{param.upper() if param == 'id' else 'TaskID'} is required.")
        index = ds.index_of(kind, value)
        if index is None:  # never existed, or deleted since the list was read
            raise BadRequestError(NOT_FOUND[kind])
        document = ds.detail(kind, index)
        if kind == "sale":
            if flag(q, "hideinventorymovements"):  # docs/dear-api.md §11.2: the block is left out
                document.pop("InventoryMovements", None)
            if flag(q, "includetransactions") and document["Invoices"]:
                invoice = document["Invoices"][0]
                document["Transactions"] = [
                    {
                        "TaskID": invoice["TaskID"],
                        "TransactionID": ds.ids.sub("sale-txn", index),
                        "Debit": "610",
                        "Credit": "200",
                        "Description": invoice["InvoiceNumber"],
                        "Amount": invoice["Total"],
                        "EffectiveDate": invoice["InvoiceDate"],
                    }
                ]
        return 200, document

    return handler


def simple_purchase(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /purchase?ID=``: Simple purchases only (deprecated endpoint)."""
    value = q.get("id", "")
    index = ds.index_of("purchase", value) if value else None
    if index is None:
        raise BadRequestError("ID is required." if not value else NOT_FOUND["purchase"])
    if purchases.purchase_type(index) != "Simple Purchase":
        raise BadRequestError(purchases.DEPRECATED_MESSAGE)
    return 200, purchase_detail.detail(ds, index, False)
