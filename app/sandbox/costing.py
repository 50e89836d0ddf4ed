"""The one costing rule of the simulated account: stock moves at the product's ``AverageCost``.

Every movement that changes a quantity (a shipped sale line, a received purchase line, a
transfer, an adjustment, a write-off, an assembly) is valued at quantity × the product record's
``AverageCost``, so a sale's cost of goods sold (its ``InventoryMovements``, docs/dear-api.md
§11.2) and the product's ``Sale`` movements (§11.1) agree to the cent.
"""

from __future__ import annotations

from app.sandbox.account import Account
from app.sandbox.ids import num


def unit_cost(ds: Account, product: int) -> float:
    """Return the cost one unit of product ``product`` moves at (its record's ``AverageCost``)."""
    return float(ds.row("product", product)["AverageCost"] or 0)


def cost_of(ds: Account, product: int, quantity: float) -> int | float:
    """Return the value of ``quantity`` units moving (signed like the quantity), as DEAR rounds it."""
    return num(quantity * unit_cost(ds, product))
