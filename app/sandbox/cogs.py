"""A sale's cost of goods: its ``InventoryMovements`` rows (docs/dear-api.md §4.1, §11.2).

Goods leave at the Ship step (§11.1), at quantity × the product's ``AverageCost`` from its
product record: the same rule the product ledger uses, so the two agree. Rows are signed as in
the doc examples: goods leaving are negative, goods restocked by a credit note positive.
DEAR adds correcting rows later ("Sale COGS Change"); some sales carry a pair that nets to zero.
A sale invoiced before it shipped has no rows at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num
from app.sandbox.sales import Line, SalePlan, credited_lines

# Days after the order date that the goods leave (the fulfilment's ship step) and a correction lands.
SHIP_DAYS = 2
CORRECTION_DAYS = 20
CREDIT_DAYS = 9


def unit_cost(ds: Account, product: int) -> float:
    """Return what one unit of ``product`` costs when it leaves: its record's ``AverageCost``."""
    return float(ds.row("product", product)["AverageCost"] or 0)


def goods_value(ds: Account, lines: Sequence[Line]) -> dict[int, float]:
    """Return the cost of the goods on some lines, per product (several lines of a product added up)."""
    out: dict[int, float] = {}
    for line in lines:
        out[line.product] = out.get(line.product, 0.0) + float(line.quantity) * unit_cost(ds, line.product)
    return out


def _row(ds: Account, task_id: str, product: int, day: date, cogs: float) -> JsonDict:
    return {
        "TaskID": task_id,
        "ProductID": ds.ids.make("product", product),
        "Date": business_date(day),
        "COGS": num(cogs),
    }


def movements(
    ds: Account, p: SalePlan, shipments: Sequence[tuple[str, Sequence[Line]]], credit_task: str | None
) -> list[JsonDict]:
    """Return sale ``p``'s ``InventoryMovements``: ``shipments`` are (fulfilment TaskID, its lines)."""
    if not p.reached("SHIPPING"):
        return []
    ship_day = p.order_date + timedelta(days=SHIP_DAYS)
    rows = [
        _row(ds, task_id, product, ship_day, -value)
        for task_id, lines in shipments
        for product, value in goods_value(ds, lines).items()
    ]
    if rows and p.index % 6 == 1:
        # A cost correction DEAR later reversed: two rows that net to zero.
        first = rows[0]
        product = next(line.product for line in p.lines)
        day = ship_day + timedelta(days=CORRECTION_DAYS)
        adjustment = round(0.1 * unit_cost(ds, product) + 0.37, 4)
        rows.append(_row(ds, first["TaskID"], product, day, -adjustment))
        rows.append(_row(ds, first["TaskID"], product, day + timedelta(days=1), adjustment))
    if credit_task is not None:
        # The credited goods came back into stock (the credit note's Restock lines): positive rows.
        credit_day = p.order_date + timedelta(days=CREDIT_DAYS)
        for product, value in goods_value(ds, credited_lines(p)).items():
            rows.append(_row(ds, credit_task, product, credit_day, value))
    return rows
