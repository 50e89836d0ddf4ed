"""The simulated account's stock ledger: every stock movement, derived from the documents.

docs/dear-api.md §11.1: DEAR's only stock history is ``Movements[]`` on
``GET /product?IncludeMovements=true``; the signed quantities of a product's movements add up to
its on-hand quantity per location (and batch). Here one ledger is built from the sandbox's own
documents (:mod:`app.sandbox.stock_moves`), and both the movements and product availability are
read from it, so they cannot disagree.

Stock never goes below zero: the first stock adjustment (``SA-00001``, "Opening stock") brings in
enough at every product and location the documents touch. Quantities move at the cost
:mod:`app.sandbox.costing` gives; the "… Cost Change" rows carry quantity 0 and a value only. A
location's stock value (availability's ``StockOnHand``, §11.3) is the sum of its ``Amount``.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from typing import Any, cast

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num
from app.sandbox.stock_moves import LineKey, Move, Pending, Place, batch_of, document_moves, valued
from app.sandbox.task_plans import adjustment_plan

OPENING_REFERENCE = "Opening stock"

__all__ = ["OPENING_REFERENCE", "Ledger", "batch_of", "ledger_of"]


class Ledger:
    """Movements by product, balances by product × location, and what documents show as "before"."""

    def __init__(self, ds: Account, opening: dict[Place, float] | None = None) -> None:
        self._ds = ds
        self.by_product: dict[int, list[Move]] = defaultdict(list)
        self.on_hand: dict[Place, float] = defaultdict(float)
        self.value: dict[Place, float] = defaultdict(float)
        self.before: dict[LineKey, float] = {}
        self.opening: dict[Place, float] = {}
        self.pending = Pending()
        moves = list(document_moves(ds, self.pending))
        self.opening = opening_stock(moves, ds) if opening is None else opening
        self._open(moves)
        self._post(moves)

    @property
    def allocated(self) -> dict[Place, float]:
        """Quantities allocated to sales not yet shipped."""
        return self.pending.allocated

    @property
    def on_order(self) -> dict[Place, float]:
        """Quantities on purchase orders not yet received."""
        return self.pending.on_order

    def _open(self, moves: list[Move]) -> None:
        """Add the opening stock adjustment (``SA-00001``) as movements."""
        ds = self._ds
        if not self.opening:
            return
        plan = adjustment_plan(ds, 0)
        task = ds.ids.make("stockadjustment", 0)
        for (product, location), quantity in self.opening.items():
            move = Move(
                product, location, plan.day, -1, "Adjustment", "SA-00001", plan.status, quantity, task
            )
            moves.append(valued(ds, move))

    def _post(self, moves: list[Move]) -> None:
        moves.sort(key=lambda m: (m.day, m.rank))
        for m in moves:
            place = (m.product, m.location)
            if m.line is not None:
                self.before[m.line] = round(self.on_hand.get(place, 0.0), 4)
            if m.probe:
                continue
            self.on_hand[place] += m.quantity
            self.value[place] += m.amount
            self.by_product[m.product].append(m)

    def places(self) -> list[Place]:
        """Every product × location that stock ever moved at, in product then location order."""
        return sorted(self.on_hand)

    def movements(self, product: int) -> list[JsonDict]:
        """Return product ``product``'s ``Movements[]`` as DEAR sends them (oldest first)."""
        ds = self._ds
        names = [w["Name"] for w in ds.refs.warehouses]
        batch, expiry = batch_of(ds, product)
        return [
            {
                "TaskID": m.task,
                "Type": m.type,
                "Date": business_date(m.day),
                "Number": m.number,
                "Status": m.status,
                "Quantity": num(m.quantity),
                "Amount": num(m.amount),
                "Location": names[m.location],
                "BatchSN": batch,
                "ExpiryDate": expiry,
                "FromTo": m.from_to,
            }
            for m in self.by_product.get(product, [])
        ]

    def count(self, product: int) -> int:
        """Return how many movements product ``product`` has."""
        return len(self.by_product.get(product, ()))


def opening_stock(moves: list[Move], ds: Account) -> dict[Place, float]:
    """Work out the opening stock: enough at every product × location that no balance goes below zero.

    Every outflow counts, also the planned change of a document that moves nothing yet (a draft
    adjustment or stocktake, a transfer not sent), since its document shows what it would leave.

    A quarter of them start with just enough, so some sell out (availability rows at zero).
    """
    if not ds.counts.get("stockadjustment") or 0 not in ds.keys("stockadjustment"):
        return {}  # no opening adjustment: stock may go negative, as DEAR allows when set up to
    running: dict[Place, float] = defaultdict(float)
    lowest: dict[Place, float] = {}
    for m in sorted(moves, key=lambda m: (m.day, m.rank)):
        place = (m.product, m.location)
        running[place] += m.quantity
        # A draft's planned change counts as if it moved: its document shows on hand + change as the
        # count (an adjustment's Adjustment, docs/dear-api.md §11.3), which must not go below zero.
        lowest[place] = min(lowest.get(place, 0.0), running[place] + min(m.planned, 0.0))
    opening: dict[Place, float] = {}
    for place in sorted(lowest):
        rng = ds.rng("opening", place[0] * 97 + place[1])
        base = 0 if rng.random() < 0.25 else rng.randrange(5, 120)
        quantity = float(num(base - lowest[place]))
        if quantity > 0:
            opening[place] = quantity
    return opening


class _AsGenerated:
    """The account as generated, before any touch, void or delete.

    The opening stock is worked out from it once, so a later change moves today's stock instead
    of rewriting the opening.
    """

    def __init__(self, ds: Account) -> None:
        self._ds = ds

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ds, name)

    def change(self, kind: str, index: int) -> None:
        return None

    def keys(self, kind: str) -> range:
        return range(self._ds.counts[kind])


_OPENINGS: weakref.WeakKeyDictionary[Account, dict[Place, float]] = weakref.WeakKeyDictionary()
_LEDGERS: weakref.WeakKeyDictionary[Account, tuple[int, Ledger]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def ledger_of(ds: Account) -> Ledger:
    """Return the account's ledger, rebuilt after any change to its records (touch, void, delete...)."""
    with _LOCK:
        held = _LEDGERS.get(ds)
        if held is None or held[0] != ds.generation:
            opening = _OPENINGS.get(ds)
            if opening is None:
                original = cast(Account, _AsGenerated(ds))
                opening = _OPENINGS[ds] = opening_stock(list(document_moves(original, Pending())), original)
            held = (ds.generation, Ledger(ds, opening))
            _LEDGERS[ds] = held
        return held[1]
