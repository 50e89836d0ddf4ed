"""Purchase documents: the Advanced shape (``/advanced-purchase``, arrays) and the Simple one (objects)."""

from __future__ import annotations

from datetime import timedelta

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num, payment_created
from app.sandbox.products import product_name, product_sku
from app.sandbox.purchases import PurchasePlan, list_row, plan, totals
from app.sandbox.sales import Line
from app.sandbox.stock_moves import batch_of


def _line(ds: Account, line: Line, extra: JsonDict) -> JsonDict:
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


def _stock_line(ds: Account, p: PurchasePlan, line: Line, n: int) -> JsonDict:
    warehouse = ds.refs.warehouses[p.location]
    batch, expiry = batch_of(ds, line.product)  # the batch the ledger receives and unstocks
    return {
        "Date": business_date(p.order_date + timedelta(days=7)),
        "Quantity": num(line.quantity),
        "ProductID": ds.ids.make("product", line.product),
        "SKU": product_sku(line.product),
        "Name": product_name(line.product),
        "Location": warehouse["Name"],
        "LocationID": warehouse["ID"],
        "Received": True,
        "BatchSN": batch,
        "SupplierSKU": "",
        "ExpiryDate": expiry,
        "NonInventory": False,
        "CardID": ds.ids.sub("card", p.index, n),
    }


def _payment(ds: Account, p: PurchasePlan, amount: float) -> JsonDict:
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


def detail(ds: Account, i: int, advanced_shape: bool) -> JsonDict:
    """Return the purchase document: ``/advanced-purchase`` shape (arrays) or ``/purchase`` (objects)."""
    p = plan(ds, i)
    row = list_row(ds, i)
    supplier = ds.row("supplier", p.supplier)
    warehouse = ds.refs.warehouses[p.location]
    before, tax, total = totals(p.lines)
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
        c_before, c_tax, c_total = totals(p.lines[:1])
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
