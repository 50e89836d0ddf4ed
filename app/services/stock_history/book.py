"""Stock at a date, worked out from today's stock and the movements since (no I/O, no Qt).

docs/dear-api.md §11.1: DEAR has no stock-at-a-date endpoint. Stock at the end of a day is today's
on-hand (product availability) minus every movement dated after that day, per product × location ×
batch; value likewise from availability's ``StockOnHand`` (a value, §11.3) and the movements'
``Amount``. The same movements must add up to today's on-hand: :meth:`StockBook.mismatches` says
where they do not, so a report can show it rather than hide it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.catalogue.stock_history import KINDS, movement_rows
from app.dates import parse_dear_date

Place = tuple[str, str, str]  # (product ID, location, batch) as DEAR names them
_QUANTITY_PLACES = 4
_VALUE_PLACES = 2


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def same_location(a: str, b: str) -> bool:
    """Tell whether two location names are the same location (DEAR compares them without case)."""
    return a.strip().casefold() == b.strip().casefold()


@dataclass
class PlaceTotals:
    """What one product × location × batch adds up to."""

    sku: str = ""
    name: str = ""
    category: str = ""
    expiry: Any = None
    moved_quantity: float = 0.0  # every movement, whatever its date
    moved_value: float = 0.0
    after_quantity: float = 0.0  # movements dated after the closing day
    after_value: float = 0.0
    range_quantity: float = 0.0  # movements inside the summary's range
    range_value: float = 0.0
    kinds: dict[str, list[float]] = field(default_factory=dict)  # kind -> [in, out, value]
    on_hand: float = 0.0  # today's availability
    value: float = 0.0
    available: bool = False  # availability has a row for this place
    movements: int = 0

    @property
    def closing_quantity(self) -> float:
        """On hand at the end of the closing day: today's on-hand minus later movements."""
        return round(self.on_hand - self.after_quantity, _QUANTITY_PLACES)

    @property
    def closing_value(self) -> float:
        """The stock's value at the end of the closing day."""
        return round(self.value - self.after_value, _VALUE_PLACES)

    @property
    def difference(self) -> float:
        """Today's on-hand minus what every movement adds up to (0 when they agree)."""
        return round(self.on_hand - self.moved_quantity, _QUANTITY_PLACES)


@dataclass(frozen=True)
class Mismatch:
    """A product × location where the movements do not add up to today's stock on hand."""

    sku: str
    name: str
    location: str
    batch: str
    moved: float
    on_hand: float

    def describe(self) -> str:
        """One phrase for the About sheet."""
        where = f"{self.sku} at {self.location}" + (f" (batch {self.batch})" if self.batch else "")
        return f"{where}: movements add up to {self.moved:g}, stock on hand is {self.on_hand:g}"


class StockBook:
    """Totals per product × location × batch, fed product by product and then with availability.

    ``closing`` is the last day reported (stock at its end); ``opening`` the first day of a
    summary's range (None: from the first movement). ``location`` keeps one location only.
    """

    def __init__(self, closing: date, opening: date | None = None, location: str = "") -> None:
        self.closing = closing
        self.opening = opening
        self.location = location
        self.places: dict[Place, PlaceTotals] = {}
        self.products: set[str] = set()
        self.movements = 0
        self.later = 0

    def _wanted(self, location: str) -> bool:
        return not self.location or same_location(location, self.location)

    def _place(self, key: Place) -> PlaceTotals:
        totals = self.places.get(key)
        if totals is None:
            totals = self.places[key] = PlaceTotals()
        return totals

    def add_product(self, product: Mapping[str, Any]) -> None:
        """Add one product row of ``GET /product?IncludeMovements=true``."""
        product_id = _text(product.get("ID"))
        self.products.add(product_id)
        for row in movement_rows(product):
            location = _text(row["Location"])
            if not self._wanted(location):
                continue
            totals = self._place((product_id, location, _text(row["BatchSN"])))
            totals.sku, totals.name = _text(row["SKU"]), _text(row["ProductName"])
            totals.category = _text(row["Category"])
            totals.expiry = totals.expiry or row["ExpiryDate"]
            quantity, value = _number(row["Quantity"]), _number(row["Amount"])
            totals.moved_quantity += quantity
            totals.moved_value += value
            totals.movements += 1
            self.movements += 1
            day = parse_dear_date(row["Date"]) if isinstance(row["Date"], str) else None
            if day is None or day > self.closing:
                # Undated movements count as later: they are in today's stock, not in the past.
                totals.after_quantity += quantity
                totals.after_value += value
                self.later += 1
            elif self.opening is None or day >= self.opening:
                totals.range_quantity += quantity
                totals.range_value += value
                kind = totals.kinds.setdefault(str(row["Kind"]), [0.0, 0.0, 0.0])
                kind[0 if quantity >= 0 else 1] += quantity
                kind[2] += value

    def add_availability(self, row: Mapping[str, Any]) -> None:
        """Add one ``ProductAvailabilityList[]`` row (bins of one place are added together)."""
        product_id, location = _text(row.get("ID")), _text(row.get("Location"))
        if product_id not in self.products or not self._wanted(location):
            return
        totals = self._place((product_id, location, _text(row.get("Batch"))))
        totals.sku = totals.sku or _text(row.get("SKU"))
        totals.name = totals.name or _text(row.get("Name"))
        totals.expiry = totals.expiry or row.get("ExpiryDate")
        totals.on_hand += _number(row.get("OnHand"))
        totals.value += _number(row.get("StockOnHand"))  # a value, not a quantity (§11.3)
        totals.available = True

    def mismatches(self) -> list[Mismatch]:
        """Every place where all its movements do not add up to today's on-hand."""
        return [
            Mismatch(t.sku, t.name, key[1], key[2], round(t.moved_quantity, 4), round(t.on_hand, 4))
            for key, t in self.sorted_places()
            if t.difference != 0
        ]

    def value_differences(self) -> int:
        """Count the places whose movements' values do not add up to today's stock value (to the cent).

        docs/dear-api.md §11.1: UNVERIFIED that values reconcile as quantities do; said, never an error.
        """
        return sum(1 for t in self.places.values() if abs(t.value - t.moved_value) > 0.015)

    def sorted_places(self) -> list[tuple[Place, PlaceTotals]]:
        """Places in SKU, location, batch order."""
        return sorted(self.places.items(), key=lambda item: (item[1].sku, item[0][1], item[0][2], item[0][0]))

    def at_date_rows(self, categories: Mapping[str, str] | None = None) -> Iterable[dict[str, Any]]:
        """Rows of "stock on hand at a date": places with a non-zero quantity at the end of the day."""
        for (product_id, location, batch), t in self.sorted_places():
            quantity = t.closing_quantity
            if quantity == 0:
                continue
            yield {
                "SKU": t.sku,
                "ProductName": t.name,
                "Category": t.category or (categories or {}).get(product_id, ""),
                "Location": location,
                "BatchSN": batch or None,
                "ExpiryDate": t.expiry,
                "Quantity": quantity,
                "Value": t.closing_value,
                "ProductID": product_id,
            }

    def summary_rows(self) -> Iterable[dict[str, Any]]:
        """Rows of the movement summary: opening, in and out by kind, closing (places that had any)."""
        for (product_id, location, batch), t in self.sorted_places():
            closing, closing_value = t.closing_quantity, t.closing_value
            opening = round(closing - t.range_quantity, _QUANTITY_PLACES)
            opening_value = round(closing_value - t.range_value, _VALUE_PLACES)
            if not (opening or closing or t.kinds):
                continue
            row: dict[str, Any] = {
                "SKU": t.sku,
                "ProductName": t.name,
                "Category": t.category,
                "Location": location,
                "BatchSN": batch or None,
                "OpeningQuantity": opening,
                "OpeningValue": opening_value,
                "ClosingQuantity": closing,
                "ClosingValue": closing_value,
                "ProductID": product_id,
            }
            for kind in KINDS:
                moved_in, moved_out, value = t.kinds.get(kind, (0.0, 0.0, 0.0))
                row[kind] = {
                    "In": round(moved_in, _QUANTITY_PLACES),
                    "Out": round(-moved_out, _QUANTITY_PLACES),
                    "Value": round(value, _VALUE_PLACES),
                }
            yield row
