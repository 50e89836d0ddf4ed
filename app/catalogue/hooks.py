"""Named hooks for irregular endpoints: they turn (summary row, detail document) into flat rows.

Each line-level report walks a summary list, fetches one detail document per record and
calls its hook, which yields one dict per line. The keys are what the report's columns
name. A hook copies only the fields DEAR actually sent, so a field that never appears is
visible as missing (tests use that to catch drift between the catalogue and the data).
Every row repeats the parent's key fields (number, party, dates, status, location,
currency) so a sheet can be filtered and pivoted without lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from app.models import JsonDict

Doc = Mapping[str, Any]


def _obj(value: Any) -> Doc:
    """Return a nested object, or an empty one when DEAR sent null or something else."""
    return value if isinstance(value, Mapping) else {}


def _objects(value: Any) -> list[Doc]:
    """Return the objects of an array; one object counts as an array of one (Simple vs Advanced)."""
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def _copy(target: JsonDict, source: Doc, fields: Iterable[str], prefix: str = "") -> None:
    """Copy the named fields that are present in ``source`` (under ``prefix + name``)."""
    for name in fields:
        if name in source:
            target[prefix + name] = source[name]


def _first(key: str, *sources: Doc) -> tuple[bool, Any]:
    """Find the first non-empty value of ``key`` in the sources (present-but-empty counts last)."""
    found, empty = False, None
    for source in sources:
        if key in source:
            value = source[key]
            if value not in (None, ""):
                return True, value
            found, empty = True, value
    return found, empty


def _header(pairs: Iterable[tuple[str, str]], *sources: Doc) -> JsonDict:
    """Parent fields for every line: ``(output key, DEAR field)`` looked up in the sources in order."""
    row: JsonDict = {}
    for out_key, field in pairs:
        found, value = _first(field, *sources)
        if found:
            row[out_key] = value
    return row


def _lines(header: JsonDict, lines: Iterable[Doc], fields: Iterable[str], **fixed: Any) -> Iterator[JsonDict]:
    """One row per line: the header, fixed values, a 1-based line number and the line's fields."""
    names = tuple(fields)
    for number, line in enumerate(lines, start=1):
        row = dict(header)
        row.update(fixed)
        row["LineNumber"] = number
        _copy(row, line, names)
        yield row


# --------------------------------------------------------------------------- sales

_SALE_HEADER = (
    ("SaleID", "SaleID"),
    ("SaleID", "ID"),
    ("OrderNumber", "OrderNumber"),
    ("OrderDate", "OrderDate"),
    ("OrderDate", "SaleOrderDate"),
    ("Customer", "Customer"),
    ("CustomerID", "CustomerID"),
    ("CustomerReference", "CustomerReference"),
    ("SaleStatus", "Status"),
    ("Location", "Location"),
    ("Currency", "CustomerCurrency"),
    ("SalesRepresentative", "SalesRepresentative"),
    ("SaleType", "Type"),
    ("Terms", "Terms"),
    ("PriceTier", "PriceTier"),
    # Kept as nested objects: the report's columns read them as ShippingAddress.City and so on.
    ("ShippingAddress", "ShippingAddress"),
    ("BillingAddress", "BillingAddress"),
)
SALE_LINE_FIELDS = (
    "ProductID",
    "SKU",
    "Name",
    "Quantity",
    "Price",
    "Discount",
    "Tax",
    "Total",
    "TaxRule",
    "Account",
    "AverageCost",
    "Comment",
    "DropShip",
    "BackorderQuantity",
)
FULFILMENT_LINE_FIELDS = (
    "ProductID",
    "SKU",
    "Name",
    "Quantity",
    "BatchSN",
    "ExpiryDate",
    "Box",
    "NonInventory",
    "ShipmentDate",
    "Carrier",
    "Boxes",
    "TrackingNumber",
    "TrackingURL",
    "IsShipped",
)


def _sale_header(summary: Doc, detail: Doc) -> JsonDict:
    header = _header(_SALE_HEADER, summary, detail)
    if "OrderNumber" not in header:
        _copy(header, _obj(detail.get("Order")), ("SaleOrderNumber",))
        if "SaleOrderNumber" in header:
            header["OrderNumber"] = header.pop("SaleOrderNumber")
    return header


def sale_order_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per ordered line (``Order.Lines``)."""
    header = _sale_header(summary, detail)
    order = _obj(detail.get("Order"))
    _copy(header, order, ("Status",), prefix="Order")
    yield from _lines(header, _objects(order.get("Lines")), SALE_LINE_FIELDS)


def _sale_document_lines(
    summary: Doc, detail: Doc, block: str, fields: tuple[str, ...], status_prefix: str
) -> Iterator[JsonDict]:
    """One row per line of every document in the sale's ``block`` array (invoices, credit notes)."""
    header = _sale_header(summary, detail)
    for document in _objects(detail.get(block)):
        row = dict(header)
        _copy(row, document, fields)
        _copy(row, document, ("Status",), prefix=status_prefix)
        yield from _lines(row, _objects(document.get("Lines")), SALE_LINE_FIELDS)


def sale_invoice_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per invoice line, for every invoice of the sale."""
    fields = ("InvoiceNumber", "InvoiceDate", "InvoiceDueDate")
    return _sale_document_lines(summary, detail, "Invoices", fields, "Invoice")


def sale_credit_note_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per credit note line, for every credit note of the sale."""
    fields = ("CreditNoteNumber", "CreditNoteInvoiceNumber", "CreditNoteDate")
    return _sale_document_lines(summary, detail, "CreditNotes", fields, "CreditNote")


def sale_fulfilment_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per pick, pack and ship line of every fulfilment, with the stage named."""
    header = _sale_header(summary, detail)
    for fulfilment in _objects(detail.get("Fulfilments")):
        row = dict(header)
        _copy(row, fulfilment, ("FulfillmentNumber", "FulFilmentStatus", "LinkedInvoiceNumber"))
        for stage in ("Pick", "Pack", "Ship"):
            block = _obj(fulfilment.get(stage))
            stage_row = dict(row)
            _copy(stage_row, block, ("Status",), prefix="Stage")
            lines = _objects(block.get("Lines"))
            rows = _lines(stage_row, lines, FULFILMENT_LINE_FIELDS, Stage=stage)
            for line_row, line in zip(rows, lines, strict=True):
                # The line's own location (picked from) must not overwrite the sale's location.
                _copy(line_row, line, ("Location",), prefix="Line")
                yield line_row


# --------------------------------------------------------------------------- purchases

_PURCHASE_HEADER = (
    ("PurchaseID", "ID"),
    ("OrderNumber", "OrderNumber"),
    ("OrderDate", "OrderDate"),
    ("Supplier", "Supplier"),
    ("SupplierID", "SupplierID"),
    ("PurchaseStatus", "Status"),
    ("Location", "Location"),
    ("Currency", "SupplierCurrency"),
    ("RequiredBy", "RequiredBy"),
    ("PurchaseType", "Type"),
)
PURCHASE_LINE_FIELDS = (
    "ProductID",
    "SKU",
    "Name",
    "SupplierSKU",
    "Quantity",
    "Price",
    "Discount",
    "Tax",
    "Total",
    "TaxRule",
    "Account",
    "Comment",
)


def purchase_order_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per ordered line (``Order.Lines``)."""
    header = _header(_PURCHASE_HEADER, summary, detail)
    order = _obj(detail.get("Order"))
    _copy(header, order, ("Status",), prefix="Order")
    yield from _lines(header, _objects(order.get("Lines")), PURCHASE_LINE_FIELDS)


def _purchase_documents(summary: Doc, detail: Doc, block: str) -> Iterator[tuple[JsonDict, Doc]]:
    """Each document of a purchase block (``Invoice``, ``CreditNote``) with a copy of the purchase header.

    Simple purchases carry these blocks as one object, Advanced ones as an array of documents
    (docs/dear-api.md §4.2); both shapes are read the same way.
    """
    header = _header(_PURCHASE_HEADER, summary, detail)
    for document in _objects(detail.get(block)):
        yield dict(header), document


def purchase_invoice_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per invoice line, for every invoice of the purchase (Simple object or Advanced array).

    The doc's own example misspells the invoice number as ``InvocieNumber``, so that
    spelling is accepted too.
    """
    for row, invoice in _purchase_documents(summary, detail, "Invoice"):
        number_field = "InvoiceNumber" if "InvoiceNumber" in invoice else "InvocieNumber"
        if number_field in invoice:
            row["InvoiceNumber"] = invoice[number_field]
        _copy(row, invoice, ("InvoiceDate", "InvoiceDueDate"))
        _copy(row, invoice, ("Status",), prefix="Invoice")
        yield from _lines(row, _objects(invoice.get("Lines")), PURCHASE_LINE_FIELDS)


def purchase_credit_note_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per credited line, for every credit note of the purchase (Simple object or Advanced array).

    A Simple purchase without a credit note still sends an empty ``CreditNote`` object; it
    has no lines, so it yields no rows.
    """
    for row, note in _purchase_documents(summary, detail, "CreditNote"):
        _copy(row, note, ("CreditNoteNumber", "CreditNoteDate"))
        _copy(row, note, ("Status",), prefix="CreditNote")
        yield from _lines(row, _objects(note.get("Lines")), PURCHASE_LINE_FIELDS)


# --------------------------------------------------------------------------- inventory

_ADJUSTMENT_HEADER = (
    ("TaskID", "TaskID"),
    ("StocktakeNumber", "StocktakeNumber"),
    ("EffectiveDate", "EffectiveDate"),
    ("AdjustmentStatus", "Status"),
    ("Account", "Account"),
    ("Reference", "Reference"),
)
STOCK_LINE_FIELDS = (
    "ProductID",
    "SKU",
    "ProductName",
    "Location",
    "BatchSN",
    "ExpiryDate",
    "QuantityOnHand",
    "Available",
    "Adjustment",
    "Quantity",
    "UnitCost",
    "ReceivedDate",
    "Comments",
)


def stock_adjustment_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per adjusted line: existing stock lines first, then new stock lines."""
    header = _header(_ADJUSTMENT_HEADER, summary, detail)
    yield from _lines(
        header, _objects(detail.get("ExistingStockLines")), STOCK_LINE_FIELDS, LineType="Existing stock"
    )
    yield from _lines(header, _objects(detail.get("NewStockLines")), STOCK_LINE_FIELDS, LineType="New stock")


_TRANSFER_HEADER = (
    ("TaskID", "TaskID"),
    ("Number", "Number"),
    ("TransferStatus", "Status"),
    ("FromLocation", "FromLocation"),
    ("ToLocation", "ToLocation"),
    ("DepartureDate", "DepartureDate"),
    ("CompletionDate", "CompletionDate"),
    ("Reference", "Reference"),
)
TRANSFER_LINE_FIELDS = (
    "ProductID",
    "SKU",
    "ProductName",
    "TransferQuantity",
    "QuantityOnHand",
    "QuantityAvailable",
    "BatchSN",
    "ExpiryDate",
    "Comments",
)


def stock_transfer_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per transferred line (``Lines``)."""
    header = _header(_TRANSFER_HEADER, summary, detail)
    yield from _lines(header, _objects(detail.get("Lines")), TRANSFER_LINE_FIELDS)


_WRITE_OFF_HEADER = (
    ("TaskID", "TaskID"),
    ("InventoryWriteOffNumber", "InventoryWriteOffNumber"),
    # The list row names the date Date; the detail document calls it EffectiveDate.
    ("Date", "Date"),
    ("Date", "EffectiveDate"),
    ("WriteOffStatus", "Status"),
    ("Location", "Location"),
    ("LocationID", "LocationID"),
    ("Account", "Account"),
    ("Notes", "Notes"),
)
WRITE_OFF_LINE_FIELDS = (
    "ProductID",
    "SKU",
    "ProductName",
    "Quantity",
    "Unit",
    "UnitCost",
    "BatchSN",
    "ExpiryDate",
    "Bin",
    "Comments",
)


def inventory_write_off_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per written-off line (``Lines``)."""
    header = _header(_WRITE_OFF_HEADER, summary, detail)
    yield from _lines(header, _objects(detail.get("Lines")), WRITE_OFF_LINE_FIELDS)


# --------------------------------------------------------------------------- manufacturing

_ASSEMBLY_HEADER = (
    ("TaskID", "TaskID"),
    ("AssemblyNumber", "AssemblyNumber"),
    ("AssemblyDate", "Date"),
    ("AssemblyStatus", "Status"),
    ("AssemblyLocation", "Location"),
    ("AssembledSKU", "ProductCode"),
    ("AssembledProduct", "ProductName"),
    ("AssembledQuantity", "Quantity"),
)
ASSEMBLY_LINE_FIELDS = (
    "ProductID",
    "ProductCode",
    "Name",
    "Quantity",
    "Unit",
    "WastagePercent",
    "WastageQuantity",
    "TotalQuantity",
    "TotalCost",
    "Bin",
    "BatchSN",
    "ExpiryDate",
    "Cost",
    "ExpenseAccount",
)


def finished_goods_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per component line: the planned order lines, then the picked lines."""
    header = _header(_ASSEMBLY_HEADER, summary, detail)
    yield from _lines(header, _objects(detail.get("OrderLines")), ASSEMBLY_LINE_FIELDS, Stage="Order")
    yield from _lines(header, _objects(detail.get("PickLines")), ASSEMBLY_LINE_FIELDS, Stage="Pick")
