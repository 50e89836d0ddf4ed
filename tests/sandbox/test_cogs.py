"""A sale's cost of goods in the sandbox (``InventoryMovements``, docs/dear-api.md §4.1, §11.2), over HTTP."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest

from app.sandbox import Sandbox, SandboxConfig
from tests.sandbox.conftest import call


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(SandboxConfig(size="small", seed=5, rate_limit=None, counts={"sale": 200})) as sandbox:
        yield sandbox


def _get(sb: Sandbox, path: str, **params: Any) -> Any:
    response = call(sb, path, params)
    assert response.status_code == 200, response.text[:300]
    return response.json()


@pytest.fixture(scope="module")
def sales(sb: Sandbox) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every (list row, full document)."""
    rows = _get(sb, "saleList", Limit=1000)["SaleList"]
    return [(row, _get(sb, "sale", ID=row["SaleID"])) for row in rows]


@pytest.fixture(scope="module")
def unit_costs(sb: Sandbox) -> dict[str, float]:
    return {p["ID"]: float(p["AverageCost"]) for p in _get(sb, "product", Limit=1000)["Products"]}


def _sums(moves: list[dict[str, Any]]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = defaultdict(float)
    for move in moves:
        out[(move["TaskID"], move["ProductID"])] += move["COGS"]
    return out


def test_shipped_goods_leave_at_the_products_average_cost_as_negative_rows(
    sales: list[tuple[dict[str, Any], dict[str, Any]]], unit_costs: dict[str, float]
) -> None:
    shipped = 0
    for row, sale in sales:
        moves = sale["InventoryMovements"]
        if row["CombinedShippingStatus"] != "SHIPPED":
            assert moves == [], row["OrderNumber"]
            continue
        shipped += 1
        expected: dict[tuple[str, str], float] = defaultdict(float)
        for fulfilment in sale["Fulfilments"]:
            for line in fulfilment["Pick"]["Lines"]:
                expected[(fulfilment["TaskID"], line["ProductID"])] -= (
                    line["Quantity"] * unit_costs[line["ProductID"]]
                )
        for note in sale["CreditNotes"]:
            for line in note["Restock"]:  # restocked goods come back: positive
                expected[(note["TaskID"], line["ProductID"])] += (
                    line["Quantity"] * unit_costs[line["ProductID"]]
                )
        got = _sums(moves)
        assert got.keys() == expected.keys(), row["OrderNumber"]
        for key, value in expected.items():
            assert got[key] == pytest.approx(value, abs=1e-3), (row["OrderNumber"], key)
        # The lines carry the same average cost as the product record.
        for line in sale["Order"]["Lines"]:
            assert line["AverageCost"] == pytest.approx(unit_costs[line["ProductID"]])
    assert shipped > 50


def test_the_awkward_cases_are_all_there(sales: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    seen: dict[str, int] = defaultdict(int)
    for row, sale in sales:
        moves = sale["InventoryMovements"]
        keys = [(move["TaskID"], move["ProductID"]) for move in moves]
        if len(keys) != len(set(keys)):
            seen["correction pair"] += 1
        products = [line["ProductID"] for line in sale["Order"]["Lines"]]
        if sale["Invoices"] and len(products) != len(set(products)):
            seen["product on two lines"] += 1
        if sale["CreditNotes"] and any(move["COGS"] > 0 for move in moves):
            seen["restocked credit note"] += 1
        if sale["Invoices"] and sale["CurrencyRate"] != 1:
            assert sale["CustomerCurrency"] != sale["BaseCurrency"]
            assert sale["Invoices"][0]["CurrencyConversionRate"] == sale["CurrencyRate"]
            seen["other currency"] += 1
        if sale["Invoices"] and not moves:
            # Invoiced before shipping: the list says so too, and the ship step is not authorised.
            assert (
                row["CombinedShippingStatus"] == "NOT SHIPPED" and row["CombinedInvoiceStatus"] == "INVOICED"
            )
            assert all(f["Ship"]["Status"] != "AUTHORISED" for f in sale["Fulfilments"])
            seen["invoiced, not shipped"] += 1
        if any(
            charge["Description"] == "Freight"
            for inv in sale["Invoices"]
            for charge in inv["AdditionalCharges"]
        ):
            seen["invoiced freight"] += 1
    assert len(seen) == 6 and all(seen.values()), dict(seen)


def test_correcting_rows_net_to_zero(sales: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    for _, sale in sales:
        moves = sale["InventoryMovements"]
        keys = [(move["TaskID"], move["ProductID"]) for move in moves]
        for key in {k for k in keys if keys.count(k) > 1}:
            corrections = [move["COGS"] for move in moves if (move["TaskID"], move["ProductID"]) == key][-2:]
            assert sum(corrections) == pytest.approx(0)


def test_hide_inventory_movements_drops_the_block(
    sb: Sandbox, sales: list[tuple[dict[str, Any], dict[str, Any]]]
) -> None:
    row, sale = next((row, sale) for row, sale in sales if sale["InventoryMovements"])
    hidden = _get(sb, "sale", ID=row["SaleID"], HideInventoryMovements="true")
    assert "InventoryMovements" not in hidden
    assert {k: v for k, v in sale.items() if k != "InventoryMovements"} == hidden


def test_the_same_seed_gives_the_same_costs() -> None:
    documents = []
    for _ in range(2):
        with Sandbox(SandboxConfig(size="small", seed=9, rate_limit=None, counts={"sale": 30})) as sandbox:
            rows = _get(sandbox, "saleList", Limit=1000)["SaleList"]
            documents.append([_get(sandbox, "sale", ID=r["SaleID"])["InventoryMovements"] for r in rows])
    assert documents[0] == documents[1] and any(documents[0])


def _ledger(sb: Sandbox) -> dict[tuple[str, str], float]:
    """The product ledger's sale and restock movement values, per (TaskID, ProductID)."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    products = _get(sb, "product", Limit=1000, IncludeMovements="true")["Products"]
    for product in products:
        for move in product["Movements"]:
            if move["Type"] in ("Sale", "SaleMultiple", "Restock", "RestockMultiple"):
                out[(move["TaskID"], product["ID"])] += move["Amount"]
    return out


def test_cost_of_goods_and_the_product_ledger_agree_per_shipment_and_product(
    sb: Sandbox, sales: list[tuple[dict[str, Any], dict[str, Any]]]
) -> None:
    """docs/dear-api.md §11.1/§11.2: a movement's TaskID is the document that moved the stock (the
    fulfilment that shipped, the credit note that restocked), valued once per product per shipment."""
    ledger = _ledger(sb)
    shipped = restocked = 0
    seen: set[tuple[str, str]] = set()
    for row, sale in sales:
        cogs = _sums(sale["InventoryMovements"])  # correcting rows net to zero inside these sums
        fulfilments = {f["TaskID"] for f in sale["Fulfilments"]}
        notes = {n["TaskID"] for n in sale["CreditNotes"]}
        for key, value in cogs.items():
            # goods leaving: -sum(ledger Amounts) == sum(-COGS); goods restocked: both positive
            assert round(ledger[key], 4) == round(value, 4), (row["OrderNumber"], key)
            assert key[0] in fulfilments | notes, (row["OrderNumber"], key)
            shipped += key[0] in fulfilments
            restocked += key[0] in notes
            seen.add(key)
    assert shipped > 100 and restocked > 5
    # Every sale and restock movement of the ledger belongs to one of those sales' rows.
    assert set(ledger) == seen
