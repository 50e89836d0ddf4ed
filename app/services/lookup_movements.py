"""Look-up: a product's most recent stock movements, under its stock by location.

:class:`app.services.lookup.LookupService` adds them to a product look-up that found a few
products, with the look-up's own client (so its waits are reported and its cancel stops them):
one more request per product (``GET /product?Sku=…&IncludeMovements=true``, docs/dear-api.md
§11.1), as DEAR sends a product's whole history, with no paging or dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from app.catalogue.stock_history import describe_type
from app.dates import parse_dear_date
from app.models import CancelToken, ColumnSpec, ValueKind

__all__ = ["MOVEMENT_COLUMNS", "NOTE", "PRODUCTS_WITH_MOVEMENTS", "RECENT", "add_recent_movements"]

RECENT = 5  # movements shown per product
PRODUCTS_WITH_MOVEMENTS = 5  # products whose movements are read (one request each)
MOVEMENT_COLUMNS = (
    ColumnSpec("MovementDate", "Moved on", ValueKind.DATE),
    ColumnSpec("Movement", "Movement"),
    ColumnSpec("Number", "Document"),
    ColumnSpec("Quantity", "Quantity moved", ValueKind.NUMBER),
    ColumnSpec("Amount", "Value moved", ValueKind.NUMBER),
)
NOTE = f"The {RECENT} latest stock movements of each product are listed under its stock."

Row = tuple[Any, ...]


class MovementClient(Protocol):
    """The part of :class:`app.api.DearClient` reading movements needs."""

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
    ) -> Any:
        """GET one DEAR endpoint and return the decoded JSON."""
        ...


def _recent(document: Any, sku: str) -> list[Mapping[str, Any]]:
    """Return the latest movements of the product with exactly this SKU (DEAR's filter is "contains")."""
    products = document.get("Products") if isinstance(document, Mapping) else None
    found = [p for p in products or [] if isinstance(p, Mapping) and str(p.get("SKU")) == sku]
    if not found:
        return []
    moves = [m for m in found[0].get("Movements") or [] if isinstance(m, Mapping)]
    moves.sort(key=lambda m: str(m.get("Date") or ""), reverse=True)
    return moves[:RECENT]


def add_recent_movements(
    client: MovementClient,
    columns: Sequence[ColumnSpec],
    rows: Sequence[Row],
    cancel: CancelToken | None = None,
) -> tuple[tuple[ColumnSpec, ...], tuple[Row, ...], int] | None:
    """Return product look-up ``rows`` (SKU, product, location first) with each product's movements.

    The answer is (columns, rows, requests made); None when there are no rows or more products
    than are worth a request each, so the look-up stays as it was.
    """
    skus = list(dict.fromkeys(str(row[0]) for row in rows))
    if not skus or len(skus) > PRODUCTS_WITH_MOVEMENTS:
        return None
    blank = (None,) * len(MOVEMENT_COLUMNS)
    padding = (None,) * (len(columns) - 3)
    out: list[Row] = []
    for sku in skus:
        stock = [row for row in rows if str(row[0]) == sku]
        out.extend((*row, *blank) for row in stock)
        params = {"Sku": sku, "IncludeMovements": "true", "IncludeDeprecated": "true", "Limit": 10}
        for m in _recent(client.get("product", params, cancel=cancel), sku):
            out.append(
                (
                    sku,
                    stock[0][1],
                    m.get("Location") or "",
                    *padding,
                    parse_dear_date(str(m.get("Date") or "")),
                    describe_type(str(m.get("Type") or ""))[0],
                    m.get("Number") or "",
                    m.get("Quantity"),
                    m.get("Amount"),
                )
            )
    return (*columns, *MOVEMENT_COLUMNS), tuple(out), len(skus)
