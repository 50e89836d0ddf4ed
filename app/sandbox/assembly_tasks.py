"""Manufacturing documents: finished goods (assembly) and disassembly (rows and details)."""

from __future__ import annotations

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num
from app.sandbox.products import product_name, product_sku
from app.sandbox.task_parts import task_day, task_transactions
from app.sandbox.task_plans import assembly_plan

# --------------------------------------------------------------------------- finished goods (assembly)


def finishedgoods_row(ds: Account, i: int) -> JsonDict:
    """``FinishedGoods[]`` row."""
    a = assembly_plan(ds, "finishedgoods", i)
    head = ds.row("product", a.product)
    w = ds.refs.warehouses[a.location]
    return {
        "TaskID": ds.ids.make("finishedgoods", i),
        "AssemblyNumber": f"AS-{i + 1:05d}",
        "Status": a.status,
        "Date": business_date(a.day),
        "ProductID": head["ID"],
        "ProductCode": head["SKU"],
        "ProductName": head["Name"],
        "Quantity": a.quantity,
        "UnitCost": num(a.unit_cost),
        "Location": w["Name"],
        "LocationID": w["ID"],
        "BatchSN": "",
        "ExpiryDate": None,
        "Notes": "",
        **{f"CustomField{n}": "" for n in range(1, 11)},
    }


def _component_lines(ds: Account, kind: str, i: int, qty: int) -> list[JsonDict]:
    out = []
    for p in assembly_plan(ds, kind, i).components:
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


def finishedgoods_detail(ds: Account, i: int) -> JsonDict:
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
    day = task_day(ds, "finishedgoods", i)
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
            "Transactions": task_transactions(ds, "finishedgoods", i, day, 75)
            if row["Status"] == "COMPLETED"
            else [],
        }
    )
    return doc


# --------------------------------------------------------------------------- disassembly


def disassembly_row(ds: Account, i: int) -> JsonDict:
    """``Disassemblies[]`` row."""
    a = assembly_plan(ds, "disassembly", i)
    p = a.product
    w = ds.refs.warehouses[a.location]
    return {
        "TaskID": ds.ids.make("disassembly", i),
        "DisassemblyNumber": f"DS-{i + 1:05d}",
        "Status": a.status,
        "Date": business_date(a.day),
        "ProductID": ds.ids.make("product", p),
        "ProductCode": product_sku(p),
        "ProductName": product_name(p),
        "Quantity": a.quantity,
        "Location": w["Name"],
        "LocationID": w["ID"],
    }


def disassembly_detail(ds: Account, i: int) -> JsonDict:
    """``/disassembly?TaskID=`` document."""
    row = disassembly_row(ds, i)
    order = _component_lines(ds, "disassembly", i, row["Quantity"])
    day = task_day(ds, "disassembly", i)
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
            "Transactions": task_transactions(ds, "disassembly", i, day, 33)
            if row["Status"] == "COMPLETED"
            else [],
        }
    )
    return doc
