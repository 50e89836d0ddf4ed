"""Stock documents: adjustments, stocktakes, transfers and write-offs (rows and details)."""

from __future__ import annotations

from datetime import timedelta

from app.sandbox.account import Account, JsonDict
from app.sandbox.costing import unit_cost
from app.sandbox.ids import business_date, num, timestamp
from app.sandbox.movements import OPENING_REFERENCE, batch_of, ledger_of
from app.sandbox.products import dimension_fields
from app.sandbox.task_parts import task_day, task_status, task_transactions
from app.sandbox.task_plans import (
    TRANSFER_STATUSES,
    adjustment_plan,
    stocktake_plan,
    transfer_plan,
    write_off_plan,
)

# --------------------------------------------------------------------------- stock adjustment


def stockadjustment_row(ds: Account, i: int) -> JsonDict:
    """``StockAdjustmentList[]`` row."""
    return {
        "TaskID": ds.ids.make("stockadjustment", i),
        "EffectiveDate": business_date(task_day(ds, "stockadjustment", i)),
        "StocktakeNumber": f"SA-{i + 1:05d}",
        "Status": task_status(i),
        "Account": "310",
        "Reference": OPENING_REFERENCE if i == 0 else ("" if i % 2 else f"Recount {i + 1}"),
    }


def stockadjustment_detail(ds: Account, i: int) -> JsonDict:
    """``/stockadjustment?TaskID=`` document.

    docs/dear-api.md §11.3: an existing stock line's ``Adjustment`` is the counted quantity and
    ``QuantityOnHand`` the quantity before (the change is their difference); a new stock line's
    ``Quantity`` is the change itself. Adjustment ``SA-00001`` brings in the opening stock.
    """
    row = stockadjustment_row(ds, i)
    plan = adjustment_plan(ds, i)
    ledger = ledger_of(ds)
    names = [w["Name"] for w in ds.refs.warehouses]
    existing, new = [], []
    lines = (
        [(p, where, qty, True) for (p, where), qty in sorted(ledger.opening.items())]
        if i == 0
        else [(line.product, line.location, line.quantity, line.new_stock) for line in plan.lines]
    )
    for n, (p, where, quantity, new_stock) in enumerate(lines):
        head = ds.row("product", p)
        batch, expiry = batch_of(ds, p)
        common = {
            "ProductID": head["ID"],
            "SKU": head["SKU"],
            "ProductName": head["Name"],
            "LocationID": ds.refs.warehouses[where]["ID"],
            "Location": names[where],
            "BatchSN": batch,
            "ExpiryDate": expiry,
            "Comments": "",
            **dimension_fields(ds, p),
            "Image": None,
            "Barcode": head["Barcode"],
            "StockLocator": "",
            "Unit": head["UOM"],
            "CostingMethod": head["CostingMethod"],
        }
        if new_stock:
            new.append(
                {
                    **common,
                    "Quantity": num(quantity),
                    "UnitCost": num(unit_cost(ds, p)),
                    "ReceivedDate": business_date(plan.day),
                }
            )
        else:
            before = ledger.before.get(("stockadjustment", i, n), 0.0)
            existing.append(
                {
                    **common,
                    "QuantityOnHand": num(before),
                    "Available": num(before),
                    "Adjustment": num(before + quantity),
                }
            )
    return {
        **row,
        "ExistingStockLines": existing,
        "NewStockLines": new,
        "Transactions": task_transactions(ds, "stockadjustment", i, plan.day, 42.5)
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
    ledger = ledger_of(ds)
    lines = []
    for n, line in enumerate(stocktake_plan(ds, i).lines):
        head = ds.row("product", line.product)
        batch, expiry = batch_of(ds, line.product)
        on_hand = num(ledger.before.get(("stocktake", i, n), 0.0))
        lines.append(
            {
                "ProductID": head["ID"],
                "SKU": head["SKU"],
                "Name": head["Name"],
                "BatchSN": batch,
                "ExpiryDate": expiry,
                "Bin": None,
                "QuantityOnHand": on_hand,
                # UNVERIFIED whether a stocktake's Adjustment is the change or the count (docs/dear-api.md
                # §11.3 speaks of stock adjustments only): the sandbox sends the change here.
                "Adjustment": num(line.quantity),
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
    status = task_status(i, TRANSFER_STATUSES)
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
    ledger = ledger_of(ds)
    lines = []
    for n, line in enumerate(transfer_plan(ds, i).lines):
        p = line.product
        head = ds.row("product", p)
        batch, expiry = batch_of(ds, p)
        on_hand = num(ledger.before.get(("stocktransfer", i, n), 0.0))
        lines.append(
            {
                "ProductID": head["ID"],
                "SKU": head["SKU"],
                "ProductName": head["Name"],
                "QuantityOnHand": on_hand,
                "QuantityAvailable": on_hand,
                "TransferQuantity": num(line.quantity),
                "BatchSN": batch,
                "ExpiryDate": expiry,
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
    lines = []
    for line in write_off_plan(ds, i).lines:
        p = line.product
        head = ds.row("product", p)
        batch, expiry = batch_of(ds, p)
        lines.append(
            {
                "ProductID": head["ID"],
                "SKU": head["SKU"],
                "ProductName": head["Name"],
                "Quantity": num(line.quantity),
                "UnitCost": head["AverageCost"],
                "BatchSN": batch,
                "ExpiryDate": expiry,
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
