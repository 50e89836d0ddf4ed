"""Purchases: the plan every purchase is built from, and its ``purchaseList`` row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num, timestamp
from app.sandbox.sales import Line

STAGES = (
    ("DRAFT", 0.05),
    ("ORDERED", 0.12),
    ("RECEIVED", 0.1),
    ("INVOICED", 0.13),
    ("COMPLETED", 0.45),
    ("CREDITED", 0.1),
    ("VOIDED", 0.05),
)
ORDER = [s for s, _ in STAGES]
DEPRECATED_MESSAGE = "This endpoint is deprecated and does not support Advanced Purchase and Service Purchase"


@dataclass
class PurchasePlan:
    """Everything random about a purchase, decided once."""

    index: int
    stage: str
    kind: str
    supplier: int
    location: int
    order_date: date
    updated: datetime
    lines: list[Line]
    required_by: date | None

    def reached(self, stage: str) -> bool:
        """Return True if the purchase got at least as far as ``stage``."""
        return self.stage != "VOIDED" and ORDER.index(self.stage) >= ORDER.index(stage)


def purchase_type(i: int) -> str:
    """Return Simple, Advanced or Service, spread by index."""
    if i % 15 == 7:
        return "Service Purchase"
    return "Advanced Purchase" if i % 4 == 1 else "Simple Purchase"


def plan(ds: Account, i: int) -> PurchasePlan:
    """Decide purchase ``i`` (touches applied)."""
    rng = ds.rng("purchase", i)
    n = max(1, ds.counts["purchase"])
    span = 455
    order_date = ds.today - timedelta(days=span - min(span - 1, int(i * span / n)))
    roll, stage = rng.random(), "COMPLETED"
    for name, share in STAGES:
        roll -= share
        if roll < 0:
            stage = name
            break
    lines = [
        Line(ds.pick_product(rng), rng.randrange(1, 60), round(rng.uniform(1, 150), rng.choice((0, 2, 4))), 0)
        for _ in range(rng.randrange(1, 6))
    ]
    updated_day = min(ds.today - timedelta(days=1), order_date + timedelta(days=rng.randrange(0, 40)))
    p = PurchasePlan(
        index=i,
        stage=stage,
        kind=purchase_type(i),
        supplier=ds.pick_active("supplier", rng),
        location=rng.randrange(len(ds.refs.warehouses)),
        order_date=order_date,
        updated=ds.moment(updated_day, rng.uniform(0, 86399)),
        lines=lines,
        required_by=None if i % 3 == 0 else order_date + timedelta(days=14),
    )
    change = ds.change("purchase", i)
    if change is not None:
        p.updated = change.updated
        if change.version and p.lines:
            p.lines[0].quantity = round(float(p.lines[0].quantity) + change.version, 4)
        if change.voided:
            p.stage = "VOIDED"
    return p


def totals(lines: list[Line]) -> tuple[float, float, float]:
    """Return (before tax, tax, total) of some lines."""
    before = round(sum(line.total for line in lines), 4)
    tax = round(sum(line.tax for line in lines), 4)
    return before, tax, round(before + tax, 4)


def statuses(p: PurchasePlan) -> JsonDict:
    """Return the purchase's status fields as DEAR derives them from its stage."""
    voided = p.stage == "VOIDED"
    ordered = p.reached("ORDERED")
    received = p.reached("RECEIVED") and p.kind != "Service Purchase"
    invoiced = p.reached("INVOICED")
    paid = p.reached("COMPLETED")
    credited = p.stage == "CREDITED"
    status = {"CREDITED": "COMPLETED / CREDIT NOTE CLOSED", "RECEIVED": "RECEIVED"}.get(p.stage, p.stage)
    if p.stage == "DRAFT":
        status = "DRAFT"
    return {
        "Status": status,
        "OrderStatus": "VOIDED" if voided else ("AUTHORISED" if ordered else "DRAFT"),
        "StockReceivedStatus": "VOIDED"
        if voided
        else ("AUTHORISED" if received else ("DRAFT" if ordered else "NOT AVAILABLE")),
        "UnstockStatus": "AUTHORISED" if credited else "NOT AVAILABLE",
        "InvoiceStatus": "VOIDED"
        if voided
        else ("PAID" if paid else ("AUTHORISED" if invoiced else "NOT AVAILABLE")),
        "CreditNoteStatus": "AUTHORISED" if credited else "NOT AVAILABLE",
        "CombinedReceivingStatus": "VOIDED"
        if voided
        else ("FULLY RECEIVED" if received else ("NOT RECEIVED" if ordered else "NOT AVAILABLE")),
        "CombinedInvoiceStatus": "VOIDED"
        if voided
        else (
            "INVOICED / CREDITED"
            if credited
            else ("INVOICED" if invoiced else ("NOT INVOICED" if ordered else "NOT AVAILABLE"))
        ),
        "CombinedPaymentStatus": "VOIDED" if voided else ("PAID" if paid else "UNPAID"),
    }


def list_row(ds: Account, i: int) -> JsonDict:
    """Return the ``PurchaseList[]`` row of purchase ``i``."""
    p = plan(ds, i)
    supplier = ds.row("supplier", p.supplier)
    invoiced = p.reached("INVOICED")
    total = totals(p.lines)[2]
    credited = totals(p.lines[:1])[2] if p.stage == "CREDITED" else 0
    invoice_day = p.order_date + timedelta(days=10)
    return {
        "ID": ds.ids.make("purchase", i),
        "BlindReceipt": False,
        "OrderNumber": f"PO-{i + 1:05d}",
        "OrderDate": business_date(p.order_date),
        "InvoiceDate": business_date(invoice_day) if invoiced else None,
        "Supplier": supplier["Name"],
        "SupplierID": supplier["ID"],
        "InvoiceNumber": f"BILL-{i + 1:05d}" if invoiced else "",
        "InvoiceAmount": num(total - credited) if invoiced else 0,
        "PaidAmount": num(total - credited) if p.reached("COMPLETED") else 0,
        "InvoiceDueDate": business_date(invoice_day + timedelta(days=20)) if invoiced else None,
        "RequiredBy": business_date(p.required_by) if p.required_by else None,
        "BaseCurrency": "NZD",
        "SupplierCurrency": supplier["Currency"],
        "CreditNoteNumber": f"PCR-{i + 1:05d}" if p.stage == "CREDITED" else "",
        **statuses(p),
        # why: production sends LastUpdatedDate without Z and with two fraction digits
        "LastUpdatedDate": timestamp(p.updated, 2, zulu=False),
        "Type": p.kind,
        "IsServiceOnly": p.kind == "Service Purchase",
        "DropShipTaskID": None,
    }


def has_credit_note(ds: Account, i: int) -> bool:
    """Return True if purchase ``i`` has a credit note (appears in ``purchaseCreditNoteList``)."""
    return plan(ds, i).stage == "CREDITED"
