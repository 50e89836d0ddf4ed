"""Task lists (stock, manufacturing, finance), the reference books, ``/me`` and price tiers."""

from __future__ import annotations

from collections.abc import Callable

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
    select,
    since,
    starts,
)
from app.sandbox.ordering import ListOrder
from app.sandbox.paging import Answer, Handler, Query, flag, page


def task_list(kind: str, list_key: str, search: tuple[str, ...] = (), date_field: str = "") -> Handler:
    """Return the handler of a task list (stock, manufacturing or finance documents)."""

    def handler(ds: Dataset, q: Query, order: ListOrder) -> Answer:
        spec: dict[str, Callable[[str], Pred]] = {"status": on_field("Status", equals)}
        if search:
            spec["search"] = lambda v: lambda e: any(contains(e.get(f), v) for f in search)
        if kind == "journal":
            spec["taskid"] = id_pred("TaskID")
        if kind == "moneytask":
            spec["tasktype"] = on_field("TaskType", equals)
        if kind == "finishedgoods":
            spec["saleid"] = lambda v: lambda e: False  # no assembly in the sandbox is linked to a sale
        preds = filters(q, spec)
        if kind == "transaction":
            low, high = since(q, "fromdate"), since(q, "todate")
            if low is not None:
                preds.append(lambda e: e["_EffectiveDate"] > low)
            if high is not None:
                preds.append(lambda e: e["_EffectiveDate"] < high)
            if q.get("account"):
                code = q["account"].strip()
                preds.append(lambda e: code in (e["DebitAccountCode"], e["CreditAccountCode"]))
        keys = matching(ds, kind, preds)
        return page(q, list_key, keys, lambda i: ds.row(kind, i), order)

    return handler


# --------------------------------------------------------------------------- reference books


def book(
    attribute: str, list_key: str, name_field: str = "Name", id_field: str = "ID", name_param: str = "name"
) -> Handler:
    """Return the handler of a reference book list (``/ref/...``, ``/me/...``)."""

    def handler(ds: Dataset, q: Query, order: ListOrder) -> Answer:
        rows: list[JsonDict] = getattr(ds.refs, attribute)
        # DEAR documents ``ID`` even where the row's own ID field has another name
        spec: dict[str, Callable[[str], Pred]] = {
            "id": id_pred(id_field),
            id_field.lower(): id_pred(id_field),
        }
        if name_param:
            spec[name_param] = on_field(name_field, starts)
        for extra in ("Code", "Type", "Status", "Bank", "Method", "Country", "Email"):
            if extra in (rows[0] if rows else {}) and extra.lower() not in spec:
                spec[extra.lower()] = on_field(extra, equals)
        preds = filters(q, spec)
        if attribute == "locations" and q.get("deprecated", "") != "":
            wanted = flag(q, "deprecated")
            preds.append(lambda e: e["IsDeprecated"] == wanted)
        keys = select(rows, preds)
        return page(q, list_key, keys, lambda i: rows[i], order)

    return handler


def price_tiers(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /ref/priceTier``: not paginated, always ten tiers."""
    return 200, {"PriceTiers": ds.refs.price_tiers}


def me(ds: Dataset, q: Query, order: ListOrder) -> Answer:
    """``GET /me``."""
    return 200, ds.refs.me(ds.today.year)
