"""The full sale document (``GET /sale?ID=``): quote, order, fulfilments, invoices and credit notes."""

from __future__ import annotations

from datetime import date, timedelta

from app.sandbox import cogs
from app.sandbox.account import Account, JsonDict
from app.sandbox.costing import unit_cost
from app.sandbox.ids import business_date, num, payment_created
from app.sandbox.products import dimension_fields, product_name, product_sku
from app.sandbox.sales import Line, SalePlan, credited_lines, list_row, numbers, plan, statuses, totals
from app.sandbox.stock_moves import batch_of

_FREIGHT: JsonDict = {
    "Description": "Freight",
    "Price": 12.5,
    "Quantity": 1,
    "Discount": 0,
    "Tax": 1.875,
    "Total": 12.5,
    "TaxRule": "GST on Income",
    "Comment": "",
}


def _line(ds: Account, line: Line, extra: JsonDict | None = None) -> JsonDict:
    out: JsonDict = {
        "ProductID": ds.ids.make("product", line.product),
        "SKU": product_sku(line.product),
        "Name": product_name(line.product),
        "Quantity": num(line.quantity),
        "Price": num(line.price),
        "Discount": num(line.discount, 2),
        "Tax": num(line.tax),
        "AverageCost": num(unit_cost(ds, line.product)),
        "TaxRule": "GST on Income",
        "Comment": "",
        "Total": num(line.total),
    }
    out.update(extra or {})
    out.update(dimension_fields(ds, line.product))
    return out


def _pick_line(ds: Account, p: SalePlan, line: Line) -> JsonDict:
    warehouse = ds.refs.warehouses[p.location]
    batch, expiry = batch_of(ds, line.product)
    out: JsonDict = {
        "ProductID": ds.ids.make("product", line.product),
        "SKU": product_sku(line.product),
        "Name": product_name(line.product),
        "Location": warehouse["Name"],
        "LocationID": warehouse["ID"],
        "Quantity": num(line.quantity),
        # The batch the ledger moves (every movement of a batch-tracked product carries it).
        "BatchSN": batch,
        "ExpiryDate": expiry,
        "Box": "Box 1",
        "NonInventory": False,
        "WarrantyRegistrationNumber": "",
        "RestockLocation": None,
        "RestockLocationID": None,
    }
    out.update(dimension_fields(ds, line.product))
    return out


def _payment(ds: Account, key: str, amount: float, day: date) -> JsonDict:
    return {
        "ID": ds.ids.sub("payment", key),
        "Reference": f"Payment {key}",
        "Amount": num(amount, 2),
        "DatePaid": business_date(day),
        "Account": "090",
        "CurrencyRate": 1,
        "DateCreated": payment_created(ds.moment(day, 36000.1234567 + len(key))),
    }


def _address(customer: JsonDict, shipping: bool, ds: Account, i: int) -> JsonDict:
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


def detail(ds: Account, i: int) -> JsonDict:
    """Return the full ``GET /sale?ID=`` document of sale ``i``."""
    p = plan(ds, i)
    row = list_row(ds, i)
    customer = ds.row("customer", p.customer)
    warehouse = ds.refs.warehouses[p.location]
    order_no, invoice_no, credit_no = numbers(p)
    before, tax, total = totals(p.lines)
    status = statuses(p)
    sid = row["SaleID"]
    quote_lines = [] if p.skip_quote and p.reached("ORDERED") else [_line(ds, line) for line in p.lines]
    fulfilments = []
    for n, (task_id, part) in enumerate(cogs.fulfilments(ds, p), start=1):
        ship_day = p.order_date + timedelta(days=cogs.SHIP_DAYS)
        fulfilments.append(
            {
                "TaskID": task_id,
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
                "CurrencyConversionRate": p.currency_rate,
                "BillingAddressLine1": customer["Addresses"][0]["Line1"],
                "BillingAddressLine2": "",
                "LinkedFulfillmentNumber": 1,
                "Lines": [_line(ds, line, {"Account": "200"}) for line in p.lines],
                # The order's freight is invoiced too (no goods: no cost of goods).
                "AdditionalCharges": [{**_FREIGHT, "Account": "200"}] if i % 4 == 1 else [],
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
        credited = credited_lines(p)
        c_before, c_tax, c_total = totals(credited)
        credit_notes.append(
            {
                "TaskID": ds.ids.sub("creditnote", i),
                "CreditNoteInvoiceNumber": invoice_no,
                "CreditNoteNumber": credit_no,
                "CreditNoteDate": business_date(p.order_date + timedelta(days=cogs.CREDIT_DAYS)),
                "Memo": "Damaged in transit",
                "Status": "AUTHORISED",
                "CreditNoteConversionRate": p.currency_rate,
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
        "COGSAmount": num(sum(g.value for g in cogs.shipped_goods(ds, p))),
        **status,
        "CombinedTrackingNumbers": row["CombinedTrackingNumbers"],
        "Carrier": customer["Carrier"] or "",
        "CurrencyRate": p.currency_rate,
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
            "AdditionalCharges": [dict(_FREIGHT)] if i % 4 == 1 and p.reached("ORDERED") else [],
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
        "InventoryMovements": cogs.movements(ds, p),
        "Transactions": [],
    }
