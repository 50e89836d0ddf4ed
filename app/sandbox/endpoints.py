"""The API surface: one handler per ``/ExternalApi/v2/`` path, with DEAR's filters and paging.

Handlers take the dataset and the query (names lower-cased) and return (status, JSON body).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.sandbox import masterdata, purchases, sales
from app.sandbox.dataset import Dataset
from app.sandbox.ids import parse_since

JsonDict = dict[str, Any]
Query = Mapping[str, str]
Answer = tuple[int, Any]
Handler = Callable[[Dataset, Query, "random.Random | None"], Answer]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class BadRequestError(Exception):
    """A filter value DEAR would reject (400 with an error body)."""


def error_body(status: int, message: str) -> list[JsonDict]:
    """DEAR's error shape: an array with one ``{ErrorCode, Exception}`` object."""
    return [{"ErrorCode": status, "Exception": message}]


def _int(query: Query, name: str, default: int) -> int:
    try:
        return int(query.get(name, default))
    except ValueError:
        return default


def _flag(query: Query, name: str) -> bool:
    return query.get(name, "").strip().lower() in {"true", "1", "yes"}


def page(
    query: Query,
    list_key: str,
    keys: Sequence[Any],
    render: Callable[[Any], JsonDict],
    shuffle: random.Random | None,
) -> Answer:
    """One page of a list: ``{Total, Page, <ListKey>: [...]}``; past the end is an empty list."""
    number = max(1, _int(query, "page", 1))
    limit = min(MAX_LIMIT, max(1, _int(query, "limit", DEFAULT_LIMIT)))
    if shuffle is not None:
        # why: DEAR's order is not stable while paging; a fresh order per request shows naive paging's gaps
        keys = list(keys)
        shuffle.shuffle(keys)
    chosen = keys[(number - 1) * limit : number * limit]
    return 200, {"Total": len(keys), "Page": number, list_key: [render(k) for k in chosen]}


# --------------------------------------------------------------------------- filter predicates


def _contains(value: Any, needle: str) -> bool:
    return isinstance(value, str) and needle.lower() in value.lower()


def _starts(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and value.lower().startswith(prefix.lower())


def _equals(value: Any, wanted: str) -> bool:
    return isinstance(value, str) and value.lower() == wanted.strip().lower()


_LABELS = {
    "updatedsince": "UpdatedSince",
    "createdsince": "CreatedSince",
    "modifiedsince": "ModifiedSince",
    "shipby": "ShipBy",
    "requiredby": "RequiredBy",
    "fromdate": "FromDate",
    "todate": "ToDate",
}


def _since(query: Query, name: str) -> float | None:
    raw = query.get(name)
    if raw is None or raw.strip() == "":
        return None
    parsed = parse_since(raw)
    if parsed is None:
        label = _LABELS.get(name, name)
        raise BadRequestError(
            f"'{raw}' is not a valid value for {label}. Use the format YYYY-MM-DDTHH:MM:SS."
        )
    return parsed.timestamp()


Pred = Callable[[JsonDict], bool]


def _filters(query: Query, spec: Mapping[str, Callable[[str], Pred]]) -> list[Pred]:
    return [make(query[name]) for name, make in spec.items() if query.get(name, "") != ""]


def _select(entries: Sequence[JsonDict], preds: list[Pred]) -> list[int]:
    return [i for i, e in enumerate(entries) if all(p(e) for p in preds)]


def _matching(ds: Dataset, kind: str, preds: list[Pred]) -> Sequence[int]:
    """Return indices of ``kind`` passing every filter; unfiltered lists never build the filter index."""
    if not preds:
        return range(ds.counts[kind])
    return _select(ds.index(kind), preds)


def _field(name: str, test: Callable[[Any, str], bool]) -> Callable[[str], Pred]:
    return lambda value: lambda e: test(e.get(name), value)


def _since_pred(query: Query, param: str, field: str) -> list[Pred]:
    since = _since(query, param)
    if since is None:
        return []
    return [lambda e: e.get(f"_{field}") is not None and e[f"_{field}"] >= since]


def _id_pred(field: str) -> Callable[[str], Pred]:
    return lambda value: lambda e: isinstance(e.get(field), str) and e[field].lower() == value.strip().lower()


# --------------------------------------------------------------------------- master data


def product_list(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /product``."""
    preds = _filters(
        q, {"id": _id_pred("ID"), "name": _field("Name", _contains), "sku": _field("SKU", _contains)}
    )
    preds += _since_pred(q, "modifiedsince", "LastModifiedOn")
    include_deprecated = _flag(q, "includedeprecated")
    keys: Sequence[int]
    if not preds and not include_deprecated:
        keys = [i for i in range(ds.counts["product"]) if not ds.is_deprecated("product", i)]
    else:
        if not include_deprecated:
            preds.append(lambda e: e["Status"] == "Active")
        keys = _matching(ds, "product", preds)
    wanted = {
        name
        for flag, names in (
            ("includesuppliers", ("Suppliers",)),
            ("includereorderlevels", ("ReorderLevels",)),
            ("includebom", ("BillOfMaterialsProducts", "BillOfMaterialsServices")),
            ("includemovements", ("Movements",)),
            ("includeattachments", ("Attachments",)),
            ("includecustomprices", ("CustomPrices",)),
        )
        if _flag(q, flag)
        for name in names
    }

    def render(i: int) -> JsonDict:
        row = ds.row("product", i)
        return {**row, **masterdata.product_extras(ds, i, wanted)} if wanted else row

    return page(q, "Products", keys, render, shuffle)


def _party_list(kind: str, list_key: str) -> Handler:
    def handler(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
        spec: dict[str, Callable[[str], Pred]] = {"id": _id_pred("ID"), "name": _field("Name", _starts)}
        if kind == "customer":
            spec["contactfilter"] = lambda v: (
                lambda e: any(_starts(c.get("Name"), v) or _equals(c.get("Email"), v) for c in e["Contacts"])
            )
        preds = _filters(q, spec) + _since_pred(q, "modifiedsince", "LastModifiedOn")
        if not _flag(q, "includedeprecated"):
            preds.append(lambda e: e["Status"] == "Active")
        keys = _matching(ds, kind, preds)
        with_prices = kind == "customer" and _flag(q, "includeproductprices")

        def render(i: int) -> JsonDict:
            row = ds.row(kind, i)
            if not with_prices:
                return row
            product = i % max(1, ds.counts["product"])
            price = {
                "ProductID": ds.id_of("product", product),
                "CustomerID": row["ID"],
                "CustomerName": row["Name"],
                "ProductSKU": masterdata.product_sku(product),
                "ProductName": masterdata.product_name(product),
                "Price": 19.95,
            }
            return {**row, "ProductPrices": [price] if i % 3 == 0 else []}

        return page(q, list_key, keys, render, shuffle)

    return handler


def family_list(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /productFamily``."""
    preds = _filters(
        q, {"id": _id_pred("ID"), "name": _field("Name", _contains), "sku": _field("SKU", _contains)}
    )
    preds += _since_pred(q, "modifiedsince", "LastModifiedOn")
    keys = _matching(ds, "productfamily", preds)
    return page(q, "ProductFamilies", keys, lambda i: ds.row("productfamily", i), shuffle)


def availability_list(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /ref/productavailability``: rows per product × location (× bin)."""
    keys = ds.availability_keys()
    product_preds = _filters(
        q,
        {
            "id": _id_pred("ID"),
            "name": _field("Name", _starts),
            "sku": _field("SKU", _contains),
            "category": _field("Category", _equals),
        },
    )
    if product_preds:
        entries = ds.index("product")
        keys = [k for k in keys if all(p(entries[k[0]]) for p in product_preds)]
    location = q.get("location", "")
    if location:
        names = [w["Name"] for w in ds.refs.warehouses]
        keys = [k for k in keys if _equals(names[(k[0] + k[1]) % len(names)], location)]
    batch = q.get("batch", "")

    def rows(key: tuple[int, int]) -> JsonDict:
        return ds.availability(*key)

    if batch:
        keys = [k for k in keys if _equals(rows(k)["Batch"], batch)]
    return page(q, "ProductAvailabilityList", keys, rows, shuffle)


# --------------------------------------------------------------------------- sales and purchases

SALE_STATUS = {
    "status": "Status",
    "orderstatus": "OrderStatus",
    "quotestatus": "QuoteStatus",
    "combinedpickstatus": "CombinedPickingStatus",
    "combinedpackstatus": "CombinedPackingStatus",
    "combinedshippingstatus": "CombinedShippingStatus",
    "combinedinvoicestatus": "CombinedInvoiceStatus",
    "creditnotestatus": "CreditNoteStatus",
    "externalid": "ExternalID",
    "orderlocationid": "OrderLocationID",
}
SALE_SEARCH = ("OrderNumber", "Status", "Customer", "InvoiceNumber", "CustomerReference", "CreditNoteNumber")


def _sale_keys(ds: Dataset, q: Query, credit_only: bool) -> Sequence[int]:
    spec: dict[str, Callable[[str], Pred]] = {k: _field(v, _equals) for k, v in SALE_STATUS.items()}
    spec["search"] = lambda v: lambda e: any(_contains(e.get(f), v) for f in SALE_SEARCH)
    preds = _filters(q, spec)
    if "updatedsince" in q and q["updatedsince"].strip().upper().endswith("Z"):
        # why: production saleList rejects UpdatedSince with a trailing Z (REFERENCE §5.1)
        raise BadRequestError("UpdatedSince is not a valid date. Use the format YYYY-MM-DDTHH:MM:SS.")
    preds += _since_pred(q, "updatedsince", "Updated") + _since_pred(q, "createdsince", "OrderDate")
    ship_by = _since(q, "shipby")
    if ship_by is not None:
        preds.append(
            lambda e: (
                e.get("_ShipBy") is not None
                and e["_ShipBy"] <= ship_by
                and e["CombinedShippingStatus"] != "SHIPPED"
            )
        )
    if credit_only:
        preds.append(lambda e: bool(e["_credit"]))
    return _matching(ds, "sale", preds)


def sale_list(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /saleList``."""
    return page(q, "SaleList", _sale_keys(ds, q, False), lambda i: ds.row("sale", i), shuffle)


def sale_credit_list(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /saleCreditNoteList`` (DEAR uses the ``SaleList`` key here too)."""
    return page(q, "SaleList", _sale_keys(ds, q, True), lambda i: sales.credit_list_row(ds, i), shuffle)


PURCHASE_STATUS = {
    "status": "Status",
    "orderstatus": "OrderStatus",
    "stockreceivedstatus": "StockReceivedStatus",
    "invoicestatus": "InvoiceStatus",
    "creditnotestatus": "CreditNoteStatus",
    "unstockstatus": "UnstockStatus",
    "dropshiptaskid": "DropShipTaskID",
}
PURCHASE_SEARCH = ("OrderNumber", "Status", "Supplier", "InvoiceNumber", "CreditNoteNumber")


def _purchase_keys(ds: Dataset, q: Query, credit_only: bool) -> Sequence[int]:
    # RestockReceivedStatus is documented but ignored by production, so it is not in this table.
    spec: dict[str, Callable[[str], Pred]] = {k: _field(v, _equals) for k, v in PURCHASE_STATUS.items()}
    spec["search"] = lambda v: lambda e: any(_contains(e.get(f), v) for f in PURCHASE_SEARCH)
    preds = _filters(q, spec) + _since_pred(q, "updatedsince", "LastUpdatedDate")
    required = _since(q, "requiredby")
    if required is not None:
        preds.append(lambda e: e.get("_RequiredBy") is not None and e["_RequiredBy"] <= required)
    if credit_only:
        preds.append(lambda e: bool(e["_credit"]))
    return _matching(ds, "purchase", preds)


def purchase_list(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /purchaseList``."""
    return page(q, "PurchaseList", _purchase_keys(ds, q, False), lambda i: ds.row("purchase", i), shuffle)


def purchase_credit_list(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /purchaseCreditNoteList`` (DEAR uses the ``PurchaseList`` key here too)."""
    return page(q, "PurchaseList", _purchase_keys(ds, q, True), lambda i: ds.row("purchase", i), shuffle)


def _detail(kind: str, param: str) -> Handler:
    def handler(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
        value = q.get(param, "")
        if not value:
            raise BadRequestError(f"{param.upper() if param == 'id' else 'TaskID'} is required.")
        index = ds.index_of(kind, value)
        if index is None:
            raise BadRequestError(f"Record with ID {value} was not found.")
        document = ds.detail(kind, index)
        if kind == "sale":
            if _flag(q, "hideinventorymovements"):
                document["InventoryMovements"] = []
            if _flag(q, "includetransactions") and document["Invoices"]:
                invoice = document["Invoices"][0]
                document["Transactions"] = [
                    {
                        "TaskID": invoice["TaskID"],
                        "TransactionID": ds.ids.sub("sale-txn", index),
                        "Debit": "610",
                        "Credit": "200",
                        "Description": invoice["InvoiceNumber"],
                        "Amount": invoice["Total"],
                        "EffectiveDate": invoice["InvoiceDate"],
                    }
                ]
        return 200, document

    return handler


def simple_purchase(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /purchase?ID=``: Simple purchases only (deprecated endpoint)."""
    value = q.get("id", "")
    index = ds.index_of("purchase", value) if value else None
    if index is None:
        raise BadRequestError("ID is required." if not value else f"Purchase with ID {value} was not found.")
    if purchases.purchase_type(index) != "Simple Purchase":
        raise BadRequestError(purchases.DEPRECATED_MESSAGE)
    return 200, purchases.detail(ds, index, False)


# --------------------------------------------------------------------------- task lists


def _task_list(kind: str, list_key: str, search: tuple[str, ...] = (), date_field: str = "") -> Handler:
    def handler(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
        spec: dict[str, Callable[[str], Pred]] = {"status": _field("Status", _equals)}
        if search:
            spec["search"] = lambda v: lambda e: any(_contains(e.get(f), v) for f in search)
        if kind == "journal":
            spec["taskid"] = _id_pred("TaskID")
        if kind == "moneytask":
            spec["tasktype"] = _field("TaskType", _equals)
        if kind == "finishedgoods":
            spec["saleid"] = lambda v: lambda e: False  # no assembly in the sandbox is linked to a sale
        preds = _filters(q, spec)
        if kind == "transaction":
            low, high = _since(q, "fromdate"), _since(q, "todate")
            if low is not None:
                preds.append(lambda e: e["_EffectiveDate"] > low)
            if high is not None:
                preds.append(lambda e: e["_EffectiveDate"] < high)
            if q.get("account"):
                code = q["account"].strip()
                preds.append(lambda e: code in (e["DebitAccountCode"], e["CreditAccountCode"]))
        keys = _matching(ds, kind, preds)
        return page(q, list_key, keys, lambda i: ds.row(kind, i), shuffle)

    return handler


# --------------------------------------------------------------------------- reference books


def _book(
    attribute: str, list_key: str, name_field: str = "Name", id_field: str = "ID", name_param: str = "name"
) -> Handler:
    def handler(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
        rows: list[JsonDict] = getattr(ds.refs, attribute)
        # DEAR documents ``ID`` even where the row's own ID field has another name
        spec: dict[str, Callable[[str], Pred]] = {
            "id": _id_pred(id_field),
            id_field.lower(): _id_pred(id_field),
        }
        if name_param:
            spec[name_param] = _field(name_field, _starts)
        for extra in ("Code", "Type", "Status", "Bank", "Method", "Country", "Email"):
            if extra in (rows[0] if rows else {}) and extra.lower() not in spec:
                spec[extra.lower()] = _field(extra, _equals)
        preds = _filters(q, spec)
        if attribute == "locations" and q.get("deprecated", "") != "":
            wanted = _flag(q, "deprecated")
            preds.append(lambda e: e["IsDeprecated"] == wanted)
        keys = _select(rows, preds)
        return page(q, list_key, keys, lambda i: rows[i], shuffle)

    return handler


def price_tiers(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /ref/priceTier``: not paginated, always ten tiers."""
    return 200, {"PriceTiers": ds.refs.price_tiers}


def me(ds: Dataset, q: Query, shuffle: random.Random | None) -> Answer:
    """``GET /me``."""
    return 200, ds.refs.me(ds.today.year)


ROUTES: dict[str, Handler] = {
    "me": me,
    "me/addresses": _book("me_addresses", "MeAddressesList", id_field="AddressID", name_param=""),
    "me/contacts": _book("me_contacts", "MeContactsList", id_field="ContactID"),
    "product": product_list,
    "ref/productavailability": availability_list,
    "productfamily": family_list,
    "customer": _party_list("customer", "CustomerList"),
    "supplier": _party_list("supplier", "SupplierList"),
    "salelist": sale_list,
    "salecreditnotelist": sale_credit_list,
    "sale": _detail("sale", "id"),
    "purchaselist": purchase_list,
    "purchasecreditnotelist": purchase_credit_list,
    "advanced-purchase": _detail("purchase", "id"),
    "purchase": simple_purchase,
    "stockadjustmentlist": _task_list("stockadjustment", "StockAdjustmentList"),
    "stockadjustment": _detail("stockadjustment", "taskid"),
    "stocktakelist": _task_list("stocktake", "StockAdjustmentList"),
    "stocktake": _detail("stocktake", "taskid"),
    "stocktransferlist": _task_list(
        "stocktransfer", "StockTransferList", ("FromLocation", "ToLocation", "Status", "Reference", "Number")
    ),
    "stocktransfer": _detail("stocktransfer", "taskid"),
    "inventorywriteofflist": _task_list(
        "inventorywriteoff", "InventoryWriteOffs", ("InventoryWriteOffNumber", "Location", "Notes", "Status")
    ),
    "inventorywriteoff": _detail("inventorywriteoff", "taskid"),
    "finishedgoodslist": _task_list(
        "finishedgoods", "FinishedGoods", ("AssemblyNumber", "ProductCode", "ProductName", "Status")
    ),
    "finishedgoods": _detail("finishedgoods", "taskid"),
    "disassemblylist": _task_list(
        "disassembly", "Disassemblies", ("DisassemblyNumber", "ProductCode", "ProductName", "Status")
    ),
    "disassembly": _detail("disassembly", "taskid"),
    "journal": _task_list("journal", "Journals", ("JournalNumber", "Narration", "Status")),
    "transactions": _task_list("transaction", "Transactions"),
    "moneytasklist": _task_list("moneytask", "MoneyTasks", ("Reference", "SupplierCustomerName", "Status")),
    "ref/account": _book("accounts", "AccountsList"),
    "ref/account/bank": _book("bank_accounts", "BankAccountsList", "AccountName", "AccountID"),
    "ref/tax": _book("taxes", "TaxRuleList"),
    "ref/paymentterm": _book("payment_terms", "PaymentTermList"),
    "ref/pricetier": price_tiers,
    "ref/unit": _book("units", "UnitList"),
    "ref/category": _book("categories", "CategoryList"),
    "ref/brand": _book("brands", "BrandList"),
    "ref/carrier": _book("carriers", "CarrierList", "Description", "CarrierID", "description"),
    "ref/location": _book("locations", "LocationList"),
    "ref/attributeset": _book("attribute_sets", "AttributeSetList"),
}
