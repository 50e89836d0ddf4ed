"""Sales: line-level reports (order, invoice, credit note and fulfilment lines), sales, customers."""

from __future__ import annotations

import dataclasses

from app.catalogue import hooks, profit
from app.catalogue.customers import CUSTOMERS
from app.catalogue.profit_summary import ProfitSummary
from app.catalogue.vocabulary import (
    BOOL,
    DATE,
    DATETIME,
    GUID,
    INTEGER,
    MONEY,
    NUMBER,
    PACK_STATUS,
    PICK_STATUS,
    QUANTITY,
    QUOTE_STATUS,
    SALE_INVOICE_STATUS,
    SALE_ORDER_STATUS,
    SALE_STATUS,
    SHIP_STATUS,
    TASK_STATUS,
    choice,
    col,
    exact,
    extra,
    guid,
    on_date,
    search,
    since,
    yes_no,
)
from app.models import (
    ColumnSpec,
    DetailSpec,
    EndpointSpec,
    FilterSpec,
    Group,
    RangeFilters,
    RowsHook,
)

_SALE_SEARCH = "order number, status, customer, invoice number, customer reference and credit note number"

SALE_FILTERS: tuple[FilterSpec, ...] = (
    search(_SALE_SEARCH),
    on_date("CreatedSince", "Created since", "created on or after this date"),
    since("UpdatedSince", "Changed since"),
    on_date("ShipBy", "Ship by", "ship-by date on or before this date, not yet shipped"),
    choice("Status", "Sale status", SALE_STATUS),
    choice("QuoteStatus", "Quote status", QUOTE_STATUS),
    choice("OrderStatus", "Order status", SALE_ORDER_STATUS),
    # DEAR's filter names differ from the row fields (CombinedPickingStatus): docs/dear-api.md §8.4.
    choice("CombinedPickStatus", "Pick status", PICK_STATUS),
    choice("CombinedPackStatus", "Pack status", PACK_STATUS),
    choice("CombinedShippingStatus", "Shipping status", SHIP_STATUS),
    choice("CombinedInvoiceStatus", "Invoice status", SALE_INVOICE_STATUS),
    choice("CreditNoteStatus", "Credit note status", TASK_STATUS),
    yes_no("ReadyForShipping", "Ready for shipping"),
    exact("ExternalID", "External ID"),
    guid("OrderLocationID", "Order location ID"),
)
CREDIT_NOTE_FILTERS: tuple[FilterSpec, ...] = (
    search(_SALE_SEARCH),
    on_date("CreatedSince", "Created since", "created on or after this date"),
    since("UpdatedSince", "Changed since"),
    choice("Status", "Sale status", SALE_STATUS),
    choice("CreditNoteStatus", "Credit note status", TASK_STATUS),
)

_SALE_DETAIL = DetailSpec(path="sale", param="ID", id_field="SaleID")

# The sale's key fields, repeated on every line row (produced by the hooks).
_SALE_HEADER_COLUMNS: tuple[ColumnSpec, ...] = (
    col("OrderNumber", "Order number"),
    col("OrderDate", "Order date", DATE),
    col("Customer", "Customer"),
    col("SaleStatus", "Sale status"),
    col("Location", "Location"),
    col("Currency", "Currency"),
    extra("CustomerReference", "Customer reference"),
    extra("SalesRepresentative", "Sales representative"),
    extra("SaleType", "Sale type"),
    extra("Terms", "Payment terms"),
    extra("PriceTier", "Price tier"),
    extra("ShippingAddress.Company", "Ship-to company"),
    extra("ShippingAddress.Line1", "Ship-to address line 1"),
    extra("ShippingAddress.City", "Ship-to city"),
    extra("ShippingAddress.State", "Ship-to state or region"),
    extra("ShippingAddress.Postcode", "Ship-to postcode"),
    extra("ShippingAddress.Country", "Ship-to country"),
    extra("BillingAddress.City", "Billing city"),
    extra("BillingAddress.Country", "Billing country"),
    extra("CustomerID", "Customer ID", GUID),
    extra("SaleID", "Sale ID", GUID),
)
_SALE_LINE_COLUMNS: tuple[ColumnSpec, ...] = (
    col("LineNumber", "Line", INTEGER),
    col("SKU", "SKU"),
    col("Name", "Product"),
    col("Quantity", "Quantity", QUANTITY),
    col("Price", "Price", MONEY),
    col("Discount", "Discount %", NUMBER),
    col("Tax", "Tax", MONEY),
    col("Total", "Line total", MONEY),
    col("TaxRule", "Tax rule"),
    extra("AverageCost", "Average cost", MONEY),
    extra("Comment", "Comment"),
    extra("ProductID", "Product ID", GUID),
)


def _sale_lines(
    key: str,
    label: str,
    description: str,
    hook: RowsHook,
    middle: tuple[ColumnSpec, ...],
    lines: tuple[ColumnSpec, ...] = _SALE_LINE_COLUMNS,
    *,
    credit_notes: bool = False,
    date_field: str | None = "OrderDate",
    date_label: str = "Order date",
    product_fields: tuple[str, ...] = (),
) -> EndpointSpec:
    """Build a line-level sales report: walk the sales, read each one, one row per line."""
    return EndpointSpec(
        key=key,
        label=label,
        description=description,
        group=Group.SALES,
        path="saleCreditNoteList" if credit_notes else "saleList",
        list_key="SaleList",
        alt_list_keys=("SaleCreditNoteList",) if credit_notes else (),
        id_field="SaleID",
        filters=CREDIT_NOTE_FILTERS if credit_notes else SALE_FILTERS,
        columns=(*_SALE_HEADER_COLUMNS[:6], *middle, *lines, *_SALE_HEADER_COLUMNS[6:]),
        detail=_SALE_DETAIL,
        rows_hook=hook,
        modified_field="Updated",
        since_filter="UpdatedSince",
        range_filters=RangeFilters("UpdatedSince") if credit_notes else None,
        # Credit-note list rows carry no credit note date: their range stays on "changed since".
        date_field=None if credit_notes else date_field,
        date_label="" if credit_notes else date_label,
        order_by=("OrderNumber",),
        product_fields=product_fields,
    )


# Sale lines name their product, not its category: the export reads it from the product list.
_CATEGORY = extra("Category", "Category")
SALE_ORDER_LINES = _sale_lines(
    "sale-order-lines",
    "Sale order lines",
    "One row per product ordered on each sale, with the sale's number, customer, date and status.",
    hooks.sale_order_lines,
    (extra("OrderStatus", "Order status"),),
    (
        *_SALE_LINE_COLUMNS[:9],
        extra("BackorderQuantity", "Backordered", QUANTITY),
        extra("DropShip", "Drop ship", BOOL),
        _CATEGORY,
        *_SALE_LINE_COLUMNS[9:],
    ),
    product_fields=("Category",),
)
SALE_INVOICE_LINES = _sale_lines(
    "sale-invoice-lines",
    "Sale invoice lines",
    "One row per invoiced line on each sale invoice, with the invoice number and dates.",
    hooks.sale_invoice_lines,
    (
        col("InvoiceNumber", "Invoice number"),
        col("InvoiceDate", "Invoice date", DATE),
        col("InvoiceDueDate", "Due date", DATE),
        col("InvoiceStatus", "Invoice status"),
    ),
    (*_SALE_LINE_COLUMNS[:9], extra("Account", "Revenue account"), _CATEGORY, *_SALE_LINE_COLUMNS[9:]),
    date_field="InvoiceDate",
    date_label="Invoice date",
    product_fields=("Category",),
)
# Rides on the sale detail sale-invoice-lines already fetches: same list, filters and date range.
SALE_PROFIT_LINES = dataclasses.replace(
    SALE_INVOICE_LINES,
    key="sale-profit-lines",
    label="Sale profit by line",
    description=profit.DESCRIPTION,
    rows_hook=profit.sale_profit_lines,
    columns=(*profit.COLUMNS, *_SALE_HEADER_COLUMNS[6:]),
    digest=ProfitSummary,
)
SALE_CREDIT_NOTE_LINES = _sale_lines(
    "sale-credit-note-lines",
    "Sale credit note lines",
    "One row per credited line on each sale credit note.",
    hooks.sale_credit_note_lines,
    (
        col("CreditNoteNumber", "Credit note number"),
        col("CreditNoteDate", "Credit note date", DATE),
        col("CreditNoteStatus", "Credit note status"),
        extra("CreditNoteInvoiceNumber", "Credited invoice"),
    ),
    (*_SALE_LINE_COLUMNS[:9], extra("Account", "Account"), *_SALE_LINE_COLUMNS[9:]),
    credit_notes=True,
)
SALE_FULFILMENT_LINES = _sale_lines(
    "sale-fulfilment-lines",
    "Sale pick, pack and ship lines",
    "One row per pick, pack and ship line of each fulfilment, with a Stage column.",
    hooks.sale_fulfilment_lines,
    (
        col("FulfillmentNumber", "Fulfilment", INTEGER),
        col("Stage", "Stage"),
        col("StageStatus", "Stage status"),
        extra("FulFilmentStatus", "Fulfilment status"),
        extra("LinkedInvoiceNumber", "Linked invoice"),
    ),
    (
        col("LineNumber", "Line", INTEGER),
        col("SKU", "SKU"),
        col("Name", "Product"),
        col("Quantity", "Quantity", QUANTITY),
        col("LineLocation", "Picked from"),
        col("BatchSN", "Batch or serial number"),
        col("ExpiryDate", "Expiry date", DATE),
        col("Box", "Box"),
        col("ShipmentDate", "Shipment date", DATE),
        col("Carrier", "Carrier"),
        col("Boxes", "Boxes"),
        col("TrackingNumber", "Tracking number"),
        extra("TrackingURL", "Tracking link"),
        col("IsShipped", "Shipped", BOOL),
        extra("NonInventory", "Non-inventory", BOOL),
        extra("ProductID", "Product ID", GUID),
    ),
)

SALES = EndpointSpec(
    key="sales",
    label="Sales",
    description="One row per sale with its statuses, amounts and dates (no lines; quick to export).",
    group=Group.SALES,
    path="saleList",
    list_key="SaleList",
    id_field="SaleID",
    date_field="OrderDate",
    date_label="Order date",
    filters=SALE_FILTERS,
    columns=(
        col("OrderNumber", "Order number"),
        col("OrderDate", "Order date", DATE),
        col("Customer", "Customer"),
        col("Status", "Status"),
        col("InvoiceNumber", "Invoice number"),
        col("InvoiceDate", "Invoice date", DATE),
        col("InvoiceDueDate", "Due date", DATE),
        col("InvoiceAmount", "Invoiced amount", MONEY),
        col("PaidAmount", "Paid amount", MONEY),
        col("CustomerCurrency", "Currency"),
        col("CustomerReference", "Customer reference"),
        col("ShipBy", "Ship by", DATE),
        col("OrderStatus", "Order status"),
        col("CombinedPickingStatus", "Pick status"),
        col("CombinedPackingStatus", "Pack status"),
        col("CombinedShippingStatus", "Shipping status"),
        col("CombinedInvoiceStatus", "Invoice status"),
        col("CombinedPaymentStatus", "Payment status"),
        extra("QuoteStatus", "Quote status"),
        extra("FulFilmentStatus", "Fulfilment status"),
        extra("CreditNoteNumber", "Credit note number"),
        extra("CreditNoteStatus", "Credit note status"),
        extra("CombinedTrackingNumbers", "Tracking numbers"),
        extra("Type", "Sale type"),
        extra("SourceChannel", "Source channel"),
        extra("ExternalID", "External ID"),
        extra("BaseCurrency", "Base currency"),
        col("Updated", "Last changed", DATETIME),
        extra("CustomerID", "Customer ID", GUID),
        extra("OrderLocationID", "Order location ID", GUID),
        extra("SaleID", "Sale ID", GUID),
    ),
    modified_field="Updated",
    since_filter="UpdatedSince",
    order_by=("OrderNumber",),
)

SALE_CREDIT_NOTES = EndpointSpec(
    key="sale-credit-notes",
    label="Sale credit notes",
    description="One row per sale that has a credit note, with the credit note number, status and amounts.",
    group=Group.SALES,
    path="saleCreditNoteList",
    # The doc's example uses SaleList for this endpoint; accept the obvious key too (docs/dear-api.md §8.1).
    list_key="SaleList",
    alt_list_keys=("SaleCreditNoteList",),
    id_field="SaleID",
    filters=CREDIT_NOTE_FILTERS,
    columns=(
        col("CreditNoteNumber", "Credit note number"),
        col("OrderNumber", "Order number"),
        col("Customer", "Customer"),
        col("CreditNoteStatus", "Credit note status"),
        col("Status", "Sale status"),
        col("OrderDate", "Order date", DATE),
        col("InvoiceNumber", "Invoice number"),
        col("InvoiceAmount", "Invoiced amount", MONEY),
        col("PaidAmount", "Paid amount", MONEY),
        col("CustomerCurrency", "Currency"),
        col("RestockStatus", "Restock status"),
        extra("CustomerReference", "Customer reference"),
        extra("Type", "Type"),
        col("Updated", "Last changed", DATETIME),
        extra("CustomerID", "Customer ID", GUID),
        extra("SaleID", "Sale ID", GUID),
    ),
    modified_field="Updated",
    since_filter="UpdatedSince",
    range_filters=RangeFilters("UpdatedSince"),
    order_by=("CreditNoteNumber", "OrderNumber"),
)

ENTRIES = (
    SALE_ORDER_LINES,
    SALE_INVOICE_LINES,
    SALE_PROFIT_LINES,
    SALE_CREDIT_NOTE_LINES,
    SALE_FULFILMENT_LINES,
    SALES,
    SALE_CREDIT_NOTES,
    CUSTOMERS,
)
"""This group's reports, in display order (line reports first)."""
