"""Stock, manufacturing and finance documents: summary rows and their detail documents."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from app.sandbox.ids import business_date, num, timestamp
from app.sandbox.masterdata import product_name, product_sku

if TYPE_CHECKING:
    from app.sandbox.dataset import Dataset

JsonDict = dict[str, Any]

TRANSACTION_TYPES = (
    "Sale",
    "Purchase",
    "MoneySpend",
    "MoneyReceive",
    "BankTransfer",
    "StockAdjustment",
    "InventoryWriteOff",
    "FinishedGoods",
    "Journal",
    "StockTake",
)


def _day(ds: Dataset, kind: str, i: int) -> date:
    n = max(1, ds.counts[kind])
    return ds.today - timedelta(days=455 - min(454, int(i * 455 / n)))


def _status(
    i: int, values: tuple[str, ...] = ("COMPLETED", "COMPLETED", "COMPLETED", "DRAFT", "VOIDED")
) -> str:
    return values[(i * 7) % len(values)]


def _products(ds: Dataset, kind: str, i: int, k: int = 3) -> list[int]:
    rng = ds.rng(f"{kind}-lines", i)
    return [ds.pick_product(rng) for _ in range(1 + (i % k))]


def _dims(ds: Dataset, p: int) -> JsonDict:
    head = ds.row("product", p)
    return {
        "ProductLength": head["Length"],
        "ProductWidth": head["Width"],
        "ProductHeight": head["Height"],
        "ProductWeight": head["Weight"],
        "WeightUnits": head["WeightUnits"],
        "DimensionsUnits": head["DimensionsUnits"],
        **{f"ProductCustomField{n}": "" for n in range(1, 11)},
    }


def _transactions(ds: Dataset, kind: str, i: int, day: date, amount: float) -> list[JsonDict]:
    return [
        {
            "TaskID": ds.ids.make(kind, i),
            "TransactionID": ds.ids.sub(kind, "txn", i),
            "Debit": "630",
            "Credit": "310",
            "Description": f"{kind} {i + 1}",
            "Amount": num(amount, 2),
            "EffectiveDate": business_date(day),
        }
    ]


# --------------------------------------------------------------------------- stock adjustment


def stockadjustment_row(ds: Dataset, i: int) -> JsonDict:
    """``StockAdjustmentList[]`` row."""
    return {
        "TaskID": ds.ids.make("stockadjustment", i),
        "EffectiveDate": business_date(_day(ds, "stockadjustment", i)),
        "StocktakeNumber": f"SA-{i + 1:05d}",
        "Status": _status(i),
        "Account": "310",
        "Reference": "" if i % 2 else f"Recount {i + 1}",
    }


def stockadjustment_detail(ds: Dataset, i: int) -> JsonDict:
    """``/stockadjustment?TaskID=`` document."""
    row = stockadjustment_row(ds, i)
    day = _day(ds, "stockadjustment", i)
    rng = ds.rng("stockadjustment", i)
    existing, new = [], []
    for n, p in enumerate(_products(ds, "stockadjustment", i)):
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
            **_dims(ds, p),
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
        "Transactions": _transactions(ds, "stockadjustment", i, day, 42.5)
        if row["Status"] == "COMPLETED"
        else [],
    }


# --------------------------------------------------------------------------- stocktake


def stocktake_row(ds: Dataset, i: int) -> JsonDict:
    """``stockTakeList`` row (DEAR puts these under ``StockAdjustmentList``)."""
    day = _day(ds, "stocktake", i)
    w = ds.refs.warehouses[i % len(ds.refs.warehouses)]
    return {
        "TaskID": ds.ids.make("stocktake", i),
        "EffectiveDate": business_date(day),
        "StocktakeNumber": f"ST-{i + 1:05d}",
        "Status": _status(i),
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


def stocktake_detail(ds: Dataset, i: int) -> JsonDict:
    """``/stocktake?TaskID=`` document."""
    row = stocktake_row(ds, i)
    rng = ds.rng("stocktake", i)
    lines = []
    for p in _products(ds, "stocktake", i, 4):
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
        "Transactions": _transactions(ds, "stocktake", i, _day(ds, "stocktake", i), 12)
        if row["Status"] == "COMPLETED"
        else [],
    }


# --------------------------------------------------------------------------- stock transfer


def stocktransfer_row(ds: Dataset, i: int) -> JsonDict:
    """``StockTransferList[]`` row."""
    day = _day(ds, "stocktransfer", i)
    ws = ds.refs.warehouses
    a, b = ws[i % len(ws)], ws[(i + 1) % len(ws)]
    status = _status(i, ("COMPLETED", "COMPLETED", "IN TRANSIT", "DRAFT", "VOIDED"))
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


def stocktransfer_detail(ds: Dataset, i: int) -> JsonDict:
    """``/stockTransfer?TaskID=`` document."""
    row = stocktransfer_row(ds, i)
    rng = ds.rng("stocktransfer", i)
    lines = []
    for p in _products(ds, "stocktransfer", i):
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
                **_dims(ds, p),
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


def inventorywriteoff_row(ds: Dataset, i: int) -> JsonDict:
    """``InventoryWriteOffs[]`` row."""
    w = ds.refs.warehouses[i % len(ds.refs.warehouses)]
    return {
        "TaskID": ds.ids.make("inventorywriteoff", i),
        "InventoryWriteOffNumber": f"WO-{i + 1:05d}",
        "Date": business_date(_day(ds, "inventorywriteoff", i)),
        "Location": w["Name"],
        "LocationID": w["ID"],
        "Notes": "" if i % 2 else "Water damage",
        "Status": _status(i),
    }


def inventorywriteoff_detail(ds: Dataset, i: int) -> JsonDict:
    """``/inventoryWriteOff?TaskID=`` document."""
    row = inventorywriteoff_row(ds, i)
    rng = ds.rng("inventorywriteoff", i)
    lines = []
    for p in _products(ds, "inventorywriteoff", i):
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
    day = _day(ds, "inventorywriteoff", i)
    return {
        **{k: v for k, v in row.items() if k != "Date"},
        "Account": "429",
        "EffectiveDate": row["Date"],
        "Errors": [],
        "Lines": lines,
        "Transactions": _transactions(ds, "inventorywriteoff", i, day, 18.25)
        if row["Status"] == "COMPLETED"
        else [],
    }


# --------------------------------------------------------------------------- finished goods (assembly)


def finishedgoods_row(ds: Dataset, i: int) -> JsonDict:
    """``FinishedGoods[]`` row."""
    rng = ds.rng("finishedgoods", i)
    p = ds.pick_product(rng)
    head = ds.row("product", p)
    w = ds.refs.warehouses[i % len(ds.refs.warehouses)]
    return {
        "TaskID": ds.ids.make("finishedgoods", i),
        "AssemblyNumber": f"AS-{i + 1:05d}",
        "Status": _status(i, ("COMPLETED", "COMPLETED", "AUTHORISED", "DRAFT", "VOIDED")),
        "Date": business_date(_day(ds, "finishedgoods", i)),
        "ProductID": head["ID"],
        "ProductCode": head["SKU"],
        "ProductName": head["Name"],
        "Quantity": rng.randrange(1, 40),
        "UnitCost": num(rng.uniform(5, 80)),
        "Location": w["Name"],
        "LocationID": w["ID"],
        "BatchSN": "",
        "ExpiryDate": None,
        "Notes": "",
        **{f"CustomField{n}": "" for n in range(1, 11)},
    }


def _component_lines(ds: Dataset, kind: str, i: int, qty: int) -> list[JsonDict]:
    out = []
    for p in _products(ds, kind, i):
        head = ds.row("product", p)
        out.append(
            {
                "ProductID": head["ID"],
                "ProductCode": head["SKU"],
                "Name": head["Name"],
                "ExpenseAccount": "",
                "Quantity": 2,
                "Unit": head["UOM"],
                "WastagePercent": 0,
                "WastageQuantity": 0,
                "TotalQuantity": 2 * qty,
                "TotalCost": num(2 * qty * float(head["AverageCost"] or 1)),
            }
        )
    return out


def finishedgoods_detail(ds: Dataset, i: int) -> JsonDict:
    """``/finishedGoods?TaskID=`` document."""
    row = finishedgoods_row(ds, i)
    w = ds.refs.warehouses[i % len(ds.refs.warehouses)]
    order = _component_lines(ds, "finishedgoods", i, row["Quantity"])
    picks = [
        {
            "ProductID": x["ProductID"],
            "ProductCode": x["ProductCode"],
            "Name": x["Name"],
            "BinID": w["Bins"][0]["ID"],
            "Bin": w["Bins"][0]["Name"],
            "BatchSN": None,
            "ExpiryDate": None,
            "Quantity": x["TotalQuantity"],
            "Unit": x["Unit"],
            "Cost": x["TotalCost"],
        }
        for x in order
    ]
    day = _day(ds, "finishedgoods", i)
    doc = {k: v for k, v in row.items() if k not in {"Date", "UnitCost"}}
    doc.update(
        {
            "Account": "640",
            "WIPAccount": "640",
            "WIPDate": row["Date"],
            "CompletionDate": row["Date"] if row["Status"] == "COMPLETED" else None,
            "AssemblyInstructionURL": "",
            "BinID": w["Bins"][0]["ID"],
            "Bin": w["Bins"][0]["Name"],
            "Errors": [],
            "OrderLines": order,
            "PickLines": picks if row["Status"] in {"COMPLETED", "AUTHORISED"} else [],
            "Transactions": _transactions(ds, "finishedgoods", i, day, 75)
            if row["Status"] == "COMPLETED"
            else [],
        }
    )
    return doc


# --------------------------------------------------------------------------- disassembly


def disassembly_row(ds: Dataset, i: int) -> JsonDict:
    """``Disassemblies[]`` row."""
    rng = ds.rng("disassembly", i)
    p = ds.pick_product(rng)
    w = ds.refs.warehouses[i % len(ds.refs.warehouses)]
    return {
        "TaskID": ds.ids.make("disassembly", i),
        "DisassemblyNumber": f"DS-{i + 1:05d}",
        "Status": _status(i, ("COMPLETED", "COMPLETED", "WORK IN PROGRESS", "DRAFT", "VOIDED")),
        "Date": business_date(_day(ds, "disassembly", i)),
        "ProductID": ds.ids.make("product", p),
        "ProductCode": product_sku(p),
        "ProductName": product_name(p),
        "Quantity": rng.randrange(1, 10),
        "Location": w["Name"],
        "LocationID": w["ID"],
    }


def disassembly_detail(ds: Dataset, i: int) -> JsonDict:
    """``/disassembly?TaskID=`` document."""
    row = disassembly_row(ds, i)
    order = _component_lines(ds, "disassembly", i, row["Quantity"])
    day = _day(ds, "disassembly", i)
    doc = {k: v for k, v in row.items() if k != "Date"}
    doc.update(
        {
            "WIPAccount": "640",
            "CompletionDate": row["Date"] if row["Status"] == "COMPLETED" else None,
            "AssemblyInstructionURL": "",
            "Errors": [],
            "OrderLines": order,
            "OrderServiceLines": [],
            "PickLines": [
                {
                    "ProductID": row["ProductID"],
                    "ProductCode": row["ProductCode"],
                    "Name": row["ProductName"],
                    "Quantity": row["Quantity"],
                    "BatchSN": None,
                    "ExpiryDate": None,
                }
            ],
            "Transactions": _transactions(ds, "disassembly", i, day, 33)
            if row["Status"] == "COMPLETED"
            else [],
        }
    )
    return doc


# --------------------------------------------------------------------------- finance


def journal_row(ds: Dataset, i: int) -> JsonDict:
    """``Journals[]`` row (lines included, as DEAR sends them)."""
    amount = num(100 + (i * 37.25) % 900, 2)
    return {
        "TaskID": ds.ids.make("journal", i),
        "JournalNumber": f"MJ-{i + 1:05d}",
        "EffectiveDate": business_date(_day(ds, "journal", i)),
        "Status": _status(i),
        "Narration": "Month-end accrual" if i % 2 else "Reclassify expenses",
        "Notes": "",
        "Currency": "NZD",
        "CurrencyConversionRate": 1,
        "Lines": [
            {"Debit": "429", "Credit": "", "Reference": "", "Amount": amount, "BaseAmount": amount},
            {"Debit": "", "Credit": "090", "Reference": "", "Amount": amount, "BaseAmount": amount},
        ],
        "Attachments": [],
    }


def transaction_row(ds: Dataset, i: int) -> JsonDict:
    """``Transactions[]`` row."""
    rng = ds.rng("transaction", i)
    kind = TRANSACTION_TYPES[i % len(TRANSACTION_TYPES)]
    accounts = ds.refs.accounts
    debit = accounts[rng.randrange(len(accounts))]["Code"]
    credit = accounts[rng.randrange(len(accounts))]["Code"]
    return {
        "TaskID": ds.ids.sub("transaction-task", i // 2),
        "DebitAccountCode": debit,
        "CreditAccountCode": credit,
        "Amount": num(rng.uniform(1, 2000), 2 if i % 3 else 0),
        "EffectiveDate": business_date(_day(ds, "transaction", i)),
        "Reference": f"{kind} #{i // 2 + 1}",
        "Transaction": f"{kind} posting",
        "Type": kind,
    }


def moneytask_row(ds: Dataset, i: int) -> JsonDict:
    """``MoneyTasks[]`` row."""
    kind = ("Spend Money", "Receive Money", "Transfer Money")[i % 3]
    supplier = ds.row("supplier", i % max(1, ds.counts["supplier"])) if ds.counts["supplier"] else None
    customer = ds.row("customer", i % max(1, ds.counts["customer"])) if ds.counts["customer"] else None
    party = supplier if kind == "Spend Money" else (customer if kind == "Receive Money" else None)
    return {
        "TaskID": ds.ids.make("moneytask", i),
        "TaskType": kind,
        "Status": _status(i),
        "Date": business_date(_day(ds, "moneytask", i)),
        "Reference": f"MT-{i + 1:05d}",
        "SupplierCustomerName": party["Name"] if party else "",
        "SupplierID": supplier["ID"] if kind == "Spend Money" and supplier else None,
        "CustomerID": customer["ID"] if kind == "Receive Money" and customer else None,
        "TotalAmount": num(50 + (i * 13.37) % 700, 2),
    }
