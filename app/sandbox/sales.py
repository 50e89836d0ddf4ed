"""Sales: the plan every sale is built from, and its ``saleList`` / ``saleCreditNoteList`` rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num, timestamp

# Stages a sale moves through, with their share of the data set.
STAGES = (
    ("DRAFT", 0.03),
    ("ESTIMATED", 0.04),
    ("ORDERED", 0.07),
    ("PICKED", 0.04),
    ("PACKED", 0.04),
    ("SHIPPING", 0.06),
    ("INVOICED", 0.12),
    ("COMPLETED", 0.44),
    ("CREDITED", 0.12),
    ("VOIDED", 0.04),
)
ORDER = [s for s, _ in STAGES]


def _stage(roll: float) -> str:
    for name, share in STAGES:
        roll -= share
        if roll < 0:
            return name
    return "COMPLETED"


@dataclass
class Line:
    """One order line before it is rendered."""

    product: int
    quantity: float
    price: float
    discount: float

    @property
    def total(self) -> float:
        """Line total before tax, as DEAR rounds it."""
        return round(self.quantity * self.price * (1 - self.discount / 100), 4)

    @property
    def tax(self) -> float:
        """15 % GST on the line total."""
        return round(self.total * 0.15, 4)


@dataclass
class SalePlan:
    """Everything random about a sale, decided once; list row and detail both derive from it."""

    index: int
    stage: str
    advanced: bool
    customer: int
    location: int
    order_date: date
    updated: datetime
    lines: list[Line]
    skip_quote: bool
    ship_by: date | None
    source: str | None
    external: str | None
    # Invoiced before the goods left (DEAR allows invoice-first): no shipment, so no cost of goods yet.
    invoice_first: bool = False
    currency_rate: float = 1.0

    def reached(self, stage: str) -> bool:
        """Return True if the sale got at least as far as ``stage`` (voided sales reach nothing)."""
        if self.stage == "VOIDED":
            return False
        if stage == "SHIPPING" and self.invoice_first:
            return False
        return ORDER.index(self.stage) >= ORDER.index(stage)


# Base (NZD) units per one unit of the customer's currency (docs/dear-api.md §5.2), varied a little per sale.
_RATES = {"NZD": 1.0, "AUD": 1.0812, "USD": 1.6534, "CNY": 0.2291}


def currency_rate(currency: str, i: int) -> float:
    """Return the ``CurrencyRate`` of sale ``i`` in ``currency`` (1 for the base currency)."""
    base = _RATES.get(currency, 1.0)
    return 1.0 if base == 1.0 else round(base * (1 + ((i % 7) - 3) / 200), 4)


def plan(ds: Account, i: int) -> SalePlan:
    """Decide sale ``i``: customer, dates, stage and lines (touches applied)."""
    rng = ds.rng("sale", i)
    n = max(1, ds.counts["sale"])
    span = 455
    offset = min(span - 1, int(i * span / n) + rng.randrange(0, 3))
    order_date = ds.today - timedelta(days=span - offset)
    customer = ds.pick_active("customer", rng)
    rate = currency_rate(str(ds.row("customer", customer)["Currency"]), i)
    lines = []
    for _ in range(rng.randrange(1, 6)):
        quantity = rng.randrange(1, 12) if rng.random() < 0.85 else round(rng.uniform(0.5, 9), 4)
        product = ds.pick_product(rng)
        # Priced near the product's first price tier (base currency), in the customer's currency.
        list_price = float(ds.row("product", product)["PriceTier1"] or 0) or 10.0
        price = round(list_price * rng.uniform(0.85, 1.25) / rate, rng.choice((0, 2, 4)))
        lines.append(Line(product, quantity, max(price, 0.5), (0, 0, 0, 10, 12.5)[rng.randrange(5)]))
    if i % 8 == 5 and len(lines) > 1:
        # The same product on two lines of one sale (a second line at another price).
        lines[-1].product = lines[0].product
    days_after = rng.randrange(0, 25)
    updated_day = min(ds.today - timedelta(days=1), order_date + timedelta(days=days_after))
    updated = ds.moment(updated_day, rng.uniform(0, 86399))
    stage = _stage(rng.random())
    sale = SalePlan(
        index=i,
        stage=stage,
        advanced=i % 7 == 3,
        customer=customer,
        location=rng.randrange(len(ds.refs.warehouses)),
        order_date=order_date,
        updated=updated,
        lines=lines,
        skip_quote=rng.random() < 0.5,
        ship_by=None if rng.random() < 0.3 else order_date + timedelta(days=rng.randrange(2, 20)),
        source=(None, "", "Shopify", "Amazon")[i % 4],
        external=None if i % 5 else f"EXT-{i:06d}",
        currency_rate=rate,
    )
    sale.invoice_first = stage == "INVOICED" and i % 5 == 2
    change = ds.change("sale", i)
    if change is not None:
        sale.updated = change.updated
        if change.version and sale.lines:
            first = sale.lines[0]
            first.quantity = round(float(first.quantity) + change.version, 4)
        if change.voided:
            sale.stage = "VOIDED"
    return sale


def statuses(p: SalePlan) -> JsonDict:
    """Return the sale's status fields as DEAR derives them from its stage."""
    voided = p.stage == "VOIDED"
    ordered = p.reached("ORDERED")

    def step(stage: str, done: str, not_done: str) -> str:
        if voided:
            return "VOIDED"
        if not ordered:
            return "NOT AVAILABLE"
        return done if p.reached(stage) else not_done

    invoice = step("INVOICED", "INVOICED", "NOT INVOICED")
    if p.stage == "CREDITED":
        invoice = "INVOICED / CREDITED"
    payment = "VOIDED" if voided else ("PAID" if p.reached("COMPLETED") else "UNPAID")
    return {
        "Status": p.stage,
        "QuoteStatus": "VOIDED"
        if voided
        else (
            "DRAFT" if p.stage == "DRAFT" else ("NOT AVAILABLE" if p.skip_quote and ordered else "AUTHORISED")
        ),
        "OrderStatus": "VOIDED" if voided else ("AUTHORISED" if ordered else "NOT AVAILABLE"),
        "CombinedPickingStatus": step("PICKED", "PICKED", "NOT PICKED"),
        "CombinedPackingStatus": step("PACKED", "PACKED", "NOT PACKED"),
        "CombinedShippingStatus": step("SHIPPING", "SHIPPED", "NOT SHIPPED"),
        "FulFilmentStatus": step("SHIPPING", "FULFILLED", "NOT FULFILLED"),
        "CombinedInvoiceStatus": invoice,
        "CreditNoteStatus": "AUTHORISED" if p.stage == "CREDITED" else "NOT AVAILABLE",
        "CombinedPaymentStatus": payment,
    }


def totals(lines: list[Line]) -> tuple[float, float, float]:
    """Return (before tax, tax, total) of some lines."""
    before = round(sum(line.total for line in lines), 4)
    tax = round(sum(line.tax for line in lines), 4)
    return before, tax, round(before + tax, 4)


def numbers(p: SalePlan) -> tuple[str, str | None, str | None]:
    """Return the sale's order, invoice and credit note numbers (None where not reached)."""
    order = f"SO-{p.index + 1:05d}"
    invoice = f"INV-{p.index + 1:05d}" if p.reached("INVOICED") else None
    credit = f"CR-{p.index + 1:05d}" if p.stage == "CREDITED" else None
    return order, invoice, credit


def credited_lines(p: SalePlan) -> list[Line]:
    """Return the lines a credited sale gave back (its first line)."""
    return p.lines[:1] if p.stage == "CREDITED" else []


def list_row(ds: Account, i: int) -> JsonDict:
    """Return the ``SaleList[]`` summary row of sale ``i``."""
    p = plan(ds, i)
    order, invoice, credit = numbers(p)
    customer = ds.row("customer", p.customer)
    invoiced = totals(p.lines)[2] if invoice else 0
    credited = totals(credited_lines(p))[2]
    paid = invoiced if p.reached("COMPLETED") else 0
    invoice_date = p.order_date + timedelta(days=3) if invoice else None
    return {
        "SaleID": ds.ids.make("sale", i),
        "OrderNumber": order,
        "Status": p.stage,
        "OrderDate": business_date(p.order_date),
        "InvoiceDate": business_date(invoice_date) if invoice_date else None,
        "Customer": customer["Name"],
        "CustomerID": customer["ID"],
        "InvoiceNumber": invoice,
        "CustomerReference": "" if i % 3 else f"PO {1000 + i}",
        "InvoiceAmount": num(invoiced - credited),
        "PaidAmount": num(paid - credited),
        "InvoiceDueDate": business_date(invoice_date + timedelta(days=30)) if invoice_date else None,
        "ShipBy": business_date(p.ship_by) if p.ship_by else None,
        "BaseCurrency": "NZD",
        "CustomerCurrency": customer["Currency"],
        "CreditNoteNumber": credit,
        "Updated": timestamp(p.updated, 2 if i % 3 == 0 else 3),
        **{k: v for k, v in statuses(p).items() if k != "Status"},
        "Type": "Advanced Sale" if p.advanced else "Simple Sale",
        "CombinedTrackingNumbers": f"TRK{i:08d}" if p.reached("SHIPPING") else "",
        "SourceChannel": p.source,
        "ExternalID": p.external,
        "OrderLocationID": ds.refs.warehouses[p.location]["ID"],
    }


def credit_list_row(ds: Account, i: int) -> JsonDict:
    """Return the ``saleCreditNoteList`` row: the sale row plus RestockStatus, strings never null."""
    row = dict(list_row(ds, i))
    row["RestockStatus"] = "AUTHORISED"
    row["ExternalID"] = row["ExternalID"] or ""
    row["SourceChannel"] = row["SourceChannel"] or ""
    return row


def has_credit_note(ds: Account, i: int) -> bool:
    """Return True if sale ``i`` has a credit note (appears in ``saleCreditNoteList``)."""
    return plan(ds, i).stage == "CREDITED"
