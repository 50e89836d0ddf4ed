"""Sales: the ``saleList`` summary row and the full ``sale`` document, built from one plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.sandbox.ids import business_date, num, payment_created, timestamp
from app.sandbox.masterdata import product_name, product_sku

if TYPE_CHECKING:
    from app.sandbox.dataset import Dataset

JsonDict = dict[str, Any]

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

    def reached(self, stage: str) -> bool:
        """Return True if the sale got at least as far as ``stage`` (voided sales reach nothing)."""
        if self.stage == "VOIDED":
            return False
        return ORDER.index(self.stage) >= ORDER.index(stage)


def plan(ds: Dataset, i: int) -> SalePlan:
    """Decide sale ``i``: customer, dates, stage and lines (touches applied)."""
    rng = ds.rng("sale", i)
    n = max(1, ds.counts["sale"])
    span = 455
    offset = min(span - 1, int(i * span / n) + rng.randrange(0, 3))
    order_date = ds.today - timedelta(days=span - offset)
    customer = ds.pick_active("customer", rng)
    lines = []
    for _ in range(rng.randrange(1, 6)):
        quantity = rng.randrange(1, 12) if rng.random() < 0.85 else round(rng.uniform(0.5, 9), 4)
        price = round(rng.uniform(3, 250), rng.choice((0, 2, 4)))
        lines.append(Line(ds.pick_product(rng), quantity, price, (0, 0, 0, 10, 12.5)[rng.randrange(5)]))
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
    )
    change = ds.change("sale", i)
    if change is not None:
        sale.updated = change.updated
        if change.version and sale.lines:
            first = sale.lines[0]
            first.quantity = round(float(first.quantity) + change.version, 4)
        if change.voided:
            sale.stage = "VOIDED"
    return sale


def _statuses(p: SalePlan) -> JsonDict:
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


def _totals(lines: list[Line]) -> tuple[float, float, float]:
    before = round(sum(line.total for line in lines), 4)
    tax = round(sum(line.tax for line in lines), 4)
    return before, tax, round(before + tax, 4)


def _numbers(p: SalePlan) -> tuple[str, str | None, str | None]:
    order = f"SO-{p.index + 1:05d}"
    invoice = f"INV-{p.index + 1:05d}" if p.reached("INVOICED") else None
    credit = f"CR-{p.index + 1:05d}" if p.stage == "CREDITED" else None
    return order, invoice, credit


def _credited_lines(p: SalePlan) -> list[Line]:
    return p.lines[:1] if p.stage == "CREDITED" else []


def list_row(ds: Dataset, i: int) -> JsonDict:
    """Return the ``SaleList[]`` summary row of sale ``i``."""
    p = plan(ds, i)
    order, invoice, credit = _numbers(p)
    customer = ds.row("customer", p.customer)
    invoiced = _totals(p.lines)[2] if invoice else 0
    credited = _totals(_credited_lines(p))[2]
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
        **{k: v for k, v in _statuses(p).items() if k != "Status"},
        "Type": "Advanced Sale" if p.advanced else "Simple Sale",
        "CombinedTrackingNumbers": f"TRK{i:08d}" if p.reached("SHIPPING") else "",
        "SourceChannel": p.source,
        "ExternalID": p.external,
        "OrderLocationID": ds.refs.warehouses[p.location]["ID"],
    }


def credit_list_row(ds: Dataset, i: int) -> JsonDict:
    """Return the ``saleCreditNoteList`` row: the sale row plus RestockStatus, strings never null."""
    row = dict(list_row(ds, i))
    row["RestockStatus"] = "AUTHORISED"
    row["ExternalID"] = row["ExternalID"] or ""
    row["SourceChannel"] = row["SourceChannel"] or ""
    return row


def _product_fields(ds: Dataset, product: int) -> JsonDict:
    head = ds.row("product", product)
    return {
        "ProductLength": head["Length"],
        "ProductWidth": head["Width"],
        "ProductHeight": head["Height"],
        "ProductWeight": head["Weight"],
        "WeightUnits": head["WeightUnits"],
        "DimensionsUnits": head["DimensionsUnits"],
        **{f"ProductCustomField{n}": "" for n in range(1, 11)},
    }


def _line(ds: Dataset, line: Line, extra: JsonDict | None = None) -> JsonDict:
    out: JsonDict = {
        "ProductID": ds.ids.make("product", line.product),
        "SKU": product_sku(line.product),
        "Name": product_name(line.product),
        "Quantity": num(line.quantity),
        "Price": num(line.price),
        "Discount": num(line.discount, 2),
        "Tax": num(line.tax),
        "AverageCost": num(line.price * 0.55),
        "TaxRule": "GST on Income",
        "Comment": "",
        "Total": num(line.total),
    }
    out.update(extra or {})
    out.update(_product_fields(ds, line.product))
    return out


def _pick_line(ds: Dataset, p: SalePlan, line: Line) -> JsonDict:
    warehouse = ds.refs.warehouses[p.location]
    out: JsonDict = {
        "ProductID": ds.ids.make("product", line.product),
        "SKU": product_sku(line.product),
        "Name": product_name(line.product),
        "Location": warehouse["Name"],
        "LocationID": warehouse["ID"],
        "Quantity": num(line.quantity),
        "BatchSN": None,
        "ExpiryDate": None,
        "Box": "Box 1",
        "NonInventory": False,
        "WarrantyRegistrationNumber": "",
        "RestockLocation": None,
        "RestockLocationID": None,
    }
    out.update(_product_fields(ds, line.product))
    return out


def _payment(ds: Dataset, key: str, amount: float, day: date) -> JsonDict:
    return {
        "ID": ds.ids.sub("payment", key),
        "Reference": f"Payment {key}",
        "Amount": num(amount, 2),
        "DatePaid": business_date(day),
        "Account": "090",
        "CurrencyRate": 1,
        "DateCreated": payment_created(ds.moment(day, 36000.1234567 + len(key))),
    }


def _address(customer: JsonDict, shipping: bool, ds: Dataset, i: int) -> JsonDict:
    source = customer["Addresses"][0]
    out: JsonDict = {
        "DisplayAddressLine1": source["Line1"],
        "DisplayAddressLine2": f"{source['City']} {source['Postcode']}",
        "Line1": source["Line1"],
        "Line2": source["Line2"],
        "City": source["City"],
        "State": source["State"],
        "Postcode": source["Postcode"],
        "Country": source["Country"],
    }
    if shipping:
        out = {
            "ID": ds.ids.sub("sale-ship-address", i),
            **out,
            "Company": customer["Name"],
            "Contact": customer["Contacts"][0]["Name"],
            "ShipToOther": False,
        }
    return out


def detail(ds: Dataset, i: int) -> JsonDict:
    """Return the full ``GET /sale?ID=`` document of sale ``i``."""
    p = plan(ds, i)
    row = list_row(ds, i)
    customer = ds.row("customer", p.customer)
    warehouse = ds.refs.warehouses[p.location]
    order_no, invoice_no, credit_no = _numbers(p)
    before, tax, total = _totals(p.lines)
    status = _statuses(p)
    sid = row["SaleID"]
    quote_lines = [] if p.skip_quote and p.reached("ORDERED") else [_line(ds, line) for line in p.lines]
    fulfilments = []
    if p.reached("ORDERED"):
        parts = (
            [p.lines[: (len(p.lines) + 1) // 2], p.lines[(len(p.lines) + 1) // 2 :]]
            if (p.advanced and len(p.lines) > 1)
            else [p.lines]
        )
        for n, part in enumerate(parts, start=1):
            ship_day = p.order_date + timedelta(days=2)
            fulfilments.append(
                {
                    "TaskID": ds.ids.sub("fulfilment", i, n),
                    "FulfillmentNumber": n,
                    "LinkedInvoiceNumber": invoice_no or "",
                    "FulFilmentStatus": status["FulFilmentStatus"],
                    "Pick": {
                        "Status": "AUTHORISED" if p.reached("PICKED") else "DRAFT",
                        "Lines": [_pick_line(ds, p, line) for line in part] if p.reached("PICKED") else [],
                    },
                    "Pack": {
                        "Status": "AUTHORISED" if p.reached("PACKED") else "NOT AVAILABLE",
                        "Lines": [_pick_line(ds, p, line) for line in part] if p.reached("PACKED") else [],
                    },
                    "Ship": {
                        "Status": "AUTHORISED" if p.reached("SHIPPING") else "NOT AVAILABLE",
                        "RequireBy": business_date(p.ship_by) if p.ship_by else None,
                        "ShippingAddress": _address(customer, True, ds, i),
                        "ShippingNotes": "",
                        "Lines": [
                            {
                                "ID": ds.ids.sub("ship-line", i, n),
                                "ShipmentDate": business_date(ship_day),
                                "Carrier": customer["Carrier"] or "NZ Post",
                                "Boxes": "1",
                                "TrackingNumber": f"TRK{i:08d}",
                                "TrackingURL": "",
                                "IsShipped": True,
                            }
                        ]
                        if p.reached("SHIPPING")
                        else [],
                    },
                }
            )
    invoices = []
    if invoice_no:
        invoice_day = p.order_date + timedelta(days=3)
        paid = p.reached("COMPLETED")
        invoices.append(
            {
                "TaskID": ds.ids.sub("invoice", i),
                "InvoiceNumber": invoice_no,
                "Memo": "",
                "Status": "PAID" if paid else "AUTHORISED",
                "InvoiceDate": business_date(invoice_day),
                "InvoiceDueDate": business_date(invoice_day + timedelta(days=30)),
                "CurrencyConversionRate": 1,
                "BillingAddressLine1": customer["Addresses"][0]["Line1"],
                "BillingAddressLine2": "",
                "LinkedFulfillmentNumber": 1,
                "Lines": [_line(ds, line, {"Account": "200"}) for line in p.lines],
                "AdditionalCharges": [],
                "Payments": [_payment(ds, f"sale-{i}", total, invoice_day + timedelta(days=5))]
                if paid
                else [],
                "TotalBeforeTax": num(before),
                "Tax": num(tax),
                "Total": num(total),
                "Paid": num(total) if paid else 0,
            }
        )
    credit_notes = []
    if credit_no:
        credited = _credited_lines(p)
        c_before, c_tax, c_total = _totals(credited)
        credit_notes.append(
            {
                "TaskID": ds.ids.sub("creditnote", i),
                "CreditNoteInvoiceNumber": invoice_no,
                "CreditNoteNumber": credit_no,
                "CreditNoteDate": business_date(p.order_date + timedelta(days=9)),
                "Memo": "Damaged in transit",
                "Status": "AUTHORISED",
                "CreditNoteConversionRate": 1,
                "Lines": [_line(ds, line, {"Account": "200"}) for line in credited],
                "AdditionalCharges": [],
                "Refunds": [_payment(ds, f"refund-{i}", c_total, p.order_date + timedelta(days=10))],
                "Restock": [_pick_line(ds, p, line) for line in credited],
                "TotalBeforeTax": num(c_before),
                "Tax": num(c_tax),
                "Total": num(c_total),
            }
        )
    return {
        "ID": sid,
        "Customer": customer["Name"],
        "CustomerID": customer["ID"],
        "Contact": customer["Contacts"][0]["Name"],
        "Phone": customer["Contacts"][0]["Phone"],
        "Email": customer["Contacts"][0]["Email"],
        "DefaultAccount": "200",
        "SkipQuote": p.skip_quote,
        "BillingAddress": _address(customer, False, ds, i),
        "ShippingAddress": _address(customer, True, ds, i),
        "ShippingNotes": "",
        "BaseCurrency": "NZD",
        "CustomerCurrency": customer["Currency"],
        "TaxRule": "GST on Income",
        "TaxCalculation": "Exclusive",
        "Terms": customer["PaymentTerm"],
        "PriceTier": customer["PriceTier"],
        "ShipBy": row["ShipBy"],
        "Location": warehouse["Name"],
        "SaleOrderDate": row["OrderDate"],
        "LastModifiedOn": row["Updated"],
        "Note": "" if i % 2 else "Leave at reception",
        "CustomerReference": row["CustomerReference"],
        "COGSAmount": num(sum(line.quantity * line.price * 0.55 for line in p.lines)),
        **status,
        "CombinedTrackingNumbers": row["CombinedTrackingNumbers"],
        "Carrier": customer["Carrier"] or "",
        "CurrencyRate": 1,
        "SalesRepresentative": customer["SalesRepresentative"] or "",
        "Type": row["Type"],
        "SourceChannel": p.source or "",
        "ExternalID": p.external,
        "ServiceOnly": False,
        "Quote": {
            "Memo": "",
            "Status": status["QuoteStatus"],
            "Prepayments": [],
            "Lines": quote_lines,
            "AdditionalCharges": [],
            "TotalBeforeTax": num(before) if quote_lines else 0,
            "Tax": num(tax) if quote_lines else 0,
            "Total": num(total) if quote_lines else 0,
        },
        "Order": {
            "SaleOrderNumber": order_no,
            "Memo": "",
            "Status": status["OrderStatus"],
            "Lines": [_line(ds, line, {"DropShip": False, "BackorderQuantity": 0}) for line in p.lines]
            if p.reached("ORDERED") or p.stage == "VOIDED"
            else [],
            "AdditionalCharges": [
                {
                    "Description": "Freight",
                    "Price": 12.5,
                    "Quantity": 1,
                    "Discount": 0,
                    "Tax": 1.875,
                    "Total": 12.5,
                    "TaxRule": "GST on Income",
                    "Comment": "",
                }
            ]
            if i % 4 == 1 and p.reached("ORDERED")
            else [],
            "TotalBeforeTax": num(before),
            "Tax": num(tax),
            "Total": num(total),
        },
        "Fulfilments": fulfilments,
        "Invoices": invoices,
        "CreditNotes": credit_notes,
        "ManualJournals": {"Status": "NOT AVAILABLE", "Lines": []},
        "AdditionalAttributes": {f"AdditionalAttribute{n}": "" for n in range(1, 11)},
        "Attachments": [],
        "InventoryMovements": [
            {
                "TaskID": f["TaskID"],
                "ProductID": ds.ids.make("product", line.product),
                "Date": business_date(p.order_date + timedelta(days=2)),
                "COGS": num(line.quantity * line.price * 0.55),
            }
            for f in fulfilments[:1]
            if p.reached("SHIPPING")
            for line in p.lines
        ],
        "Transactions": [],
    }


def has_credit_note(ds: Dataset, i: int) -> bool:
    """Return True if sale ``i`` has a credit note (appears in ``saleCreditNoteList``)."""
    return plan(ds, i).stage == "CREDITED"
