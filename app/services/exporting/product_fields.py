"""Filling line rows with fields of DEAR's product list (a sale line's product category).

A sale document names each line's product (``ProductID``, ``SKU``) but not its category; the
product list has it (``Category``, a name: docs/dear-api.md §3.1 and §4). A catalogue entry
declares the fields it may take from there (``EndpointSpec.product_fields``); when a chosen
column names one, the export reads the product list once, 1,000 products a request
(``IncludeDeprecated=true``: old sales name deprecated products too), keeps each product's
wanted fields by ID and by SKU, and fills them into every row before it is written (and before
a report's summary sees it).

Memory: only the wanted fields are kept, about 200 bytes a product (1.7 MB for 10,000 products,
measured by bench/profit_lines.py), so the map stays in memory. While reading, the pages in
flight (the list pager reads ahead a bounded number of pages) are the larger, passing cost.

Not cached: the list is read again on every export (ceil(products / 1,000) requests). Renaming a
category in DEAR renames it on every product, and nothing documents whether that moves the
products' ``LastModifiedOn`` (§11.4 documents the ``ModifiedSince`` filter, not what moves it),
so a saved map refreshed by ``ModifiedSince`` could keep showing an old name.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.api.paging import ListStats, read_total
from app.models import CancelToken, ColumnSpec, EndpointSpec, JsonDict

if TYPE_CHECKING:
    from app.api.client import DearClient

__all__ = [
    "PAGE_SIZE",
    "ProductLookup",
    "ProductTable",
    "chosen_product_fields",
    "count_product_pages",
    "field_words",
    "reading_words",
]

# DEAR's product list (docs/dear-api.md §3.1): its path, list key and largest page.
PRODUCT_PATH = "product"
PRODUCT_LIST_KEY = "Products"
PAGE_SIZE = 1000
PARAMS: Mapping[str, str] = {"IncludeDeprecated": "true"}

# (products read, products listed): called after each page
PageProgress = Callable[[int, int], None]


def chosen_product_fields(spec: EndpointSpec, columns: Sequence[ColumnSpec]) -> tuple[str, ...]:
    """Return the entry's product fields that a chosen column shows (none chosen: nothing to read)."""
    shown = {column.field for column in columns}
    return tuple(name for name in spec.product_fields if name in shown)


def field_words(fields: Sequence[str], columns: Sequence[ColumnSpec]) -> str:
    """Name the fields by the columns' own headers, plural ("categories", "categories and brands")."""
    headers = {column.field: column.header for column in columns}
    return " and ".join(_plural(headers.get(name, name).lower()) for name in fields)


def reading_words(fields: Sequence[str], columns: Sequence[ColumnSpec], count: int | None = None) -> str:
    """Say what the product list is read for ("Reading products for their categories")."""
    products = "products" if count is None else f"{count:,} product{'s' if count != 1 else ''}"
    return f"Reading {products} for their {field_words(fields, columns)}"


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word if word.endswith("s") else word + "s"


def count_product_pages(client: DearClient, cancel: CancelToken | None) -> tuple[int, int]:
    """Return (products, requests to read them all) from one request of one product (the estimate)."""
    body = client.get(PRODUCT_PATH, {**PARAMS, "Page": 1, "Limit": 1}, cancel=cancel)
    total = read_total(body) or 0
    return total, max(1, math.ceil(total / PAGE_SIZE))


@dataclass
class ProductTable:
    """The wanted fields of every product, by lower-case product ID and by SKU."""

    fields: tuple[str, ...]
    by_id: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    by_sku: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    stats: ListStats | None = None

    def add(self, product: Mapping[str, Any]) -> None:
        """Keep one product list row's wanted fields (repeated names such as categories stored once)."""
        values = tuple(sys.intern(v) if isinstance(v, str) else v for v in map(product.get, self.fields))
        product_id, sku = product.get("ID"), product.get("SKU")
        if isinstance(product_id, str) and product_id:
            self.by_id[product_id.lower()] = values
        if isinstance(sku, str) and sku:
            self.by_sku[sku] = values

    def fill(self, row: JsonDict) -> JsonDict:
        """Fill the row's missing product fields from its product (by ProductID, else SKU); return it."""
        product_id, sku = row.get("ProductID"), row.get("SKU")
        values = self.by_id.get(product_id.lower()) if isinstance(product_id, str) else None
        if values is None and isinstance(sku, str):
            values = self.by_sku.get(sku)
        if values is not None:
            for name, value in zip(self.fields, values, strict=True):
                if row.get(name) in (None, ""):
                    row[name] = value
        return row

    def note(self) -> str:
        """Say where the fields come from (the products as they are now) and what could not be read."""
        stats, words = self.stats, field_words(self.fields, ())
        text = (
            f"The {words} are the products' {words} today, as DEAR's product list gives them, "
            "not as they were at the time of each sale."
        )
        if stats is not None and not stats.complete:
            text += (
                f" {stats.missing:,} of {stats.total:,} products could not be read because DEAR's product "
                f"list kept changing, so their lines have no {words}; export again to fill them in."
            )
        return text


class ProductLookup:
    """Reads the product list at most once per export, for the fields every report of it wants."""

    def __init__(self, wanted: Iterable[Sequence[str]] = ()) -> None:
        fields: dict[str, None] = {}
        for names in wanted:
            fields.update(dict.fromkeys(names))
        self.fields = tuple(fields)
        self._table: ProductTable | None = None

    def table(
        self, client: DearClient, cancel: CancelToken | None, on_page: PageProgress | None = None
    ) -> ProductTable:
        """Return the product table, reading the product list the first time it is asked for."""
        if self._table is None:
            table = ProductTable(self.fields)
            pager = client.list_pager(
                PRODUCT_PATH,
                PRODUCT_LIST_KEY,
                params=PARAMS,
                id_field="ID",
                page_size=PAGE_SIZE,
                cancel=cancel,
            )
            for batch in pager:
                for product in batch:
                    if isinstance(product, Mapping):
                        table.add(product)
                if on_page is not None:
                    on_page(pager.stats.unique, pager.stats.total)
            table.stats = pager.stats
            self._table = table
        return self._table
