"""Which stock movements each sandbox document causes (the ledger in ``movements`` posts them).

docs/dear-api.md §11.1 lists the movement types; stock leaves a sale at the ship step. Each
movement is valued by :mod:`app.sandbox.costing`. Documents that only read the on-hand quantity
(a draft adjustment, a transfer not yet sent) give ``probe`` rows: they move nothing, but the
ledger records what was on hand then, which the document shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.sandbox import cogs, purchases, sales
from app.sandbox.account import Account
from app.sandbox.costing import cost_of
from app.sandbox.ids import business_date, num
from app.sandbox.task_plans import (
    adjustment_plan,
    assembly_plan,
    stocktake_plan,
    transfer_plan,
    write_off_plan,
)

LineKey = tuple[str, int, int]  # (kind, document index, line number): a line that shows "on hand before"
Place = tuple[int, int]  # (product index, warehouse index)


@dataclass(slots=True)
class Move:
    """One stock movement (quantity 0 for a cost-only row)."""

    product: int
    location: int
    day: date
    rank: int  # order within a day
    type: str
    number: str
    status: str
    quantity: float
    task: str
    from_to: str = ""
    amount: float = 0.0
    line: LineKey | None = None
    probe: bool = False
    # What a probe's document would move (a draft's change): it moves nothing, but its document shows
    # on hand + this as a count, so the opening stock must cover it too.
    planned: float = 0.0


@dataclass
class Pending:
    """What documents hold back without moving stock: allocated to sales, on order from suppliers."""

    allocated: dict[Place, float] = field(default_factory=dict)
    on_order: dict[Place, float] = field(default_factory=dict)

    @staticmethod
    def add(book: dict[Place, float], place: Place, quantity: float) -> None:
        """Add ``quantity`` to one product × location of ``book``."""
        book[place] = book.get(place, 0.0) + quantity


def batch_of(ds: Account, product: int) -> tuple[str | None, str | None]:
    """Return the batch and expiry date every movement of a batch-tracked product carries."""
    if not str(ds.row("product", product)["CostingMethod"]).endswith("Batch"):
        return None, None
    return f"B{product:05d}", business_date(ds.today + timedelta(days=200 + product % 150))


def valued(ds: Account, move: Move) -> Move:
    """Give a movement its value (a probe moves nothing and is worth nothing)."""
    if move.probe:
        move.planned, move.quantity = move.quantity, 0
    else:
        move.amount = float(cost_of(ds, move.product, move.quantity))
    return move


def document_moves(ds: Account, pending: Pending) -> Iterator[Move]:
    """Every movement the account's documents cause, except the opening stock (``SA-00001``)."""
    yield from sale_moves(ds, pending)
    yield from purchase_moves(ds, pending)
    yield from task_moves(ds)
    yield from assembly_moves(ds)


def sale_moves(ds: Account, pending: Pending) -> Iterator[Move]:
    """Shipped goods go out at the ship date; a credit note's restock comes back.

    One movement per product per shipment, carrying its fulfilment's (or credit note's) TaskID and
    the value :mod:`app.sandbox.cogs` gives the sale's ``InventoryMovements``, so the two agree.
    """
    for i in ds.keys("sale"):
        p = sales.plan(ds, i)
        if p.stage == "VOIDED":
            continue
        order, _, credit = sales.numbers(p)
        if not p.reached("SHIPPING"):
            if p.reached("ORDERED"):  # ordered, picked, packed or invoiced first: allocated, not gone yet
                for line in p.lines:
                    pending.add(pending.allocated, (line.product, p.location), line.quantity)
            continue
        customer = str(ds.row("customer", p.customer)["Name"])
        kind = "SaleMultiple" if p.advanced else "Sale"
        shipped = p.order_date + timedelta(days=cogs.SHIP_DAYS)
        for g in cogs.shipped_goods(ds, p):
            yield Move(g.product, p.location, shipped, 5, kind, order, p.stage, -g.quantity, g.task,
                       customer, -g.value)  # fmt: skip
        restock = "RestockMultiple" if p.advanced else "Restock"
        day = p.order_date + timedelta(days=cogs.CREDIT_DAYS)
        for g in cogs.restocked_goods(ds, p):
            yield Move(g.product, p.location, day, 0, restock, str(credit), "AUTHORISED", g.quantity,
                       g.task, customer, g.value)  # fmt: skip


def purchase_moves(ds: Account, pending: Pending) -> Iterator[Move]:
    """Received lines come in, landed costs add value, a credit note's unstock goes back."""
    for i in ds.keys("purchase"):
        p = purchases.plan(ds, i)
        if p.kind == "Service Purchase" or p.stage == "VOIDED":
            continue
        if not p.reached("RECEIVED"):
            if p.reached("ORDERED"):
                for line in p.lines:
                    pending.add(pending.on_order, (line.product, p.location), line.quantity)
            continue
        supplier = str(ds.row("supplier", p.supplier)["Name"])
        task, number = ds.ids.make("purchase", i), f"PO-{i + 1:05d}"
        status = str(purchases.statuses(p)["Status"])
        advanced = p.kind == "Advanced Purchase"
        received = p.order_date + timedelta(days=7)
        kind = "Advanced Purchase" if advanced else "Purchase"
        for line in p.lines:
            yield valued(ds, Move(line.product, p.location, received, 0, kind, number, status, line.quantity,
                                  task, supplier))  # fmt: skip
        if p.reached("INVOICED") and (advanced or i % 5 == 0):
            # Landed costs, or a price corrected on the bill: value only (docs/dear-api.md §11.1, §11.5).
            kind, share = (
                ("Advanced Purchase Cost Change", 0.04) if advanced else ("Purchase Cost Chang", 0.02)
            )
            billed = p.order_date + timedelta(days=10)
            for line in p.lines:
                extra = float(num(share * float(cost_of(ds, line.product, line.quantity)), 2))
                yield Move(
                    line.product, p.location, billed, 0, kind, number, status, 0, task, supplier, extra
                )
        if p.stage == "CREDITED":
            kind = "Advanced Purchase Unstock" if advanced else "Unstock"
            day, credit = p.order_date + timedelta(days=30), f"PCR-{i + 1:05d}"
            for line in p.lines[:1]:
                yield valued(ds, Move(line.product, p.location, day, 4, kind, credit, "AUTHORISED",
                                      -line.quantity, task, supplier))  # fmt: skip


def task_moves(ds: Account) -> Iterator[Move]:
    """Yield adjustments and stocktakes (by their change), transfers both ways, write-offs."""
    names = [w["Name"] for w in ds.refs.warehouses]
    for i in ds.keys("stockadjustment"):
        if i == 0:
            continue  # the opening stock is worked out from everything else
        a = adjustment_plan(ds, i)
        number, task, done = f"SA-{i + 1:05d}", ds.ids.make("stockadjustment", i), a.status == "COMPLETED"
        for n, line in enumerate(a.lines):
            yield valued(ds, Move(line.product, line.location, a.day, 2, "Adjustment", number, a.status,
                                  line.quantity, task, line=(a.kind, i, n), probe=not done))  # fmt: skip
    for i in ds.keys("stocktake"):
        t = stocktake_plan(ds, i)
        number, task, done = f"ST-{i + 1:05d}", ds.ids.make("stocktake", i), t.status == "COMPLETED"
        for n, line in enumerate(t.lines):
            yield valued(ds, Move(line.product, line.location, t.day, 3, "Stocktake", number, t.status,
                                  line.quantity, task, line=(t.kind, i, n),
                                  probe=not done or not line.quantity))  # fmt: skip
    for i in ds.keys("stocktransfer"):
        tr = transfer_plan(ds, i)
        number, task = f"TR-{i + 1:05d}", ds.ids.make("stocktransfer", i)
        left = tr.status in {"COMPLETED", "IN TRANSIT"}
        for n, line in enumerate(tr.lines):
            to = tr.to_location
            yield valued(ds, Move(line.product, line.location, tr.day, 1, "Transfer Out", number, tr.status,
                                  -line.quantity, task, names[to], line=(tr.kind, i, n),
                                  probe=not left))  # fmt: skip
            if tr.status == "COMPLETED" and tr.done is not None:
                yield valued(ds, Move(line.product, to, tr.done, 1, "Transfer In", number, tr.status,
                                      line.quantity, task, names[line.location]))  # fmt: skip
    for i in ds.keys("inventorywriteoff"):
        w = write_off_plan(ds, i)
        if w.status != "COMPLETED":
            continue
        number, task = f"WO-{i + 1:05d}", ds.ids.make("inventorywriteoff", i)
        for line in w.lines:
            yield valued(ds, Move(line.product, line.location, w.day, 4, "Inventory Write-Off", number,
                                  w.status, -line.quantity, task))  # fmt: skip


def assembly_moves(ds: Account) -> Iterator[Move]:
    """Assemblies use components and make the product; disassemblies the other way round."""
    for kind, prefix, kind_type, sign in (
        ("finishedgoods", "AS", "Finished Goods", 1),
        ("disassembly", "DS", "Disassembly", -1),
    ):
        for i in ds.keys(kind):
            a = assembly_plan(ds, kind, i)
            if a.status != "COMPLETED":
                continue
            number, task = f"{prefix}-{i + 1:05d}", ds.ids.make(kind, i)
            for component in a.components:
                yield valued(ds, Move(component, a.location, a.day, 2, kind_type, number, a.status,
                                      -sign * a.component_quantity, task))  # fmt: skip
            yield valued(ds, Move(a.product, a.location, a.day, 3, kind_type, number, a.status,
                                  sign * a.quantity, task))  # fmt: skip
