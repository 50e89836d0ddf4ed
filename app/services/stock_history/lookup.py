"""Look-up: a product's most recent stock movements, under its stock by location.

One more request per product found (``GET /product?ID=…&IncludeMovements=true``, docs/dear-api.md
§11.1), for a few products at most: DEAR sends a product's whole history, with no paging or dates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from app.catalogue.stock_history import describe_type
from app.dates import parse_dear_date
from app.models import CancelToken, ColumnSpec, Connection, ValueKind
from app.services.lookup import LookupClient, LookupKind, LookupResult

RECENT = 5  # movements shown per product
PRODUCTS_WITH_MOVEMENTS = 5  # products whose movements are read (one request each)
MOVEMENT_COLUMNS = (
    ColumnSpec("MovementDate", "Moved on", ValueKind.DATE),
    ColumnSpec("Movement", "Movement"),
    ColumnSpec("Number", "Document"),
    ColumnSpec("Quantity", "Quantity moved", ValueKind.NUMBER),
    ColumnSpec("Amount", "Value moved", ValueKind.NUMBER),
)


def _client(connection: Connection) -> LookupClient:
    # Imported here, as the look-up service does: requests only once a look-up runs.
    from app.api import DearClient

    return DearClient(connection)


def _recent(document: Any, sku: str) -> list[Mapping[str, Any]]:
    """Return the latest movements of the product with exactly this SKU (DEAR's filter is "contains")."""
    products = document.get("Products") if isinstance(document, Mapping) else None
    found = [p for p in products or [] if isinstance(p, Mapping) and str(p.get("SKU")) == sku]
    if not found:
        return []
    product = found[0]
    moves = [m for m in product.get("Movements") or [] if isinstance(m, Mapping)]
    moves.sort(key=lambda m: str(m.get("Date") or ""), reverse=True)
    return moves[:RECENT]


def with_recent_movements(
    connection: Connection,
    result: LookupResult,
    cancel: CancelToken | None = None,
    client_factory: Callable[[Connection], LookupClient] | None = None,
) -> LookupResult:
    """Return a product look-up with each product's latest movements under its stock rows.

    Other look-ups, and product look-ups that found more than a few products, come back as they were.
    """
    if result.kind is not LookupKind.PRODUCTS or not result.rows:
        return result
    skus = list(dict.fromkeys(str(row[0]) for row in result.rows))
    if len(skus) > PRODUCTS_WITH_MOVEMENTS:
        return result
    client = (client_factory or _client)(connection)
    blank = (None,) * len(MOVEMENT_COLUMNS)
    rows: list[tuple[Any, ...]] = []
    calls = result.calls
    try:
        for sku in skus:
            stock = [row for row in result.rows if str(row[0]) == sku]
            rows.extend((*row, *blank) for row in stock)
            params = {"Sku": sku, "IncludeMovements": "true", "IncludeDeprecated": "true", "Limit": 10}
            moves = _recent(client.get("product", params, cancel=cancel), sku)
            calls += 1
            for m in moves:
                padding = (None,) * (len(result.columns) - 3)
                rows.append(
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
    finally:
        close = getattr(client, "close", None)
        if callable(close):
            close()
    note = f"{result.note} The {RECENT} latest stock movements of each product are listed under its stock."
    return replace(
        result, columns=(*result.columns, *MOVEMENT_COLUMNS), rows=tuple(rows), note=note, calls=calls
    )
