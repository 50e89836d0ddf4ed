"""Stock documents: adjustments, stocktakes, transfers and write-offs (rows and details)."""

from __future__ import annotations

from datetime import timedelta

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num, timestamp
from app.sandbox.products import dimension_fields
from app.sandbox.task_parts import line_products, task_day, task_status, task_transactions

# --------------------------------------------------------------------------- stock adjustment


def stockadjustment_row(ds: Account, i: int) -> JsonDict:
    """``StockAdjustmentList[]`` row."""
    return {
        "TaskID": ds.ids.make("stockadjustment", i),
        "EffectiveDate": business_date(task_day(ds, "stockadjustment", i)),
        "StocktakeNumber": f"SA-{i + 1:05d}",
        "Status": task_status(i),
        "Account": "310",
        "Reference": "" if i % 2 else f"Recount {i + 1}",
    }


def stockadjustment_detail(ds: Account, i: int) -> JsonDict:
    """``/stockadjustment?TaskID=`` document."""
    row = stockadjustment_row(ds, i)
    day = task_day(ds, "stockadjustment", i)
    rng = ds.rng("stockadjustment", i)
    existing, new = [], []
    for n, p in enumerate(line_products(ds, "stockadjustment", i)):
        w = ds.refs.warehouses[(i + n) % len(ds.refs.warehouses)]
        head = ds.row("product", p)
        common = {
            "ProductID": head["ID"],
            "SKU": head["SKU"],
            "ProductName": head["Name"],
            "LocationID": w["ID"],
            "Location": w["Name"],
            "BatchSN": None,
            "ExpiryDate": None,
            "Comments": "",
            **dimension_fields(ds, p),
            "Image": None,
            "Barcode": head["Barcode"],
            "StockLocator": "",
            "Unit": head["UOM"],
            "CostingMethod": head["CostingMethod"],
        }
        if n % 2 == 0:
            on_hand = rng.randrange(0, 100)
            existing.append(
                {
                    **common,
                    "QuantityOnHand": on_hand,
                    "Available": on_hand,
                    "Adjustment": rng.randrange(-5, 6),
                }
            )
        else:
            new.append(
                {
                    **common,
                    "Quantity": rng.randrange(1, 30),
                    "UnitCost": num(rng.uniform(1, 90)),
                    "ReceivedDate": business_date(day),
                }
            )
    return {
        **row,
        "ExistingStockLines": existing,
        "NewStockLines": new,
        "Transactions": task_transactions(ds, "stockadjustment", i, day, 42.5)
        if row["Status"] == "COMPLETED"
        else [],
    }


# --------------------------------------------------------------------------- stocktake


def stocktake_row(ds: Account, i: int) -> JsonDict:
    """``stockTakeList`` row (DEAR puts these under ``StockAdjustmentList``)."""
    day = task_day(ds, "stocktake", i)
    w = ds.refs.warehouses[i % len(ds.refs.warehouses)]
    return {
        "TaskID": ds.ids.make("stocktake", i),
        "EffectiveDate": business_date(day),
        "StocktakeNumber": f"ST-{i + 1:05d}",
        "Status": task_status(i),
        "Account": "310",
        "Reference": "",
        "Location": w["Name"],
        "LocationID": w["ID"],
        "Categories": "" if i % 2 else "Kitchen",
        "Brands": "",
        "Tags": "",
        "PickZones": "",
        "StockLocators": "",
        "Bins": "",
        "CreatedDate": business_date(day - timedelta(days=1)),
        "LastUpdatedDate": timestamp(ds.moment(day, 50000.25 + i), 3, zulu=False),
        "LastUpdatedBy": "aroha@demo.example",
    }


def stocktake_detail(ds: Account, i: int) -> JsonDict:
    """``/stocktake?TaskID=`` document."""
    row = stocktake_row(ds, i)
    rng = ds.rng("stocktake", i)
    lines = []
    for p in line_products(ds, "stocktake", i, 4):
        head = ds.row("product", p)
        on_hand = rng.randrange(0, 60)
        lines.append(
            {
                "ProductID": head["ID"],
                "SKU": head["SKU"],
                "Name": head["Name"],
                "BatchSN": None,
                "ExpiryDate": None,
                "Bin": None,
                "QuantityOnHand": on_hand,
                "Adjustment": rng.randrange(-3, 4),
                "UnitCost": head["AverageCost"],
                "Unit": head["UOM"],
            }
        )
    keep = {
        "TaskID",
        "EffectiveDate",
        "StocktakeNumber",
        "Status",
        "Account",
        "Reference",
        "Location",
        "LocationID",
    }
    return {
        **{k: v for k, v in row.items() if k in keep},
        "NonZeroStockOnHandProducts": [x for x in lines if x["QuantityOnHand"]],
        "ZeroStockOnHandProducts": [x for x in lines if not x["QuantityOnHand"]],
        "Categories": [] if i % 2 else [{"Name": "Kitchen"}],
        "Brands": [],
        "Tags": [],
        "PickZones": [],
        "StockLocators": [],
        "Bins": [],
        "Transactions": task_transactions(ds, "stocktake", i, task_day(ds, "stocktake", i), 12)
        if row["Status"] == "COMPLETED"
        else [],
    }


# --------------------------------------------------------------------------- stock transfer


def stocktransfer_row(ds: Account, i: int) -> JsonDict:
    """``StockTransferList[]`` row."""
    day = task_day(ds, "stocktransfer", i)
    ws = ds.refs.warehouses
    a, b = ws[i % len(ws)], ws[(i + 1) % len(ws)]
    status = task_status(i, ("COMPLETED", "COMPLETED", "IN TRANSIT", "DRAFT", "VOIDED"))
    return {
        "TaskID": ds.ids.make("stocktransfer", i),
        "From": a["ID"],
        "FromLocation": a["Name"],
        "To": b["ID"],
        "ToLocation": b["Name"],
        "Status": status,
        "Number": f"TR-{i + 1:05d}",
        "CompletionDate": business_date(day + timedelta(days=2)) if status == "COMPLETED" else None,
        "CostDistributionType": "Cost",
        "InTransitAccount": "631",
        "DepartureDate": business_date(day) if status in {"COMPLETED", "IN TRANSIT"} else None,
        "Reference": "" if i % 3 else f"Restock {b['Name']}",
        "LastModifiedOn": timestamp(ds.moment(day, 30000.5 + i), 3),
    }


def stocktransfer_detail(ds: Account, i: int) -> JsonDict:
    """``/stockTransfer?TaskID=`` document."""
    row = stocktransfer_row(ds, i)
    rng = ds.rng("stocktransfer", i)
    lines = []
    for p in line_products(ds, "stocktransfer", i):
        head = ds.row("product", p)
        qty = rng.randrange(1, 25)
        lines.append(
            {
                "ProductID": head["ID"],
                "SKU": head["SKU"],
                "ProductName": head["Name"],
                "QuantityOnHand": qty + 10,
                "QuantityAvailable": qty + 5,
                "TransferQuantity": qty,
                "BatchSN": None,
                "ExpiryDate": None,
                "Comments": "",
                **dimension_fields(ds, p),
            }
        )
    doc = {k: v for k, v in row.items() if k != "LastModifiedOn"}
    doc.update(
        {
            "RequiredByDate": row["DepartureDate"],
            "SkipOrder": i % 2 == 0,
            "Lines": lines,
            "ManualJournals": [],
            "Order": {
                "Status": "AUTHORISED",
                "Lines": [
                    {
                        "ProductID": x["ProductID"],
                        "SKU": x["SKU"],
                        "ProductName": x["ProductName"],
                        "Quantity": x["TransferQuantity"],
                    }
                    for x in lines
                ],
            },
        }
    )
    return doc


# --------------------------------------------------------------------------- inventory write-off


def inventorywriteoff_row(ds: Account, i: int) -> JsonDict:
    """``InventoryWriteOffs[]`` row."""
    w = ds.refs.warehouses[i % len(ds.refs.warehouses)]
    return {
        "TaskID": ds.ids.make("inventorywriteoff", i),
        "InventoryWriteOffNumber": f"WO-{i + 1:05d}",
        "Date": business_date(task_day(ds, "inventorywriteoff", i)),
        "Location": w["Name"],
        "LocationID": w["ID"],
        "Notes": "" if i % 2 else "Water damage",
        "Status": task_status(i),
    }


def inventorywriteoff_detail(ds: Account, i: int) -> JsonDict:
    """``/inventoryWriteOff?TaskID=`` document."""
    row = inventorywriteoff_row(ds, i)
    rng = ds.rng("inventorywriteoff", i)
    lines = []
    for p in line_products(ds, "inventorywriteoff", i):
        head = ds.row("product", p)
        qty = rng.randrange(1, 6)
        lines.append(
            {
                "ProductID": head["ID"],
                "SKU": head["SKU"],
                "ProductName": head["Name"],
                "Quantity": qty,
                "UnitCost": head["AverageCost"],
                "BatchSN": None,
                "ExpiryDate": None,
                "Comments": "",
                "Bin": None,
                "Unit": head["UOM"],
            }
        )
    day = task_day(ds, "inventorywriteoff", i)
    return {
        **{k: v for k, v in row.items() if k != "Date"},
        "Account": "429",
        "EffectiveDate": row["Date"],
        "Errors": [],
        "Lines": lines,
        "Transactions": task_transactions(ds, "inventorywriteoff", i, day, 18.25)
        if row["Status"] == "COMPLETED"
        else [],
    }
