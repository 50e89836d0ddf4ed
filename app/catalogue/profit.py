"""Profit per sale line: revenue, cost of goods and margin on every invoice and credit note line.

The sale's detail document, which the line reports already fetch, carries the cost of the goods
that left for each product (``InventoryMovements``, docs/dear-api.md §11.2): no extra request.
Cost of goods for a product on a sale = that sale's movement rows for the product summed (DEAR
adds correcting rows later), shared between the sale's lines of that product by quantity.
Rows of a credit note's own task (goods restocked) belong to that credit note's lines; every
other row (the shipments and their corrections) to the invoice lines. Credit note lines are
negative rows, so a period's profit nets its returns. Revenue is in the sale's currency and,
with the invoice's rate, in the base currency; cost, profit and margin are in the base currency.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from app.catalogue.hooks import Doc, _objects, _sale_header
from app.catalogue.vocabulary import DATE, GUID, MONEY, NUMBER, QUANTITY, col, extra
from app.models import ColumnSpec, JsonDict

__all__ = ["COLUMNS", "DESCRIPTION", "cost_of_goods", "sale_profit_lines"]

DESCRIPTION = (
    "Revenue, cost of goods and margin per invoice line, credit notes as negative rows; "
    "the cost is what DEAR recorded for the goods that left on that sale."
)
COLUMNS: tuple[ColumnSpec, ...] = (
    col("Date", "Invoice or credit note date", DATE),
    col("DocumentType", "Document"),
    col("InvoiceNumber", "Invoice number"),
    col("CreditNoteNumber", "Credit note number"),
    col("OrderNumber", "Order number"),
    col("Customer", "Customer"),
    col("SKU", "SKU"),
    col("Name", "Product or charge"),
    col("Category", "Category"),  # from the product list (EndpointSpec.product_fields), not the sale
    col("Quantity", "Quantity", QUANTITY),
    col("Revenue", "Revenue (sale currency)", MONEY),
    col("Currency", "Currency"),
    col("RevenueBase", "Revenue (base currency)", MONEY),
    col("Cost", "Cost of goods", MONEY),
    col("Profit", "Profit", MONEY),
    col("Margin", "Margin %", NUMBER),
    col("CostNote", "Cost note"),
    extra("LineType", "Line type"),
    extra("CurrencyRate", "Currency rate", NUMBER),
    extra("Price", "Price", MONEY),
    extra("Discount", "Discount %", NUMBER),
    extra("Tax", "Tax", MONEY),
    extra("Account", "Revenue account"),
    extra("DocumentStatus", "Document status"),
    extra("OrderDate", "Order date", DATE),
    extra("SaleStatus", "Sale status"),
    extra("Location", "Location"),
    extra("ProductID", "Product ID", GUID),
)
"""The report's own columns; the sale's extra header columns follow (app/catalogue/sales.py)."""

_MONEY = Decimal("0.0001")
_PERCENT = Decimal("0.01")
_HUNDRED = Decimal(100)

NOTE_NOT_SHIPPED = "Not shipped yet: the goods have not left, so there is no cost of goods."
NOTE_NO_COGS = "DEAR recorded no cost of goods for this product on this sale."
NOTE_HIDDEN = "The sale arrived without its cost of goods, so this line has none."
NOTE_CHARGE = "An additional charge: no goods, so no cost of goods."
NOTE_NOT_RESTOCKED = "Credited without the goods coming back: no cost of goods returns."
NOTE_RESTOCK_PENDING = "The goods are due back into stock, but DEAR has no cost for them yet."


def cost_of_goods(cogs_total: Decimal) -> Decimal:
    """Turn the sum of a product's ``COGS`` movement rows into its cost of goods (the one sign rule).

    DEAR does not document the sign; its examples show goods leaving as negative numbers
    (docs/dear-api.md §11.2). Goods leaving are a positive cost here, so rows of goods coming
    back (a credit note's restock) make a negative cost. This is the only place that decides it.
    """
    return -cogs_total


def _number(value: Any) -> Decimal | None:
    """Read a DEAR number as a Decimal (every digit kept); None for missing or non-numbers."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _rate(document: Doc, field: str, detail: Doc) -> Decimal:
    """Return base units per unit of the sale's currency (docs/dear-api.md §5.2), else the sale's rate."""
    for value in (document.get(field), detail.get("CurrencyRate")):
        rate = _number(value)
        if rate is not None and rate > 0:
            return rate
    return Decimal(1)


def _movement_costs(detail: Doc, credit_tasks: set[str]) -> dict[tuple[str, str], Decimal]:
    """Cost of goods per (task group, product): the credit note's TaskID, or "" for everything else."""
    totals: dict[tuple[str, str], Decimal] = {}
    for row in _objects(detail.get("InventoryMovements")):
        product, cogs = str(row.get("ProductID") or "").lower(), _number(row.get("COGS"))
        if not product or cogs is None:
            continue
        task = str(row.get("TaskID") or "").lower()
        key = (task if task in credit_tasks else "", product)
        totals[key] = totals.get(key, Decimal(0)) + cogs
    return {key: cost_of_goods(total) for key, total in totals.items()}


def _quantities(lines: Sequence[Doc]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for line in lines:
        product = str(line.get("ProductID") or "").lower()
        if product:
            out[product] = out.get(product, Decimal(0)) + abs(_number(line.get("Quantity")) or Decimal(0))
    return out


def _share(cost: Decimal, quantity: Decimal, total_quantity: Decimal, lines_of_product: int) -> Decimal:
    """Return a line's part of its product's cost: by quantity (equal parts if every quantity is zero)."""
    if total_quantity:
        return cost * quantity / total_quantity
    return cost / max(1, lines_of_product)


def _money(value: Decimal) -> Decimal:
    return value.quantize(_MONEY)


def _figures(row: JsonDict, revenue: Decimal, rate: Decimal, cost: Decimal | None, note: str) -> JsonDict:
    """Revenue in both currencies, cost, profit and margin %; an unknown cost leaves profit empty."""
    base = revenue * rate
    row["Revenue"] = _money(revenue)
    row["CurrencyRate"] = rate
    row["RevenueBase"] = _money(base)
    if cost is not None:
        profit = base - cost
        row["Cost"] = _money(cost)
        row["Profit"] = _money(profit)
        if base:
            row["Margin"] = (profit / base * _HUNDRED).quantize(_PERCENT)
    if note:
        row["CostNote"] = note
    return row


def _product_line(line: Doc) -> JsonDict:
    row: JsonDict = {"LineType": "Product"}
    for name in ("ProductID", "SKU", "Name", "Price", "Discount", "Tax", "Account"):
        if name in line:
            row[name] = line[name]
    return row


def sale_profit_lines(summary: Doc, detail: Doc) -> Iterator[JsonDict]:
    """One row per invoice line and additional charge; credit note lines and charges as negative rows."""
    header = _sale_header(summary, detail)
    invoices, notes = _live(detail.get("Invoices")), _live(detail.get("CreditNotes"))
    # Every credit note's rows are its own, a voided one's too (then they count for nobody).
    every_note = _objects(detail.get("CreditNotes"))
    credit_tasks = {str(note.get("TaskID") or "").lower() for note in every_note} - {""}
    costed = "InventoryMovements" in detail
    costs = _movement_costs(detail, credit_tasks)
    shipped = any(task == "" for task, _ in costs)
    # Every invoice line of a product shares that product's cost (a product may be on several lines).
    invoice_lines = [line for invoice in invoices for line in _objects(invoice.get("Lines"))]
    invoice_quantity, invoice_count = _quantities(invoice_lines), _count(invoice_lines)
    if not costed:
        missing_note = NOTE_HIDDEN
    elif shipped:
        missing_note = NOTE_NO_COGS
    else:
        missing_note = NOTE_NOT_SHIPPED
    for invoice in invoices:
        base = dict(header, DocumentType="Invoice")
        _take(base, invoice, ("InvoiceNumber", "Status"), ("InvoiceNumber", "DocumentStatus"))
        _take(base, invoice, ("InvoiceDate",), ("Date",))
        rate = _rate(invoice, "CurrencyConversionRate", detail)
        for line in _objects(invoice.get("Lines")):
            product = str(line.get("ProductID") or "").lower()
            quantity = _number(line.get("Quantity")) or Decimal(0)
            # Total is the line before tax (its Tax is a field of its own, docs/dear-api.md §4.3); how
            # DEAR fills it on tax-inclusive sales is not documented.
            revenue = _number(line.get("Total")) or Decimal(0)
            if not product:  # an additional charge folded into the lines (CombineAdditionalCharges)
                yield _charge(base, line, rate, 1)
                continue
            row = dict(base, **_product_line(line), Quantity=quantity)
            cost = costs.get(("", product))
            if cost is None:
                yield _figures(row, revenue, rate, None, missing_note)
                continue
            part = _share(cost, abs(quantity), invoice_quantity[product], invoice_count[product])
            yield _figures(row, revenue, rate, part, "")
        for charge in _objects(invoice.get("AdditionalCharges")):
            yield _charge(base, charge, rate, 1)
    for note in notes:
        yield from _credit_note_rows(header, detail, note, costs)


def _credit_note_rows(
    header: JsonDict, detail: Doc, note: Doc, costs: dict[tuple[str, str], Decimal]
) -> Iterator[JsonDict]:
    """Yield a credit note's lines and charges as negative rows; restocked goods bring their cost back."""
    base = dict(header, DocumentType="Credit note")
    _take(
        base,
        note,
        ("CreditNoteInvoiceNumber", "CreditNoteNumber", "Status"),
        ("InvoiceNumber", "CreditNoteNumber", "DocumentStatus"),
    )
    _take(base, note, ("CreditNoteDate",), ("Date",))
    rate = _rate(note, "CreditNoteConversionRate", detail)
    task = str(note.get("TaskID") or "").lower()
    lines = _objects(note.get("Lines"))
    quantity_of, count_of = _quantities(lines), _count(lines)
    restocked = {str(line.get("ProductID") or "").lower() for line in _objects(note.get("Restock"))}
    for line in lines:
        product = str(line.get("ProductID") or "").lower()
        if not product:
            yield _charge(base, line, rate, -1)
            continue
        quantity = abs(_number(line.get("Quantity")) or Decimal(0))
        revenue = -(_number(line.get("Total")) or Decimal(0))
        row = dict(base, **_product_line(line), Quantity=-quantity)
        cost = costs.get((task, product))
        if cost is not None:
            part = _share(cost, quantity, quantity_of[product], count_of[product])
            yield _figures(row, revenue, rate, part, "")
        elif product in restocked:
            yield _figures(row, revenue, rate, None, NOTE_RESTOCK_PENDING)
        else:
            yield _figures(row, revenue, rate, Decimal(0), NOTE_NOT_RESTOCKED)
    for charge in _objects(note.get("AdditionalCharges")):
        yield _charge(base, charge, rate, -1)


def _charge(base: JsonDict, charge: Doc, rate: Decimal, sign: int) -> JsonDict:
    """Return an additional charge (freight, fees) as a row: revenue with no cost of goods."""
    row = dict(base, LineType="Additional charge")
    name = charge.get("Description") or charge.get("Name")
    if name not in (None, ""):
        row["Name"] = name
    for field in ("Price", "Discount", "Tax", "Account"):
        if field in charge:
            row[field] = charge[field]
    quantity = _number(charge.get("Quantity"))
    if quantity is not None:
        row["Quantity"] = sign * abs(quantity)
    revenue = sign * (_number(charge.get("Total")) or Decimal(0))
    return _figures(row, revenue, rate, Decimal(0), NOTE_CHARGE)


def _live(value: Any) -> list[Doc]:
    """Return the documents of a block that count: a voided invoice or credit note earned nothing."""
    return [doc for doc in _objects(value) if str(doc.get("Status") or "").upper() != "VOIDED"]


def _count(lines: Sequence[Doc]) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in lines:
        product = str(line.get("ProductID") or "").lower()
        if product:
            out[product] = out.get(product, 0) + 1
    return out


def _take(row: JsonDict, source: Doc, fields: Sequence[str], names: Sequence[str]) -> None:
    """Copy the present ``fields`` of ``source`` into ``row`` under ``names``."""
    for field, name in zip(fields, names, strict=True):
        if field in source:
            row[name] = source[field]
