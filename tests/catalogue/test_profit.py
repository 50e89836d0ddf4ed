"""The sale-profit-lines hook on hand-built sale documents: one awkward case per test."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.catalogue.profit import (
    NOTE_CHARGE,
    NOTE_HIDDEN,
    NOTE_NO_COGS,
    NOTE_NOT_RESTOCKED,
    NOTE_NOT_SHIPPED,
    NOTE_RESTOCK_PENDING,
    cost_of_goods,
    sale_profit_lines,
)

A, B = "AAAAAAAA-0000-0000-0000-000000000001", "BBBBBBBB-0000-0000-0000-000000000002"
SHIP, CREDIT = "task-ship", "task-credit"


def _line(product: str, quantity: float, total: float, sku: str = "SKU") -> dict[str, Any]:
    return {"ProductID": product, "SKU": sku, "Name": sku, "Quantity": quantity, "Total": total, "Tax": 0}


def _move(product: str, cogs: float, task: str = SHIP) -> dict[str, Any]:
    return {"TaskID": task, "ProductID": product, "Date": "2026-03-02T00:00:00", "COGS": cogs}


def _sale(lines: list[dict[str, Any]], moves: list[dict[str, Any]] | None, **extra: Any) -> dict[str, Any]:
    sale: dict[str, Any] = {
        "ID": "sale-1",
        "Customer": "Kiwi Co",
        "CustomerCurrency": "NZD",
        "CurrencyRate": 1,
        "Invoices": [
            {
                "TaskID": "task-invoice",
                "InvoiceNumber": "INV-1",
                "InvoiceDate": "2026-03-03T00:00:00",
                "Status": "AUTHORISED",
                "CurrencyConversionRate": 1,
                "Lines": lines,
                "AdditionalCharges": [],
            }
        ],
        "CreditNotes": [],
        **extra,
    }
    if moves is not None:
        sale["InventoryMovements"] = moves
    return sale


def _rows(sale: dict[str, Any]) -> list[dict[str, Any]]:
    return list(sale_profit_lines({"OrderNumber": "SO-1"}, sale))


def test_goods_leaving_are_a_positive_cost_and_goods_coming_back_a_negative_one() -> None:
    # The one sign rule: DEAR's examples show goods leaving as negative COGS (docs/dear-api.md §11.2).
    assert cost_of_goods(Decimal("-12.5")) == Decimal("12.5")
    assert cost_of_goods(Decimal("7")) == Decimal("-7")


def test_a_line_gets_its_products_cost_and_profit_and_margin_follow() -> None:
    (row,) = _rows(_sale([_line(A, 4, 100)], [_move(A, -60)]))
    assert (row["Revenue"], row["RevenueBase"], row["Cost"], row["Profit"]) == (100, 100, 60, 40)
    assert row["Margin"] == Decimal("40.00")
    assert row["Date"] == "2026-03-03T00:00:00" and row["InvoiceNumber"] == "INV-1"
    assert row["OrderNumber"] == "SO-1" and row["DocumentType"] == "Invoice" and "CostNote" not in row


def test_two_lines_of_one_product_share_its_cost_by_quantity() -> None:
    rows = _rows(_sale([_line(A, 3, 30), _line(B, 1, 50), _line(A, 1, 5)], [_move(A, -40), _move(B, -20)]))
    assert [row["Cost"] for row in rows] == [30, 20, 10]


def test_correcting_rows_are_summed_with_the_rest() -> None:
    moves = [_move(A, -40), _move(A, -3.25), _move(A, 3.25), _move(A, -1)]
    (row,) = _rows(_sale([_line(A, 2, 100)], moves))
    assert row["Cost"] == 41


def test_a_line_whose_goods_have_not_left_has_no_cost_and_says_why() -> None:
    (row,) = _rows(_sale([_line(A, 2, 100)], []))
    assert "Cost" not in row and "Profit" not in row and "Margin" not in row
    assert row["CostNote"] == NOTE_NOT_SHIPPED
    assert row["RevenueBase"] == 100


def test_a_product_without_rows_on_a_shipped_sale_and_a_hidden_block_are_told_apart() -> None:
    rows = _rows(_sale([_line(A, 1, 10), _line(B, 1, 10)], [_move(A, -4)]))
    assert rows[0]["Cost"] == 4 and rows[1]["CostNote"] == NOTE_NO_COGS and "Cost" not in rows[1]
    (hidden,) = _rows(_sale([_line(A, 1, 10)], None))
    assert hidden["CostNote"] == NOTE_HIDDEN and "Cost" not in hidden


def test_revenue_in_base_currency_uses_the_invoices_rate_and_cost_stays_in_base() -> None:
    sale = _sale([_line(A, 2, 100)], [_move(A, -90)], CustomerCurrency="AUD", CurrencyRate=1.2)
    sale["Invoices"][0]["CurrencyConversionRate"] = 1.08
    (row,) = _rows(sale)
    assert row["Revenue"] == 100 and row["RevenueBase"] == Decimal("108.0000") and row["Cost"] == 90
    assert row["Profit"] == 18 and row["Currency"] == "AUD" and row["CurrencyRate"] == Decimal("1.08")
    sale["Invoices"][0]["CurrencyConversionRate"] = None  # then the sale's own rate
    assert _rows(sale)[0]["RevenueBase"] == 120


def test_additional_charges_are_rows_with_no_cost_of_goods() -> None:
    sale = _sale([_line(A, 1, 10)], [_move(A, -4)])
    sale["Invoices"][0]["AdditionalCharges"] = [{"Description": "Freight", "Quantity": 1, "Total": 12.5}]
    # With CombineAdditionalCharges=true the charge comes as a line without a product (§4.1).
    sale["Invoices"][0]["Lines"].append({"Name": "Handling fee", "Quantity": 1, "Total": 3})
    rows = _rows(sale)
    charges = [row for row in rows if row["LineType"] == "Additional charge"]
    assert [(row["Name"], row["Revenue"], row["Cost"], row["Profit"]) for row in charges] == [
        ("Handling fee", 3, 0, 3),
        ("Freight", Decimal("12.5"), 0, Decimal("12.5")),
    ]
    assert all(row["CostNote"] == NOTE_CHARGE for row in charges)


def _credited(restock: bool, moves: list[dict[str, Any]]) -> dict[str, Any]:
    sale = _sale([_line(A, 4, 100)], moves)
    sale["CreditNotes"] = [
        {
            "TaskID": CREDIT,
            "CreditNoteNumber": "CR-1",
            "CreditNoteInvoiceNumber": "INV-1",
            "CreditNoteDate": "2026-03-10T00:00:00",
            "CreditNoteConversionRate": 1,
            "Lines": [_line(A, 1, 25)],
            "AdditionalCharges": [],
            "Restock": [{"ProductID": A, "Quantity": 1}] if restock else [],
        }
    ]
    return sale


def test_a_credit_note_line_is_a_negative_row_and_restocked_goods_bring_their_cost_back() -> None:
    invoice, credit = _rows(_credited(True, [_move(A, -60), _move(A, 15, CREDIT)]))
    # The restock row belongs to the credit note, not to the invoice's share.
    assert invoice["Cost"] == 60
    assert (credit["Quantity"], credit["Revenue"], credit["Cost"], credit["Profit"]) == (-1, -25, -15, -10)
    assert credit["DocumentType"] == "Credit note" and credit["CreditNoteNumber"] == "CR-1"
    assert credit["InvoiceNumber"] == "INV-1" and credit["Date"] == "2026-03-10T00:00:00"
    # The period nets its return: profit of both rows = what was kept.
    assert invoice["Profit"] + credit["Profit"] == 30


def test_a_credit_note_without_restock_returns_no_cost_and_a_pending_one_has_none_yet() -> None:
    _, credit = _rows(_credited(False, [_move(A, -60)]))
    assert credit["Cost"] == 0 and credit["CostNote"] == NOTE_NOT_RESTOCKED
    _, pending = _rows(_credited(True, [_move(A, -60)]))
    assert "Cost" not in pending and pending["CostNote"] == NOTE_RESTOCK_PENDING


def test_voided_invoices_and_credit_notes_are_left_out() -> None:
    sale = _credited(True, [_move(A, -60), _move(A, 15, CREDIT)])
    sale["CreditNotes"][0]["Status"] = "VOIDED"
    (invoice,) = _rows(sale)
    assert invoice["DocumentType"] == "Invoice" and invoice["Cost"] == 60
    sale["Invoices"][0]["Status"] = "VOIDED"
    assert _rows(sale) == []
