"""Finance lists: manual journals, account transactions and money tasks (rows only)."""

from __future__ import annotations

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num
from app.sandbox.task_parts import task_day, task_status

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


# --------------------------------------------------------------------------- finance


def journal_row(ds: Account, i: int) -> JsonDict:
    """``Journals[]`` row (lines included, as DEAR sends them)."""
    amount = num(100 + (i * 37.25) % 900, 2)
    return {
        "TaskID": ds.ids.make("journal", i),
        "JournalNumber": f"MJ-{i + 1:05d}",
        "EffectiveDate": business_date(task_day(ds, "journal", i)),
        "Status": task_status(i),
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


def transaction_row(ds: Account, i: int) -> JsonDict:
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
        "EffectiveDate": business_date(task_day(ds, "transaction", i)),
        "Reference": f"{kind} #{i // 2 + 1}",
        "Transaction": f"{kind} posting",
        "Type": kind,
    }


def moneytask_row(ds: Account, i: int) -> JsonDict:
    """``MoneyTasks[]`` row."""
    kind = ("Spend Money", "Receive Money", "Transfer Money")[i % 3]
    supplier = ds.row("supplier", i % max(1, ds.counts["supplier"])) if ds.counts["supplier"] else None
    customer = ds.row("customer", i % max(1, ds.counts["customer"])) if ds.counts["customer"] else None
    party = supplier if kind == "Spend Money" else (customer if kind == "Receive Money" else None)
    return {
        "TaskID": ds.ids.make("moneytask", i),
        "TaskType": kind,
        "Status": task_status(i),
        "Date": business_date(task_day(ds, "moneytask", i)),
        "Reference": f"MT-{i + 1:05d}",
        "SupplierCustomerName": party["Name"] if party else "",
        "SupplierID": supplier["ID"] if kind == "Spend Money" and supplier else None,
        "CustomerID": customer["ID"] if kind == "Receive Money" and customer else None,
        "TotalAmount": num(50 + (i * 13.37) % 700, 2),
    }
