"""Which renderer builds each kind's list row and detail document, and what the filter index keeps."""

from __future__ import annotations

from collections.abc import Callable

from app.sandbox import (
    assembly_tasks,
    finance_tasks,
    parties,
    products,
    purchase_detail,
    purchases,
    sale_detail,
    sales,
    stock_tasks,
)
from app.sandbox.account import Account, JsonDict

Render = Callable[[Account, int], JsonDict]


ROWS: dict[str, Render] = {
    "product": products.product,
    "customer": parties.customer,
    "supplier": parties.supplier,
    "productfamily": products.product_family,
    "sale": sales.list_row,
    "purchase": purchases.list_row,
    "stockadjustment": stock_tasks.stockadjustment_row,
    "stocktake": stock_tasks.stocktake_row,
    "stocktransfer": stock_tasks.stocktransfer_row,
    "inventorywriteoff": stock_tasks.inventorywriteoff_row,
    "finishedgoods": assembly_tasks.finishedgoods_row,
    "disassembly": assembly_tasks.disassembly_row,
    "journal": finance_tasks.journal_row,
    "transaction": finance_tasks.transaction_row,
    "moneytask": finance_tasks.moneytask_row,
}
DETAILS: dict[str, Render] = {
    "sale": sale_detail.detail,
    "purchase": lambda ds, i: purchase_detail.detail(ds, i, True),
    "stockadjustment": stock_tasks.stockadjustment_detail,
    "stocktake": stock_tasks.stocktake_detail,
    "stocktransfer": stock_tasks.stocktransfer_detail,
    "inventorywriteoff": stock_tasks.inventorywriteoff_detail,
    "finishedgoods": assembly_tasks.finishedgoods_detail,
    "disassembly": assembly_tasks.disassembly_detail,
}
# Only these fields are kept in the filter index of the big kinds; the rest is rebuilt on demand.
INDEX_FIELDS: dict[str, tuple[str, ...]] = {
    "product": ("ID", "Name", "SKU", "Status", "Category", "Type", "LastModifiedOn"),
    "customer": ("ID", "Name", "Status", "LastModifiedOn", "Contacts"),
    "supplier": ("ID", "Name", "Status", "LastModifiedOn"),
    "sale": (
        "SaleID",
        "OrderNumber",
        "Status",
        "Customer",
        "InvoiceNumber",
        "CustomerReference",
        "CreditNoteNumber",
        "OrderDate",
        "Updated",
        "ShipBy",
        "QuoteStatus",
        "OrderStatus",
        "CombinedPickingStatus",
        "CombinedPackingStatus",
        "CombinedShippingStatus",
        "CombinedInvoiceStatus",
        "CreditNoteStatus",
        "ExternalID",
        "OrderLocationID",
    ),
    "purchase": (
        "ID",
        "OrderNumber",
        "Status",
        "Supplier",
        "InvoiceNumber",
        "CreditNoteNumber",
        "RequiredBy",
        "LastUpdatedDate",
        "OrderStatus",
        "StockReceivedStatus",
        "InvoiceStatus",
        "CreditNoteStatus",
        "UnstockStatus",
        "DropShipTaskID",
    ),
}
TIME_FIELDS = (
    "LastModifiedOn",
    "Updated",
    "LastUpdatedDate",
    "OrderDate",
    "ShipBy",
    "RequiredBy",
    "EffectiveDate",
)
