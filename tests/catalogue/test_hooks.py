"""The line-report hooks on real sandbox details (and on the awkward shapes DEAR documents)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from app.catalogue import hooks
from app.sandbox import Sandbox, SandboxConfig


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(SandboxConfig(size="small", seed=5, rate_limit=None)) as sandbox:
        yield sandbox


def _get(sb: Sandbox, path: str, **params: Any) -> Any:
    response = requests.get(sb.base_url + path, params=params, headers=sb.headers, timeout=30)
    assert response.status_code == 200, response.text[:200]
    return response.json()


def _list(sb: Sandbox, path: str, key: str) -> list[dict[str, Any]]:
    return list(_get(sb, path, Limit=1000)[key])


def test_sale_order_lines_repeat_the_sale_on_every_line(sb: Sandbox) -> None:
    summaries = _list(sb, "saleList", "SaleList")[:25]
    checked = 0
    for summary in summaries:
        detail = _get(sb, "sale", ID=summary["SaleID"])
        lines = detail["Order"]["Lines"]
        rows = list(hooks.sale_order_lines(summary, detail))
        assert len(rows) == len(lines)
        for number, (row, line) in enumerate(zip(rows, lines, strict=True), start=1):
            assert row["LineNumber"] == number
            assert row["SKU"] == line["SKU"] and row["Quantity"] == line["Quantity"]
            assert row["Total"] == line["Total"]
            assert row["OrderNumber"] == summary["OrderNumber"]
            assert row["Customer"] == summary["Customer"]
            assert row["SaleStatus"] == summary["Status"]
            assert row["OrderDate"] == summary["OrderDate"]
            assert row["Location"] == detail["Location"]
            assert row["Currency"] == detail["CustomerCurrency"]
            assert row["SaleID"] == summary["SaleID"]
        checked += len(rows)
    assert checked > 25


def test_sale_invoice_and_credit_note_lines_carry_their_document(sb: Sandbox) -> None:
    invoice_rows = credit_rows = 0
    for summary in _list(sb, "saleCreditNoteList", "SaleList")[:10]:
        detail = _get(sb, "sale", ID=summary["SaleID"])
        rows = list(hooks.sale_invoice_lines(summary, detail))
        assert len(rows) == sum(len(i["Lines"]) for i in detail["Invoices"])
        numbers = [i["InvoiceNumber"] for i in detail["Invoices"] for _ in i["Lines"]]
        assert [r["InvoiceNumber"] for r in rows] == numbers
        invoice_rows += len(rows)
        notes = list(hooks.sale_credit_note_lines(summary, detail))
        assert len(notes) == sum(len(c["Lines"]) for c in detail["CreditNotes"])
        assert [r["CreditNoteNumber"] for r in notes] == [
            c["CreditNoteNumber"] for c in detail["CreditNotes"] for _ in c["Lines"]
        ]
        assert all(r["OrderNumber"] == summary["OrderNumber"] for r in notes)
        credit_rows += len(notes)
    assert invoice_rows and credit_rows


def test_fulfilment_lines_name_their_stage_and_keep_the_sale_location(sb: Sandbox) -> None:
    stages: set[str] = set()
    for summary in _list(sb, "saleList", "SaleList")[:30]:
        detail = _get(sb, "sale", ID=summary["SaleID"])
        rows = list(hooks.sale_fulfilment_lines(summary, detail))
        expected = [
            (stage, line)
            for f in detail["Fulfilments"]
            for stage in ("Pick", "Pack", "Ship")
            for line in ((f.get(stage) or {}).get("Lines") or [])
        ]
        assert [r["Stage"] for r in rows] == [stage for stage, _ in expected]
        for row, (_, line) in zip(rows, expected, strict=True):
            assert row["Location"] == detail["Location"]
            if "Location" in line:
                assert row["LineLocation"] == line["Location"]
            if "TrackingNumber" in line:
                assert row["TrackingNumber"] == line["TrackingNumber"]
        stages.update(r["Stage"] for r in rows)
    assert stages == {"Pick", "Pack", "Ship"}


def test_purchase_invoice_lines_read_simple_objects_and_advanced_arrays_alike(sb: Sandbox) -> None:
    purchases = _list(sb, "purchaseList", "PurchaseList")
    simple = [p for p in purchases if p["Type"] == "Simple Purchase" and p["InvoiceNumber"]][:5]
    assert simple
    for summary in simple:
        advanced = _get(sb, "advanced-purchase", ID=summary["ID"])
        legacy = _get(sb, "purchase", ID=summary["ID"])
        assert isinstance(advanced["Invoice"], list) and isinstance(legacy["Invoice"], dict)
        from_array = list(hooks.purchase_invoice_lines(summary, advanced))
        from_object = list(hooks.purchase_invoice_lines(summary, legacy))
        assert from_array and len(from_array) == len(legacy["Invoice"]["Lines"])
        assert [(r["InvoiceNumber"], r["SKU"], r["Quantity"]) for r in from_array] == [
            (r["InvoiceNumber"], r["SKU"], r["Quantity"]) for r in from_object
        ]
        assert all(r["Supplier"] == summary["Supplier"] for r in from_array)


def _credit_note_rows_match(rows: list[dict[str, Any]], summary: dict[str, Any], notes: list[Any]) -> None:
    expected = [(note, line) for note in notes for line in note["Lines"]]
    assert len(rows) == len(expected)
    for row, (note, line) in zip(rows, expected, strict=True):
        assert row["CreditNoteNumber"] == note["CreditNoteNumber"] == summary["CreditNoteNumber"]
        assert row["CreditNoteDate"] == note["CreditNoteDate"]
        assert row["CreditNoteStatus"] == note["Status"]
        assert (row["SKU"], row["Quantity"], row["Total"], row["Account"]) == (
            line["SKU"],
            line["Quantity"],
            line["Total"],
            line["Account"],
        )
        assert row["OrderNumber"] == summary["OrderNumber"]
        assert row["Supplier"] == summary["Supplier"]
        assert row["PurchaseStatus"] == summary["Status"]
        assert row["Currency"] == summary["SupplierCurrency"]
        assert row["PurchaseID"] == summary["ID"]


def test_purchase_credit_note_lines_read_simple_objects_and_advanced_arrays_alike(sb: Sandbox) -> None:
    credited = _list(sb, "purchaseCreditNoteList", "PurchaseList")
    simple = [p for p in credited if p["Type"] == "Simple Purchase"][:5]
    advanced_only = [p for p in credited if p["Type"] == "Advanced Purchase"][:3]
    assert simple and advanced_only
    for summary in simple:
        advanced = _get(sb, "advanced-purchase", ID=summary["ID"])
        legacy = _get(sb, "purchase", ID=summary["ID"])
        assert isinstance(advanced["CreditNote"], list) and isinstance(legacy["CreditNote"], dict)
        from_array = list(hooks.purchase_credit_note_lines(summary, advanced))
        from_object = list(hooks.purchase_credit_note_lines(summary, legacy))
        assert from_array and from_array == from_object
        _credit_note_rows_match(from_object, summary, [legacy["CreditNote"]])
        assert all(r["Location"] == legacy["Location"] for r in from_object)
    for summary in advanced_only:
        detail = _get(sb, "advanced-purchase", ID=summary["ID"])
        rows = list(hooks.purchase_credit_note_lines(summary, detail))
        assert rows
        _credit_note_rows_match(rows, summary, detail["CreditNote"])


def test_simple_purchase_without_a_credit_note_gives_no_credit_note_rows(sb: Sandbox) -> None:
    purchases = _list(sb, "purchaseList", "PurchaseList")
    summary = next(p for p in purchases if p["Type"] == "Simple Purchase" and not p["CreditNoteNumber"])
    legacy = _get(sb, "purchase", ID=summary["ID"])
    # The Simple shape always sends a CreditNote object, empty when nothing was credited.
    assert isinstance(legacy["CreditNote"], dict) and legacy["CreditNote"]["Lines"] == []
    assert list(hooks.purchase_credit_note_lines(summary, legacy)) == []


def test_every_credit_note_of_an_advanced_purchase_keeps_its_own_number() -> None:
    detail = {
        "ID": "p-1",
        "OrderNumber": "PO-1",
        "CreditNote": [
            {"CreditNoteNumber": "CR-1", "Status": "AUTHORISED", "Lines": [{"SKU": "A"}, {"SKU": "B"}]},
            {"CreditNoteNumber": "CR-2", "Status": "DRAFT", "Lines": [{"SKU": "C"}]},
        ],
    }
    rows = list(hooks.purchase_credit_note_lines({}, detail))
    assert [(r["CreditNoteNumber"], r["CreditNoteStatus"], r["LineNumber"], r["SKU"]) for r in rows] == [
        ("CR-1", "AUTHORISED", 1, "A"),
        ("CR-1", "AUTHORISED", 2, "B"),
        ("CR-2", "DRAFT", 1, "C"),
    ]
    assert all(r["OrderNumber"] == "PO-1" and r["PurchaseID"] == "p-1" for r in rows)


def test_write_off_lines_repeat_the_write_off_on_every_line(sb: Sandbox) -> None:
    checked = 0
    for summary in _list(sb, "inventoryWriteOffList", "InventoryWriteOffs")[:10]:
        detail = _get(sb, "inventoryWriteOff", TaskID=summary["TaskID"])
        rows = list(hooks.inventory_write_off_lines(summary, detail))
        assert len(rows) == len(detail["Lines"])
        for number, (row, line) in enumerate(zip(rows, detail["Lines"], strict=True), start=1):
            assert row["LineNumber"] == number
            assert (row["SKU"], row["ProductName"], row["Quantity"], row["UnitCost"], row["Unit"]) == (
                line["SKU"],
                line["ProductName"],
                line["Quantity"],
                line["UnitCost"],
                line["Unit"],
            )
            assert row["InventoryWriteOffNumber"] == summary["InventoryWriteOffNumber"]
            assert row["Date"] == summary["Date"]
            assert row["WriteOffStatus"] == summary["Status"]
            assert row["Location"] == summary["Location"]
            assert row["Account"] == detail["Account"]
            assert row["TaskID"] == summary["TaskID"]
        checked += len(rows)
    assert checked > 10


def test_write_off_date_falls_back_to_the_detail_effective_date() -> None:
    # The detail document calls the write-off date EffectiveDate; the list row calls it Date.
    detail = {
        "InventoryWriteOffNumber": "WO-1",
        "EffectiveDate": "2025-08-29T00:00:00",
        "Lines": [{"SKU": "A"}],
    }
    rows = list(hooks.inventory_write_off_lines({}, detail))
    assert rows == [
        {"InventoryWriteOffNumber": "WO-1", "Date": "2025-08-29T00:00:00", "LineNumber": 1, "SKU": "A"}
    ]


def test_purchase_order_lines_match_the_order(sb: Sandbox) -> None:
    for summary in _list(sb, "purchaseList", "PurchaseList")[:10]:
        detail = _get(sb, "advanced-purchase", ID=summary["ID"])
        rows = list(hooks.purchase_order_lines(summary, detail))
        assert [r["SKU"] for r in rows] == [line.get("SKU") for line in detail["Order"]["Lines"]]
        assert all(r["OrderNumber"] == summary["OrderNumber"] for r in rows)


def test_stock_task_hooks_cover_every_line(sb: Sandbox) -> None:
    for summary in _list(sb, "stockadjustmentList", "StockAdjustmentList")[:10]:
        detail = _get(sb, "stockadjustment", TaskID=summary["TaskID"])
        rows = list(hooks.stock_adjustment_lines(summary, detail))
        existing, new = detail["ExistingStockLines"] or [], detail["NewStockLines"] or []
        assert [r["LineType"] for r in rows] == ["Existing stock"] * len(existing) + ["New stock"] * len(new)
        assert all(r["StocktakeNumber"] == summary["StocktakeNumber"] for r in rows)
    for summary in _list(sb, "stockTransferList", "StockTransferList")[:10]:
        detail = _get(sb, "stockTransfer", TaskID=summary["TaskID"])
        rows = list(hooks.stock_transfer_lines(summary, detail))
        assert [r["TransferQuantity"] for r in rows] == [line["TransferQuantity"] for line in detail["Lines"]]
        assert all(r["FromLocation"] == summary["FromLocation"] for r in rows)
    for summary in _list(sb, "finishedGoodsList", "FinishedGoods")[:10]:
        detail = _get(sb, "finishedGoods", TaskID=summary["TaskID"])
        rows = list(hooks.finished_goods_lines(summary, detail))
        assert len(rows) == len(detail["OrderLines"] or []) + len(detail["PickLines"] or [])
        assert all(r["AssemblyNumber"] == summary["AssemblyNumber"] for r in rows)


def test_hooks_tolerate_missing_and_null_blocks() -> None:
    summary = {"SaleID": "s-1", "OrderNumber": "SO-1", "Status": "DRAFT"}
    assert list(hooks.sale_order_lines(summary, {"Order": None})) == []
    assert list(hooks.sale_invoice_lines(summary, {})) == []
    assert list(hooks.sale_fulfilment_lines(summary, {"Fulfilments": [{"Pick": None, "Ship": {}}]})) == []
    assert list(hooks.stock_adjustment_lines({}, {"ExistingStockLines": None, "NewStockLines": None})) == []
    assert list(hooks.purchase_credit_note_lines({}, {"CreditNote": None})) == []
    assert list(hooks.purchase_credit_note_lines({}, {"CreditNote": [{"Lines": None}]})) == []
    assert list(hooks.inventory_write_off_lines({}, {"Lines": None})) == []


def test_purchase_invoice_hook_accepts_the_documented_misspelling() -> None:
    # The doc's Simple purchase example spells the field InvocieNumber (docs/dear-api.md §8.18).
    detail = {
        "ID": "p-1",
        "OrderNumber": "PO-7",
        "Invoice": {"InvocieNumber": "BILL-1", "Lines": [{"SKU": "A"}]},
    }
    rows = list(hooks.purchase_invoice_lines({}, detail))
    assert rows == [
        {"PurchaseID": "p-1", "OrderNumber": "PO-7", "InvoiceNumber": "BILL-1", "LineNumber": 1, "SKU": "A"}
    ]


def test_summary_values_win_over_empty_detail_values() -> None:
    rows = list(hooks.sale_order_lines({"Customer": "Kiwi Ltd"}, {"Customer": "", "Order": {"Lines": [{}]}}))
    assert rows[0]["Customer"] == "Kiwi Ltd"
    rows = list(hooks.sale_order_lines({"Customer": ""}, {"Customer": "Kiwi Ltd", "Order": {"Lines": [{}]}}))
    assert rows[0]["Customer"] == "Kiwi Ltd"
