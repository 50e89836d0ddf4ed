"""A sale's goods leaving and coming back: its shipments, and its ``InventoryMovements`` rows.

docs/dear-api.md §11.1: stock leaves at a fulfilment's Ship step, and a movement's ``TaskID`` is the
document that moved the stock, so a shipment's movements carry its fulfilment's TaskID and a
restock its credit note's TaskID. §11.2 does not say which document a sale's ``InventoryMovements``
rows name; the sandbox uses the same TaskIDs, so a row and the product movement it costs match.

Both the product ledger (:mod:`app.sandbox.stock_moves`) and the sale document read
:func:`shipped_goods` and :func:`restocked_goods`: one entry per product per shipment, valued once
by :mod:`app.sandbox.costing` (quantity × ``AverageCost``, rounded as DEAR rounds), so a sale's cost
of goods and its ``Sale`` / ``SaleMultiple`` movements agree to the cent. COGS rows are signed as in
the doc examples: goods leaving negative, goods restocked by a credit note positive. DEAR adds
correcting rows later ("Sale COGS Change"); some sales carry a pair that nets to zero. A sale
invoiced before it shipped has no rows at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.sandbox.account import Account, JsonDict
from app.sandbox.costing import cost_of, unit_cost
from app.sandbox.ids import business_date, num
from app.sandbox.sales import Line, SalePlan, credited_lines

# Days after the order date that the goods leave (the fulfilment's ship step) and a correction lands.
SHIP_DAYS = 2
CORRECTION_DAYS = 20
CREDIT_DAYS = 9

__all__ = [
    "CORRECTION_DAYS",
    "CREDIT_DAYS",
    "SHIP_DAYS",
    "Goods",
    "fulfilments",
    "movements",
    "restocked_goods",
    "shipped_goods",
    "unit_cost",
]


@dataclass(frozen=True)
class Goods:
    """One product of one shipment (or restock): its total quantity and value, valued once."""

    task: str  # the fulfilment's (or credit note's) TaskID
    product: int
    quantity: float
    value: float  # cost of the goods, positive, rounded once


def fulfilments(ds: Account, p: SalePlan) -> list[tuple[str, list[Line]]]:
    """Return an ordered sale's fulfilments as (TaskID, its lines): two halves for an advanced sale."""
    if not p.reached("ORDERED"):
        return []
    half = (len(p.lines) + 1) // 2
    parts = [p.lines[:half], p.lines[half:]] if p.advanced and len(p.lines) > 1 else [p.lines]
    return [(ds.ids.sub("fulfilment", p.index, n), part) for n, part in enumerate(parts, start=1)]


def _goods(ds: Account, task: str, lines: Sequence[Line]) -> list[Goods]:
    quantities: dict[int, float] = {}
    for line in lines:  # a product on two lines of one sale leaves as one quantity
        quantities[line.product] = quantities.get(line.product, 0.0) + float(line.quantity)
    return [
        Goods(task, product, float(num(quantity)), float(cost_of(ds, product, quantity)))
        for product, quantity in quantities.items()
    ]


def shipped_goods(ds: Account, p: SalePlan) -> list[Goods]:
    """Return what left for sale ``p``: per fulfilment, per product (nothing before the Ship step)."""
    if not p.reached("SHIPPING"):
        return []
    return [g for task, lines in fulfilments(ds, p) for g in _goods(ds, task, lines)]


def restocked_goods(ds: Account, p: SalePlan) -> list[Goods]:
    """Return what sale ``p``'s credit note put back into stock, per product (its Restock lines)."""
    if p.stage != "CREDITED" or not p.reached("SHIPPING"):
        return []
    return _goods(ds, ds.ids.sub("creditnote", p.index), credited_lines(p))


def _row(ds: Account, task_id: str, product: int, day: date, cogs: float) -> JsonDict:
    return {
        "TaskID": task_id,
        "ProductID": ds.ids.make("product", product),
        "Date": business_date(day),
        "COGS": num(cogs),
    }


def movements(ds: Account, p: SalePlan) -> list[JsonDict]:
    """Return sale ``p``'s ``InventoryMovements``: shipments out, corrections, restocks back in."""
    ship_day = p.order_date + timedelta(days=SHIP_DAYS)
    rows = [_row(ds, g.task, g.product, ship_day, -g.value) for g in shipped_goods(ds, p)]
    if rows and p.index % 6 == 1:
        # A cost correction DEAR later reversed: two rows that net to zero.
        first = rows[0]
        product = p.lines[0].product
        day = ship_day + timedelta(days=CORRECTION_DAYS)
        adjustment = round(0.1 * unit_cost(ds, product) + 0.37, 4)
        rows.append(_row(ds, first["TaskID"], product, day, -adjustment))
        rows.append(_row(ds, first["TaskID"], product, day + timedelta(days=1), adjustment))
    credit_day = p.order_date + timedelta(days=CREDIT_DAYS)
    rows.extend(_row(ds, g.task, g.product, credit_day, g.value) for g in restocked_goods(ds, p))
    return rows
