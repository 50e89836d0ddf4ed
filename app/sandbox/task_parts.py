"""What the stock, assembly and finance documents share: dates spread over the year, statuses, lines."""

from __future__ import annotations

from datetime import date, timedelta

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num


def task_day(ds: Account, kind: str, i: int) -> date:
    """Return the date of document ``i`` of ``kind``: spread evenly over the last 455 days, oldest first."""
    n = max(1, ds.counts[kind])
    return ds.today - timedelta(days=455 - min(454, int(i * 455 / n)))


def task_status(
    i: int, values: tuple[str, ...] = ("COMPLETED", "COMPLETED", "COMPLETED", "DRAFT", "VOIDED")
) -> str:
    """Return a document's status, cycling through ``values`` in a fixed pattern."""
    return values[(i * 7) % len(values)]


def line_products(ds: Account, kind: str, i: int, k: int = 3) -> list[int]:
    """Return the products on the lines of document ``i`` (one to ``k`` of them)."""
    rng = ds.rng(f"{kind}-lines", i)
    return [ds.pick_product(rng) for _ in range(1 + (i % k))]


def task_transactions(ds: Account, kind: str, i: int, day: date, amount: float) -> list[JsonDict]:
    """Return the one journal transaction a completed document posts."""
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
