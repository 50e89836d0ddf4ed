"""Stock at a date from today's stock and later movements; the check against availability."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.services.stock_history.book import StockBook


def movement(day: str, kind: str, quantity: float, amount: float, location: str = "Main") -> dict[str, Any]:
    return {
        "TaskID": "t", "Type": kind, "Date": f"{day}T00:00:00", "Number": "N", "Status": "COMPLETED",
        "Quantity": quantity, "Amount": amount, "Location": location, "BatchSN": None, "ExpiryDate": None,
        "FromTo": "",
    }  # fmt: skip


PRODUCT = {
    "ID": "p1",
    "SKU": "SKU-1",
    "Name": "Chair",
    "Category": "Kitchen",
    "Movements": [
        movement("2026-01-01", "Adjustment", 10, 100),
        movement("2026-02-10", "Purchase", 5, 60),
        movement("2026-03-05", "Sale", -4, -40),
        movement("2026-03-06", "Transfer Out", -2, -20),
        movement("2026-03-06", "Transfer In", 2, 20, "Depot"),
        movement("2026-04-01", "Purchase Cost Chang", 0, 3),
    ],
}


def availability(location: str, on_hand: float, value: float) -> dict[str, Any]:
    return {"ID": "p1", "SKU": "SKU-1", "Name": "Chair", "Location": location, "Batch": None,
            "OnHand": on_hand, "StockOnHand": value}  # fmt: skip


def filled(book: StockBook, main: float = 9, main_value: float = 103) -> StockBook:
    book.add_product(PRODUCT)
    book.add_availability(availability("Main", main, main_value))
    book.add_availability(availability("Depot", 2, 20))
    book.add_availability({**availability("Main", 1, 1), "ID": "someone else"})  # not read: left out
    return book


def test_stock_at_the_end_of_a_day_is_today_minus_later_movements() -> None:
    book = filled(StockBook(date(2026, 3, 5)))
    rows = list(book.at_date_rows())
    assert [(r["Location"], r["Quantity"], r["Value"]) for r in rows] == [("Main", 11, 120)]
    assert book.later == 3 and book.mismatches() == []
    assert [(r["Location"], r["Quantity"]) for r in filled(StockBook(date(2026, 1, 31))).at_date_rows()] == [
        ("Main", 10)
    ]


def test_the_summary_splits_in_and_out_by_kind() -> None:
    book = filled(StockBook(date(2026, 3, 31), date(2026, 2, 1)))
    rows = {r["Location"]: r for r in book.summary_rows()}
    main = rows["Main"]
    assert (main["OpeningQuantity"], main["ClosingQuantity"]) == (10, 9)
    assert (main["OpeningValue"], main["ClosingValue"]) == (100, 100)
    assert main["Purchases"] == {"In": 5, "Out": 0, "Value": 60}
    assert main["Sales"] == {"In": 0, "Out": 4, "Value": -40}
    assert main["Transfers"] == {"In": 0, "Out": 2, "Value": -20}
    assert rows["Depot"]["Transfers"]["In"] == 2 and rows["Depot"]["OpeningQuantity"] == 0


def test_a_mismatch_is_named_never_hidden() -> None:
    book = filled(StockBook(date(2026, 3, 31)), main=8)
    (mismatch,) = book.mismatches()
    assert (mismatch.sku, mismatch.location, mismatch.moved, mismatch.on_hand) == ("SKU-1", "Main", 9, 8)
    assert mismatch.describe() == "SKU-1 at Main: movements add up to 9, stock on hand is 8"


def test_a_location_filter_keeps_one_location() -> None:
    book = filled(StockBook(date(2026, 12, 31), location="depot"))
    assert [(r["Location"], r["Quantity"]) for r in book.at_date_rows()] == [("Depot", 2)]


def test_values_that_do_not_add_up_are_counted_and_said() -> None:
    from app.api.paging import ListStats
    from app.services.stock_history.wording import check_note

    complete = ListStats(total=2, unique=2, complete=True, missing=0, pages=1, rewalks=0)
    agreeing = filled(StockBook(date(2026, 3, 31)))
    assert agreeing.value_differences() == 0
    assert check_note(agreeing, [], complete).startswith("Stock check passed: at all 2 product locations")
    off = filled(StockBook(date(2026, 3, 31)), main_value=90)
    assert off.value_differences() == 1
    assert "At 1 of them the movements' values do not add up to DEAR's stock value" in check_note(
        off, [], complete
    )
