"""The stock ledger: product movements add up to availability and agree with every document."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from app.sandbox import Dataset, SandboxConfig
from app.sandbox.movements import ledger_of
from app.sandbox.task_plans import adjustment_plan
from tests.sandbox.conftest import Get

Key = tuple[str, str, str]  # product ID, location, document number


def products(api: Get) -> list[dict[str, Any]]:
    return api("product", Limit=1000, IncludeMovements="true", IncludeDeprecated="true")["Products"]


def movements(api: Get, kinds: tuple[str, ...]) -> dict[Key, float]:
    """Signed quantities of the movements of these types, per product, location and document."""
    found: dict[Key, float] = defaultdict(float)
    for product in products(api):
        for m in product["Movements"]:
            if m["Type"] in kinds:
                found[(product["ID"], m["Location"], m["Number"])] += m["Quantity"]
    return {k: round(v, 4) for k, v in found.items()}


def details(api: Get, list_path: str, list_key: str, detail: str, param: str, id_field: str) -> Iterator[Any]:
    for row in api(list_path, Limit=1000)[list_key]:
        yield row, api(detail, **{param: row[id_field]})


def rounded(book: dict[Key, float]) -> dict[Key, float]:
    return {k: round(v, 4) for k, v in book.items() if round(v, 4)}


def test_movements_add_up_to_availability_for_every_product_and_location(api: Get) -> None:
    moved: dict[tuple[str, str, str | None], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for product in products(api):
        for m in product["Movements"]:
            assert set(m) == {
                "TaskID", "Type", "Date", "Number", "Status", "Quantity", "Amount", "Location", "BatchSN",
                "ExpiryDate", "FromTo",
            }  # fmt: skip
            totals = moved[(product["ID"], m["Location"], m["BatchSN"])]
            totals[0] += m["Quantity"]
            totals[1] += m["Amount"]
    rows = api("ref/productavailability", Limit=1000)["ProductAvailabilityList"]
    stock = {(r["ID"], r["Location"], r["Batch"]): r for r in rows}
    assert len(stock) == len(rows) > 100
    assert set(stock) == set(moved)  # products that never moved have no rows (docs/dear-api.md §11.3)
    for key, (quantity, value) in moved.items():
        row = stock[key]
        assert row["OnHand"] == round(quantity, 4) >= 0, key
        assert row["StockOnHand"] == (round(value, 2) if row["OnHand"] else 0), key  # a value (§11.3)
        assert row["InTransit"] == row["OnOrder"]  # the same figure, as DEAR sends it (§11.3)
    assert any(r["OnHand"] == 0 for r in rows) and any(r["Batch"] for r in rows)


def test_no_balance_ever_goes_below_zero_and_cost_rows_move_value_only(api: Get) -> None:
    types: set[str] = set()
    for product in products(api):
        running: dict[str, float] = defaultdict(float)
        dates = [m["Date"] for m in product["Movements"]]
        assert dates == sorted(dates)  # oldest first
        for m in product["Movements"]:
            types.add(m["Type"])
            running[m["Location"]] += m["Quantity"]
            assert running[m["Location"]] >= -1e-9, (product["SKU"], m)
            if "Cost Chang" in m["Type"]:
                assert m["Quantity"] == 0 and m["Amount"] > 0
    assert {
        "Sale",
        "SaleMultiple",
        "Purchase",
        "Advanced Purchase",
        "Restock",
        "Unstock",
        "Adjustment",
    } <= types
    assert {"Stocktake", "Transfer Out", "Transfer In", "Inventory Write-Off", "Finished Goods"} <= types
    assert {"Disassembly", "Purchase Cost Chang", "Advanced Purchase Cost Change"} <= types


def test_shipped_sale_lines_leave_at_average_cost_and_credit_notes_restock(api: Get) -> None:
    average = {p["ID"]: p["AverageCost"] for p in products(api)}
    expected: dict[Key, float] = defaultdict(float)
    restocked: dict[Key, float] = defaultdict(float)
    for row, doc in details(api, "saleList", "SaleList", "sale", "ID", "SaleID"):
        shipped = any(f["Ship"]["Status"] == "AUTHORISED" for f in doc["Fulfilments"])
        if shipped:
            for f in doc["Fulfilments"]:
                for line in f["Pick"]["Lines"]:
                    expected[(line["ProductID"], line["Location"], row["OrderNumber"])] -= line["Quantity"]
        for note in doc["CreditNotes"]:
            for line in note["Restock"]:
                restocked[(line["ProductID"], line["Location"], note["CreditNoteNumber"])] += line["Quantity"]
    assert movements(api, ("Sale", "SaleMultiple")) == rounded(expected) != {}
    assert movements(api, ("Restock", "RestockMultiple")) == rounded(restocked) != {}
    for product in products(api):
        for m in product["Movements"]:
            if m["Type"] in ("Sale", "SaleMultiple"):
                # the rule the sale's cost of goods sold follows too (app.sandbox.costing)
                assert m["Amount"] == round(m["Quantity"] * average[product["ID"]], 4)


def test_received_purchase_lines_come_in_and_unstocked_lines_go_back(api: Get) -> None:
    received: dict[Key, float] = defaultdict(float)
    unstocked: dict[Key, float] = defaultdict(float)
    for row, doc in details(api, "purchaseList", "PurchaseList", "advanced-purchase", "ID", "ID"):
        for block in doc["StockReceived"]:
            for line in block["Lines"]:
                received[(line["ProductID"], line["Location"], row["OrderNumber"])] += line["Quantity"]
        for note in doc["CreditNote"] if row["Type"] != "Service Purchase" else []:
            for line in note["Unstock"]:
                unstocked[(line["ProductID"], line["Location"], note["CreditNoteNumber"])] -= line["Quantity"]
    assert movements(api, ("Purchase", "Advanced Purchase")) == rounded(received) != {}
    assert movements(api, ("Unstock", "Advanced Purchase Unstock")) == rounded(unstocked) != {}


def test_adjustments_show_counted_quantity_and_on_hand_before(api: Get) -> None:
    """docs/dear-api.md §11.3: Adjustment is the count; the change is Adjustment - QuantityOnHand."""
    expected: dict[Key, float] = defaultdict(float)
    checked = 0
    for row, doc in details(
        api, "stockadjustmentList", "StockAdjustmentList", "stockadjustment", "TaskID", "TaskID"
    ):
        completed = row["Status"] == "COMPLETED"
        for line in doc["ExistingStockLines"]:
            assert line["Adjustment"] >= 0 and line["QuantityOnHand"] >= 0
            if completed:
                key = (line["ProductID"], line["Location"], row["StocktakeNumber"])
                expected[key] += line["Adjustment"] - line["QuantityOnHand"]
                checked += 1
        for line in doc["NewStockLines"]:
            if completed:
                expected[(line["ProductID"], line["Location"], row["StocktakeNumber"])] += line["Quantity"]
    assert checked > 5
    assert movements(api, ("Adjustment",)) == rounded(expected)
    opening = api("stockadjustmentList", Limit=1)["StockAdjustmentList"][0]
    assert (opening["StocktakeNumber"], opening["Reference"]) == ("SA-00001", "Opening stock")


def test_on_hand_before_is_what_the_movements_before_it_add_up_to(api: Get) -> None:
    by_id = {p["ID"]: p for p in products(api)}
    checked = 0
    for row, doc in details(
        api, "stockadjustmentList", "StockAdjustmentList", "stockadjustment", "TaskID", "TaskID"
    ):
        if row["Status"] != "COMPLETED" or row["StocktakeNumber"] == "SA-00001":
            continue
        for line in doc["ExistingStockLines"]:
            here = [m for m in by_id[line["ProductID"]]["Movements"] if m["Location"] == line["Location"]]
            # Movements[] comes in the order DEAR posted them: what was there is the sum before this one
            position = next(n for n, m in enumerate(here) if m["Number"] == row["StocktakeNumber"])
            assert line["QuantityOnHand"] == round(sum(m["Quantity"] for m in here[:position]), 4)
            checked += 1
    assert checked > 5


def test_transfers_write_offs_stocktakes_and_assemblies_agree_with_their_documents(api: Get) -> None:
    out: dict[Key, float] = defaultdict(float)
    into: dict[Key, float] = defaultdict(float)
    for row, doc in details(
        api, "stockTransferList", "StockTransferList", "stockTransfer", "TaskID", "TaskID"
    ):
        for line in doc["Lines"]:
            if row["Status"] in ("COMPLETED", "IN TRANSIT"):
                out[(line["ProductID"], row["FromLocation"], row["Number"])] -= line["TransferQuantity"]
            if row["Status"] == "COMPLETED":
                into[(line["ProductID"], row["ToLocation"], row["Number"])] += line["TransferQuantity"]
    assert movements(api, ("Transfer Out",)) == rounded(out) != {}
    assert movements(api, ("Transfer In",)) == rounded(into) != {}
    written: dict[Key, float] = defaultdict(float)
    for row, doc in details(
        api, "inventoryWriteOffList", "InventoryWriteOffs", "inventoryWriteOff", "TaskID", "TaskID"
    ):
        for line in doc["Lines"]:
            if row["Status"] == "COMPLETED":
                written[(line["ProductID"], row["Location"], row["InventoryWriteOffNumber"])] -= line[
                    "Quantity"
                ]
    assert movements(api, ("Inventory Write-Off",)) == rounded(written) != {}
    counted: dict[Key, float] = defaultdict(float)
    for row, doc in details(api, "stockTakeList", "StockAdjustmentList", "stocktake", "TaskID", "TaskID"):
        for line in doc["NonZeroStockOnHandProducts"] + doc["ZeroStockOnHandProducts"]:
            if row["Status"] == "COMPLETED":
                counted[(line["ProductID"], row["Location"], row["StocktakeNumber"])] += line["Adjustment"]
    assert movements(api, ("Stocktake",)) == rounded(counted) != {}
    made: dict[Key, float] = defaultdict(float)
    for row, doc in details(api, "finishedGoodsList", "FinishedGoods", "finishedGoods", "TaskID", "TaskID"):
        if row["Status"] == "COMPLETED":
            made[(row["ProductID"], row["Location"], row["AssemblyNumber"])] += row["Quantity"]
            for line in doc["OrderLines"]:
                made[(line["ProductID"], row["Location"], row["AssemblyNumber"])] -= line["TotalQuantity"]
    assert movements(api, ("Finished Goods",)) == rounded(made) != {}


def test_the_ledger_is_the_same_for_the_same_seed_and_follows_changes(make_sandbox: Any) -> None:
    today = date(2026, 11, 30)
    counts = SandboxConfig().record_counts()
    a, b = Dataset(3, today, counts), Dataset(3, today, counts)
    assert [ledger_of(a).movements(p) for p in range(40)] == [ledger_of(b).movements(p) for p in range(40)]
    assert [a.availability(*k) for k in a.availability_keys()] == [
        b.availability(*k) for k in b.availability_keys()
    ]
    shipped = next(i for i in range(counts["sale"]) if a.sales[i]["CombinedShippingStatus"] == "SHIPPED")
    before = ledger_of(a)
    a.touch("sale", a.sales[shipped]["SaleID"])
    assert ledger_of(a) is not before  # a change rebuilds the ledger, so availability follows
    assert ledger_of(b) is ledger_of(b)


@pytest.mark.parametrize("seed", [2, 7])
def test_invariants_hold_for_other_seeds(seed: int) -> None:
    ds = Dataset(seed, date(2026, 6, 30), SandboxConfig().record_counts())
    ledger = ledger_of(ds)
    for p, location in ds.availability_keys():
        total = sum(m.quantity for m in ledger.by_product[p] if m.location == location)
        assert round(total, 4) == ds.availability(p, location)["OnHand"] >= 0


@pytest.mark.parametrize(("seed", "today"), [(1, date(2026, 12, 1)), (2, date(2026, 6, 30))])
def test_the_opening_stock_covers_what_drafts_would_take_out(seed: int, today: date) -> None:
    """A draft moves nothing but its document shows on hand + its change (seed 1 on 2026-12-01 once
    showed a draft adjustment counting -3): the opening stock covers that outflow too."""
    counts = SandboxConfig(size="small").record_counts()
    ds = Dataset(seed, today, counts)
    ledger = ledger_of(ds)
    drafts = 0
    for i in range(1, counts["stockadjustment"]):  # SA-00001 is the opening stock itself
        plan = adjustment_plan(ds, i)
        for n, line in enumerate(plan.lines):
            if not line.new_stock:
                assert ledger.before[("stockadjustment", i, n)] + line.quantity >= 0, (i, n)
                drafts += plan.status == "DRAFT" and line.quantity < 0
    assert drafts > 0


def test_pages_with_movements_cost_time_per_movement(make_sandbox: Any) -> None:
    import time

    import requests

    sb = make_sandbox(rate_limit=None)
    params = {"Limit": 20, "IncludeMovements": "true"}
    first = requests.get(sb.base_url + "product", params=params, headers=sb.headers, timeout=30).json()
    moved = sum(len(p["Movements"]) for p in first["Products"])
    sb.configure(movement_ms=2.0)
    started = time.perf_counter()
    again = requests.get(sb.base_url + "product", params=params, headers=sb.headers, timeout=30).json()
    assert again == first and moved > 50
    assert time.perf_counter() - started >= moved * 0.002  # at least 2 ms for every movement sent


def test_sale_and_purchase_lines_carry_the_batch_their_movements_carry(api: Get) -> None:
    batches: dict[str, set[tuple[Any, Any]]] = defaultdict(set)
    for product in products(api):
        for m in product["Movements"]:
            batches[product["ID"]].add((m["BatchSN"], m["ExpiryDate"]))
    lines: list[dict[str, Any]] = []
    for _, doc in details(api, "saleList", "SaleList", "sale", "ID", "SaleID"):
        for f in doc["Fulfilments"]:
            lines += f["Pick"]["Lines"] + f["Pack"]["Lines"]
        lines += [line for note in doc["CreditNotes"] for line in note["Restock"]]
    for _, doc in details(api, "purchaseList", "PurchaseList", "advanced-purchase", "ID", "ID"):
        lines += [line for block in doc["StockReceived"] for line in block["Lines"]]
        lines += [line for note in doc["CreditNote"] for line in note.get("Unstock", [])]
    moved = [line for line in lines if line["ProductID"] in batches]
    assert len(moved) > 100
    for line in moved:
        assert batches[line["ProductID"]] == {(line["BatchSN"], line["ExpiryDate"])}, line["SKU"]
    assert any(line["BatchSN"] for line in moved) and not all(line["BatchSN"] for line in moved)
