"""List endpoints of master data: products, customers, suppliers, product families, availability."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.sandbox import product_extras, products
from app.sandbox.account import JsonDict
from app.sandbox.dataset import Dataset
from app.sandbox.filters import (
    Pred,
    contains,
    equals,
    filters,
    id_pred,
    matching,
    on_field,
    since_pred,
    starts,
)
from app.sandbox.ordering import ListOrder
from app.sandbox.paging import Answer, Handler, Query, flag, page


def product_list(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /product``."""
    preds = filters(
        q, {"id": id_pred("ID"), "name": on_field("Name", contains), "sku": on_field("SKU", contains)}
    )
    preds += since_pred(q, "modifiedsince", "LastModifiedOn")
    include_deprecated = flag(q, "includedeprecated")
    keys: Sequence[int]
    if not preds and not include_deprecated:
        keys = [i for i in ds.keys("product") if not ds.is_deprecated("product", i)]
    else:
        if not include_deprecated:
            preds.append(lambda e: e["Status"] == "Active")
        keys = matching(ds, "product", preds)
    wanted = {
        name
        for name_of_flag, names in (
            ("includesuppliers", ("Suppliers",)),
            ("includereorderlevels", ("ReorderLevels",)),
            ("includebom", ("BillOfMaterialsProducts", "BillOfMaterialsServices")),
            ("includemovements", ("Movements",)),
            ("includeattachments", ("Attachments",)),
            ("includecustomprices", ("CustomPrices",)),
        )
        if flag(q, name_of_flag)
        for name in names
    }

    def render(i: int) -> JsonDict:
        row = ds.row("product", i)
        return {**row, **product_extras.product_extras(ds, i, wanted)} if wanted else row

    return page(q, "Products", keys, render, order)


def party_list(kind: str, list_key: str) -> Handler:
    """Return the handler of the customer or supplier list."""

    def handler(ds: Dataset, q: Query, order: ListOrder) -> Answer:
        spec: dict[str, Callable[[str], Pred]] = {"id": id_pred("ID"), "name": on_field("Name", starts)}
        if kind == "customer":
            spec["contactfilter"] = lambda v: (
                lambda e: any(starts(c.get("Name"), v) or equals(c.get("Email"), v) for c in e["Contacts"])
            )
        preds = filters(q, spec) + since_pred(q, "modifiedsince", "LastModifiedOn")
        if not flag(q, "includedeprecated"):
            preds.append(lambda e: e["Status"] == "Active")
        keys = matching(ds, kind, preds)
        with_prices = kind == "customer" and flag(q, "includeproductprices")

        def render(i: int) -> JsonDict:
            row = ds.row(kind, i)
            if not with_prices:
                return row
            product = i % max(1, ds.counts["product"])
            price = {
                "ProductID": ds.id_of("product", product),
                "CustomerID": row["ID"],
                "CustomerName": row["Name"],
                "ProductSKU": products.product_sku(product),
                "ProductName": products.product_name(product),
                "Price": 19.95,
            }
            return {**row, "ProductPrices": [price] if i % 3 == 0 else []}

        return page(q, list_key, keys, render, order)

    return handler


def family_list(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /productFamily``."""
    preds = filters(
        q, {"id": id_pred("ID"), "name": on_field("Name", contains), "sku": on_field("SKU", contains)}
    )
    preds += since_pred(q, "modifiedsince", "LastModifiedOn")
    keys = matching(ds, "productfamily", preds)
    return page(q, "ProductFamilies", keys, lambda i: ds.row("productfamily", i), order)


def availability_list(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /ref/productavailability``: rows per product × location (× bin)."""
    keys = ds.availability_keys()
    product_preds = filters(
        q,
        {
            "id": id_pred("ID"),
            "name": on_field("Name", starts),
            "sku": on_field("SKU", contains),
            "category": on_field("Category", equals),
        },
    )
    if product_preds:
        entries = ds.index("product")
        keys = [k for k in keys if all(p(entries[k[0]]) for p in product_preds)]
    location = q.get("location", "")
    if location:
        names = [w["Name"] for w in ds.refs.warehouses]
        keys = [k for k in keys if equals(names[k[1]], location)]
    batch = q.get("batch", "")

    def rows(key: tuple[int, int]) -> JsonDict:
        return ds.availability(*key)

    if batch:
        keys = [k for k in keys if equals(rows(k)["Batch"], batch)]
    return page(q, "ProductAvailabilityList", keys, rows, order)
