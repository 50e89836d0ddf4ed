"""Purchases: ``purchaseList`` rows and the Simple (``/purchase``) and Advanced detail shapes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.sandbox.ids import business_date, num, payment_created, timestamp
from app.sandbox.masterdata import product_name, product_sku
from app.sandbox.sales import Line

if TYPE_CHECKING:
    from app.sandbox.dataset import Dataset

JsonDict = dict[str, Any]

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


def plan(ds: Dataset, i: int) -> PurchasePlan:
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


def _totals(lines: list[Line]) -> tuple[float, float, float]:
    before = round(sum(line.total for line in lines), 4)
    tax = round(sum(line.tax for line in lines), 4)
    return before, tax, round(before + tax, 4)


def _statuses(p: PurchasePlan) -> JsonDict:
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


def list_row(ds: Dataset, i: int) -> JsonDict:
    """Return the ``PurchaseList[]`` row of purchase ``i``."""
    p = plan(ds, i)
    supplier = ds.row("supplier", p.supplier)
    invoiced = p.reached("INVOICED")
    total = _totals(p.lines)[2]
    credited = _totals(p.lines[:1])[2] if p.stage == "CREDITED" else 0
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
        **_statuses(p),
        # why: production sends LastUpdatedDate without Z and with two fraction digits
        "LastUpdatedDate": timestamp(p.updated, 2, zulu=False),
        "Type": p.kind,
        "IsServiceOnly": p.kind == "Service Purchase",
        "DropShipTaskID": None,
    }


def _line(ds: Dataset, line: Line, extra: JsonDict) -> JsonDict:
    return {
        "ProductID": ds.ids.make("product", line.product),
        "SKU": product_sku(line.product),
        "Name": product_name(line.product),
        "Quantity": num(line.quantity),
        "Price": num(line.price),
        "Discount": 0,
        "Tax": num(line.tax),
        "TaxRule": "GST on Expenses",
        **extra,
        "Comment": "",
        "Total": num(line.total),
    }


def _stock_line(ds: Dataset, p: PurchasePlan, line: Line, n: int) -> JsonDict:
    warehouse = ds.refs.warehouses[p.location]
    return {
        "Date": business_date(p.order_date + timedelta(days=7)),
        "Quantity": num(line.quantity),
        "ProductID": ds.ids.make("product", line.product),
        "SKU": product_sku(line.product),
        "Name": product_name(line.product),
        "Location": warehouse["Name"],
        "LocationID": warehouse["ID"],
        "Received": True,
        "BatchSN": None,
        "SupplierSKU": "",
        "ExpiryDate": None,
        "NonInventory": False,
        "CardID": ds.ids.sub("card", p.index, n),
    }


def _payment(ds: Dataset, p: PurchasePlan, amount: float) -> JsonDict:
    day = p.order_date + timedelta(days=25)
    return {
        "PurchaseID": ds.ids.make("purchase", p.index),
        "TaskID": ds.ids.sub("purchase-invoice", p.index),
        "ID": ds.ids.sub("purchase-payment", p.index),
        "Reference": f"Payment PO-{p.index + 1:05d}",
        "Amount": num(amount, 2),
        "DatePaid": business_date(day),
        "Account": "090",
        "CurrencyRate": 1,
        "DateCreated": payment_created(ds.moment(day, 40000.5)),
    }


def detail(ds: Dataset, i: int, advanced_shape: bool) -> JsonDict:
    """Return the purchase document: ``/advanced-purchase`` shape (arrays) or ``/purchase`` (objects)."""
    p = plan(ds, i)
    row = list_row(ds, i)
    supplier = ds.row("supplier", p.supplier)
    warehouse = ds.refs.warehouses[p.location]
    before, tax, total = _totals(p.lines)
    service = p.kind == "Service Purchase"
    task = ds.ids.sub("purchase-invoice", i)
    order_lines = [] if service else [_line(ds, line, {"SupplierSKU": ""}) for line in p.lines]
    charges = (
        [
            {
                "Description": f"Service {k + 1}",
                "Reference": "",
                "Price": num(line.price),
                "Quantity": num(line.quantity),
                "Discount": 0,
                "Tax": num(line.tax),
                "Total": num(line.total),
                "TaxRule": "GST on Expenses",
            }
            for k, line in enumerate(p.lines)
        ]
        if service
        else []
    )
    received = (
        [_stock_line(ds, p, line, n) for n, line in enumerate(p.lines)]
        if (p.reached("RECEIVED") and not service)
        else []
    )
    invoice: JsonDict | None = None
    if p.reached("INVOICED"):
        invoice = {
            "InvoiceNumber": row["InvoiceNumber"],
            "InvoiceDate": row["InvoiceDate"],
            "InvoiceDueDate": row["InvoiceDueDate"],
            "Status": row["InvoiceStatus"],
            "Lines": []
            if service
            else [_line(ds, line, {"Account": "630", "NonInventory": False}) for line in p.lines],
            "AdditionalCharges": [dict(c, Account="429") for c in charges],
            "Payments": [_payment(ds, p, total)] if p.reached("COMPLETED") else [],
            "TotalBeforeTax": num(before),
            "Tax": num(tax),
            "Total": num(total),
            "Paid": num(total) if p.reached("COMPLETED") else 0,
        }
    credit: JsonDict | None = None
    if p.stage == "CREDITED":
        c_before, c_tax, c_total = _totals(p.lines[:1])
        credit = {
            "CreditNoteNumber": row["CreditNoteNumber"],
            "CreditNoteDate": business_date(p.order_date + timedelta(days=30)),
            "Status": "AUTHORISED",
            "Lines": [_line(ds, line, {"Account": "630"}) for line in p.lines[:1]],
            "AdditionalCharges": [],
            "Refunds": [],
            "Unstock": [
                {
                    k: v
                    for k, v in _stock_line(ds, p, line, 99).items()
                    if k
                    in {
                        "CardID",
                        "Date",
                        "Quantity",
                        "ProductID",
                        "SKU",
                        "Name",
                        "Location",
                        "BatchSN",
                        "ExpiryDate",
                    }
                }
                for line in p.lines[:1]
            ],
            "TotalBeforeTax": num(c_before),
            "Tax": num(c_tax),
            "Total": num(c_total),
        }
    address = supplier["Addresses"][0]
    doc: JsonDict = {
        "ID": row["ID"],
        "SupplierID": supplier["ID"],
        "Supplier": supplier["Name"],
        "Contact": supplier["Contacts"][0]["Name"],
        "Phone": supplier["Contacts"][0]["Phone"],
        "InventoryAccount": "630",
        "BlindReceipt": False,
        "Approach": "INVOICE" if i % 2 else "STOCK",
        "BillingAddress": {
            "DisplayAddressLine1": address["Line1"],
            "DisplayAddressLine2": address["City"],
            "Line1": address["Line1"],
            "Line2": address["Line2"],
            "City": address["City"],
            "State": address["State"],
            "Postcode": address["Postcode"],
            "Country": address["Country"],
        },
        "ShippingAddress": {
            "DisplayAddressLine1": warehouse["AddressLine1"],
            "DisplayAddressLine2": "",
            "Line1": warehouse["AddressLine1"],
            "Line2": "",
            "City": warehouse["AddressCitySuburb"],
            "State": warehouse["AddressStateProvince"],
            "Postcode": warehouse["AddressZipPostCode"],
            "Country": warehouse["AddressCountry"],
            "ShipToOther": False,
            "Company": "",
        },
        "BaseCurrency": "NZD",
        "SupplierCurrency": supplier["Currency"],
        "TaxRule": "GST on Expenses",
        "TaxCalculation": "Exclusive",
        "Terms": supplier["PaymentTerm"],
        "RequiredBy": row["RequiredBy"],
        "Location": warehouse["Name"],
        "Note": "",
        "OrderNumber": row["OrderNumber"],
        "OrderDate": row["OrderDate"],
        "Status": row["Status"],
        "RelatedDropShipSaleTask": None,
        "CurrencyRate": 1,
        "LastUpdatedDate": row["LastUpdatedDate"],
        "Order": {
            "Memo": "",
            "Status": row["OrderStatus"],
            "Lines": order_lines,
            "AdditionalCharges": charges,
            "Prepayments": [],
            "TotalBeforeTax": num(before),
            "Tax": num(tax),
            "Total": num(total),
        },
        "AdditionalAttributes": {f"AdditionalAttribute{n}": "" for n in range(1, 11)},
        "Attachments": [],
        "InventoryMovements": [
            {
                "TaskID": task,
                "ProductID": ds.ids.make("product", line.product),
                "Date": business_date(p.order_date + timedelta(days=7)),
                "COGS": num(line.total),
            }
            for line in p.lines
            if received
        ],
    }
    if not advanced_shape:
        doc["StockReceived"] = {"Status": row["StockReceivedStatus"], "Lines": received}
        doc["Invoice"] = invoice or {
            "InvoiceNumber": "",
            "InvoiceDate": None,
            "InvoiceDueDate": None,
            "Status": "NOT AVAILABLE",
            "Lines": [],
            "AdditionalCharges": [],
            "Payments": [],
            "TotalBeforeTax": 0,
            "Tax": 0,
            "Total": 0,
            "Paid": 0,
        }
        doc["CreditNote"] = credit or {
            "CreditNoteNumber": "",
            "CreditNoteDate": None,
            "Status": "NOT AVAILABLE",
            "Lines": [],
            "AdditionalCharges": [],
            "Refunds": [],
            "Unstock": [],
            "TotalBeforeTax": 0,
            "Tax": 0,
            "Total": 0,
        }
        doc["CreditNote"] = dict(
            doc["CreditNote"], Unstock={"Status": row["UnstockStatus"], "Lines": doc["CreditNote"]["Unstock"]}
        )
        doc["ManualJournals"] = {"Status": "NOT AVAILABLE", "Lines": []}
        return doc
    number = f"R{i + 1:05d}-1"
    doc.update(
        {
            "CombinedReceivingStatus": row["CombinedReceivingStatus"],
            "CombinedInvoiceStatus": row["CombinedInvoiceStatus"],
            "CombinedPaymentStatus": row["CombinedPaymentStatus"],
            "Type": p.kind,
            "IsServiceOnly": service,
            "StockReceived": [
                {
                    "TaskID": task,
                    "InvoicingAndReceivingNumber": number,
                    "Status": "AUTHORISED",
                    "Lines": received,
                }
            ]
            if received
            else [],
            "PutAway": [
                {
                    "TaskID": task,
                    "InvoicingAndReceivingNumber": number,
                    "Status": "AUTHORISED",
                    "Lines": [{k: v for k, v in line.items() if k != "NonInventory"} for line in received],
                }
            ]
            if received and p.kind == "Advanced Purchase"
            else [],
            "Invoice": [dict(invoice, TaskID=task, InvoicingAndReceivingNumber=number, CurrencyRate=1)]
            if invoice
            else [],
            "CreditNote": [dict(credit, TaskID=ds.ids.sub("purchase-credit", i))] if credit else [],
            "ManualJournals": [],
        }
    )
    return doc


def has_credit_note(ds: Dataset, i: int) -> bool:
    """Return True if purchase ``i`` has a credit note (appears in ``purchaseCreditNoteList``)."""
    return plan(ds, i).stage == "CREDITED"
