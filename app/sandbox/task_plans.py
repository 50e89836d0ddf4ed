"""What the stock and assembly documents decide once: their products, locations and quantities.

Both the documents (``stock_tasks``, ``assembly_tasks``) and the stock ledger (``movements``)
read these plans, so a document and the movements it causes cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.sandbox.account import Account
from app.sandbox.task_parts import line_products, task_day, task_status

TRANSFER_STATUSES = ("COMPLETED", "COMPLETED", "IN TRANSIT", "DRAFT", "VOIDED")
ASSEMBLY_STATUSES = ("COMPLETED", "COMPLETED", "AUTHORISED", "DRAFT", "VOIDED")
DISASSEMBLY_STATUSES = ("COMPLETED", "COMPLETED", "WORK IN PROGRESS", "DRAFT", "VOIDED")


@dataclass(frozen=True)
class TaskLine:
    """One line of a stock document.

    ``quantity`` is what the line moves: for a stock adjustment's existing stock and a stocktake
    it is the change (the counted quantity is worked out from the ledger's on-hand before), for
    new stock, transfers and write-offs the quantity itself (positive).
    """

    product: int
    location: int
    quantity: float
    new_stock: bool = False


@dataclass(frozen=True)
class TaskPlan:
    """A stock document: its day, status and lines (``to_location`` and ``done`` for transfers)."""

    kind: str
    index: int
    day: date
    status: str
    lines: tuple[TaskLine, ...]
    to_location: int = 0
    done: date | None = None


@dataclass(frozen=True)
class AssemblyPlan:
    """A finished-goods or disassembly document: the product, its quantity and its components."""

    kind: str
    index: int
    day: date
    status: str
    product: int
    quantity: int
    unit_cost: float
    location: int
    components: tuple[int, ...]

    @property
    def component_quantity(self) -> int:
        """Every component goes in twice per unit made (the bill of materials the sandbox uses)."""
        return 2 * self.quantity


def _locations(ds: Account) -> int:
    return len(ds.refs.warehouses)


def adjustment_plan(ds: Account, i: int) -> TaskPlan:
    """Stock adjustment ``i``: even lines change existing stock, odd lines add new stock."""
    rng = ds.rng("stockadjustment", i)
    lines = []
    for n, p in enumerate(line_products(ds, "stockadjustment", i)):
        where = (i + n) % _locations(ds)
        if n % 2 == 0:
            change = rng.randrange(-5, 6)
            lines.append(TaskLine(p, where, change or 1))
        else:
            lines.append(TaskLine(p, where, rng.randrange(1, 30), new_stock=True))
    return TaskPlan("stockadjustment", i, task_day(ds, "stockadjustment", i), task_status(i), tuple(lines))


def stocktake_plan(ds: Account, i: int) -> TaskPlan:
    """Stocktake ``i`` at one location: each line's change between the books and the count."""
    rng = ds.rng("stocktake", i)
    where = i % _locations(ds)
    lines = tuple(TaskLine(p, where, rng.randrange(-3, 4)) for p in line_products(ds, "stocktake", i, 4))
    return TaskPlan("stocktake", i, task_day(ds, "stocktake", i), task_status(i), lines)


def transfer_plan(ds: Account, i: int) -> TaskPlan:
    """Stock transfer ``i`` from location ``i`` to the next; completed two days after departure."""
    rng = ds.rng("stocktransfer", i)
    count = _locations(ds)
    lines = tuple(TaskLine(p, i % count, rng.randrange(1, 25)) for p in line_products(ds, "stocktransfer", i))
    day = task_day(ds, "stocktransfer", i)
    return TaskPlan(
        "stocktransfer",
        i,
        day,
        task_status(i, TRANSFER_STATUSES),
        lines,
        to_location=(i + 1) % count,
        done=day + timedelta(days=2),
    )


def write_off_plan(ds: Account, i: int) -> TaskPlan:
    """Inventory write-off ``i`` at one location."""
    rng = ds.rng("inventorywriteoff", i)
    where = i % _locations(ds)
    lines = tuple(TaskLine(p, where, rng.randrange(1, 6)) for p in line_products(ds, "inventorywriteoff", i))
    return TaskPlan("inventorywriteoff", i, task_day(ds, "inventorywriteoff", i), task_status(i), lines)


def assembly_plan(ds: Account, kind: str, i: int) -> AssemblyPlan:
    """Finished goods (``kind="finishedgoods"``) or disassembly ``i``."""
    rng = ds.rng(kind, i)
    product = ds.pick_product(rng)
    assembling = kind == "finishedgoods"
    quantity = rng.randrange(1, 40) if assembling else rng.randrange(1, 10)
    unit_cost = rng.uniform(5, 80) if assembling else 0.0
    statuses = ASSEMBLY_STATUSES if assembling else DISASSEMBLY_STATUSES
    return AssemblyPlan(
        kind,
        i,
        task_day(ds, kind, i),
        task_status(i, statuses),
        product,
        quantity,
        unit_cost,
        i % _locations(ds),
        tuple(line_products(ds, kind, i)),
    )
