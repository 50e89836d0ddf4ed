"""Purchases: order, invoice and credit note lines; purchases, credit notes, suppliers."""

from __future__ import annotations

from app.catalogue import hooks
from app.catalogue.vocabulary import (
    ADDRESS_COLUMNS,
    BOOL,
    CONTACT_COLUMNS,
    DATE,
    DATETIME,
    GUID,
    INTEGER,
    INVOICE_TASK_STATUS,
    MONEY,
    NUMBER,
    PURCHASE_STATUS,
    QUANTITY,
    TASK_STATUS,
    billing_address_columns,
    choice,
    col,
    extra,
    guid,
    main_contact_columns,
    numbered,
    on_date,
    search,
    since,
    starts_with,
    yes_no,
)
from app.models import (
    ChildTable,
    ColumnSpec,
    DetailSpec,
    EndpointSpec,
    FilterSpec,
    Group,
    RangeFilters,
    RowsHook,
)

_PURCHASE_SEARCH = "order number, status, supplier, invoice number and credit note number"

PURCHASE_FILTERS: tuple[FilterSpec, ...] = (
    search(_PURCHASE_SEARCH),
    since("UpdatedSince", "Changed since"),
    on_date("RequiredBy", "Required by", "required by this date"),
    choice("Status", "Purchase status", PURCHASE_STATUS),
    choice("OrderStatus", "Order status", TASK_STATUS),
    # DEAR documents RestockReceivedStatus but ignores it; StockReceivedStatus works (docs/dear-api.md §8.5).
    choice("StockReceivedStatus", "Stock received status", TASK_STATUS),
    choice("InvoiceStatus", "Invoice status", INVOICE_TASK_STATUS),
    choice("CreditNoteStatus", "Credit note status", TASK_STATUS),
    choice("UnstockStatus", "Unstock status", TASK_STATUS),
    guid("DropShipTaskID", "Drop-ship sale ID"),
)
CREDIT_NOTE_FILTERS: tuple[FilterSpec, ...] = (
    search(_PURCHASE_SEARCH),
    since("UpdatedSince", "Changed since"),
    choice("Status", "Purchase status", PURCHASE_STATUS),
    choice("CreditNoteStatus", "Credit note status", TASK_STATUS),
)

# advanced-purchase reads Simple, Advanced and Service purchases alike (docs/dear-api.md §3.3).
_PURCHASE_DETAIL = DetailSpec(path="advanced-purchase", param="ID", id_field="ID")

_HEADER_COLUMNS: tuple[ColumnSpec, ...] = (
    col("OrderNumber", "Order number"),
    col("OrderDate", "Order date", DATE),
    col("Supplier", "Supplier"),
    col("PurchaseStatus", "Purchase status"),
    col("Location", "Location"),
    col("Currency", "Currency"),
)
_TAIL_COLUMNS: tuple[ColumnSpec, ...] = (
    extra("RequiredBy", "Required by", DATE),
    extra("PurchaseType", "Purchase type"),
    extra("SupplierID", "Supplier ID", GUID),
    extra("PurchaseID", "Purchase ID", GUID),
)
_LINE_COLUMNS: tuple[ColumnSpec, ...] = (
    col("LineNumber", "Line", INTEGER),
    col("SKU", "SKU"),
    col("Name", "Product"),
    col("SupplierSKU", "Supplier's SKU"),
    col("Quantity", "Quantity", QUANTITY),
    col("Price", "Price", MONEY),
    col("Discount", "Discount %", NUMBER),
    col("Tax", "Tax", MONEY),
    col("Total", "Line total", MONEY),
    col("TaxRule", "Tax rule"),
    extra("Comment", "Comment"),
    extra("ProductID", "Product ID", GUID),
)


def _purchase_lines(
    key: str,
    label: str,
    description: str,
    hook: RowsHook,
    middle: tuple[ColumnSpec, ...],
    lines: tuple[ColumnSpec, ...],
    *,
    credit_notes: bool = False,
    date_field: str = "OrderDate",
    date_label: str = "Order date",
) -> EndpointSpec:
    """Build a line-level purchase report: walk the purchases, read each one, one row per line.

    With ``credit_notes`` it walks only the purchases that have a supplier credit note.
    """
    return EndpointSpec(
        key=key,
        label=label,
        description=description,
        group=Group.PURCHASES,
        path="purchaseCreditNoteList" if credit_notes else "purchaseList",
        # The doc's example uses PurchaseList for the credit note list too (docs/dear-api.md §8.1).
        list_key="PurchaseList",
        alt_list_keys=("PurchaseCreditNoteList",) if credit_notes else (),
        id_field="ID",
        filters=CREDIT_NOTE_FILTERS if credit_notes else PURCHASE_FILTERS,
        columns=(*_HEADER_COLUMNS, *middle, *lines, *_TAIL_COLUMNS),
        detail=_PURCHASE_DETAIL,
        rows_hook=hook,
        modified_field="LastUpdatedDate",
        since_filter="UpdatedSince",
        range_filters=RangeFilters("UpdatedSince") if credit_notes else None,
        # Credit-note list rows carry no credit note date: their range stays on "changed since".
        date_field=None if credit_notes else date_field,
        date_label="" if credit_notes else date_label,
        order_by=("OrderNumber",),
    )


PURCHASE_ORDER_LINES = _purchase_lines(
    "purchase-order-lines",
    "Purchase order lines",
    "One row per product ordered on each purchase, with the order number, supplier, date and status.",
    hooks.purchase_order_lines,
    (extra("OrderStatus", "Order status"),),
    _LINE_COLUMNS,
)
# Invoice and credit note lines carry the account but not the supplier's SKU (docs/dear-api.md §4.3).
_INVOICE_LINE_COLUMNS: tuple[ColumnSpec, ...] = (
    *(c for c in _LINE_COLUMNS[:10] if c.field != "SupplierSKU"),
    extra("Account", "Account"),
    *_LINE_COLUMNS[10:],
)

PURCHASE_INVOICE_LINES = _purchase_lines(
    "purchase-invoice-lines",
    "Purchase invoice lines",
    "One row per invoiced line on each supplier invoice (simple and advanced purchases).",
    hooks.purchase_invoice_lines,
    (
        col("InvoiceNumber", "Invoice number"),
        col("InvoiceDate", "Invoice date", DATE),
        col("InvoiceDueDate", "Due date", DATE),
        col("InvoiceStatus", "Invoice status"),
    ),
    _INVOICE_LINE_COLUMNS,
    date_field="InvoiceDate",
    date_label="Invoice date",
)
PURCHASE_CREDIT_NOTE_LINES = _purchase_lines(
    "purchase-credit-note-lines",
    "Purchase credit note lines",
    "One row per credited line on each supplier credit note (simple and advanced purchases).",
    hooks.purchase_credit_note_lines,
    (
        col("CreditNoteNumber", "Credit note number"),
        col("CreditNoteDate", "Credit note date", DATE),
        col("CreditNoteStatus", "Credit note status"),
    ),
    _INVOICE_LINE_COLUMNS,
    credit_notes=True,
)

PURCHASES = EndpointSpec(
    key="purchases",
    label="Purchases",
    description="One row per purchase with its statuses, amounts and dates (no lines; quick to export).",
    group=Group.PURCHASES,
    path="purchaseList",
    list_key="PurchaseList",
    id_field="ID",
    date_field="OrderDate",
    date_label="Order date",
    filters=PURCHASE_FILTERS,
    columns=(
        col("OrderNumber", "Order number"),
        col("OrderDate", "Order date", DATE),
        col("Supplier", "Supplier"),
        col("Status", "Status"),
        col("InvoiceNumber", "Invoice number"),
        col("InvoiceDate", "Invoice date", DATE),
        col("InvoiceDueDate", "Due date", DATE),
        col("InvoiceAmount", "Invoiced amount", MONEY),
        col("PaidAmount", "Paid amount", MONEY),
        col("SupplierCurrency", "Currency"),
        col("RequiredBy", "Required by", DATE),
        col("OrderStatus", "Order status"),
        col("CombinedReceivingStatus", "Receiving status"),
        col("CombinedInvoiceStatus", "Invoice status"),
        col("CombinedPaymentStatus", "Payment status"),
        extra("StockReceivedStatus", "Stock received status"),
        extra("InvoiceStatus", "Invoice task status"),
        extra("CreditNoteNumber", "Credit note number"),
        extra("CreditNoteStatus", "Credit note status"),
        extra("UnstockStatus", "Unstock status"),
        extra("Type", "Purchase type"),
        extra("BlindReceipt", "Blind receipt", BOOL),
        extra("IsServiceOnly", "Service only", BOOL),
        extra("BaseCurrency", "Base currency"),
        col("LastUpdatedDate", "Last changed", DATETIME),
        extra("SupplierID", "Supplier ID", GUID),
        extra("DropShipTaskID", "Drop-ship sale ID", GUID),
        extra("ID", "Purchase ID", GUID),
    ),
    modified_field="LastUpdatedDate",
    since_filter="UpdatedSince",
    order_by=("OrderNumber",),
)

PURCHASE_CREDIT_NOTES = EndpointSpec(
    key="purchase-credit-notes",
    label="Purchase credit notes",
    description="One row per purchase that has a supplier credit note, with its number, status and amounts.",
    group=Group.PURCHASES,
    path="purchaseCreditNoteList",
    # The doc's example uses PurchaseList for this endpoint; accept the obvious key too
    # (docs/dear-api.md §8.1).
    list_key="PurchaseList",
    alt_list_keys=("PurchaseCreditNoteList",),
    id_field="ID",
    filters=CREDIT_NOTE_FILTERS,
    columns=(
        col("CreditNoteNumber", "Credit note number"),
        col("OrderNumber", "Order number"),
        col("Supplier", "Supplier"),
        col("CreditNoteStatus", "Credit note status"),
        col("Status", "Purchase status"),
        col("OrderDate", "Order date", DATE),
        col("InvoiceNumber", "Invoice number"),
        col("InvoiceAmount", "Invoiced amount", MONEY),
        col("PaidAmount", "Paid amount", MONEY),
        col("SupplierCurrency", "Currency"),
        col("UnstockStatus", "Unstock status"),
        extra("Type", "Purchase type"),
        col("LastUpdatedDate", "Last changed", DATETIME),
        extra("SupplierID", "Supplier ID", GUID),
        extra("ID", "Purchase ID", GUID),
    ),
    modified_field="LastUpdatedDate",
    since_filter="UpdatedSince",
    range_filters=RangeFilters("UpdatedSince"),
    order_by=("CreditNoteNumber", "OrderNumber"),
)

SUPPLIERS = EndpointSpec(
    key="suppliers",
    label="Suppliers",
    description="Every supplier with currency, payment terms, tax rule; addresses and contacts on request.",
    group=Group.PURCHASES,
    path="supplier",
    list_key="SupplierList",
    id_field="ID",
    filters=(
        starts_with("Name", "Supplier name"),
        since("ModifiedSince", "Changed since"),
        yes_no("IncludeDeprecated", "Include deprecated suppliers", "also list suppliers no longer in use"),
        guid("ID", "Supplier ID"),
    ),
    columns=(
        col("Name", "Supplier"),
        col("Status", "Status"),
        *main_contact_columns(),
        *billing_address_columns(),
        col("Currency", "Currency"),
        col("PaymentTerm", "Payment term"),
        col("TaxRule", "Tax rule"),
        col("Discount", "Discount %", NUMBER),
        col("TaxNumber", "Tax number"),
        col("AccountPayable", "Payable account"),
        extra("Comments", "Comments"),
        extra("AttributeSet", "Attribute set"),
        *numbered("AdditionalAttribute", "Additional attribute"),
        col("LastModifiedOn", "Last changed", DATETIME),
        extra("ID", "Supplier ID", GUID),
    ),
    children=(
        ChildTable(field="Addresses", label="Supplier addresses", columns=ADDRESS_COLUMNS),
        ChildTable(field="Contacts", label="Supplier contacts", columns=CONTACT_COLUMNS),
    ),
    modified_field="LastModifiedOn",
    since_filter="ModifiedSince",
    range_filters=RangeFilters("ModifiedSince"),
    order_by=("Name",),
)

ENTRIES = (
    PURCHASE_ORDER_LINES,
    PURCHASE_INVOICE_LINES,
    PURCHASE_CREDIT_NOTE_LINES,
    PURCHASES,
    PURCHASE_CREDIT_NOTES,
    SUPPLIERS,
)
"""This group's reports, in display order (line reports first)."""
